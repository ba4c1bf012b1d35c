//! A resource with two create operations (`ResourceDef::shapes`): the configuration's shape is the one
//! whose argument it sets, and each argument belongs to the create tables that have it. Checked at plan
//! with the attributes named: an argument of the other shape only, or one the selected table requires
//! and the configuration lacks (so giving both shapes, or neither, names what to remove or add). An
//! argument of the other shape that instances of this one report (Terraform writes it into generated
//! configuration) is judged at plan instead: refused at creation, accepted with the value the state has.

use tfplugin::framework::TfValue;

use hwapi::contract::Op;

use super::def::ResourceDef;
use super::field::{Codec, Field};
use super::value::{get, has_unknown, is_set};

/// How a configuration chose its create operation, for the messages that name the other.
struct Choice<'a> {
    def: &'a ResourceDef,
    chosen: &'static Op,
}

impl Choice<'_> {
    fn selector(&self, op: &Op) -> Option<&'static str> {
        self.def.shapes.iter().find(|s| std::ptr::eq(s.create, op)).map(|s| s.selected_by)
    }

    /// How the configuration chose its operation.
    fn chosen_by(&self) -> String {
        match self.selector(self.chosen) {
            Some(arg) => format!("`{arg}` selects `{}`", self.chosen.label()),
            None => format!("without {} it creates through `{}`", selectors(self.def), self.chosen.label()),
        }
    }

    /// How it would choose `op` instead.
    fn choose(&self, op: &Op) -> String {
        match self.selector(op) {
            Some(arg) => format!("set `{arg}` to create through `{}`", op.label()),
            None => format!(
                "remove `{}` to create through `{}`",
                self.selector(self.chosen).unwrap_or_default(),
                op.label()
            ),
        }
    }

    /// An argument of `owner`'s table only.
    fn not_here(&self, owner: &Op) -> String {
        format!(
            "is an argument of `{}` only, but {}: remove it, or {}",
            owner.label(),
            self.chosen_by(),
            self.choose(owner)
        )
    }

    /// The other create operation whose table has `f`.
    fn owner(&self, f: &Field) -> Option<&'static Op> {
        self.def.creates().into_iter().find(|op| !std::ptr::eq(*op, self.chosen) && has(op, f))
    }
}

fn has(op: &Op, f: &Field) -> bool {
    op.object_table().iter().any(|p| p.name == f.api_name())
}

/// Problems of the configuration's shape, as (attribute, message).
pub fn problems(def: &ResourceDef, config: &TfValue) -> Vec<(&'static str, String)> {
    if def.shapes.is_empty() {
        return vec![];
    }
    let choice = Choice { def, chosen: def.create_for(config) };
    let mut out = Vec::new();
    for shape in def.shapes.iter().filter(|s| !std::ptr::eq(s.create, choice.chosen)) {
        for name in shape.also.iter().filter(|n| is_set(get(config, n))) {
            out.push((*name, choice.not_here(shape.create)));
        }
    }
    let reported = def.reported_for(config);
    let mut mixed = Vec::new();
    for f in def.fields.iter().filter(|f| f.in_body && f.is_argument()) {
        let set = given(f, get(config, f.name));
        match choice.owner(f).filter(|_| set && !has(choice.chosen, f)) {
            Some(owner) if reported.contains(&f.name) => mixed.push((f.name, choice.not_here(owner))),
            Some(owner) => out.push((f.name, choice.not_here(owner))),
            None => {}
        }
        let required = choice.chosen.object_table().iter().any(|p| p.name == f.api_name() && p.required);
        let fixed = choice.chosen.fixed.iter().any(|(n, _)| *n == f.api_name());
        if required && !fixed && !set {
            let others = def.creates().into_iter().filter(|op| !std::ptr::eq(*op, choice.chosen));
            let alternatives: Vec<String> =
                others.filter(|op| !has(op, f) || choice.selector(op).is_some()).map(|op| choice.choose(op)).collect();
            out.push((
                f.name,
                format!(
                    "is required: {}, which requires it; set it, or {}",
                    choice.chosen_by(),
                    alternatives.join(", or ")
                ),
            ));
        }
    }
    // An argument the other shape's instances report is judged at plan (a generated configuration has it),
    // unless the configuration already mixes the shapes: then it is one more argument to name.
    if out.iter().any(|(name, _)| !reported.contains(name)) {
        out.extend(mixed);
    }
    out
}

/// The selecting arguments, for messages: `broker_num`.
fn selectors(def: &ResourceDef) -> String {
    def.shapes.iter().map(|s| format!("`{}`", s.selected_by)).collect::<Vec<_>>().join(" or ")
}

/// Is the argument given? A 0 an API shows for "unset" is not (`Codec::ZeroIsUnset`).
fn given(f: &Field, v: &TfValue) -> bool {
    is_set(v) && !(f.codec == Codec::ZeroIsUnset && v == &TfValue::Number(0))
}

/// At plan: the arguments of the other shape that instances of this one report, set in `config`: at
/// creation (no `prior`) they are the other shape's; later only the value the state has is accepted.
pub fn reported_problems(def: &ResourceDef, config: &TfValue, prior: Option<&TfValue>) -> Vec<(&'static str, String)> {
    let choice = Choice { def, chosen: def.create_for(config) };
    let mut out = Vec::new();
    for name in def.reported_for(config) {
        let Some(f) = def.fields.iter().find(|f| f.name == name) else { continue };
        let v = get(config, name);
        if !given(f, v) || has_unknown(v) {
            continue;
        }
        let Some(owner) = choice.owner(f) else { continue };
        match prior {
            None => out.push((name, choice.not_here(owner))),
            Some(p) if get(p, name) != v => out.push((
                name,
                format!(
                    "is only what the service reports for an instance not created through `{}`: it cannot be set; \
remove it, or write the value the instance has",
                    owner.label()
                ),
            )),
            Some(_) => {}
        }
    }
    out
}
