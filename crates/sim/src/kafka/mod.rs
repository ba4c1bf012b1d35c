//! DMS for Kafka instances (`/v2/{project_id}/instances...` and `/v2/{project_id}/kafka/{id}/tags...`).
//!
//! Errors: 400 `DMS.00400000` for invalid input, 404 `DMS.00404022` for a missing instance, and
//! 400 `DMS.00400026` when an operation is still in flight (the instance is not RUNNING).
//! Statuses: CREATING -> RUNNING after the create delay (CREATEFAILED under fail-creates); the
//! auto-topic switch keeps it RESTARTING for the update delay; a delete shows DELETING, then ERROR,
//! and the instance is gone after the delete delay.

mod bodies;
mod model;
mod topic_configs;

use std::fmt::Display;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::paging::{self, Number};
use super::server::{ApiRequest, Reply, Service, Shared};
use super::store::{self, Objects, Stored};
use super::{spec, tags};
pub use bodies::{create_rules, CREATE, TOPIC_CREATE};
use model::Instance;

pub const INVALID: &str = "DMS.00400000";
pub const NOT_FOUND: &str = "DMS.00404022";
pub const BUSY: &str = "DMS.00400026";

/// Paging of the instance list, as the SDK's ListInstancesRequest (`list_instances`) states it: offset
/// at least 0 (its default is not stated: 0), limit 1 to 50 (default 10).
const LIST_PAGING: [Number; 2] = [Number::new("offset", 0, i64::MAX, 0), Number::new("limit", 1, 50, 10)];

/// Paging of the topic list, as the SDK's ListInstanceTopicsRequest (`list_instance_topics`) states it:
/// offset at least 0 (its default is not stated: 0), limit 0 to 200 (default 50).
const TOPIC_PAGING: [Number; 2] = [Number::new("offset", 0, i64::MAX, 0), Number::new("limit", 0, 200, 50)];

#[derive(Default)]
pub struct Kafka {
    store: Mutex<Store>,
}

type Store = store::Store<Instance>;

impl Store {
    fn find(&mut self, id: &str) -> Result<&mut Instance, Reply> {
        self.get_mut(id).ok_or_else(not_found)
    }
}

fn invalid(e: impl Display) -> Reply {
    Reply::error(400, INVALID, format!("Invalid request parameters: {e}"))
}

fn not_found() -> Reply {
    Reply::error(404, NOT_FOUND, "The instance does not exist.")
}

fn busy(inst: &Instance) -> Reply {
    Reply::error(400, BUSY, format!("The instance status {} does not allow this operation now.", inst.status()))
}

fn check_query(req: &ApiRequest, allowed: &[&str]) -> Result<(), Reply> {
    req.check_query(allowed).map_err(invalid)
}

fn body(req: &ApiRequest, op: &spec::Op) -> Result<Value, Reply> {
    check_query(req, &[])?;
    let v = req.json().map_err(invalid)?;
    op.validate(&v).map_err(invalid)?;
    Ok(v)
}

impl Service for Kafka {
    fn name(&self) -> &'static str {
        "kafka"
    }

    fn handle(&self, sim: &Shared, req: &ApiRequest) -> Option<Reply> {
        let segs = req.segments();
        let (project, rest) = match segs.as_slice() {
            ["v2", project, rest @ ..] if matches!(rest.first(), Some(&"instances" | &"kafka")) => (*project, rest),
            _ => return None,
        };
        Some(Store::serve(&self.store, sim, project, |store, now| match (req.method.as_str(), rest) {
            ("POST", ["instances"]) => create(sim, store, req, now),
            ("POST", ["kafka", "instances"]) => create_v2(sim, store, req, now),
            ("GET", ["instances"]) => list(store, req),
            ("GET", ["instances", id]) => {
                check_query(req, &[]).and_then(|()| Ok(Reply::json(200, store.find(id)?.view.clone().into())))
            }
            ("PUT", ["instances", id]) => update(store, req, id),
            ("DELETE", ["instances", id]) => delete(sim, store, req, id, now),
            ("POST", ["instances", id, "autotopic"]) => autotopic(sim, store, req, id, now),
            ("POST", ["kafka", "instances", id, "extend"]) => extend(sim, store, req, id, now),
            ("POST", ["instances", id, "topics"]) => topic_create(store, req, id, now),
            ("GET", ["instances", id, "topics"]) => topic_list(store, req, id),
            ("PUT", ["instances", id, "topics"]) => topic_update(store, req, id),
            ("POST", ["instances", id, "topics", "delete"]) => topic_delete(store, req, id),
            ("PUT", ["instances", id, "kafka-manager-password"]) => password(store, req, id, bodies::MANAGER_PASSWORD),
            ("POST", ["instances", id, "password"]) => password(store, req, id, bodies::SASL_PASSWORD),
            ("GET", ["kafka", id, "tags"]) => check_query(req, &[])
                .and_then(|()| Ok(Reply::json(200, json!({"tags": store.find(id)?.view["tags"].clone()})))),
            ("POST", ["kafka", id, "tags", "action"]) => tags(store, req, id),
            _ => Err(Reply::not_routed(req)),
        }))
    }

    fn objects(&self) -> Option<&dyn Objects> {
        Some(&self.store)
    }
}

fn create(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = body(req, bodies::CREATE)?;
    bodies::create_rules(&b).map_err(invalid)?;
    let seq = store.next_seq();
    let inst = Instance::create(&b, seq, now, sim.delays(), sim.take_fail_create("kafka"));
    let id = inst.id().to_string();
    store.instances.push(inst);
    Ok(Reply::json(200, json!({"instance_id": id})))
}

/// The current create API (CreatePostPaidKafkaInstance): a flavor and a number of brokers.
fn create_v2(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    check_query(req, &[])?;
    let v = req.json().map_err(invalid)?;
    let (b, shape) = bodies::create_v2(&v).map_err(invalid)?;
    let seq = store.next_seq();
    let mut inst = Instance::create_shaped(&b, shape, seq, now, sim.delays(), sim.take_fail_create("kafka"));
    let prepaid = s_at(&v, "bss_param.charging_mode") == Some("prePaid");
    inst.view.insert("charging_mode".into(), json!(if prepaid { 0 } else { 1 }));
    let id = inst.id().to_string();
    store.instances.push(inst);
    Ok(Reply::json(200, json!({"instance_id": id})))
}

fn s_at<'a>(v: &'a Value, path: &str) -> Option<&'a str> {
    spec::at(v, path).and_then(Value::as_str)
}

fn list(store: &Store, req: &ApiRequest) -> Result<Reply, Reply> {
    let known = ["engine", "name", "instance_id", "status", "include_failure", "exact_match_name"];
    check_query(req, &[&known[..], &["enterprise_project_id", "offset", "limit"]].concat())?;
    let q = |k: &str| req.param(k);
    let [offset, limit] = paging::numbers(req, &LIST_PAGING).map_err(invalid)?.map(|n| n as usize);
    for key in ["include_failure", "exact_match_name"] {
        if q(key).is_some_and(|v| v != "true" && v != "false") {
            return Err(invalid(format!("{key}: must be 'true' or 'false'")));
        }
    }
    if q("engine").is_some_and(|e| e != "kafka") {
        return Err(invalid("engine: must be kafka"));
    }
    let exact = q("exact_match_name") == Some("true");
    let with_failed = q("include_failure") == Some("true");
    let mut matching: Vec<&Instance> = store
        .instances
        .iter()
        .filter(|i| {
            q("name").is_none_or(|n| if exact { i.get_str("name") == n } else { i.get_str("name").contains(n) })
        })
        .filter(|i| q("instance_id").is_none_or(|id| i.id() == id))
        .filter(|i| q("status").is_none_or(|s| i.status() == s))
        .filter(|i| q("enterprise_project_id").is_none_or(|e| i.get_str("enterprise_project_id") == e))
        .filter(|i| with_failed || i.status() != "CREATEFAILED")
        .collect();
    matching.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let count = matching.len();
    let page: Vec<Value> = matching.into_iter().skip(offset).take(limit).map(|i| i.view.clone().into()).collect();
    Ok(Reply::json(200, json!({"instances": page, "instance_num": count})))
}

fn update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = body(req, bodies::UPDATE)?;
    let inst = store.find(id)?;
    if b.as_object().is_some_and(|o| o.is_empty()) {
        return Err(invalid("the body names no field to change"));
    }
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    for (key, v) in b.as_object().into_iter().flatten() {
        let v = match v.as_str() {
            Some(t) if key.starts_with("maintain_") && t.len() == 5 => json!(format!("{t}:00")),
            _ => v.clone(),
        };
        inst.set(key, v);
    }
    Ok(Reply::empty(204))
}

fn autotopic(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = body(req, bodies::AUTOTOPIC)?;
    let inst = store.find(id)?;
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    let on = b["enable_auto_topic"].as_bool();
    inst.start("RESTARTING", now, sim.delays().update, on);
    Ok(Reply::json(200, json!({"enable_auto_topic": on})))
}

/// A resize: storage grows (multiples of 100 GB, only up), vertical moves to another product of the
/// catalog, horizontal adds brokers. EXTENDING for the update delay, then RUNNING with the new values.
fn extend(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = body(req, bodies::EXTEND)?;
    let inst = store.find(id)?;
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    if inst.view.get("charging_mode") != Some(&json!(1)) {
        return Err(invalid("only pay-per-use instances can be resized through the API"));
    }
    let mut changes = serde_json::Map::new();
    match b["oper_type"].as_str().unwrap_or("") {
        "storage" => {
            let new = {
                spec::require(&b, "new_storage_space", "when oper_type is storage").map_err(invalid)?;
                b["new_storage_space"].as_i64().unwrap_or(0)
            };
            let old = inst.view.get("storage_space").and_then(Value::as_i64).unwrap_or(0);
            if new % 100 != 0 {
                return Err(invalid(format!("new_storage_space: {new} is not a multiple of 100 GB")));
            }
            if new <= old {
                return Err(invalid(format!("new_storage_space: {new} GB is not more than the current {old} GB")));
            }
            changes.insert("storage_space".into(), json!(new));
            changes.insert("total_storage_space".into(), json!(new));
        }
        "vertical" => {
            let product = {
                spec::require(&b, "new_product_id", "when oper_type is vertical").map_err(invalid)?;
                b["new_product_id"].as_str().unwrap_or("").to_string()
            };
            let Some((_, spec)) = bodies::PRODUCTS.iter().find(|(p, _)| *p == product) else {
                return Err(invalid(format!("new_product_id: unknown product {product:?}")));
            };
            if inst.view.get("product_id") == Some(&json!(product)) {
                return Err(invalid("new_product_id: the instance already has this product"));
            }
            let (spec, partitions, _, code) = bodies::spec_of(spec);
            changes.insert("product_id".into(), json!(product));
            changes.insert("specification".into(), json!(spec));
            changes.insert("partition_num".into(), json!(partitions.to_string()));
            changes.insert("resource_spec_code".into(), json!(code));
        }
        _ => {
            let new = {
                spec::require(&b, "new_broker_num", "when oper_type is horizontal").map_err(invalid)?;
                b["new_broker_num"].as_i64().unwrap_or(0)
            };
            let old = inst.view.get("broker_num").and_then(Value::as_i64).unwrap_or(0);
            if new <= old {
                return Err(invalid(format!("new_broker_num: {new} is not more than the current {old}")));
            }
            changes.insert("broker_num".into(), json!(new));
            changes.insert("node_num".into(), json!(new));
        }
    }
    inst.start_with("EXTENDING", now, sim.delays().update, changes);
    let extended = inst.view.get("extend_times").and_then(Value::as_i64).unwrap_or(0) + 1;
    inst.set("extend_times", json!(extended));
    Ok(Reply::json(200, json!({"job_id": crate::util::uuid()})))
}

/// A password reset (Kafka Manager, or SASL for a SASL_SSL instance); the new password is kept out of
/// the answers (the admin state shows whether it was changed).
fn password(store: &mut Store, req: &ApiRequest, id: &str, op: &spec::Op) -> Result<Reply, Reply> {
    let b = body(req, op)?;
    let inst = store.find(id)?;
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    let sasl = req.path.ends_with("/password") && !req.path.ends_with("kafka-manager-password");
    if sasl && inst.view.get("ssl_enable") != Some(&json!(true)) {
        return Err(invalid("the SASL password can only be reset on an instance with ssl_enable"));
    }
    let which = if sasl { "sasl" } else { "manager" };
    inst.passwords_changed.push(which);
    let _ = b;
    Ok(Reply::empty(204))
}

/// Partitions the instance's specification allows, all topics together.
fn partition_budget(inst: &Instance) -> i64 {
    inst.view.get("partition_num").and_then(Value::as_str).and_then(|p| p.parse().ok()).unwrap_or(300)
}

fn partitions_used(inst: &Instance) -> i64 {
    inst.topics.iter().map(|t| t["partition"].as_i64().unwrap_or(0)).sum()
}

/// A topic: defaults as the service applies them (3 partitions, 3 replicas, 72 hours), every
/// configuration of the catalog with its value, and its creation time (simulated clock). The documents
/// are silent on a duplicate name's error code: the simulator answers `DMS.00400000` and says so.
fn topic_create(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = body(req, bodies::TOPIC_CREATE)?;
    topic_configs::check(&b["topic_other_configs"], "topic_other_configs").map_err(invalid)?;
    let inst = store.find(id)?;
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    let name = b["id"].as_str().unwrap_or("").to_string();
    if inst.topics.iter().any(|t| t["name"] == name.as_str()) {
        return Err(invalid(format!("id: the topic {name:?} already exists")));
    }
    let num = |k: &str, default: i64| b.get(k).and_then(Value::as_i64).unwrap_or(default);
    let brokers = inst.view.get("broker_num").and_then(Value::as_i64).unwrap_or(3);
    if num("replication", 3) > brokers {
        return Err(invalid(format!("replication: at most {brokers}, the number of brokers")));
    }
    if partitions_used(inst) + num("partition", 3) > partition_budget(inst) {
        return Err(invalid(format!(
            "partition: only {} partitions are left",
            partition_budget(inst) - partitions_used(inst)
        )));
    }
    let flag = |k: &str| b.get(k).and_then(Value::as_bool).unwrap_or(false);
    let mut configs = topic_configs::defaults();
    topic_configs::apply(&mut configs, &b["topic_other_configs"]);
    let created_at = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
    inst.topics.push(json!({
        "name": name, "replication": num("replication", 3), "partition": num("partition", 3),
        "retention_time": num("retention_time", 72), "sync_replication": flag("sync_replication"),
        "sync_message_flush": flag("sync_message_flush"), "external_configs": {}, "topic_type": 0,
        "policiesOnly": false, "topic_other_configs": configs,
        "topic_desc": b.get("topic_desc").and_then(Value::as_str).unwrap_or(""), "created_at": created_at,
    }));
    Ok(Reply::json(200, json!({"name": name})))
}

fn topic_list(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    check_query(req, &["offset", "limit"])?;
    let [offset, limit] = paging::numbers(req, &TOPIC_PAGING).map_err(invalid)?.map(|n| n as usize);
    let inst = store.find(id)?;
    let page: Vec<Value> = inst.topics.iter().skip(offset).take(limit).cloned().collect();
    let (budget, used) = (partition_budget(inst), partitions_used(inst));
    Ok(Reply::json(
        200,
        json!({"total": inst.topics.len(), "size": page.len(), "remain_partitions": budget - used,
               "max_partitions": budget, "topic_max_partitions": 200, "topics": page}),
    ))
}

fn topic_update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = body(req, bodies::TOPIC_UPDATE)?;
    let inst = store.find(id)?;
    if inst.status() != "RUNNING" {
        return Err(busy(inst));
    }
    // All or nothing: every change is checked before any is made.
    let changes = b["topics"].as_array().cloned().unwrap_or_default();
    for (i, c) in changes.iter().enumerate() {
        let Some(t) = inst.topics.iter().find(|t| t["name"] == c["id"]) else {
            return Err(invalid(format!("topics[{i}].id: no topic {}", c["id"])));
        };
        topic_configs::check(&c["topic_other_configs"], &format!("topics[{i}].topic_other_configs"))
            .map_err(invalid)?;
        if let Some(n) = c.get("new_partition_numbers").and_then(Value::as_i64) {
            let old = t["partition"].as_i64().unwrap_or(0);
            if n <= old {
                return Err(invalid(format!("topics[{i}].new_partition_numbers: partitions can only be added")));
            }
            if partitions_used(inst) - old + n > partition_budget(inst) {
                let left = partition_budget(inst) - partitions_used(inst);
                return Err(invalid(format!("topics[{i}].new_partition_numbers: only {left} partitions are left")));
            }
        }
    }
    for c in &changes {
        let t = inst.topics.iter_mut().find(|t| t["name"] == c["id"]).expect("checked above");
        for (k, v) in c.as_object().into_iter().flatten().filter(|(k, _)| k.as_str() != "id") {
            match k.as_str() {
                "new_partition_numbers" => t["partition"] = v.clone(),
                "new_partition_brokers" => {}
                "topic_other_configs" => topic_configs::apply(&mut t["topic_other_configs"], v),
                _ => t[k.as_str()] = v.clone(),
            }
        }
    }
    Ok(Reply::empty(204))
}

fn topic_delete(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = body(req, bodies::TOPIC_DELETE)?;
    let inst = store.find(id)?;
    let results: Vec<Value> = b["topics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|name| {
            let before = inst.topics.len();
            inst.topics.retain(|t| &t["name"] != name);
            json!({"id": name, "success": inst.topics.len() < before})
        })
        .collect();
    Ok(Reply::json(200, json!({"topics": results})))
}

fn tags(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = body(req, bodies::TAGS_ACTION)?;
    tags::unique_keys(&b).map_err(invalid)?;
    let inst = store.find(id)?;
    if matches!(inst.status(), "CREATING" | "DELETING") {
        return Err(busy(inst));
    }
    let create = b["action"] == "create";
    let changed = tags::apply(inst.view.get("tags"), &b, create, bodies::MAX_TAGS).map_err(invalid)?;
    inst.set("tags", changed);
    Ok(Reply::empty(204))
}

fn delete(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    check_query(req, &[])?;
    let inst = store.find(id)?;
    if inst.deleting.is_some() {
        return Ok(Reply::empty(204));
    }
    if inst.pending.is_some() {
        return Err(busy(inst));
    }
    inst.deleting = Some((now, now + sim.delays().delete));
    store.advance(now);
    Ok(Reply::empty(204))
}

#[cfg(test)]
mod tests;
