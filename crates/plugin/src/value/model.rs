//! The value tree: a cty value without its type (the type is the schema's, given to every decode and
//! encode).

use std::collections::BTreeMap;

use super::error::{Error, PathStep};
use super::number::Number;
use super::types::Type;

/// A cty value, without its type: the type is the schema's, given to every decode and encode.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Null,
    /// Not known until apply.
    Unknown,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    /// Elements in the order they arrived; Terraform gives sets no order.
    Set(Vec<Value>),
    Map(BTreeMap<String, Value>),
    Object(BTreeMap<String, Value>),
    Tuple(Vec<Value>),
}

impl Value {
    /// An object value from its attributes.
    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Object(attributes.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// A map value from its elements.
    pub fn map<K: Into<String>>(elements: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(elements.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown)
    }

    /// Whether neither the value nor any part of it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        match self {
            Value::Unknown => false,
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => vs.iter().all(Value::is_wholly_known),
            Value::Map(vs) | Value::Object(vs) => vs.values().all(Value::is_wholly_known),
            _ => true,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The number as an i64, when it is an integer in its range.
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// The elements of a list, set or tuple.
    pub fn as_elements(&self) -> Option<&[Value]> {
        match self {
            Value::List(vs) | Value::Set(vs) | Value::Tuple(vs) => Some(vs),
            _ => None,
        }
    }

    /// The elements of a map or the attributes of an object.
    pub fn as_entries(&self) -> Option<&BTreeMap<String, Value>> {
        match self {
            Value::Map(vs) | Value::Object(vs) => Some(vs),
            _ => None,
        }
    }

    /// An object's attribute; `None` when this is not an object or has no such attribute.
    pub fn attr(&self, name: &str) -> Option<&Value> {
        match self {
            Value::Object(attrs) => attrs.get(name),
            _ => None,
        }
    }

    /// How error messages name what a value is.
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Unknown => "an unknown value",
            Value::Bool(_) => "a bool",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::List(_) => "a list",
            Value::Set(_) => "a set",
            Value::Map(_) => "a map",
            Value::Object(_) => "an object",
            Value::Tuple(_) => "a tuple",
        }
    }

    /// The type this value shows, for a value stored under `dynamic`: nulls and unknowns, and the
    /// elements of empty collections, imply `dynamic`. Fails for collections whose elements differ.
    pub fn implied_type(&self) -> Result<Type, Error> {
        Ok(match self {
            Value::Null | Value::Unknown => Type::Dynamic,
            Value::Bool(_) => Type::Bool,
            Value::Number(_) => Type::Number,
            Value::String(_) => Type::String,
            Value::List(vs) => Type::list(element_type(indexed(vs))?),
            Value::Set(vs) => Type::set(element_type(indexed(vs))?),
            Value::Map(vs) => Type::map(element_type(vs.iter().map(|(k, v)| (PathStep::Key(k.clone()), v)))?),
            Value::Tuple(vs) => Type::Tuple(
                indexed(vs).map(|(step, v)| v.implied_type().map_err(|e| e.within(step))).collect::<Result<_, _>>()?,
            ),
            Value::Object(attrs) => Type::object(
                attrs
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), v.implied_type().map_err(|e| e.within(PathStep::Attr(k.clone())))?)))
                    .collect::<Result<Vec<_>, Error>>()?,
            ),
        })
    }
}

fn indexed(values: &[Value]) -> impl Iterator<Item = (PathStep, &Value)> {
    values.iter().enumerate().map(|(i, v)| (PathStep::Index(i), v))
}

/// The one type of a collection's elements.
fn element_type<'a>(elements: impl IntoIterator<Item = (PathStep, &'a Value)>) -> Result<Type, Error> {
    elements.into_iter().try_fold(Type::Dynamic, |so_far, (step, v)| {
        let t = v.implied_type().map_err(|e| e.within(step.clone()))?;
        so_far.unify(&t).ok_or_else(|| {
            Error::new("elements of a collection must have one type; this one differs from those before it")
                .within(step)
        })
    })
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Number(i.into())
    }
}

impl From<u64> for Value {
    fn from(u: u64) -> Value {
        Value::Number(u.into())
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Value {
        Value::Number(i.into())
    }
}
