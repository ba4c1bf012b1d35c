//! IoTDA request bodies: the tables are the API contract (`hwapi::contract::iotda`); this file adds the
//! rules of the create tables that depend on other fields.

use serde_json::Value;

use hwapi::contract::iotda as c;
pub use hwapi::contract::iotda::MAX_TAGS;

use crate::spec::{Invalid, Op};
use crate::tags;

pub const CREATE: &Op = &c::CREATE;

/// The rule of the create tables that no declaration of the contract expresses (the contract's `rules`,
/// which the router checks first, tie the flavor's size, `additional_params` and the period to the
/// edition and the charging mode): unique tag keys.
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    tags::unique_keys(body)
}
