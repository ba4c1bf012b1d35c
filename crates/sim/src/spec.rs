//! Request-body validation: the tables are the API contract (`hwapi::contract`), shared with the
//! provider; this module adds the conditional rules the simulator's services state in their own terms.

use serde_json::Value;

pub use hwapi::contract::{at, describe, validate, Check, Invalid, Op, Param, Ty};

/// Conditional rule: `path` must be present, because of `why`.
pub fn require(body: &Value, path: &str, why: &str) -> Result<(), Invalid> {
    match at(body, path) {
        Some(_) => Ok(()),
        None => Err(Invalid::new(path, format!("is mandatory {why}"))),
    }
}

/// Conditional rule: `path` must be absent, because of `why`.
pub fn forbid(body: &Value, path: &str, why: &str) -> Result<(), Invalid> {
    match at(body, path) {
        Some(_) => Err(Invalid::new(path, format!("must not be given {why}"))),
        None => Ok(()),
    }
}

/// The strings of a JSON list (a member that is no list has none; an element that is no string is skipped).
pub fn strings(v: &Value) -> Vec<&str> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).collect()
}
