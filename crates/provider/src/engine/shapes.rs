//! A resource with two create operations (`ResourceDef::shapes`): the configuration's shape is the one
//! whose argument it sets, and each argument belongs to the create tables that have it. Checked at plan
//! with the attributes named: an argument of the other shape only, or one the selected table requires
//! and the configuration lacks (so giving both shapes, or neither, names what to remove or add). An
//! argument of the other shape that instances of this one report (Terraform writes it into generated
//! configuration) is judged at plan instead: refused at creation, accepted with the value the state has.

use tf_provider::value::ValueAny;

use hwapi::contract::Op;

use super::def::ResourceDef;
use super::field::{Codec, Field};
use super::value::{get, has_unknown, is_set};

/// Problems of the configuration's shape, as (attribute, message).
pub fn problems(def: &ResourceDef, config: &ValueAny) -> Vec<(&'static str, String)> {
    if def.shapes.is_empty() {
        return vec![];
    }
    let chosen = def.create_for(config);
    let selector = |op: &Op| def.shapes.iter().find(|s| std::ptr::eq(s.create, op)).map(|s| s.selected_by);
    // How the configuration chose `chosen`, and how it would choose the others.
    let chosen_by = match selector(chosen) {
        Some(arg) => format!("`{arg}` selects `{}`", chosen.label()),
        None => format!("without {} it creates through `{}`", selectors(def), chosen.label()),
    };
    let choose = |op: &Op| match selector(op) {
        Some(arg) => format!("set `{arg}` to create through `{}`", op.label()),
        None => format!("remove `{}` to create through `{}`", selector(chosen).unwrap_or_default(), op.label()),
    };
    let has = |op: &Op, f: &Field| op.object_table().iter().any(|p| p.name == f.api_name());
    let others: Vec<&'static Op> = def.creates().into_iter().filter(|op| !std::ptr::eq(*op, chosen)).collect();
    let mut out = Vec::new();
    for shape in def.shapes.iter().filter(|s| !std::ptr::eq(s.create, chosen)) {
        for name in shape.also.iter().filter(|n| is_set(get(config, n))) {
            out.push((
                *name,
                format!(
                    "is an argument of the instances `{}` creates only, but {chosen_by}: remove it, or {}",
                    shape.create.label(),
                    choose(shape.create)
                ),
            ));
        }
    }
    let reported = def.reported_for(config);
    for f in def.fields.iter().filter(|f| f.in_body && f.is_argument()) {
        let set = given(f, get(config, f.name));
        if set && !has(chosen, f) && !reported.contains(&f.name) {
            if let Some(owner) = others.iter().find(|op| has(op, f)) {
                out.push((
                    f.name,
                    format!(
                        "is an argument of `{}` only, but {chosen_by}: remove it, or {}",
                        owner.label(),
                        choose(owner)
                    ),
                ));
            }
        }
        let required = chosen.object_table().iter().any(|p| p.name == f.api_name() && p.required);
        let fixed = chosen.fixed.iter().any(|(n, _)| *n == f.api_name());
        if required && !fixed && !set {
            let alternatives: Vec<String> =
                others.iter().filter(|op| !has(op, f) || selector(op).is_some()).map(|op| choose(op)).collect();
            out.push((
                f.name,
                format!("is required: {chosen_by}, which requires it; set it, or {}", alternatives.join(", or ")),
            ));
        }
    }
    out
}

/// The selecting arguments, for messages: `broker_num`.
fn selectors(def: &ResourceDef) -> String {
    def.shapes.iter().map(|s| format!("`{}`", s.selected_by)).collect::<Vec<_>>().join(" or ")
}

/// Is the argument given? A 0 an API shows for "unset" is not (`Codec::ZeroIsUnset`).
fn given(f: &Field, v: &ValueAny) -> bool {
    is_set(v) && !(f.codec == Codec::ZeroIsUnset && v == &ValueAny::Number(0))
}

/// At plan: the arguments of the other shape that instances of this one report, set in `config`: at
/// creation (no `prior`) they are the other shape's; later only the value the state has is accepted.
pub fn reported_problems(
    def: &ResourceDef,
    config: &ValueAny,
    prior: Option<&ValueAny>,
) -> Vec<(&'static str, String)> {
    let chosen = def.create_for(config);
    let mut out = Vec::new();
    for name in def.reported_for(config) {
        let Some(f) = def.fields.iter().find(|f| f.name == name) else { continue };
        let v = get(config, name);
        if !given(f, v) || has_unknown(v) {
            continue;
        }
        let owner = def.creates().into_iter().find(|op| op.object_table().iter().any(|p| p.name == f.api_name()));
        let owner = owner.map_or(String::new(), |op| format!("`{}`", op.label()));
        match prior {
            None => out.push((
                name,
                format!(
                    "is an argument of {owner} only, but this configuration creates through `{}`: remove it",
                    chosen.label()
                ),
            )),
            Some(p) if get(p, name) != v => out.push((
                name,
                format!(
                    "is only what the service reports for an instance not created through {owner}: it cannot be \
set; remove it, or write the value the instance has"
                ),
            )),
            Some(_) => {}
        }
    }
    out
}
