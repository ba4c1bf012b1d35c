//! cty's msgpack encoding, as Terraform sends and expects it in `DynamicValue.msgpack`.
//!
//! - null is nil; an unknown is extension type 0 (Terraform writes `d4 00 00`). Newer Terraform writes an
//!   unknown with refinements (never null, a string prefix, number bounds...) as extension type 12 with
//!   the refinements in its payload: read as plain unknown, the refinements dropped.
//! - strings are str; bools are bool; numbers are the smallest int, a float64, or a str holding decimal
//!   digits (see [`super::number`]); on input, bin is also taken for a string and any int or float width
//!   for a number.
//! - lists, sets and tuples are arrays; maps are maps; objects are maps keyed by attribute name, every
//!   attribute written (nil when null); an attribute missing on input reads as null.
//! - a value of type `dynamic` is a 2-element array: the JSON encoding of its type as bin (str also
//!   taken), then the value encoded against that type; a null or unknown one is just nil or the unknown
//!   extension. On output the type is the value's [`Value::implied_type`].

use rmp::Marker;

use super::error::{Error, PathStep};
use super::model::Value;
use super::number::{Number, NumberRepr};
use super::types::Type;

/// Nesting deeper than this is refused, so that crafted input cannot exhaust the stack.
const MAX_DEPTH: usize = 256;

/// Reads `bytes` as a value of type `ty`; no bytes at all is null.
pub fn from_msgpack(bytes: &[u8], ty: &Type) -> Result<Value, Error> {
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    let mut reader = Reader { bytes, at: 0, depth: 0 };
    let value = reader.value(ty)?;
    if reader.at != bytes.len() {
        return Err(Error::new(format!("the value is followed by {} more byte(s)", bytes.len() - reader.at)));
    }
    Ok(value)
}

/// Writes `value` as a value of type `ty`.
pub fn to_msgpack(value: &Value, ty: &Type) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    encode(&mut out, value, ty)?;
    Ok(out)
}

/// One msgpack item's header, with the payload of scalars.
enum Head<'a> {
    Nil,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(&'a [u8]),
    Bin(&'a [u8]),
    Array(usize),
    Map(usize),
    Ext(i8),
}

impl Head<'_> {
    fn describe(&self) -> String {
        match self {
            Head::Nil => "null".into(),
            Head::Bool(_) => "a bool".into(),
            Head::Int(_) | Head::UInt(_) => "an integer".into(),
            Head::Float(_) => "a float".into(),
            Head::Str(_) => "a string".into(),
            Head::Bin(_) => "binary data".into(),
            Head::Array(n) => format!("an array of {n}"),
            Head::Map(_) => "a map".into(),
            Head::Ext(kind) => format!("an extension of type {kind}"),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        let end = self.at.checked_add(n).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| Error::new("the msgpack ends in the middle of a value"))?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    /// A big-endian unsigned integer of `n` bytes.
    fn uint(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self.take(n)?.iter().fold(0, |acc, &b| acc << 8 | u64::from(b)))
    }

    fn len(&mut self, n: usize) -> Result<usize, Error> {
        Ok(self.uint(n)? as usize)
    }

    fn head(&mut self) -> Result<Head<'a>, Error> {
        let byte = self.take(1)?[0];
        Ok(match Marker::from_u8(byte) {
            Marker::Null => Head::Nil,
            Marker::True => Head::Bool(true),
            Marker::False => Head::Bool(false),
            Marker::FixPos(n) => Head::Int(n.into()),
            Marker::FixNeg(n) => Head::Int(n.into()),
            Marker::U8 => Head::Int(self.uint(1)? as i64),
            Marker::U16 => Head::Int(self.uint(2)? as i64),
            Marker::U32 => Head::Int(self.uint(4)? as i64),
            Marker::U64 => Head::UInt(self.uint(8)?),
            Marker::I8 => Head::Int(i64::from(self.uint(1)? as u8 as i8)),
            Marker::I16 => Head::Int(i64::from(self.uint(2)? as u16 as i16)),
            Marker::I32 => Head::Int(i64::from(self.uint(4)? as u32 as i32)),
            Marker::I64 => Head::Int(self.uint(8)? as i64),
            Marker::F32 => Head::Float(f32::from_bits(self.uint(4)? as u32).into()),
            Marker::F64 => Head::Float(f64::from_bits(self.uint(8)?)),
            Marker::FixStr(n) => Head::Str(self.take(n.into())?),
            Marker::Str8 | Marker::Str16 | Marker::Str32 => {
                let n = self.len(width(byte - 0xd9))?;
                Head::Str(self.take(n)?)
            }
            Marker::Bin8 | Marker::Bin16 | Marker::Bin32 => {
                let n = self.len(width(byte - 0xc4))?;
                Head::Bin(self.take(n)?)
            }
            Marker::FixArray(n) => Head::Array(n.into()),
            Marker::Array16 => Head::Array(self.len(2)?),
            Marker::Array32 => Head::Array(self.len(4)?),
            Marker::FixMap(n) => Head::Map(n.into()),
            Marker::Map16 => Head::Map(self.len(2)?),
            Marker::Map32 => Head::Map(self.len(4)?),
            Marker::FixExt1 | Marker::FixExt2 | Marker::FixExt4 | Marker::FixExt8 | Marker::FixExt16 => {
                let kind = self.take(1)?[0] as i8;
                self.take(1 << (byte - 0xd4))?;
                Head::Ext(kind)
            }
            Marker::Ext8 | Marker::Ext16 | Marker::Ext32 => {
                let n = self.len(width(byte - 0xc7))?;
                let kind = self.take(1)?[0] as i8;
                self.take(n)?;
                Head::Ext(kind)
            }
            Marker::Reserved => return Err(Error::new(format!("byte {byte:#04x} is not msgpack"))),
        })
    }

    fn value(&mut self, ty: &Type) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Error::new(format!("values nest deeper than {MAX_DEPTH} levels")));
        }
        let value = self.value_at_depth(ty);
        self.depth -= 1;
        value
    }

    fn value_at_depth(&mut self, ty: &Type) -> Result<Value, Error> {
        let expected = |head: &Head| Error::new(format!("expected {}, got {}", ty.describe(), head.describe()));
        Ok(match (ty, self.head()?) {
            (_, Head::Nil) => Value::Null,
            // 0: unknown; 12: unknown with refinements, which this codec does not keep.
            (_, Head::Ext(0 | 12)) => Value::Unknown,
            (_, head @ Head::Ext(_)) => return Err(expected(&head)),
            (Type::String, Head::Str(bytes) | Head::Bin(bytes)) => {
                Value::String(String::from_utf8(bytes.to_vec()).map_err(|_| Error::new("a string is not valid UTF-8"))?)
            }
            (Type::Number, Head::Int(i)) => Value::Number(i.into()),
            (Type::Number, Head::UInt(u)) => Value::Number(u.into()),
            (Type::Number, Head::Float(f)) => {
                Value::Number(Number::from_f64(f).ok_or_else(|| Error::new("NaN is not a number"))?)
            }
            (Type::Number, Head::Str(bytes)) => {
                let text = std::str::from_utf8(bytes).map_err(|_| Error::new("a number is not valid UTF-8"))?;
                Value::Number(Number::parse(text).map_err(Error::new)?)
            }
            (Type::Bool, Head::Bool(b)) => Value::Bool(b),
            (Type::List(t), Head::Array(n)) => Value::List(self.elements(n, |_| t)?),
            (Type::Set(t), Head::Array(n)) => Value::Set(self.elements(n, |_| t)?),
            (Type::Tuple(ts), Head::Array(n)) if n == ts.len() => Value::Tuple(self.elements(n, |i| &ts[i])?),
            (Type::Tuple(ts), head @ Head::Array(_)) => {
                return Err(Error::new(format!("expected a tuple of {}, got {}", ts.len(), head.describe())))
            }
            (Type::Map(t), Head::Map(n)) => {
                let mut entries = std::collections::BTreeMap::new();
                for _ in 0..n {
                    let key = self.key()?;
                    let value = self.value(t).map_err(|e| e.within(PathStep::Key(key.clone())))?;
                    entries.insert(key, value);
                }
                Value::Map(entries)
            }
            (Type::Object { attributes, .. }, Head::Map(n)) => {
                // Collected, then built at once (Terraform sends the attributes sorted, so the build is
                // linear); only attributes the value lacks are added as null.
                let mut read = Vec::with_capacity(n);
                for _ in 0..n {
                    let name = self.key()?;
                    let t =
                        attributes.get(&name).ok_or_else(|| Error::new(format!("unsupported attribute {name:?}")))?;
                    let value = self.value(t).map_err(|e| e.within(PathStep::Attr(name.clone())))?;
                    read.push((name, value));
                }
                let mut attrs: std::collections::BTreeMap<String, Value> = read.into_iter().collect();
                if attrs.len() < attributes.len() {
                    for name in attributes.keys() {
                        if !attrs.contains_key(name) {
                            attrs.insert(name.clone(), Value::Null);
                        }
                    }
                }
                Value::Object(attrs)
            }
            (Type::Dynamic, Head::Array(2)) => {
                let type_json = match self.head()? {
                    Head::Str(bytes) | Head::Bin(bytes) => bytes,
                    head => return Err(Error::new(format!("expected a type's JSON, got {}", head.describe()))),
                };
                let t = Type::from_json(type_json)?;
                self.value(&t)?
            }
            (_, head) => return Err(expected(&head)),
        })
    }

    fn elements<'t>(&mut self, n: usize, ty: impl Fn(usize) -> &'t Type) -> Result<Vec<Value>, Error> {
        // Every element takes at least a byte: a forged length cannot reserve more than the input.
        let mut values = Vec::with_capacity(n.min(self.bytes.len() - self.at));
        for i in 0..n {
            values.push(self.value(ty(i)).map_err(|e| e.within(PathStep::Index(i)))?);
        }
        Ok(values)
    }

    fn key(&mut self) -> Result<String, Error> {
        match self.head()? {
            Head::Str(bytes) => {
                String::from_utf8(bytes.to_vec()).map_err(|_| Error::new("a map key is not valid UTF-8"))
            }
            head => Err(Error::new(format!("expected a string key, got {}", head.describe()))),
        }
    }
}

/// The width in bytes of the length of a str/bin/ext 8, 16 or 32, from its marker's offset in the family.
fn width(offset: u8) -> usize {
    1 << offset
}

/// Writing to memory cannot fail; rmp's writers still return a `Result`.
fn written<T, E: std::fmt::Debug>(result: Result<T, E>) {
    result.expect("writing msgpack to memory does not fail");
}

fn length(n: usize) -> Result<u32, Error> {
    u32::try_from(n).map_err(|_| Error::new(format!("{n} elements are more than msgpack can hold")))
}

fn encode(out: &mut Vec<u8>, value: &Value, ty: &Type) -> Result<(), Error> {
    match (ty, value) {
        (_, Value::Null) => written(rmp::encode::write_nil(out)),
        (_, Value::Unknown) => out.extend_from_slice(&[0xd4, 0, 0]),
        (Type::Dynamic, value) => {
            let t = value.implied_type()?;
            written(rmp::encode::write_array_len(out, 2));
            written(rmp::encode::write_bin(out, &t.to_json()));
            encode(out, value, &t)?;
        }
        (Type::String, Value::String(s)) => written(rmp::encode::write_str(out, s)),
        (Type::Bool, Value::Bool(b)) => written(rmp::encode::write_bool(out, *b)),
        (Type::Number, Value::Number(n)) => match n.repr() {
            NumberRepr::Int(i) => written(rmp::encode::write_sint(out, i)),
            NumberRepr::UInt(u) => written(rmp::encode::write_uint(out, u)),
            NumberRepr::Float(f) => written(rmp::encode::write_f64(out, f)),
            NumberRepr::Decimal(text) => written(rmp::encode::write_str(out, text)),
        },
        (Type::List(t), Value::List(vs)) | (Type::Set(t), Value::Set(vs)) => {
            written(rmp::encode::write_array_len(out, length(vs.len())?));
            for (i, v) in vs.iter().enumerate() {
                encode(out, v, t).map_err(|e| e.within(PathStep::Index(i)))?;
            }
        }
        (Type::Tuple(ts), Value::Tuple(vs)) if ts.len() == vs.len() => {
            written(rmp::encode::write_array_len(out, length(vs.len())?));
            for (i, (v, t)) in vs.iter().zip(ts).enumerate() {
                encode(out, v, t).map_err(|e| e.within(PathStep::Index(i)))?;
            }
        }
        (Type::Map(t), Value::Map(vs)) => {
            written(rmp::encode::write_map_len(out, length(vs.len())?));
            for (k, v) in vs {
                written(rmp::encode::write_str(out, k));
                encode(out, v, t).map_err(|e| e.within(PathStep::Key(k.clone())))?;
            }
        }
        (Type::Object { attributes, .. }, Value::Object(vs)) => {
            if let Some(name) = vs.keys().find(|name| !attributes.contains_key(*name)) {
                return Err(Error::new(format!("unsupported attribute {name:?}")));
            }
            written(rmp::encode::write_map_len(out, length(attributes.len())?));
            for (name, t) in attributes {
                written(rmp::encode::write_str(out, name));
                let v = vs.get(name).unwrap_or(&Value::Null);
                encode(out, v, t).map_err(|e| e.within(PathStep::Attr(name.clone())))?;
            }
        }
        (Type::Tuple(ts), Value::Tuple(vs)) => {
            return Err(Error::new(format!("expected a tuple of {}, got one of {}", ts.len(), vs.len())))
        }
        (ty, value) => return Err(Error::new(format!("expected {}, got {}", ty.describe(), value.describe()))),
    }
    Ok(())
}
