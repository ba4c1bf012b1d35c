//! `huaweicloud_clouddc_instance`: a CloudDC iMetal instance. Arguments mirror "Creating an Instance" (POST
//! /v1/{project_id}/instances); computed attributes: the instance list (no single GET) with the status.

use std::collections::HashMap;

use async_trait::async_trait;
use serde_json::{json, Map, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::clouddc::{self as c, is_uuid};
use hwapi::contract::{Op, Statuses};

use crate::client::Call;
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Codec, Field, Read};
use crate::engine::listed::{claim_key, find_named, list_with, live_by_id, with_status, Lookup};
use crate::engine::polling::{delete_then, until, wait_deleted, wait_for};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::{as_str, get, get_path};
use crate::engine::{Created, Ctx, Error, Existing, Health, Hooks, ResourceDef};
use crate::waiter::StatusTable;

static NETWORK_INTERFACE: [Field; 2] = [
    Field::string("subnet_id", "ID of the subnet the network interface is in.").required(),
    Field::string(
        "ipv4_address",
        "Private IPv4 address of the network interface. When unset, the service assigns a free address of the \
subnet, which is then shown here.",
    )
    .optional_computed()
    .in_place_by(&[&c::CHANGE_IP])
    .sent_as("ip_address"),
];

static PLACEMENT: [Field; 1] =
    [Field::string("server_id", "ID of the physical server to run the instance on; its manage_state must be `ready`.")
        .required()
        .read(Read::Path("server_id"))];

static FIELDS: [Field; 18] = [
    Field::string("name", "Hostname of the instance.").required(),
    Field::string(
        "image_id",
        "ID of the image to install. A change reinstalls the operating system in place (same instance, server and \
addresses; status `pending`, then `running`) with the configured password: the system disk is rewritten and \
everything on it is lost.",
    )
    .required()
    .in_place_by(&[&c::REINSTALL])
    .adopts_unknown()
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
        "Initial password of the administrator (`root` on Linux, `Administrator` on Windows). A change is applied in \
place and takes effect when the server is next powered on or rebooted (with a new `image_id` it is set by the \
reinstall instead, with no separate call).",
    )
    .sensitive()
    .write_only()
    .in_place_by(&[&c::CHANGE_PASSWORD])
    .sent_as("new_password"),
    Field::write_only_twin("password_wo", "password").required_one(),
    Field::twin_version("password_wo_version", "password"),
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

pub static DEF: ResourceDef = ResourceDef {
    name: "clouddc_instance",
    description: "Manages a CloudDC iMetal instance: an operating system installed on a dedicated physical server, \
attached to a VPC through one or two network interfaces.",
    fields: &FIELDS,
    rules: &[],
    timeouts: Timeouts::minutes(60, 30, 30),
    id_check: Check::Pattern("a lowercase UUID such as 0198170e-4ca7-7ee4-89a7-fa631843920b", is_uuid),
    identity: "name",
    busy: c::ERRORS.busy,
    health: Health::of(&c::STATUSES).note(
        "An instance in `error` that was never launched (`launched_at` empty) never came up: the plan replaces it.",
    ),
    read_by: &c::LIST,
    create: &c::CREATE,
    shapes: &[],
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
    // A reinstall sets the password too (the password call then has nothing left to send); each
    // batch call names the instance in `instance_id_set`; the IP call lists every interface.
    changes: &[
        Change::new(&c::REINSTALL, Send::Changed { together: &["image_id", "password"], shape: None, wait: true }),
        Change::changed(&c::CHANGE_PASSWORD),
        Change::new(
            &c::CHANGE_IP,
            Send::Changed { together: &["vpc_id", "network_interfaces"], shape: Some(nics), wait: true },
        ),
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

/// The IP call's body: the VPC and every interface, one whose address is unchanged keeping it.
fn nics(changed: Map<String, Json>, _id: &str) -> Json {
    let nic = |n: &Json| json!({ "subnet_id": n["subnet_id"], "ip_address": n["ipv4_address"].as_str().unwrap_or("") });
    let nics: Vec<Json> = changed["network_interfaces"].as_array().into_iter().flatten().map(nic).collect();
    json!({ "vpc_id": changed["vpc_id"], "nics": nics })
}

#[async_trait]
impl Hooks for ClouddcInstance {
    fn def(&self) -> &'static ResourceDef {
        &DEF
    }

    /// The status call does not show the whole instance: it is read afterwards.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        wait_for(ctx, &DEF, STATUS, &created.id, &READY).await.map(|()| None)
    }

    /// There is no single-instance GET: the list's entry with the status call's answer merged in.
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        with_status(ctx, &DEF, &LOOKUP, STATUS, ("instance_id", id), None).await
    }

    /// The list's entries carry the state, operation state and error the status call gives.
    async fn read_all(&self, ctx: &Ctx) -> Result<Option<HashMap<String, Json>>, Error> {
        Ok(Some(live_by_id(ctx, &c::LIST, LOOKUP.id, &c::STATUSES).await?))
    }

    /// Every page of the list with the filters, each entry with its status.
    async fn list(&self, ctx: &Ctx, filters: &TfValue) -> Result<Vec<(String, Json)>, Error> {
        let complete = |id: String, item| async move {
            with_status(ctx, &DEF, &LOOKUP, STATUS, ("instance_id", &id), Some(item)).await
        };
        list_with(ctx, &c::LIST, LOOKUP.id, filters, complete).await
    }

    /// Busy (409): wait until running again; a settled state such as stopped ends the wait at once.
    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        wait_for(ctx, &DEF, STATUS, id, &SETTLED).await
    }

    async fn delete(&self, ctx: &Ctx, id: &str, _state: &TfValue) -> Result<(), Error> {
        delete_then(
            ctx,
            Call::to(&c::DELETE).arg("instance_id", id),
            &[],
            || async { Ok(()) },
            || wait_deleted(ctx, &DEF, STATUS, id, &GONE),
        )
        .await
    }

    /// Compared by name, and by server when a placement is set. An instance being deleted or terminated
    /// is not live.
    async fn find_existing(&self, ctx: &Ctx, plan: &TfValue) -> Result<Vec<Existing>, Error> {
        find_named(ctx, &DEF, &LOOKUP, plan, vec![]).await
    }

    /// A placement removed from the configuration, or added for the server the instance runs on, changes
    /// nothing about the instance: it is recorded. Another server than the instance's needs a new instance.
    fn recorded_change(&self, name: &str, prior: &TfValue, proposed: &TfValue) -> bool {
        if name != "placement" {
            return false;
        }
        let server = |v: &TfValue| as_str(get_path(v, &["placement", "server_id"])).map(str::to_string);
        match (server(prior), server(proposed)) {
            (_, None) => true,
            (None, Some(new)) => as_str(get(prior, "server_id")) == Some(new.as_str()),
            (Some(_), Some(_)) => false,
        }
    }

    /// With a placement, the same name may live on another server (as `find_existing` judges).
    fn claim_key(&self, plan: &TfValue) -> String {
        claim_key(&DEF, &LOOKUP, plan)
    }

    /// An instance in `error` that was never launched is one whose creation failed.
    fn creation_failed(&self, state: &TfValue) -> bool {
        as_str(get(state, "status")) == Some("error") && get(state, "launched_at") == &TfValue::Null
    }
}
