//! `huaweicloud_dms_kafka_topic`: a topic on a DMS for Kafka instance. Arguments mirror the SDK's
//! CreateInstanceTopicReq (`name` is sent as its `id`); the topic is read from the topic list, changed
//! through UpdateInstanceTopicReq and deleted through the batch delete call. Its id is
//! `<instance_id>/<name>`, which is also the import id.

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};
use tf_provider::value::ValueAny;

use hwapi::contract::kafka::{self as c, INSTANCE_ID, TOPIC_NAME};
use hwapi::contract::Op;

use crate::client::Call;
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Codec, Field, Read, Rule, RuleProblem};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::{as_str, body, get};
use crate::engine::{listed_member, Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};
use crate::waiter::{self, Schedule, Seen, StatusTable};

const VIA_PUT: &[&Op] = &[&c::TOPIC_UPDATE];
/// The topic list's page size.
const PAGE: usize = 50;

/// Every check passes.
fn passes(checks: &[Check], s: &str) -> bool {
    checks.iter().all(|c| c.text(s).is_none())
}

static OTHER_CONFIG: [Field; 2] = [
    Field::string("name", "Configuration name, e.g. `max.message.bytes`.").required(),
    Field::string("value", "Configuration value.").required(),
];

static FIELDS: [Field; 9] = [
    Field::string("instance_id", "ID of the Kafka instance the topic belongs to.")
        .required()
        .not_in_body()
        .checks(INSTANCE_ID),
    Field::string("name", "Topic name (sent as the create table's `id`).").required().api("id").read(Read::Path("name")),
    Field::int(
        "partition",
        "Number of partitions. It only grows: a larger value adds partitions in place; a smaller one is refused at plan.",
    )
    .required()
    .in_place_by(VIA_PUT)
    .sent_as("new_partition_numbers"),
    Field::int("replication", "Number of replicas (at most the instance's number of brokers).").required(),
    Field::bool(
        "sync_replication",
        "Whether a message is acknowledged only once every replica has it (default false).",
    )
    .optional_computed()
    .in_place_by(VIA_PUT),
    Field::int("retention_time", "How long messages are kept, in hours (default 72).").optional_computed().in_place_by(VIA_PUT),
    Field::bool("sync_message_flush", "Whether messages are flushed to disk synchronously (default false; slower).")
        .optional_computed()
        .in_place_by(VIA_PUT),
    Field::string("topic_desc", "Description.").in_place_by(VIA_PUT).codec(Codec::EmptyIsNull),
    // The topic list shows every configuration with its default: a refresh reads the configured ones.
    Field::blocks(
        "topic_other_configs",
        &OTHER_CONFIG,
        100,
        "Other topic configurations (name and value). A refresh reads the current value of each configured one \
(a change made elsewhere shows as drift); an import reads those whose value is not the default.",
    )
    .in_place_by(VIA_PUT)
    .codec(Codec::NamedSubset),
];

fn distinct_configs(config: &ValueAny) -> Vec<RuleProblem> {
    let ValueAny::List(items) = get(config, "topic_other_configs") else { return vec![] };
    let names: Vec<&str> = items.iter().filter_map(|i| as_str(get(i, "name"))).collect();
    match names.iter().enumerate().find(|(i, n)| names[..*i].contains(n)) {
        Some((_, n)) => vec![(vec!["topic_other_configs"], format!("sets {n:?} twice"))],
        None => vec![],
    }
}

static RULES: [Rule; 1] = [Rule::Custom(distinct_configs)];

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_topic",
    description: "Manages a topic on a DMS for Kafka instance.",
    fields: &FIELDS,
    rules: &RULES,
    timeouts: Timeouts::minutes(10, 10, 10),
    id_check: Check::Pattern("`<instance_id>/<topic name>`", |id| match id.split_once('/') {
        Some((instance, name)) => passes(INSTANCE_ID, instance) && passes(TOPIC_NAME, name),
        None => false,
    }),
    identity: "name",
    health: Health { ready: &[], going: &[], failed: &[], create_failed: &[], note: "" },
    busy: &[],
    read_by: &c::TOPIC_LIST,
    create: &c::TOPIC_CREATE,
    ops: &[&c::TOPIC_CREATE, &c::TOPIC_LIST, &c::TOPIC_UPDATE, &c::TOPIC_DELETE],
    noun: "Kafka topic",
    scope: &["instance_id"],
    listing: Listing {
        op: &c::TOPIC_LIST,
        attribute: "topics",
        filters: &[
            Filter::new("instance_id", FilterKind::Str, "ID of the Kafka instance whose topics to list.").required()
        ],
    },
    changes: &[Change::new(&c::TOPIC_UPDATE, Send::Changed { together: &[], shape: Some(one_topic), wait: false })],
    import_note: "An import reads `topic_other_configs` as the configurations whose value is not the default, in \
the order the topic list gives them: one configured at its default value is not imported, and a configuration that \
lists them in another order plans one update (which sends the same values).",
};

#[derive(Clone, Copy)]
pub struct DmsKafkaTopic;

/// The topic update takes a list of topic changes, each naming its topic.
fn one_topic(mut changes: Map<String, Json>, id: &str) -> Json {
    changes.insert("id".into(), json!(parts(id).1));
    json!({ "topics": [Json::Object(changes)] })
}

/// (instance id, topic name) of a topic id.
fn parts(id: &str) -> (&str, &str) {
    id.split_once('/').unwrap_or((id, ""))
}

/// An entry of the topic list (TopicEntity), as far as the code reads it.
#[derive(serde::Deserialize)]
struct Listed {
    name: String,
    created_at: Option<Json>,
}

/// One page of the topic list.
#[derive(serde::Deserialize)]
struct Page {
    total: usize,
    topics: Vec<Json>,
}

/// The answer of the batch delete.
#[derive(serde::Deserialize)]
struct Deleted {
    id: Option<String>,
    success: Option<bool>,
}

impl DmsKafkaTopic {
    /// Every topic of an instance, in the list's shape; None when the instance does not exist. Pages are
    /// read until `total`: a page that ends early or repeats a topic is an error, never a shorter list
    /// (a topic missing from it would leave the state).
    async fn topics(ctx: &Ctx, instance: &str) -> Result<Option<Vec<Json>>, Error> {
        const MAX_PAGES: usize = 1000;
        let mut topics: Vec<Json> = Vec::new();
        for _ in 0..MAX_PAGES {
            let call = Call::to(&c::TOPIC_LIST)
                .arg("instance_id", instance)
                .query("offset", topics.len().to_string())
                .query("limit", PAGE.to_string());
            let Some(r) = ctx.send_or_gone(call).await? else { return Ok(None) };
            let page: Page = r.parse()?;
            if topics.len() >= page.total {
                return Ok(Some(topics));
            }
            if page.topics.is_empty() {
                return Err(Error::Message(format!(
                    "the topic list of instance {instance} ended after {} of {} topics",
                    topics.len(),
                    page.total
                )));
            }
            for t in page.topics {
                if topics.iter().any(|seen| seen.get("name") == t.get("name")) {
                    return Err(Error::Message(format!("the topic list of instance {instance} repeated a topic")));
                }
                topics.push(t);
            }
            if topics.len() >= page.total {
                return Ok(Some(topics));
            }
        }
        Err(Error::Message(format!("the topic list of instance {instance} did not end after {MAX_PAGES} pages")))
    }

    /// Until the topic is no longer listed (the service deletes topics asynchronously).
    async fn wait_gone(ctx: &Ctx, instance: &str, name: &str) -> Result<(), Error> {
        const GONE: StatusTable = StatusTable { target: &[], failure: &[], gone_is_success: true };
        let poll = || async {
            let listed = match Self::topics(ctx, instance).await {
                Ok(Some(topics)) => topics.iter().any(|t| t.get("name") == Some(&json!(name))),
                Ok(None) => false,
                Err(Error::Api(e)) => return Err(e),
                Err(e) => return Err(crate::client::ApiError::Config(e.to_string())),
            };
            Ok(if listed { Seen::status("listed") } else { Seen::Gone })
        };
        waiter::wait(&DEF.label(&format!("{instance}/{name}")), &GONE, Schedule::configured(), ctx.deadline, poll)
            .await?;
        Ok(())
    }
}

#[async_trait]
impl Hooks for DmsKafkaTopic {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    async fn create(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Created, Error> {
        let instance = as_str(get(plan, "instance_id")).unwrap_or_default();
        let name = as_str(get(plan, "name")).unwrap_or_default();
        let call = Call::to(&c::TOPIC_CREATE).arg("instance_id", instance);
        let r = ctx.send(call.body(body(&FIELDS, plan))).await?;
        Ok(Created { id: format!("{instance}/{name}"), answer: r.body })
    }

    /// A topic exists as soon as the create call answers.
    async fn wait_ready(&self, _ctx: &Ctx, _created: &Created) -> Result<Option<Json>, Error> {
        Ok(None)
    }

    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        let (instance, name) = parts(id);
        let Some(topics) = Self::topics(ctx, instance).await? else { return Ok(None) };
        Ok(topics.into_iter().find(|t| t.get("name") == Some(&json!(name))).map(|mut t| {
            t["instance_id"] = json!(instance);
            t
        }))
    }

    /// Every topic of the instance (every page of its topic list).
    async fn list(&self, ctx: &Ctx, filters: &ValueAny) -> Result<Vec<(String, Json)>, Error> {
        let instance = as_str(get(filters, "instance_id")).unwrap_or_default();
        let Some(topics) = Self::topics(ctx, instance).await? else {
            return Err(Error::Message(format!("there is no Kafka instance {instance:?}")));
        };
        let mut out = Vec::new();
        for (i, mut t) in topics.into_iter().enumerate() {
            let name = listed_member(&c::TOPIC_LIST, i, &t, "name")?;
            t["instance_id"] = json!(instance);
            out.push((format!("{instance}/{name}"), t));
        }
        Ok(out)
    }

    fn instance_id<'a>(&self, id: &'a str) -> &'a str {
        parts(id).0
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &ValueAny) -> Result<(), Error> {
        let (instance, name) = parts(id);
        let call = Call::to(&c::TOPIC_DELETE).arg("instance_id", instance);
        let Some(r) = ctx.send_or_gone(call.body(json!({ "topics": [name] })).idempotent(true)).await? else {
            return Ok(());
        };
        // A refusal in the answer may be a topic already gone (deleted elsewhere, or by a resent call):
        // the list decides. Deletion is asynchronous, so either way the wait is for the topic to leave it.
        let results: Vec<Deleted> = r.parse_list("topics")?;
        let refused = results.iter().any(|d| d.id.as_deref() == Some(name) && d.success == Some(false));
        match Self::wait_gone(ctx, instance, name).await {
            Err(Error::Wait(e)) if refused => {
                Err(Error::Message(format!("the service did not delete topic {name:?} of instance {instance} ({e})")))
            }
            other => other,
        }
    }

    async fn find_existing(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Vec<Existing>, Error> {
        let (Some(instance), Some(name)) = (as_str(get(plan, "instance_id")), as_str(get(plan, "name"))) else {
            return Ok(vec![]);
        };
        let Some(topics) = Self::topics(ctx, instance).await? else { return Ok(vec![]) };
        let listed: Vec<Listed> = topics
            .into_iter()
            .map(serde_json::from_value)
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Message(format!("the topic list answered a topic without a name: {e}")))?;
        Ok(listed
            .into_iter()
            .filter(|t| t.name == name)
            .map(|t| Existing::listed(format!("{instance}/{}", t.name), Some("present".into()), t.created_at.as_ref()))
            .collect())
    }

    fn change_problems(&self, prior: &ValueAny, proposed: &ValueAny, _config: &ValueAny) -> Vec<RuleProblem> {
        match (get(prior, "partition"), get(proposed, "partition")) {
            (ValueAny::Number(old), ValueAny::Number(new)) if new < old => vec![(
                vec!["partition"],
                format!(
                    "cannot shrink from {old} to {new}: Kafka only adds partitions. Fewer partitions mean a new topic: \
destroy this one deliberately (`terraform destroy -refresh=false -target=ADDRESS`, losing its messages), then apply."
                ),
            )],
            _ => vec![],
        }
    }

    fn claim_key(&self, plan: &ValueAny) -> String {
        format!(
            "{}/{}",
            as_str(get(plan, "instance_id")).unwrap_or_default(),
            as_str(get(plan, "name")).unwrap_or_default()
        )
    }
}
