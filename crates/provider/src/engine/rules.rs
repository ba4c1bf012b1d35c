//! The contract's cross-field rules (`Op::rules`, written once with the API's member names) checked
//! at plan on the arguments sent as those members: each member path is mapped to its attribute path
//! through the field table's API names. A rule naming a member no argument is sent as does not apply
//! to the configuration (the simulator still checks it on every body).

use tfplugin::framework::TfValue;

use hwapi::contract::rule::{same_or_reversed, twice};
use hwapi::contract::{BodyRule, Is};

use super::field::{Codec, Field, RuleProblem};
use super::value::{get, get_path, is_set};

/// The attribute path (names from the top) of a dotted member path of the create body.
pub fn attribute_path(fields: &'static [Field], member: &str) -> Option<(Vec<&'static str>, &'static Field)> {
    let mut path = Vec::new();
    let mut level = fields;
    let mut found = None;
    for part in member.split('.') {
        let f = level.iter().find(|f| f.in_body && f.api_name() == part)?;
        path.push(f.name);
        found = Some(f);
        level = f.nested().unwrap_or(&[]);
    }
    found.map(|f| (path, f))
}

/// Does `v` meet the condition? None while it is unknown.
fn holds(is: Is, v: &TfValue) -> Option<bool> {
    match (is, v) {
        (_, TfValue::Unknown) => None,
        (Is::Str(s), TfValue::String(t)) => Some(s == t),
        (Is::True, TfValue::Bool(b)) => Some(*b),
        _ => Some(false),
    }
}

/// Is the argument given? A 0 an API shows for "unset" is not (`Codec::ZeroIsUnset`).
fn given(f: &Field, v: &TfValue) -> bool {
    is_set(v) && !(f.codec == Codec::ZeroIsUnset && v == &TfValue::Number(0))
}

/// The problems `rules` find in `config`, as (attribute path, message); unknown values are skipped.
pub fn check(fields: &'static [Field], rules: &[BodyRule], config: &TfValue) -> Vec<RuleProblem> {
    let mut out = Vec::new();
    let path = |m: &str| attribute_path(fields, m);
    let label = |p: &[&str]| p.join(".");
    for rule in rules {
        match *rule {
            BodyRule::RequiredWhen { field, when, is } => {
                let (Some((fp, _)), Some((wp, _))) = (path(field), path(when)) else { continue };
                let v = get_path(config, &fp);
                if holds(is, get_path(config, &wp)) == Some(true) && !is_set(v) && v != &TfValue::Unknown {
                    out.push((fp.clone(), format!("is required when {} is {is}", label(&wp))));
                }
            }
            BodyRule::OnlyWhen { field, when, is } => {
                let (Some((fp, f)), Some((wp, _))) = (path(field), path(when)) else { continue };
                let v = get_path(config, &fp);
                if holds(is, get_path(config, &wp)) == Some(false) && given(f, v) && v != &TfValue::Unknown {
                    out.push((fp.clone(), format!("may only be set when {} is {is}", label(&wp))));
                }
            }
            BodyRule::Together(a, b) => {
                let (Some((ap, _)), Some((bp, _))) = (path(a), path(b)) else { continue };
                match (get_path(config, &ap), get_path(config, &bp)) {
                    (TfValue::Null, TfValue::Null) => {}
                    (TfValue::Null, _) => out.push((ap.clone(), format!("must be set together with {}", label(&bp)))),
                    (_, TfValue::Null) => out.push((bp.clone(), format!("must be set together with {}", label(&ap)))),
                    _ => {}
                }
            }
            BodyRule::NotBoth(a, b) => {
                let (Some((ap, fa)), Some((bp, fb))) = (path(a), path(b)) else { continue };
                if given(fa, get_path(config, &ap)) && given(fb, get_path(config, &bp)) {
                    out.push((bp.clone(), format!("may not be set together with {}", label(&ap))));
                }
            }
            BodyRule::AnyOf(a, b) => {
                let (Some((ap, fa)), Some((bp, fb))) = (path(a), path(b)) else { continue };
                let (va, vb) = (get_path(config, &ap), get_path(config, &bp));
                if !given(fa, va) && !given(fb, vb) && va != &TfValue::Unknown && vb != &TfValue::Unknown {
                    out.push((ap.clone(), format!("must be set when {} is not", label(&bp))));
                }
            }
            BodyRule::MaxWhen { field, max, when, is } => {
                let (Some((fp, _)), Some((wp, _))) = (path(field), path(when)) else { continue };
                if let (Some(true), TfValue::Number(n)) = (holds(is, get_path(config, &wp)), get_path(config, &fp)) {
                    if *n > max {
                        out.push((fp.clone(), format!("must be at most {max} when {} is {is}, got {n}", label(&wp))));
                    }
                }
            }
            BodyRule::Distinct(list, member) => {
                let Some((lp, lf)) = path(list) else { continue };
                let (last, parents) = lp.split_last().expect("a path has a step");
                let TfValue::List(items) = get(get_path(config, parents), last) else { continue };
                // The element's member by its argument name (a block's field), or the element itself.
                let name = lf.nested().and_then(|n| n.iter().find(|f| f.api_name() == member)).map(|f| f.name);
                let values: Vec<&TfValue> = items
                    .iter()
                    .map(|v| if member.is_empty() { v } else { get(v, name.unwrap_or(member)) })
                    .filter(|v| !matches!(v, TfValue::Null | TfValue::Unknown))
                    .collect();
                if let Some((_, v)) = values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
                    let shown = match v {
                        TfValue::String(s) => format!("{s:?}"),
                        other => format!("{other:?}"),
                    };
                    out.push((lp.clone(), twice(name.unwrap_or(member), &shown)));
                }
            }
            BodyRule::NotNameOf { field, other } => {
                let member = other.trim_matches(['{', '}']);
                let (Some((fp, _)), Some((op, _))) = (path(field), path(member)) else { continue };
                if let (TfValue::String(secret), TfValue::String(name)) = (get_path(config, &fp), get_path(config, &op))
                {
                    if same_or_reversed(secret, name) {
                        let what = label(&op);
                        out.push((fp.clone(), format!("must not be the same as {what} or {what} reversed")));
                    }
                }
            }
        }
    }
    out
}
