//! Stopping early: the flag (from the API crate) that ends waits and retry sleeps, set on SIGINT/SIGTERM
//! or when Terraform asks the provider to stop (StopProvider).

pub use hwapi::stop::{request, requested};
