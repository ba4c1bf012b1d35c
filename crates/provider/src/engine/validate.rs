//! Plan-time validation from the field table: every problem is reported with its attribute path.

use tfplugin::framework::AttributePath;
use tfplugin::framework::TfValue;

use hwapi::contract::{Op, Param, Ty};

use super::field::{Check, Codec, Field, Kind, Mode, Rule};
use super::value::{get, single};

/// A problem with one attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: AttributePath,
    pub message: String,
}

/// Validate a configuration: each argument against the API contract's checks for it (the parameter of
/// the same API name in the create body `create`, and in the operations that change it in place), its
/// own extra checks, then the contract's rules of the create body, then the resource's own rules.
pub fn validate(fields: &'static [Field], create: &Op, rules: &[Rule], config: &TfValue) -> Vec<Problem> {
    let mut out = Vec::new();
    check_object(fields, &[create.object_table()], config, &AttributePath::root(), &mut out);
    for (names, message) in super::rules::check(fields, create.rules, config) {
        out.push(Problem { path: rule_path(config, &names), message });
    }
    for rule in rules {
        check_rule(rule, config, &mut out);
    }
    out
}

/// The contract parameters that govern field `f`: its namesake in each of `tables`, and the parameter
/// of each operation that changes it in place.
pub fn params_of(f: &Field, tables: &[&'static [Param]]) -> Vec<&'static Param> {
    let own = tables.iter().filter_map(|t| t.iter().find(|p| p.name == f.api_name()));
    own.chain(f.via_params().into_iter().filter_map(|(_, p)| p)).collect()
}

/// The checks on the whole value of `f`: its own, its parameters' in `tables`, and those of the
/// operations that change it in place, except their element counts (those send a change, not the whole).
pub fn checks_of(f: &Field, tables: &[&'static [Param]]) -> Vec<Check> {
    let own = tables.iter().filter_map(|t| t.iter().find(|p| p.name == f.api_name())).flat_map(|p| p.checks);
    let via = f.via_params().into_iter().filter_map(|(_, p)| p).flat_map(|p| p.checks);
    let via = via.filter(|c| !matches!(c, Check::Items(..)));
    f.checks.iter().chain(own).chain(via).copied().collect()
}

fn check_object(
    fields: &[Field],
    tables: &[&'static [Param]],
    obj: &TfValue,
    at: &AttributePath,
    out: &mut Vec<Problem>,
) {
    for f in fields.iter().filter(|f| f.is_argument()) {
        let path = at.clone().attribute(f.name);
        let v = get(obj, f.name);
        // A required attribute set to null (`name = var.n` with a null variable) is not set.
        let scalar = !matches!(f.kind, Kind::Block { .. });
        if scalar && f.mode == Mode::Required && v == &TfValue::Null {
            out.push(Problem { path: path.clone(), message: "is required and must not be null".into() });
            continue;
        }
        // Collections are sent element by element: a null element has no API value.
        match (f.kind, v) {
            (Kind::List, TfValue::List(items)) => {
                for (i, _) in items.iter().enumerate().filter(|(_, e)| **e == TfValue::Null) {
                    let at = path.clone().index(i as i64);
                    out.push(Problem { path: at, message: format!("element {i} must not be null") });
                }
            }
            (Kind::Map, TfValue::Map(items)) => {
                for (k, _) in items.iter().filter(|(_, e)| **e == TfValue::Null) {
                    let at = path.clone().key(k.clone());
                    out.push(Problem { path: at, message: format!("value of {k:?} must not be null") });
                }
            }
            _ => {}
        }
        // A number Terraform could not hand over as a whole number arrives as its text.
        if let (Kind::Int, TfValue::String(text)) = (f.kind, v) {
            out.push(Problem { path: path.clone(), message: format!("must be a whole number, got {text}") });
            continue;
        }
        if f.codec == Codec::ZeroIsUnset && v == &TfValue::Number(0) {
            continue;
        }
        let params = params_of(f, tables);
        out.extend(value_problems(f, tables, v).into_iter().map(|message| Problem { path: path.clone(), message }));
        let members: Vec<&'static [Param]> = params.iter().filter_map(|p| p.members()).collect();
        // An object argument's members are checked as a single block's are.
        if let (Kind::Object(nested), TfValue::Map(_)) = (f.kind, v) {
            check_object(nested, &members, v, &path, out);
        }
        if let Kind::Block { fields: nested, .. } = f.kind {
            match v {
                TfValue::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_object(nested, &members, item, &path.clone().index(i as i64), out);
                    }
                }
                item @ TfValue::Map(_) => check_object(nested, &members, item, &path, out),
                _ => {}
            }
        }
    }
}

/// The problems of one argument's value: its checks, its parameters' in `tables` and those of the
/// operations that change it, and its elements' (each message once: two tables stating one rule would
/// say it twice).
pub fn value_problems(f: &Field, tables: &[&'static [Param]], v: &TfValue) -> Vec<String> {
    let mut messages: Vec<String> = checks_of(f, tables).iter().filter_map(|c| check_value(c, v)).collect();
    for p in params_of(f, tables) {
        messages.extend(element_problems(p, v));
    }
    let mut seen = std::collections::HashSet::new();
    messages.retain(|m| seen.insert(m.clone()));
    messages
}

/// Problems of the elements of a list of strings, or of the keys and values of a map (a free-form
/// map, or a map sent as a `[{"key", "value"}]` list).
fn element_problems(p: &Param, v: &TfValue) -> Vec<String> {
    let text = |checks: &[Check], s: &str| checks.iter().find_map(|c| c.text(s));
    match (p.ty, v) {
        (Ty::List(item @ Param { ty: Ty::Str, .. }), TfValue::List(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some(format!("element {i} {}", text(item.checks, as_text(e)?)?)))
            .collect(),
        (Ty::List(Param { ty: Ty::Obj(members), .. }), TfValue::Map(map)) => {
            let of = |name: &str| members.iter().find(|m| m.name == name).map_or(&[][..], |m| m.checks);
            let (keys, values) = (of("key"), of("value"));
            map_problems(map, keys, values)
        }
        (Ty::Map { keys, values }, TfValue::Map(map)) => map_problems(map, keys, values),
        _ => vec![],
    }
}

fn map_problems(map: &std::collections::BTreeMap<String, TfValue>, keys: &[Check], values: &[Check]) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in map {
        if let Some(m) = keys.iter().find_map(|c| c.text(k)) {
            out.push(format!("key {k:?} {m}"));
        }
        if let Some(m) = as_text(v).and_then(|s| values.iter().find_map(|c| c.text(s))) {
            out.push(format!("value of {k:?} {m}"));
        }
    }
    out
}

fn as_text(v: &TfValue) -> Option<&str> {
    match v {
        TfValue::String(s) => Some(s),
        _ => None,
    }
}

/// One check on one value; None when it passes (or cannot be judged yet).
pub fn check_value(c: &Check, v: &TfValue) -> Option<String> {
    match v {
        TfValue::String(s) => c.text(s),
        TfValue::Number(n) => c.int(*n),
        TfValue::List(l) => c.count(l.len()),
        TfValue::Map(m) => c.count(m.len()),
        _ => None,
    }
}

/// The attribute path of a rule's field (a block step points at its first element).
pub fn rule_path(config: &TfValue, names: &[&str]) -> AttributePath {
    let mut path = AttributePath::root();
    let mut cur = config;
    for (i, name) in names.iter().enumerate() {
        path = path.attribute(name.to_string());
        let v = get(cur, name);
        if i + 1 < names.len() {
            if matches!(v, TfValue::List(_)) {
                path = path.index(0);
            }
            cur = single(v);
        }
    }
    path
}

fn check_rule(rule: &Rule, config: &TfValue, out: &mut Vec<Problem>) {
    let Rule::Custom(check) = *rule;
    for (names, message) in check(config) {
        out.push(Problem { path: rule_path(config, &names), message });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::field::{Check, Field};

    fn s(v: &str) -> TfValue {
        TfValue::String(v.into())
    }
    fn obj(pairs: &[(&str, TfValue)]) -> TfValue {
        TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    static CHARGE: [Field; 2] = [
        Field::string("charge_mode", "m").required().checks(&[Check::OneOf(&["prePaid", "postPaid"])]),
        Field::int("period_num", "n").checks(&[Check::Range(1, 9)]),
    ];
    static FIELDS: [Field; 2] = [
        Field::string("name", "n").checks(&[Check::Len(1, 4), Check::Chars("letters", |c| c.is_ascii_alphabetic())]),
        Field::block("charge_info", &CHARGE, "c"),
    ];
    /// A create operation whose rules tie the period to the charging mode.
    const CREATE: Op = Op::new("X", hwapi::service::Service::Iotda, hwapi::service::Method::Post, "/x").rules(&[
        hwapi::contract::BodyRule::required_when("charge_info.period_num", "charge_info.charge_mode", PREPAID),
        hwapi::contract::BodyRule::only_when("charge_info.period_num", "charge_info.charge_mode", PREPAID),
    ]);
    const PREPAID: hwapi::contract::Is = hwapi::contract::Is::Str("prePaid");
    const NONE: Op = Op::new("Y", hwapi::service::Service::Iotda, hwapi::service::Method::Post, "/y");

    fn messages(config: &TfValue) -> Vec<String> {
        validate(&FIELDS, &CREATE, &[], config)
            .into_iter()
            .map(|p| format!("{:?}: {}", p.path.steps, p.message))
            .collect()
    }

    #[test]
    fn reports_each_problem_with_its_path() {
        let config = obj(&[
            ("name", s("ab1de")),
            (
                "charge_info",
                TfValue::List(vec![obj(&[("charge_mode", s("monthly")), ("period_num", TfValue::Number(10))])]),
            ),
        ]);
        let m = messages(&config);
        assert_eq!(m.len(), 5, "{m:?}");
        assert!(m[0].contains("name") && m[0].contains("1 to 4 characters"));
        assert!(m[1].contains("'1' is not allowed"));
        assert!(m[2].contains("charge_mode") && m[2].contains("\"prePaid\", \"postPaid\""));
        assert!(m[3].contains("period_num") && m[3].contains("between 1 and 9"));
        assert!(m[4].contains("may only be set when charge_info.charge_mode is \"prePaid\""));
    }

    #[test]
    fn null_required_values_and_null_elements_are_problems_with_their_paths() {
        static LISTS: [Field; 3] =
            [Field::string("name", "n").required(), Field::list("zones", "z"), Field::map("tags", "t")];
        let config = obj(&[
            ("name", TfValue::Null),
            ("zones", TfValue::List(vec![s("a"), TfValue::Null, s("c")])),
            ("tags", obj(&[("k", TfValue::Null), ("ok", s("v"))])),
        ]);
        let m: Vec<String> = validate(&LISTS, &NONE, &[], &config)
            .into_iter()
            .map(|p| format!("{} {}", crate::engine::diag::path_label(&p.path), p.message))
            .collect();
        assert_eq!(
            m,
            [
                "name is required and must not be null",
                "zones[1] element 1 must not be null",
                "tags[\"k\"] value of \"k\" must not be null"
            ]
        );
        // Unknown is not null: it is checked once known.
        let unknown = obj(&[("name", TfValue::Unknown), ("zones", TfValue::List(vec![TfValue::Unknown]))]);
        assert!(validate(&LISTS, &NONE, &[], &unknown).is_empty());
    }

    #[test]
    fn conditional_rules() {
        let pre = obj(&[(
            "charge_info",
            TfValue::List(vec![obj(&[("charge_mode", s("prePaid")), ("period_num", TfValue::Null)])]),
        )]);
        assert_eq!(messages(&pre).len(), 1);
        assert!(messages(&pre)[0].contains("is required when charge_info.charge_mode is \"prePaid\""));
        let post = obj(&[(
            "charge_info",
            TfValue::List(vec![obj(&[("charge_mode", s("postPaid")), ("period_num", TfValue::Number(1))])]),
        )]);
        assert!(messages(&post)[0].contains("may only be set when"));
        let unknown = obj(&[(
            "charge_info",
            TfValue::List(vec![obj(&[("charge_mode", TfValue::Unknown), ("period_num", TfValue::Null)])]),
        )]);
        assert!(messages(&unknown).is_empty());
    }
}
