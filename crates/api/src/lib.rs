//! Huawei Cloud API access shared by the provider and the simulator: services and endpoints, the
//! SDK-HMAC-SHA256 signer, retries, typed errors, and the process-wide stop flag.

pub mod client;
pub mod contract;
pub mod service;
pub mod stop;
