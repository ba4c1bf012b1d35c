//! `huaweicloud_dms_kafka_topic`: a topic on a DMS for Kafka instance. Arguments mirror the SDK's
//! CreateInstanceTopicReq (`name` is sent as its `id`); the topic is read from the topic list, changed
//! through UpdateInstanceTopicReq and deleted through the batch delete call. Its id is
//! `<instance_id>/<name>`, which is also the import id.

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::kafka::{self as c, INSTANCE_ID, TOPIC_NAME};
use hwapi::contract::Op;

use crate::client::Call;
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::defaults::{self, member_id_check, parts};
use crate::engine::field::{Codec, Field, Read};
use crate::engine::timeouts::Timeouts;
use crate::engine::{Ctx, Error, Health, Hooks, ResourceDef};
use crate::waiter::{self, Schedule, Seen, StatusTable};

const VIA_PUT: &[&Op] = &[&c::TOPIC_UPDATE];

static OTHER_CONFIG: [Field; 2] = [
    Field::string("name", "Configuration name, e.g. `max.message.bytes`.").required(),
    Field::string("value", "Configuration value.").required(),
];

static FIELDS: [Field; 9] = [
    Field::string("instance_id", "ID of the Kafka instance the topic belongs to.")
        .required()
        .not_in_body()
        .checks(INSTANCE_ID),
    Field::string("name", "Topic name (sent as the create table's `id`).")
        .required()
        .api("id")
        .read(Read::Path("name")),
    Field::int("partition", "Number of partitions; a larger value adds partitions in place.")
        .required()
        .in_place_by(VIA_PUT)
        .sent_as("new_partition_numbers"),
    Field::int("replication", "Number of replicas (at most the instance's number of brokers).").required(),
    Field::bool("sync_replication", "Whether a message is acknowledged only once every replica has it.")
        .optional_computed()
        .in_place_by(VIA_PUT),
    Field::int("retention_time", "How long messages are kept, in hours.").optional_computed().in_place_by(VIA_PUT),
    Field::bool("sync_message_flush", "Whether messages are flushed to disk synchronously (slower).")
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

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_topic",
    description: "Manages a topic on a DMS for Kafka instance.",
    fields: &FIELDS,
    rules: &[],
    timeouts: Timeouts::minutes(10, 10, 10),
    id_check: member_id_check!("`<instance_id>/<topic name>`", INSTANCE_ID, TOPIC_NAME),
    identity: "name",
    health: Health::NONE,
    busy: &[],
    read_by: &c::TOPIC_LIST,
    create: &c::TOPIC_CREATE,
    shapes: &[],
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

/// The answer of the batch delete.
#[derive(serde::Deserialize)]
struct Deleted {
    id: Option<String>,
    success: Option<bool>,
}

impl DmsKafkaTopic {
    /// Until the topic is no longer listed (the service deletes topics asynchronously).
    async fn wait_gone(ctx: &Ctx, id: &str) -> Result<(), Error> {
        let poll = || async {
            match defaults::read(ctx, &DEF, id).await {
                Ok(Some(_)) => Ok(Seen::status("listed")),
                Ok(None) => Ok(Seen::Gone),
                Err(Error::Api(e)) => Err(e),
                Err(e) => Err(crate::client::ApiError::Config(e.to_string())),
            }
        };
        waiter::wait(&DEF.label(id), &StatusTable::GONE, Schedule::configured(), ctx.deadline, poll).await?;
        Ok(())
    }
}

#[async_trait]
impl Hooks for DmsKafkaTopic {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &TfValue) -> Result<(), Error> {
        let (instance, name) = parts(id);
        let call = Call::to(&c::TOPIC_DELETE).arg("instance_id", instance);
        let Some(r) = ctx.send_or_gone(call.body(json!({ "topics": [name] })).idempotent(true)).await? else {
            return Ok(());
        };
        // A refusal in the answer may be a topic already gone (deleted elsewhere, or by a resent call):
        // the list decides. Deletion is asynchronous, so either way the wait is for the topic to leave it.
        let results: Vec<Deleted> = r.parse_list("topics")?;
        let refused = results.iter().any(|d| d.id.as_deref() == Some(name) && d.success == Some(false));
        match Self::wait_gone(ctx, id).await {
            Err(Error::Wait(e)) if refused => {
                Err(Error::Message(format!("the service did not delete topic {name:?} of instance {instance} ({e})")))
            }
            other => other,
        }
    }
}
