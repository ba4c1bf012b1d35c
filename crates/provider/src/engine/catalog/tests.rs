use serde_json::json;

use super::*;
use crate::resources::catalogs;
use crate::resources::dms_kafka_catalogs::FLAVORS;

fn filter(name: &str) -> &'static Filter {
    FLAVORS.filters.iter().find(|f| f.name == name).unwrap()
}

fn tf(v: Json) -> TfValue {
    TfValue::from_json(&v)
}

/// A flavor as read: one storage type per (io_spec, zones) pair.
fn flavor(kind: &str, arch: &[&str], charging: &[&str], ios: &[(&str, &[&str])]) -> TfValue {
    let ios: Vec<Json> = ios.iter().map(|(spec, zones)| json!({"io_spec": spec, "available_zones": zones})).collect();
    tf(json!({"type": kind, "arch_types": arch, "charging_modes": charging, "ios": ios}))
}

#[test]
fn item_filters_test_equality_and_membership() {
    let f = flavor("cluster", &["X86"], &["hourly", "monthly"], &[]);
    assert!(matches(&[], &f));
    assert!(matches(&[(filter("type"), "cluster")], &f));
    assert!(!matches(&[(filter("type"), "single")], &f));
    assert!(matches(&[(filter("arch_type"), "X86"), (filter("charging_mode"), "monthly")], &f));
    assert!(!matches(&[(filter("arch_type"), "ARM")], &f));
    assert!(!matches(&[(filter("charging_mode"), "yearly")], &f));
    // A list attribute the answer lacked matches no membership test.
    assert!(!matches(&[(filter("arch_type"), "X86")], &tf(json!({"type": "cluster"}))));
}

#[test]
fn filters_on_one_list_hold_for_the_same_element() {
    let ultra = "dms.physical.storage.ultra.v2";
    let high = "dms.physical.storage.high.v2";
    // Ultra only in zone a, high only in zone b.
    let f = flavor("cluster", &[], &[], &[(ultra, &["a"]), (high, &["b"])]);
    assert!(matches(&[(filter("storage_spec_code"), ultra)], &f));
    assert!(matches(&[(filter("availability_zone"), "b")], &f));
    assert!(matches(&[(filter("storage_spec_code"), ultra), (filter("availability_zone"), "a")], &f));
    // Both exist, but not in one element.
    assert!(!matches(&[(filter("storage_spec_code"), ultra), (filter("availability_zone"), "b")], &f));
    assert!(!matches(&[(filter("storage_spec_code"), "dms.physical.storage.extreme")], &f));
    assert!(!matches(&[(filter("availability_zone"), "c")], &f));
    // The query filter is the service's to apply.
    assert!(matches(&[(filter("product_id"), "anything")], &f));
    // Item and element filters together.
    assert!(!matches(&[(filter("type"), "single"), (filter("availability_zone"), "a")], &f));
}

#[test]
fn an_item_reads_its_limits_as_numbers_and_its_versions_from_text() {
    let answer = json!({"versions": ["2.7", "3.x"], "products": [{"type": "cluster", "product_id": "c6.2u4g.cluster",
        "charging_mode": ["hourly"], "ios": [{"io_spec": "s", "available_zones": ["z"], "unavailable_zones": []}],
        "properties": {"max_broker": "30", "min_broker": " 3 ", "engine_versions": "2.7, 3.x,", "max_tps_per_broker": ""}}]});
    let out = attributes(&FLAVORS, &answer).unwrap();
    assert_eq!(out["versions"], tf(json!(["2.7", "3.x"])));
    let TfValue::List(items) = &out["flavors"] else { panic!("no flavors: {out:?}") };
    let f = &items[0];
    assert_eq!((get(f, "max_broker"), get(f, "min_broker")), (&TfValue::Number(30), &TfValue::Number(3)));
    assert_eq!(get(f, "engine_versions"), &tf(json!(["2.7", "3.x"])));
    assert_eq!(get(f, "charging_modes"), &tf(json!(["hourly"])));
    // Empty text is no value; an absent limit neither.
    assert_eq!((get(f, "max_tps_per_broker"), get(f, "max_storage_per_node")), (&NULL, &NULL));
    assert_eq!(get(f, "arch_types"), &TfValue::List(vec![]));
}

#[test]
fn a_garbled_answer_names_the_item_and_the_member() {
    let bad = json!({"products": [{"type": "single"}, {"type": "cluster", "properties": {"max_broker": "thirty"}}]});
    let e = attributes(&FLAVORS, &bad).unwrap_err().to_string();
    assert!(e.contains("GET /v2/{engine}/products") && e.contains("products[1].properties.max_broker"), "{e}");
    assert!(e.contains("\"thirty\"") && e.contains("a whole number"), "{e}");
    let e = attributes(&FLAVORS, &json!({"products": ["x"]})).unwrap_err().to_string();
    assert!(e.contains("products[0]") && e.contains("an object"), "{e}");
    let e = attributes(&FLAVORS, &json!({"error_code": "DMS.1"})).unwrap_err().to_string();
    assert!(e.contains("expected the list \"products\""), "{e}");
    let e = attributes(&FLAVORS, &json!({"versions": "2.7", "products": []})).unwrap_err().to_string();
    assert!(e.contains("member versions"), "{e}");
}

/// The tables agree with their calls and their items: a query filter is a query parameter of the call,
/// every other names an attribute of the items (or of the elements of an item's object list), a comma
/// list is a list attribute of the items, and every name is used once.
#[test]
fn every_catalog_table_is_consistent() {
    use super::super::field::Kind;
    fn has(fields: &[Field], name: &str, list: bool) -> bool {
        fields.iter().any(|f| f.name == name && (!list || matches!(f.kind, Kind::List)))
    }
    for c in catalogs() {
        let items = c.items.nested().unwrap();
        assert!(matches!(c.items.kind, Kind::ObjectList(_)), "{}", c.name);
        assert!(!c.op.items.is_empty(), "{}: {} is no list call", c.name, c.op.label());
        let mut names: Vec<&str> = c.filters.iter().map(|f| f.name).chain(c.fields.iter().map(|f| f.name)).collect();
        names.push(c.items.name);
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n, "{}: a name is used twice", c.name);
        for f in c.filters {
            let ok = match f.rule {
                Match::Query => c.op.query.iter().any(|p| p.name == f.name),
                Match::Item(Test::Equals(a)) => has(items, a, false),
                Match::Item(Test::Contains(a)) => has(items, a, true),
                Match::Element(list, t) => {
                    items.iter().find(|i| i.name == list).and_then(Field::nested).is_some_and(|e| match t {
                        Test::Equals(a) => has(e, a, false),
                        Test::Contains(a) => has(e, a, true),
                    })
                }
            };
            assert!(ok, "{}: filter {} names no attribute of its kind", c.name, f.name);
            assert!(f.description(c).len() > f.desc.len());
        }
        for l in c.comma_lists {
            assert!(has(items, l, true), "{}: {l} is no list attribute of the items", c.name);
        }
        assert!(schema(c).block.attributes.contains_key(c.items.name));
        fn described(fields: &[Field], at: &str) {
            for f in fields {
                assert!(f.desc.len() > 5 && f.mode == super::super::field::Mode::Computed, "{at}{}", f.name);
                described(f.nested().unwrap_or_default(), &format!("{at}{}.", f.name));
            }
        }
        described(std::slice::from_ref(&c.items), &format!("{}.", c.name));
        described(c.fields, &format!("{}.", c.name));
    }
}
