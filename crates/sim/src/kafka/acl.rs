//! The access policies of a Kafka instance's topics: which SASL user may publish (`pub`), subscribe
//! (`sub`) or both (`all`).
//!
//! Rules the documents state: policies exist only on an instance with SASL; each listed topic's
//! policies become exactly the given list (an empty list takes every policy away). The simulator
//! also holds that a policy names a user of the instance, that a change needs a RUNNING instance
//! (busy otherwise), and that a topic's policies go with the topic (and a user's with the user).
//!
//! Where the documents are silent, the simulator chooses:
//! - An update naming a topic or a user that does not exist is refused whole with 400
//!   `DMS.00400000` naming the member (as a topic update naming an unknown topic is); a topic listed
//!   twice, or a user twice in one topic's list, is refused the same way. Nothing changes on a refusal.
//! - The show of a topic that does not exist answers 404 `DMS.00404022` (the object of the path is
//!   gone); it lists the granted policies only (`owner` false), the SASL user given at creation
//!   not among them, and `topic_type` 0 (a common topic).

use serde_json::{json, Value};

use super::errors::{invalid, missing};
use super::model::Store;
use super::users::{changeable, is_user, with_sasl};
use crate::request::{ApiRequest, Reply};

pub fn update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = changeable(store, id)?;
    let topics = b["topics"].as_array().cloned().unwrap_or_default();
    // All or nothing: every topic and user is checked before any policy changes.
    let mut seen: Vec<&str> = Vec::new();
    for (i, t) in topics.iter().enumerate() {
        let name = t["name"].as_str().unwrap_or("");
        if !inst.topics.iter().any(|known| known["name"] == name) {
            return Err(invalid(format!("topics[{i}].name: no topic {name:?}")));
        }
        if seen.contains(&name) {
            return Err(invalid(format!("topics[{i}].name: the topic {name:?} is listed twice")));
        }
        seen.push(name);
        let mut users: Vec<&str> = Vec::new();
        for (j, p) in t["policies"].as_array().into_iter().flatten().enumerate() {
            let user = p["user_name"].as_str().unwrap_or("");
            if !is_user(inst, user) {
                return Err(invalid(format!("topics[{i}].policies[{j}].user_name: no user {user:?}")));
            }
            if users.contains(&user) {
                return Err(invalid(format!("topics[{i}].policies[{j}].user_name: {user:?} is listed twice")));
            }
            users.push(user);
        }
    }
    for t in &topics {
        let policies: Vec<Value> = t["policies"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| json!({"owner": false, "user_name": p["user_name"], "access_policy": p["access_policy"]}))
            .collect();
        let name = t["name"].as_str().unwrap_or("").to_string();
        if policies.is_empty() {
            inst.policies.remove(&name);
        } else {
            inst.policies.insert(name, policies);
        }
    }
    Ok(Reply::json(200, json!({"job_id": crate::util::uuid()})))
}

pub fn show(store: &mut Store, id: &str, topic: &str) -> Result<Reply, Reply> {
    let inst = with_sasl(store, id)?;
    if !inst.topics.iter().any(|t| t["name"] == topic) {
        return Err(missing(format!("The topic {topic:?}")));
    }
    let policies = inst.policies.get(topic).cloned().unwrap_or_default();
    Ok(Reply::json(200, json!({"name": topic, "topic_type": 0, "policies": policies})))
}
