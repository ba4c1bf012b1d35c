//! `huaweicloud_dms_kafka_permissions`: the access policies of one topic of a DMS for Kafka instance
//! with SASL enabled. The topic access policy update replaces a topic's whole list, so one resource
//! holds one topic's list; it is read through the topic's access policy query. Its id is
//! `<instance_id>/<topic_name>`, also the import id.

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};
use tf_provider::value::ValueAny;

use hwapi::contract::kafka::{self as c, INSTANCE_ID, TOPIC_NAME};

use crate::engine::change::{Change, Send};
use crate::engine::data::Listing;
use crate::engine::defaults::{call_for, member_id_check, parts, planned_id};
use crate::engine::field::{Codec, Field, Read};
use crate::engine::timeouts::Timeouts;
use crate::engine::{Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};

const VIA: &[&hwapi::contract::Op] = &[&c::POLICY_UPDATE];

static POLICY: [Field; 2] = [
    Field::string("user_name", "User the policy grants access to (a `huaweicloud_dms_kafka_user`).").required(),
    Field::string("access_policy", "`all` (produce and consume), `pub` (produce) or `sub` (consume).").required(),
];

static FIELDS: [Field; 3] = [
    Field::string("instance_id", "ID of the Kafka instance (with SASL enabled).")
        .required()
        .not_in_body()
        .checks(INSTANCE_ID),
    Field::string("topic_name", "Name of the topic.")
        .required()
        .not_in_body()
        .checks(TOPIC_NAME)
        .read(Read::Path("name")),
    Field::blocks(
        "policies",
        &POLICY,
        500,
        "The topic's access policies, one per user (a set: their order does not matter). The topic's whole list: \
a policy added elsewhere shows as drift. The owner's policy (of the user that created the topic) is not part of it.",
    )
    .in_place_by(VIA)
    .codec(Codec::Unordered),
];

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_permissions",
    description: "Manages the access policies of one topic of a DMS for Kafka instance with SASL enabled: which \
users may produce to it and consume from it.",
    fields: &FIELDS,
    rules: &[],
    timeouts: Timeouts::minutes(10, 10, 10),
    id_check: member_id_check!("`<instance_id>/<topic_name>`", INSTANCE_ID, TOPIC_NAME),
    identity: "topic_name",
    health: Health::NONE,
    busy: c::ERRORS.busy,
    read_by: &c::POLICY_SHOW,
    create: &c::POLICY_UPDATE,
    ops: &[&c::POLICY_UPDATE, &c::POLICY_SHOW],
    noun: "Kafka topic's access policies",
    scope: &["instance_id"],
    // No data source: the resource's read is its topic's list.
    listing: Listing { op: &c::POLICY_SHOW, attribute: "", filters: &[] },
    changes: &[Change::new(&c::POLICY_UPDATE, Send::Changed { together: &[], shape: Some(one_topic), wait: false })],
    import_note: "",
};

/// The update takes a list of topics, each with its whole list of policies.
fn one_topic(changes: Map<String, Json>, id: &str) -> Json {
    json!({ "topics": [{ "name": parts(id).1, "policies": changes.get("policies").cloned().unwrap_or(json!([])) }] })
}

/// A policy's (user, access) from the state or the API.
fn policies(v: &Json) -> Vec<Json> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|p| json!({"user_name": p["user_name"], "access_policy": p["access_policy"]}))
        .collect()
}

#[derive(Clone, Copy)]
pub struct DmsKafkaPermissions;

#[async_trait]
impl Hooks for DmsKafkaPermissions {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    /// The update call, for the topic's whole list.
    async fn create(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Created, Error> {
        let id = planned_id(&DEF, plan);
        let body = crate::engine::value::body(&FIELDS, plan);
        let call =
            call_for(&DEF, &c::POLICY_UPDATE, &id).body(one_topic(body.as_object().cloned().unwrap_or_default(), &id));
        let r = ctx.send(call.idempotent(true)).await?;
        Ok(Created { id, answer: r.body })
    }

    /// The topic's policies without the owner's (which the topic's creation made, not this resource).
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        let Some(r) = ctx.send_or_gone(call_for(&DEF, &c::POLICY_SHOW, id)).await? else { return Ok(None) };
        let mut shown = r.body;
        let kept: Vec<Json> =
            shown["policies"].as_array().into_iter().flatten().filter(|p| p["owner"] != json!(true)).cloned().collect();
        shown["policies"] = Json::Array(kept);
        shown["instance_id"] = json!(parts(id).0);
        Ok(Some(shown))
    }

    /// A topic whose list already holds policies is managed elsewhere (or was left by an interrupted
    /// run): the create would overwrite them, so it is reported as existing, to import.
    async fn find_existing(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Vec<Existing>, Error> {
        let id = planned_id(&DEF, plan);
        match self.read(ctx, &id).await? {
            Some(shown) if shown["policies"].as_array().is_some_and(|p| !p.is_empty()) => {
                Ok(vec![Existing::listed(id, Some("with policies".into()), None)])
            }
            _ => Ok(vec![]),
        }
    }

    /// The topic's list without exactly this resource's policies (those added elsewhere stay).
    async fn delete(&self, ctx: &Ctx, id: &str, state: &ValueAny) -> Result<(), Error> {
        let Some(now) = self.read(ctx, id).await? else { return Ok(()) };
        let ours = policies(&crate::engine::value::body(&FIELDS, state)["policies"]);
        let rest: Vec<Json> = policies(&now["policies"]).into_iter().filter(|p| !ours.contains(p)).collect();
        let body = one_topic(Map::from_iter([("policies".to_string(), Json::Array(rest))]), id);
        ctx.send_or_gone(call_for(&DEF, &c::POLICY_UPDATE, id).body(body).idempotent(true)).await?;
        Ok(())
    }
}
