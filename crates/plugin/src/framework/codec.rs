//! Values and private data between the protocol's bytes and [`TfValue`]s: decoding and encoding against a
//! schema's type, write-only attributes kept out of every answer, attributes of removed fields dropped
//! from stored objects, and private data.

use serde_json::Value as Json;

use super::value::{from_value, to_value, TfValue};
use crate::proto::tfplugin6::DynamicValue;
use crate::value::{from_json, from_msgpack, to_msgpack, Error, Type, Value};

/// A value Terraform sent, of type `ty`: msgpack, or JSON where Terraform sends that; absent is null.
pub fn decode(value: Option<&DynamicValue>, ty: &Type) -> Result<TfValue, Error> {
    decode_without(value, ty, &[])
}

/// [`decode`] with the write-only attributes at `write_only` null: how every state and plan holds them
/// (only a configuration carries their values).
pub fn decode_without(value: Option<&DynamicValue>, ty: &Type, write_only: &[Vec<String>]) -> Result<TfValue, Error> {
    let Some(value) = value else { return Ok(TfValue::Null) };
    let mut decoded =
        if !value.msgpack.is_empty() { from_msgpack(&value.msgpack, ty)? } else { from_json(&value.json, ty)? };
    for path in write_only {
        clear_typed(&mut decoded, path);
    }
    Ok(from_value(decoded))
}

/// A value for Terraform, of type `ty`, with the write-only attributes at `write_only` set to null (the
/// protocol requires it: Terraform stores nothing of them).
pub fn encode(value: &TfValue, ty: &Type, write_only: &[Vec<String>]) -> Result<DynamicValue, Error> {
    encode_typed(to_value(value, ty)?, ty, write_only)
}

/// [`encode`] of a value that already has its type.
pub fn encode_typed(mut value: Value, ty: &Type, write_only: &[Vec<String>]) -> Result<DynamicValue, Error> {
    for path in write_only {
        clear_typed(&mut value, path);
    }
    Ok(DynamicValue { msgpack: to_msgpack(&value, ty)?, json: Vec::new() })
}

/// The write-only attribute at `path` (through lists and sets of blocks) set to null.
fn clear_typed(value: &mut Value, path: &[String]) {
    match (value, path) {
        (Value::List(items) | Value::Set(items), _) => items.iter_mut().for_each(|v| clear_typed(v, path)),
        (Value::Object(m), [last]) => {
            if let Some(v) = m.get_mut(last) {
                *v = Value::Null;
            }
        }
        (Value::Object(m), [first, rest @ ..]) => {
            if let Some(v) = m.get_mut(first) {
                clear_typed(v, rest);
            }
        }
        _ => {}
    }
}

/// A stored object's JSON without the attributes `ty` does not have (fields removed since it was stored),
/// at every depth.
pub fn prune(json: Json, ty: &Type) -> Json {
    match (json, ty) {
        (Json::Object(members), Type::Object { attributes, .. }) => Json::Object(
            members.into_iter().filter_map(|(k, v)| attributes.get(&k).map(|t| (k, prune(v, t)))).collect(),
        ),
        (Json::Object(members), Type::Map(element)) => {
            Json::Object(members.into_iter().map(|(k, v)| (k, prune(v, element))).collect())
        }
        (Json::Array(items), Type::List(element) | Type::Set(element)) => {
            Json::Array(items.into_iter().map(|v| prune(v, element)).collect())
        }
        (other, _) => other,
    }
}

/// Private data as stored: JSON, nothing for null.
pub fn private_out(private: &TfValue) -> Vec<u8> {
    match private {
        TfValue::Null => Vec::new(),
        other => other.to_json().to_string().into_bytes(),
    }
}

/// Private data as Terraform gives it back: JSON (what this server writes), msgpack of a map (what
/// versions before it wrote), else null: data another provider wrote (Huawei's Go provider keeps its
/// timeouts there) means nothing here.
pub fn private_in(bytes: &[u8]) -> TfValue {
    if bytes.is_empty() {
        return TfValue::Null;
    }
    if let Ok(json) = serde_json::from_slice::<Json>(bytes) {
        return TfValue::from_json(&json);
    }
    let mut rest = bytes;
    match msgpack_value(&mut rest, 0) {
        Some(v @ TfValue::Map(_)) if rest.is_empty() => v,
        _ => TfValue::Null,
    }
}

/// One msgpack value without a type (private data of earlier versions: maps of strings, bools, whole
/// numbers and lists). The codec in `crate::value` reads against a type, which private data has none of.
fn msgpack_value(rd: &mut &[u8], depth: usize) -> Option<TfValue> {
    use rmp::decode::{self as d, RmpRead};
    use rmp::Marker as M;
    if depth > 32 {
        return None;
    }
    let marker = d::read_marker(rd).ok()?;
    let string = |rd: &mut &[u8], len: usize| -> Option<TfValue> {
        let (text, rest) = (rd.get(..len)?, rd.get(len..)?);
        *rd = rest;
        Some(TfValue::String(String::from_utf8(text.to_vec()).ok()?))
    };
    Some(match marker {
        M::Null => TfValue::Null,
        M::True => TfValue::Bool(true),
        M::False => TfValue::Bool(false),
        M::FixPos(n) => TfValue::Number(n.into()),
        M::FixNeg(n) => TfValue::Number(n.into()),
        M::U8 => TfValue::Number(rd.read_data_u8().ok()?.into()),
        M::U16 => TfValue::Number(rd.read_data_u16().ok()?.into()),
        M::U32 => TfValue::Number(rd.read_data_u32().ok()?.into()),
        M::U64 => TfValue::Number(i64::try_from(rd.read_data_u64().ok()?).ok()?),
        M::I8 => TfValue::Number(rd.read_data_i8().ok()?.into()),
        M::I16 => TfValue::Number(rd.read_data_i16().ok()?.into()),
        M::I32 => TfValue::Number(rd.read_data_i32().ok()?.into()),
        M::I64 => TfValue::Number(rd.read_data_i64().ok()?),
        M::FixStr(_) | M::Str8 | M::Str16 | M::Str32 => {
            let len: usize = match marker {
                M::FixStr(n) => n.into(),
                M::Str8 => rd.read_data_u8().ok()?.into(),
                M::Str16 => rd.read_data_u16().ok()?.into(),
                _ => usize::try_from(rd.read_data_u32().ok()?).ok()?,
            };
            string(rd, len)?
        }
        M::FixArray(_) | M::Array16 | M::Array32 => {
            let len = match marker {
                M::FixArray(n) => n.into(),
                M::Array16 => rd.read_data_u16().ok()?.into(),
                _ => rd.read_data_u32().ok()?,
            };
            TfValue::List((0..len).map(|_| msgpack_value(rd, depth + 1)).collect::<Option<_>>()?)
        }
        M::FixMap(_) | M::Map16 | M::Map32 => {
            let len = match marker {
                M::FixMap(n) => n.into(),
                M::Map16 => rd.read_data_u16().ok()?.into(),
                _ => rd.read_data_u32().ok()?,
            };
            let mut m = std::collections::BTreeMap::new();
            for _ in 0..len {
                let TfValue::String(k) = msgpack_value(rd, depth + 1)? else { return None };
                m.insert(k, msgpack_value(rd, depth + 1)?);
            }
            TfValue::Map(m)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(json: Json) -> TfValue {
        TfValue::from_json(&json)
    }

    #[test]
    fn write_only_attributes_never_leave_the_provider() {
        let ty = Type::object([
            ("password", Type::String),
            ("users", Type::list(Type::object([("name", Type::String), ("password", Type::String)]))),
        ]);
        let value = obj(serde_json::json!({"password": "p", "users": [{"name": "a", "password": "q"}]}));
        let paths = vec![vec!["password".to_string()], vec!["users".to_string(), "password".to_string()]];
        let out = encode(&value, &ty, &paths).unwrap();
        let back = decode(Some(&out), &ty).unwrap();
        let cleared = obj(serde_json::json!({"password": null, "users": [{"name": "a", "password": null}]}));
        assert_eq!(back, cleared);
        // A state Terraform sends is read without them too; a configuration keeps them.
        let sent = DynamicValue { msgpack: to_msgpack(&to_value(&value, &ty).unwrap(), &ty).unwrap(), json: vec![] };
        assert_eq!(decode_without(Some(&sent), &ty, &paths).unwrap(), cleared);
        assert_eq!(decode(Some(&sent), &ty).unwrap(), value);
    }

    #[test]
    fn private_data_is_json_and_earlier_msgpack_still_reads() {
        let private = obj(serde_json::json!({"imported": true, "unread": ["a.b"]}));
        let bytes = private_out(&private);
        assert_eq!(String::from_utf8(bytes.clone()).unwrap(), r#"{"imported":true,"unread":["a.b"]}"#);
        assert_eq!(private_in(&bytes), private);
        assert_eq!(private_out(&TfValue::Null), Vec::<u8>::new());
        // {"imported": true, "unread": ["a.b"]} as msgpack, as earlier versions wrote it.
        let mut legacy = vec![0x82, 0xa8];
        legacy.extend_from_slice(b"imported");
        legacy.push(0xc3);
        legacy.push(0xa6);
        legacy.extend_from_slice(b"unread");
        legacy.extend_from_slice(&[0x91, 0xa3]);
        legacy.extend_from_slice(b"a.b");
        assert_eq!(private_in(&legacy), private);
        // Bytes that are neither mean nothing here.
        assert_eq!(private_in(&[0xc1, 0x00]), TfValue::Null);
    }

    #[test]
    fn removed_attributes_are_dropped_at_every_depth() {
        let ty = Type::object([("a", Type::list(Type::object([("b", Type::String)]))), ("m", Type::map(Type::String))]);
        let json = serde_json::json!({"a": [{"b": "x", "gone": 1}], "m": {"k": "v"}, "old": true});
        assert_eq!(prune(json, &ty), serde_json::json!({"a": [{"b": "x"}], "m": {"k": "v"}}));
    }
}
