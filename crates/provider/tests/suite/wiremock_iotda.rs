//! Each IoTDA call pinned exactly: method, path, signed headers and body, against a scripted server.

use crate::common;

use common::api::{self, signed, tf, PID};
use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Existing, Hooks};
use hwprovider::resources::iotda_instance::IotdaInstance;
use serde_json::{json, Value};
use tfplugin::framework::TfValue;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "8561675c-d8a3-4956-9884-9cf9cbdd3134";

fn base() -> String {
    format!("/v5/iot/{PID}/iotda-instances")
}

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Iotda, "cn-north-4")
}

fn plan() -> TfValue {
    tf(json!({
        "instance_type": "enterprise",
        "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice", "size": null},
        "name": "tf-iotda",
        "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
        "description": "IoTDA instance for production.",
        "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
        "tags": {"testTagName": "testTagValue"},
        "additional_params": [{
            "vpc_id": "40926909-d411-45dd-a8b4-1ebc36512345",
            "subnet_id": "088c7d8a-f49e-4f5f-bd33-ce9b6b712345",
            "security_group_id": "55980b43-f006-4dbf-ab58-9b0d9e712345",
            "smn_topic_urn": "urn:smn:cn-north-7:08aaee8ae000d5182f26c00199812345:iotda_instance_create",
            "ciphering_algorithm": "COMMON_ALGORITHM",
            "port_info": {"app_https_port": 443, "app_amqps_port": 5671, "device_coap_port": 5683, "device_coaps_port": 5684,
                          "device_mqtt_port": 1883, "device_mqtts_port": 8883, "device_https_port": null}
        }],
        "status": null, "id": null, "timeouts": null
    }))
}

/// The seed's enterprise example, with booleans and integers as the tables type them and unset fields omitted.
fn expected_create_body() -> Value {
    json!({
        "instance_type": "enterprise",
        "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice"},
        "name": "tf-iotda",
        "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
        "description": "IoTDA instance for production.",
        "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
        "tags": [{"key": "testTagName", "value": "testTagValue"}],
        "additional_params": {
            "vpc_id": "40926909-d411-45dd-a8b4-1ebc36512345",
            "subnet_id": "088c7d8a-f49e-4f5f-bd33-ce9b6b712345",
            "security_group_id": "55980b43-f006-4dbf-ab58-9b0d9e712345",
            "smn_topic_urn": "urn:smn:cn-north-7:08aaee8ae000d5182f26c00199812345:iotda_instance_create",
            "ciphering_algorithm": "COMMON_ALGORITHM",
            "port_info": {"app_https_port": 443, "app_amqps_port": 5671, "device_coap_port": 5683, "device_coaps_port": 5684,
                          "device_mqtt_port": 1883, "device_mqtts_port": 8883}
        }
    })
}

#[tokio::test]
async fn create_sends_the_table_body_exactly_once_and_returns_the_id() {
    let server = MockServer::start().await;
    signed(Mock::given(method("POST")).and(path(base())).and(body_json(expected_create_body())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "CREATING"})))
        .expect(1)
        .mount(&server)
        .await;
    let id = IotdaInstance.create(&ctx(&server), &plan()).await.unwrap().id;
    assert_eq!(id, ID);
    let received = &server.received_requests().await.unwrap()[0];
    let auth = received.headers.get("authorization").unwrap().to_str().unwrap();
    assert!(auth.starts_with("SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature="), "{auth}");
}

#[tokio::test]
async fn wait_polls_show_until_active() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{}/{ID}", base())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "CREATING"})))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    signed(Mock::given(method("GET")).and(path(format!("{}/{ID}", base()))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "ACTIVE"})))
        .expect(1)
        .mount(&server)
        .await;
    IotdaInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap();
}

#[tokio::test]
async fn a_failed_create_reports_the_failed_task_detail() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{}/{ID}", base())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "FAILED"})))
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(format!("{}/{ID}/tasks", base())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tasks": [
            {"task_id": "t1", "type": "CREATE", "status": "FAILED", "status_detail": "subnet has no free IP", "create_time": "2025-01-02T03:04:05.000Z"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    let err = IotdaInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap_err().to_string();
    assert_eq!(
        err,
        "the instance entered status \"FAILED\" while waiting for ACTIVE: CREATE task failed: subnet has no free IP"
    );
}

#[tokio::test]
async fn read_maps_403_iotda_001000_to_gone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("{}/{ID}", base())))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error_code": "IOTDA.001000", "error_msg": "The resource is not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert!(IotdaInstance.read(&ctx(&server), ID).await.unwrap().is_none());
}

#[tokio::test]
async fn update_sends_put_tags_and_resize_calls_with_exact_bodies() {
    let server = MockServer::start().await;
    let inst = format!("{}/{ID}", base());
    let calls = [
        ("PUT", inst.clone(), json!({"name": "renamed", "description": ""})),
        (
            "POST",
            format!("{inst}/unbind-tags"),
            json!({"tags": [{"key": "a", "value": "1"}, {"key": "gone", "value": "x"}]}),
        ),
        (
            "POST",
            format!("{inst}/bind-tags"),
            json!({"tags": [{"key": "a", "value": "2"}, {"key": "new", "value": ""}]}),
        ),
        ("POST", format!("{inst}/resize"), json!({"flavor": {"type": "iotda.standard.s1", "size": 4}})),
    ];
    for (verb, url, body) in calls {
        signed(Mock::given(method(verb)).and(path(url)).and(body_json(body)))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(&inst))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "ACTIVE"})))
        .mount(&server)
        .await;
    let prior = tf(json!({"name": "old", "description": "d", "tags": {"a": "1", "keep": "k", "gone": "x"},
                         "flavor": {"type": "iotda.standard.s1", "size": 2}}));
    let planned = tf(json!({"name": "renamed", "description": null, "tags": {"a": "2", "keep": "k", "new": ""},
                           "flavor": {"type": "iotda.standard.s1", "size": 4}}));
    hwprovider::engine::update(&IotdaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
}

#[tokio::test]
async fn delete_then_wait_until_not_found() {
    let server = MockServer::start().await;
    let inst = format!("{}/{ID}", base());
    signed(Mock::given(method("DELETE")).and(path(&inst)))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&inst))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "ACTIVE"})))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&inst))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"error_code": "IOTDA.001000", "error_msg": "not found"})),
        )
        .mount(&server)
        .await;
    IotdaInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
    let gets = server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(gets, 2);
}

#[tokio::test]
async fn deleting_an_already_deleted_instance_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("{}/{ID}", base())))
        .respond_with(
            ResponseTemplate::new(403).set_body_json(json!({"error_code": "IOTDA.001000", "error_msg": "not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    IotdaInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
}

#[tokio::test]
async fn find_existing_follows_markers_and_keeps_exact_names_only() {
    let server = MockServer::start().await;
    // The name filter is fuzzy: a page of look-alikes, then the instance itself on the next page.
    let first: Vec<Value> = (0..500)
        .map(|n| json!({"instance_id": format!("{n:08x}-0000-4000-8000-000000000000"), "name": format!("tf-iotda-{n}"), "status": "ACTIVE"}))
        .collect();
    signed(Mock::given(method("GET")).and(path(base())))
        .and(query_param("name", "tf-iotda"))
        .and(query_param("limit", "500"))
        .and(query_param_is_missing("marker"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"count": 501, "marker": "m-500", "instances": first})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(base()))
        .and(query_param("marker", "m-500"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 501, "marker": ID, "instances": [
            {"instance_id": ID, "name": "tf-iotda", "status": "CREATING", "create_time": "2025-01-02T03:04:05Z"}
        ]})))
        .expect(1)
        .mount(&server)
        .await;
    // Whatever the service's largest page, the walk ends at an empty page.
    Mock::given(method("GET"))
        .and(path(base()))
        .and(query_param("marker", ID))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"count": 501, "marker": null, "instances": []})))
        .expect(1)
        .mount(&server)
        .await;
    let found = IotdaInstance.find_existing(&ctx(&server), &plan()).await.unwrap();
    let expected = Existing::listed(ID.into(), Some("CREATING".into()), Some(&json!("2025-01-02T03:04:05Z")));
    assert_eq!(found, vec![expected]);
}

/// A resize answered "busy" (another operation under way) waits for ACTIVE and is sent again.
#[tokio::test]
async fn a_busy_instance_is_waited_for_and_the_resize_resent() {
    let server = MockServer::start().await;
    let resize = format!("{}/{ID}/resize", base());
    Mock::given(method("POST"))
        .and(path(resize.as_str()))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(json!({"error_code": "IOTDA.000007", "error_msg": "busy"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("POST")).and(path(resize.as_str())))
        .and(body_json(json!({"flavor": {"type": "iotda.standard.s1", "size": 2}})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{}/{ID}", base())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": "ACTIVE"})))
        .mount(&server)
        .await;
    let prior =
        tf(json!({"flavor": {"type": "iotda.standard.s1", "size": 1}, "charge_info": {"charge_mode": "postPaid"}}));
    let planned =
        tf(json!({"flavor": {"type": "iotda.standard.s1", "size": 2}, "charge_info": {"charge_mode": "postPaid"}}));
    hwprovider::engine::update(&IotdaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
}

/// The show-instance document's example answer reads through the field table without an error, its
/// window ending at 24:00 included.
#[test]
fn the_documented_show_answer_reads() {
    let example = json!({
      "instance_type": "standard", "instance_id": "8561675c-d8a3-4956-9884-9cf9cbdd3134", "charge_mode": "prePaid",
      "name": "iotda_instance", "flavor": {"type": "iotda.standard.s1", "size": 1}, "status": "ACTIVE",
      "region_id": "cn-north-4", "create_time": "2023-01-28T06:57:52Z", "update_time": "2023-01-28T06:58:52Z",
      "description": "IoTDA instance for production.",
      "access_infos": [
        {"type": "APP_AMQP", "port": 5671, "non_tls_port": null, "websocket_port": null, "domain_name": "example.xxxx.com",
         "public_address": [], "ipv6_address": [], "ip_whitelist": null},
        {"type": "DEVICE_MQTT", "port": 8883, "non_tls_port": 1883, "websocket_port": 443,
         "domain_name": "example2.xxxx.com", "public_address": [], "ipv6_address": [], "ip_whitelist": null}
      ],
      "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
      "tags": [{"key": "testTagName", "value": "testTagValue"}],
      "order_id": "CS22121614500ABCD",
      "operate_window": {"start_time": "22:00", "end_time": "24:00"},
      "additional_params": null
    });
    let fields = hwprovider::resources::iotda_instance::DEF.fields;
    let state = hwprovider::engine::reading::state_from_api(fields, &example, &TfValue::Null).unwrap();
    let window = TfValue::Map(
        [("start_time", "22:00"), ("end_time", "24:00")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), TfValue::String(v.into())))
            .collect(),
    );
    assert_eq!(state["operate_window"], window);
    assert_eq!(state["status"], TfValue::String("ACTIVE".into()));
}
