//! The Kafka instance operations: create (both APIs), list, update, resize, passwords, the auto-topic
//! switch, tags and delete.

use std::time::SystemTime;

use hwapi::contract::kafka::{self as c, STATUSES};
use serde_json::{json, Value};

use super::bodies;
use super::errors::{busy, invalid};
use super::model::{Instance, Store};
use crate::request::{ApiRequest, Reply};
use crate::spec;
use crate::state::Shared;
use crate::store::Stored;
use crate::tags;

pub fn create(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    bodies::create_rules(&b).map_err(invalid)?;
    let seq = store.next_seq();
    let inst = Instance::create(&b, seq, now, sim.delays(), sim.take_fail_create("kafka"));
    let id = inst.id().to_string();
    store.instances.push(inst);
    Ok(Reply::json(200, json!({"instance_id": id})))
}

/// The current create API (CreatePostPaidKafkaInstance): a flavor and a number of brokers.
pub fn create_v2(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let v = req.checked_body();
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

pub fn list(store: &Store, req: &ApiRequest) -> Result<Reply, Reply> {
    // The router has checked the query against the contract's parameters (names, ranges, enumerations).
    let q = |k: &str| req.param(k);
    let [offset, limit] = ["offset", "limit"].map(|k| crate::paging::number(&c::LIST, req, k));
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
        .filter(|i| with_failed || !STATUSES.create_failed.contains(&i.status()))
        .collect();
    matching.sort_by_key(|i| std::cmp::Reverse(i.seq));
    let count = matching.len();
    let page: Vec<Value> = matching.into_iter().skip(offset).take(limit).map(|i| i.view.clone().into()).collect();
    Ok(Reply::json(200, json!({"instances": page, "instance_num": count})))
}

pub fn update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    if b.as_object().is_some_and(|o| o.is_empty()) {
        return Err(invalid("the body names no field to change"));
    }
    if !STATUSES.is_ready(inst.status()) {
        return Err(busy(inst.status()));
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

pub fn autotopic(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    if !STATUSES.is_ready(inst.status()) {
        return Err(busy(inst.status()));
    }
    let on = b["enable_auto_topic"].as_bool();
    inst.start("RESTARTING", now, sim.delays().update, on);
    Ok(Reply::json(200, json!({"enable_auto_topic": on})))
}

/// A resize: storage grows (multiples of 100 GB, only up), vertical moves to another product of the
/// catalog, horizontal adds brokers. EXTENDING for the update delay, then RUNNING with the new values.
pub fn extend(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    if !STATUSES.is_ready(inst.status()) {
        return Err(busy(inst.status()));
    }
    if inst.view.get("charging_mode") != Some(&json!(1)) {
        return Err(invalid("only pay-per-use instances can be resized through the API"));
    }
    let mut changes = serde_json::Map::new();
    match b["oper_type"].as_str().unwrap_or("") {
        "storage" => {
            let new = b["new_storage_space"].as_i64().unwrap_or(0);
            let old = inst.view.get("storage_space").and_then(Value::as_i64).unwrap_or(0);
            if new <= old {
                return Err(invalid(format!("new_storage_space: {new} GB is not more than the current {old} GB")));
            }
            changes.insert("storage_space".into(), json!(new));
            changes.insert("total_storage_space".into(), json!(new));
        }
        "vertical" => {
            let product = b["new_product_id"].as_str().unwrap_or("").to_string();
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
            let new = b["new_broker_num"].as_i64().unwrap_or(0);
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
pub fn password(store: &mut Store, id: &str, sasl: bool) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    if !STATUSES.is_ready(inst.status()) {
        return Err(busy(inst.status()));
    }
    if sasl && inst.view.get("ssl_enable") != Some(&json!(true)) {
        return Err(invalid("the SASL password can only be reset on an instance with ssl_enable"));
    }
    let which = if sasl { "sasl" } else { "manager" };
    inst.passwords_changed.push(which.to_string());
    Ok(Reply::empty(204))
}

pub fn tags(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    tags::unique_keys(&b).map_err(invalid)?;
    let inst = store.find(id)?;
    if inst.status() == "CREATING" || STATUSES.going.contains(&inst.status()) {
        return Err(busy(inst.status()));
    }
    let create = b["action"] == "create";
    let changed = tags::apply(inst.view.get("tags"), &b, create, bodies::MAX_TAGS).map_err(invalid)?;
    inst.set("tags", changed);
    Ok(Reply::empty(204))
}

pub fn delete(sim: &Shared, store: &mut Store, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    if inst.deleting.is_some() {
        return Ok(Reply::empty(204));
    }
    if inst.pending.is_some() {
        return Err(busy(inst.status()));
    }
    inst.deleting = Some((now, now + sim.delays().delete));
    store.advance(now);
    Ok(Reply::empty(204))
}
