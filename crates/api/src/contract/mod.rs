//! The request contract of every call the provider makes: operations (method, path template, body)
//! and the parameters of their bodies (JSON type, required, enumerations, lengths, ranges, patterns),
//! written once. The provider's schema, plan-time validation and docs read these tables, and so does
//! the simulator's request validation: a rule changed here changes on both sides.
//!
//! What stays outside: service-side catalogs (which versions or flavors exist), which the simulator
//! keeps, and rules that tie several fields together, which each side writes once in its own terms.

use serde_json::{Map, Value};

use crate::service::{Method, Service};

pub mod clouddc;
pub mod iam;
pub mod iotda;
pub mod kafka;

/// A check on one value. String checks count characters, not bytes.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// Length in characters (inclusive).
    Len(usize, usize),
    /// Every character satisfies the predicate; the text says which are allowed.
    Chars(&'static str, fn(char) -> bool),
    /// The whole value satisfies the predicate; the text says what is expected.
    Pattern(&'static str, fn(&str) -> bool),
    /// A rule that explains itself; `None` when it holds. Its messages never repeat the value (passwords).
    Rule(fn(&str) -> Option<String>),
    /// Integer range (inclusive).
    Range(i64, i64),
    /// A whole multiple of this number.
    MultipleOf(i64),
    /// Number of elements of an array or members of a map (inclusive).
    Items(usize, usize),
}

impl Check {
    /// The problem with a string value, if this check applies to strings and fails.
    pub fn text(&self, s: &str) -> Option<String> {
        match *self {
            Check::OneOf(options) => {
                (!options.contains(&s)).then(|| format!("must be one of {}, got {s:?}", quoted(options)))
            }
            Check::Len(min, max) => {
                let n = s.chars().count();
                (n < min || n > max).then(|| match (min, max) {
                    _ if min == max => format!("must be exactly {min} characters long, got {n}"),
                    (_, usize::MAX) => format!("must be at least {min} characters long, got {n}"),
                    _ => format!("must be {min} to {max} characters long, got {n}"),
                })
            }
            Check::Chars(allowed, ok) => {
                s.chars().find(|c| !ok(*c)).map(|c| format!("may only contain {allowed}; {c:?} is not allowed"))
            }
            Check::Pattern(expected, ok) => (!ok(s)).then(|| format!("must be {expected}, got {s:?}")),
            Check::Rule(rule) => rule(s),
            _ => None,
        }
    }

    /// The problem with an integer value, if this check applies to integers and fails.
    pub fn int(&self, n: i64) -> Option<String> {
        match *self {
            Check::Range(min, i64::MAX) => (n < min).then(|| format!("must be at least {min}, got {n}")),
            Check::Range(min, max) => (n < min || n > max).then(|| format!("must be between {min} and {max}, got {n}")),
            Check::MultipleOf(step) => (n % step != 0).then(|| format!("must be a multiple of {step}, got {n}")),
            _ => None,
        }
    }

    /// The problem with a number of elements, if this check counts them and fails.
    pub fn count(&self, n: usize) -> Option<String> {
        match *self {
            Check::Items(min, max) if n < min || n > max => Some(match (min, max) {
                _ if min == max => format!("must have exactly {min} elements, got {n}"),
                (1, usize::MAX) => format!("must have at least one element, got {n}"),
                (_, usize::MAX) => format!("must have at least {min} elements, got {n}"),
                _ => format!("must have {min} to {max} elements, got {n}"),
            }),
            _ => None,
        }
    }

    /// The check in a sentence for the docs (None for a self-explaining rule).
    pub fn describe(&self) -> Option<String> {
        Some(match *self {
            Check::OneOf(options) => {
                format!("one of {}", options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "))
            }
            Check::Len(min, max) if min == max => format!("exactly {min} characters"),
            Check::Len(min, usize::MAX) => format!("at least {min} characters"),
            Check::Len(0, max) => format!("at most {max} characters"),
            Check::Len(min, max) => format!("{min} to {max} characters"),
            Check::Chars(allowed, _) => format!("only {allowed}"),
            Check::Pattern(expected, _) => expected.to_string(),
            Check::Rule(_) => return None,
            Check::Range(min, i64::MAX) => format!("at least {min}"),
            Check::Range(min, max) => format!("{min} to {max}"),
            Check::MultipleOf(step) => format!("a multiple of {step}"),
            Check::Items(min, max) if min == max => format!("exactly {min} elements"),
            Check::Items(1, usize::MAX) => "at least one element".to_string(),
            Check::Items(min, usize::MAX) => format!("at least {min} elements"),
            Check::Items(0, max) => format!("at most {max} elements"),
            Check::Items(min, max) => format!("{min} to {max} elements"),
        })
    }
}

fn quoted(options: &[&str]) -> String {
    options.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
}

/// The JSON type of a parameter.
#[derive(Debug, Clone, Copy)]
pub enum Ty {
    Str,
    /// A JSON number without a fraction.
    Int,
    Bool,
    Obj(&'static [Param]),
    /// An array; the element's type and checks are those of this parameter (its name is unused).
    List(&'static Param),
    /// An object with free keys and string values: checks on the keys and on the values.
    Map {
        keys: &'static [Check],
        values: &'static [Check],
    },
}

/// One member of a request body.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// An explicit `null` is accepted (otherwise the member must be left out instead).
    pub nullable: bool,
    pub checks: &'static [Check],
}

impl Param {
    const fn new(name: &'static str, ty: Ty, required: bool) -> Param {
        Param { name, ty, required, nullable: false, checks: &[] }
    }
    /// A mandatory member.
    pub const fn req(name: &'static str, ty: Ty) -> Param {
        Param::new(name, ty, true)
    }
    /// An optional member (absent, never `null`, unless [`Param::nullable`]).
    pub const fn opt(name: &'static str, ty: Ty) -> Param {
        Param::new(name, ty, false)
    }
    /// The element of an array.
    pub const fn item(ty: Ty) -> Param {
        Param::new("", ty, true)
    }
    pub const fn checks(mut self, checks: &'static [Check]) -> Param {
        self.checks = checks;
        self
    }
    pub const fn nullable(mut self) -> Param {
        self.nullable = true;
        self
    }

    /// The members of an object parameter, or of the object elements of an array parameter.
    pub fn members(&self) -> Option<&'static [Param]> {
        match self.ty {
            Ty::Obj(members) => Some(members),
            Ty::List(Param { ty: Ty::Obj(members), .. }) => Some(members),
            _ => None,
        }
    }
}

/// The member called `name` of a table.
pub fn find(params: &'static [Param], name: &str) -> Option<&'static Param> {
    params.iter().find(|p| p.name == name)
}

/// One API operation: the service, method and path template (`{placeholders}` are filled with
/// percent-encoded values), the query parameters it takes and its JSON body.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// The SDK's name of the operation, e.g. `CreateInstanceTopic`.
    pub name: &'static str,
    pub service: Service,
    pub method: Method,
    pub path: &'static str,
    /// Query parameter names, in the order the provider sends them (documentation).
    pub query: &'static [&'static str],
    pub body: &'static [Param],
}

/// Two operations are the same when they send the same method to the same path of the same service.
impl PartialEq for Op {
    fn eq(&self, other: &Op) -> bool {
        (self.service, self.method, self.path) == (other.service, other.method, other.path)
    }
}

/// The placeholders a path template may use.
pub const PLACEHOLDERS: &[&str] = &["project_id", "instance_id"];

impl Op {
    pub const fn new(name: &'static str, service: Service, method: Method, path: &'static str) -> Op {
        Op { name, service, method, path, query: &[], body: &[] }
    }
    pub const fn body(mut self, body: &'static [Param]) -> Op {
        self.body = body;
        self
    }
    pub const fn query(mut self, query: &'static [&'static str]) -> Op {
        self.query = query;
        self
    }

    /// `METHOD path` as the docs show it.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }

    /// The `{names}` of the path template, in order.
    pub fn placeholders(&self) -> Vec<&'static str> {
        self.path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
    }

    /// Validate a request body against this operation's table.
    pub fn validate(&self, body: &Value) -> Result<(), Invalid> {
        validate(self.body, body)
    }
}

/// A validation failure at a JSON path (`charge_info.period_num`, `tags[1].key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub path: String,
    pub msg: String,
}

impl Invalid {
    pub fn new(path: impl Into<String>, msg: impl Into<String>) -> Invalid {
        Invalid { path: path.into(), msg: msg.into() }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.msg)
        } else {
            write!(f, "{}: {}", self.path, self.msg)
        }
    }
}

/// Validate a whole request body (a JSON object) strictly: unknown members, explicit `null` (unless
/// nullable), wrong JSON types (no coercion: `"true"` is not a Boolean, `"443"` not an Integer),
/// missing mandatory members and failed checks are errors naming the JSON path.
pub fn validate(params: &[Param], body: &Value) -> Result<(), Invalid> {
    match body {
        Value::Object(map) => check_object(params, map, ""),
        other => Err(Invalid::new("", format!("the request body must be a JSON object, got {}", describe(other)))),
    }
}

fn join(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

fn check_object(params: &[Param], map: &Map<String, Value>, path: &str) -> Result<(), Invalid> {
    if let Some(key) = map.keys().find(|k| !params.iter().any(|p| p.name == k.as_str())) {
        let known: Vec<&str> = params.iter().map(|p| p.name).collect();
        return Err(Invalid::new(join(path, key), format!("unknown field (allowed here: {})", known.join(", "))));
    }
    for p in params {
        let at = join(path, p.name);
        match map.get(p.name) {
            None if p.required => return Err(Invalid::new(at, "is mandatory but missing")),
            None => {}
            Some(Value::Null) if p.nullable => {}
            Some(Value::Null) => return Err(Invalid::new(at, "must not be null (leave the field out instead)")),
            Some(value) => check_value(p, value, &at)?,
        }
    }
    Ok(())
}

fn first(checks: &[Check], f: impl Fn(&Check) -> Option<String>) -> Option<String> {
    checks.iter().find_map(f)
}

fn check_value(p: &Param, value: &Value, path: &str) -> Result<(), Invalid> {
    let wrong = |expected: &str| Invalid::new(path, format!("expected {expected}, got {}", describe(value)));
    let fail = |msg: Option<String>| msg.map_or(Ok(()), |m| Err(Invalid::new(path, m)));
    match p.ty {
        Ty::Str => {
            let s = value.as_str().ok_or_else(|| wrong("a String"))?;
            fail(first(p.checks, |c| c.text(s)))
        }
        Ty::Int => {
            if value.is_u64() && !value.is_i64() {
                return Err(Invalid::new(path, format!("{} is out of range", describe(value))));
            }
            let n = value.as_i64().ok_or_else(|| wrong("an Integer"))?;
            fail(first(p.checks, |c| c.int(n)))
        }
        Ty::Bool => value.as_bool().map(|_| ()).ok_or_else(|| wrong("a Boolean")),
        Ty::Obj(members) => match value {
            Value::Object(map) => check_object(members, map, path),
            _ => Err(wrong("an Object")),
        },
        Ty::List(item) => {
            let items = value.as_array().ok_or_else(|| wrong("an Array"))?;
            fail(first(p.checks, |c| c.count(items.len())))?;
            for (i, v) in items.iter().enumerate() {
                let at = format!("{path}[{i}]");
                if v.is_null() {
                    return Err(Invalid::new(at, "must not be null"));
                }
                check_value(item, v, &at)?;
            }
            Ok(())
        }
        Ty::Map { keys, values } => {
            let map = value.as_object().ok_or_else(|| wrong("an Object"))?;
            fail(first(p.checks, |c| c.count(map.len())))?;
            for (k, v) in map {
                let at = join(path, k);
                if let Some(m) = first(keys, |c| c.text(k)) {
                    return Err(Invalid::new(at, format!("key {m}")));
                }
                let text =
                    v.as_str().ok_or_else(|| Invalid::new(&at, format!("expected a String, got {}", describe(v))))?;
                if let Some(m) = first(values, |c| c.text(text)) {
                    return Err(Invalid::new(at, format!("value {m}")));
                }
            }
            Ok(())
        }
    }
}

/// A short description of a JSON value for error messages.
pub fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the Boolean {b}"),
        Value::Number(n) if n.is_i64() || n.is_u64() => format!("the Integer {n}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => {
            let shown: String = s.chars().take(40).collect();
            let more = if s.chars().count() > 40 { "..." } else { "" };
            format!("the String \"{shown}{more}\"")
        }
        Value::Array(_) => "an Array".into(),
        Value::Object(_) => "an Object".into(),
    }
}

/// The value at a dotted path (`"charge_info.period_type"`), if present and not null.
pub fn at<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = value;
    for part in path.split('.') {
        cur = cur.get(part)?;
    }
    (!cur.is_null()).then_some(cur)
}

/// Character classes and formats several services share.
pub mod text {
    /// Letters, digits, spaces and `_.:=+-@` (the tag APIs' character set).
    pub fn tag_char(c: char) -> bool {
        c.is_alphanumeric() || " _.:=+-@".contains(c)
    }
    /// Lowercase hex digits and `-` (enterprise project ids).
    pub fn eps_char(c: char) -> bool {
        c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-'
    }
    pub fn starts_with_letter(s: &str) -> bool {
        s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
    }
    /// A UTC time of day `HH:mm`, 00:00 to 23:59.
    pub fn hh_mm(s: &str) -> bool {
        let b = s.as_bytes();
        let num = |i: usize| (b[i] as char).to_digit(10).zip((b[i + 1] as char).to_digit(10)).map(|(x, y)| x * 10 + y);
        b.len() == 5 && b[2] == b':' && num(0).is_some_and(|h| h < 24) && num(3).is_some_and(|m| m < 60)
    }
    /// The end of a window: `HH:mm` from 00:00 to 24:00 (the end of the day).
    pub fn hh_mm_end(s: &str) -> bool {
        hh_mm(s) || s == "24:00"
    }
    /// `HH:mm` or `HH:mm:ss`.
    pub fn time_of_day(s: &str) -> bool {
        match s.len() {
            _ if !s.is_ascii() => false,
            5 => hh_mm(s),
            8 => {
                hh_mm(&s[..5])
                    && s.as_bytes()[5] == b':'
                    && s[6..].bytes().all(|b| b.is_ascii_digit())
                    && s[6..] < *"60"
            }
            _ => false,
        }
    }
    /// A tag key must not start with `_sys_` nor start or end with a space.
    pub fn tag_key(s: &str) -> bool {
        s.trim() == s && !s.starts_with("_sys_")
    }

    /// Length 8-32, at least three of lowercase, uppercase, digits and `specials` (space counts as
    /// special), only those characters, not starting with `-`. The message never shows the value.
    pub fn password_problem(p: &str, specials: &str) -> Option<String> {
        let (n, special) = (p.chars().count(), |c: char| specials.contains(c) || c == ' ');
        let kinds = [char::is_ascii_lowercase, char::is_ascii_uppercase, char::is_ascii_digit];
        let kinds = kinds.iter().filter(|k| p.chars().any(|c| k(&c))).count() + usize::from(p.chars().any(special));
        if !(8..=32).contains(&n) {
            Some(format!("must be 8 to 32 characters long, got {n}"))
        } else if p.starts_with('-') {
            Some("must not start with a hyphen (-)".into())
        } else if p.chars().any(|c| !c.is_ascii_alphanumeric() && !special(c)) {
            Some(format!("may only contain letters, digits, spaces and the special characters {specials}"))
        } else {
            (kinds < 3).then(|| {
                "must contain at least three of: lowercase letters, uppercase letters, digits, special characters"
                    .into()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const INNER: &[Param] = &[Param::req("n", Ty::Int).checks(&[Check::Range(1, 9)]), Param::opt("b", Ty::Bool)];
    const ITEM: Param = Param::item(Ty::Str).checks(&[Check::Len(1, 3)]);
    const SPEC: &[Param] = &[
        Param::req("name", Ty::Str).checks(&[Check::Len(1, 4), Check::Chars("letters", |c| c.is_alphabetic())]),
        Param::opt("kind", Ty::Str).checks(&[Check::OneOf(&["x", "y"])]),
        Param::opt("inner", Ty::Obj(INNER)),
        Param::opt("list", Ty::List(&ITEM)).checks(&[Check::Items(0, 2)]),
        Param::opt("maybe", Ty::Str).checks(&[Check::Len(0, 5)]).nullable(),
        Param::opt("meta", Ty::Map { keys: &[Check::Len(1, 2)], values: &[Check::Len(0, 1)] }),
    ];

    fn err(body: Value) -> String {
        validate(SPEC, &body).unwrap_err().to_string()
    }

    #[test]
    fn accepts_valid() {
        let ok = json!({"name":"ab","kind":"x","inner":{"n":3,"b":true},"list":["a"],"maybe":null,"meta":{"k":"v"}});
        validate(SPEC, &ok).unwrap();
    }

    #[test]
    fn rejects_with_the_path() {
        assert_eq!(err(json!({})), "name: is mandatory but missing");
        assert!(err(json!({"name":"a","zz":1})).starts_with("zz: unknown field"));
        assert!(err(json!({"name":null})).starts_with("name: must not be null"));
        assert_eq!(err(json!({"name":"a b"})), "name: may only contain letters; ' ' is not allowed");
        assert_eq!(err(json!({"name":"abcde"})), "name: must be 1 to 4 characters long, got 5");
        assert_eq!(err(json!({"name":7})), "name: expected a String, got the Integer 7");
        assert!(err(json!({"name":"a","kind":"z"})).contains("must be one of \"x\", \"y\""));
        assert!(err(json!({"name":"a","inner":{"n":"3"}})).starts_with("inner.n: expected an Integer, got the String"));
        assert!(err(json!({"name":"a","inner":{"n":1.5}})).starts_with("inner.n: expected an Integer"));
        assert_eq!(err(json!({"name":"a","inner":{"n":10}})), "inner.n: must be between 1 and 9, got 10");
        assert!(err(json!({"name":"a","inner":{"n":1,"b":"true"}})).starts_with("inner.b: expected a Boolean"));
        assert!(err(json!({"name":"a","list":["a",""]})).starts_with("list[1]: must be 1 to 3"));
        assert!(err(json!({"name":"a","list":["a",null]})).starts_with("list[1]: must not be null"));
        assert_eq!(err(json!({"name":"a","list":["a","b","c"]})), "list: must have 0 to 2 elements, got 3");
        assert_eq!(err(json!({"name":"a","meta":{"abc":"v"}})), "meta.abc: key must be 1 to 2 characters long, got 3");
        assert_eq!(err(json!({"name":"a","meta":{"k":"vv"}})), "meta.k: value must be 0 to 1 characters long, got 2");
        assert!(validate(SPEC, &json!([1])).is_err());
    }

    #[test]
    fn placeholders_and_labels() {
        let op = Op::new("X", Service::Dms, Method::Put, "/v2/{project_id}/instances/{instance_id}/topics");
        assert_eq!(op.placeholders(), ["project_id", "instance_id"]);
        assert_eq!(op.label(), "PUT /v2/{project_id}/instances/{instance_id}/topics");
    }

    #[test]
    fn times() {
        for ok in ["00:00", "22:00", "23:59", "09:59"] {
            assert!(text::hh_mm(ok) && text::time_of_day(ok), "{ok}");
        }
        for bad in ["24:00", "24:01", "9:00", "ab:cd", "12:60", "1200", "１２:00"] {
            assert!(!text::hh_mm(bad), "{bad}");
        }
        assert!(text::time_of_day("23:59:59") && !text::time_of_day("23:59:60") && !text::time_of_day("23:59:+1"));
        assert!(text::hh_mm_end("24:00") && text::hh_mm_end("00:00") && !text::hh_mm_end("24:01"));
    }
}
