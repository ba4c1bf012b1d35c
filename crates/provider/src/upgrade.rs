//! Stored objects brought to this provider's schema (Terraform's UpgradeResourceState), as pure functions
//! over their JSON. Teams moving from Huawei's Go provider (`huaweicloud/huaweicloud`) with `terraform
//! state replace-provider` hand us objects in its attribute names, at schema version 0 like ours: the two are
//! told apart by their attributes, and a Go object is converted by its type's mapping table (`table` says
//! what a row is; `kafka_instance` and `kafka_topic` hold the tables; `convert` applies one).
//! `moved` says what a `moved {}` block may bring. Our own
//! objects keep their values, brought to today's field table (`ours`).

mod convert;
mod kafka_instance;
mod kafka_topic;
mod ours;
mod table;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use serde_json::Value as Json;

use crate::engine::ResourceDef;
pub use table::{Source, Upgraded};

/// The prefix of every type name of this provider.
const PREFIX: &str = "huaweicloud_";

/// The mappings of the Go provider's types that this provider also has.
static MAPPINGS: [&table::Mapping; 2] = [&kafka_instance::MAPPING, &kafka_topic::MAPPING];

/// The mapping of the Go provider's type `name` (without the prefix).
fn mapping(name: &str) -> Option<&'static table::Mapping> {
    MAPPINGS.into_iter().find(|m| m.name == name)
}

/// The definition of a resource, by type name without the prefix.
fn def(name: &str) -> Option<&'static ResourceDef> {
    static DEFS: OnceLock<Vec<&'static ResourceDef>> = OnceLock::new();
    DEFS.get_or_init(crate::resources::defs).iter().copied().find(|d| d.name == name)
}

/// Why the stored object `raw` of type `type_name` cannot be read: one of Huawei's Go provider's (it has
/// the per-resource `region` none of this provider's types has) of a type without a mapping.
pub fn unconvertible(type_name: &str, raw: &Json) -> Option<String> {
    let name = type_name.strip_prefix(PREFIX).unwrap_or(type_name);
    let def = def(name)?;
    let go_shaped = raw.get("region").is_some() && !def.fields.iter().any(|f| f.name == "region");
    (go_shaped && mapping(name).is_none()).then(|| {
        let id = raw.get("id").and_then(Json::as_str).unwrap_or("?");
        format!(
            "{type_name} {id} was stored by the huaweicloud/huaweicloud provider (it has a region attribute), whose state \
of this type is not converted (only {} are). Remove it with `terraform state rm` and import it: see the migration guide.",
            convertible().join(" and ")
        )
    })
}

/// The stored object `raw` of type `type_name` in this provider's schema: converted from the Go provider's
/// attributes when it has them (with one warning naming what could not be converted), else our own object
/// with the attributes of today's field table. Types without a mapping pass through unchanged.
pub fn upgrade(type_name: &str, raw: &Json) -> Upgraded {
    let name = type_name.strip_prefix(PREFIX).unwrap_or(type_name);
    let unchanged = || Upgraded { state: raw.clone(), warnings: vec![], from: Source::Ours };
    let (Some(mapping), Some(def), Some(obj)) = (mapping(name), def(name), raw.as_object()) else {
        return unchanged();
    };
    if !convert::is_go(mapping, def.fields, obj) {
        return Upgraded { state: Json::Object(ours::own(def.fields, obj)), warnings: vec![], from: Source::Ours };
    }
    let (state, problems) = convert::from_go(mapping, def.fields, obj);
    let warnings = if problems.is_empty() {
        vec![]
    } else {
        let id = obj.get(ours::ID).and_then(Json::as_str).unwrap_or("?");
        vec![format!(
            "{PREFIX}{name} {id}: converted from the huaweicloud/huaweicloud provider's state except for {}. A \
refresh reads what the service reports; set the rest in the configuration.",
            problems.join("; ")
        )]
    };
    Upgraded { state: Json::Object(state), warnings, from: Source::GoProvider }
}

// What a `moved {}` block may bring to one of this provider's types (Terraform's MoveResourceState):
// the Go provider's object of the same type under another address, converted as a state upgrade
// converts it; or a `terraform_data` whose `input` holds the object's import ID, read as an import.

/// The provider address of Huawei's Go provider ends so, whatever its registry host.
const GO_PROVIDER: &str = "huaweicloud/huaweicloud";

/// What a move becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Moved {
    /// The object converted into this schema.
    State(Upgraded),
    /// The import ID to read the object by.
    Import(String),
}

/// The object of `source_type` (of the provider `source_provider`, stored as `state`) as `target_type`,
/// or why it cannot be moved there.
pub fn moved(target_type: &str, source_provider: &str, source_type: &str, state: &Json) -> Result<Moved, String> {
    let target = target_type.strip_prefix(PREFIX).unwrap_or(target_type);
    if source_type == "terraform_data" {
        let held = |k: &str| state.get(k).and_then(|v| v.get("value")).and_then(Json::as_str).map(str::trim);
        return match held("input").or_else(|| held("output")).filter(|id| !id.is_empty()) {
            Some(id) => Ok(Moved::Import(id.to_string())),
            None => Err(format!(
                "terraform_data cannot be moved to {target_type}: its input holds no string. A move from \
terraform_data reads the {target_type} whose import ID is the terraform_data's input."
            )),
        };
    }
    let from_go = source_provider.trim_end_matches('/').ends_with(GO_PROVIDER);
    if from_go && source_type == target_type && mapping(target).is_some() {
        return Ok(Moved::State(upgrade(target_type, state)));
    }
    Err(format!(
        "{source_type} of {source_provider} cannot be moved to {target_type}: this provider takes moves from the \
same type of {GO_PROVIDER} ({}) and from a terraform_data whose input is the import ID.",
        convertible().join(", ")
    ))
}

/// The Go provider's types this provider converts.
fn convertible() -> Vec<String> {
    MAPPINGS.iter().map(|m| format!("{PREFIX}{}", m.name)).collect()
}
