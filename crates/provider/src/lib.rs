//! Terraform provider for Huawei Cloud: IoTDA, CloudDC iMetal and DMS for Kafka instances.

/// The API client, from the API crate.
pub use hwapi::client;

/// The provider's source address, as a registry would publish it (`NAMESPACE/TYPE`, on Terraform's default
/// registry host): its own namespace, beside Huawei's `huaweicloud/huaweicloud`. Development overrides,
/// filesystem mirrors, the examples and the module all use this one address.
pub const PROVIDER_ADDRESS: &str = "huaweicloud-rs/huaweicloud";

pub mod assume_role;
pub mod docs;
pub mod engine;
pub mod hclog;
pub mod provider;
pub mod resources;
pub mod stop;
pub mod upgrade;
pub mod waiter;
