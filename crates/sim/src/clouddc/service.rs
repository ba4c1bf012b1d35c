//! The CloudDC service: each declared operation of CloudDC iMetal instances goes to its handler.

use std::sync::Mutex;
use std::time::SystemTime;

use serde_json::{json, Value};

use hwapi::contract::clouddc as c;
use hwapi::contract::{Invalid, Op};
use hwapi::service::Service as Api;

use super::model::{self, Instance, Pending};
use crate::paging;
use crate::request::{ApiRequest, Args, Reply};
use crate::service::Service;
use crate::spec;
use crate::state::Shared;
use crate::store::{self, Objects, Stored};
use crate::util;

/// What the contract's error table (`ERRORS.other`) calls each of the service's further answers.
pub const MISSING: &str = "a mandatory parameter is missing";
pub const SERVER_NOT_READY: &str = "the placement server is not ready";
pub const NOT_FOUND: &str = "the instance does not exist";
pub const BAD_STATE: &str = "the instance's state does not allow the operation now";
pub const IP_IN_USE: &str = "the IP address is already in use";

/// The contract's answer `what` means, with `msg`.
fn answer(what: &str, msg: impl Into<String>) -> Reply {
    let code = c::ERRORS.code(what);
    Reply::error(code.status, code.code, msg)
}

/// Is the instance deleted (still listed a while, as good as gone)?
fn gone(inst: &Instance) -> bool {
    c::STATUSES.gone.contains(&inst.state())
}

/// The smallest page the list serves. The SDK's ListInstancesRequest (`list_instances`) says "a limit not
/// set or under 10 counts as 10", and its text also clamps a limit over 1000: the contract's range (1 to
/// 1000) refuses 0, negative limits and limits over 1000 instead (a client that relies on clamping is
/// caught), and the list serves 1 to 9 as 10.
const MIN_PAGE: usize = 10;

#[derive(Default)]
pub struct Clouddc {
    store: Mutex<Store>,
}

/// The instances in creation order (the list order).
type Store = store::Store<Instance>;

impl Store {
    fn find(&mut self, id: &str) -> Result<&mut Instance, Reply> {
        self.get_mut(id).ok_or_else(|| not_found(&[id]))
    }
    /// Addresses held on `subnet` by live instances other than `except`.
    fn used(&self, subnet: &str, except: &str) -> Vec<String> {
        let nics = self.instances.iter().filter(|i| i.live() && i.id() != except).flat_map(Instance::nics);
        nics.filter(|n| n["subnet_id"] == subnet)
            .filter_map(|n| n["ipv4_address"].as_str().map(str::to_string))
            .collect()
    }
}

fn invalid(e: impl std::fmt::Display) -> Reply {
    let code = c::ERRORS.invalid;
    Reply::error(code.status, code.code, format!("A request parameter contains invalid or unsupported value: {e}"))
}

fn rejected(e: Invalid) -> Reply {
    if e.msg.starts_with("is mandatory") {
        answer(MISSING, format!("Missing required parameters: {}", e.path))
    } else {
        invalid(e)
    }
}

fn not_found(ids: &[&str]) -> Reply {
    answer(NOT_FOUND, format!("Instances ID not found: [{}]", ids.join(", ")))
}

fn bad_state(inst: &Instance, what: &str) -> Reply {
    answer(BAD_STATE, format!("The instance state {} does not allow {what}", inst.state()))
}

/// A free address of `subnet`: 192.168.X.Y with X derived from the subnet id.
fn free_address(subnet: &str, used: &[String]) -> Result<String, Reply> {
    let x = subnet.bytes().map(u32::from).sum::<u32>() % 250;
    (10..250)
        .map(|y| format!("192.168.{x}.{y}"))
        .find(|a| !used.contains(a))
        .ok_or_else(|| answer(IP_IN_USE, format!("The subnet {subnet} has no free IP address")))
}

fn in_use(address: &str) -> Reply {
    answer(IP_IN_USE, format!("The IP address {address} is already in use"))
}

impl Service for Clouddc {
    fn name(&self) -> &'static str {
        "clouddc"
    }

    fn api(&self) -> Api {
        Api::Clouddc
    }

    fn handle(&self, sim: &Shared, op: &'static Op, args: &Args, req: &ApiRequest) -> Result<Reply, Reply> {
        let id = args.get("instance_id");
        Store::serve(&self.store, sim.now(), |store, now| match op {
            o if o == &c::CREATE => create(sim, store, req, now),
            o if o == &c::LIST => list(store, req),
            o if o == &c::CHANGE_PASSWORD => change_password(store, req, now),
            o if o == &c::REINSTALL => reinstall(sim, store, req, now),
            o if o == &c::STATUS => Ok(Reply::json(200, store.find(id)?.status())),
            o if o == &c::CHANGE_IP => change_ip(sim, store, req, id, now),
            o if o == &c::DELETE => delete(sim, store, id, now),
            _ => Err(Reply::not_routed(req)),
        })
    }

    fn invalid(&self, problem: &Invalid) -> Reply {
        rejected(problem.clone())
    }

    fn objects(&self) -> Option<&dyn Objects> {
        Some(&self.store)
    }
}

fn create(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let server_id = match b.pointer("/placement/server_id").and_then(Value::as_str) {
        Some(server) if store.instances.iter().any(|i| i.live() && i.get_str("server_id") == server) => {
            return Err(answer(SERVER_NOT_READY, format!("Physical servers state is not ready: [{server}]")));
        }
        Some(server) => server.to_string(),
        None => util::uuid(),
    };
    let mut nics = Vec::new();
    let mut taken: Vec<String> = Vec::new();
    for nic in b["network_interfaces"].as_array().into_iter().flatten() {
        let subnet = nic["subnet_id"].as_str().unwrap_or("");
        let mut used = store.used(subnet, "");
        used.extend(taken.iter().cloned());
        let address = match nic.get("ipv4_address").and_then(Value::as_str) {
            Some(a) if used.iter().any(|u| u == a) => return Err(in_use(a)),
            Some(a) => a.to_string(),
            None => free_address(subnet, &used)?,
        };
        taken.push(address.clone());
        nics.push(json!({"subnet_id": subnet, "ipv4_address": address}));
    }
    let failure = sim.take_fail_create("clouddc");
    let state = if failure.is_some() { "error" } else { "running" };
    let ready = Pending { at: now + sim.delays().create, state, failure, nics: None };
    let inst = Instance::create(&b, Value::Array(nics), server_id, now, ready);
    let id = inst.id().to_string();
    store.instances.push(inst);
    Ok(Reply::json(202, json!({ "instance_id": id })))
}

fn list(store: &Store, req: &ApiRequest) -> Result<Reply, Reply> {
    // The router has checked the query against the contract's parameters (names, ranges, enumerations).
    let q = |k: &str| req.param(k);
    if q("instance_id").is_some() && q("server_id").is_some() {
        return Err(invalid("instance_id and server_id cannot be used together"));
    }
    let limit = paging::number(&c::LIST, req, "limit").max(MIN_PAGE);
    let ids = |k: &str| -> Result<Option<Vec<&str>>, Reply> {
        let Some(v) = q(k) else { return Ok(None) };
        let ids: Vec<&str> = v.split(',').map(str::trim).collect();
        if ids.len() > 100 || ids.iter().any(|i| i.is_empty()) {
            return Err(invalid(format!("{k}: 1 to 100 comma-separated IDs are expected")));
        }
        Ok(Some(ids))
    };
    let (instance_ids, server_ids) = (ids("instance_id")?, ids("server_id")?);
    let state = q("instance_state");
    let matching: Vec<&Instance> = store
        .instances
        .iter()
        .filter(|i| instance_ids.as_ref().is_none_or(|ids| ids.contains(&i.id())))
        .filter(|i| server_ids.as_ref().is_none_or(|ids| ids.contains(&i.get_str("server_id"))))
        .filter(|i| state.is_none_or(|s| i.state() == s || (s == "failed" && i.state() == "error")))
        .collect();
    let start = match q("marker") {
        None => 0,
        Some(m) => matching
            .iter()
            .position(|i| i.id() == m)
            .map(|p| p + 1)
            .ok_or_else(|| invalid(format!("marker: unknown marker {m:?}")))?,
    };
    let page: Vec<&Instance> = matching.iter().skip(start).take(limit).copied().collect();
    let more = start + page.len() < matching.len();
    let next = page.last().filter(|_| more).map(|i| i.id());
    let instances: Vec<Value> = page.iter().map(|i| Value::Object(i.view.clone())).collect();
    let page_info = json!({"next_marker": next, "previous_marker": q("marker"), "current_count": page.len()});
    Ok(Reply::json(200, json!({"instances": instances, "page_info": page_info, "count": matching.len()})))
}

fn change_password(store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let ids = spec::strings(&b["instance_id_set"]);
    let missing: Vec<&str> =
        ids.iter().copied().filter(|id| store.instances.iter().all(|i| i.id() != *id || gone(i))).collect();
    if !missing.is_empty() {
        return Err(not_found(&missing));
    }
    // All or nothing: check every instance before changing any.
    for id in &ids {
        let inst = store.find(id)?;
        if !c::STATUSES.is_ready(inst.state()) {
            return Err(bad_state(inst, "a password change (it must be running or stopped)"));
        }
    }
    let password = b["new_password"].as_str().unwrap_or("").to_string();
    for id in &ids {
        let inst = store.find(id)?;
        inst.password = password.clone();
        inst.touch(now);
    }
    let instances: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
    Ok(Reply::json(200, json!({ "instances": instances })))
}

/// Reinstall the operating system of running instances (all or nothing), with a new image
/// (or the current one) and password.
fn reinstall(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let ids: Vec<String> = spec::strings(&b["instance_id_set"]).into_iter().map(str::to_string).collect();
    for id in &ids {
        let inst = store.find(id)?;
        if gone(inst) {
            return Err(not_found(&[id]));
        }
        if inst.state() != "running" {
            return Err(bad_state(inst, "a reinstall (it must be running)"));
        }
    }
    let password = b["password"].as_str().unwrap_or("").to_string();
    for id in &ids {
        let inst = store.find(id)?;
        let image =
            b.get("image_id").and_then(Value::as_str).unwrap_or(inst.view["image"]["id"].as_str().unwrap_or(""));
        let image = model::image_view(image);
        let pending = Pending { at: now + sim.delays().update, state: "running", failure: None, nics: None };
        inst.begin("pending", "reinstall", pending, now);
        inst.reinstall = Some((image, password.clone()));
    }
    let instances: Vec<Value> = ids.iter().map(|id| json!({ "id": id })).collect();
    Ok(Reply::json(200, json!({ "instances": instances })))
}

fn change_ip(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    if gone(inst) {
        return Err(not_found(&[id]));
    }
    if inst.state() != "running" {
        return Err(bad_state(inst, "an IP change (it must be running)"));
    }
    if b["vpc_id"] != inst.view["vpc_id"] {
        return Err(invalid(format!("vpc_id: {} is not the VPC of the instance", b["vpc_id"])));
    }
    let mut nics = inst.nics();
    let mut changed = vec![false; nics.len()];
    for (n, want) in b["nics"].as_array().into_iter().flatten().enumerate() {
        let subnet = want["subnet_id"].as_str().unwrap_or("");
        let Some(k) = (0..nics.len()).find(|k| !changed[*k] && nics[*k]["subnet_id"] == subnet) else {
            return Err(invalid(format!(
                "nics[{n}].subnet_id: the instance has no other network interface in {subnet}"
            )));
        };
        changed[k] = true;
        let mut used = store.used(subnet, id);
        used.extend(
            nics.iter()
                .enumerate()
                .filter(|(j, _)| *j != k)
                .filter_map(|(_, n)| n["ipv4_address"].as_str().map(str::to_string)),
        );
        let address = match want.get("ip_address").and_then(Value::as_str).filter(|a| !a.is_empty()) {
            Some(a) if used.iter().any(|u| u == a) => return Err(in_use(a)),
            Some(a) => a.to_string(),
            None => free_address(subnet, &used)?,
        };
        nics[k]["ipv4_address"] = json!(address);
    }
    let pending =
        Pending { at: now + sim.delays().update, state: "running", failure: None, nics: Some(Value::Array(nics)) };
    store.find(id)?.begin("pending", "modify-ip", pending, now);
    Ok(Reply::json(200, json!({})))
}

fn delete(sim: &Shared, store: &mut Store, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    if gone(inst) {
        return Err(not_found(&[id]));
    }
    if c::STATUSES.going.contains(&inst.state()) {
        return Ok(Reply::empty(204));
    }
    let takes = sim.delays().delete;
    inst.begin(
        "shutting-down",
        "uninstall",
        Pending { at: now + takes, state: "terminated", failure: None, nics: None },
        now,
    );
    inst.remove_at = Some(now + takes * 11);
    Ok(Reply::empty(204))
}
