//! `huaweicloud_clouddc_instance`: a CloudDC iMetal (bare-metal) instance.
//! Arguments mirror "Creating an Instance" (POST /v1/{project_id}/instances); computed attributes come
//! from the instance list (there is no single-instance GET) merged with the instance status.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use serde_json::{json, Value as Json};
use tf_provider::value::ValueAny;

use hwapi::contract::clouddc::{self as c, is_uuid};
use hwapi::contract::{at, Op, Statuses};

use crate::client::Call;
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Codec, Field, Read, Rule, RuleProblem};
use crate::engine::listed::{find_named, list_with, live_by_id, Lookup};
use crate::engine::polling::{delete_then, status_of, until, wait_status};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::{as_str, get, get_path};
use crate::engine::{Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};
use crate::waiter::{Seen, StatusTable};

static NETWORK_INTERFACE: [Field; 2] = [
    Field::string("subnet_id", "ID of the subnet the network interface is in.").required(),
    Field::string(
        "ipv4_address",
        "Private IPv4 address of the network interface. When unset, the service assigns a free address of the \
subnet, which is then shown here. A change is applied in place, without replacing the instance.",
    )
    .optional_computed()
    .in_place_by(&[&c::CHANGE_IP])
    .sent_as("ip_address"),
];

static PLACEMENT: [Field; 1] =
    [Field::string("server_id", "ID of the physical server to run the instance on; its manage_state must be `ready`.")
        .required()
        .read(Read::Path("server_id"))];

static FIELDS: [Field; 16] = [
    Field::string("name", "Hostname of the instance.").required(),
    Field::string(
        "image_id",
        "ID of the image to install. A change reinstalls the operating system in place (same instance, server and \
addresses; status `pending`, then `running`) with the configured password: the system disk is rewritten and \
everything on it is lost.",
    )
    .required()
    .in_place_by(&[&c::REINSTALL])
    .read(Read::Path("image.id")),
    Field::string("vpc_id", "ID of the VPC the network interfaces belong to.").required(),
    Field::blocks(
        "network_interfaces",
        &NETWORK_INTERFACE,
        2,
        "Network interfaces of the instance, one or two, all in `vpc_id`; the first one is the primary interface.",
    )
    .required(),
    Field::string(
        "password",
        "Initial password of the administrator (`root` on Linux, `Administrator` on Windows): 8 to 26 characters with \
at least three of uppercase letters, lowercase letters, digits and the special characters `!@$%^-_=+[{}]:,./?`, \
containing neither administrator name nor either name reversed (in any letter case). A change is applied in place and \
takes effect when the server is next powered on or rebooted (with a new `image_id` it is set by the reinstall \
instead, with no separate call).",
    )
    .required()
    .sensitive()
    .write_only()
    .in_place_by(&[&c::CHANGE_PASSWORD])
    .sent_as("new_password"),
    Field::map("metadata", "Metadata of the instance (key/value pairs)."),
    Field::string("description", "Description of the instance.").codec(Codec::EmptyIsNull),
    Field::block(
        "placement",
        &PLACEMENT,
        "Where to place the instance. When unset, an idle server is chosen; `server_id` shows which. With a \
placement, only a live instance with the same name on that server counts as existing before a create. It is read \
back from the instance's `server_id` (and imported from it). Another server replaces the instance; adding the \
block for the server the instance runs on, or removing it, is recorded without an API call.",
    )
    .judged(),
    Field::string(
        "status",
        "State of the instance: pending, running, stopping, stopped, reinstalling, shutting-down, terminated or error.",
    )
    .computed()
    .read(Read::Path("state")),
    Field::string(
        "operation_state",
        "The last operation on the instance and how it stands, as the service reports it, e.g. `install-succeed` or \
`modify-ip-processing`.",
    )
    .computed(),
    Field::string("server_id", "ID of the physical server the instance runs on.").computed(),
    Field::string("image_name", "Name of the installed image.").computed().read(Read::Path("image.name")),
    Field::string("os_type", "Operating system type of the installed image.")
        .computed()
        .read(Read::Path("image.os_type")),
    Field::string("created_at", "Creation time.").computed(),
    Field::string("updated_at", "Last update time.").computed().volatile(),
    Field::string("launched_at", "Time the instance was started.").computed(),
];

fn distinct_addresses(config: &ValueAny) -> Vec<RuleProblem> {
    let ValueAny::List(nics) = get(config, "network_interfaces") else { return vec![] };
    let addresses: Vec<&str> = nics.iter().filter_map(|n| as_str(get(n, "ipv4_address"))).collect();
    match addresses.as_slice() {
        [a, b] if a == b => {
            vec![(vec!["network_interfaces"], format!("must not give two interfaces the same ipv4_address {a:?}"))]
        }
        _ => vec![],
    }
}

static RULES: [Rule; 1] = [Rule::Custom(distinct_addresses)];

pub static DEF: ResourceDef = ResourceDef {
    name: "clouddc_instance",
    description: "Manages a CloudDC iMetal instance: an operating system installed on a dedicated physical server, \
attached to a VPC through one or two network interfaces.",
    fields: &FIELDS,
    rules: &RULES,
    timeouts: Timeouts::minutes(60, 30, 30),
    id_check: Check::Pattern("a lowercase UUID such as 0198170e-4ca7-7ee4-89a7-fa631843920b", is_uuid),
    identity: "name",
    busy: c::ERRORS.busy,
    health: Health::of(&c::STATUSES).note(
        "An instance in `error` that was never launched (`launched_at` empty) never came up: the plan replaces it.",
    ),
    read_by: &c::LIST,
    create: &c::CREATE,
    ops: &[&c::CREATE, &c::STATUS, &c::LIST, &c::CHANGE_PASSWORD, &c::REINSTALL, &c::CHANGE_IP, &c::DELETE],
    noun: "CloudDC instance",
    scope: &[],
    listing: Listing {
        op: &c::LIST,
        attribute: "instances",
        filters: &[
            Filter::new("instance_state", FilterKind::Str, "State, e.g. `running` or `stopped`."),
            Filter::new("instance_id", FilterKind::StrList, "Instance IDs (not together with `server_id`)."),
            Filter::new("server_id", FilterKind::StrList, "IDs of the physical servers the instances run on."),
        ],
    },
    changes: &[
        Change::new(&c::REINSTALL, Send::Hook),
        Change::new(&c::CHANGE_PASSWORD, Send::Hook),
        Change::new(&c::CHANGE_IP, Send::Hook),
    ],
    import_note: "The password is not changed by that first apply. `placement` is imported from the instance's \
`server_id`; a configuration without it records its removal without calling the API.",
};

/// A new instance runs; a failed or deleted one ends the wait (a new instance is not `stopped`).
const READY: StatusTable = until(&["running"], &[c::STATUSES.failed, c::STATUSES.gone]);
/// Settling after a busy answer: running again, or a state no wait changes.
const SETTLED: StatusTable = until(&["running"], &[c::STATUSES.failed, c::STATUSES.gone, &["stopped"]]);
/// Terminated, or gone; a failure ends the wait.
const GONE: StatusTable =
    StatusTable { target: c::STATUSES.gone, failure: &[c::STATUSES.failed], gone_is_success: true };
/// Each poll reads the status call's state.
const STATUS: (&Op, &Statuses) = (&c::STATUS, &c::STATUSES);
/// The list cannot filter by name: every page is read (only the planned server's with a placement).
static LOOKUP: Lookup = Lookup {
    op: &c::LIST,
    id: "id",
    created: "created_at",
    statuses: &c::STATUSES,
    scope: &[(&["placement", "server_id"], "server_id")],
};

#[derive(Clone, Copy)]
pub struct ClouddcInstance;

/// The list filtered to one instance: there is no single-instance GET.
fn list_one(id: &str) -> Call {
    Call::to(&c::LIST).query("instance_id", id)
}

/// A list entry with the status call's state, operation_state and error merged in (the whole entry is
/// read through the field table); None once terminated.
fn merge_status(mut instance: Json, (state, status): (String, Json)) -> Option<Json> {
    for key in ["state", "operation_state", "error"] {
        if let Some(v) = status.get(key) {
            instance[key] = v.clone();
        }
    }
    (state != "terminated").then_some(instance)
}

/// What a poll saw: the state, with the status call's `error` as its detail.
fn with_error(state: String, status: Json) -> Seen {
    let detail = status.get("error").filter(|e| !e.is_null()).map(|e| {
        let text = |k: &str| e[k].as_str().filter(|s| !s.is_empty()).map_or(format!("no {k}"), str::to_string);
        format!("error_code {}, error_msg {:?}", text("error_code"), text("error_msg"))
    });
    Seen::Status { status: state, detail }
}

/// Wait until `table` ends the wait, polling the status call.
async fn wait(ctx: &Ctx, id: &str, table: &StatusTable) -> Result<(), Error> {
    wait_status(ctx, &DEF, STATUS, id, table, |s, status| async { Ok(with_error(s, status)) }).await.map(drop)
}

/// Until `running` with `image` installed: `running` before the list shows the new image is the
/// reinstall not having started yet (the status call does not show the image).
async fn wait_reinstalled(ctx: &Ctx, id: &str, image: &str) -> Result<(), Error> {
    let judge = |state: String, status| async move {
        if state != "running" {
            return Ok(with_error(state, status));
        }
        let listed: Vec<Json> = ctx.send(list_one(id)).await?.parse_list(c::LIST.items)?;
        Ok(match listed.iter().find(|i| i["id"] == id) {
            Some(i) if at(i, "image.id").and_then(Json::as_str) == Some(image) => with_error(state, status),
            Some(_) => Seen::status("running (reinstall not applied yet)"),
            None => Seen::Gone,
        })
    };
    wait_status(ctx, &DEF, STATUS, id, &READY, judge).await.map(drop)
}

/// Until `terminated` or gone. An `error` seen before the deletion started (the state of an instance
/// whose creation failed) is not the deletion failing.
async fn wait_gone(ctx: &Ctx, id: &str) -> Result<(), Error> {
    let started = &AtomicBool::new(false);
    let judge = move |state: String, status| async move {
        if state == "error" && !started.load(Ordering::Relaxed) {
            return Ok(Seen::status("error (deletion not started yet)"));
        }
        started.store(true, Ordering::Relaxed);
        Ok(with_error(state, status))
    };
    wait_status(ctx, &DEF, STATUS, id, &GONE, judge).await.map(drop)
}

/// Did any interface's address change (same interfaces, same subnets)?
fn addresses_changed(prior: &ValueAny, plan: &ValueAny) -> bool {
    match (get(prior, "network_interfaces"), get(plan, "network_interfaces")) {
        (ValueAny::List(a), ValueAny::List(b)) => {
            a.len() == b.len() && a.iter().zip(b).any(|(x, y)| get(x, "ipv4_address") != get(y, "ipv4_address"))
        }
        _ => false,
    }
}

#[async_trait]
impl Hooks for ClouddcInstance {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    /// The status call does not show the whole instance: it is read afterwards.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        wait(ctx, &created.id, &READY).await.map(|()| None)
    }

    /// The list entry of the instance with the status call's state, operation_state and error merged in.
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        let Some(status) = status_of(ctx, &DEF, STATUS, id).await? else { return Ok(None) };
        let listed: Vec<Json> = ctx.send(list_one(id)).await?.parse_list(c::LIST.items)?;
        Ok(listed.into_iter().find(|i| i["id"] == id).and_then(|i| merge_status(i, status)))
    }

    /// The list's entries carry the state, operation state and error the status call gives.
    async fn read_all(&self, ctx: &Ctx) -> Result<Option<HashMap<String, Json>>, Error> {
        Ok(Some(live_by_id(ctx, &c::LIST, LOOKUP.id, &c::STATUSES).await?))
    }

    /// Every page of the list with the filters, each entry with its status.
    async fn list(&self, ctx: &Ctx, filters: &ValueAny) -> Result<Vec<(String, Json)>, Error> {
        let with_status = |id: String, item| async move {
            Ok(status_of(ctx, &DEF, STATUS, &id).await?.and_then(|status| merge_status(item, status)))
        };
        list_with(ctx, &c::LIST, LOOKUP.id, filters, with_status).await
    }

    /// Busy (409): wait until running again; a settled state such as stopped ends the wait at once.
    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        wait(ctx, id, &SETTLED).await
    }

    /// The three calls are batch or whole-list calls, with waits of their own; a reinstall sets the
    /// password too, so no declared call can say when the password call is needed.
    async fn apply_change(
        &self,
        ctx: &Ctx,
        id: &str,
        change: &Change,
        prior: &ValueAny,
        plan: &ValueAny,
    ) -> Result<(), Error> {
        let settle = || self.settle(ctx, id);
        let busy = DEF.busy;
        let new_password = as_str(get(plan, "password"));
        // A new image: the operating system is reinstalled with the configured password, then running.
        // An image never known (null) is adopted, never a reason to rewrite the disk.
        let image = match (get(prior, "image_id"), as_str(get(plan, "image_id"))) {
            (ValueAny::String(old), Some(new)) if old != new => Some(new),
            _ => None,
        };
        if *change.op == c::REINSTALL {
            if let (Some(image), Some(password)) = (image, new_password) {
                let put = json!({ "image_id": image, "password": password, "instance_id_set": [id] });
                ctx.send_when_idle(Call::to(&c::REINSTALL).body(put), busy, settle).await?;
                wait_reinstalled(ctx, id, image).await?;
            }
        } else if *change.op == c::CHANGE_PASSWORD {
            // A password never known (after an import) is adopted from the configuration without a call;
            // one that a reinstall just set needs no second call.
            let old_password = get(prior, "password");
            if let (ValueAny::String(_), Some(new), None) = (old_password, new_password, image) {
                let put = json!({ "new_password": new, "instance_id_set": [id] });
                ctx.send_when_idle(Call::to(&c::CHANGE_PASSWORD).body(put), busy, settle).await?;
            }
        } else if *change.op == c::CHANGE_IP && addresses_changed(prior, plan) {
            let ValueAny::List(nics) = get(plan, "network_interfaces") else { return Ok(()) };
            // Every interface is listed; one whose address is unchanged keeps it.
            let nics: Vec<Json> = nics
                .iter()
                .map(|n| {
                    let subnet = as_str(get(n, "subnet_id")).unwrap_or("");
                    json!({ "subnet_id": subnet, "ip_address": as_str(get(n, "ipv4_address")).unwrap_or("") })
                })
                .collect();
            let put = json!({ "vpc_id": as_str(get(plan, "vpc_id")).unwrap_or(""), "nics": nics });
            ctx.send_when_idle(Call::to(&c::CHANGE_IP).arg("instance_id", id).body(put), busy, settle).await?;
            wait(ctx, id, &READY).await?;
        }
        Ok(())
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &ValueAny) -> Result<(), Error> {
        delete_then(ctx, Call::to(&c::DELETE).arg("instance_id", id), &[], || async { Ok(()) }, || wait_gone(ctx, id))
            .await
    }

    /// Compared by name, and by server when a placement is set. An instance being deleted or terminated
    /// is not live.
    async fn find_existing(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Vec<Existing>, Error> {
        find_named(ctx, &DEF, &LOOKUP, plan, vec![]).await
    }

    /// A placement removed from the configuration, or added for the server the instance runs on, changes
    /// nothing about the instance: it is recorded. Another server than the instance's needs a new instance.
    fn recorded_change(&self, name: &str, prior: &ValueAny, proposed: &ValueAny) -> bool {
        if name != "placement" {
            return false;
        }
        let server = |v: &ValueAny| as_str(get_path(v, &["placement", "server_id"])).map(str::to_string);
        match (server(prior), server(proposed)) {
            (_, None) => true,
            (None, Some(new)) => as_str(get(prior, "server_id")) == Some(new.as_str()),
            (Some(_), Some(_)) => false,
        }
    }

    /// With a placement, the same name may live on another server (as `find_existing` judges).
    fn claim_key(&self, plan: &ValueAny) -> String {
        let name = as_str(get(plan, "name")).unwrap_or_default();
        match as_str(get_path(plan, &["placement", "server_id"])) {
            Some(server) => format!("{name}@{server}"),
            None => name.to_string(),
        }
    }

    /// An instance in `error` that was never launched is one whose creation failed.
    fn creation_failed(&self, state: &ValueAny) -> bool {
        as_str(get(state, "status")) == Some("error") && get(state, "launched_at") == &ValueAny::Null
    }
}
