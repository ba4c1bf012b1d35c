//! The Terraform schema of a resource, derived from its field table.

use std::collections::HashMap;

use tfplugin::framework::AttributePath;
use tfplugin::framework::TfValue;
use tfplugin::framework::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema};

use hwapi::contract::{Op, Param, Ty};

use super::def::ResourceDef;
use super::field::{Check, Field, Kind, Mode, Read, Twin, Update};
use super::timeouts::{Timeouts, OPERATIONS};
use super::validate::params_of;
use super::value::get;

/// The version of every resource's stored objects. Version 0 was this provider's first; Huawei's Go
/// provider also stores version 0 under the same type names. Terraform drops the attributes a schema of
/// the stored version does not have before the upgrade sees them, so the Go provider's own attributes
/// reach the upgrade only because today's version is above theirs.
pub const SCHEMA_VERSION: i64 = 1;

pub fn resource_schema(def: &ResourceDef) -> Schema {
    let mut block = block(def.fields, &def.create_tables(), def.description, None);
    block.attributes.insert(
        "id".into(),
        Attribute::new(
            AttributeType::String,
            AttributeConstraint::Computed,
            Description::markdown(id_description(def)),
        ),
    );
    block.blocks.insert("timeouts".into(), NestedBlock::Optional(timeouts_block(def)));
    Schema { version: SCHEMA_VERSION, block }
}

/// What the `id` attribute holds.
pub fn id_description(def: &ResourceDef) -> String {
    match def.scope {
        [] => format!("The {} id.", def.noun),
        scope => format!("The {} id, `<{}>/<{}>`.", def.noun, scope.join(">/<"), def.identity),
    }
}

fn timeouts_block(def: &ResourceDef) -> Block {
    timeouts_block_of(&def.timeouts, &OPERATIONS)
}

/// The `timeouts` block with an attribute for each of `ops`, described with its default.
pub fn timeouts_block_of(defaults: &Timeouts, ops: &[&str]) -> Block {
    let attributes = ops
        .iter()
        .map(|op| {
            let d = defaults.default_of(op);
            let default = if d.as_secs().is_multiple_of(60) {
                format!("{}m", d.as_secs() / 60)
            } else {
                format!("{}s", d.as_secs())
            };
            let desc = format!(
                "How long {op} may take, e.g. \"30m\", \"1h30m\" or \"1.5h\", at most 7 days (default {default})."
            );
            (
                op.to_string(),
                Attribute {
                    attr_type: AttributeType::String,
                    description: Description::markdown(desc),
                    constraint: AttributeConstraint::Optional,
                    sensitive: false,
                    deprecated: false,
                    write_only: false,
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
pub fn timeouts_path(config: &TfValue) -> AttributePath {
    let p = AttributePath::new("timeouts");
    match get(config, "timeouts") {
        TfValue::List(_) => p.index(0),
        _ => p,
    }
}

/// The block of `fields`, nested in `parent` (None at the top); `tables` hold their contract parameters.
fn block(fields: &[Field], tables: &[&'static [Param]], description: &str, parent: Option<&Field>) -> Block {
    let mut attributes = HashMap::new();
    let mut blocks = HashMap::new();
    for f in fields {
        let params = params_of(f, tables);
        match f.kind {
            Kind::Block { fields: nested, max } => {
                let members: Vec<&'static [Param]> = params.iter().filter_map(|p| p.members()).collect();
                let b = block(nested, &members, &full_description(f, parent, &params), Some(f));
                let nb = if f.is_set() {
                    NestedBlock::Set(b)
                } else if f.is_single_block() {
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
                        description: Description::markdown(full_description(f, parent, &params)),
                        constraint: match f.mode {
                            Mode::Required => AttributeConstraint::Required,
                            Mode::Optional => AttributeConstraint::Optional,
                            Mode::OptionalComputed => AttributeConstraint::OptionalComputed,
                            Mode::Computed => AttributeConstraint::Computed,
                        },
                        sensitive: f.sensitive,
                        deprecated: false,
                        write_only: f.twin_of().is_some(),
                    },
                );
            }
        }
    }
    Block { version: 0, attributes, blocks, description: Description::markdown(description), deprecated: false }
}

pub fn attr_type(f: &Field) -> AttributeType {
    let object = |fields: &[Field]| AttributeType::object(fields.iter().map(|n| (n.name.to_string(), attr_type(n))));
    match f.kind {
        Kind::Str => AttributeType::String,
        Kind::Int => AttributeType::Number,
        Kind::Bool => AttributeType::Bool,
        Kind::Map => AttributeType::Map(Box::new(AttributeType::String)),
        Kind::List => AttributeType::List(Box::new(AttributeType::String)),
        Kind::Object(fields) => object(fields),
        Kind::Block { fields, .. } if f.is_set() => AttributeType::Set(Box::new(object(fields))),
        Kind::ObjectList(fields) | Kind::Block { fields, .. } => AttributeType::List(Box::new(object(fields))),
    }
}

/// The description with what the tables imply: the contract's constraints, how a change is made (in
/// place through which calls, or by replacement), write-only. `parent` is the block `f` is nested in
/// (None at the top); `params` are the contract parameters of `f`.
pub fn full_description(f: &Field, parent: Option<&Field>, params: &[&'static Param]) -> String {
    match f.twin {
        Twin::Of(secret) | Twin::OfRequired(secret) => return twin_description(f.name, secret, f.twin),
        Twin::VersionOf(secret) => {
            return format!(
                "Version of `{secret}_wo`: set it with `{secret}_wo`, and change it (any new number) to send \
`{secret}_wo` again, through the same call as a change of `{secret}`. Stored in the state; not sent to the API."
            )
        }
        Twin::No => {}
    }
    let mut d = f.desc.to_string();
    // Fields of a computed object are never set by the user, whatever their mode says.
    let argument = f.is_argument() && parent.is_none_or(|p| p.is_argument() && matches!(p.kind, Kind::Block { .. }));
    let shown = shown_params(f, params);
    let checks: Vec<Check> = f.checks.iter().chain(shown.iter().flat_map(|p| p.checks)).copied().collect();
    let rules = constraints(f, &shown, &checks);
    if !rules.is_empty() && argument {
        d.push_str(&format!(" Checked at plan: {}.", rules.join("; ")));
    }
    if argument {
        d.push_str(&given_and_growth(f, &shown));
    }
    let through = |via: &[&Op]| {
        let calls: Vec<String> = via.iter().map(|op| format!("`{}`", op.label())).collect();
        format!(" Changed in place through {}.", calls.join(" and "))
    };
    if argument {
        match (f.update, parent) {
            (Update::InPlace, _) if !f.via.is_empty() => d.push_str(&through(f.via)),
            (Update::InPlace, _) => {}
            // Inside a block changed in place, a field changes with its block.
            (Update::Replace, Some(p)) if p.update == Update::InPlace && !p.via.is_empty() => {
                d.push_str(&through(p.via))
            }
            (Update::Replace, Some(p)) if p.update == Update::InPlace => {}
            (Update::Replace, _) => d.push_str(" Changing this replaces the resource."),
            // The description says which changes replace it.
            (Update::Judged, _) => {}
        }
    }
    if argument && f.read == Read::Keep {
        d.push_str(" The API never returns it: it is not imported, and a value set after import is recorded without any API call.");
    }
    d
}

/// What a write-only twin is, from its secret's name.
fn twin_description(name: &str, secret: &str, twin: Twin) -> String {
    let required = match twin {
        Twin::OfRequired(_) => format!(" One of `{secret}` and `{name}` is required."),
        _ => String::new(),
    };
    format!(
        "Write-only form of `{secret}` (Terraform 1.11 or later): given in the configuration only, checked and sent \
wherever `{secret}` would be, and never stored in the plan or the state. Conflicts with `{secret}`.{required} A new \
value alone is not sent again: change `{name}_version` to apply it (a rotation)."
    )
}

/// The parameters whose checks the docs show: the create table's where it has the argument (the
/// operations that change it later are held to it too, and showing both would list two limits for one
/// thing), else the operations'.
fn shown_params(f: &Field, params: &[&'static Param]) -> Vec<&'static Param> {
    let via: Vec<&Param> = f.via_params().into_iter().filter_map(|(_, p)| p).collect();
    let own: Vec<&'static Param> =
        params.iter().copied().filter(|p| !via.iter().any(|v| std::ptr::eq(*v, *p))).collect();
    if own.is_empty() {
        params.to_vec()
    } else {
        own
    }
}

/// The constraints of an argument in words: its checks and its elements', each once.
pub fn constraints(f: &Field, params: &[&'static Param], checks: &[Check]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |prefix: &str, checks: &[Check]| {
        for text in checks.iter().filter_map(Check::describe) {
            let line = format!("{prefix}{text}");
            if !out.contains(&line) {
                out.push(line);
            }
        }
    };
    add("", checks);
    for p in params {
        match p.ty {
            Ty::List(item @ Param { ty: Ty::Str, .. }) => add("each element: ", item.checks),
            Ty::List(Param { ty: Ty::Obj(members), .. }) if matches!(f.kind, Kind::Map) => {
                for (name, label) in [("key", "keys: "), ("value", "values: ")] {
                    if let Some(m) = members.iter().find(|m| m.name == name) {
                        add(label, m.checks);
                    }
                }
            }
            Ty::Map { keys, values } => {
                add("keys: ", keys);
                add("values: ", values);
            }
            _ => {}
        }
    }
    out
}

/// What the contract says of the value beyond its checks: the service's default, and "only grows".
fn given_and_growth(f: &Field, params: &[&'static Param]) -> String {
    let mut d = String::new();
    if let Some(v) = params.iter().find_map(|p| p.default).filter(|_| f.mode != Mode::Required) {
        d.push_str(&format!(" Left unset, the service takes {v}."));
    }
    if params.iter().any(|p| p.grows) {
        d.push_str(" It only grows: a smaller value is refused at plan.");
    }
    d
}
