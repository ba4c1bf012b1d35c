//! The value a provider's code works with: a Terraform value without its type, where objects and maps
//! are both [`TfValue::Map`], lists, sets and tuples [`TfValue::List`], and numbers whole `i64`s. The
//! schema's type is put back when a value goes to Terraform ([`to_value`]). A number that is not a whole
//! `i64` (`1.5`, `1e30`) arrives as its text, so that validation can name the attribute that expected a
//! whole number instead of failing the decode.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::value::{Error, Number, PathStep, Type, Value};

/// A Terraform value as a provider's code sees it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum TfValue {
    #[default]
    Null,
    /// Not known until apply.
    Unknown,
    Bool(bool),
    Number(i64),
    String(String),
    /// A list, set or tuple.
    List(Vec<TfValue>),
    /// An object or a map.
    Map(BTreeMap<String, TfValue>),
}

impl TfValue {
    pub fn is_null(&self) -> bool {
        matches!(self, TfValue::Null)
    }

    /// A value from JSON: objects become maps, arrays lists; a number that is not a whole `i64` its text.
    pub fn from_json(json: &Json) -> TfValue {
        match json {
            Json::Null => TfValue::Null,
            Json::Bool(b) => TfValue::Bool(*b),
            Json::Number(n) => n.as_i64().map(TfValue::Number).unwrap_or_else(|| TfValue::String(n.to_string())),
            Json::String(s) => TfValue::String(s.clone()),
            Json::Array(a) => TfValue::List(a.iter().map(TfValue::from_json).collect()),
            Json::Object(o) => TfValue::Map(o.iter().map(|(k, v)| (k.clone(), TfValue::from_json(v))).collect()),
        }
    }

    /// The value as JSON, unknowns as null (for private data and messages, never for Terraform).
    pub fn to_json(&self) -> Json {
        match self {
            TfValue::Null | TfValue::Unknown => Json::Null,
            TfValue::Bool(b) => Json::Bool(*b),
            TfValue::Number(n) => Json::from(*n),
            TfValue::String(s) => Json::String(s.clone()),
            TfValue::List(l) => Json::Array(l.iter().map(TfValue::to_json).collect()),
            TfValue::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect()),
        }
    }
}

/// A decoded value as the provider's code sees it.
pub fn from_value(value: Value) -> TfValue {
    match value {
        Value::Null => TfValue::Null,
        Value::Unknown => TfValue::Unknown,
        Value::Bool(b) => TfValue::Bool(b),
        Value::Number(n) => n.as_i64().map(TfValue::Number).unwrap_or_else(|| TfValue::String(n.to_string())),
        Value::String(s) => TfValue::String(s),
        Value::List(l) | Value::Set(l) | Value::Tuple(l) => TfValue::List(l.into_iter().map(from_value).collect()),
        Value::Map(m) | Value::Object(m) => TfValue::Map(m.into_iter().map(|(k, v)| (k, from_value(v))).collect()),
    }
}

fn describe(v: &TfValue) -> &'static str {
    match v {
        TfValue::Null => "null",
        TfValue::Unknown => "an unknown value",
        TfValue::Bool(_) => "a bool",
        TfValue::Number(_) => "a number",
        TfValue::String(_) => "a string",
        TfValue::List(_) => "a list",
        TfValue::Map(_) => "a map",
    }
}

/// The provider's value given the schema's type again, for encoding to Terraform. A number's text (as
/// [`from_value`] gives it) is a number again; an object gets every attribute of its type (null where the
/// value has none), and an attribute the type does not have is an error naming it.
pub fn to_value(v: &TfValue, ty: &Type) -> Result<Value, Error> {
    let mismatch = || Error::new(format!("expected {}, got {}", ty.describe(), describe(v)));
    Ok(match (ty, v) {
        (_, TfValue::Null) => Value::Null,
        (_, TfValue::Unknown) => Value::Unknown,
        (Type::Bool | Type::Dynamic, TfValue::Bool(b)) => Value::Bool(*b),
        (Type::Number | Type::Dynamic, TfValue::Number(n)) => Value::Number((*n).into()),
        (Type::Number, TfValue::String(s)) => Value::Number(s.parse::<Number>().map_err(Error::new)?),
        (Type::String | Type::Dynamic, TfValue::String(s)) => Value::String(s.clone()),
        (Type::String, TfValue::Number(n)) => Value::String(n.to_string()),
        (Type::String, TfValue::Bool(b)) => Value::String(b.to_string()),
        (Type::List(e), TfValue::List(l)) => Value::List(elements(l, e)?),
        (Type::Set(e), TfValue::List(l)) => Value::Set(elements(l, e)?),
        (Type::Tuple(ts), TfValue::List(l)) if ts.len() == l.len() => Value::Tuple(
            l.iter()
                .zip(ts)
                .enumerate()
                .map(|(i, (v, t))| to_value(v, t).map_err(|e| e.within(PathStep::Index(i))))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Map(e), TfValue::Map(m)) => Value::Map(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), to_value(v, e).map_err(|e| e.within(PathStep::Key(k.clone())))?)))
                .collect::<Result<_, Error>>()?,
        ),
        (Type::Object { attributes, .. }, TfValue::Map(m)) => {
            if let Some(extra) = m.keys().find(|k| !attributes.contains_key(*k)) {
                return Err(Error::new(format!("the type has no attribute {extra:?}")));
            }
            Value::Object(
                attributes
                    .iter()
                    .map(|(k, t)| {
                        let v = m.get(k).unwrap_or(&TfValue::Null);
                        Ok((k.clone(), to_value(v, t).map_err(|e| e.within(PathStep::Attr(k.clone())))?))
                    })
                    .collect::<Result<_, Error>>()?,
            )
        }
        (Type::Dynamic, TfValue::List(l)) => Value::Tuple(
            l.iter()
                .enumerate()
                .map(|(i, v)| to_value(v, &Type::Dynamic).map_err(|e| e.within(PathStep::Index(i))))
                .collect::<Result<_, _>>()?,
        ),
        (Type::Dynamic, TfValue::Map(m)) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    Ok((k.clone(), to_value(v, &Type::Dynamic).map_err(|e| e.within(PathStep::Attr(k.clone())))?))
                })
                .collect::<Result<_, Error>>()?,
        ),
        _ => return Err(mismatch()),
    })
}

fn elements(l: &[TfValue], element: &Type) -> Result<Vec<Value>, Error> {
    l.iter().enumerate().map(|(i, v)| to_value(v, element).map_err(|e| e.within(PathStep::Index(i)))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_that_are_not_whole_arrive_as_their_text_and_go_back_as_numbers() {
        let decoded = from_value(Value::object([
            ("a", Value::Number("1.5".parse().unwrap())),
            ("b", Value::Number(7.into())),
            ("c", Value::Number("123456789012345678901234567890".parse().unwrap())),
        ]));
        let m =
            |pairs: &[(&str, TfValue)]| TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
        assert_eq!(
            decoded,
            m(&[
                ("a", TfValue::String("1.5".into())),
                ("b", TfValue::Number(7)),
                ("c", TfValue::String("123456789012345678901234567890".into()))
            ])
        );
        let ty = Type::object([("a", Type::Number), ("b", Type::Number), ("c", Type::Number)]);
        let back = to_value(&decoded, &ty).unwrap();
        assert_eq!(
            back.attr("c").and_then(Value::as_number).map(|n| n.to_string()).as_deref(),
            Some("123456789012345678901234567890")
        );
        assert_eq!(back.attr("a").and_then(Value::as_number).map(|n| n.to_string()).as_deref(), Some("1.5"));
    }

    #[test]
    fn the_schema_type_decides_sets_objects_and_missing_attributes() {
        let ty = Type::object([
            ("names", Type::set(Type::String)),
            ("tags", Type::map(Type::String)),
            ("block", Type::list(Type::object([("x", Type::Bool), ("y", Type::String)]))),
            ("absent", Type::String),
        ]);
        let v = TfValue::from_json(&serde_json::json!({
            "names": ["a", "b"], "tags": {"env": "dev"}, "block": [{"x": true}]
        }));
        let value = to_value(&v, &ty).unwrap();
        assert!(matches!(value.attr("names"), Some(Value::Set(s)) if s.len() == 2));
        assert!(matches!(value.attr("tags"), Some(Value::Map(_))));
        assert_eq!(value.attr("absent"), Some(&Value::Null));
        let block = &value.attr("block").and_then(Value::as_elements).unwrap()[0];
        assert_eq!(block.attr("y"), Some(&Value::Null));
        assert_eq!(
            from_value(value.clone()),
            TfValue::from_json(&serde_json::json!({
                "names": ["a", "b"], "tags": {"env": "dev"}, "block": [{"x": true, "y": null}], "absent": null
            }))
        );
        // What the type does not have is an error naming where.
        let bad = TfValue::from_json(&serde_json::json!({"block": [{"z": 1}]}));
        assert_eq!(to_value(&bad, &ty).unwrap_err().to_string(), ".block[0]: the type has no attribute \"z\"");
        let bad = TfValue::from_json(&serde_json::json!({"names": "a"}));
        assert!(to_value(&bad, &ty).unwrap_err().to_string().starts_with(".names: expected"));
    }

    #[test]
    fn unknowns_stay_unknown_at_any_depth() {
        let ty = Type::object([("a", Type::list(Type::String))]);
        let v = TfValue::Map([("a".to_string(), TfValue::List(vec![TfValue::Unknown]))].into());
        let value = to_value(&v, &ty).unwrap();
        assert_eq!(value.attr("a").and_then(Value::as_elements), Some(&[Value::Unknown][..]));
        assert_eq!(from_value(value), v);
    }
}
