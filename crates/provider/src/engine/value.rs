//! Moving values between Terraform (`ValueAny`) and the API (JSON), as the field table says.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};
use tf_provider::value::ValueAny;

use super::field::{Codec, Field, Kind, Mode, Read};

pub type Obj = BTreeMap<String, ValueAny>;

pub static NULL: ValueAny = ValueAny::Null;

/// The attribute `name` of an object value (Null when absent or not an object).
pub fn get<'a>(v: &'a ValueAny, name: &str) -> &'a ValueAny {
    match v {
        ValueAny::Map(m) => m.get(name).unwrap_or(&NULL),
        _ => &NULL,
    }
}

/// Follow a path of attribute names; a block list step goes into its first element.
pub fn get_path<'a>(v: &'a ValueAny, path: &[&str]) -> &'a ValueAny {
    let mut cur = v;
    for step in path {
        cur = single(get(cur, step));
    }
    cur
}

/// A single block's object: the value itself when an object, the first element of a block list.
pub fn single(v: &ValueAny) -> &ValueAny {
    match v {
        ValueAny::List(l) => l.first().unwrap_or(&NULL),
        other => other,
    }
}

pub fn is_set(v: &ValueAny) -> bool {
    !matches!(v, ValueAny::Null) && !is_empty_block_list(v)
}

fn is_empty_block_list(v: &ValueAny) -> bool {
    matches!(v, ValueAny::List(l) if l.is_empty())
}

pub fn as_str(v: &ValueAny) -> Option<&str> {
    match v {
        ValueAny::String(s) => Some(s),
        _ => None,
    }
}

/// True when the value or anything inside it is unknown.
pub fn has_unknown(v: &ValueAny) -> bool {
    match v {
        ValueAny::Unknown => true,
        ValueAny::List(l) => l.iter().any(has_unknown),
        ValueAny::Map(m) => m.values().any(has_unknown),
        _ => false,
    }
}

/// The request body of the create call: every argument marked `in_body` that is set.
pub fn body(fields: &[Field], obj: &ValueAny) -> Json {
    let mut out = Map::new();
    for f in fields.iter().filter(|f| f.in_body && f.is_argument()) {
        if let Some(v) = to_api(f, get(obj, f.name)) {
            out.insert(f.api_name().to_string(), v);
        }
    }
    Json::Object(out)
}

/// One argument in the API's shape; None when it is unset (it is then omitted, never sent as null).
pub fn to_api(f: &Field, v: &ValueAny) -> Option<Json> {
    match (f.kind, v) {
        (_, ValueAny::Null | ValueAny::Unknown) => None,
        (_, ValueAny::Number(0)) if f.codec == Codec::ZeroIsUnset => None,
        (Kind::Block { max, fields }, v) => {
            let items: Vec<Json> = match v {
                ValueAny::List(l) => l.iter().map(|e| body(fields, e)).collect(),
                obj @ ValueAny::Map(_) => vec![body(fields, obj)],
                _ => return None,
            };
            if max == 1 {
                items.into_iter().next()
            } else if items.is_empty() {
                None
            } else {
                Some(Json::Array(items))
            }
        }
        (Kind::Map, ValueAny::Map(m)) if f.codec == Codec::TagList => {
            Some(Json::Array(m.iter().map(|(k, v)| json!({"key": k, "value": scalar(v)})).collect()))
        }
        (_, v) => Some(scalar(v)),
    }
}

fn scalar(v: &ValueAny) -> Json {
    match v {
        ValueAny::String(s) => Json::String(s.clone()),
        ValueAny::Number(n) => json!(n),
        ValueAny::Bool(b) => Json::Bool(*b),
        ValueAny::List(l) => Json::Array(l.iter().map(scalar).collect()),
        ValueAny::Map(m) => Json::Object(m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect()),
        ValueAny::Null | ValueAny::Unknown => Json::Null,
    }
}

fn lookup<'a>(root: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(root, |cur, step| cur.get(step))
}

/// The whole state of a resource from its show response. `prior` supplies what the API never returns.
pub fn state_from_api(fields: &[Field], root: &Json, prior: &ValueAny) -> Obj {
    object_from_api(fields, root, Some(root), prior)
}

fn object_from_api(fields: &[Field], root: &Json, parent: Option<&Json>, prior: &ValueAny) -> Obj {
    fields
        .iter()
        .map(|f| {
            let prior_v = get(prior, f.name);
            let v = match f.read {
                Read::Keep => prior_v.clone(),
                Read::Same => field_from_api(f, root, parent.and_then(|p| p.get(f.api_name())), prior_v),
                Read::Path(p) => field_from_api(f, root, lookup(root, p), prior_v),
            };
            (f.name.to_string(), v)
        })
        .collect()
}

fn field_from_api(f: &Field, root: &Json, api: Option<&Json>, prior: &ValueAny) -> ValueAny {
    let api = api.filter(|v| !v.is_null());
    match f.kind {
        Kind::Block { fields, max } => {
            let single_block = f.is_single_block();
            let prior_items: Vec<&ValueAny> = match prior {
                ValueAny::List(l) => l.iter().collect(),
                ValueAny::Map(_) => vec![prior],
                _ => vec![],
            };
            let api_items: Vec<Option<&Json>> = match api {
                Some(Json::Array(a)) => a.iter().map(Some).collect(),
                Some(o @ Json::Object(_)) => vec![Some(o)],
                // No object in the answer: a required single block is still built (its fields may read
                // from elsewhere in the answer or be write-only), and a block holding write-only values stays.
                _ if single_block => vec![None],
                _ => {
                    let keeps = fields.iter().any(|nf| nf.read == Read::Keep);
                    if keeps && !prior_items.is_empty() {
                        vec![None; prior_items.len()]
                    } else {
                        vec![]
                    }
                }
            };
            let items: Vec<ValueAny> = api_items
                .iter()
                .take(max)
                .enumerate()
                .map(|(i, item)| {
                    let p = prior_items.get(i).copied().unwrap_or(&NULL);
                    ValueAny::Map(object_from_api(fields, root, *item, p))
                })
                .collect();
            if single_block {
                items.into_iter().next().unwrap_or(ValueAny::Null)
            } else {
                ValueAny::List(items)
            }
        }
        Kind::Object(fields) => match api {
            Some(o @ Json::Object(_)) => ValueAny::Map(object_from_api(fields, root, Some(o), &NULL)),
            _ => ValueAny::Null,
        },
        Kind::ObjectList(fields) => match api {
            Some(Json::Array(a)) => {
                ValueAny::List(a.iter().map(|e| ValueAny::Map(object_from_api(fields, root, Some(e), &NULL))).collect())
            }
            _ => ValueAny::List(vec![]),
        },
        Kind::Map => {
            let map: Obj = match (f.codec, api) {
                (Codec::TagList, Some(Json::Array(a))) => a
                    .iter()
                    .filter_map(|t| {
                        let k = t.get("key")?.as_str()?;
                        let v = t.get("value").and_then(Json::as_str).unwrap_or("");
                        Some((k.to_string(), ValueAny::String(v.to_string())))
                    })
                    .collect(),
                (_, Some(Json::Object(o))) => {
                    o.iter().map(|(k, v)| (k.clone(), ValueAny::String(json_to_string(v)))).collect()
                }
                _ => Obj::new(),
            };
            // An optional map the user never set stays null rather than turning into {}.
            if map.is_empty() && matches!(prior, ValueAny::Null) && f.mode != Mode::Computed {
                ValueAny::Null
            } else {
                ValueAny::Map(map)
            }
        }
        Kind::List => match api {
            Some(Json::Array(a)) => ValueAny::List(a.iter().map(|v| ValueAny::String(json_to_string(v))).collect()),
            _ if f.mode == Mode::Computed => ValueAny::List(vec![]),
            _ => ValueAny::Null,
        },
        Kind::Str => match api {
            None | Some(Json::String(_))
                if f.codec == Codec::KeepIfAbsent && api.and_then(Json::as_str).is_none_or(str::is_empty) =>
            {
                prior.clone()
            }
            None => ValueAny::Null,
            // Unless the user wrote the empty string themselves.
            Some(Json::String(s)) if s.is_empty() && f.codec == Codec::EmptyIsNull && as_str(prior) != Some("") => {
                ValueAny::Null
            }
            Some(v) => {
                let s = json_to_string(v);
                ValueAny::String(if f.codec == Codec::HourMinute { hour_minute(&s, prior) } else { s })
            }
        },
        Kind::Int => match api {
            Some(Json::Number(n)) => n.as_i64().map(ValueAny::Number).unwrap_or(ValueAny::Null),
            Some(Json::String(s)) => s.trim().parse().map(ValueAny::Number).unwrap_or(ValueAny::Null),
            _ => ValueAny::Null,
        },
        Kind::Bool => match api {
            Some(Json::Bool(b)) => ValueAny::Bool(*b),
            Some(Json::String(s)) if s == "true" || s == "false" => ValueAny::Bool(s == "true"),
            _ => ValueAny::Null,
        },
    }
}

/// `HH:mm:ss` from the API becomes `HH:mm`, unless the user wrote seconds themselves.
fn hour_minute(api: &str, prior: &ValueAny) -> String {
    if let Some(p) = as_str(prior) {
        if p == api {
            return api.to_string();
        }
    }
    match api.len() {
        8 if api.ends_with(":00") => api[..5].to_string(),
        _ => api.to_string(),
    }
}

fn json_to_string(v: &Json) -> String {
    match v {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::field::{Field, Read};

    static INNER: [Field; 2] = [Field::string("type", "t").required(), Field::int("size", "s")];
    static FIELDS: [Field; 5] = [
        Field::string("name", "n").required(),
        Field::block("flavor", &INNER, "f").required(),
        Field::map("tags", "t").codec(Codec::TagList),
        Field::string("secret", "s").write_only(),
        Field::string("status", "s").computed(),
    ];

    fn obj(pairs: &[(&str, ValueAny)]) -> ValueAny {
        ValueAny::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    #[test]
    fn body_omits_unset_and_keeps_types() {
        let state = obj(&[
            ("name", ValueAny::String("a".into())),
            ("flavor", obj(&[("type", ValueAny::String("s1".into())), ("size", ValueAny::Number(2))])),
            ("tags", obj(&[("k", ValueAny::String("v".into()))])),
            ("secret", ValueAny::Null),
            ("status", ValueAny::Unknown),
        ]);
        assert_eq!(
            body(&FIELDS, &state),
            json!({"name": "a", "flavor": {"type": "s1", "size": 2}, "tags": [{"key": "k", "value": "v"}]})
        );
    }

    #[test]
    fn read_keeps_write_only_and_normalises_tags() {
        let prior = obj(&[("secret", ValueAny::String("p".into())), ("tags", ValueAny::Null)]);
        let api = json!({"name": "a", "flavor": {"type": "s1"}, "tags": [], "status": "ACTIVE", "extra": 1});
        let s = state_from_api(&FIELDS, &api, &prior);
        assert_eq!(s["secret"], ValueAny::String("p".into()));
        assert_eq!(s["tags"], ValueAny::Null);
        assert_eq!(s["status"], ValueAny::String("ACTIVE".into()));
        assert_eq!(get(&s["flavor"], "size"), &ValueAny::Null);
        assert_eq!(Read::Keep, FIELDS[3].read);
    }

    #[test]
    fn keep_if_absent_reads_a_value_and_keeps_the_state_without_one() {
        static USER: [Field; 1] = [Field::string("user", "u").codec(Codec::KeepIfAbsent)];
        let prior = obj(&[("user", ValueAny::String("manager".into()))]);
        for answer in [json!({}), json!({"user": ""}), json!({"user": null})] {
            assert_eq!(state_from_api(&USER, &answer, &prior)["user"], ValueAny::String("manager".into()), "{answer}");
        }
        let read = state_from_api(&USER, &json!({"user": "admin"}), &prior);
        assert_eq!(read["user"], ValueAny::String("admin".into()));
    }

    #[test]
    fn hour_minute_strips_zero_seconds() {
        assert_eq!(hour_minute("22:00:00", &ValueAny::Null), "22:00");
        assert_eq!(hour_minute("22:00:30", &ValueAny::Null), "22:00:30");
    }
}
