//! `huaweicloud_iotda_instance`: an IoT Device Access instance.
//! Arguments mirror "Create an IoTDA Instance" (request Tables 3-8), computed attributes
//! mirror "Query Instance Details" (Table 2).

use async_trait::async_trait;
use serde_json::{json, Value as Json};
use tf_provider::value::ValueAny;

use hwapi::contract::iotda::{self as c, INSTANCE_ID};
use hwapi::contract::Op;

use crate::client::Call;
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Codec, Field, Read};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::{as_str, body, get, get_path, single};
use crate::engine::{Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};
use crate::waiter::{self, Schedule, Seen, StatusTable};

/// The list's largest page.
const PAGE: usize = 500;
const VIA_PUT: &[&Op] = &[&c::UPDATE];

static FLAVOR: [Field; 2] = [
    Field::string(
        "type",
        "Specification name of the instance, e.g. `iotda.standard.s1` (see the IoTDA specifications).",
    )
    .required(),
    Field::int("size", "Number of units of a standard instance. Required when `instance_type` is `standard`."),
];

/// Only the payment mode is fixed at creation; the other billing settings only shape the order placed
/// then, so a later change of them is recorded in the state without an API call.
static CHARGE_INFO: [Field; 6] = [
    Field::string("charge_mode", "Payment mode: `prePaid` (yearly/monthly) or `postPaid` (pay-per-use).")
        .required()
        .read(Read::Path("charge_mode")),
    Field::string("period_type", "Subscription period type, `month` or `year`. Required for, and only valid with, `prePaid`. A later change is recorded without an API call.")
        .write_only()
        .in_place(),
    Field::int("period_num", "Number of periods: 1-9 for `month`, 1-3 for `year`. Required for, and only valid with, `prePaid`. A later change is recorded without an API call.")
        .write_only()
        .in_place(),
    Field::bool("is_auto_renew", "Whether a yearly/monthly subscription renews automatically (default false). Only valid with `prePaid`. A later change is recorded without an API call.")
        .write_only()
        .in_place(),
    Field::bool("is_auto_pay", "Whether the orders of a yearly/monthly instance (creation, resize) are paid automatically from the account balance (default false). Only valid with `prePaid`. Without it the instance stays `TRADING` until its order is paid in the Billing Center: the apply waits for that within the create timeout, and names the order. A later change is recorded without an API call.")
        .write_only()
        .in_place(),
    Field::string("promotion_infos", "Promotion information for the order of a yearly/monthly instance. Only shapes the \
order placed at creation: a later change is recorded without an API call.")
        .write_only()
        .in_place(),
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
    Field::string("security_group_id", "Security group ID of the enterprise instance (ports 22, 3389 and ICMP must be open).")
        .required(),
    Field::string("smn_topic_urn", "SMN topic URN notified when the enterprise instance has been created. The topic is only \
used at creation: a later change is recorded without an API call.")
        .write_only()
        .in_place(),
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
    Field::string(
        "type",
        "Access address type: APP_HTTPS, APP_AMQP, APP_MQTT, DEVICE_COAP, DEVICE_MQTT or DEVICE_HTTPS.",
    ),
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
static FORWARDING_INFO: [Field; 2] =
    [Field::string("eip", "EIP bound to the NAT gateway."), Field::bool("enable_snat", "Whether SNAT is enabled.")];

static FIELDS: [Field; 18] = [
    Field::string("instance_type", "Type of the instance: `standard` or `enterprise`.").required(),
    Field::block("flavor", &FLAVOR, "Specifications of the instance.").required().in_place_by(&[&c::RESIZE]),
    Field::string("name", "Instance name.").required().in_place_by(VIA_PUT),
    Field::block("charge_info", &CHARGE_INFO, "Billing information of the instance.").required(),
    Field::string("description", "Description.").in_place_by(VIA_PUT).codec(Codec::EmptyIsNull),
    Field::string("enterprise_project_id", "Enterprise project ID (`0` is the default project).").optional_computed(),
    Field::map("tags", "Tags of the instance.").in_place_by(&[&c::UNBIND_TAGS, &c::BIND_TAGS]).codec(Codec::TagList),
    Field::block(
        "additional_params",
        &ADDITIONAL_PARAMS,
        "Network and ports of an enterprise instance. Required when `instance_type` is `enterprise`.",
    ),
    Field::string("status", "Instance status: CREATING, ACTIVE, FROZEN, TRADING, MODIFYING, MODIFY_FAILED or FAILED.")
        .computed(),
    Field::string("region_id", "Region of the instance.").computed(),
    Field::object_list("access_infos", &ACCESS_INFO, "Access information (addresses and ports per protocol)."),
    Field::string("create_time", "Creation time, e.g. `2023-01-28T06:57:52Z`.").computed(),
    Field::string("update_time", "Last update time, e.g. `2023-01-28T06:57:52Z`.").computed().volatile(),
    Field::string("order_id", "Order ID (yearly/monthly instances).").computed(),
    Field::object(
        "operate_window",
        &OPERATE_WINDOW,
        "Maintenance window during which specification changes run, e.g. `{ start_time = \"22:00\", end_time = \"24:00\" }`. \
When unset, the window the service chooses is kept and shown. The create call does not take it: a configured window \
is set by the update call once the instance is ready.",
    )
    .optional_computed()
    .in_place_by(VIA_PUT),
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

/// TRADING (an order awaiting payment) is transitional: the wait goes on until it is paid.
/// ACTIVE ends the wait; an order awaiting payment (TRADING, ready for changes) does not.
const READY: StatusTable = StatusTable {
    target: &["ACTIVE"],
    failure: &[c::STATUSES.failed, c::STATUSES.create_failed],
    gone_is_success: false,
};
const GONE: StatusTable = StatusTable::GONE;

#[derive(Clone, Copy)]
pub struct IotdaInstance;

/// What a poll reads of the show answer.
#[derive(serde::Deserialize)]
struct Shown {
    status: String,
    order_id: Option<String>,
}

/// An entry of the task list.
#[derive(serde::Deserialize)]
struct Task {
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    status_detail: Option<String>,
    create_time: Option<String>,
}

/// An entry of the instance list (QueryInstanceSimplify): the id and name identify it; the rest is shown.
#[derive(serde::Deserialize)]
struct Listed {
    instance_id: String,
    name: String,
    status: Option<String>,
    create_time: Option<Json>,
}

/// The instances whose unpaid order this process has warned about.
static WARNED_ORDERS: std::sync::Mutex<std::collections::BTreeSet<String>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// A call about one instance.
fn at(op: &'static Op, id: &str) -> Call {
    Call::to(op).arg("instance_id", id)
}

impl IotdaInstance {
    async fn poll(ctx: &Ctx, id: &str) -> Result<Seen, crate::client::ApiError> {
        Self::poll_keeping(ctx, id, &std::sync::Mutex::new(None)).await
    }

    /// A poll that keeps the show answer in `last`.
    async fn poll_keeping(
        ctx: &Ctx,
        id: &str,
        last: &std::sync::Mutex<Option<Json>>,
    ) -> Result<Seen, crate::client::ApiError> {
        let Some(r) = ctx.send_or_gone(at(&c::SHOW, id)).await? else {
            return Ok(Seen::Gone);
        };
        let shown: Shown = r.parse()?;
        *last.lock().unwrap_or_else(|e| e.into_inner()) = Some(r.body.clone());
        let status = shown.status;
        let detail = if c::STATUSES.is_failure(&status) {
            Self::failed_task(ctx, id).await
        } else if status == "TRADING" {
            let order = shown.order_id.filter(|o| !o.is_empty()).unwrap_or_else(|| "?".into());
            let detail = format!(
                "order {order} awaits payment: pay it in the Billing Center (Orders > My Orders), or set \
charge_info.is_auto_pay = true for orders to be paid from the account balance"
            );
            // Once per apply and instance at warn level: a wait polls up to every 10 s.
            if WARNED_ORDERS.lock().map(|mut w| w.insert(id.to_string())).unwrap_or(true) {
                tracing::warn!("IoTDA instance {id}: {detail}");
            } else {
                tracing::debug!("IoTDA instance {id}: {detail}");
            }
            Some(detail)
        } else {
            None
        };
        Ok(Seen::Status { status, detail })
    }

    /// Why the instance failed: the detail of its most recent failed task, when the task list says.
    async fn failed_task(ctx: &Ctx, id: &str) -> Option<String> {
        let r = ctx.send(at(&c::TASKS, id)).await.ok()?;
        let tasks: Vec<Task> = r.parse_list("tasks").ok()?;
        let failed = tasks
            .into_iter()
            .filter(|t| t.status.as_deref() == Some("FAILED"))
            .max_by(|a, b| a.create_time.cmp(&b.create_time))?;
        let kind = failed.kind.unwrap_or_else(|| "task".into());
        let detail = failed.status_detail.unwrap_or_else(|| "no detail given".into());
        Some(format!("{kind} task failed: {detail}"))
    }

    /// Send a call that changes the instance, waiting for ACTIVE and resending while it is busy.
    async fn send_when_idle(ctx: &Ctx, id: &str, call: Call) -> Result<(), Error> {
        ctx.send_when_idle(call, DEF.busy, || Self::wait(ctx, id, &READY)).await
    }

    async fn wait(ctx: &Ctx, id: &str, table: &StatusTable) -> Result<(), Error> {
        waiter::wait(&DEF.label(id), table, Schedule::configured(), ctx.deadline, || Self::poll(ctx, id)).await?;
        Ok(())
    }

    /// Every entry of every page of the list with `query`. The next page follows the marker until a page
    /// comes back empty (whatever the service's largest page is); a repeated page ends the walk with an error.
    async fn list_pages(ctx: &Ctx, query: &[(&str, &str)]) -> Result<Vec<Listed>, Error> {
        let list = |marker: Option<&str>| {
            let call = query.iter().fold(Call::to(&c::LIST), |call, (k, v)| call.query(*k, *v));
            let call = call.query("limit", PAGE.to_string());
            match marker {
                Some(m) => call.query("marker", m),
                None => call,
            }
        };
        ctx.list_all(list(None), "instances", |answer, _| {
            let page = answer.get("instances").and_then(Json::as_array).map_or(0, Vec::len);
            answer.get("marker").and_then(Json::as_str).filter(|m| page > 0 && !m.is_empty()).map(|m| list(Some(m)))
        })
        .await
    }
}

#[async_trait]
impl Hooks for IotdaInstance {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    async fn create(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Created, Error> {
        ctx.create_instance(Call::to(&c::CREATE).body(body(&FIELDS, plan))).await
    }

    /// The last poll's show answer is the instance: no read repeats it.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        let last = std::sync::Mutex::new(None);
        let poll = || Self::poll_keeping(ctx, &created.id, &last);
        waiter::wait(&DEF.label(&created.id), &READY, Schedule::configured(), ctx.deadline, poll).await?;
        Ok(last.into_inner().unwrap_or_else(|e| e.into_inner()))
    }

    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        Ok(ctx.send_or_gone(at(&c::SHOW, id)).await?.map(|r| r.body))
    }

    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        Self::wait(ctx, id, &READY).await
    }

    /// The resize: the new flavor, paid as configured (a yearly/monthly resize places an order; unpaid,
    /// the wait names it), then waited for.
    async fn apply_change(
        &self,
        ctx: &Ctx,
        id: &str,
        _change: &Change,
        _prior: &ValueAny,
        plan: &ValueAny,
    ) -> Result<(), Error> {
        let mut resize = json!({ "flavor": body(&FLAVOR, single(get(plan, "flavor"))) });
        if let ValueAny::Bool(pay) = get_path(plan, &["charge_info", "is_auto_pay"]) {
            resize["is_auto_pay"] = json!(pay);
        }
        Self::send_when_idle(ctx, id, at(&c::RESIZE, id).body(resize)).await?;
        Self::wait(ctx, id, &READY).await
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &ValueAny) -> Result<(), Error> {
        match ctx.send_or_gone(at(&c::DELETE, id)).await? {
            None => Ok(()),
            Some(_) => Self::wait(ctx, id, &GONE).await,
        }
    }

    /// Every page of the list with the filters; the list lacks most attributes, so each instance is
    /// then read through its show call.
    async fn list(&self, ctx: &Ctx, filters: &ValueAny) -> Result<Vec<(String, Json)>, Error> {
        let query: Vec<(&str, &str)> =
            ["name", "instance_type"].into_iter().filter_map(|n| Some((n, as_str(get(filters, n))?))).collect();
        let items = Self::list_pages(ctx, &query).await?;
        let mut out = Vec::new();
        for item in items {
            if let Some(shown) = self.read(ctx, &item.instance_id).await? {
                out.push((item.instance_id, shown));
            }
        }
        Ok(out)
    }

    /// The list's name filter is a fuzzy match: every page is read and the names compared exactly.
    /// IoTDA has no deleting status, so every listed instance is live.
    async fn find_existing(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Vec<Existing>, Error> {
        let Some(name) = as_str(get(plan, "name")) else { return Ok(vec![]) };
        let items = Self::list_pages(ctx, &[("name", name)]).await?;
        Ok(items
            .into_iter()
            .filter(|i| i.name == name)
            .map(|i| Existing::listed(i.instance_id, i.status, i.create_time.as_ref()))
            .collect())
    }

    fn destroy_blocker(&self, state: &ValueAny) -> Option<String> {
        (get_path(state, &["charge_info", "charge_mode"]) == &ValueAny::String("prePaid".into())).then(|| {
            "it is a yearly/monthly (prePaid) instance, which the API cannot delete. Unsubscribe it in the Billing Center \
(Billing Center > Orders > Unsubscriptions), then remove it from the state with `terraform state rm`."
                .to_string()
        })
    }
}
