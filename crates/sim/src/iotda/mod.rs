//! IoTDA instance management (`/v5/iot/{project_id}/iotda-instances...`).
//!
//! Errors: 400 `IOTDA.000006` for invalid input, 403 `IOTDA.001000` for a missing instance,
//! 400 `IOTDA.000007` while another operation is under way (CREATING, MODIFYING: busy, retry later),
//! 400 `IOTDA.000010` when the instance's status does not allow the operation (TRADING, FROZEN, FAILED), and
//! 400 `IOTDA.000011` when deleting a yearly/monthly instance.

mod bodies;
mod model;
mod service;
#[cfg(test)]
mod tests;

pub use bodies::{create_rules, CREATE};
pub use service::Iotda;
