//! msgpack as Terraform writes it, fixtures written by hand from the msgpack specification.

use super::model::*;
use super::msgpack::*;
use super::number::*;
use super::types::*;

/// Bytes from hex pairs, spaces ignored; `'text'` stands for the text's bytes.
fn bytes(spec: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, part) in spec.split('\'').enumerate() {
        if i % 2 == 1 {
            out.extend_from_slice(part.as_bytes());
        } else {
            let hex: String = part.split_whitespace().collect();
            out.extend((0..hex.len()).step_by(2).map(|j| u8::from_str_radix(&hex[j..j + 2], 16).unwrap()));
        }
    }
    out
}

fn decode(spec: &str, ty: &Type) -> Value {
    from_msgpack(&bytes(spec), ty).unwrap_or_else(|e| panic!("{e}"))
}

/// Decodes the fixture to `expected`, and encodes `expected` back to the very same bytes.
fn both_ways(spec: &str, ty: &Type, expected: Value) {
    assert_eq!(decode(spec, ty), expected);
    assert_eq!(to_msgpack(&expected, ty).unwrap(), bytes(spec));
}

fn error(spec: &str, ty: &Type) -> String {
    from_msgpack(&bytes(spec), ty).unwrap_err().to_string()
}

#[test]
fn an_object_with_a_null_and_an_unknown() {
    let ty = Type::object([("a", Type::String), ("b", Type::String), ("c", Type::Number), ("d", Type::Bool)]);
    both_ways(
        "84 a1'a' a2'hi' a1'b' c0 a1'c' 2a a1'd' d4 00 00",
        &ty,
        Value::object([("a", Value::from("hi")), ("b", Value::Null), ("c", Value::from(42)), ("d", Value::Unknown)]),
    );
    // An attribute left out reads as null, and is written out as nil.
    let read = decode("81 a1'a' a2'hi'", &ty);
    assert_eq!(read.attr("b"), Some(&Value::Null));
    assert_eq!(read.attr("d"), Some(&Value::Null));
}

#[test]
fn a_nested_list_of_objects() {
    let ty = Type::object([("listeners", Type::list(Type::object([("name", Type::String), ("port", Type::Number)])))]);
    let listener = |name: &str, port: i64| Value::object([("name", Value::from(name)), ("port", Value::from(port))]);
    both_ways(
        "81 a9'listeners' 92 82 a4'name' a1'x' a4'port' cd 23 28 82 a4'name' a1'y' a4'port' 7b",
        &ty,
        Value::object([("listeners", Value::List(vec![listener("x", 9000), listener("y", 123)]))]),
    );
}

#[test]
fn a_set_of_strings_a_map_and_a_tuple() {
    both_ways("92 a1'a' a1'b'", &Type::set(Type::String), Value::Set(vec!["a".into(), "b".into()]));
    both_ways("90", &Type::set(Type::String), Value::Set(vec![]));
    both_ways(
        "82 a3'env' a4'prod' a4'team' c0",
        &Type::map(Type::String),
        Value::map([("env", Value::from("prod")), ("team", Value::Null)]),
    );
    both_ways(
        "93 a1'a' c3 ff",
        &Type::Tuple(vec![Type::String, Type::Bool, Type::Number]),
        Value::Tuple(vec!["a".into(), true.into(), Value::from(-1)]),
    );
}

#[test]
fn numbers_in_every_form_terraform_uses() {
    let n = |text: &str| Value::Number(Number::parse(text).unwrap());
    // 2^64 + 1: no int or float64 holds it, so it travels as its digits.
    both_ways("b4 '18446744073709551617'", &Type::Number, n("18446744073709551617"));
    both_ways("cb 3f f8 00 00 00 00 00 00", &Type::Number, n("1.5"));
    both_ways("a3 '0.1'", &Type::Number, n("0.1"));
    both_ways("cb 43 f0 00 00 00 00 00 00", &Type::Number, n("18446744073709551616"));
    both_ways("cf ff ff ff ff ff ff ff ff", &Type::Number, Value::from(u64::MAX));
    both_ways("00", &Type::Number, Value::from(0));
    both_ways("7f", &Type::Number, Value::from(127));
    both_ways("cc 80", &Type::Number, Value::from(128));
    both_ways("cd 01 2c", &Type::Number, Value::from(300));
    both_ways("e0", &Type::Number, Value::from(-32));
    both_ways("d0 df", &Type::Number, Value::from(-33));
    both_ways("d1 ff 38", &Type::Number, Value::from(-200));
    both_ways("d3 80 00 00 00 00 00 00 00", &Type::Number, Value::from(i64::MIN));
    // Wider forms than needed, and integral floats, are read as the same numbers.
    assert_eq!(decode("d3 00 00 00 00 00 00 00 05", &Type::Number), Value::from(5));
    assert_eq!(decode("cf 00 00 00 00 00 00 00 05", &Type::Number), Value::from(5));
    assert_eq!(decode("cb 40 14 00 00 00 00 00 00", &Type::Number), Value::from(5));
    assert_eq!(decode("ca 3f c0 00 00", &Type::Number), n("1.5"));
    assert_eq!(decode("a4 '1e+3'", &Type::Number), Value::from(1000));
    assert_eq!(error("cb 7f f8 00 00 00 00 00 00", &Type::Number), "NaN is not a number");
    assert_eq!(error("a3 'abc'", &Type::Number), r#""abc" is not a number"#);
}

#[test]
fn dynamic_values_carry_their_type() {
    let ty = Type::object([("v", Type::Dynamic)]);
    both_ways("81 a1'v' 92 c4 08 '\"string\"' a2'hi'", &ty, Value::object([("v", "hi".into())]));
    both_ways(
        "81 a1'v' 92 c4 11 '[\"list\",\"number\"]' 92 01 02",
        &ty,
        Value::object([("v", Value::List(vec![Value::from(1), Value::from(2)]))]),
    );
    both_ways(
        "81 a1'v' 92 c4 1a '[\"object\",{\"a\":\"dynamic\"}]' 81 a1'a' c0",
        &ty,
        Value::object([("v", Value::object([("a", Value::Null)]))]),
    );
    both_ways("81 a1'v' c0", &ty, Value::object([("v", Value::Null)]));
    both_ways("81 a1'v' d4 00 00", &ty, Value::object([("v", Value::Unknown)]));
    // The type's JSON as a str rather than bin is read the same.
    assert_eq!(decode("92 a8 '\"string\"' a2'hi'", &Type::Dynamic), Value::from("hi"));
    assert_eq!(error("92 c4 09 '\"integer\"' 01", &Type::Dynamic), r#"not a type: "integer""#);
    assert_eq!(error("92 c4 08 '\"string\"' 01", &Type::Dynamic), "expected a string, got an integer");
    assert_eq!(error("91 01", &Type::Dynamic), "expected a value of any type, got an array of 1");
}

#[test]
fn unknowns_in_every_extension_form_refinements_ignored() {
    for spec in [
        "d4 00 00",
        "d5 00 00 00",
        "c7 00 00",
        // Type 12: an unknown with refinements, here {1: false}, "not null".
        "c7 03 0c 81 01 c2",
        "d6 0c 81 01 c2 00",
    ] {
        assert_eq!(decode(spec, &Type::String), Value::Unknown, "{spec}");
    }
    assert_eq!(error("d4 05 00", &Type::String), "expected a string, got an extension of type 5");
    assert!(!Value::List(vec![Value::Unknown]).is_wholly_known());
}

#[test]
fn every_type_round_trips() {
    let ty = Type::object([
        ("s", Type::String),
        ("n", Type::Number),
        ("b", Type::Bool),
        ("l", Type::list(Type::Number)),
        ("set", Type::set(Type::object([("k", Type::String)]))),
        ("m", Type::map(Type::list(Type::Bool))),
        ("t", Type::Tuple(vec![Type::String, Type::Dynamic])),
        ("d", Type::Dynamic),
        ("o", Type::object([("inner", Type::map(Type::Number))])),
    ]);
    let value = Value::object([
        ("s", Value::from("ü ".repeat(40))),
        ("n", Value::Number(Number::parse("-123456789012345678901234567890.5").unwrap())),
        ("b", false.into()),
        ("l", Value::List((0..20).map(|i| Value::from(i * 1000 - 7000)).collect())),
        ("set", Value::Set(vec![Value::object([("k", Value::Unknown)])])),
        ("m", Value::map([("x", Value::List(vec![true.into(), Value::Null]))])),
        ("t", Value::Tuple(vec!["a".into(), Value::Tuple(vec![Value::from(1), "b".into()])])),
        ("d", Value::map([("deep", Value::List(vec![Value::Null, Value::from("2.5")]))])),
        ("o", Value::object([("inner", Value::map([("big", Value::from(u64::MAX))]))])),
    ]);
    let encoded = to_msgpack(&value, &ty).unwrap();
    assert_eq!(from_msgpack(&encoded, &ty).unwrap(), value);
    assert_eq!(from_msgpack(&[], &ty).unwrap(), Value::Null);
}

#[test]
fn decode_errors_name_the_attribute_path() {
    let ty = Type::object([
        ("tags", Type::map(Type::String)),
        ("rules", Type::list(Type::object([("port", Type::Number)]))),
        ("pair", Type::Tuple(vec![Type::String, Type::String])),
    ]);
    assert_eq!(error("81 a4'tags' 81 a3'env' 05", &ty), r#".tags["env"]: expected a string, got an integer"#);
    assert_eq!(
        error("81 a5'rules' 92 81 a4'port' 01 81 a4'port' c3", &ty),
        ".rules[1].port: expected a number, got a bool"
    );
    assert_eq!(error("81 a5'rules' 91 81 a3'prt' 01", &ty), r#".rules[0]: unsupported attribute "prt""#);
    assert_eq!(error("81 a4'pair' 91 a1'a'", &ty), ".pair: expected a tuple of 2, got an array of 1");
    assert_eq!(error("92 01 02", &ty), "expected an object, got an array of 2");
    assert_eq!(error("81 a4'tags' 81 01 a1'x'", &ty), ".tags: expected a string key, got an integer");
    assert_eq!(error("81 a4'tags' 81 a3'env'", &ty), ".tags[\"env\"]: the msgpack ends in the middle of a value");
    assert_eq!(error("dd ff ff ff ff", &Type::list(Type::Bool)), "[0]: the msgpack ends in the middle of a value");
    assert_eq!(error("c0 c0", &ty), "the value is followed by 1 more byte(s)");
    assert_eq!(error("c1", &ty), "byte 0xc1 is not msgpack");
    assert_eq!(error("a2 ff fe", &Type::String), "a string is not valid UTF-8");
}

#[test]
fn dynamic_values_nested_without_end_are_refused_not_overflowed() {
    let spec = "92 a9 '\"dynamic\"' ".repeat(10_000) + "c0";
    assert_eq!(error(&spec, &Type::Dynamic), "values nest deeper than 256 levels");
}

#[test]
fn encode_errors_name_the_attribute_path() {
    let ty = Type::object([("tags", Type::map(Type::String)), ("ids", Type::set(Type::Number))]);
    let encode_error = |v: Value| to_msgpack(&v, &ty).unwrap_err().to_string();
    assert_eq!(
        encode_error(Value::object([("tags", Value::map([("env", Value::from(1))]))])),
        r#".tags["env"]: expected a string, got a number"#
    );
    assert_eq!(encode_error(Value::object([("ids", Value::List(vec![]))])), ".ids: expected a set, got a list");
    assert_eq!(encode_error(Value::object([("extra", Value::Null)])), r#"unsupported attribute "extra""#);
    let mixed = Value::List(vec![Value::from(1), Value::from("x")]);
    assert_eq!(
        to_msgpack(&Value::object([("v", mixed)]), &Type::object([("v", Type::Dynamic)])).unwrap_err().to_string(),
        ".v[1]: elements of a collection must have one type; this one differs from those before it"
    );
}
