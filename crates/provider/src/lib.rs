//! Terraform provider for Huawei Cloud: IoTDA, CloudDC iMetal and DMS for Kafka instances.

/// The API client, from the API crate.
pub use hwapi::client;

pub mod assume_role;
pub mod docs;
pub mod engine;
pub mod hclog;
pub mod provider;
pub mod resources;
pub mod stop;
pub mod upgrade;
pub mod waiter;
