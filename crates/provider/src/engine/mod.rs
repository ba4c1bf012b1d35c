//! One generic implementation of Terraform's resource lifecycle, driven by a resource's field table
//! and a few typed hooks (the API calls).
//!
//! The modules, from the bottom up: `field`, `value`, `reading`, `timeouts`, `change` and `data` describe
//! and move values; `def` is a resource's definition; `instance`, `error`, `ctx` and `hooks` are what its
//! hooks see; `state` is what the resources of one provider share; `base` is the engine of one resource,
//! which `plan`, `lifecycle`, `identity`, `update`, `protocol` and `data_source` drive (`tags` merges the
//! provider's default tags into a resource's); `catalog` is the
//! data sources of what a service offers, tied to no resource; `pages`,
//! `defaults`, `listed`, `polling` and `instances` are what hooks share (every page of a list and the
//! entries named as looked for, the default calls, the lists and lookups of instances, the waits for a
//! status and the delete, the instances the engine drives). Each file imports what it uses from the file that defines it; this file
//! only declares the modules and re-exports what the resources name.

mod base;
pub mod catalog;
pub mod change;
mod ctx;
pub mod data;
pub mod data_source;
mod def;
pub mod defaults;
mod diag;
mod error;
pub mod field;
mod hooks;
mod identity;
mod instance;
pub mod instances;
mod lifecycle;
pub mod listed;
pub mod pages;
mod plan;
pub mod polling;
mod private;
mod protocol;
pub mod reading;
pub mod rules;
pub mod schema;
mod shapes;
pub mod state;
pub mod tags;
pub mod timeouts;
mod update;
pub mod validate;
pub mod value;
mod write_only;

pub use base::Engine;
pub use ctx::{deadline_in, is_busy, Ctx};
pub use def::{Health, ResourceDef, Shape};
pub use diag::{diag, path_label, warn};
pub use error::{listed_member, Error};
pub use hooks::Hooks;
pub use instance::{parse_time, rfc3339, Created, Existing};
pub use update::update;
