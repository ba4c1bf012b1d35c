//! cty types, and Terraform's JSON encoding of them as found in a schema attribute's `type` bytes and in
//! the first element of a dynamic value.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value as Json;

use super::error::Error;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    String,
    Number,
    Bool,
    List(Box<Type>),
    Set(Box<Type>),
    Map(Box<Type>),
    /// An object: each attribute's type, and which attributes a type constraint marks optional (only
    /// schema types carry these; a value's own type never does).
    Object {
        attributes: BTreeMap<String, Type>,
        optional: BTreeSet<String>,
    },
    Tuple(Vec<Type>),
    /// Any type, decided by each value: on the wire the value carries its type with it.
    Dynamic,
}

impl Type {
    /// An object type without optional attributes.
    pub fn object<K: Into<String>>(attributes: impl IntoIterator<Item = (K, Type)>) -> Type {
        Type::Object {
            attributes: attributes.into_iter().map(|(k, t)| (k.into(), t)).collect(),
            optional: BTreeSet::new(),
        }
    }

    pub fn list(element: Type) -> Type {
        Type::List(Box::new(element))
    }

    pub fn set(element: Type) -> Type {
        Type::Set(Box::new(element))
    }

    pub fn map(element: Type) -> Type {
        Type::Map(Box::new(element))
    }

    /// Parses Terraform's JSON type encoding: `"string"`, `["list","string"]`,
    /// `["object",{"a":"string"},["a"]]`, `["tuple",["string"]]`, `"dynamic"`.
    pub fn from_json(bytes: &[u8]) -> Result<Type, Error> {
        let json: Json = serde_json::from_slice(bytes).map_err(|e| Error::new(format!("a type is not JSON: {e}")))?;
        Type::from_json_value(&json)
    }

    /// Parses a type already read as JSON.
    pub fn from_json_value(json: &Json) -> Result<Type, Error> {
        let bad = || Error::new(format!("not a type: {json}"));
        match json {
            Json::String(name) => match name.as_str() {
                "string" => Ok(Type::String),
                "number" => Ok(Type::Number),
                "bool" => Ok(Type::Bool),
                "dynamic" => Ok(Type::Dynamic),
                _ => Err(bad()),
            },
            Json::Array(parts) => match parts.split_first().map(|(tag, rest)| (tag.as_str(), rest)) {
                Some((Some("list"), [element])) => Ok(Type::list(Type::from_json_value(element)?)),
                Some((Some("set"), [element])) => Ok(Type::set(Type::from_json_value(element)?)),
                Some((Some("map"), [element])) => Ok(Type::map(Type::from_json_value(element)?)),
                Some((Some("tuple"), [Json::Array(elements)])) => {
                    elements.iter().map(Type::from_json_value).collect::<Result<_, _>>().map(Type::Tuple)
                }
                Some((Some("object"), [Json::Object(attrs), rest @ ..])) if rest.len() <= 1 => {
                    let attributes = attrs
                        .iter()
                        .map(|(name, t)| Ok((name.clone(), Type::from_json_value(t)?)))
                        .collect::<Result<BTreeMap<_, _>, Error>>()?;
                    let mut optional = BTreeSet::new();
                    if let Some(names) = rest.first() {
                        for name in names.as_array().ok_or_else(bad)? {
                            let name = name.as_str().ok_or_else(bad)?;
                            if !attributes.contains_key(name) {
                                return Err(Error::new(format!(
                                    "optional attribute {name:?} is not an attribute of the object type"
                                )));
                            }
                            optional.insert(name.to_owned());
                        }
                    }
                    Ok(Type::Object { attributes, optional })
                }
                _ => Err(bad()),
            },
            _ => Err(bad()),
        }
    }

    /// Terraform's JSON encoding of this type, attribute names in order.
    pub fn to_json(&self) -> Vec<u8> {
        self.to_json_value().to_string().into_bytes()
    }

    /// Terraform's JSON encoding of this type, as JSON.
    pub fn to_json_value(&self) -> Json {
        let tagged = |tag: &str, inner: Json| Json::Array(vec![tag.into(), inner]);
        match self {
            Type::String => "string".into(),
            Type::Number => "number".into(),
            Type::Bool => "bool".into(),
            Type::Dynamic => "dynamic".into(),
            Type::List(t) => tagged("list", t.to_json_value()),
            Type::Set(t) => tagged("set", t.to_json_value()),
            Type::Map(t) => tagged("map", t.to_json_value()),
            Type::Tuple(ts) => tagged("tuple", Json::Array(ts.iter().map(Type::to_json_value).collect())),
            Type::Object { attributes, optional } => {
                let attrs = attributes.iter().map(|(k, t)| (k.clone(), t.to_json_value())).collect();
                let mut parts = vec!["object".into(), Json::Object(attrs)];
                if !optional.is_empty() {
                    parts.push(optional.iter().map(|name| Json::from(name.as_str())).collect());
                }
                Json::Array(parts)
            }
        }
    }

    /// How error messages name a type: "a string", "a list", ...
    pub(crate) fn describe(&self) -> &'static str {
        match self {
            Type::String => "a string",
            Type::Number => "a number",
            Type::Bool => "a bool",
            Type::List(_) => "a list",
            Type::Set(_) => "a set",
            Type::Map(_) => "a map",
            Type::Object { .. } => "an object",
            Type::Tuple(_) => "a tuple",
            Type::Dynamic => "a value of any type",
        }
    }

    /// The type that fits both, where `dynamic` (what a null or unknown implies) gives way to the
    /// other; `None` when they differ otherwise.
    pub(crate) fn unify(&self, other: &Type) -> Option<Type> {
        let unify_box = |a: &Type, b: &Type| a.unify(b).map(Box::new);
        match (self, other) {
            (Type::Dynamic, t) | (t, Type::Dynamic) => Some(t.clone()),
            (Type::List(a), Type::List(b)) => unify_box(a, b).map(Type::List),
            (Type::Set(a), Type::Set(b)) => unify_box(a, b).map(Type::Set),
            (Type::Map(a), Type::Map(b)) => unify_box(a, b).map(Type::Map),
            (Type::Tuple(a), Type::Tuple(b)) if a.len() == b.len() => {
                a.iter().zip(b).map(|(a, b)| a.unify(b)).collect::<Option<_>>().map(Type::Tuple)
            }
            (Type::Object { attributes: a, .. }, Type::Object { attributes: b, .. }) if a.keys().eq(b.keys()) => {
                let attributes = a
                    .iter()
                    .zip(b.values())
                    .map(|((k, a), b)| Some((k.clone(), a.unify(b)?)))
                    .collect::<Option<_>>()?;
                Some(Type::Object { attributes, optional: BTreeSet::new() })
            }
            (a, b) if a == b => Some(a.clone()),
            _ => None,
        }
    }
}
