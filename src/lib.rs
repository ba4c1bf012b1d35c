//! Terraform provider for Huawei Cloud: IoTDA, CloudDC iMetal and DMS for Kafka instances.

pub mod client;
