//! Tags as the IoTDA and Kafka APIs keep them: a list of `{"key", "value"}`, one entry a key.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::spec::{self, Invalid};

/// One entry of a tag list.
pub fn tag(key: &str, value: &str) -> Value {
    json!({"key": key, "value": value})
}

/// The `tags` of a create body as stored (a missing value becomes "").
pub fn of_body(body: &Value) -> Vec<Value> {
    let tags = body.get("tags").and_then(Value::as_array).into_iter().flatten();
    tags.map(|t| tag(text(t, "key"), text(t, "value"))).collect()
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// No tag key twice in one request.
pub fn unique_keys(body: &Value) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    for (i, tag) in spec::at(body, "tags").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let key = text(tag, "key");
        if !seen.insert(key) {
            return Err(Invalid::new(format!("tags[{i}].key"), format!("duplicate tag key {key:?}")));
        }
    }
    Ok(())
}

/// The tags `current` after a request `body` binds (`bind`) or unbinds its `tags`: each named key is
/// removed, and a bound one is added again, last, with its new value. Err when more than `max` would remain.
pub fn apply(current: Option<&Value>, body: &Value, bind: bool, max: usize) -> Result<Value, String> {
    let mut tags: Vec<Value> = current.and_then(Value::as_array).cloned().unwrap_or_default();
    for t in body["tags"].as_array().into_iter().flatten() {
        let key = text(t, "key");
        tags.retain(|c| c["key"] != key);
        if bind {
            tags.push(tag(key, text(t, "value")));
        }
    }
    if tags.len() > max {
        return Err(format!("tags: an instance can have at most {max} tags"));
    }
    Ok(Value::Array(tags))
}
