//! The configurations a topic carries (`topic_other_configs`). The topic list shows every one of them
//! with its value (the configured one, else the default), as the SDK's TopicEntity does. The documents
//! are silent on the exact catalog: these six, their defaults and valid values are the simulator's
//! choice, and its help says so.

use serde_json::{json, Value};

/// The values a configuration accepts.
enum Valid {
    /// A whole number in this range (inclusive).
    Range(i64, i64),
    OneOf(&'static [&'static str]),
}

/// One configuration of the catalog.
struct Config {
    name: &'static str,
    default: &'static str,
    valid: Valid,
}

const CATALOG: &[Config] = &[
    Config { name: "max.message.bytes", default: "10485760", valid: Valid::Range(0, 10_485_760) },
    Config {
        name: "message.timestamp.type",
        default: "CreateTime",
        valid: Valid::OneOf(&["CreateTime", "LogAppendTime"]),
    },
    Config {
        name: "message.timestamp.difference.max.ms",
        default: "9223372036854775807",
        valid: Valid::Range(0, i64::MAX),
    },
    Config { name: "retention.bytes", default: "-1", valid: Valid::Range(-1, i64::MAX) },
    Config { name: "min.insync.replicas", default: "1", valid: Valid::Range(1, 3) },
    Config { name: "cleanup.policy", default: "delete", valid: Valid::OneOf(&["delete", "compact"]) },
];

impl Config {
    /// The list entry (TopicEntityTopicOtherConfigs) with this value.
    fn entry(&self, value: &str) -> Value {
        let (valid_values, value_type) = match self.valid {
            Valid::Range(min, max) => (format!("{min}~{max}"), "integer"),
            Valid::OneOf(options) => (format!("[{}]", options.join(", ")), "enum"),
        };
        json!({
            "name": self.name, "value": value, "default_value": self.default, "valid_values": valid_values,
            "config_type": "dynamic", "value_type": value_type,
        })
    }

    /// `Err` says why `value` is not valid.
    fn check(&self, value: &str) -> Result<(), String> {
        match self.valid {
            Valid::Range(min, max) => match value.parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(()),
                Ok(_) => Err(format!("{value:?} is outside {min}~{max} for {}", self.name)),
                Err(_) => Err(format!("{value:?} is not an integer, as {} takes", self.name)),
            },
            Valid::OneOf(options) if options.contains(&value) => Ok(()),
            Valid::OneOf(options) => Err(format!("{value:?} is not one of [{}] for {}", options.join(", "), self.name)),
        }
    }
}

/// Every configuration with its default value.
pub fn defaults() -> Value {
    Value::Array(CATALOG.iter().map(|c| c.entry(c.default)).collect())
}

/// Check a request's `topic_other_configs` (at `path`): every name known, every value valid.
pub fn check(requested: &Value, path: &str) -> Result<(), String> {
    for (i, c) in requested.as_array().into_iter().flatten().enumerate() {
        let name = c["name"].as_str().unwrap_or("");
        let Some(config) = CATALOG.iter().find(|k| k.name == name) else {
            let known: Vec<&str> = CATALOG.iter().map(|k| k.name).collect();
            return Err(format!("{path}[{i}].name: unknown configuration {name:?} (known: {})", known.join(", ")));
        };
        config.check(c["value"].as_str().unwrap_or("")).map_err(|e| format!("{path}[{i}].value: {e}"))?;
    }
    Ok(())
}

/// Set the values a checked request names in a topic's list; the others keep theirs.
pub fn apply(list: &mut Value, requested: &Value) {
    for c in requested.as_array().into_iter().flatten() {
        let entry = list.as_array_mut().into_iter().flatten().find(|e| e["name"] == c["name"]);
        if let Some(entry) = entry {
            entry["value"] = c["value"].clone();
        }
    }
}
