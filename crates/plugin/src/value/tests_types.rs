//! Types in Terraform's JSON type encoding, numbers' canonical forms, and the types values imply.

use super::model::*;
use super::number::*;
use super::types::*;

fn parse(json: &str) -> Type {
    Type::from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e}"))
}

#[test]
fn types_round_trip_through_terraforms_json_encoding() {
    for json in [
        r#""string""#,
        r#""number""#,
        r#""bool""#,
        r#""dynamic""#,
        r#"["list","string"]"#,
        r#"["set",["list","number"]]"#,
        r#"["map","dynamic"]"#,
        r#"["tuple",["string","bool"]]"#,
        r#"["tuple",[]]"#,
        r#"["object",{"a":"string","b":["list","number"]}]"#,
        r#"["object",{"a":"string","b":["map","bool"],"c":"number"},["b","c"]]"#,
    ] {
        assert_eq!(String::from_utf8(parse(json).to_json()).unwrap(), json);
    }
}

#[test]
fn an_object_types_optional_attributes_are_kept() {
    let t = parse(r#"["object",{"name":"string","size":"number"},["size"]]"#);
    let Type::Object { attributes, optional } = t else { panic!("not an object: {t:?}") };
    assert_eq!(attributes.get("name"), Some(&Type::String));
    assert_eq!(optional.into_iter().collect::<Vec<_>>(), ["size"]);
}

#[test]
fn attribute_order_and_spacing_do_not_matter_when_parsing() {
    let written = parse(r#"[ "object" , { "b" : "bool", "a" : [ "list" , "string" ] } ]"#);
    assert_eq!(written, Type::object([("a", Type::list(Type::String)), ("b", Type::Bool)]));
}

#[test]
fn what_is_not_a_type_is_refused() {
    for json in [
        r#""integer""#,
        r#"[]"#,
        r#"["list"]"#,
        r#"["list","string","bool"]"#,
        r#"["tuple","string"]"#,
        r#"["object",["a"]]"#,
        r#"["object",{"a":"string"},["a"],[]]"#,
        r#"17"#,
        r#"["list""#,
    ] {
        assert!(Type::from_json(json.as_bytes()).is_err(), "{json} was taken for a type");
    }
    let err = Type::from_json(br#"["object",{"a":"string"},["b"]]"#).unwrap_err();
    assert_eq!(err.to_string(), r#"optional attribute "b" is not an attribute of the object type"#);
}

fn number(text: &str) -> Number {
    Number::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn numbers_take_one_canonical_form_however_written() {
    assert_eq!(number("42").repr(), NumberRepr::Int(42));
    assert_eq!(number("2e3").repr(), NumberRepr::Int(2000));
    assert_eq!(number("-0.0").repr(), NumberRepr::Int(0));
    assert_eq!(number("1.50").repr(), NumberRepr::Float(1.5));
    assert_eq!(number("15E-1"), number("1.5"));
    assert_eq!(number("-9223372036854775808").repr(), NumberRepr::Int(i64::MIN));
    assert_eq!(number("18446744073709551615").repr(), NumberRepr::UInt(u64::MAX));
    // 2^64: past u64, but a float64 holds it exactly.
    assert_eq!(number("18446744073709551616").repr(), NumberRepr::Float(18_446_744_073_709_551_616.0));
    assert_eq!(number("18446744073709551617").repr(), NumberRepr::Decimal("18446744073709551617"));
    // 0.1 has no exact float64; Terraform sends it as text and so must the provider.
    assert_eq!(number("0.10").repr(), NumberRepr::Decimal("0.1"));
    assert_eq!(number("-1e-3").repr(), NumberRepr::Decimal("-0.001"));
    assert_eq!(number("12345.6789e2").repr(), NumberRepr::Decimal("1234567.89"));
    assert_eq!(number("1e400").to_string(), format!("1{}", "0".repeat(400)));
    assert_eq!(Number::from_f64(1.0), Some(Number::from(1)));
    assert_eq!(Number::from_f64(-0.0), Some(Number::from(0)));
    assert_eq!(Number::from_f64(f64::NAN), None);
    assert_eq!(Number::from(u64::MAX).as_u64(), Some(u64::MAX));
    assert_eq!(Number::from(u64::MAX).as_i64(), None);
}

#[test]
fn numbers_print_their_exact_value() {
    assert_eq!(number("1.5").to_string(), "1.5");
    assert_eq!(number("-0.25").to_string(), "-0.25");
    assert_eq!(Number::from_f64(0.1).unwrap().to_string(), "0.1000000000000000055511151231257827021181583404541015625");
    assert_eq!(Number::from_f64(f64::INFINITY).unwrap().to_string(), "inf");
    assert!(number("3").is_integer() && number("1e30").is_integer() && !number("0.5").is_integer());
    assert_eq!(number("0.1").to_f64(), 0.1);
}

#[test]
fn what_is_not_a_number_is_refused() {
    for text in ["", "-", ".", "abc", "1e", "1.2.3", "0x10", "1e99999999999999999999", "1e5000", "1e-5000"] {
        assert!(Number::parse(text).is_err(), "{text:?} was taken for a number");
    }
}

#[test]
fn values_imply_their_type_with_nulls_giving_way() {
    let v = Value::List(vec![
        Value::object([("a", Value::Null), ("b", Value::from(1))]),
        Value::object([("a", Value::from("x")), ("b", Value::Unknown)]),
    ]);
    assert_eq!(v.implied_type().unwrap(), Type::list(Type::object([("a", Type::String), ("b", Type::Number)])));
    assert_eq!(Value::Set(vec![]).implied_type().unwrap(), Type::set(Type::Dynamic));
    let mixed = Value::map([("x", Value::from(1)), ("y", Value::from("one"))]);
    assert_eq!(
        mixed.implied_type().unwrap_err().to_string(),
        r#"["y"]: elements of a collection must have one type; this one differs from those before it"#
    );
}
