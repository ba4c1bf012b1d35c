//! The public access switch and the access-method switch: their rules and their lifecycle (RUNNING
//! throughout, the change showing after the update delay, other changes busy meanwhile).

use serde_json::{json, Value};

use super::tests_v2::{v2_body, with, BUSY, INVALID, K, PID};

fn seed_body() -> Value {
    json!({
        "name": "kafka-seed", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    })
}

fn public_path(id: &str) -> String {
    format!("~/v1/{PID}/instances/{id}/public-boundwidth")
}

fn switch_path(id: &str) -> String {
    format!("/kafka/instances/{id}/plain-ssl-switch")
}

#[test]
fn public_access_on_and_off() {
    let k = K::new();
    let id = k.running(v2_body());
    let path = public_path(&id);
    k.refused("POST", &path, json!({}), INVALID, "public access is already off");
    k.refused("POST", &path, json!({"publicip_id": "e1,e2"}), INVALID, "2 EIP IDs given; the instance has 3 brokers");

    let (status, answer) = k.call("POST", &path, Some(json!({"publicip_id": "e1,e2,e3", "public_boundwidth": 9})));
    assert_eq!(status, 204, "{answer}");
    let v = k.show(&id);
    assert_eq!((v["status"].as_str(), v["enable_publicip"].as_bool()), (Some("RUNNING"), Some(false)), "not yet");
    k.refused("POST", &path, json!({}), BUSY, "still in progress");
    k.refused("PUT", &format!("/instances/{id}"), json!({"description": "d"}), BUSY, "still in progress");
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["enable_publicip"].as_bool(), v["public_bandwidth"].as_i64()), (Some(true), Some(9)));
    assert_eq!((v["kafka_public_status"].as_str(), v["public_access_enabled"].as_str()), (Some("true"), Some("true")));
    assert_eq!(v["public_connect_address"].as_str().unwrap().split(',').count(), 3, "{v}");
    assert!(v["public_management_connect_address"].as_str().unwrap().starts_with("https://100.85."));
    assert_eq!(v["port_protocols"]["public_plain_enable"], false, "the current API's methods stay as they are");

    // The bandwidth alone changes; the same one is refused.
    k.refused("POST", &path, json!({"publicip_id": "e1,e2,e3", "public_boundwidth": 9}), INVALID, "already on");
    let before = k.show(&id)["public_connect_address"].clone();
    assert_eq!(k.call("POST", &path, Some(json!({"publicip_id": "e1,e2,e3", "public_boundwidth": 20}))).0, 204);
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["public_boundwidth"].as_i64(), v["public_connect_address"].clone()), (Some(20), before));

    // A public method, then access off: the method goes with it.
    let on = json!({"protocol": "public_plain_enable", "enable": true});
    assert_eq!(k.call("POST", &switch_path(&id), Some(on)).0, 200);
    k.tick();
    assert_eq!(k.show(&id)["port_protocols"]["public_plain_enable"], true);
    assert_eq!(k.call("POST", &path, Some(json!({}))).0, 204);
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["enable_publicip"].as_bool(), v["public_bandwidth"].as_i64()), (Some(false), Some(0)));
    assert_eq!(
        (v["kafka_public_status"].as_str(), v["public_access_enabled"].as_str()),
        (Some("closed"), Some("false"))
    );
    assert_eq!(
        (v["public_connect_address"].as_str(), v["port_protocols"]["public_plain_enable"].as_bool()),
        (Some(""), Some(false))
    );
    assert_eq!(v["port_protocols"]["public_plain_address"], "");
}

#[test]
fn public_access_of_a_seed_instance_opens_its_public_method() {
    let k = K::new();
    let (_, created) = k.call("POST", "/instances", Some(seed_body()));
    let id = created["instance_id"].as_str().unwrap().to_string();
    k.tick();
    assert_eq!(
        k.call("POST", &public_path(&id), Some(json!({"publicip_id": "e1,e2,e3", "public_boundwidth": 5}))).0,
        204
    );
    k.tick();
    let v = k.show(&id);
    let pp = &v["port_protocols"];
    assert_eq!(
        (pp["public_plain_enable"].as_bool(), pp["public_sasl_ssl_enable"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(pp["public_plain_address"].as_str().unwrap().matches(":9094").count(), 3, "{pp}");
    assert!(v["kafka_manager_user"].is_string(), "a seed instance keeps its manager user");
}

#[test]
fn access_methods_switch_one_at_a_time() {
    let k = K::new();
    let id = k.running(v2_body());
    let path = switch_path(&id);
    let no = |body: Value, expected: &str| k.refused("POST", &path, body, INVALID, expected);
    no(json!({"protocol": "private_plain_enable", "enable": true}), "private_plain_enable is already on");
    no(json!({"protocol": "private_plain_enable", "enable": false}), "the last private access method");
    no(json!({"protocol": "public_plain_enable", "enable": true}), "needs public access");
    no(
        json!({"protocol": "private_sasl_ssl_enable", "enable": true}),
        "user_name, pass_word: are required the first time",
    );
    no(json!({"protocol": "private_tls_enable", "enable": true}), "protocol: must be one of");
    no(json!({"protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "root"}), "pass_word");

    // The SDK documentation's example body.
    let example = json!({
        "protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "root", "pass_word": "Sasl@45678",
        "sasl_enabled_mechanisms": ["SCRAM-SHA-512", "PLAIN"],
    });
    let (status, answer) = k.call("POST", &path, Some(example));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        (answer["protocol"].as_str(), answer["enable"].as_bool()),
        (Some("private_sasl_ssl_enable"), Some(true))
    );
    assert!(answer["job_id"].is_string());
    assert_eq!(k.show(&id)["ssl_enable"], false, "not yet");
    k.refused("POST", &path, json!({"protocol": "private_plain_enable", "enable": false}), BUSY, "still in progress");
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["ssl_enable"].as_bool(), v["kafka_security_protocol"].as_str()), (Some(true), Some("SASL_SSL")));
    assert_eq!(v["sasl_enabled_mechanisms"], json!(["SCRAM-SHA-512", "PLAIN"]));
    assert!(v["port_protocols"]["private_sasl_ssl_address"].as_str().unwrap().contains(":9093"));
    let (_, users) = k.call("GET", &format!("/instances/{id}/users"), None);
    assert_eq!(
        (users["users"][0]["user_name"].as_str(), users["users"][0]["role"].as_str()),
        (Some("root"), Some("admin"))
    );

    no(json!({"protocol": "private_sasl_plaintext_enable", "enable": true}), "may not both be on");
    assert_eq!(k.call("POST", &path, Some(json!({"protocol": "private_plain_enable", "enable": false}))).0, 200);
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["port"].as_i64(), v["port_protocols"]["private_plain_address"].as_str()), (Some(9093), Some("")));
    no(json!({"protocol": "private_sasl_ssl_enable", "enable": false}), "the last private access method");

    // SASL off and on again: no user needed, the given one is ignored, the mechanisms stay.
    assert_eq!(k.call("POST", &path, Some(json!({"protocol": "private_plain_enable", "enable": true}))).0, 200);
    k.tick();
    assert_eq!(k.call("POST", &path, Some(json!({"protocol": "private_sasl_ssl_enable", "enable": false}))).0, 200);
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["ssl_enable"].as_bool(), v["kafka_security_protocol"].as_str()), (Some(false), Some("PLAINTEXT")));
    let again =
        json!({"protocol": "private_sasl_plaintext_enable", "enable": true, "sasl_enabled_mechanisms": ["PLAIN"]});
    assert_eq!(k.call("POST", &path, Some(again)).0, 200);
    k.tick();
    let v = k.show(&id);
    assert_eq!(
        (v["ssl_enable"].as_bool(), v["kafka_security_protocol"].as_str()),
        (Some(true), Some("SASL_PLAINTEXT"))
    );
    assert_eq!(v["sasl_enabled_mechanisms"], json!(["SCRAM-SHA-512", "PLAIN"]));

    // Both switches need a RUNNING instance.
    let busy = k.create(with(v2_body(), json!({"name": "kafka-busy"})));
    k.refused(
        "POST",
        &switch_path(&busy),
        json!({"protocol": "private_plain_enable", "enable": false}),
        BUSY,
        "CREATING",
    );
    k.refused("POST", &public_path(&busy), json!({}), BUSY, "CREATING");
}
