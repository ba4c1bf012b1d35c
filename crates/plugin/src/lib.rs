//! Terraform's plugin protocol 6, as this project serves it: the dynamic-value codec (`value`).
//! The provider still runs on `tf-provider`; the engine moves onto this crate once it serves the whole
//! protocol.

pub mod proto;
pub mod value;
