//! The IoTDA service: each declared operation of IoTDA instance management goes to its handler.

use std::fmt::Display;
use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{json, Value};

use hwapi::contract::iotda as c;
use hwapi::contract::{Invalid, Op};
use hwapi::service::Service as Api;

use super::bodies;
use super::model::{self, Instance, Pending};
use crate::paging;
use crate::request::{ApiRequest, Args, Reply};
use crate::service::Service;
use crate::spec;
use crate::state::Shared;
use crate::store::{self, Objects, Stored};
use crate::tags;

/// What the contract's error table (`ERRORS.other`) says a status that never allows an operation means.
pub const BAD_STATE: &str = "the instance's status does not allow the operation";
/// What the contract's error table says a refused delete of a yearly/monthly instance means.
pub const PREPAID_DELETE: &str = "a yearly/monthly instance cannot be deleted through the API";

#[derive(Default)]
pub struct Iotda {
    store: Mutex<Store>,
}

type Store = store::Store<Instance>;

impl Store {
    fn find(&mut self, id: &str) -> Result<&mut Instance, Reply> {
        self.get_mut(id).ok_or_else(not_found)
    }
}

fn invalid(e: impl Display) -> Reply {
    Reply::error(c::ERRORS.invalid.status, c::ERRORS.invalid.code, format!("Invalid input data: {e}"))
}

fn not_found() -> Reply {
    let code = c::ERRORS.not_found[0];
    Reply::error(code.status, code.code, "The resource is not found")
}

/// Busy (an operation under way: a busy status of the contract) or a status that never allows `what`.
fn bad_state(inst: &Instance, what: &str) -> Reply {
    let code = if c::STATUSES.busy.contains(&inst.status()) { c::ERRORS.busy[0] } else { c::ERRORS.code(BAD_STATE) };
    Reply::error(code.status, code.code, format!("The instance status {} does not allow {what}", inst.status()))
}

impl Service for Iotda {
    fn name(&self) -> &'static str {
        "iotda"
    }

    fn api(&self) -> Api {
        Api::Iotda
    }

    fn handle(&self, sim: &Shared, op: &'static Op, args: &Args, req: &ApiRequest) -> Result<Reply, Reply> {
        let id = args.get("instance_id");
        Store::serve(&self.store, sim.now(), |store, now| match op {
            o if o == &c::CREATE => create(sim, store, req, now),
            o if o == &c::LIST => list(store, req),
            o if o == &c::SHOW => Ok(Reply::json(200, store.find(id)?.view.clone().into())),
            o if o == &c::UPDATE => update(store, req, id, now),
            o if o == &c::DELETE => delete(sim, store, id, now),
            o if o == &c::RESIZE => resize(sim, store, req, id, now),
            o if o == &c::BIND_TAGS => tags(store, req, id, now, true),
            o if o == &c::UNBIND_TAGS => tags(store, req, id, now, false),
            o if o == &c::TASKS => list_tasks(store, req, id, now),
            _ => Err(Reply::not_routed(req)),
        })
    }

    fn invalid(&self, problem: &Invalid) -> Reply {
        invalid(problem)
    }

    fn objects(&self) -> Option<&dyn Objects> {
        Some(&self.store)
    }

    /// `pay`: the order of a yearly/monthly instance created without `is_auto_pay` is paid (as in the
    /// Billing Center); the instance leaves TRADING and is created.
    fn action(&self, sim: &Shared, id: &str, action: &str) -> Option<Result<Reply, Reply>> {
        (action == "pay").then(|| store::pay(&self.store, sim.now(), sim.delays(), id, not_found))
    }
}

fn create(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    bodies::create_rules(&b).map_err(invalid)?;
    let seq = store.next_seq();
    let failure = sim.take_fail_create("iotda");
    let inst = Instance::create(&b, &sim.config.region, seq, now, sim.delays(), failure);
    let v = &inst.view;
    let mut resp = json!({
        "instance_type": v["instance_type"],
        "instance_id": v["instance_id"],
        "name": v["name"],
        "flavor": v["flavor"],
        "status": v["status"],
        "charge_info": inst.charge_info,
        "description": v["description"],
        "enterprise_project_id": v["enterprise_project_id"],
        "tags": v["tags"],
        "additional_params": b.get("additional_params").cloned().unwrap_or(Value::Null),
    });
    if let Some(order) = v.get("order_id") {
        resp["order_id"] = order.clone();
    }
    store.instances.push(inst);
    Ok(Reply::json(200, resp))
}

fn list(store: &Store, req: &ApiRequest) -> Result<Reply, Reply> {
    // The router has checked the query against the contract's parameters (names, ranges, enumerations).
    let q = |k: &str| req.param(k);
    let [limit, offset] = ["limit", "offset"].map(|k| paging::number(&c::LIST, req, k));
    let marker_seq = match q("marker") {
        None => u64::MAX,
        Some(m) => store
            .instances
            .iter()
            .find(|i| i.id() == m)
            .map(|i| i.seq)
            .ok_or_else(|| invalid(format!("marker: unknown marker {m:?}")))?,
    };
    // Newest first, as the service pages by descending record id.
    let mut matching: Vec<&Instance> = store
        .instances
        .iter()
        .filter(|i| q("name").is_none_or(|n| i.get_str("name").contains(n)))
        .filter(|i| q("instance_type").is_none_or(|t| i.get_str("instance_type") == t))
        .collect();
    matching.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let count = matching.len();
    let page: Vec<&Instance> = matching.into_iter().filter(|i| i.seq < marker_seq).skip(offset).take(limit).collect();
    let marker = page.last().map(|i| i.id().to_string());
    let instances: Vec<Value> = page.iter().map(|i| i.simplified()).collect();
    Ok(Reply::json(200, json!({"count": count, "marker": marker, "instances": instances})))
}

fn update(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    // Refused while the order is open or the instance is being created, and on a broken instance.
    if matches!(inst.status(), "CREATING" | "TRADING") || c::STATUSES.is_failure(inst.status()) {
        return Err(bad_state(inst, "an update"));
    }
    let enterprise = inst.get_str("instance_type") == "enterprise";
    if let Some(fwd) = b.get("forwarding_info") {
        let on = fwd["enable_snat"].as_bool().unwrap_or(false);
        let params = inst.view.get_mut("additional_params").filter(|p| enterprise && p.is_object());
        let Some(params) = params else {
            return Err(invalid("forwarding_info: SNAT can only be configured on enterprise instances"));
        };
        if params["forwarding_info"]["enable_snat"] == json!(true) && !on {
            return Err(invalid("forwarding_info.enable_snat: SNAT cannot be turned off once enabled"));
        }
        params["forwarding_info"]["enable_snat"] = json!(on);
    }
    if let Some(access) = b.get("access_info") {
        update_access(inst, access, enterprise)?;
    }
    // Stored exactly as sent (a window ending at "24:00" stays "24:00").
    for key in ["name", "description", "operate_window"] {
        if let Some(v) = b.get(key) {
            inst.set(key, v.clone());
        }
    }
    inst.touch(now);
    Ok(Reply::json(200, inst.view.clone().into()))
}

fn update_access(inst: &mut Instance, access: &Value, enterprise: bool) -> Result<(), Reply> {
    let kind = access["access_type"].as_str().unwrap_or("");
    let infos = inst.view.get_mut("access_infos").and_then(Value::as_array_mut);
    let Some(info) = infos.and_then(|a| a.iter_mut().find(|i| i["type"] == kind)) else {
        return Err(invalid(format!("access_info.access_type: the instance has no {kind} access address")));
    };
    if let Some(domain) = access.get("domain_name") {
        info["domain_name"] = domain.clone();
    }
    if let Some(public) = access.get("public_addresses_enable").and_then(Value::as_bool) {
        let addr = format!("121.36.{}.{}", fastrand::u8(1..255), fastrand::u8(1..255));
        info["public_address"] = if public { json!([addr]) } else { json!([]) };
    }
    if let Some(wl) = access.get("ip_whitelist") {
        if !enterprise || !kind.starts_with("APP_") {
            return Err(invalid("access_info.ip_whitelist: only APP_* access of enterprise instances has a whitelist"));
        }
        let enable = wl.get("enable").cloned().unwrap_or(json!(false));
        info["ip_whitelist"] =
            json!({"enable": enable, "allow_list": wl.get("allow_list").cloned().unwrap_or(json!([]))});
    }
    Ok(())
}

fn resize(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    if inst.status() != "ACTIVE" {
        return Err(bad_state(inst, "a resize (it must be ACTIVE)"));
    }
    if inst.get_str("instance_type") == "standard" {
        spec::require(&b, "flavor.size", "when the instance_type is standard").map_err(invalid)?;
    }
    if inst.view.get("flavor") == b.get("flavor") {
        return Err(invalid("flavor: the instance already has this flavor"));
    }
    if b.get("delay") == Some(&json!(true)) && inst.view.get("operate_window").is_none_or(Value::is_null) {
        return Err(invalid("delay: a delayed change needs an operate_window; set it first"));
    }
    let takes = sim.delays().update;
    inst.set("status", json!("MODIFYING"));
    inst.touch(now);
    inst.pending = Some(Pending { at: now + takes, status: "ACTIVE", flavor: b.get("flavor").cloned(), failure: None });
    inst.add_task("MODIFY", now, takes, None);
    if let Some(t) = inst.tasks.last_mut() {
        t.target["flavor"] = b["flavor"].clone();
    }
    let resp = match inst.view.get("charge_mode").and_then(Value::as_str) {
        Some("prePaid") => json!({"order_id": crate::util::order_id(now)}),
        _ => json!({}),
    };
    Ok(Reply::json(200, resp))
}

fn tags(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime, bind: bool) -> Result<Reply, Reply> {
    let b = req.checked_body();
    tags::unique_keys(&b).map_err(invalid)?;
    let inst = store.find(id)?;
    let changed = tags::apply(inst.view.get("tags"), &b, bind, bodies::MAX_TAGS).map_err(invalid)?;
    inst.set("tags", changed);
    inst.touch(now);
    Ok(Reply::json(200, json!({})))
}

fn delete(sim: &Shared, store: &mut Store, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    if inst.get_str("charge_mode") == "prePaid" {
        let code = c::ERRORS.code(PREPAID_DELETE);
        return Err(Reply::error(
            code.status,
            code.code,
            "A yearly/monthly (prePaid) instance cannot be deleted with this API; it must be unsubscribed in the billing center",
        ));
    }
    if inst.delete_at.is_none() {
        let takes = sim.delays().delete;
        inst.delete_at = Some(now + takes);
        inst.add_task("DELETE", now, takes, None);
    }
    store.advance(now);
    Ok(Reply::empty(204))
}

/// Newest first; a marker (the last task of the previous page) continues after that task.
fn list_tasks(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let [limit, offset] = ["limit", "offset"].map(|k| paging::number(&c::TASKS, req, k));
    let inst = store.find(id)?;
    let newest_first: Vec<&model::Task> = inst.tasks.iter().rev().collect();
    let start = match req.param("marker") {
        None => 0,
        Some(m) => {
            let at = newest_first.iter().position(|t| t.id == m);
            at.map(|p| p + 1).ok_or_else(|| invalid(format!("marker: unknown marker {m:?}")))?
        }
    };
    let tasks: Vec<Value> =
        newest_first.iter().skip(start + offset).take(limit).map(|t| inst.task_json(t, now)).collect();
    let marker = tasks.last().map(|t| t["task_id"].clone());
    Ok(Reply::json(200, json!({"page": {"count": newest_first.len(), "marker": marker}, "tasks": tasks})))
}
