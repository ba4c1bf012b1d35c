//! `huaweicloud_dms_kafka_permissions`: the access policies of one topic of a DMS for Kafka instance
//! with SASL enabled. The topic access policy update replaces a topic's whole list, so one resource
//! holds one topic's list, sent as the update's one topic (`kafka::POLICY_SET`); it is read through
//! the topic's access policy query. Its id is `<instance_id>/<topic_name>`, also the import id.

use async_trait::async_trait;
use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::kafka::{self as c, INSTANCE_ID, TOPIC_NAME};

use crate::engine::change::{Change, Send};
use crate::engine::data::Listing;
use crate::engine::defaults::{call_for, member_id_check, parts, planned_id};
use crate::engine::field::{Codec, Field};
use crate::engine::timeouts::Timeouts;
use crate::engine::{Ctx, Error, Existing, Health, Hooks, ResourceDef};

const VIA: &[&hwapi::contract::Op] = &[&c::POLICY_SET];

static POLICY: [Field; 2] = [
    Field::string("user_name", "User the policy grants access to (a `huaweicloud_dms_kafka_user`).").required(),
    Field::string("access_policy", "`all` (produce and consume), `pub` (produce) or `sub` (consume).").required(),
];

static FIELDS: [Field; 3] = [
    Field::string("instance_id", "ID of the Kafka instance (with SASL enabled).")
        .required()
        .not_in_body()
        .checks(INSTANCE_ID),
    Field::string("topic_name", "Name of the topic.").required().api("name"),
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
    create: &c::POLICY_SET,
    shapes: &[],
    ops: &[&c::POLICY_SET, &c::POLICY_SHOW],
    noun: "Kafka topic's access policies",
    scope: &["instance_id"],
    // No data source: the resource's read is its topic's list.
    listing: Listing { op: &c::POLICY_SHOW, attribute: "", filters: &[] },
    // The topic's name goes with every change: the update names the topic whose list it replaces.
    changes: &[Change::new(
        &c::POLICY_SET,
        Send::Changed { together: &["topic_name", "policies"], shape: None, wait: false },
    )],
    import_note: "",
};

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
    async fn find_existing(&self, ctx: &Ctx, plan: &TfValue) -> Result<Vec<Existing>, Error> {
        let id = planned_id(&DEF, plan);
        match self.read(ctx, &id).await? {
            Some(shown) if shown["policies"].as_array().is_some_and(|p| !p.is_empty()) => {
                Ok(vec![Existing::listed(id, Some("with policies".into()), None)])
            }
            _ => Ok(vec![]),
        }
    }

    /// The topic's list without exactly this resource's policies (those added elsewhere stay).
    async fn delete(&self, ctx: &Ctx, id: &str, state: &TfValue) -> Result<(), Error> {
        let Some(now) = self.read(ctx, id).await? else { return Ok(()) };
        let ours = policies(&crate::engine::value::body(&FIELDS, state)["policies"]);
        let rest: Vec<Json> = policies(&now["policies"]).into_iter().filter(|p| !ours.contains(p)).collect();
        let body = json!({ "name": parts(id).1, "policies": rest });
        ctx.send_or_gone(call_for(&DEF, &c::POLICY_SET, id).body(body).idempotent(true)).await?;
        Ok(())
    }
}
