//! In-place changes as data. An argument names the operations that carry it (`Field::via`); a
//! resource declares, in order, how each of those operations' calls is made (`ResourceDef::changes`).
//! The engine makes the calls: the body from the changed arguments, resent while the instance is busy,
//! then waited for where declared. Only calls marked [`Send::Hook`] are built by the resource.

use serde_json::{json, Map, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::Op;

use super::field::{Codec, Field, Kind, Read};
use super::value::{as_str, get, is_set, to_api};

/// Rewrites a change's body object, given the resource id.
pub type Shape = fn(Map<String, Json>, &str) -> Json;

/// One operation's call in an in-place update.
#[derive(Debug, Clone, Copy)]
pub struct Change {
    pub op: &'static Op,
    pub send: Send,
}

/// How the call is made.
#[derive(Debug, Clone, Copy)]
pub enum Send {
    /// A JSON object of the changed arguments the operation carries, each under its body parameter
    /// (`sent_as` or its API name); a cleared one is sent empty (`""`, `[]`). The arguments in
    /// `together` form one setting: a change of one sends all of them (one the call does not change,
    /// such as the name of the object a batch call is about, is sent as it is). `shape` rewrites the object
    /// (given the resource id): an envelope or a format. `wait`: the instance is waited for afterwards.
    Changed { together: &'static [&'static str], shape: Option<Shape>, wait: bool },
    /// `{"tags": [...]}` of the tag map's entries that left or changed (an unbind call).
    TagsRemoved,
    /// `{"tags": [...]}` of the entries that are new or changed (a bind call).
    TagsAdded,
    /// `{"action": "delete", "tags": removed}`, then `{"action": "create", "tags": added}`.
    TagActions,
    /// The resource's `apply_change` hook makes the call (a real exception).
    Hook,
}

impl Change {
    /// The body of each changed argument, named as the call sends it.
    pub const fn changed(op: &'static Op) -> Change {
        Change { op, send: Send::Changed { together: &[], shape: None, wait: false } }
    }
    pub const fn new(op: &'static Op, send: Send) -> Change {
        Change { op, send }
    }
}

/// The arguments a change sends with what it carries (`Send::Changed`'s `together`).
pub fn together(ch: &Change) -> &'static [&'static str] {
    match ch.send {
        Send::Changed { together, .. } => together,
        _ => &[],
    }
}

/// The top-level arguments of `fields` that `op` carries, directly or through a nested argument.
pub fn carried(fields: &'static [Field], op: &Op) -> Vec<&'static Field> {
    fn carries(f: &Field, op: &Op) -> bool {
        f.via.contains(&op) || f.nested().is_some_and(|n| n.iter().any(|g| carries(g, op)))
    }
    fields.iter().filter(|f| carries(f, op)).collect()
}

/// Whether the value of `name` differs between the two.
pub fn differs(prior: &TfValue, plan: &TfValue, name: &str) -> bool {
    get(prior, name) != get(plan, name)
}

/// The body of a [`Send::Changed`] call, or None when nothing it carries changed.
pub fn changed_body(
    change: &Change,
    fields: &'static [Field],
    id: &str,
    prior: &TfValue,
    plan: &TfValue,
) -> Option<Json> {
    let Send::Changed { together, shape, .. } = change.send else { return None };
    let carried = carried(fields, change.op);
    if !carried.iter().any(|f| differs(prior, plan, f.name)) {
        return None;
    }
    let group_changed = together.iter().any(|n| differs(prior, plan, n));
    // An argument of the group that no call carries (the name of the object a batch call is about) goes
    // with the group as it is.
    let named = fields.iter().filter(|f| together.contains(&f.name) && !carried.iter().any(|c| c.name == f.name));
    let mut obj = Map::new();
    let mut sends_carried = false;
    for f in carried.iter().copied().chain(named) {
        if !(differs(prior, plan, f.name) || (group_changed && together.contains(&f.name))) {
            continue;
        }
        // A value never known (a secret after an import; an argument marked `adopts_unknown`) is adopted
        // from the plan, never a reason for a call; other write-only values, such as a topic's
        // configurations, are sent when set later. One that only goes with the group is sent as it is.
        let carried_here = carried.iter().any(|c| c.name == f.name);
        if carried_here && adopts_unknown(f) && !is_set(get(prior, f.name)) {
            continue;
        }
        // A secret left out of the configuration is forgotten, never reset to the empty string.
        if carried_here && f.sensitive && f.read == Read::Keep && !is_set(get(plan, f.name)) {
            continue;
        }
        sends_carried |= carried_here;
        // A cleared value is sent empty where its kind has an empty form, else left out.
        let Some(value) = to_api(f, get(plan, f.name)).or_else(|| empty(f)) else { continue };
        let param = f.via_params().into_iter().find(|(op, _)| *op == change.op).and_then(|(_, p)| p);
        obj.insert(param.map_or(f.api_name(), |p| p.name).to_string(), value);
    }
    if obj.is_empty() || !sends_carried {
        return None;
    }
    Some(match shape {
        Some(shape) => shape(obj, id),
        None => Json::Object(obj),
    })
}

/// Is a value of `f` the state never knew adopted from the plan instead of sent?
pub fn adopts_unknown(f: &Field) -> bool {
    (f.sensitive && f.read == Read::Keep) || f.adopts_unknown
}

/// What a cleared argument is sent as, if its kind has an empty form.
fn empty(f: &Field) -> Option<Json> {
    match f.kind {
        Kind::Str => Some(json!("")),
        Kind::List | Kind::Block { .. } => Some(json!([])),
        Kind::Map if f.codec == Codec::TagList => Some(json!([])),
        Kind::Map => Some(json!({})),
        _ => None,
    }
}

/// The tags to remove and the tags to add to go from `prior` to `plan` (a changed value is both).
pub fn tag_changes(prior: &TfValue, plan: &TfValue) -> (Vec<Json>, Vec<Json>) {
    let as_map = |v: &TfValue| match v {
        TfValue::Map(m) => m.clone(),
        _ => Default::default(),
    };
    let (old, new) = (as_map(prior), as_map(plan));
    let tag = |k: &String, v: &TfValue| json!({"key": k, "value": as_str(v).unwrap_or("")});
    let unbind = old.iter().filter(|(k, v)| new.get(*k) != Some(v)).map(|(k, v)| tag(k, v)).collect();
    let bind = new.iter().filter(|(k, v)| old.get(*k) != Some(v)).map(|(k, v)| tag(k, v)).collect();
    (unbind, bind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hwapi::client::{Method, Service};
    use hwapi::contract::{Param, Ty};

    static BODY: [Param; 4] = [
        Param::opt("name", Ty::Str),
        Param::opt("description", Ty::Str),
        Param::opt("begin", Ty::Str),
        Param::opt("new_secret", Ty::Str),
    ];
    static PUT: Op = Op::new("Update", Service::Dms, Method::Put, "/v2/{project_id}/things/{instance_id}").body(&BODY);
    static FIELDS: [Field; 6] = [
        Field::string("name", "n").in_place_by(&[&PUT]),
        Field::string("description", "d").in_place_by(&[&PUT]),
        Field::string("begin", "b").in_place_by(&[&PUT]),
        Field::string("end", "e").in_place_by(&[&PUT]).not_in_body(),
        Field::string("secret", "s").in_place_by(&[&PUT]).sent_as("new_secret").write_only().sensitive(),
        Field::string("note", "w").in_place_by(&[&PUT]).write_only(),
    ];

    fn obj(pairs: &[(&str, Option<&str>)]) -> TfValue {
        let v = |s: &Option<&str>| s.map_or(TfValue::Null, |s| TfValue::String(s.into()));
        TfValue::Map(pairs.iter().map(|(k, s)| (k.to_string(), v(s))).collect())
    }

    fn body(change: Change, prior: &TfValue, plan: &TfValue) -> Option<Json> {
        changed_body(&change, &FIELDS, "id-1", prior, plan)
    }

    #[test]
    fn only_what_changed_under_its_parameter_a_cleared_string_empty() {
        let prior =
            obj(&[("name", Some("a")), ("description", Some("old")), ("secret", Some("s1")), ("kept", Some("x"))]);
        let plan = obj(&[("name", Some("b")), ("description", None), ("secret", Some("s2")), ("kept", Some("y"))]);
        let b = body(Change::changed(&PUT), &prior, &plan).unwrap();
        assert_eq!(b, json!({"name": "b", "description": "", "new_secret": "s2"}));
        assert_eq!(body(Change::changed(&PUT), &prior, &prior), None, "nothing changed, no call");
    }

    #[test]
    fn a_setting_of_several_arguments_is_sent_whole_and_shaped() {
        fn wrap(o: Map<String, Json>, id: &str) -> Json {
            json!({"id": id, "change": o})
        }
        let change = Change::new(&PUT, Send::Changed { together: &["begin", "end"], shape: Some(wrap), wait: false });
        let prior = obj(&[("begin", Some("22:00")), ("end", Some("02:00"))]);
        let plan = obj(&[("begin", Some("22:00")), ("end", Some("03:00"))]);
        assert_eq!(
            body(change, &prior, &plan).unwrap(),
            json!({"id": "id-1", "change": {"begin": "22:00", "end": "03:00"}})
        );
    }

    /// A secret never known is not reset from the plan; a write-only value that is not secret is sent
    /// when set later; a cleared value without an empty form is left out.
    #[test]
    fn write_only_values_and_cleared_values() {
        let prior = obj(&[("secret", None), ("note", None)]);
        let plan = obj(&[("secret", Some("s2")), ("note", Some("n"))]);
        assert_eq!(body(Change::changed(&PUT), &prior, &plan), Some(json!({"note": "n"})));
        static FLAGS: [Field; 1] = [Field::bool("on", "o").in_place_by(&[&PUT])];
        let (on, off) = (TfValue::Map([("on".into(), TfValue::Bool(true))].into()), obj(&[("on", None)]));
        assert_eq!(changed_body(&Change::changed(&PUT), &FLAGS, "id-1", &on, &off), None);
    }

    #[test]
    fn tag_changes_remove_the_left_and_changed_and_add_the_new_and_changed() {
        let map = |pairs: &[(&str, &str)]| {
            TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), TfValue::String(v.to_string()))).collect())
        };
        let (removed, added) = tag_changes(&map(&[("a", "1"), ("b", "2")]), &map(&[("b", "3"), ("c", "4")]));
        assert_eq!(removed, [json!({"key": "a", "value": "1"}), json!({"key": "b", "value": "2"})]);
        assert_eq!(added, [json!({"key": "b", "value": "3"}), json!({"key": "c", "value": "4"})]);
    }
}
