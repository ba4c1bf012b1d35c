//! A mapping applied: telling the Go provider's objects from ours by their attributes, and converting one
//! row by row into our field table.

use serde_json::{Map, Value as Json};

use super::ours::{blank, empty, field, go_timeouts, normalized, ID, TIMEOUTS};
use super::table::{has_value, Conv, Facts, Mapping, Only, Row, NO_SUCH_SETTING};
use crate::engine::field::{Field, Kind};

/// Whether `obj` was written by the Go provider: it has more of the attributes only the Go provider has
/// (rows whose name our table lacks) than of those only ours has (fields no row names).
pub fn is_go(mapping: &Mapping, fields: &[Field], obj: &Map<String, Json>) -> bool {
    let go = mapping.rows.iter().filter(|r| field(fields, r.go).is_none() && obj.contains_key(r.go)).count();
    let ours =
        fields.iter().filter(|f| !mapping.rows.iter().any(|r| r.go == f.name) && obj.contains_key(f.name)).count();
    go > ours
}

/// What a row does with an object of this kind.
enum Step {
    Convert,
    Silent,
    Warn(&'static str),
}

fn step(only: Only, facts: Facts) -> Step {
    let applies = match only {
        Only::Any => true,
        Only::Current | Only::CurrentOrWarn => facts.current,
        Only::Prepaid => facts.current && facts.prepaid,
    };
    match only {
        _ if applies => Step::Convert,
        Only::CurrentOrWarn => Step::Warn("this provider keeps it only for instances created with a flavor"),
        Only::Prepaid if facts.prepaid => {
            Step::Warn("this provider bills by `bss_param` only instances created with a flavor")
        }
        _ => Step::Silent,
    }
}

/// A value as a warning names it: compact JSON, cut short.
fn shown(v: &Json, secret: bool) -> String {
    if secret {
        return "(sensitive value)".into();
    }
    let text = v.to_string();
    match text.char_indices().nth(80) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// The Go object `obj` in our table, with what could not be carried over (one entry per Go attribute).
pub fn from_go(mapping: &Mapping, fields: &[Field], obj: &Map<String, Json>) -> (Map<String, Json>, Vec<String>) {
    let facts = (mapping.facts)(obj);
    let mut out = blank(fields);
    out.insert(ID.into(), obj.get(ID).cloned().unwrap_or(Json::Null));
    out.insert(TIMEOUTS.into(), go_timeouts(obj.get(TIMEOUTS).unwrap_or(&Json::Null)));
    let mut problems = Vec::new();
    for row in mapping.rows {
        let Some(v) = obj.get(row.go) else { continue };
        match (step(row.only, facts), row.conv) {
            (Step::Silent, _) | (_, Conv::Drop) => {}
            (Step::Warn(why), _) => {
                if has_value(v) {
                    problems.push(format!("{} = {} ({why})", row.go, shown(v, secret(fields, row))));
                }
            }
            (Step::Convert, Conv::GoOnly(own, why)) => {
                if own(v) {
                    problems.push(format!("{} = {} ({why})", row.go, shown(v, false)));
                }
            }
            (Step::Convert, Conv::GoOnlySecret) => {
                if has_value(v) {
                    problems.push(format!("{} = {} ({NO_SUCH_SETTING})", row.go, shown(v, true)));
                }
            }
            (Step::Convert, conv) => {
                if let Err(why) = carry(fields, row, conv, v, &mut out) {
                    problems.push(format!("{} = {} ({why})", row.go, shown(v, secret(fields, row))));
                }
            }
        }
    }
    // Attributes no row names (a later version of the Go provider): named when set.
    let known = |name: &str| name == ID || name == TIMEOUTS || mapping.rows.iter().any(|r| r.go == name);
    for (name, v) in obj.iter().filter(|(name, v)| !known(name) && has_value(v)) {
        problems.push(format!("{name} = {} (unknown to this provider)", shown(v, name.contains("password"))));
    }
    (mapping.finish)(obj, &mut out);
    (out, problems)
}

/// The field a row writes: top-level, or a member of a block.
fn target<'a>(fields: &'a [Field], ours: &str) -> Option<(&'a Field, Option<&'a Field>)> {
    match ours.split_once('.') {
        None => Some((field(fields, ours)?, None)),
        Some((block, member)) => {
            let b = field(fields, block)?;
            Some((b, Some(field(b.nested()?, member)?)))
        }
    }
}

/// Whether our attribute of the row is sensitive (its value is not shown).
fn secret(fields: &[Field], row: &Row) -> bool {
    target(fields, row.ours).is_some_and(|(top, member)| member.unwrap_or(top).sensitive)
}

/// Something other than null or an empty list.
fn is_known(v: Option<&Json>) -> bool {
    !matches!(v, None | Some(Json::Null)) && v != Some(&Json::Array(vec![]))
}

/// Writes the converted value of one row into `out`, unless an earlier row did (a later row is a fallback).
fn carry(fields: &[Field], row: &Row, conv: Conv, v: &Json, out: &mut Map<String, Json>) -> Result<(), String> {
    let (top, member) = target(fields, row.ours).ok_or("this provider's table has no such attribute")?;
    let Some(member) = member else {
        if !is_known(out.get(top.name)) {
            let value = converted(conv, top, v)?;
            out.insert(top.name.into(), if value.is_null() { empty(top) } else { value });
        }
        return Ok(());
    };
    let nested = top.nested().unwrap_or_default();
    if is_known(out.get(top.name).and_then(|b| b.get(0)).and_then(|o| o.get(member.name))) {
        return Ok(());
    }
    let value = converted(conv, member, v)?;
    if value.is_null() {
        return Ok(());
    }
    let block = out.entry(top.name).or_insert(Json::Null);
    if !matches!(block, Json::Array(items) if !items.is_empty()) {
        *block = Json::Array(vec![Json::Object(blank(nested))]);
    }
    if let Some(Json::Object(o)) = block.get_mut(0) {
        o.insert(member.name.into(), value);
    }
    Ok(())
}

/// A zone ID as the service gives it: 32 hexadecimal digits.
fn is_zone_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The strings of a list (None when it is not one).
fn strings(v: &Json) -> Option<Vec<&str>> {
    v.as_array()?.iter().map(Json::as_str).collect()
}

/// The Go value `v` as the value of our field `f`; Err says why it cannot be.
fn converted(conv: Conv, f: &Field, v: &Json) -> Result<Json, String> {
    if v.is_null() {
        return Ok(Json::Null);
    }
    let wrong = || format!("not the {} this provider's `{}` takes", kind_name(f), f.name);
    match conv {
        Conv::Same => shaped(f, v).ok_or_else(wrong),
        Conv::HourMinute => match v.as_str().ok_or_else(wrong)? {
            "" => Ok(Json::Null),
            t if t.len() >= 5 && t.as_bytes()[2] == b':' => Ok(Json::String(t[..5].to_string())),
            _ => Err("not a time of day, HH:mm".into()),
        },
        Conv::Joined => match strings(v).ok_or_else(wrong)? {
            ids if ids.is_empty() => Ok(Json::Null),
            ids => Ok(Json::String(ids.join(","))),
        },
        Conv::ZoneIds => match strings(v).ok_or_else(wrong)? {
            zones if zones.is_empty() => Ok(Json::Null),
            zones if zones.iter().all(|z| is_zone_id(z)) => Ok(v.clone()),
            _ => Err(format!(
                "zone names or codes, while this provider's `{}` takes zone IDs: left null until a refresh reads \
them",
                f.name
            )),
        },
        Conv::BoolText => match v {
            Json::Bool(_) => Ok(v.clone()),
            Json::String(s) if s.is_empty() => Ok(Json::Null),
            Json::String(s) => s.parse::<bool>().map(Json::Bool).map_err(|_| "neither true nor false".into()),
            _ => Err(wrong()),
        },
        Conv::IsSet => Ok(Json::Bool(has_value(v))),
        Conv::ChargingCode => match v.as_str() {
            Some("") => Ok(Json::Null),
            Some("prePaid") => Ok(Json::from(0)),
            Some("postPaid") => Ok(Json::from(1)),
            _ => Err("neither prePaid nor postPaid".into()),
        },
        Conv::Drop | Conv::GoOnly(..) | Conv::GoOnlySecret => Ok(Json::Null),
    }
}

/// The kind of `f` in words.
fn kind_name(f: &Field) -> &'static str {
    match f.kind {
        Kind::Str => "string",
        Kind::Int => "whole number",
        Kind::Bool => "bool",
        Kind::Map => "map of strings",
        Kind::List => "list of strings",
        Kind::Block { .. } | Kind::ObjectList(_) => "list of objects",
        Kind::Object(_) => "object",
    }
}

/// `v` in the shape of `f` (an empty string or collection is null); None when it has another shape.
fn shaped(f: &Field, v: &Json) -> Option<Json> {
    let nonempty = |empty: bool| if empty { Json::Null } else { v.clone() };
    match (f.kind, v) {
        (Kind::Str, Json::String(s)) => Some(nonempty(s.is_empty())),
        (Kind::Int, Json::Number(n)) if n.is_i64() || n.is_u64() => Some(v.clone()),
        (Kind::Int, Json::Number(n)) => n.as_f64().filter(|x| x.fract() == 0.0).map(|x| Json::from(x as i64)),
        (Kind::Bool, Json::Bool(_)) => Some(v.clone()),
        (Kind::Map, Json::Object(o)) if o.values().all(Json::is_string) => Some(nonempty(o.is_empty())),
        (Kind::List, Json::Array(a)) if a.iter().all(Json::is_string) => Some(nonempty(a.is_empty())),
        (Kind::Block { .. } | Kind::Object(_) | Kind::ObjectList(_), _) => objects(f, v),
        _ => None,
    }
}

/// A block (or computed object) from a list of objects (or one object): each with our members only (the Go
/// provider's computed members of the same block, such as addresses, are the service's to report).
fn objects(f: &Field, v: &Json) -> Option<Json> {
    let nested = f.nested()?;
    let items: Vec<&Map<String, Json>> = match v {
        Json::Array(a) => a.iter().map(Json::as_object).collect::<Option<_>>()?,
        Json::Object(o) => vec![o],
        _ => return None,
    };
    let mut items: Vec<Json> = items.into_iter().map(|o| Json::Object(normalized(nested, o))).collect();
    if f.is_single_block() || matches!(f.kind, Kind::Object(_)) {
        return Some(items.drain(..).next().unwrap_or(Json::Null));
    }
    Some(Json::Array(items))
}
