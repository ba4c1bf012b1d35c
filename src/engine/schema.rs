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
    let mut block = block(def.fields, def.description, true);
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

fn block(fields: &[Field], description: &str, top: bool) -> Block {
    let mut attributes = HashMap::new();
    let mut blocks = HashMap::new();
    for f in fields {
        match f.kind {
            Kind::Block { fields: nested, max } => {
                let b = block(nested, &full_description(f, top), false);
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
                        description: Description::markdown(full_description(f, top)),
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

/// The description with what the table implies: replacement, write-only.
pub fn full_description(f: &Field, top: bool) -> String {
    let mut d = f.desc.to_string();
    if f.is_argument() && f.update == Update::Replace && top {
        d.push_str(" Changing this replaces the instance.");
    }
    if f.is_argument() && f.update == Update::InPlace && !f.via.is_empty() {
        let calls: Vec<String> = f.via.iter().map(|c| format!("`{c}`")).collect();
        d.push_str(&format!(" Changed in place through {}.", calls.join(" and ")));
    }
    if f.is_argument() && f.read == Read::Keep {
        d.push_str(" The API never returns it: it is not imported, and a value set after import is recorded without any API call.");
    }
    d
}
