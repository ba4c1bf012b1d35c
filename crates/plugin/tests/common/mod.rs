//! What the server tests share.

pub mod schema_provider;
