//! The members of request bodies and query strings, and the strict validation of a body against them.

use serde_json::{Map, Value};

use super::check::Check;

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

/// The value the service takes for a member left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Given {
    Str(&'static str),
    Int(i64),
    Bool(bool),
}

impl Given {
    pub fn to_json(self) -> Value {
        match self {
            Given::Str(s) => Value::from(s),
            Given::Int(n) => Value::from(n),
            Given::Bool(b) => Value::from(b),
        }
    }
}

impl std::fmt::Display for Given {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Given::Str(s) => write!(f, "{s:?}"),
            Given::Int(n) => write!(f, "{n}"),
            Given::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// One member of a request body, or one query parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    /// An explicit `null` is accepted (otherwise the member must be left out instead).
    pub nullable: bool,
    pub checks: &'static [Check],
    /// What the service takes when the member is left out, where the documents state it.
    pub default: Option<Given>,
    /// The value only ever grows: a smaller one is refused (partitions, storage).
    pub grows: bool,
}

impl Param {
    const fn new(name: &'static str, ty: Ty, required: bool) -> Param {
        Param { name, ty, required, nullable: false, checks: &[], default: None, grows: false }
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
    pub const fn default(mut self, value: Given) -> Param {
        self.default = Some(value);
        self
    }
    /// The value only ever grows.
    pub const fn grows(mut self) -> Param {
        self.grows = true;
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

/// The member at a dotted path of a table (`charge_info.charge_mode`; a list of objects is walked
/// into its element).
pub fn find_path(params: &'static [Param], path: &str) -> Option<&'static Param> {
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let p = find(params, first)?;
    match rest {
        None => Some(p),
        Some(rest) => find_path(p.members()?, rest),
    }
}

/// Validate query pairs against the declared query parameters: each key must be declared, and its
/// text must read as the parameter's type (an Integer in digits, a Boolean as `true` or `false`)
/// and pass its checks.
pub fn validate_query(params: &[Param], pairs: &[(String, String)]) -> Result<(), Invalid> {
    for (k, v) in pairs {
        let Some(p) = params.iter().find(|p| p.name == k) else {
            let known: Vec<&str> = params.iter().map(|p| p.name).collect();
            let allowed = if known.is_empty() { "none".to_string() } else { known.join(", ") };
            return Err(Invalid::new(k.as_str(), format!("unknown query parameter (allowed here: {allowed})")));
        };
        let value = match p.ty {
            Ty::Int => match v.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => return Err(Invalid::new(k.as_str(), format!("expected an Integer, got {v:?}"))),
            },
            Ty::Bool => match v.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => return Err(Invalid::new(k.as_str(), format!("expected true or false, got {v:?}"))),
            },
            _ => Value::from(v.as_str()),
        };
        check_value(p, &value, k)?;
    }
    Ok(())
}

/// The integer value of query parameter `name` in `pairs` (the last one when repeated), or its
/// declared default; None when neither is there or the text is no integer.
pub fn query_int(params: &[Param], pairs: &[(String, String)], name: &str) -> Option<i64> {
    match pairs.iter().rev().find(|(k, _)| k == name) {
        Some((_, v)) => v.parse().ok(),
        None => match params.iter().find(|p| p.name == name)?.default? {
            Given::Int(n) => Some(n),
            _ => None,
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::check::Check;
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
}
