//! DMS for Kafka instances (`/v2/{project_id}/instances...` and `/v2/{project_id}/kafka/{id}/tags...`).
//!
//! Errors: 400 `DMS.00400000` for invalid input, 404 `DMS.00404022` for a missing instance, and
//! 400 `DMS.00400026` when an operation is still in flight (the instance is not RUNNING).
//! Statuses: CREATING -> RUNNING after the create delay (CREATEFAILED under fail-creates); the
//! auto-topic switch keeps it RESTARTING for the update delay; a delete shows DELETING, then ERROR,
//! and the instance is gone after the delete delay.
//!
//! A change that keeps the instance RUNNING (the access switches) shows after the update delay, and
//! every other change meanwhile gets the busy answer.
//!
//! The current API: the flavor and zone catalogs (`catalog`), the create by flavor (`v2`: a
//! yearly/monthly one without `is_auto_pay` stays CREATING until the admin action
//! `POST /_sim/kafka/{id}/pay`; such an instance is not deleted through the API), the resizes
//! (`extend`), the public access and access-method switches (`switches`) and the broker parameters
//! (`configs`). SASL users (`users`) and topic access policies (`acl`). Each module states its rules,
//! and the simulator's choices where the documents are silent, at its top.

mod access;
mod acl;
mod bodies;
mod catalog;
mod configs;
mod errors;
mod extend;
mod instances;
mod model;
mod service;
mod switches;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_access;
#[cfg(test)]
mod tests_v2;
mod topic_configs;
mod topics;
mod users;
mod v2;

pub use bodies::{create_rules, CREATE, TOPIC_CREATE};
pub use service::Kafka;
