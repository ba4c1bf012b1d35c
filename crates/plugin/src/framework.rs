//! A provider framework on the protocol: a provider implements [`Provider`], [`Resource`] and
//! [`DataSource`] over plain [`TfValue`]s and [`Schema`]s, and [`ProviderServer`] serves it as
//! `tfplugin6.Provider`, decoding and encoding every value against its schema (`codec`), keeping
//! write-only attributes out of every answer and private data as JSON.

mod codec;
mod diags;
mod schema;
mod service;
#[cfg(test)]
mod service_tests;
mod traits;
mod value;

pub use codec::{decode, encode, private_in, private_out};
pub use diags::{AttributePath, AttributePathStep, Diagnostic, Diagnostics};
pub use schema::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema};
pub use service::ProviderServer;
pub use traits::{DataSource, MoveSource, Provider, Resource};
pub use value::{from_value, to_value, TfValue};
