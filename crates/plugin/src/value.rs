//! Dynamic values: what Terraform sends and expects as msgpack or JSON, decoded against their type.
//!
//! Both sides of the plugin protocol know the schema's [`Type`] of every `DynamicValue`, so the bytes
//! carry no types except where the schema says `dynamic`. [`from_msgpack`] and [`to_msgpack`] follow
//! cty's msgpack encoding, which Terraform uses for nearly everything; [`from_json`] reads the JSON one
//! Terraform uses for raw state. Errors name the attribute path (`.tags["env"]: expected a string, got
//! an integer`).

mod error;
mod json;
mod json_text;
mod model;
mod msgpack;
mod number;
mod types;

#[cfg(test)]
mod tests_json;
#[cfg(test)]
mod tests_msgpack;
#[cfg(test)]
mod tests_types;

pub use error::{Error, Path, PathStep};
pub use json::from_json;
pub use model::Value;
pub use msgpack::{from_msgpack, to_msgpack};
pub use number::{Number, NumberRepr, MAX_DIGITS};
pub use types::Type;
