//! Plan-time validation from the field table: every problem is reported with its attribute path.

use tf_provider::value::ValueAny;
use tf_provider::AttributePath;

use super::field::{Check, Field, Kind, Mode, Rule};
use super::value::{get, get_path, is_set, single};

/// A problem with one attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub path: AttributePath,
    pub message: String,
}

pub fn validate(fields: &[Field], rules: &[Rule], config: &ValueAny) -> Vec<Problem> {
    let mut out = Vec::new();
    check_object(fields, config, &AttributePath::root(), &mut out);
    for rule in rules {
        check_rule(rule, config, &mut out);
    }
    out
}

fn check_object(fields: &[Field], obj: &ValueAny, at: &AttributePath, out: &mut Vec<Problem>) {
    for f in fields.iter().filter(|f| f.is_argument()) {
        let path = at.clone().attribute(f.name);
        let v = get(obj, f.name);
        // A required attribute set to null (`name = var.n` with a null variable) is not set.
        let scalar = !matches!(f.kind, Kind::Block { .. });
        if scalar && f.mode == Mode::Required && v == &ValueAny::Null {
            out.push(Problem { path: path.clone(), message: "is required and must not be null".into() });
            continue;
        }
        // Collections are sent element by element: a null element has no API value.
        match (f.kind, v) {
            (Kind::List, ValueAny::List(items)) => {
                for (i, _) in items.iter().enumerate().filter(|(_, e)| **e == ValueAny::Null) {
                    let at = path.clone().index(i as i64);
                    out.push(Problem { path: at, message: format!("element {i} must not be null") });
                }
            }
            (Kind::Map, ValueAny::Map(items)) => {
                for (k, _) in items.iter().filter(|(_, e)| **e == ValueAny::Null) {
                    let at = path.clone().key(k.clone());
                    out.push(Problem { path: at, message: format!("value of {k:?} must not be null") });
                }
            }
            _ => {}
        }
        // A number Terraform could not hand over as a whole number arrives as its text.
        if let (Kind::Int, ValueAny::String(text)) = (f.kind, v) {
            out.push(Problem { path: path.clone(), message: format!("must be a whole number, got {text}") });
            continue;
        }
        for c in f.checks {
            if let Some(message) = check_value(c, v) {
                out.push(Problem { path: path.clone(), message });
            }
        }
        if let Kind::Block { fields: nested, .. } = f.kind {
            match v {
                ValueAny::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        check_object(nested, item, &path.clone().index(i as i64), out);
                    }
                }
                item @ ValueAny::Map(_) => check_object(nested, item, &path, out),
                _ => {}
            }
        }
    }
}

fn count_chars(s: &str) -> usize {
    s.chars().count()
}

/// One check on one value; None when it passes (or cannot be judged yet).
pub fn check_value(c: &Check, v: &ValueAny) -> Option<String> {
    match (c, v) {
        (_, ValueAny::Null | ValueAny::Unknown) => None,
        (Check::OneOf(options), ValueAny::String(s)) => {
            (!options.contains(&s.as_str())).then(|| format!("must be one of {}, got {s:?}", quoted(options)))
        }
        (Check::Len(min, max), ValueAny::String(s)) => {
            let n = count_chars(s);
            (n < *min || n > *max).then(|| {
                if min == max {
                    format!("must be exactly {min} characters long, got {n}")
                } else {
                    format!("must be {min} to {max} characters long, got {n}")
                }
            })
        }
        (Check::Chars(allowed, ok), ValueAny::String(s)) => {
            s.chars().find(|ch| !ok(*ch)).map(|ch| format!("may only contain {allowed}; {ch:?} is not allowed"))
        }
        (Check::Pattern(expected, ok), ValueAny::String(s)) => {
            (!ok(s)).then(|| format!("must be {expected}, got {s:?}"))
        }
        (Check::Range(min, i64::MAX), ValueAny::Number(n)) => {
            (n < min).then(|| format!("must be at least {min}, got {n}"))
        }
        (Check::Range(min, max), ValueAny::Number(n)) => {
            (n < min || n > max).then(|| format!("must be between {min} and {max}, got {n}"))
        }
        (Check::MultipleOf(step), ValueAny::Number(n)) => {
            (n % step != 0).then(|| format!("must be a multiple of {step}, got {n}"))
        }
        (Check::Items(min, max), ValueAny::List(l)) => items(*min, *max, l.len()),
        (Check::Items(min, max), ValueAny::Map(m)) => items(*min, *max, m.len()),
        (Check::MapKeys(min, max, allowed, ok), ValueAny::Map(m)) => {
            m.keys().find_map(|k| text_problem(k, *min, *max, allowed, *ok).map(|p| format!("key {k:?} {p}")))
        }
        (Check::MapValues(min, max, allowed, ok), ValueAny::Map(m)) => m.iter().find_map(|(k, v)| match v {
            ValueAny::String(s) => text_problem(s, *min, *max, allowed, *ok).map(|p| format!("value of {k:?} {p}")),
            _ => None,
        }),
        _ => None,
    }
}

fn items(min: usize, max: usize, n: usize) -> Option<String> {
    (n < min || n > max).then(|| format!("must have {min} to {max} elements, got {n}"))
}

fn text_problem(s: &str, min: usize, max: usize, allowed: &str, ok: fn(char) -> bool) -> Option<String> {
    let n = count_chars(s);
    if n < min || n > max {
        return Some(format!("must be {min} to {max} characters long, got {n}"));
    }
    s.chars().find(|ch| !ok(*ch)).map(|ch| format!("may only contain {allowed}; {ch:?} is not allowed"))
}

fn quoted(options: &[&str]) -> String {
    options.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
}

/// The attribute path of a rule's field (a block step points at its first element).
pub fn rule_path(config: &ValueAny, names: &[&str]) -> AttributePath {
    let mut path = AttributePath::root();
    let mut cur = config;
    for (i, name) in names.iter().enumerate() {
        path = path.attribute(name.to_string());
        let v = get(cur, name);
        if i + 1 < names.len() {
            if matches!(v, ValueAny::List(_)) {
                path = path.index(0);
            }
            cur = single(v);
        }
    }
    path
}

fn check_rule(rule: &Rule, config: &ValueAny, out: &mut Vec<Problem>) {
    match *rule {
        Rule::RequiredWhen { field, when, equals } => {
            let w = get_path(config, when);
            let v = get_path(config, field);
            if w == &ValueAny::String(equals.into()) && !is_set(v) {
                out.push(Problem {
                    path: rule_path(config, field),
                    message: format!("is required when {} is {equals:?}", when.join(".")),
                });
            }
        }
        Rule::OnlyWhen { field, when, equals } => {
            let w = get_path(config, when);
            let v = get_path(config, field);
            let known_other = matches!(w, ValueAny::String(s) if s != equals) || w == &ValueAny::Null;
            if known_other && is_set(v) && v != &ValueAny::Unknown {
                out.push(Problem {
                    path: rule_path(config, field),
                    message: format!("may only be set when {} is {equals:?}", when.join(".")),
                });
            }
        }
        Rule::Custom(check) => {
            for (names, message) in check(config) {
                out.push(Problem { path: rule_path(config, &names), message });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::field::{Check, Field};

    fn s(v: &str) -> ValueAny {
        ValueAny::String(v.into())
    }
    fn obj(pairs: &[(&str, ValueAny)]) -> ValueAny {
        ValueAny::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    static CHARGE: [Field; 2] = [
        Field::string("charge_mode", "m").required().checks(&[Check::OneOf(&["prePaid", "postPaid"])]),
        Field::int("period_num", "n").checks(&[Check::Range(1, 9)]),
    ];
    static FIELDS: [Field; 2] = [
        Field::string("name", "n").checks(&[Check::Len(1, 4), Check::Chars("letters", |c| c.is_ascii_alphabetic())]),
        Field::block("charge_info", &CHARGE, "c"),
    ];
    static RULES: [Rule; 2] = [
        Rule::RequiredWhen {
            field: &["charge_info", "period_num"],
            when: &["charge_info", "charge_mode"],
            equals: "prePaid",
        },
        Rule::OnlyWhen {
            field: &["charge_info", "period_num"],
            when: &["charge_info", "charge_mode"],
            equals: "prePaid",
        },
    ];

    fn messages(config: &ValueAny) -> Vec<String> {
        validate(&FIELDS, &RULES, config).into_iter().map(|p| format!("{:?}: {}", p.path.steps, p.message)).collect()
    }

    #[test]
    fn reports_each_problem_with_its_path() {
        let config = obj(&[
            ("name", s("ab1de")),
            (
                "charge_info",
                ValueAny::List(vec![obj(&[("charge_mode", s("monthly")), ("period_num", ValueAny::Number(10))])]),
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
            ("name", ValueAny::Null),
            ("zones", ValueAny::List(vec![s("a"), ValueAny::Null, s("c")])),
            ("tags", obj(&[("k", ValueAny::Null), ("ok", s("v"))])),
        ]);
        let m: Vec<String> = validate(&LISTS, &[], &config)
            .into_iter()
            .map(|p| format!("{} {}", crate::engine::path_label(&p.path), p.message))
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
        let unknown = obj(&[("name", ValueAny::Unknown), ("zones", ValueAny::List(vec![ValueAny::Unknown]))]);
        assert!(validate(&LISTS, &[], &unknown).is_empty());
    }

    #[test]
    fn conditional_rules() {
        let pre = obj(&[(
            "charge_info",
            ValueAny::List(vec![obj(&[("charge_mode", s("prePaid")), ("period_num", ValueAny::Null)])]),
        )]);
        assert_eq!(messages(&pre).len(), 1);
        assert!(messages(&pre)[0].contains("is required when charge_info.charge_mode is \"prePaid\""));
        let post = obj(&[(
            "charge_info",
            ValueAny::List(vec![obj(&[("charge_mode", s("postPaid")), ("period_num", ValueAny::Number(1))])]),
        )]);
        assert!(messages(&post)[0].contains("may only be set when"));
        let unknown = obj(&[(
            "charge_info",
            ValueAny::List(vec![obj(&[("charge_mode", ValueAny::Unknown), ("period_num", ValueAny::Null)])]),
        )]);
        assert!(messages(&unknown).is_empty());
    }
}
