//! The generated messages encode as protocol 6.8 says: each expected byte string below is written by hand
//! from the protocol's field numbers and wire types (tag = number << 3 | wire type; 0 varint, 2 length).

use prost::Message;
use tfplugin::proto::health::{health_check_response::ServingStatus, HealthCheckRequest, HealthCheckResponse};
use tfplugin::proto::plugin::{stdio_data::Channel, StdioData};
use tfplugin::proto::tfplugin6::{
    apply_resource_change, attribute_path, configure_provider, deferred, diagnostic, get_provider_schema,
    open_ephemeral_resource, schema, stop_provider, AttributePath, ClientCapabilities, Diagnostic, DynamicValue,
    Function, Schema, ServerCapabilities, StringKind,
};

/// Encodes `message`, checks the bytes, and checks that the bytes decode back to the same message.
fn assert_wire<M: Message + Default + PartialEq + std::fmt::Debug>(message: &M, expected: &[u8]) {
    assert_eq!(message.encode_to_vec(), expected, "encoding of {message:?}");
    assert_eq!(&M::decode(expected).expect("decodes"), message);
}

fn step(selector: attribute_path::step::Selector) -> attribute_path::Step {
    attribute_path::Step { selector: Some(selector) }
}

#[test]
fn a_diagnostic_carries_severity_summary_detail_and_a_path() {
    use attribute_path::step::Selector;
    let diagnostic = Diagnostic {
        severity: diagnostic::Severity::Error as i32,
        summary: "s".into(),
        detail: "d".into(),
        attribute: Some(AttributePath {
            steps: vec![
                step(Selector::AttributeName("a".into())),
                step(Selector::ElementKeyString("k".into())),
                step(Selector::ElementKeyInt(3)),
            ],
        }),
    };
    #[rustfmt::skip]
    let expected = [
        0x08, 0x01,             // 1 severity = ERROR
        0x12, 0x01, b's',       // 2 summary
        0x1a, 0x01, b'd',       // 3 detail
        0x22, 0x0e,             // 4 attribute: AttributePath
        0x0a, 0x03,             //   1 steps[0]
        0x0a, 0x01, b'a',       //     1 attribute_name
        0x0a, 0x03,             //   1 steps[1]
        0x12, 0x01, b'k',       //     2 element_key_string
        0x0a, 0x02,             //   1 steps[2]
        0x18, 0x03,             //     3 element_key_int
    ];
    assert_wire(&diagnostic, &expected);
}

#[test]
fn a_provider_schema_with_a_write_only_attribute() {
    let attribute = schema::Attribute {
        name: "p".into(),
        r#type: br#""string""#.to_vec(),
        optional: true,
        sensitive: true,
        write_only: true,
        ..Default::default()
    };
    let resource =
        Schema { version: 1, block: Some(schema::Block { attributes: vec![attribute], ..Default::default() }) };
    let response = get_provider_schema::Response {
        resource_schemas: [("r".to_string(), resource)].into(),
        functions: [("f".to_string(), Function { summary: "x".into(), ..Default::default() })].into(),
        server_capabilities: Some(ServerCapabilities {
            plan_destroy: true,
            get_provider_schema_optional: false,
            move_resource_state: true,
        }),
        ..Default::default()
    };
    #[rustfmt::skip]
    let expected = [
        0x12, 0x1e,                     // 2 resource_schemas: map entry
        0x0a, 0x01, b'r',               //   1 key
        0x12, 0x19,                     //   2 value: Schema
        0x08, 0x01,                     //     1 version
        0x12, 0x15,                     //     2 block
        0x12, 0x13,                     //       2 attributes[0]
        0x0a, 0x01, b'p',               //         1 name
        0x12, 0x08, b'"', b's', b't', b'r', b'i', b'n', b'g', b'"', // 2 type (JSON)
        0x28, 0x01,                     //         5 optional
        0x38, 0x01,                     //         7 sensitive
        0x58, 0x01,                     //         11 write_only
        0x32, 0x04,                     // 6 server_capabilities
        0x08, 0x01,                     //   1 plan_destroy
        0x18, 0x01,                     //   3 move_resource_state
        0x3a, 0x08,                     // 7 functions: map entry
        0x0a, 0x01, b'f',               //   1 key
        0x12, 0x03,                     //   2 value: Function
        0x22, 0x01, b'x',               //     4 summary
    ];
    assert_wire(&response, &expected);
}

#[test]
fn an_apply_request_carries_its_values_as_dynamic_values() {
    let msgpack = |bytes: &[u8]| Some(DynamicValue { msgpack: bytes.to_vec(), json: vec![] });
    let request = apply_resource_change::Request {
        type_name: "t".into(),
        prior_state: msgpack(&[0xc0]),
        planned_state: msgpack(&[0x81, 0xa1, b'a', 0x01]),
        config: Some(DynamicValue { msgpack: vec![], json: b"{}".to_vec() }),
        planned_private: b"p".to_vec(),
        provider_meta: msgpack(&[0xc0]),
    };
    #[rustfmt::skip]
    let expected = [
        0x0a, 0x01, b't',                         // 1 type_name
        0x12, 0x03, 0x0a, 0x01, 0xc0,             // 2 prior_state { 1 msgpack: nil }
        0x1a, 0x06, 0x0a, 0x04, 0x81, 0xa1, b'a', 0x01, // 3 planned_state { 1 msgpack: {"a": 1} }
        0x22, 0x04, 0x12, 0x02, b'{', b'}',       // 4 config { 2 json }
        0x2a, 0x01, b'p',                         // 5 planned_private
        0x32, 0x03, 0x0a, 0x01, 0xc0,             // 6 provider_meta
    ];
    assert_wire(&request, &expected);
}

#[test]
fn configure_carries_the_client_capabilities() {
    let request = configure_provider::Request {
        terraform_version: "1.11.4".into(),
        config: None,
        client_capabilities: Some(ClientCapabilities { deferral_allowed: true, write_only_attributes_allowed: true }),
    };
    #[rustfmt::skip]
    let expected = [
        0x0a, 0x06, b'1', b'.', b'1', b'1', b'.', b'4', // 1 terraform_version
        0x1a, 0x04, 0x08, 0x01, 0x10, 0x01,           // 3 { 1 deferral_allowed, 2 write_only_attributes_allowed }
    ];
    assert_wire(&request, &expected);
}

#[test]
fn optional_fields_keep_their_presence() {
    // An empty private blob that is present is sent; an absent one is not.
    let present = open_ephemeral_resource::Response {
        renew_at: Some(prost_types::Timestamp { seconds: 1, nanos: 0 }),
        private: Some(vec![]),
        deferred: Some(tfplugin::proto::tfplugin6::Deferred { reason: deferred::Reason::AbsentPrereq as i32 }),
        ..Default::default()
    };
    #[rustfmt::skip]
    let expected = [
        0x12, 0x02, 0x08, 0x01, // 2 renew_at { 1 seconds }
        0x22, 0x00,             // 4 private, present and empty
        0x2a, 0x02, 0x08, 0x03, // 5 deferred { 1 reason = ABSENT_PREREQ }
    ];
    assert_wire(&present, &expected);
    assert_wire(&open_ephemeral_resource::Response::default(), &[]);
}

#[test]
fn stop_answers_with_its_capitalised_error_field() {
    assert_wire(&stop_provider::Response { error: "e".into() }, &[0x0a, 0x01, b'e']);
}

#[test]
fn enums_have_the_protocols_values() {
    assert_eq!(diagnostic::Severity::Warning as i32, 2);
    assert_eq!(StringKind::Markdown as i32, 1);
    assert_eq!(schema::nested_block::NestingMode::Group as i32, 5);
    assert_eq!(schema::object::NestingMode::Map as i32, 4);
    assert_eq!(deferred::Reason::ProviderConfigUnknown as i32, 2);
    assert_eq!(Channel::Stderr as i32, 2);
    assert_eq!(ServingStatus::ServiceUnknown as i32, 3);
}

#[test]
fn go_plugin_and_health_messages() {
    let stdio = StdioData { channel: Channel::Stderr as i32, data: b"x".to_vec() };
    assert_wire(&stdio, &[0x08, 0x02, 0x12, 0x01, b'x']);
    let check = HealthCheckRequest { service: "plugin".into() };
    assert_wire(&check, &[0x0a, 0x06, b'p', b'l', b'u', b'g', b'i', b'n']);
    let serving = HealthCheckResponse { status: ServingStatus::Serving as i32 };
    assert_wire(&serving, &[0x08, 0x01]);
}
