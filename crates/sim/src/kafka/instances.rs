//! The Kafka instance operations: create (both APIs), list, update, passwords, the auto-topic switch,
//! tags and delete (a yearly/monthly instance is refused: the Billing Center unsubscribes it).

use std::time::SystemTime;

use hwapi::contract::kafka::{self as c, STATUSES};
use serde_json::{json, Value};

use super::errors::{busy, invalid};
use super::model::{Instance, Store};
use super::{bodies, v2};
use crate::request::{ApiRequest, Reply};
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

/// The current create API (CreatePostPaidKafkaInstance): a flavor and a number of brokers (`v2`).
pub fn create_v2(sim: &Shared, store: &mut Store, req: &ApiRequest, now: SystemTime) -> Result<Reply, Reply> {
    let body = req.checked_body();
    let checked = v2::check(&body).map_err(invalid)?;
    let seq = store.next_seq();
    let failure = sim.take_fail_create("kafka");
    let mut inst = Instance::create_shaped(&body, checked.shape(), seq, now, sim.delays(), failure);
    v2::finish(&mut inst, &body, &checked);
    let id = inst.id().to_string();
    store.instances.push(inst);
    Ok(Reply::json(200, json!({"instance_id": id})))
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
    inst.ready()?;
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
    inst.ready()?;
    let on = b["enable_auto_topic"].as_bool();
    inst.start("RESTARTING", now, sim.delays().update, on);
    Ok(Reply::json(200, json!({"enable_auto_topic": on})))
}

/// A password reset (Kafka Manager, or SASL for a SASL_SSL instance); the new password is kept out of
/// the answers (the admin state shows whether it was changed).
pub fn password(store: &mut Store, id: &str, sasl: bool) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    inst.ready()?;
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
    if inst.view.get("charging_mode") == Some(&json!(0)) {
        return Err(invalid(
            "a yearly/monthly instance is not deleted through the API: the Billing Center unsubscribes it",
        ));
    }
    inst.deleting = Some((now, now + sim.delays().delete));
    store.advance(now);
    Ok(Reply::empty(204))
}
