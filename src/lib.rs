//! Terraform provider for Huawei Cloud: IoTDA, CloudDC iMetal and DMS for Kafka instances.

pub mod client;
pub mod docs;
pub mod engine;
pub mod listener;
pub mod provider;
pub mod resources;
pub mod sim;
pub mod stop;
pub mod waiter;
