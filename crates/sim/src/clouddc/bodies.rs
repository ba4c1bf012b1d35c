//! CloudDC request bodies: the tables are the API contract (`hwapi::contract::clouddc`); this file adds
//! the rule across the network interfaces of a create body.

use serde_json::Value;

use hwapi::contract::clouddc as c;

use crate::spec::{Invalid, Op};

pub const CREATE: &Op = &c::CREATE;

/// The rule across the interfaces of a create body (already checked against [`CREATE`]).
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    let addresses: Vec<&str> = body["network_interfaces"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.get("ipv4_address").and_then(Value::as_str))
        .collect();
    if let [a, b] = addresses.as_slice() {
        if a == b {
            return Err(Invalid::new("network_interfaces[1].ipv4_address", format!("{a} is given twice")));
        }
    }
    Ok(())
}
