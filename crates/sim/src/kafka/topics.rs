//! The topics of a Kafka instance: create, list, update and batch delete.

use std::time::{SystemTime, UNIX_EPOCH};

use hwapi::contract::kafka as c;
use serde_json::{json, Value};

use super::errors::invalid;
use super::model::{Instance, Store};
use super::topic_configs;
use crate::request::{ApiRequest, Reply};

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
pub fn topic_create(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    topic_configs::check(&b["topic_other_configs"], "topic_other_configs").map_err(invalid)?;
    let inst = store.find(id)?;
    inst.ready()?;
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

pub fn topic_list(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let [offset, limit] = ["offset", "limit"].map(|k| crate::paging::number(&c::TOPIC_LIST, req, k));
    let inst = store.find(id)?;
    let page: Vec<Value> = inst.topics.iter().skip(offset).take(limit).cloned().collect();
    let (budget, used) = (partition_budget(inst), partitions_used(inst));
    Ok(Reply::json(
        200,
        json!({"total": inst.topics.len(), "size": page.len(), "remain_partitions": budget - used,
               "max_partitions": budget, "topic_max_partitions": 200, "topics": page}),
    ))
}

pub fn topic_update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    inst.ready()?;
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

pub fn topic_delete(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    let results: Vec<Value> = b["topics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|name| {
            let before = inst.topics.len();
            inst.topics.retain(|t| &t["name"] != name);
            // A topic's access policies go with it.
            inst.policies.remove(name.as_str().unwrap_or(""));
            json!({"id": name, "success": inst.topics.len() < before})
        })
        .collect();
    Ok(Reply::json(200, json!({"topics": results})))
}
