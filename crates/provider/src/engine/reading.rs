//! The state read from an API answer, as the field table says: what does not fit is an error naming
//! the member, what is missing is kept or noted.

use serde_json::Value as Json;
use tfplugin::framework::TfValue;

use super::field::{Codec, Field, Kind, Mode, Read, Update};
use super::value::{as_str, get, is_set, Obj, NULL};

fn lookup<'a>(root: &'a Json, path: &str) -> Option<&'a Json> {
    path.split('.').try_fold(root, |cur, step| cur.get(step))
}

/// A member of an API answer whose JSON type does not fit its attribute (`"vpc_id": 5`, a list that
/// is a string): the read fails rather than guess a value that could plan a replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct Garbled {
    /// The member's path in the answer, e.g. `vpc_id` or `network_interfaces[0].subnet_id`.
    pub member: String,
    /// What the answer holds there (`the Integer 5`).
    pub found: String,
    /// What the attribute needs (`a string`).
    pub expected: &'static str,
}

impl std::fmt::Display for Garbled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the answer's member {} is {} where {} is expected", self.member, self.found, self.expected)
    }
}

/// What one read found missing, besides the state it built.
#[derive(Debug, Default)]
pub struct Reading {
    /// The object was just imported: what only a configuration could tell (which configurations of a
    /// topic are set, a placement) is taken from the answer as a whole.
    pub imported: bool,
    /// Attribute paths (`vpc_id`, `additional_params.vpc_id`) the answer did not give and the state
    /// had no value for (an import): no replacement is ever planned from them.
    pub unread: Vec<String>,
}

/// The whole state of a resource from its show response. `prior` supplies what the API never returns,
/// and what an answer lacks for an argument no API call could set again (a required or create-only one).
pub fn state_from_api(fields: &[Field], root: &Json, prior: &TfValue) -> Result<Obj, Garbled> {
    read_state(fields, root, prior, &mut Reading::default())
}

/// [`state_from_api`], noting in `reading` what the answer lacked.
pub fn read_state(fields: &[Field], root: &Json, prior: &TfValue, reading: &mut Reading) -> Result<Obj, Garbled> {
    let at = Place { api: String::new(), attr: String::new(), computed: false };
    object_from_api(fields, root, Some(root), prior, &at, reading)
}

/// Where a value sits: in the answer (for errors) and among the attributes (for `Reading::unread`).
#[derive(Clone)]
struct Place {
    api: String,
    attr: String,
    /// Inside a computed attribute: nothing here is an argument, whatever its own mode says.
    computed: bool,
}

impl Place {
    fn child(&self, f: &Field) -> Place {
        let join = |a: &str, b: &str| if a.is_empty() { b.to_string() } else { format!("{a}.{b}") };
        let api = match f.read {
            Read::Path(p) => p.to_string(),
            _ => join(&self.api, f.api_name()),
        };
        Place { api, attr: join(&self.attr, f.name), computed: self.computed || !f.is_argument() }
    }
    fn index(&self, i: usize) -> Place {
        Place { api: format!("{}[{i}]", self.api), attr: self.attr.clone(), computed: self.computed }
    }
    fn garbled(&self, found: &Json, expected: &'static str) -> Garbled {
        Garbled { member: self.api.clone(), found: hwapi::contract::describe(found), expected }
    }
}

fn object_from_api(
    fields: &[Field],
    root: &Json,
    parent: Option<&Json>,
    prior: &TfValue,
    at: &Place,
    reading: &mut Reading,
) -> Result<Obj, Garbled> {
    let mut out = Obj::new();
    for f in fields {
        let prior_v = get(prior, f.name);
        let place = at.child(f);
        let v = match f.read {
            Read::Keep => prior_v.clone(),
            Read::Same => field_from_api(f, root, parent.and_then(|p| p.get(f.api_name())), prior_v, &place, reading)?,
            Read::Path(p) => field_from_api(f, root, lookup(root, p), prior_v, &place, reading)?,
        };
        out.insert(f.name.to_string(), v);
    }
    Ok(out)
}

/// An argument whose absence from an answer is no news: no API call could have unset it (a required
/// argument, or one only a new instance changes). Its state value stands.
fn kept_when_absent(f: &Field) -> bool {
    f.is_argument() && (f.mode == Mode::Required || f.update != Update::InPlace)
}

fn field_from_api(
    f: &Field,
    root: &Json,
    api: Option<&Json>,
    prior: &TfValue,
    at: &Place,
    reading: &mut Reading,
) -> Result<TfValue, Garbled> {
    let api = api.filter(|v| !v.is_null());
    let kept = kept_when_absent(f) && !at.computed;
    // A block is judged by its members (which may read from elsewhere in the answer).
    if api.is_none() && kept && !matches!(f.kind, Kind::Block { .. }) {
        if let Some(v) = absent(prior, at, reading) {
            return Ok(v);
        }
    }
    Ok(match f.kind {
        // Settings the configuration leaves out are the service's: not read into the state.
        Kind::Block { .. } if f.codec == Codec::WhereSet && !is_set(prior) && !(reading.imported && api.is_some()) => {
            prior.clone()
        }
        Kind::Block { fields, max } => {
            let single_block = f.is_single_block();
            let prior_items: Vec<&TfValue> = match prior {
                TfValue::List(l) => l.iter().collect(),
                TfValue::Map(_) => vec![prior],
                _ => vec![],
            };
            let api_items: Vec<Option<&Json>> = match api {
                Some(Json::Array(a)) => a.iter().map(Some).collect(),
                Some(o @ Json::Object(_)) => vec![Some(o)],
                Some(other) => return Err(at.garbled(other, "a list of objects")),
                // No object in the answer: a required single block is still built (its fields may read
                // from elsewhere in the answer or be write-only); a block whose members read from
                // elsewhere or are write-only is built where the state has it (or on import, from the
                // answer); any other block that cannot change without a new instance keeps the state's.
                None if single_block => vec![None],
                None => {
                    let elsewhere = fields.iter().any(|nf| matches!(nf.read, Read::Keep | Read::Path(_)));
                    let from_root = fields.iter().any(|nf| matches!(nf.read, Read::Path(_)));
                    if elsewhere && !prior_items.is_empty() {
                        vec![None; prior_items.len()]
                    } else if from_root && reading.imported && !f.is_named_subset() {
                        vec![None]
                    } else if kept {
                        match absent(prior, at, reading) {
                            Some(v) => return Ok(v),
                            None => vec![],
                        }
                    } else {
                        vec![]
                    }
                }
            };
            // Each entry read, with its index in the answer and the state's element it pairs with:
            // settings read by name by their name, others by position.
            let entries = match (f.codec, api) {
                (_, Some(_)) if f.is_named_subset() => named_subset(&api_items, &prior_items, reading.imported, at)?,
                _ => {
                    let prior_at = |i: usize| prior_items.get(i).copied().unwrap_or(&NULL);
                    api_items.into_iter().enumerate().map(|(i, item)| (i, item, prior_at(i))).collect()
                }
            };
            let mut items = Vec::new();
            for (i, item, p) in entries.into_iter().take(max) {
                if let Some(item) = item.filter(|v| !v.is_object()) {
                    return Err(at.index(i).garbled(item, "an object"));
                }
                items.push(TfValue::Map(object_from_api(fields, root, item, p, &at.index(i), reading)?));
            }
            if single_block {
                items.into_iter().next().unwrap_or(TfValue::Null)
            } else {
                TfValue::List(items)
            }
        }
        // The members of a computed object are what the answer says; an object argument's are kept like
        // any argument's.
        Kind::Object(fields) => match api {
            Some(o @ Json::Object(_)) => {
                let prior = if at.computed { &NULL } else { prior };
                TfValue::Map(object_from_api(fields, root, Some(o), prior, at, reading)?)
            }
            Some(other) => return Err(at.garbled(other, "an object")),
            None => TfValue::Null,
        },
        Kind::ObjectList(fields) => match api {
            Some(Json::Array(a)) => {
                let mut items = Vec::new();
                for (i, e) in a.iter().enumerate() {
                    if !e.is_object() {
                        return Err(at.index(i).garbled(e, "an object"));
                    }
                    items.push(TfValue::Map(object_from_api(fields, root, Some(e), &NULL, &at.index(i), reading)?));
                }
                TfValue::List(items)
            }
            Some(other) => return Err(at.garbled(other, "a list of objects")),
            None => TfValue::List(vec![]),
        },
        Kind::Map => {
            let map: Obj = match (f.codec, api) {
                (Codec::TagList, Some(Json::Array(a))) => {
                    let mut tags = Obj::new();
                    for (i, t) in a.iter().enumerate() {
                        let Some(k) = t.get("key").and_then(Json::as_str) else {
                            return Err(at.index(i).garbled(t, "a tag with a string key"));
                        };
                        let v = match t.get("value") {
                            None | Some(Json::Null) => "",
                            Some(Json::String(v)) => v,
                            Some(other) => return Err(at.index(i).garbled(other, "a string tag value")),
                        };
                        tags.insert(k.to_string(), TfValue::String(v.to_string()));
                    }
                    tags
                }
                (Codec::TagList, Some(other)) => return Err(at.garbled(other, "a list of tags")),
                (_, Some(Json::Object(o))) => {
                    o.iter().map(|(k, v)| (k.clone(), TfValue::String(json_to_string(v)))).collect()
                }
                (_, Some(other)) => return Err(at.garbled(other, "an object")),
                (_, None) => Obj::new(),
            };
            // An optional map the user never set stays null rather than turning into {}.
            if map.is_empty() && matches!(prior, TfValue::Null) && f.mode != Mode::Computed {
                TfValue::Null
            } else {
                TfValue::Map(map)
            }
        }
        Kind::List => match api {
            Some(Json::Array(a)) => {
                let mut items = Vec::new();
                for (i, v) in a.iter().enumerate() {
                    match v {
                        Json::String(s) => items.push(TfValue::String(s.clone())),
                        other => return Err(at.index(i).garbled(other, "a string")),
                    }
                }
                TfValue::List(items)
            }
            Some(other) => return Err(at.garbled(other, "a list of strings")),
            None if f.mode == Mode::Computed => TfValue::List(vec![]),
            None => TfValue::Null,
        },
        Kind::Str => match api {
            None | Some(Json::String(_))
                if f.codec == Codec::KeepIfAbsent && api.and_then(Json::as_str).is_none_or(str::is_empty) =>
            {
                prior.clone()
            }
            None => TfValue::Null,
            // Unless the user wrote the empty string themselves.
            Some(Json::String(s)) if s.is_empty() && f.codec == Codec::EmptyIsNull && as_str(prior) != Some("") => {
                TfValue::Null
            }
            Some(Json::String(s)) => {
                TfValue::String(if f.codec == Codec::HourMinute { hour_minute(s, prior) } else { s.clone() })
            }
            Some(other) => return Err(at.garbled(other, "a string")),
        },
        Kind::Int => match api {
            Some(Json::Number(n)) => match n.as_i64() {
                Some(n) => TfValue::Number(n),
                None => return Err(at.garbled(api.unwrap_or(&Json::Null), "a whole number")),
            },
            // Some services answer numbers as text (Kafka's partition_num); empty text is no value.
            Some(Json::String(s)) if s.trim().is_empty() => TfValue::Null,
            Some(v @ Json::String(s)) => match s.trim().parse() {
                Ok(n) => TfValue::Number(n),
                Err(_) => return Err(at.garbled(v, "a whole number")),
            },
            Some(other) => return Err(at.garbled(other, "a whole number")),
            None => TfValue::Null,
        },
        Kind::Bool => match api {
            Some(Json::Bool(b)) => TfValue::Bool(*b),
            Some(Json::String(s)) if s == "true" || s == "false" => TfValue::Bool(s == "true"),
            Some(other) => return Err(at.garbled(other, "a Boolean")),
            None => TfValue::Null,
        },
    })
}

/// An answer without the member of an argument no call could have unset: the state's value stands
/// (logged). Without one in the state either, None; after an import, the path is noted as never read
/// (elsewhere a null state value is one the API gave).
fn absent(prior: &TfValue, at: &Place, reading: &mut Reading) -> Option<TfValue> {
    if is_set(prior) {
        tracing::info!("the answer has no {}: keeping {} as the state has it", at.api, at.attr);
        return Some(prior.clone());
    }
    if reading.imported {
        reading.unread.push(at.attr.clone());
    }
    None
}

/// An element of a block list to read: its index in the answer, the answer's object (None when the
/// answer has none and the element is built from elsewhere), and the state's element it pairs with.
type Entry<'a, 'p> = (usize, Option<&'a Json>, &'p TfValue);

/// The entries of a [`Codec::NamedSubset`] list to read, with their index in the answer and the state's
/// element of the same name: on a refresh, the ones the state names (in its order; a name the answer
/// lacks is left out, so the plan sets it again); on an import, or with nothing in the state to go by,
/// every one whose `value` differs from its `default_value`.
fn named_subset<'a, 'p>(
    api: &[Option<&'a Json>],
    prior: &[&'p TfValue],
    imported: bool,
    at: &Place,
) -> Result<Vec<Entry<'a, 'p>>, Garbled> {
    let mut entries = Vec::new();
    for (i, item) in api.iter().enumerate() {
        let Some(item) = item else { continue };
        match item.get("name").and_then(Json::as_str) {
            Some(name) => entries.push((i, name, *item)),
            None => return Err(at.index(i).garbled(item, "an object with a string name")),
        }
    }
    if !prior.is_empty() {
        let named = prior.iter().filter_map(|p| Some((as_str(get(p, "name"))?, *p)));
        return Ok(named
            .filter_map(|(n, p)| {
                entries.iter().find(|(_, name, _)| *name == n).map(|(i, _, item)| (*i, Some(*item), p))
            })
            .collect());
    }
    if !imported {
        return Ok(vec![]);
    }
    Ok(entries
        .into_iter()
        .filter(|(_, _, item)| item.get("value") != item.get("default_value"))
        .map(|(i, _, item)| (i, Some(item), &NULL))
        .collect())
}

/// `HH:mm:ss` from the API becomes `HH:mm`, unless the user wrote seconds themselves.
fn hour_minute(api: &str, prior: &TfValue) -> String {
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
mod tests;
