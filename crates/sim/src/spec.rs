//! Declarative request-body specifications and a strict validator.
//!
//! A body is described by a static list of [`Field`]s. Validation rejects unknown
//! fields, explicit `null` (unless the field is declared nullable), wrong JSON types
//! (no coercion: the string `"true"` is not a Boolean and `"443"` is not an Integer),
//! missing mandatory fields, and values outside their declared range, enum or pattern.
//! Errors name the JSON path of the offending value, e.g. `charge_info.period_num`
//! or `tags[1].key`.

use serde_json::{Map, Value};

/// A pattern check on a string value: `Err` carries what is wrong.
pub type Check = fn(&str) -> Result<(), String>;

/// The declared type of a value.
#[derive(Clone, Copy)]
pub enum Type {
    /// A string of `min..=max` characters, optionally restricted to `one_of` and a pattern check.
    Str {
        min: usize,
        max: usize,
        one_of: &'static [&'static str],
        check: Option<Check>,
    },
    /// An integer (a JSON number without fraction) in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    Obj(&'static [Field]),
    Arr {
        item: &'static Type,
        min: usize,
        max: usize,
    },
}

/// One member of an object.
#[derive(Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: Type,
    pub required: bool,
    pub nullable: bool,
}

impl Field {
    /// A mandatory field.
    pub const fn req(name: &'static str, ty: Type) -> Field {
        Field { name, ty, required: true, nullable: false }
    }
    /// An optional field (it may be absent, but not `null`).
    pub const fn opt(name: &'static str, ty: Type) -> Field {
        Field { name, ty, required: false, nullable: false }
    }
    /// Allow an explicit `null` for this field.
    pub const fn nullable(self) -> Field {
        Field { nullable: true, ..self }
    }
}

pub const BOOL: Type = Type::Bool;

pub const fn string(min: usize, max: usize) -> Type {
    Type::Str { min, max, one_of: &[], check: None }
}
pub const fn pattern(min: usize, max: usize, check: Check) -> Type {
    Type::Str { min, max, one_of: &[], check: Some(check) }
}
pub const fn one_of(values: &'static [&'static str]) -> Type {
    Type::Str { min: 0, max: usize::MAX, one_of: values, check: None }
}
pub const fn int(min: i64, max: i64) -> Type {
    Type::Int { min, max }
}
pub const fn obj(fields: &'static [Field]) -> Type {
    Type::Obj(fields)
}
pub const fn array(item: &'static Type, min: usize, max: usize) -> Type {
    Type::Arr { item, min, max }
}

/// A validation failure at a JSON path.
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

/// Validate a whole request body (which must be a JSON object) against `fields`.
pub fn validate(fields: &[Field], body: &Value) -> Result<(), Invalid> {
    match body {
        Value::Object(map) => check_object(fields, map, ""),
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

fn check_object(fields: &[Field], map: &Map<String, Value>, path: &str) -> Result<(), Invalid> {
    for key in map.keys() {
        if !fields.iter().any(|f| f.name == key) {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            return Err(Invalid::new(join(path, key), format!("unknown field (allowed here: {})", known.join(", "))));
        }
    }
    for field in fields {
        let p = join(path, field.name);
        match map.get(field.name) {
            None if field.required => return Err(Invalid::new(p, "is mandatory but missing")),
            None => {}
            Some(Value::Null) if field.nullable => {}
            Some(Value::Null) => {
                return Err(Invalid::new(p, "must not be null (leave the field out instead)"));
            }
            Some(value) => check_value(&field.ty, value, &p)?,
        }
    }
    Ok(())
}

fn check_value(ty: &Type, value: &Value, path: &str) -> Result<(), Invalid> {
    let wrong = |expected: &str| Invalid::new(path, format!("expected {expected}, got {}", describe(value)));
    match ty {
        Type::Str { min, max, one_of, check } => {
            let s = value.as_str().ok_or_else(|| wrong("a String"))?;
            let len = s.chars().count();
            if !one_of.is_empty() {
                if !one_of.contains(&s) {
                    return Err(Invalid::new(path, format!("{s:?} is not one of: {}", one_of.join(", "))));
                }
            } else if len < *min || len > *max {
                return Err(Invalid::new(path, format!("length {len} is outside {min}..{max} characters")));
            }
            if let Some(check) = check {
                check(s).map_err(|m| Invalid::new(path, m))?;
            }
            Ok(())
        }
        Type::Int { min, max } => {
            let n = match value {
                Value::Number(n) => n.as_i64().ok_or_else(|| wrong("an Integer"))?,
                _ => return Err(wrong("an Integer")),
            };
            if n < *min || n > *max {
                return Err(Invalid::new(path, format!("{n} is outside the range {min}..{max}")));
            }
            Ok(())
        }
        Type::Bool => value.as_bool().map(|_| ()).ok_or_else(|| wrong("a Boolean")),
        Type::Obj(fields) => match value {
            Value::Object(map) => check_object(fields, map, path),
            _ => Err(wrong("an Object")),
        },
        Type::Arr { item, min, max } => {
            let items = value.as_array().ok_or_else(|| wrong("an Array"))?;
            if items.len() < *min || items.len() > *max {
                return Err(Invalid::new(path, format!("has {} items, allowed {min}..{max}", items.len())));
            }
            for (i, v) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                if v.is_null() {
                    return Err(Invalid::new(p, "must not be null"));
                }
                check_value(item, v, &p)?;
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

/// Conditional rule: `path` must be present, because of `why`.
pub fn require(body: &Value, path: &str, why: &str) -> Result<(), Invalid> {
    match at(body, path) {
        Some(_) => Ok(()),
        None => Err(Invalid::new(path, format!("is mandatory {why}"))),
    }
}

/// Conditional rule: `path` must be absent, because of `why`.
pub fn forbid(body: &Value, path: &str, why: &str) -> Result<(), Invalid> {
    match at(body, path) {
        Some(_) => Err(Invalid::new(path, format!("must not be given {why}"))),
        None => Ok(()),
    }
}

// ---- reusable pattern checks ----

/// Every character satisfies `ok`; otherwise name the first offending one.
pub fn chars_all(s: &str, ok: impl Fn(char) -> bool, allowed: &str) -> Result<(), String> {
    match s.chars().find(|c| !ok(*c)) {
        None => Ok(()),
        Some(c) => Err(format!("character {c:?} is not allowed (allowed: {allowed})")),
    }
}

/// Letters, digits, `_` and `-` (names of instances).
pub fn name_chars(s: &str) -> Result<(), String> {
    chars_all(s, |c| c.is_alphanumeric() || c == '_' || c == '-', "letters, digits, _ and -")
}

/// Lowercase hex digits and `-` (ids such as enterprise_project_id).
pub fn lower_hex_dash(s: &str) -> Result<(), String> {
    chars_all(s, |c| c.is_ascii_digit() || ('a'..='f').contains(&c) || c == '-', "a-f, 0-9 and -")
}

/// A UTC time of day `HH:mm` (00:00 to 23:59, as the provider checks it too).
pub fn hh_mm(s: &str) -> Result<(), String> {
    let bad = || format!("{s:?} is not a time of day in HH:mm format");
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 || !h.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let (h, m): (u32, u32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m > 59 || h > 23 {
        return Err(bad());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const INNER: &[Field] = &[Field::req("n", int(1, 9)), Field::opt("b", BOOL)];
    const SPEC: &[Field] = &[
        Field::req("name", pattern(1, 4, name_chars)),
        Field::opt("kind", one_of(&["x", "y"])),
        Field::opt("inner", obj(INNER)),
        Field::opt("list", array(&string(1, 3), 0, 2)),
        Field::opt("maybe", string(0, 5)).nullable(),
    ];

    fn err(body: Value) -> String {
        validate(SPEC, &body).unwrap_err().to_string()
    }

    #[test]
    fn accepts_valid() {
        validate(SPEC, &json!({"name":"ab","kind":"x","inner":{"n":3,"b":true},"list":["a"],"maybe":null})).unwrap();
    }

    #[test]
    fn rejects() {
        assert!(err(json!({})).starts_with("name: is mandatory"));
        assert!(err(json!({"name":"a","zz":1})).starts_with("zz: unknown field"));
        assert!(err(json!({"name":null})).starts_with("name: must not be null"));
        assert!(err(json!({"name":"a b"})).starts_with("name: character ' '"));
        assert!(err(json!({"name":"abcde"})).starts_with("name: length 5"));
        assert!(err(json!({"name":"a","kind":"z"})).contains("not one of"));
        assert!(err(json!({"name":"a","inner":{"n":"3"}})).starts_with("inner.n: expected an Integer, got the String"));
        assert!(err(json!({"name":"a","inner":{"n":1.5}})).starts_with("inner.n: expected an Integer"));
        assert!(err(json!({"name":"a","inner":{"n":10}})).starts_with("inner.n: 10 is outside"));
        assert!(err(json!({"name":"a","inner":{"n":1,"b":"true"}})).starts_with("inner.b: expected a Boolean"));
        assert!(err(json!({"name":"a","list":["a",""]})).starts_with("list[1]: length 0"));
        assert!(err(json!({"name":"a","list":["a","b","c"]})).starts_with("list: has 3 items"));
        assert!(validate(SPEC, &json!([1])).is_err());
    }

    #[test]
    fn times() {
        for ok in ["00:00", "22:00", "23:59", "09:59"] {
            hh_mm(ok).unwrap();
        }
        for bad in ["24:00", "24:01", "9:00", "ab:cd", "12:60", "1200"] {
            assert!(hh_mm(bad).is_err(), "{bad}");
        }
    }
}
