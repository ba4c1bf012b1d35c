//! The current Kafka API over signed HTTP, as the official SDK sends it (bodies shaped like the API
//! documents' examples): the catalogs, a yearly instance paid through the admin action, the resizes,
//! both access switches and the broker parameters.

use super::*;

const PROJECT: &str = "0123456789abcdef0123456789abcdef";
const ZONES: [&str; 3] =
    ["d573142f24894ef3bd3664de068b44b0", "effdcbc7d4d64a02aa1fa26b42f56533", "9f1c5806706d4c1fb0eb72f0a9b18c77"];

fn create_example() -> Value {
    json!({
        "name": "kafka-sdk", "description": "", "engine": "kafka", "engine_version": "3.x", "broker_num": 3,
        "storage_space": 300, "access_user": "root", "password": "Kafka@Pass-01",
        "vpc_id": "23921d2a-1f2c-4b8e-9d8b-5f2fa5327a48", "security_group_id": "2e888928-7a4b-4f55-b3c2-e36c6520d473",
        "subnet_id": "37bb12c9-5d1e-4c6a-8f3e-ae8f7d336ab6", "available_zones": ZONES,
        "product_id": "c6.2u4g.cluster", "maintain_begin": "22:00", "maintain_end": "02:00", "ssl_enable": true,
        "kafka_security_protocol": "SASL_SSL", "sasl_enabled_mechanisms": ["SCRAM-SHA-512"],
        "enable_publicip": false, "retention_policy": "time_base", "ipv6_enable": false,
        "disk_encrypted_enable": false, "connector_enable": false, "enable_auto_topic": true,
        "storage_spec_code": "dms.physical.storage.ultra.v2", "enterprise_project_id": "0",
        "tags": [{"key": "key1", "value": "value1"}], "arch_type": "X86",
        "bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_renew": false},
    })
}

async fn show(api: &Api, id: &str) -> Value {
    let a = api.call("GET", &format!("/v2/{PROJECT}/instances/{id}"), None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body
}

#[tokio::test]
async fn the_sdk_drives_the_current_api() {
    let api = start().await;
    let products = api.call("GET", "/v2/kafka/products", None).await;
    assert_eq!(products.body["products"].as_array().map(Vec::len), Some(5), "{}", products.body);
    let zones = api.call("GET", "/v2/available-zones", None).await;
    assert_eq!(zones.body["available_zones"][0]["id"], ZONES[0], "{}", zones.body);

    // A monthly instance without auto-pay: CREATING until its order is paid.
    let a = api.call("POST", &format!("/v2/{PROJECT}/kafka/instances"), Some(&create_example())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let id = a.body["instance_id"].as_str().unwrap().to_string();
    api.advance(TICK * 3).await;
    let v = show(&api, &id).await;
    assert_eq!((v["status"].as_str(), v["charging_mode"].as_i64()), (Some("CREATING"), Some(0)), "{v}");
    let paid = api.admin("POST", &format!("kafka/{id}/pay"), None).await;
    assert_eq!(paid.status, 200, "{}", paid.body);
    let again = api.admin("POST", &format!("kafka/{id}/pay"), None).await;
    assert_eq!((again.status, again.code()), (400, "SIM.0400"), "{}", again.body);
    api.advance(TICK * 2).await;
    assert_eq!(show(&api, &id).await["status"], "RUNNING");
    let gone = api.call("DELETE", &format!("/v2/{PROJECT}/instances/{id}"), None).await;
    assert_eq!((gone.status, gone.code()), (400, "DMS.00400000"), "{}", gone.body);

    // A pay-per-use one, switched, resized and configured.
    let mut body = create_example();
    body["name"] = json!("kafka-sdk-hourly");
    body["bss_param"] = json!({"charging_mode": "postPaid"});
    let a = api.call("POST", &format!("/v2/{PROJECT}/kafka/instances"), Some(&body)).await;
    let id = a.body["instance_id"].as_str().unwrap().to_string();
    api.advance(TICK * 2).await;
    let path = format!("/v2/{PROJECT}/instances/{id}");
    let steps = [
        (
            "POST",
            format!("/v1/{PROJECT}/instances/{id}/public-boundwidth"),
            json!({"publicip_id": "e1,e2,e3", "public_boundwidth": 5}),
            204,
        ),
        (
            "POST",
            format!("/v2/{PROJECT}/kafka/instances/{id}/plain-ssl-switch"),
            json!({"protocol": "public_sasl_ssl_enable", "enable": true}),
            200,
        ),
        (
            "POST",
            format!("/v2/{PROJECT}/kafka/instances/{id}/extend"),
            json!({"oper_type": "horizontal", "new_broker_num": 4, "new_storage_space": 400, "publicip_id": "e4"}),
            200,
        ),
        (
            "POST",
            format!("/v2/{PROJECT}/kafka/instances/{id}/extend"),
            json!({"oper_type": "storage", "new_storage_space": 800}),
            200,
        ),
        (
            "POST",
            format!("/v2/{PROJECT}/kafka/instances/{id}/extend"),
            json!({"oper_type": "vertical", "new_product_id": "c6.4u8g.cluster"}),
            200,
        ),
        (
            "PUT",
            format!("{path}/configs"),
            json!({"kafka_configs": [{"name": "min.insync.replicas", "value": "2"}]}),
            200,
        ),
    ];
    for (method, step, body, status) in steps {
        let a = api.call(method, &step, Some(&body)).await;
        assert_eq!(a.status, status, "{step} {body}: {}", a.body);
        api.advance(TICK * 2).await;
        assert_eq!(show(&api, &id).await["status"], "RUNNING", "{step}");
    }
    let v = show(&api, &id).await;
    assert_eq!((v["broker_num"].as_i64(), v["storage_space"].as_i64()), (Some(4), Some(800)));
    assert_eq!((v["product_id"].as_str(), v["public_bandwidth"].as_i64()), (Some("c6.4u8g.cluster"), Some(5)));
    assert_eq!(v["port_protocols"]["public_sasl_ssl_address"].as_str().unwrap().matches(":9095").count(), 4, "{v}");
    let configs = api.call("GET", &format!("{path}/configs"), None).await;
    let min = configs.body["kafka_configs"].as_array().unwrap().iter().find(|c| c["name"] == "min.insync.replicas");
    assert_eq!(min.unwrap()["value"], "2");
}
