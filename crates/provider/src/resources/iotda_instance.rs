//! `huaweicloud_iotda_instance`: an IoT Device Access instance. Arguments mirror "Create an IoTDA
//! Instance" (request Tables 3-8), computed attributes "Query Instance Details" (Table 2).

use async_trait::async_trait;
use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::iotda::{self as c, INSTANCE_ID};

use crate::client::{ApiError, Call};
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Codec, Field, Read};
use crate::engine::listed::{find_named, list_with, Lookup};
use crate::engine::polling::{delete_then, until, wait_status, warn_once};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::{as_str, body, get, get_path, single};
use crate::engine::{tags::tags_all, Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};
use crate::waiter::{Seen, StatusTable};

static FLAVOR: [Field; 2] = [
    Field::string("type", "Specification name, e.g. `iotda.standard.s1` (see the IoTDA specifications).").required(),
    Field::int("size", "Number of units of a standard instance. Required when `instance_type` is `standard`."),
];

/// A setting that only shapes what is ordered at creation: a later change is only recorded.
const fn at_creation(f: Field) -> Field {
    f.write_only().in_place()
}

static CHARGE_INFO: [Field; 6] = [
    Field::string(
        "charge_mode",
        "Payment mode: `prePaid` (yearly/monthly) or `postPaid` (pay-per-use), fixed at creation. The other settings \
only shape the orders placed then: a later change of them is recorded without an API call.",
    )
    .required()
    .read(Read::Path("charge_mode")),
    at_creation(Field::string("period_type", "Period type, `month` or `year`. Required for `prePaid` only.")),
    at_creation(Field::int("period_num", "Number of periods: 1-9 months or 1-3 years. Required for `prePaid` only.")),
    at_creation(Field::bool("is_auto_renew", "Whether a `prePaid` subscription renews automatically (default false).")),
    at_creation(Field::bool(
        "is_auto_pay",
        "Whether the orders of a `prePaid` instance (creation, resize) are paid automatically from the account \
balance (default false). Without it the instance stays `TRADING` until its order is paid in the Billing Center: the \
apply waits for that within the create timeout, and names the order.",
    )),
    at_creation(Field::string("promotion_infos", "Promotion information for the order of a `prePaid` instance.")),
];

static PORT_INFO: [Field; 8] = [
    Field::int("app_https_port", "HTTPS port for application access (default 443)."),
    Field::int("app_amqps_port", "AMQP port for application access (default 5671)."),
    Field::int("app_mqtts_port", "MQTTS port for application access (default 8883)."),
    Field::int("device_coap_port", "CoAP port for device access (default 5683)."),
    Field::int("device_coaps_port", "CoAPS port for device access (default 5684)."),
    Field::int("device_mqtt_port", "MQTT port for device access (default 1883)."),
    Field::int("device_mqtts_port", "MQTTS port for device access (default 8883)."),
    Field::int("device_https_port", "HTTPS port for device access (default 443)."),
];

static ADDITIONAL_PARAMS: [Field; 6] = [
    Field::string("vpc_id", "VPC ID of the enterprise instance.").required(),
    Field::string("subnet_id", "Subnet ID of the enterprise instance.").required(),
    Field::string("security_group_id", "Security group ID (ports 22, 3389 and ICMP must be open).").required(),
    at_creation(Field::string("smn_topic_urn", "SMN topic URN notified when the enterprise instance has been created; a later change is only recorded.")),
    Field::string("ciphering_algorithm", "Encryption algorithms the instance supports: `COMMON_ALGORITHM` (RSA, SHA-256, ...) or `SM_ALGORITHM` (SM2, SM3, SM4).")
        .optional_computed(),
    Field::block("port_info", &PORT_INFO, "Ports of the enterprise instance.").required().write_only(),
];

static IP_ALLOW: [Field; 2] =
    [Field::string("address", "Whitelisted IP address."), Field::string("description", "Description.")];
static IP_WHITELIST: [Field; 2] = [
    Field::bool("enable", "Whether IP whitelist access control is enabled."),
    Field::object_list("allow_list", &IP_ALLOW, "IP addresses allowed to access the instance."),
];
static ACCESS_INFO: [Field; 9] = [
    Field::string("type", "Access type: APP_HTTPS, APP_AMQP, APP_MQTT, DEVICE_COAP, DEVICE_MQTT or DEVICE_HTTPS."),
    Field::int("port", "Secure access port."),
    Field::int("non_tls_port", "Non-secure access port (null when not supported)."),
    Field::int("websocket_port", "WebSocket-based MQTT access port (null when not supported)."),
    Field::string("domain_name", "Access domain name."),
    Field::list("private_addresses", "Private network access addresses."),
    Field::list("public_address", "Public access addresses."),
    Field::list("ipv6_address", "IPv6 access addresses."),
    Field::object("ip_whitelist", &IP_WHITELIST, "IP address whitelist (enterprise instances, application protocols)."),
];
static OPERATE_WINDOW: [Field; 2] = [
    Field::string("start_time", "Start of the window, UTC `HH:mm`.").required(),
    Field::string("end_time", "End of the window, UTC `HH:mm`; `24:00` is the end of the day.").required(),
];
const WINDOW: &str = "Maintenance window during which specification changes run, e.g. \
`{ start_time = \"22:00\", end_time = \"24:00\" }`. When unset, the window the service chooses is kept and shown. The \
create call does not take it: a configured window is set by the update call once the instance is ready.";
static FORWARDING_INFO: [Field; 2] =
    [Field::string("eip", "EIP bound to the NAT gateway."), Field::bool("enable_snat", "Whether SNAT is enabled.")];

static FIELDS: [Field; 19] = [
    Field::string("instance_type", "Type of the instance: `standard` or `enterprise`.").required(),
    Field::block("flavor", &FLAVOR, "Specifications of the instance.").required().in_place_by(&[&c::RESIZE]),
    Field::string("name", "Instance name.").required().in_place_by(&[&c::UPDATE]),
    Field::block("charge_info", &CHARGE_INFO, "Billing information of the instance.").required(),
    Field::string("description", "Description.").in_place_by(&[&c::UPDATE]).codec(Codec::EmptyIsNull),
    Field::string("enterprise_project_id", "Enterprise project ID (`0` is the default project).").optional_computed(),
    Field::map("tags", "Tags of the instance.").in_place_by(&[&c::UNBIND_TAGS, &c::BIND_TAGS]).codec(Codec::TagList),
    tags_all(),
    Field::block("additional_params", &ADDITIONAL_PARAMS, "Network and ports (required for `enterprise`)."),
    Field::string("status", "Status: CREATING, ACTIVE, FROZEN, TRADING, MODIFYING, MODIFY_FAILED or FAILED.")
        .computed(),
    Field::string("region_id", "Region of the instance.").computed(),
    Field::object_list("access_infos", &ACCESS_INFO, "Access information (addresses and ports per protocol)."),
    Field::string("create_time", "Creation time, e.g. `2023-01-28T06:57:52Z`.").computed(),
    Field::string("update_time", "Last update time, e.g. `2023-01-28T06:57:52Z`.").computed().volatile(),
    Field::string("order_id", "Order ID (yearly/monthly instances).").computed(),
    Field::object("operate_window", &OPERATE_WINDOW, WINDOW).optional_computed().in_place_by(&[&c::UPDATE]),
    Field::object("forwarding_info", &FORWARDING_INFO, "SNAT configuration of an enterprise instance.")
        .read(Read::Path("additional_params.forwarding_info")),
    Field::string("charge_mode", "Payment mode reported by the API.").computed(),
    Field::string("instance_id", "Instance ID reported by the API (same as `id`).").computed(),
];

pub static DEF: ResourceDef = ResourceDef {
    name: "iotda_instance",
    description: "Manages an IoTDA (IoT Device Access) instance: a standard or enterprise instance that devices and applications connect to.",
    fields: &FIELDS,
    rules: &[],
    timeouts: Timeouts::minutes(30, 30, 20),
    id_check: Check::Pattern("up to 36 lowercase letters a-f, digits and hyphens", |id| {
        INSTANCE_ID.iter().all(|c| c.text(id).is_none())
    }),
    identity: "name",
    busy: c::ERRORS.busy,
    health: Health::of(&c::STATUSES),
    read_by: &c::SHOW,
    create: &c::CREATE,
    shapes: &[],
    ops: &[&c::CREATE, &c::SHOW, &c::UPDATE, &c::RESIZE, &c::BIND_TAGS, &c::UNBIND_TAGS, &c::DELETE, &c::TASKS, &c::LIST],
    noun: "IoTDA instance",
    scope: &[],
    listing: Listing {
        op: &c::LIST,
        attribute: "instances",
        filters: &[
            Filter::new("name", FilterKind::Str, "Instance name; the list API matches it fuzzily (as part of the name)."),
            Filter::new("instance_type", FilterKind::Str, "Instance type: `standard` or `enterprise`."),
        ],
    },
    changes: &[
        Change::changed(&c::UPDATE),
        Change::new(&c::UNBIND_TAGS, Send::TagsRemoved),
        Change::new(&c::BIND_TAGS, Send::TagsAdded),
        Change::new(&c::RESIZE, Send::Hook),
    ],
    import_note: "`operate_window` is imported as the service shows it (the window it chose, if none was set).",
};

/// ACTIVE ends a wait; an order awaiting payment (TRADING, ready for changes) does not, until paid.
const READY: StatusTable = until(&["ACTIVE"], &[c::STATUSES.failed, c::STATUSES.create_failed]);
/// The names are compared exactly (the list's filter is fuzzy); IoTDA has no deleting status.
static LOOKUP: Lookup =
    Lookup { op: &c::LIST, id: "instance_id", created: "create_time", statuses: &c::STATUSES, scope: &[] };

const PREPAID: &str = "it is a yearly/monthly (prePaid) instance, which the API cannot delete. Unsubscribe it in the \
Billing Center (Billing Center > Orders > Unsubscriptions), then remove it from the state with `terraform state rm`.";

#[derive(Clone, Copy)]
pub struct IotdaInstance;

/// What a poll saw, with why: a failure's detail is that of the most recent failed task; TRADING names
/// the order awaiting payment (no declaration says how an order is paid, nor where its id is shown).
async fn judge(ctx: &Ctx, id: &str, status: String, shown: Json) -> Result<Seen, ApiError> {
    let detail = if c::STATUSES.is_failure(&status) {
        failed_task(ctx, id).await
    } else if status == "TRADING" {
        let order = shown["order_id"].as_str().filter(|o| !o.is_empty()).unwrap_or("?");
        let detail = format!(
            "order {order} awaits payment: pay it in the Billing Center (Orders > My Orders), or set \
charge_info.is_auto_pay = true for orders to be paid from the account balance"
        );
        warn_once(&DEF.label(id), &detail);
        Some(detail)
    } else {
        None
    };
    Ok(Seen::Status { status, detail })
}

/// Why the instance failed: the detail of its most recent failed task, when the task list says.
async fn failed_task(ctx: &Ctx, id: &str) -> Option<String> {
    let r = ctx.send(Call::to(&c::TASKS).arg("instance_id", id)).await.ok()?;
    let tasks: Vec<Json> = r.parse_list(c::TASKS.items).ok()?;
    let failed = tasks.iter().filter(|t| t["status"] == "FAILED").max_by_key(|t| t["create_time"].as_str())?;
    let (kind, detail) = (failed["type"].as_str().unwrap_or("task"), failed["status_detail"].as_str());
    Some(format!("{kind} task failed: {}", detail.unwrap_or("no detail given")))
}

/// Wait until `table` ends the wait, polling the show call: its last answer.
async fn wait(ctx: &Ctx, id: &str, table: &StatusTable) -> Result<Option<Json>, Error> {
    wait_status(ctx, &DEF, (&c::SHOW, &c::STATUSES), id, table, |status, shown| judge(ctx, id, status, shown)).await
}

#[async_trait]
impl Hooks for IotdaInstance {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    /// The last poll's show answer is the instance: no read repeats it.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        wait(ctx, &created.id, &READY).await
    }

    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        wait(ctx, id, &READY).await.map(drop)
    }

    /// The resize: the new flavor, paid as `charge_info.is_auto_pay` says (a yearly/monthly resize places
    /// an order; unpaid, the wait names it), then waited for. The payment comes from an argument the
    /// resize does not carry: no declaration expresses it.
    async fn apply_change(&self, ctx: &Ctx, id: &str, _: &Change, _: &TfValue, plan: &TfValue) -> Result<(), Error> {
        let mut resize = json!({ "flavor": body(&FLAVOR, single(get(plan, "flavor"))) });
        if let TfValue::Bool(pay) = get_path(plan, &["charge_info", "is_auto_pay"]) {
            resize["is_auto_pay"] = json!(pay);
        }
        let call = Call::to(&c::RESIZE).arg("instance_id", id).body(resize);
        ctx.send_when_idle(call, DEF.busy, || self.settle(ctx, id)).await?;
        self.settle(ctx, id).await
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &TfValue) -> Result<(), Error> {
        let call = Call::to(&c::DELETE).arg("instance_id", id);
        delete_then(ctx, call, &[], || self.settle(ctx, id), || wait(ctx, id, &StatusTable::GONE)).await
    }

    /// The list lacks most attributes: each listed instance is read through its show call.
    async fn list(&self, ctx: &Ctx, filters: &TfValue) -> Result<Vec<(String, Json)>, Error> {
        list_with(ctx, &c::LIST, LOOKUP.id, filters, |id, _| async move { self.read(ctx, &id).await }).await
    }

    async fn find_existing(&self, ctx: &Ctx, plan: &TfValue) -> Result<Vec<Existing>, Error> {
        find_named(ctx, &DEF, &LOOKUP, plan, vec![]).await
    }

    /// The API cannot delete a yearly/monthly instance: the Billing Center unsubscribes it.
    fn destroy_blocker(&self, state: &TfValue) -> Option<String> {
        let prepaid = as_str(get_path(state, &["charge_info", "charge_mode"])) == Some("prePaid");
        prepaid.then(|| PREPAID.to_string())
    }
}
