//! Broker parameters (ShowInstanceConfigs, ModifyInstanceConfigs).
//!
//! The user guide lists the parameters by name and says dynamic ones take effect at once and static
//! ones after a restart; the valid values and defaults below are the simulator's choice (after the
//! open-source defaults). Every new value shows in the list at once (a static one would need a restart
//! of the real brokers, which the simulator does not model). A change needs a RUNNING instance with no
//! change in flight (busy answer otherwise); an unknown name or a value outside its valid values is
//! refused (400 naming it) and nothing changes.

use serde_json::{json, Value};

use super::errors::invalid;
use super::model::Store;
use crate::request::{ApiRequest, Reply};
use crate::util;

/// What values a parameter takes.
enum Valid {
    Range(i64, i64),
    OneOf(&'static [&'static str]),
}

/// (name, valid values, default, dynamic).
const PARAMETERS: &[(&str, Valid, &str, bool)] = &[
    ("min.insync.replicas", Valid::Range(1, 3), "1", true),
    ("message.max.bytes", Valid::Range(0, 10_485_760), "10485760", true),
    ("unclean.leader.election.enable", Valid::OneOf(&["true", "false"]), "false", true),
    ("connections.max.idle.ms", Valid::Range(5000, 600_000), "600000", true),
    ("log.retention.hours", Valid::Range(1, 168), "72", false),
    ("auto.create.groups.enable", Valid::OneOf(&["true", "false"]), "true", false),
    ("offsets.retention.minutes", Valid::Range(1440, 30_240), "20160", false),
    ("default.replication.factor", Valid::Range(1, 3), "3", false),
    ("num.partitions", Valid::Range(1, 200), "3", false),
    ("log.message.timestamp.type", Valid::OneOf(&["CreateTime", "LogAppendTime"]), "LogAppendTime", false),
];

fn valid_values(v: &Valid) -> String {
    match v {
        Valid::Range(lo, hi) => format!("{lo}~{hi}"),
        Valid::OneOf(options) => options.join(","),
    }
}

fn allows(v: &Valid, value: &str) -> bool {
    match v {
        Valid::Range(lo, hi) => value.parse::<i64>().is_ok_and(|n| (*lo..=*hi).contains(&n)),
        Valid::OneOf(options) => options.contains(&value),
    }
}

pub fn show(store: &mut Store, id: &str) -> Result<Reply, Reply> {
    let inst = store.find(id)?;
    let configs: Vec<Value> = PARAMETERS
        .iter()
        .map(|(name, valid, default, dynamic)| {
            let value = inst.configs.get(*name).map_or(*default, String::as_str);
            let value_type = match valid {
                Valid::Range(..) => "integer",
                Valid::OneOf(_) => "enum",
            };
            json!({
                "name": name, "valid_values": valid_values(valid), "default_value": default,
                "config_type": if *dynamic { "dynamic" } else { "static" }, "value": value, "value_type": value_type,
            })
        })
        .collect();
    Ok(Reply::json(200, json!({"kafka_configs": configs})))
}

pub fn update(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    inst.ready()?;
    let mut changes = Vec::new();
    let (mut dynamic, mut fixed) = (0, 0);
    for (i, item) in b["kafka_configs"].as_array().into_iter().flatten().enumerate() {
        let name = item["name"].as_str().unwrap_or("");
        let value = item["value"].as_str().unwrap_or("");
        let Some((_, valid, _, is_dynamic)) = PARAMETERS.iter().find(|p| p.0 == name) else {
            return Err(invalid(format!("kafka_configs[{i}].name: {name:?} is not a parameter of the instance")));
        };
        if !allows(valid, value) {
            return Err(invalid(format!(
                "kafka_configs[{i}].value: {name} takes {}, got {value:?}",
                valid_values(valid)
            )));
        }
        if *is_dynamic {
            dynamic += 1;
        } else {
            fixed += 1;
        }
        changes.push((name.to_string(), value.to_string()));
    }
    inst.configs.extend(changes);
    Ok(Reply::json(200, json!({"job_id": util::uuid(), "dynamic_config": dynamic, "static_config": fixed})))
}
