//! JSON as Terraform sends it for raw state: objects shaped like a resource's state, numbers of any size.

use super::json::*;
use super::model::*;
use super::msgpack::*;
use super::number::*;
use super::types::*;

fn state_type() -> Type {
    Type::object([
        ("id", Type::String),
        ("partitions", Type::Number),
        ("retention_bytes", Type::Number),
        ("ratio", Type::Number),
        ("enabled", Type::Bool),
        ("tags", Type::map(Type::String)),
        ("brokers", Type::list(Type::object([("host", Type::String), ("port", Type::Number)]))),
        ("zones", Type::set(Type::String)),
        ("added_later", Type::String),
    ])
}

fn error(json: &str, ty: &Type) -> String {
    from_json(json.as_bytes(), ty).unwrap_err().to_string()
}

#[test]
fn a_state_shaped_object_with_a_big_number() {
    let json = r#"{
        "id": "kafka-1",
        "partitions": 3,
        "retention_bytes": 18446744073709551617,
        "ratio": 0.1,
        "enabled": true,
        "tags": {"env": "prod", "caf\u00e9": "\ud83d\ude00"},
        "brokers": [{"host": "b-1", "port": 9092}, {"host": "b-2", "port": 9.093e3}],
        "zones": ["az1", "az2"]
    }"#;
    let value = from_json(json.as_bytes(), &state_type()).unwrap();
    let broker = |host: &str, port: i64| Value::object([("host", Value::from(host)), ("port", Value::from(port))]);
    let expected = Value::object([
        ("id", Value::from("kafka-1")),
        ("partitions", Value::from(3)),
        ("retention_bytes", Value::Number(Number::parse("18446744073709551617").unwrap())),
        ("ratio", Value::Number(Number::parse("0.1").unwrap())),
        ("enabled", Value::from(true)),
        ("tags", Value::map([("env", Value::from("prod")), ("café", Value::from("😀"))])),
        ("brokers", Value::List(vec![broker("b-1", 9092), broker("b-2", 9093)])),
        ("zones", Value::Set(vec!["az1".into(), "az2".into()])),
        // Missing from older state: null.
        ("added_later", Value::Null),
    ]);
    assert_eq!(value, expected);
    let big = value.attr("retention_bytes").and_then(Value::as_number).unwrap();
    assert_eq!(big.repr(), NumberRepr::Decimal("18446744073709551617"));
    // And on to Terraform as msgpack, the big number as its digits.
    let msgpack = to_msgpack(&value, &state_type()).unwrap();
    assert!(msgpack.windows(21).any(|w| w == b"\xb418446744073709551617"));
    assert_eq!(from_msgpack(&msgpack, &state_type()).unwrap(), expected);
}

#[test]
fn strings_numbers_and_bools_convert_as_terraform_converts_them() {
    let ty = Type::object([("s", Type::String), ("n", Type::Number), ("b", Type::Bool)]);
    let value = from_json(br#"{"s": 1.50, "n": "12", "b": "false"}"#, &ty).unwrap();
    assert_eq!(value, Value::object([("s", "1.5".into()), ("n", Value::from(12)), ("b", false.into())]));
    assert_eq!(from_json(br#"{"s": true}"#, &ty).unwrap().attr("s"), Some(&Value::from("true")));
    assert_eq!(error(r#"{"b": "yes"}"#, &ty), ".b: expected a bool, got a string");
    assert_eq!(error(r#"{"n": "many"}"#, &ty), r#".n: "many" is not a number"#);
}

#[test]
fn dynamic_values_carry_their_type_in_either_order() {
    let ty = Type::object([("v", Type::Dynamic), ("w", Type::Dynamic), ("x", Type::Dynamic)]);
    let value = from_json(
        br#"{"v": {"value": ["a"], "type": ["list","string"]},
             "w": {"type": ["object",{"n":"number"}], "value": {"n": 1e30}},
             "x": null}"#,
        &ty,
    )
    .unwrap();
    assert_eq!(value.attr("v"), Some(&Value::List(vec!["a".into()])));
    let n = value.attr("w").and_then(|w| w.attr("n")).and_then(Value::as_number).unwrap();
    assert_eq!(n.to_string(), format!("1{}", "0".repeat(30)));
    assert_eq!(value.attr("x"), Some(&Value::Null));
    assert_eq!(error(r#"{"v": {"value": 1}}"#, &ty), ".v: a dynamic value needs both value and type");
    assert_eq!(
        error(r#"{"v": {"value": 1, "type": "number", "extra": 2}}"#, &ty),
        r#".v: a dynamic value has no attribute "extra", only value and type"#
    );
    assert_eq!(error(r#"{"v": {"value": [1], "type": "string"}}"#, &ty), ".v: expected a string, got an array");
}

#[test]
fn decode_errors_name_the_attribute_path() {
    let ty = state_type();
    assert_eq!(error(r#"{"tags": {"env": ["prod"]}}"#, &ty), r#".tags["env"]: expected a string, got an array"#);
    assert_eq!(
        error(r#"{"brokers": [{"host": "a"}, {"host": 7, "port": {}}]}"#, &ty),
        ".brokers[1].port: expected a number, got an object"
    );
    assert_eq!(error(r#"{"brokers": [{"hots": "a"}]}"#, &ty), r#".brokers[0]: unsupported attribute "hots""#);
    assert_eq!(error(r#"[1]"#, &ty), "expected an object, got an array");
    assert_eq!(error(r#"[1, 2]"#, &Type::Tuple(vec![Type::Number])), "expected a tuple of 1, got an array of 2");
}

#[test]
fn malformed_json_is_refused_with_its_position() {
    let ty = Type::list(Type::Number);
    assert_eq!(error("[01]", &ty), "invalid JSON at byte 3: a number cannot start with 0");
    assert_eq!(error("[1.]", &ty), "invalid JSON at byte 3: expected a digit after the point");
    assert_eq!(error("[1e]", &ty), "invalid JSON at byte 3: expected a digit in the exponent");
    assert_eq!(error("[-]", &ty), "invalid JSON at byte 2: expected a digit");
    assert_eq!(error("[1 2]", &ty), "invalid JSON at byte 3: expected , or ]");
    assert_eq!(error("[1] x", &ty), "invalid JSON at byte 4: text after the JSON value");
    assert_eq!(error("[nul]", &ty), "invalid JSON at byte 1: expected a value");
    assert_eq!(error(r#"{"a" 1}"#, &Type::map(Type::Number)), "invalid JSON at byte 5: expected :");
    assert_eq!(error(r#"{1: 1}"#, &Type::map(Type::Number)), "invalid JSON at byte 1: expected a member name");
    assert_eq!(error(r#"["\"]"#, &Type::list(Type::String)), "invalid JSON at byte 5: a string does not end");
    assert!(error(r#"["\q"]"#, &Type::list(Type::String)).starts_with("invalid JSON at byte 1: "));
    assert!(error("[\"\u{1}\"]", &Type::list(Type::String)).starts_with("invalid JSON at byte 1: "));
    assert_eq!(
        error(&"[".repeat(10_000), &Type::Dynamic),
        "invalid JSON at byte 256: values nest deeper than 256 levels"
    );
    assert!(from_json(b"\xff", &ty).unwrap_err().to_string().starts_with("JSON is not valid UTF-8"));
    assert_eq!(from_json(b"  ", &ty).unwrap(), Value::Null);
    assert_eq!(from_json(b" [ ] ", &ty).unwrap(), Value::List(vec![]));
}
