//! Moving values between Terraform (`TfValue`) and the API (JSON), as the field table says.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};
use tfplugin::framework::TfValue;

use super::field::{Codec, Field, Kind};

pub type Obj = BTreeMap<String, TfValue>;

pub static NULL: TfValue = TfValue::Null;

/// The attribute `name` of an object value (Null when absent or not an object).
pub fn get<'a>(v: &'a TfValue, name: &str) -> &'a TfValue {
    match v {
        TfValue::Map(m) => m.get(name).unwrap_or(&NULL),
        _ => &NULL,
    }
}

/// Follow a path of attribute names; a block list step goes into its first element.
pub fn get_path<'a>(v: &'a TfValue, path: &[&str]) -> &'a TfValue {
    let mut cur = v;
    for step in path {
        cur = single(get(cur, step));
    }
    cur
}

/// A single block's object: the value itself when an object, the first element of a block list.
pub fn single(v: &TfValue) -> &TfValue {
    match v {
        TfValue::List(l) => l.first().unwrap_or(&NULL),
        other => other,
    }
}

pub fn is_set(v: &TfValue) -> bool {
    !matches!(v, TfValue::Null) && !is_empty_block_list(v)
}

fn is_empty_block_list(v: &TfValue) -> bool {
    matches!(v, TfValue::List(l) if l.is_empty())
}

pub fn as_str(v: &TfValue) -> Option<&str> {
    match v {
        TfValue::String(s) => Some(s),
        _ => None,
    }
}

/// True when the value or anything inside it is unknown.
pub fn has_unknown(v: &TfValue) -> bool {
    match v {
        TfValue::Unknown => true,
        TfValue::List(l) => l.iter().any(has_unknown),
        TfValue::Map(m) => m.values().any(has_unknown),
        _ => false,
    }
}

/// The request body of the create call: every argument marked `in_body` that is set.
pub fn body(fields: &[Field], obj: &TfValue) -> Json {
    let mut out = Map::new();
    for f in fields.iter().filter(|f| f.in_body && f.is_argument()) {
        if let Some(v) = to_api(f, get(obj, f.name)) {
            out.insert(f.api_name().to_string(), v);
        }
    }
    Json::Object(out)
}

/// One argument in the API's shape; None when it is unset (it is then omitted, never sent as null).
pub fn to_api(f: &Field, v: &TfValue) -> Option<Json> {
    match (f.kind, v) {
        (_, TfValue::Null | TfValue::Unknown) => None,
        (_, TfValue::Number(0)) if f.codec == Codec::ZeroIsUnset => None,
        (Kind::Block { max, fields }, v) => {
            let items: Vec<Json> = match v {
                TfValue::List(l) => l.iter().map(|e| body(fields, e)).collect(),
                obj @ TfValue::Map(_) => vec![body(fields, obj)],
                _ => return None,
            };
            if max == 1 {
                items.into_iter().next()
            } else if items.is_empty() && f.codec == Codec::Unordered {
                // A set of blocks is a whole list: an empty one is sent (it clears the list).
                Some(Json::Array(items))
            } else if items.is_empty() {
                None
            } else {
                Some(Json::Array(items))
            }
        }
        (Kind::Map, TfValue::Map(m)) if f.codec == Codec::TagList => {
            Some(Json::Array(m.iter().map(|(k, v)| json!({"key": k, "value": scalar(v)})).collect()))
        }
        (_, v) => Some(scalar(v)),
    }
}

fn scalar(v: &TfValue) -> Json {
    match v {
        TfValue::String(s) => Json::String(s.clone()),
        TfValue::Number(n) => json!(n),
        TfValue::Bool(b) => Json::Bool(*b),
        TfValue::List(l) => Json::Array(l.iter().map(scalar).collect()),
        TfValue::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect()),
        TfValue::Null | TfValue::Unknown => Json::Null,
    }
}
