//! The state read from answers: kept, noted and refused members.

use super::*;
use crate::engine::field::{Field, Read};
use crate::engine::value::{body, single};
use serde_json::json;

static INNER: [Field; 2] = [Field::string("type", "t").required(), Field::int("size", "s")];
static FIELDS: [Field; 5] = [
    Field::string("name", "n").required(),
    Field::block("flavor", &INNER, "f").required(),
    Field::map("tags", "t").codec(Codec::TagList),
    Field::string("secret", "s").write_only(),
    Field::string("status", "s").computed(),
];

fn obj(pairs: &[(&str, TfValue)]) -> TfValue {
    TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

#[test]
fn read_keeps_write_only_and_normalises_tags() {
    let prior = obj(&[("secret", TfValue::String("p".into())), ("tags", TfValue::Null)]);
    let api = json!({"name": "a", "flavor": {"type": "s1"}, "tags": [], "status": "ACTIVE", "extra": 1});
    let s = state_from_api(&FIELDS, &api, &prior).unwrap();
    assert_eq!(s["secret"], TfValue::String("p".into()));
    assert_eq!(s["tags"], TfValue::Null);
    assert_eq!(s["status"], TfValue::String("ACTIVE".into()));
    assert_eq!(get(&s["flavor"], "size"), &TfValue::Null);
    assert_eq!(Read::Keep, FIELDS[3].read);
}

#[test]
fn keep_if_absent_reads_a_value_and_keeps_the_state_without_one() {
    static USER: [Field; 1] = [Field::string("user", "u").codec(Codec::KeepIfAbsent)];
    let prior = obj(&[("user", TfValue::String("manager".into()))]);
    for answer in [json!({}), json!({"user": ""}), json!({"user": null})] {
        let read = state_from_api(&USER, &answer, &prior).unwrap();
        assert_eq!(read["user"], TfValue::String("manager".into()), "{answer}");
    }
    let read = state_from_api(&USER, &json!({"user": "admin"}), &prior).unwrap();
    assert_eq!(read["user"], TfValue::String("admin".into()));
}

static CLUSTER: [Field; 5] = [
    Field::string("vpc_id", "v").required(),
    Field::list("zones", "z").required(),
    Field::string("description", "d").in_place(),
    Field::int("port", "p").computed(),
    Field::blocks("nics", &INNER, 2, "n"),
];

fn cluster_prior() -> TfValue {
    obj(&[
        ("vpc_id", TfValue::String("vpc-1".into())),
        ("zones", TfValue::List(vec![TfValue::String("az1".into())])),
        ("description", TfValue::String("d".into())),
        ("nics", TfValue::List(vec![obj(&[("type", TfValue::String("t".into()))])])),
    ])
}

#[test]
fn a_member_absent_or_null_keeps_what_no_call_could_have_unset() {
    for answer in [json!({"port": 1}), json!({"vpc_id": null, "zones": null, "description": null, "nics": null})] {
        let s = state_from_api(&CLUSTER, &answer, &cluster_prior()).unwrap();
        assert_eq!(s["vpc_id"], TfValue::String("vpc-1".into()), "{answer}");
        assert_eq!(s["zones"], TfValue::List(vec![TfValue::String("az1".into())]), "{answer}");
        assert_eq!(get(single(&s["nics"]), "type"), &TfValue::String("t".into()), "{answer}");
        // What an in-place call can clear reads as cleared.
        assert_eq!(s["description"], TfValue::Null, "{answer}");
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
    let prior = obj(&[("forwarding_info", obj(&[("eip", TfValue::String("1.2.3.4".into()))]))]);
    let mut reading = Reading::default();
    let s = read_state(&FIELDS, &json!({"forwarding_info": {"enable_snat": false}}), &prior, &mut reading).unwrap();
    assert_eq!(get(&s["forwarding_info"], "eip"), &TfValue::Null, "an unbound EIP is gone, not kept");
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
    assert_eq!(s["port"], TfValue::Number(9092));
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
    let pair = |n: &str, v: &str| obj(&[("name", TfValue::String(n.into())), ("value", TfValue::String(v.into()))]);
    // Refresh: the configured names, in their order, with the current values.
    let prior = obj(&[("configs", TfValue::List(vec![pair("c", "old"), pair("a", "1")]))]);
    let s = state_from_api(&TOPIC, &answer, &prior).unwrap();
    assert_eq!(s["configs"], TfValue::List(vec![pair("c", "x"), pair("a", "1")]));
    // Nothing configured: nothing read.
    assert_eq!(state_from_api(&TOPIC, &answer, &NULL).unwrap()["configs"], TfValue::List(vec![]));
    // Import: what differs from the default.
    let mut reading = Reading { imported: true, unread: vec![] };
    let s = read_state(&TOPIC, &answer, &NULL, &mut reading).unwrap();
    assert_eq!(s["configs"], TfValue::List(vec![pair("b", "9")]));
}

#[test]
fn hour_minute_strips_zero_seconds() {
    assert_eq!(hour_minute("22:00:00", &TfValue::Null), "22:00");
    assert_eq!(hour_minute("22:00:30", &TfValue::Null), "22:00:30");
}

#[test]
fn body_omits_unset_and_keeps_types() {
    let state = obj(&[
        ("name", TfValue::String("a".into())),
        ("flavor", obj(&[("type", TfValue::String("s1".into())), ("size", TfValue::Number(2))])),
        ("tags", obj(&[("k", TfValue::String("v".into()))])),
        ("secret", TfValue::Null),
        ("status", TfValue::Unknown),
    ]);
    assert_eq!(
        body(&FIELDS, &state),
        json!({"name": "a", "flavor": {"type": "s1", "size": 2}, "tags": [{"key": "k", "value": "v"}]})
    );
}
