//! The Kafka service on its own: strict create bodies, statuses, the busy error and deletion.

use std::time::Duration;

use hwapi::contract::kafka::{ERRORS, STATUSES};
use serde_json::{json, Value};

use super::Kafka;
use crate::request::ApiRequest;
use crate::state::Shared;
use crate::testing::send;

const PID: &str = "0123456789abcdef0123456789abcdef";
const INVALID: &str = ERRORS.invalid.code;
const BUSY: &str = ERRORS.busy[0].code;
const NOT_FOUND: &str = ERRORS.not_found[0].code;

fn shared(delay_ms: u64) -> Shared {
    crate::testing::shared(Duration::from_millis(delay_ms))
}

fn call(kafka: &Kafka, sim: &Shared, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let req = ApiRequest {
        method: method.into(),
        path: format!("/v2/{PID}{path}"),
        query: vec![],
        body: body.map(|b| b.to_string().into()).unwrap_or_default(),
    };
    let reply = send(sim, kafka, &req);
    (reply.status, reply.body.unwrap_or(Value::Null))
}

fn create_body() -> Value {
    json!({
        "name": "kafka-test", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    })
}

fn with(changes: Value) -> Value {
    let mut b = create_body();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            b.as_object_mut().unwrap().remove(k);
        } else {
            b[k] = v.clone();
        }
    }
    b
}

#[test]
fn create_bodies_are_validated_strictly() {
    let (kafka, sim) = (Kafka::default(), shared(0));
    let cases = [
        // The create document's example spelling is accepted, under the same rules as public_bandwidth.
        (json!({"public_boundwidth": 3}), "public_boundwidth: may only be set when enable_publicip is true"),
        (
            json!({"enable_publicip": true, "publicip_id": "e1,e2,e3", "public_bandwidth": 3, "public_boundwidth": 3}),
            "public_boundwidth: may not be set together with public_bandwidth",
        ),
        (json!({"storage_space": "600"}), "storage_space: expected an Integer"),
        (json!({"kafka_manager_password": null}), "kafka_manager_password: is mandatory"),
        (json!({"ssl_enable": "true"}), "ssl_enable: expected a Boolean"),
        (json!({"ssl_enable": true}), "access_user: is required when ssl_enable is true"),
        (json!({"access_user": "user"}), "access_user: may only be set when ssl_enable is true"),
        (json!({"available_zones": ["a", "b"]}), "1 AZ or in at least 3 AZs"),
        (json!({"partition_num": 900}), "a 100MB instance has 300 partitions"),
        (json!({"enable_publicip": true, "publicip_id": "e1,e2"}), "needs one EIP per broker"),
        (json!({"engine_version": "9.9"}), "engine_version: \"9.9\" is not offered"),
        (json!({"kafka_manager_password": "password1"}), "must contain at least three of"),
        (json!({"maintain_begin": "22:00"}), "maintain_end: must be set together with maintain_begin"),
        (json!({"storage_space": 650}), "must be a multiple of 100"),
        (json!({"tags": [{"key": "a=b", "value": "v"}]}), "tags[0].key: may only contain"),
    ];
    for (changes, expected) in cases {
        let (status, body) = call(&kafka, &sim, "POST", "/instances", Some(with(changes.clone())));
        assert_eq!((status, body["error_code"].as_str()), (400, Some(INVALID)), "{changes}: {body}");
        assert!(body["error_msg"].as_str().unwrap().contains(expected), "{changes}: {body}");
    }
    let (status, body) = call(&kafka, &sim, "POST", "/instances", Some(json!({"name": null})));
    assert!(status == 400 && body["error_msg"].as_str().unwrap().contains("name: must not be null"), "{body}");
    assert_eq!(call(&kafka, &sim, "POST", "/instances", Some(create_body())).0, 200);
}

#[test]
fn lifecycle_busy_and_delete() {
    let (kafka, sim) = (Kafka::default(), shared(100));
    let (_, created) = call(&kafka, &sim, "POST", "/instances", Some(create_body()));
    let path = format!("/instances/{}", created["instance_id"].as_str().unwrap());
    let show = |kafka: &Kafka| call(kafka, &sim, "GET", &path, None).1;
    assert_eq!(show(&kafka)["status"], "CREATING");
    let (status, body) = call(&kafka, &sim, "PUT", &path, Some(json!({"name": "renamed"})));
    assert_eq!((status, body["error_code"].as_str()), (400, Some(BUSY)));
    sim.advance_clock(Duration::from_millis(150));
    let v = show(&kafka);
    assert_eq!((v["status"].as_str(), v["partition_num"].as_str()), (Some("RUNNING"), Some("300")));
    assert_eq!((v["maintain_begin"].as_str(), v["port"].as_u64()), (Some("22:00:00"), Some(9092)));

    assert_eq!(call(&kafka, &sim, "PUT", &path, Some(json!({"maintain_begin": "02:00:00"}))).0, 204);
    assert_eq!(
        call(&kafka, &sim, "POST", &format!("{path}/autotopic"), Some(json!({"enable_auto_topic": true}))).0,
        200
    );
    assert_eq!(show(&kafka)["status"], "RESTARTING");
    assert_eq!(call(&kafka, &sim, "DELETE", &path, None).1["error_code"], BUSY);
    sim.advance_clock(Duration::from_millis(150));
    let v = show(&kafka);
    assert_eq!((v["status"].as_str(), v["enable_auto_topic"].as_bool()), (Some("RUNNING"), Some(true)));
    assert_eq!(v["maintain_begin"], "02:00:00");

    assert_eq!(call(&kafka, &sim, "DELETE", &path, None).0, 204);
    assert_eq!(show(&kafka)["status"], "DELETING");
    sim.advance_clock(Duration::from_millis(60));
    assert_eq!(show(&kafka)["status"], "ERROR");
    sim.advance_clock(Duration::from_millis(60));
    let (status, body) = call(&kafka, &sim, "GET", &path, None);
    assert_eq!((status, body["error_code"].as_str()), (404, Some(NOT_FOUND)));
}

#[test]
fn tags_and_exact_name_listing() {
    let (kafka, sim) = (Kafka::default(), shared(0));
    let (_, created) =
        call(&kafka, &sim, "POST", "/instances", Some(with(json!({"tags": [{"key": "a", "value": "1"}]}))));
    call(&kafka, &sim, "POST", "/instances", Some(with(json!({"name": "kafka-test-2"}))));
    let id = created["instance_id"].as_str().unwrap();
    let action = |body: Value| call(&kafka, &sim, "POST", &format!("/kafka/{id}/tags/action"), Some(body)).0;
    assert_eq!(action(json!({"action": "create", "tags": [{"key": "b", "value": "2"}]})), 204);
    assert_eq!(action(json!({"action": "delete", "tags": [{"key": "a", "value": "1"}]})), 204);
    assert_eq!(action(json!({"action": "remove", "tags": [{"key": "a"}]})), 400);
    let tags = call(&kafka, &sim, "GET", &format!("/kafka/{id}/tags"), None).1;
    assert_eq!(tags, json!({"tags": [{"key": "b", "value": "2"}]}));

    let list = |query: Vec<(&str, &str)>| {
        let req = ApiRequest {
            method: "GET".into(),
            path: format!("/v2/{PID}/instances"),
            query: query.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: Default::default(),
        };
        send(&sim, &kafka, &req).body.unwrap()
    };
    let exact = list(vec![("engine", "kafka"), ("name", "kafka-test"), ("exact_match_name", "true")]);
    assert_eq!(exact["instance_num"], 1);
    assert_eq!(exact["instances"][0]["instance_id"], id);
    assert_eq!(list(vec![("name", "kafka-test")])["instance_num"], 2);
}

#[test]
fn extend_storage_and_product_then_reset_passwords() {
    let (kafka, sim) = (Kafka::default(), shared(50));
    let (_, created) = call(&kafka, &sim, "POST", "/instances", Some(create_body()));
    let id = created["instance_id"].as_str().unwrap().to_string();
    let (path, extend) = (format!("/instances/{id}"), format!("/kafka/instances/{id}/extend"));
    let show = || call(&kafka, &sim, "GET", &path, None).1;
    sim.advance_clock(Duration::from_millis(80));
    assert_eq!(show()["status"], "RUNNING");

    let (status, body) =
        call(&kafka, &sim, "POST", &extend, Some(json!({"oper_type": "storage", "new_storage_space": 900})));
    assert_eq!(status, 200, "{body}");
    assert!(body["job_id"].is_string());
    let v = show();
    assert_eq!((v["status"].as_str(), v["storage_space"].as_i64()), (Some("EXTENDING"), Some(600)));
    let (status, body) =
        call(&kafka, &sim, "POST", &extend, Some(json!({"oper_type": "storage", "new_storage_space": 1000})));
    assert_eq!((status, body["error_code"].as_str()), (400, Some(BUSY)), "busy while EXTENDING");
    sim.advance_clock(Duration::from_millis(80));
    let v = show();
    assert_eq!((v["status"].as_str(), v["storage_space"].as_i64()), (Some("RUNNING"), Some(900)));
    assert_eq!(v["extend_times"], 1);

    for (body, expected) in [
        (json!({"oper_type": "storage", "new_storage_space": 600}), "not more than the current 900 GB"),
        (json!({"oper_type": "storage", "new_storage_space": 950}), "must be a multiple of 100"),
        (json!({"oper_type": "storage"}), "new_storage_space: is required when oper_type is \"storage\""),
        (json!({"oper_type": "vertical", "new_product_id": "nope"}), "unknown product"),
        (json!({"oper_type": "shrink"}), "oper_type"),
        (json!({"oper_type": "storage", "new_storage_space": 1000, "size": 1}), "size: unknown field"),
    ] {
        let (status, answer) = call(&kafka, &sim, "POST", &extend, Some(body.clone()));
        assert_eq!(status, 400, "{body}: {answer}");
        assert!(answer["error_msg"].as_str().unwrap().contains(expected), "{body}: {answer}");
    }

    let vertical = json!({"oper_type": "vertical", "new_product_id": "00300-30310-0--0"});
    assert_eq!(call(&kafka, &sim, "POST", &extend, Some(vertical)).0, 200);
    assert_eq!(show()["status"], "EXTENDING");
    sim.advance_clock(Duration::from_millis(80));
    let v = show();
    assert_eq!((v["product_id"].as_str(), v["specification"].as_str()), (Some("00300-30310-0--0"), Some("300MB")));
    assert_eq!((v["status"].as_str(), v["partition_num"].as_str()), (Some("RUNNING"), Some("900")));

    let manager = format!("{path}/kafka-manager-password");
    assert_eq!(call(&kafka, &sim, "PUT", &manager, Some(json!({"new_password": "Manager@456"}))).0, 204);
    let (status, body) = call(&kafka, &sim, "PUT", &manager, Some(json!({"new_password": "password1"})));
    assert!(status == 400 && body["error_msg"].as_str().unwrap().contains("three of"), "{body}");
    let (status, body) =
        call(&kafka, &sim, "POST", &format!("{path}/password"), Some(json!({"new_password": "Kafka@Pass-02"})));
    assert!(status == 400 && body["error_msg"].as_str().unwrap().contains("ssl_enable"), "{body}");
    assert!(!show().to_string().contains("Manager@456"), "a password is never shown");
}

fn list(kafka: &Kafka, sim: &Shared, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
    let req = ApiRequest {
        method: "GET".into(),
        path: format!("/v2/{PID}{path}"),
        query: query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body: Default::default(),
    };
    let reply = send(sim, kafka, &req);
    (reply.status, reply.body.unwrap_or(Value::Null))
}

/// The instance and topic lists take the SDK's paging ranges, the provider's page size (50) among them.
#[test]
fn paging_follows_the_sdk_ranges() {
    let (kafka, sim) = (Kafka::default(), shared(0));
    let (_, created) = call(&kafka, &sim, "POST", "/instances", Some(create_body()));
    let topics = format!("/instances/{}/topics", created["instance_id"].as_str().unwrap());
    for (path, query, part) in [
        ("/instances", ("limit", "0"), "limit: must be between 1 and 50, got 0"),
        ("/instances", ("limit", "51"), "limit: must be between 1 and 50, got 51"),
        ("/instances", ("limit", "x"), "limit: expected an Integer, got \"x\""),
        ("/instances", ("offset", "-1"), "offset: must be at least 0, got -1"),
        (topics.as_str(), ("limit", "201"), "limit: must be between 0 and 200, got 201"),
        (topics.as_str(), ("limit", "-1"), "limit: must be between 0 and 200, got -1"),
        (topics.as_str(), ("offset", "-1"), "offset: must be at least 0, got -1"),
        (topics.as_str(), ("offset", "1.0"), "offset: expected an Integer, got \"1.0\""),
    ] {
        let (status, body) = list(&kafka, &sim, path, &[query]);
        assert_eq!((status, body["error_code"].as_str()), (400, Some(INVALID)), "{path} {query:?}: {body}");
        assert!(body["error_msg"].as_str().unwrap().contains(part), "{path} {query:?}: {body}");
    }
    let (status, body) = list(&kafka, &sim, "/instances", &[("limit", "50"), ("offset", "0")]);
    assert_eq!((status, body["instance_num"].as_u64()), (200, Some(1)), "{body}");
    let (status, body) = list(&kafka, &sim, "/instances", &[("offset", "1")]);
    assert_eq!((status, body["instances"].as_array().map(Vec::len)), (200, Some(0)), "{body}");
    for limit in ["0", "50", "200"] {
        assert_eq!(list(&kafka, &sim, &topics, &[("limit", limit), ("offset", "0")]).0, 200, "limit {limit}");
    }
}

/// Topics as the SDK's TopicEntity shows them: the creation time, and every configuration of the
/// catalog with its value; unknown configurations and invalid values are refused, and an update changes
/// only the configurations it names.
#[test]
fn topics_show_every_configuration_and_their_creation_time() {
    let (kafka, sim) = (Kafka::default(), shared(0));
    let (_, created) = call(&kafka, &sim, "POST", "/instances", Some(create_body()));
    let topics = format!("/instances/{}/topics", created["instance_id"].as_str().unwrap());
    sim.advance_clock(Duration::from_millis(10));
    let configs =
        json!([{"name": "max.message.bytes", "value": "2097152"}, {"name": "cleanup.policy", "value": "compact"}]);
    let (status, body) = call(
        &kafka,
        &sim,
        "POST",
        &topics,
        Some(json!({"id": "orders", "partition": 3, "topic_other_configs": configs})),
    );
    assert_eq!(status, 200, "{body}");
    let now_ms = sim.now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let (_, listed) = list(&kafka, &sim, &topics, &[]);
    let topic = &listed["topics"][0];
    let created_at = topic["created_at"].as_u64().expect("an integer");
    assert!(now_ms - created_at < 5_000, "{created_at} vs {now_ms}");
    let shown = |topic: &Value| -> Vec<(String, String)> {
        let list = topic["topic_other_configs"].as_array().unwrap();
        list.iter()
            .map(|c| (c["name"].as_str().unwrap().to_string(), c["value"].as_str().unwrap().to_string()))
            .collect()
    };
    let expected = [
        ("max.message.bytes", "2097152"),
        ("message.timestamp.type", "CreateTime"),
        ("message.timestamp.difference.max.ms", "9223372036854775807"),
        ("retention.bytes", "-1"),
        ("min.insync.replicas", "1"),
        ("cleanup.policy", "compact"),
    ];
    let as_owned = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
    };
    assert_eq!(shown(topic), as_owned(&expected));
    assert_eq!(
        topic["topic_other_configs"][0],
        json!({"name": "max.message.bytes", "value": "2097152", "default_value": "10485760",
               "valid_values": "0~10485760", "config_type": "dynamic", "value_type": "integer"})
    );
    assert_eq!(topic["topic_other_configs"][1]["valid_values"], "[CreateTime, LogAppendTime]");
    assert_eq!(topic["topic_other_configs"][1]["value_type"], "enum");
    let state = crate::store::Objects::snapshot(&kafka.store, sim.now());
    assert_eq!(&state[0]["_sim"]["topics"][0], topic, "the admin state shows topics the same way");

    for (configs, part) in [
        (
            json!([{"name": "segment.bytes", "value": "1"}]),
            "topic_other_configs[0].name: unknown configuration \"segment.bytes\"",
        ),
        (
            json!([{"name": "max.message.bytes", "value": "10485761"}]),
            "topic_other_configs[0].value: \"10485761\" is outside 0~10485760",
        ),
        (
            json!([{"name": "min.insync.replicas", "value": "two"}]),
            "topic_other_configs[0].value: \"two\" is not an integer",
        ),
        (
            json!([{"name": "cleanup.policy", "value": "Delete"}]),
            "topic_other_configs[0].value: \"Delete\" is not one of [delete, compact]",
        ),
    ] {
        let body = json!({"id": "other", "topic_other_configs": configs});
        let (status, answer) = call(&kafka, &sim, "POST", &topics, Some(body));
        assert_eq!((status, answer["error_code"].as_str()), (400, Some(INVALID)), "{answer}");
        assert!(answer["error_msg"].as_str().unwrap().contains(part), "{part}: {answer}");
        let update = json!({"topics": [{"id": "orders", "topic_desc": "changed", "topic_other_configs": configs}]});
        let (status, answer) = call(&kafka, &sim, "PUT", &topics, Some(update));
        assert_eq!(status, 400, "{answer}");
        assert!(answer["error_msg"].as_str().unwrap().contains(&format!("topics[0].{part}")), "{answer}");
    }
    assert_eq!(list(&kafka, &sim, &topics, &[]).1["total"], 1, "nothing was created");

    let update =
        json!({"topics": [{"id": "orders", "topic_other_configs": [{"name": "retention.bytes", "value": "1024"}]}]});
    assert_eq!(call(&kafka, &sim, "PUT", &topics, Some(update)).0, 204);
    let mut after = expected;
    after[3] = ("retention.bytes", "1024");
    let (_, listed) = list(&kafka, &sim, &topics, &[]);
    assert_eq!(shown(&listed["topics"][0]), as_owned(&after), "only the named configuration changed");
    assert_eq!(listed["topics"][0]["topic_desc"], "", "the refused updates changed nothing");
    let empty = json!({"topics": [{"id": "orders", "topic_other_configs": []}]});
    assert_eq!(call(&kafka, &sim, "PUT", &topics, Some(empty)).0, 204);
    assert_eq!(shown(&list(&kafka, &sim, &topics, &[]).1["topics"][0]), as_owned(&after));
}

/// An instance takes at most `MAX_USERS` users, the SASL user given at creation counted.
#[test]
fn users_stop_at_the_limit() {
    let (kafka, sim) = (Kafka::default(), shared(0));
    let body = with(json!({"ssl_enable": true, "access_user": "admin-user", "password": "Sasl@Secret-01"}));
    let (_, created) = call(&kafka, &sim, "POST", "/instances", Some(body));
    let users = format!("/instances/{}/users", created["instance_id"].as_str().unwrap());
    sim.advance_clock(Duration::from_millis(10));
    let user = |i: usize| json!({"user_name": format!("user-{i:04}"), "user_passwd": "User@Secret-02"});
    for i in 1..hwapi::contract::kafka::MAX_USERS {
        assert_eq!(call(&kafka, &sim, "POST", &users, Some(user(i))).0, 204, "user {i}");
    }
    let (status, body) = call(&kafka, &sim, "POST", &users, Some(user(0)));
    assert_eq!((status, body["error_code"].as_str()), (400, Some(INVALID)), "{body}");
    assert!(body["error_msg"].as_str().unwrap().contains("at most 500 users"), "{body}");
    let listed = call(&kafka, &sim, "GET", &users, None).1;
    assert_eq!(listed["users"].as_array().map(Vec::len), Some(hwapi::contract::kafka::MAX_USERS));
    assert!(super::users::room_for(499, 1).is_ok() && super::users::room_for(500, 1).is_err());
}

/// Every status the lifecycle writes (create, fail-creates, auto-topic switch, resize, delete) is one
/// the contract knows.
#[test]
fn the_lifecycle_writes_only_statuses_of_the_contract() {
    let known = STATUSES.all();
    for status in ["CREATING", "RUNNING", "CREATEFAILED", "RESTARTING", "EXTENDING", "DELETING", "ERROR"] {
        assert!(known.contains(&status), "{status} is not in the contract's STATUSES");
    }
}
