//! IoTDA request bodies: the tables are the API contract (`hwapi::contract::iotda`); this file adds the
//! rules of the create tables that depend on other fields.

use serde_json::Value;

use hwapi::contract::iotda as c;
pub use hwapi::contract::iotda::MAX_TAGS;

use crate::spec::{self as s, Invalid, Op};
use crate::tags;

pub const CREATE: &Op = &c::CREATE;

/// The rules of the create tables that depend on other fields.
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    match s::at(body, "instance_type").and_then(Value::as_str) {
        Some("standard") => {
            s::require(body, "flavor.size", "when instance_type is standard")?;
            s::forbid(body, "additional_params", "when instance_type is standard (enterprise edition only)")?;
        }
        _ => s::require(body, "additional_params", "when instance_type is enterprise")?,
    }
    match s::at(body, "charge_info.charge_mode").and_then(Value::as_str) {
        Some("prePaid") => {
            s::require(body, "charge_info.period_type", "when charge_mode is prePaid")?;
            s::require(body, "charge_info.period_num", "when charge_mode is prePaid")?;
            let year = s::at(body, "charge_info.period_type").and_then(Value::as_str) == Some("year");
            let num = s::at(body, "charge_info.period_num").and_then(Value::as_i64).unwrap_or(0);
            if year && num > 3 {
                return Err(Invalid::new(
                    "charge_info.period_num",
                    format!("{num} is outside 1..3 (period_type is year)"),
                ));
            }
        }
        _ => {
            s::forbid(body, "charge_info.period_type", "when charge_mode is postPaid")?;
            s::forbid(body, "charge_info.period_num", "when charge_mode is postPaid")?;
        }
    }
    tags::unique_keys(body)
}
