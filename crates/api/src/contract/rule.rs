//! Rules that tie members of one request body together, as data: the simulator checks them on every
//! body it receives, and the provider checks them at plan on the arguments sent as those members.

use serde_json::Value;

use super::param::{at, Invalid};

/// A condition on one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Is {
    /// The member holds this string.
    Str(&'static str),
    /// The member is `true` (left out, it is `false`: the services' default for their switches).
    True,
}

impl Is {
    /// Does `v` (None: left out) meet the condition?
    pub fn holds(self, v: Option<&Value>) -> bool {
        match self {
            Is::Str(s) => v.and_then(Value::as_str) == Some(s),
            Is::True => v.and_then(Value::as_bool) == Some(true),
        }
    }
}

impl std::fmt::Display for Is {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Is::Str(s) => write!(f, "{s:?}"),
            Is::True => f.write_str("true"),
        }
    }
}

/// A rule over members of one body; paths are dotted member names from the top of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRule {
    /// `field` must be present when `when` meets the condition.
    RequiredWhen { field: &'static str, when: &'static str, is: Is },
    /// `field` may only be present when `when` meets the condition.
    OnlyWhen { field: &'static str, when: &'static str, is: Is },
    /// These members are given together or not at all.
    Together(&'static str, &'static str),
    /// At most one of these members is given.
    NotBoth(&'static str, &'static str),
    /// At least one of these members is given.
    AnyOf(&'static str, &'static str),
    /// The integer `field` is at most `max` when `when` meets the condition.
    MaxWhen { field: &'static str, max: i64, when: &'static str, is: Is },
    /// No two elements of the list `list` have the same `member` ("": the same value).
    Distinct(&'static str, &'static str),
    /// `field` (a secret) may not equal `other`, nor `other` reversed. `other` is a member of the
    /// body, or a placeholder of the path written `{name}`.
    NotNameOf { field: &'static str, other: &'static str },
}

impl BodyRule {
    pub const fn required_when(field: &'static str, when: &'static str, is: Is) -> BodyRule {
        BodyRule::RequiredWhen { field, when, is }
    }
    pub const fn only_when(field: &'static str, when: &'static str, is: Is) -> BodyRule {
        BodyRule::OnlyWhen { field, when, is }
    }

    /// The members this rule names (documentation and the consistency test).
    pub fn members(&self) -> Vec<&'static str> {
        match *self {
            BodyRule::RequiredWhen { field, when, .. } | BodyRule::OnlyWhen { field, when, .. } => vec![field, when],
            BodyRule::Together(a, b) | BodyRule::NotBoth(a, b) | BodyRule::AnyOf(a, b) => vec![a, b],
            BodyRule::Distinct(list, _) => vec![list],
            BodyRule::MaxWhen { field, when, .. } => vec![field, when],
            BodyRule::NotNameOf { field, other } if other.starts_with('{') => vec![field],
            BodyRule::NotNameOf { field, other } => vec![field, other],
        }
    }

    /// The rule in words, as the docs show it.
    pub fn describe(&self) -> String {
        match *self {
            BodyRule::RequiredWhen { field, when, is } => format!("`{field}` is required when `{when}` is {is}"),
            BodyRule::OnlyWhen { field, when, is } => format!("`{field}` may only be set when `{when}` is {is}"),
            BodyRule::Together(a, b) => format!("`{a}` and `{b}` are set together"),
            BodyRule::NotBoth(a, b) => format!("`{a}` and `{b}` are not both set"),
            BodyRule::AnyOf(a, b) => format!("`{a}` or `{b}` is set (or both)"),
            BodyRule::Distinct(list, "") => format!("`{list}` lists no value twice"),
            BodyRule::Distinct(list, member) => format!("`{list}` lists no `{member}` twice"),
            BodyRule::MaxWhen { field, max, when, is } => format!("`{field}` is at most {max} when `{when}` is {is}"),
            BodyRule::NotNameOf { field, other } => {
                format!("`{field}` may not be `{}` nor it reversed", other.trim_matches(['{', '}']))
            }
        }
    }

    /// The problem of a body, if this rule fails on it. `arg` gives the path's placeholder values.
    pub fn check(&self, body: &Value, arg: &dyn Fn(&str) -> Option<String>) -> Result<(), Invalid> {
        match *self {
            BodyRule::RequiredWhen { field, when, is } if is.holds(at(body, when)) && at(body, field).is_none() => {
                Err(Invalid::new(field, format!("is required when {when} is {is}")))
            }
            BodyRule::OnlyWhen { field, when, is } if !is.holds(at(body, when)) && at(body, field).is_some() => {
                Err(Invalid::new(field, format!("may only be set when {when} is {is}")))
            }
            BodyRule::Together(a, b) => match (at(body, a).is_some(), at(body, b).is_some()) {
                (true, false) => Err(Invalid::new(b, format!("must be set together with {a}"))),
                (false, true) => Err(Invalid::new(a, format!("must be set together with {b}"))),
                _ => Ok(()),
            },
            BodyRule::NotBoth(a, b) if at(body, a).is_some() && at(body, b).is_some() => {
                Err(Invalid::new(b, format!("may not be set together with {a}")))
            }
            BodyRule::AnyOf(a, b) if at(body, a).is_none() && at(body, b).is_none() => {
                Err(Invalid::new(a, format!("must be set when {b} is not")))
            }
            BodyRule::MaxWhen { field, max, when, is } if is.holds(at(body, when)) => {
                match at(body, field).and_then(Value::as_i64) {
                    Some(n) if n > max => {
                        Err(Invalid::new(field, format!("must be at most {max} when {when} is {is}, got {n}")))
                    }
                    _ => Ok(()),
                }
            }
            BodyRule::Distinct(list, member) => {
                let items = at(body, list).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
                let value = |v: &'_ Value| if member.is_empty() { Some(v.clone()) } else { v.get(member).cloned() };
                let values: Vec<Value> = items.iter().filter_map(value).filter(|v| !v.is_null()).collect();
                match values.iter().enumerate().find(|(i, v)| values[..*i].contains(v)) {
                    Some((_, v)) => Err(Invalid::new(list, twice(member, v))),
                    None => Ok(()),
                }
            }
            BodyRule::NotNameOf { field, other } => {
                let name = match other.strip_prefix('{').and_then(|o| o.strip_suffix('}')) {
                    Some(placeholder) => arg(placeholder),
                    None => at(body, other).and_then(Value::as_str).map(str::to_string),
                };
                match (at(body, field).and_then(Value::as_str), name) {
                    (Some(secret), Some(name)) if same_or_reversed(secret, &name) => {
                        let what = other.trim_matches(['{', '}']);
                        Err(Invalid::new(field, format!("must not be the same as {what} or {what} reversed")))
                    }
                    _ => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }
}

/// The message of a value listed twice.
pub fn twice(member: &str, v: &impl std::fmt::Display) -> String {
    match member {
        "" => format!("lists {v} twice"),
        m => format!("lists {m} {v} twice"),
    }
}

/// Is `secret` the name, or the name reversed?
pub fn same_or_reversed(secret: &str, name: &str) -> bool {
    secret == name || secret.chars().eq(name.chars().rev())
}

/// Check every rule; the first problem.
pub fn check_all(rules: &[BodyRule], body: &Value, arg: &dyn Fn(&str) -> Option<String>) -> Result<(), Invalid> {
    rules.iter().try_for_each(|r| r.check(body, arg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RULES: &[BodyRule] = &[
        BodyRule::required_when("c.period", "c.mode", Is::Str("prePaid")),
        BodyRule::only_when("c.auto_pay", "c.mode", Is::Str("prePaid")),
        BodyRule::only_when("user", "ssl", Is::True),
        BodyRule::Together("begin", "end"),
        BodyRule::NotBoth("old", "new"),
        BodyRule::MaxWhen { field: "c.period", max: 3, when: "c.unit", is: Is::Str("year") },
        BodyRule::Distinct("nics", "ip"),
        BodyRule::Distinct("zones", ""),
        BodyRule::NotNameOf { field: "secret", other: "name" },
        BodyRule::NotNameOf { field: "secret", other: "{user_name}" },
    ];

    #[test]
    fn any_of_wants_one_member_or_both() {
        let rules = [BodyRule::AnyOf("c.id", "c.name")];
        let problem = |body| check_all(&rules, &body, &|_| None).err().map(|e| e.to_string());
        assert_eq!(problem(json!({"c": {}})).unwrap(), "c.id: must be set when c.name is not");
        assert_eq!(problem(json!({"c": {"id": null}})).unwrap(), "c.id: must be set when c.name is not");
        for body in [json!({"c": {"id": "i"}}), json!({"c": {"name": "n"}}), json!({"c": {"id": "i", "name": "n"}})] {
            assert_eq!(problem(body), None);
        }
        assert_eq!(rules[0].members(), ["c.id", "c.name"]);
    }

    fn problem(body: serde_json::Value) -> Option<String> {
        let arg = |k: &str| (k == "user_name").then(|| "path-user".to_string());
        check_all(RULES, &body, &arg).err().map(|e| e.to_string())
    }

    #[test]
    fn each_kind_of_rule() {
        assert_eq!(problem(json!({"c": {"mode": "postPaid"}})), None);
        assert_eq!(
            problem(json!({"c": {"mode": "prePaid"}})).unwrap(),
            "c.period: is required when c.mode is \"prePaid\""
        );
        assert_eq!(
            problem(json!({"c": {"mode": "postPaid", "auto_pay": true}})).unwrap(),
            "c.auto_pay: may only be set when c.mode is \"prePaid\""
        );
        assert_eq!(problem(json!({"user": "u"})).unwrap(), "user: may only be set when ssl is true");
        assert_eq!(problem(json!({"user": "u", "ssl": true})), None);
        assert_eq!(problem(json!({"begin": "a"})).unwrap(), "end: must be set together with begin");
        assert_eq!(problem(json!({"begin": "a", "end": "b"})), None);
        assert_eq!(problem(json!({"old": 1, "new": 2})).unwrap(), "new: may not be set together with old");
        assert_eq!(problem(json!({"nics": [{"ip": "a"}, {}, {"ip": "a"}]})).unwrap(), "nics: lists ip \"a\" twice");
        assert_eq!(problem(json!({"nics": [{"ip": "a"}, {}, {}]})), None);
        assert_eq!(problem(json!({"zones": ["z1", "z2", "z1"]})).unwrap(), "zones: lists \"z1\" twice");
        let year = |n: i64| json!({"c": {"mode": "prePaid", "period": n, "unit": "year"}});
        assert_eq!(problem(year(3)), None);
        assert_eq!(problem(year(4)).unwrap(), "c.period: must be at most 3 when c.unit is \"year\", got 4");
        assert!(problem(json!({"name": "abcd", "secret": "dcba"})).unwrap().starts_with("secret: must not be"));
        assert!(problem(json!({"secret": "resu-htap"})).unwrap().contains("user_name reversed"));
        assert_eq!(problem(json!({"name": "abcd", "secret": "abcde"})), None);
    }
}
