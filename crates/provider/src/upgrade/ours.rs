//! This provider's schema as the field table states it, over JSON: every attribute of the table, the `id`
//! and the `timeouts` block the engine adds; a stored object of our own brought to today's table.

use serde_json::{Map, Value as Json};

use crate::engine::field::{Field, Kind};
use crate::engine::timeouts::OPERATIONS;

/// The attributes the engine adds to every resource's table.
pub const ID: &str = "id";
pub const TIMEOUTS: &str = "timeouts";

/// Whether the value of `f` is a JSON object (a single block, a computed object) rather than a list.
fn is_object(f: &Field) -> bool {
    f.is_single_block() || matches!(f.kind, Kind::Object(_))
}

/// The value of `f` where nothing is known: null, or an empty list for a block that may be absent.
pub fn empty(f: &Field) -> Json {
    match f.kind {
        Kind::Block { .. } if !f.is_single_block() => Json::Array(vec![]),
        _ => Json::Null,
    }
}

/// An object of `fields`, each null (or empty).
pub fn blank(fields: &[Field]) -> Map<String, Json> {
    fields.iter().map(|f| (f.name.to_string(), empty(f))).collect()
}

/// `obj` with exactly the attributes of `fields`: those the table no longer has dropped, those it gained
/// null; nested blocks alike.
pub fn normalized(fields: &[Field], obj: &Map<String, Json>) -> Map<String, Json> {
    fields.iter().map(|f| (f.name.to_string(), value(f, obj.get(f.name).unwrap_or(&Json::Null)))).collect()
}

/// The value of `f` with each nested object normalized.
fn value(f: &Field, v: &Json) -> Json {
    let Some(nested) = f.nested() else { return v.clone() };
    match v {
        Json::Object(o) if is_object(f) => Json::Object(normalized(nested, o)),
        Json::Array(items) => Json::Array(
            items.iter().map(|i| i.as_object().map_or(Json::Null, |o| Json::Object(normalized(nested, o)))).collect(),
        ),
        other => other.clone(),
    }
}

/// One `timeouts` object with an attribute per operation.
fn timeouts_of(o: &Map<String, Json>) -> Json {
    Json::Object(OPERATIONS.iter().map(|op| (op.to_string(), o.get(*op).cloned().unwrap_or(Json::Null))).collect())
}

/// The Go provider's `timeouts` (one object, or null) as our block: a list of one object, or null.
pub fn go_timeouts(v: &Json) -> Json {
    match v.as_object() {
        Some(o) if o.values().any(|v| !v.is_null()) => Json::Array(vec![timeouts_of(o)]),
        _ => Json::Null,
    }
}

/// A stored object of our own in today's table; `id` and `timeouts` kept.
pub fn own(fields: &[Field], obj: &Map<String, Json>) -> Map<String, Json> {
    let mut out = normalized(fields, obj);
    out.insert(ID.into(), obj.get(ID).cloned().unwrap_or(Json::Null));
    let timeouts = match obj.get(TIMEOUTS) {
        Some(Json::Array(items)) => {
            Json::Array(items.iter().map(|i| i.as_object().map_or(Json::Null, timeouts_of)).collect())
        }
        Some(other) => other.clone(),
        None => Json::Null,
    };
    out.insert(TIMEOUTS.into(), timeouts);
    out
}

/// The field called `name` among `fields`.
pub fn field<'a>(fields: &'a [Field], name: &str) -> Option<&'a Field> {
    fields.iter().find(|f| f.name == name)
}
