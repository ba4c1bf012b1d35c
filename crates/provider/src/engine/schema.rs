//! The Terraform schema of a resource, derived from its field table.

use std::collections::HashMap;

use tf_provider::schema::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema};
use tf_provider::value::ValueAny;
use tf_provider::AttributePath;

use super::field::{Field, Kind, Mode, Read, Update};
use super::timeouts::OPERATIONS;
use super::value::get;
use super::ResourceDef;

pub fn resource_schema(def: &ResourceDef) -> Schema {
    let mut block = block(def.fields, def.description, None);
    block.attributes.insert(
        "id".into(),
        Attribute {
            attr_type: AttributeType::String,
            description: Description::markdown("The instance id."),
            constraint: AttributeConstraint::Computed,
            sensitive: false,
            deprecated: false,
        },
    );
    block.blocks.insert("timeouts".into(), NestedBlock::Optional(timeouts_block(def)));
    Schema { version: 0, block }
}

fn timeouts_block(def: &ResourceDef) -> Block {
    let defaults = [def.timeouts.create, def.timeouts.update, def.timeouts.delete];
    let attributes = OPERATIONS
        .iter()
        .zip(defaults)
        .map(|(op, d)| {
            let desc = format!(
                "How long {op} may take, e.g. \"30m\", \"1h30m\" or \"1.5h\", at most 7 days (default {}m).",
                d.as_secs() / 60
            );
            (
                op.to_string(),
                Attribute {
                    attr_type: AttributeType::String,
                    description: Description::markdown(desc),
                    constraint: AttributeConstraint::Optional,
                    sensitive: false,
                    deprecated: false,
                },
            )
        })
        .collect();
    Block {
        version: 0,
        attributes,
        blocks: HashMap::new(),
        description: Description::markdown("Operation timeouts."),
        deprecated: false,
    }
}

/// The attribute path of the `timeouts` block's element.
pub fn timeouts_path(config: &ValueAny) -> AttributePath {
    let p = AttributePath::new("timeouts");
    match get(config, "timeouts") {
        ValueAny::List(_) => p.index(0),
        _ => p,
    }
}

/// The block of `fields`, nested in `parent` (None at the top).
fn block(fields: &[Field], description: &str, parent: Option<&Field>) -> Block {
    let mut attributes = HashMap::new();
    let mut blocks = HashMap::new();
    for f in fields {
        match f.kind {
            Kind::Block { fields: nested, max } => {
                let b = block(nested, &full_description(f, parent), Some(f));
                let nb = if f.is_single_block() {
                    NestedBlock::Single(b)
                } else if max == 1 {
                    NestedBlock::Optional(b)
                } else {
                    NestedBlock::List(b)
                };
                blocks.insert(f.name.to_string(), nb);
            }
            _ => {
                attributes.insert(
                    f.name.to_string(),
                    Attribute {
                        attr_type: attr_type(f),
                        description: Description::markdown(full_description(f, parent)),
                        constraint: match f.mode {
                            Mode::Required => AttributeConstraint::Required,
                            Mode::Optional => AttributeConstraint::Optional,
                            Mode::OptionalComputed => AttributeConstraint::OptionalComputed,
                            Mode::Computed => AttributeConstraint::Computed,
                        },
                        sensitive: f.sensitive,
                        deprecated: false,
                    },
                );
            }
        }
    }
    Block { version: 0, attributes, blocks, description: Description::markdown(description), deprecated: false }
}

pub fn attr_type(f: &Field) -> AttributeType {
    let object =
        |fields: &[Field]| AttributeType::Object(fields.iter().map(|n| (n.name.to_string(), attr_type(n))).collect());
    match f.kind {
        Kind::Str => AttributeType::String,
        Kind::Int => AttributeType::Number,
        Kind::Bool => AttributeType::Bool,
        Kind::Map => AttributeType::Map(Box::new(AttributeType::String)),
        Kind::List => AttributeType::List(Box::new(AttributeType::String)),
        Kind::Object(fields) => object(fields),
        Kind::ObjectList(fields) | Kind::Block { fields, .. } => AttributeType::List(Box::new(object(fields))),
    }
}

/// The description with what the table implies: how a change is made (in place through which calls,
/// or by replacement), write-only. `parent` is the block `f` is nested in (None at the top).
pub fn full_description(f: &Field, parent: Option<&Field>) -> String {
    let mut d = f.desc.to_string();
    let through = |via: &[&str]| {
        let calls: Vec<String> = via.iter().map(|c| format!("`{c}`")).collect();
        format!(" Changed in place through {}.", calls.join(" and "))
    };
    // Fields of a computed object are never set by the user, whatever their mode says.
    let argument = f.is_argument() && parent.is_none_or(|p| p.is_argument() && matches!(p.kind, Kind::Block { .. }));
    if argument {
        match (f.update, parent) {
            (Update::InPlace, _) if !f.via.is_empty() => d.push_str(&through(f.via)),
            (Update::InPlace, _) => {}
            // Inside a block changed in place, a field changes with its block.
            (Update::Replace, Some(p)) if p.update == Update::InPlace && !p.via.is_empty() => {
                d.push_str(&through(p.via))
            }
            (Update::Replace, Some(p)) if p.update == Update::InPlace => {}
            (Update::Replace, _) => d.push_str(" Changing this replaces the instance."),
        }
    }
    if argument && f.read == Read::Keep {
        d.push_str(" The API never returns it: it is not imported, and a value set after import is recorded without any API call.");
    }
    d
}
