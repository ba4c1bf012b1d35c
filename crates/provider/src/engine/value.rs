//! Moving values between Terraform (`ValueAny`) and the API (JSON), as the field table says.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value as Json};
use tf_provider::value::ValueAny;

use super::field::{Codec, Field, Kind, Mode, Read, Update};

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
pub fn state_from_api(fields: &[Field], root: &Json, prior: &ValueAny) -> Result<Obj, Garbled> {
    read_state(fields, root, prior, &mut Reading::default())
}

/// [`state_from_api`], noting in `reading` what the answer lacked.
pub fn read_state(fields: &[Field], root: &Json, prior: &ValueAny, reading: &mut Reading) -> Result<Obj, Garbled> {
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
    prior: &ValueAny,
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
    prior: &ValueAny,
    at: &Place,
    reading: &mut Reading,
) -> Result<ValueAny, Garbled> {
    let api = api.filter(|v| !v.is_null());
    let kept = kept_when_absent(f) && !at.computed;
    // A block is judged by its members (which may read from elsewhere in the answer).
    if api.is_none() && kept && !matches!(f.kind, Kind::Block { .. }) {
        if let Some(v) = absent(prior, at, reading) {
            return Ok(v);
        }
    }
    Ok(match f.kind {
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
                    } else if from_root && reading.imported && f.codec != Codec::NamedSubset {
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
                (Codec::NamedSubset, Some(_)) => named_subset(&api_items, &prior_items, reading.imported, at)?,
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
                items.push(ValueAny::Map(object_from_api(fields, root, item, p, &at.index(i), reading)?));
            }
            if single_block {
                items.into_iter().next().unwrap_or(ValueAny::Null)
            } else {
                ValueAny::List(items)
            }
        }
        // The members of a computed object are what the answer says; an object argument's are kept like
        // any argument's.
        Kind::Object(fields) => match api {
            Some(o @ Json::Object(_)) => {
                let prior = if at.computed { &NULL } else { prior };
                ValueAny::Map(object_from_api(fields, root, Some(o), prior, at, reading)?)
            }
            Some(other) => return Err(at.garbled(other, "an object")),
            None => ValueAny::Null,
        },
        Kind::ObjectList(fields) => match api {
            Some(Json::Array(a)) => {
                let mut items = Vec::new();
                for (i, e) in a.iter().enumerate() {
                    if !e.is_object() {
                        return Err(at.index(i).garbled(e, "an object"));
                    }
                    items.push(ValueAny::Map(object_from_api(fields, root, Some(e), &NULL, &at.index(i), reading)?));
                }
                ValueAny::List(items)
            }
            Some(other) => return Err(at.garbled(other, "a list of objects")),
            None => ValueAny::List(vec![]),
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
                        tags.insert(k.to_string(), ValueAny::String(v.to_string()));
                    }
                    tags
                }
                (Codec::TagList, Some(other)) => return Err(at.garbled(other, "a list of tags")),
                (_, Some(Json::Object(o))) => {
                    o.iter().map(|(k, v)| (k.clone(), ValueAny::String(json_to_string(v)))).collect()
                }
                (_, Some(other)) => return Err(at.garbled(other, "an object")),
                (_, None) => Obj::new(),
            };
            // An optional map the user never set stays null rather than turning into {}.
            if map.is_empty() && matches!(prior, ValueAny::Null) && f.mode != Mode::Computed {
                ValueAny::Null
            } else {
                ValueAny::Map(map)
            }
        }
        Kind::List => match api {
            Some(Json::Array(a)) => {
                let mut items = Vec::new();
                for (i, v) in a.iter().enumerate() {
                    match v {
                        Json::String(s) => items.push(ValueAny::String(s.clone())),
                        other => return Err(at.index(i).garbled(other, "a string")),
                    }
                }
                ValueAny::List(items)
            }
            Some(other) => return Err(at.garbled(other, "a list of strings")),
            None if f.mode == Mode::Computed => ValueAny::List(vec![]),
            None => ValueAny::Null,
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
            Some(Json::String(s)) => {
                ValueAny::String(if f.codec == Codec::HourMinute { hour_minute(s, prior) } else { s.clone() })
            }
            Some(other) => return Err(at.garbled(other, "a string")),
        },
        Kind::Int => match api {
            Some(Json::Number(n)) => match n.as_i64() {
                Some(n) => ValueAny::Number(n),
                None => return Err(at.garbled(api.unwrap_or(&Json::Null), "a whole number")),
            },
            // Some services answer numbers as text (Kafka's partition_num); empty text is no value.
            Some(Json::String(s)) if s.trim().is_empty() => ValueAny::Null,
            Some(v @ Json::String(s)) => match s.trim().parse() {
                Ok(n) => ValueAny::Number(n),
                Err(_) => return Err(at.garbled(v, "a whole number")),
            },
            Some(other) => return Err(at.garbled(other, "a whole number")),
            None => ValueAny::Null,
        },
        Kind::Bool => match api {
            Some(Json::Bool(b)) => ValueAny::Bool(*b),
            Some(Json::String(s)) if s == "true" || s == "false" => ValueAny::Bool(s == "true"),
            Some(other) => return Err(at.garbled(other, "a Boolean")),
            None => ValueAny::Null,
        },
    })
}

/// An answer without the member of an argument no call could have unset: the state's value stands
/// (logged). Without one in the state either, None; after an import, the path is noted as never read
/// (elsewhere a null state value is one the API gave).
fn absent(prior: &ValueAny, at: &Place, reading: &mut Reading) -> Option<ValueAny> {
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
type Entry<'a, 'p> = (usize, Option<&'a Json>, &'p ValueAny);

/// The entries of a [`Codec::NamedSubset`] list to read, with their index in the answer and the state's
/// element of the same name: on a refresh, the ones the state names (in its order; a name the answer
/// lacks is left out, so the plan sets it again); on an import, or with nothing in the state to go by,
/// every one whose `value` differs from its `default_value`.
fn named_subset<'a, 'p>(
    api: &[Option<&'a Json>],
    prior: &[&'p ValueAny],
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
        let s = state_from_api(&FIELDS, &api, &prior).unwrap();
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
            let read = state_from_api(&USER, &answer, &prior).unwrap();
            assert_eq!(read["user"], ValueAny::String("manager".into()), "{answer}");
        }
        let read = state_from_api(&USER, &json!({"user": "admin"}), &prior).unwrap();
        assert_eq!(read["user"], ValueAny::String("admin".into()));
    }

    static CLUSTER: [Field; 5] = [
        Field::string("vpc_id", "v").required(),
        Field::list("zones", "z").required(),
        Field::string("description", "d").in_place(),
        Field::int("port", "p").computed(),
        Field::blocks("nics", &INNER, 2, "n"),
    ];

    fn cluster_prior() -> ValueAny {
        obj(&[
            ("vpc_id", ValueAny::String("vpc-1".into())),
            ("zones", ValueAny::List(vec![ValueAny::String("az1".into())])),
            ("description", ValueAny::String("d".into())),
            ("nics", ValueAny::List(vec![obj(&[("type", ValueAny::String("t".into()))])])),
        ])
    }

    #[test]
    fn a_member_absent_or_null_keeps_what_no_call_could_have_unset() {
        for answer in [json!({"port": 1}), json!({"vpc_id": null, "zones": null, "description": null, "nics": null})] {
            let s = state_from_api(&CLUSTER, &answer, &cluster_prior()).unwrap();
            assert_eq!(s["vpc_id"], ValueAny::String("vpc-1".into()), "{answer}");
            assert_eq!(s["zones"], ValueAny::List(vec![ValueAny::String("az1".into())]), "{answer}");
            assert_eq!(get(single(&s["nics"]), "type"), &ValueAny::String("t".into()), "{answer}");
            // What an in-place call can clear reads as cleared.
            assert_eq!(s["description"], ValueAny::Null, "{answer}");
        }
        // Nothing to keep after an import: noted as never read. Elsewhere a null is the API's own.
        let mut reading = Reading { imported: true, unread: vec![] };
        read_state(&CLUSTER, &json!({}), &NULL, &mut reading).unwrap();
        assert_eq!(reading.unread, ["vpc_id", "zones", "nics"]);
        let mut reading = Reading::default();
        read_state(&CLUSTER, &json!({}), &NULL, &mut reading).unwrap();
        assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    }

    #[test]
    fn a_computed_object_shows_what_the_answer_says() {
        static SNAT: [Field; 2] = [Field::string("eip", "e"), Field::bool("enable_snat", "s")];
        static FIELDS: [Field; 1] = [Field::object("forwarding_info", &SNAT, "f")];
        let prior = obj(&[("forwarding_info", obj(&[("eip", ValueAny::String("1.2.3.4".into()))]))]);
        let mut reading = Reading::default();
        let s = read_state(&FIELDS, &json!({"forwarding_info": {"enable_snat": false}}), &prior, &mut reading).unwrap();
        assert_eq!(get(&s["forwarding_info"], "eip"), &ValueAny::Null, "an unbound EIP is gone, not kept");
        assert!(reading.unread.is_empty(), "{:?}", reading.unread);
    }

    #[test]
    fn a_member_of_the_wrong_type_is_an_error_naming_it() {
        let cases = [
            (json!({"vpc_id": 5}), "vpc_id", "the Integer 5", "a string"),
            (json!({"zones": "az1"}), "zones", "the String \"az1\"", "a list of strings"),
            (json!({"zones": ["az1", 2]}), "zones[1]", "the Integer 2", "a string"),
            (json!({"port": "x"}), "port", "the String \"x\"", "a whole number"),
            (json!({"port": 1.5}), "port", "the number 1.5", "a whole number"),
            (json!({"nics": [{"type": true}]}), "nics[0].type", "the Boolean true", "a string"),
            (json!({"nics": 3}), "nics", "the Integer 3", "a list of objects"),
        ];
        for (answer, member, found, expected) in cases {
            let e = state_from_api(&CLUSTER, &answer, &cluster_prior()).unwrap_err();
            assert_eq!((e.member.as_str(), e.found.as_str(), e.expected), (member, found, expected), "{answer}");
        }
        // Numbers as text are the services' own form.
        let s = state_from_api(&CLUSTER, &json!({"port": "9092"}), &cluster_prior()).unwrap();
        assert_eq!(s["port"], ValueAny::Number(9092));
    }

    #[test]
    fn named_subset_reads_the_configured_settings_or_on_import_those_not_at_their_default() {
        static CONFIG: [Field; 2] = [Field::string("name", "n").required(), Field::string("value", "v").required()];
        static TOPIC: [Field; 1] = [Field::blocks("configs", &CONFIG, 100, "c").in_place().codec(Codec::NamedSubset)];
        let answer = json!({"configs": [
            {"name": "a", "value": "1", "default_value": "1"},
            {"name": "b", "value": "9", "default_value": "2"},
            {"name": "c", "value": "x", "default_value": "x"},
        ]});
        let pair =
            |n: &str, v: &str| obj(&[("name", ValueAny::String(n.into())), ("value", ValueAny::String(v.into()))]);
        // Refresh: the configured names, in their order, with the current values.
        let prior = obj(&[("configs", ValueAny::List(vec![pair("c", "old"), pair("a", "1")]))]);
        let s = state_from_api(&TOPIC, &answer, &prior).unwrap();
        assert_eq!(s["configs"], ValueAny::List(vec![pair("c", "x"), pair("a", "1")]));
        // Nothing configured: nothing read.
        assert_eq!(state_from_api(&TOPIC, &answer, &NULL).unwrap()["configs"], ValueAny::List(vec![]));
        // Import: what differs from the default.
        let mut reading = Reading { imported: true, unread: vec![] };
        let s = read_state(&TOPIC, &answer, &NULL, &mut reading).unwrap();
        assert_eq!(s["configs"], ValueAny::List(vec![pair("b", "9")]));
    }

    #[test]
    fn hour_minute_strips_zero_seconds() {
        assert_eq!(hour_minute("22:00:00", &ValueAny::Null), "22:00");
        assert_eq!(hour_minute("22:00:30", &ValueAny::Null), "22:00:30");
    }
}
