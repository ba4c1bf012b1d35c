//! cty's JSON encoding, as Terraform sends it for raw state (`RawState.json`) and may send in
//! `DynamicValue.json`.
//!
//! Objects and maps are JSON objects, lists, sets and tuples arrays, null is null; JSON has no unknowns.
//! Numbers are literals of any length, kept exactly (see [`super::number`]). Like Terraform, a string
//! is also taken for a number or a bool (`"12"`, `"true"`), and a number or bool for a string (its text),
//! since state written by older providers holds such values. An attribute missing from an object reads
//! as null; one the type does not have is an error. A value of type `dynamic` is
//! `{"value": ..., "type": <the type's JSON>}`.

use std::collections::BTreeMap;

use super::error::{Error, PathStep};
use super::json_text::{self, Json};
use super::model::Value;
use super::number::Number;
use super::types::Type;

/// Reads JSON `bytes` as a value of type `ty`; no bytes (or only whitespace) is null.
pub fn from_json(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    let text = std::str::from_utf8(bytes).map_err(|e| Error::new(format!("JSON is not valid UTF-8: {e}")))?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    convert(&json_text::parse(text)?, ty)
}

fn number(text: &str) -> Result<Number, Error> {
    Number::parse(text).map_err(Error::new)
}

fn convert(json: &Json, ty: &Type) -> Result<Value, Error> {
    let expected = || Error::new(format!("expected {}, got {}", ty.describe(), json.describe()));
    Ok(match (ty, json) {
        (_, Json::Null) => Value::Null,
        (Type::Dynamic, Json::Object(members)) => dynamic(members)?,
        (Type::String, Json::String(s)) => Value::String(s.clone()),
        (Type::String, Json::Number(text)) => Value::String(number(text)?.to_string()),
        (Type::String, Json::Bool(b)) => Value::String(b.to_string()),
        (Type::Number, Json::Number(text) | Json::String(text)) => Value::Number(number(text)?),
        (Type::Bool, Json::Bool(b)) => Value::Bool(*b),
        (Type::Bool, Json::String(s)) if s == "true" || s == "false" => Value::Bool(s == "true"),
        (Type::List(t), Json::Array(items)) => Value::List(elements(items, |_| t)?),
        (Type::Set(t), Json::Array(items)) => Value::Set(elements(items, |_| t)?),
        (Type::Tuple(ts), Json::Array(items)) if ts.len() == items.len() => Value::Tuple(elements(items, |i| &ts[i])?),
        (Type::Tuple(ts), Json::Array(items)) => {
            return Err(Error::new(format!("expected a tuple of {}, got an array of {}", ts.len(), items.len())))
        }
        (Type::Map(t), Json::Object(members)) => {
            let mut entries = BTreeMap::new();
            for (key, member) in members {
                let value = convert(member, t).map_err(|e| e.within(PathStep::Key(key.clone())))?;
                entries.insert(key.clone(), value);
            }
            Value::Map(entries)
        }
        (Type::Object { attributes, .. }, Json::Object(members)) => {
            let mut attrs = BTreeMap::new();
            for (name, member) in members {
                let t = attributes.get(name).ok_or_else(|| Error::new(format!("unsupported attribute {name:?}")))?;
                let value = convert(member, t).map_err(|e| e.within(PathStep::Attr(name.clone())))?;
                attrs.insert(name.clone(), value);
            }
            for name in attributes.keys() {
                attrs.entry(name.clone()).or_insert(Value::Null);
            }
            Value::Object(attrs)
        }
        _ => return Err(expected()),
    })
}

fn elements<'t>(items: &[Json], ty: impl Fn(usize) -> &'t Type) -> Result<Vec<Value>, Error> {
    items.iter().enumerate().map(|(i, item)| convert(item, ty(i)).map_err(|e| e.within(PathStep::Index(i)))).collect()
}

/// `{"value": ..., "type": ...}`, in either order.
fn dynamic(members: &[(String, Json)]) -> Result<Value, Error> {
    let (mut value, mut ty) = (None, None);
    for (name, member) in members {
        match name.as_str() {
            "value" => value = Some(member),
            "type" => ty = Some(Type::from_json_value(&member.to_serde())?),
            _ => return Err(Error::new(format!("a dynamic value has no attribute {name:?}, only value and type"))),
        }
    }
    match (value, ty) {
        (Some(value), Some(ty)) => convert(value, &ty),
        _ => Err(Error::new("a dynamic value needs both value and type")),
    }
}
