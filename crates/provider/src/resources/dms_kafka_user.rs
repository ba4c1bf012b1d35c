//! `huaweicloud_dms_kafka_user`: a SASL user of a DMS for Kafka instance (the SDK's
//! CreateInstanceUserReq). Read from the instance's user list; the password is reset and the
//! description updated in place; deleted through the batch user delete. Its id is
//! `<instance_id>/<name>`, also the import id.

use async_trait::async_trait;
use serde_json::json;
use tfplugin::framework::TfValue;

use hwapi::contract::kafka::{self as c, INSTANCE_ID, USER_NAME};

use crate::engine::change::Change;
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::defaults::{call_for, member_id_check, parts};
use crate::engine::field::{Codec, Field};
use crate::engine::timeouts::Timeouts;
use crate::engine::{Ctx, Error, Health, Hooks, ResourceDef};

static FIELDS: [Field; 9] = [
    Field::string("instance_id", "ID of the Kafka instance the user belongs to (an instance with SASL enabled).")
        .required()
        .not_in_body()
        .checks(INSTANCE_ID),
    Field::string("name", "User name (the API's `user_name`).").required().api("user_name"),
    Field::string("password", "Password (the API's `user_passwd`); a change resets it in place.")
        .sensitive()
        .api("user_passwd")
        .write_only()
        .in_place_by(&[&c::USER_RESET_PASSWORD])
        .sent_as("new_password"),
    Field::write_only_twin("password_wo", "password").required_one(),
    Field::twin_version("password_wo_version", "password"),
    Field::string("description", "Description (the API's `user_desc`); a change is made in place.")
        .api("user_desc")
        .in_place_by(&[&c::USER_UPDATE])
        .codec(Codec::EmptyIsNull),
    Field::string("role", "Role the service gives the user.").computed(),
    Field::bool("default_app", "Whether the user is the instance's default application user.").computed(),
    Field::int("created_time", "Creation time, milliseconds since the Unix epoch.").computed(),
];

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_user",
    description: "Manages a user of a DMS for Kafka instance with SASL enabled: clients authenticate as it, and \
`huaweicloud_dms_kafka_permissions` grants it access to topics.",
    fields: &FIELDS,
    rules: &[],
    timeouts: Timeouts::minutes(10, 10, 10),
    id_check: member_id_check!("`<instance_id>/<user name>`", INSTANCE_ID, USER_NAME),
    identity: "name",
    health: Health::NONE,
    busy: c::ERRORS.busy,
    read_by: &c::USER_LIST,
    create: &c::USER_CREATE,
    shapes: &[],
    ops: &[&c::USER_CREATE, &c::USER_LIST, &c::USER_RESET_PASSWORD, &c::USER_UPDATE, &c::USER_DELETE],
    noun: "Kafka user",
    scope: &["instance_id"],
    listing: Listing {
        op: &c::USER_LIST,
        attribute: "users",
        filters: &[
            Filter::new("instance_id", FilterKind::Str, "ID of the Kafka instance whose users to list.").required()
        ],
    },
    changes: &[Change::changed(&c::USER_RESET_PASSWORD), Change::changed(&c::USER_UPDATE)],
    import_note: "The API never shows a password: an import leaves `password` empty, so the first apply after it \
resets the password to the configured one.",
};

#[derive(Clone, Copy)]
pub struct DmsKafkaUser;

#[async_trait]
impl Hooks for DmsKafkaUser {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    /// The batch delete of this one user; a user already gone is no error.
    async fn delete(&self, ctx: &Ctx, id: &str, _state: &TfValue) -> Result<(), Error> {
        let call = call_for(&DEF, &c::USER_DELETE, id).body(json!({ "users": [parts(id).1] }));
        ctx.send_or_gone(call.idempotent(true)).await?;
        Ok(())
    }
}
