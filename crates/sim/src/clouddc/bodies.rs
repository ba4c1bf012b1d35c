//! CloudDC request bodies: the tables are the API contract (`hwapi::contract::clouddc`); this file adds
//! the rule across the network interfaces of a create body.

use serde_json::Value;

use hwapi::contract::clouddc as c;

use crate::spec::{Invalid, Op};

pub const CREATE: &Op = &c::CREATE;
pub const CHANGE_IP: &Op = &c::CHANGE_IP;
pub const CHANGE_PASSWORD: &Op = &c::CHANGE_PASSWORD;
pub const REINSTALL: &Op = &c::REINSTALL;

/// The create body checked against [`CREATE`] and the rule across its interfaces.
pub fn create(body: &Value) -> Result<(), Invalid> {
    CREATE.validate(body)?;
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
