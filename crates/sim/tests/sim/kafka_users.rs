//! Kafka SASL users and topic access policies: the lifecycle and each rule, over signed HTTP.

use super::*;

const INVALID: &str = "DMS.00400000";
const BUSY: &str = "DMS.00400026";
const NOT_FOUND: &str = "DMS.00404022";
const SASL_PASSWORD: &str = "Sasl@Secret-01";
const USER_PASSWORD: &str = "User@Secret-02";

fn kafka_body(sasl: bool) -> Value {
    let mut body = json!({
        "name": "kafka-users", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    });
    if sasl {
        body["ssl_enable"] = json!(true);
        body["access_user"] = json!("admin-user");
        body["password"] = json!(SASL_PASSWORD);
    }
    body
}

/// A Kafka instance (SASL or not), its path, and it RUNNING.
async fn running(api: &Api, sasl: bool) -> String {
    let a = api.call("POST", KAFKA, Some(&kafka_body(sasl))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let path = format!("{KAFKA}/{}", a.body["instance_id"].as_str().unwrap());
    api.advance(TICK * 2).await;
    assert_eq!(api.call("GET", &path, None).await.body["status"], "RUNNING");
    path
}

/// The v1 path of the same instance (topic access policies).
fn v1(path: &str) -> String {
    path.replacen("/v2/", "/v1/", 1)
}

fn user(name: &str) -> Value {
    json!({"user_name": name, "user_desc": format!("{name} here"), "user_passwd": USER_PASSWORD})
}

fn grant(topic: &str, policies: Value) -> Value {
    json!({"topics": [{"name": topic, "policies": policies}]})
}

async fn topic(api: &Api, path: &str, name: &str) {
    let a = api.call("POST", &format!("{path}/topics"), Some(&json!({"id": name}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

async fn users(api: &Api, path: &str) -> Vec<Value> {
    let a = api.call("GET", &format!("{path}/users"), None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.body["users"].as_array().unwrap().clone()
}

fn names(users: &[Value]) -> Vec<&str> {
    users.iter().map(|u| u["user_name"].as_str().unwrap()).collect()
}

fn assert_refused(a: &Answer, status: u16, code: &str, part: &str) {
    assert_eq!((a.status, a.code()), (status, code), "{}", a.body);
    assert!(a.msg().contains(part), "{part:?} not in {}", a.body);
}

/// Create, list, reset, update, grant, show, revoke and delete, with the SASL user given at creation
/// listed as the instance's administrator.
#[tokio::test]
async fn users_and_policies_lifecycle() {
    let api = start().await;
    let a = api.call("POST", KAFKA, Some(&kafka_body(true))).await;
    let path = format!("{KAFKA}/{}", a.body["instance_id"].as_str().unwrap());
    let a = api.call("POST", &format!("{path}/users"), Some(&user("early"))).await;
    assert_refused(&a, 400, BUSY, "CREATING");
    api.advance(TICK * 2).await;

    let listed = users(&api, &path).await;
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0]["user_name"].as_str(), listed[0]["role"].as_str()), (Some("admin-user"), Some("admin")));
    assert_eq!(listed[0]["default_app"], true);

    // An hour ahead of the wall clock: the creation time is the simulated clock's.
    api.advance(Duration::from_secs(3600)).await;
    let clock = || async { api.admin("GET", "clock", None).await.body["now_ms"].as_u64().unwrap() };
    let before = clock().await;
    let a = api.call("POST", &format!("{path}/users"), Some(&user("reader"))).await;
    assert_eq!((a.status, &a.body), (204, &Value::Null));
    let listed = users(&api, &path).await;
    assert_eq!(names(&listed), ["admin-user", "reader"]);
    let reader = &listed[1];
    assert_eq!(
        (reader["user_desc"].as_str(), reader["role"].as_str(), reader["default_app"].as_bool()),
        (Some("reader here"), Some("guest"), Some(false))
    );
    let created = reader["created_time"].as_u64().expect("epoch milliseconds");
    assert!((before..=clock().await).contains(&created), "{created} is not the simulated clock's ({before})");

    let reset = format!("{path}/users/reader");
    assert_eq!(api.call("PUT", &reset, Some(&json!({"new_password": "User@Secret-03"}))).await.status, 204);
    let update = path.replacen("/v2/", "/v2/kafka/", 1) + "/users/reader";
    assert_eq!(api.call("PUT", &update, Some(&json!({"user_desc": "reads"}))).await.status, 204);
    assert_eq!(users(&api, &path).await[1]["user_desc"], "reads");
    let a = api.call("PUT", &update, Some(&json!({"user_name": "renamed"}))).await;
    assert_refused(&a, 400, INVALID, "user_name");
    let other_engine = path.replacen("/v2/", "/v2/rabbitmq/", 1) + "/users/reader";
    let a = api.call("PUT", &other_engine, Some(&json!({"user_desc": "x"}))).await;
    assert_refused(&a, 400, INVALID, "engine: must be kafka");
    let a = api.call("PUT", &format!("{path}/users/nobody"), Some(&json!({"new_password": "User@Secret-03"}))).await;
    assert_refused(&a, 404, NOT_FOUND, "nobody");

    topic(&api, &path, "orders").await;
    let policy = format!("{}/topics/orders/accesspolicy", v1(&path));
    let shown = api.call("GET", &policy, None).await;
    assert_eq!(shown.body, json!({"name": "orders", "topic_type": 0, "policies": []}));
    let policies = json!([{"user_name": "reader", "access_policy": "sub"}]);
    let a = api.call("POST", &format!("{}/topics/accesspolicy", v1(&path)), Some(&grant("orders", policies))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body["job_id"].is_string(), "{}", a.body);
    let expected = json!([{"owner": false, "user_name": "reader", "access_policy": "sub"}]);
    assert_eq!(api.call("GET", &policy, None).await.body["policies"], expected);
    // The list given becomes the topic's policies exactly.
    let a = api.call("POST", &format!("{}/topics/accesspolicy", v1(&path)), Some(&grant("orders", json!([])))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(api.call("GET", &policy, None).await.body["policies"], json!([]));

    let delete = json!({"action": "delete", "users": ["reader", "never-was"]});
    assert_eq!(api.call("PUT", &format!("{path}/users"), Some(&delete)).await.status, 204);
    assert_eq!(names(&users(&api, &path).await), ["admin-user"]);
    let a =
        api.call("PUT", &format!("{path}/users"), Some(&json!({"action": "delete", "users": ["admin-user"]}))).await;
    assert_refused(&a, 400, INVALID, "cannot be deleted");
}

/// Users and policies need SASL: every call on a plain instance is refused as invalid.
#[tokio::test]
async fn an_instance_without_sasl_refuses_users_and_policies() {
    let api = start().await;
    let path = running(&api, false).await;
    topic(&api, &path, "orders").await;
    let update = path.replacen("/v2/", "/v2/kafka/", 1) + "/users/reader";
    let policies = grant("orders", json!([]));
    for (method, at, body) in [
        ("POST", format!("{path}/users"), Some(user("reader"))),
        ("GET", format!("{path}/users"), None),
        ("PUT", format!("{path}/users"), Some(json!({"action": "delete", "users": ["reader"]}))),
        ("PUT", format!("{path}/users/reader"), Some(json!({"new_password": "User@Secret-03"}))),
        ("PUT", update, Some(json!({"user_desc": "d"}))),
        ("POST", format!("{}/topics/accesspolicy", v1(&path)), Some(policies)),
        ("GET", format!("{}/topics/orders/accesspolicy", v1(&path)), None),
    ] {
        let a = api.call(method, &at, body.as_ref()).await;
        assert_refused(&a, 400, INVALID, "SASL");
    }
}

/// A user name is unique on its instance, the SASL user's included; the password rules are the
/// contract's.
#[tokio::test]
async fn duplicate_users_are_refused() {
    let api = start().await;
    let path = running(&api, true).await;
    assert_eq!(api.call("POST", &format!("{path}/users"), Some(&user("reader"))).await.status, 204);
    for name in ["reader", "admin-user"] {
        let a = api.call("POST", &format!("{path}/users"), Some(&user(name))).await;
        assert_refused(&a, 400, INVALID, "already exists");
    }
    let same = json!({"user_name": "writer", "user_passwd": "retirw"});
    let a = api.call("POST", &format!("{path}/users"), Some(&same)).await;
    assert_refused(&a, 400, INVALID, "user_passwd");
    assert_eq!(names(&users(&api, &path).await), ["admin-user", "reader"]);
}

/// A policy names a user and a topic of the instance; a refused update changes nothing; the show of
/// an unknown topic is 404; deleting a user or a topic takes its policies away.
#[tokio::test]
async fn policies_name_existing_users_and_topics() {
    let api = start().await;
    let path = running(&api, true).await;
    let grants = format!("{}/topics/accesspolicy", v1(&path));
    for name in ["reader", "writer"] {
        assert_eq!(api.call("POST", &format!("{path}/users"), Some(&user(name))).await.status, 204);
    }
    topic(&api, &path, "orders").await;
    topic(&api, &path, "events").await;
    let both =
        json!([{"user_name": "reader", "access_policy": "sub"}, {"user_name": "writer", "access_policy": "all"}]);
    for t in ["orders", "events"] {
        assert_eq!(api.call("POST", &grants, Some(&grant(t, both.clone()))).await.status, 200);
    }

    let unknown_user = grant("orders", json!([{"user_name": "stranger", "access_policy": "pub"}]));
    let a = api.call("POST", &grants, Some(&unknown_user)).await;
    assert_refused(&a, 400, INVALID, "topics[0].policies[0].user_name: no user \"stranger\"");
    let a = api.call("POST", &grants, Some(&grant("missing", json!([])))).await;
    assert_refused(&a, 400, INVALID, "topics[0].name: no topic \"missing\"");
    let twice = grant(
        "orders",
        json!([{"user_name": "reader", "access_policy": "pub"}, {"user_name": "reader", "access_policy": "sub"}]),
    );
    assert_refused(&api.call("POST", &grants, Some(&twice)).await, 400, INVALID, "listed twice");
    let a = api.call("GET", &format!("{}/topics/missing/accesspolicy", v1(&path)), None).await;
    assert_refused(&a, 404, NOT_FOUND, "missing");
    let shown = api.call("GET", &format!("{}/topics/orders/accesspolicy", v1(&path)), None).await;
    assert_eq!(shown.body["policies"].as_array().unwrap().len(), 2, "the refused updates changed nothing");

    let delete = json!({"action": "delete", "users": ["writer"]});
    assert_eq!(api.call("PUT", &format!("{path}/users"), Some(&delete)).await.status, 204);
    let reader_only = json!([{"owner": false, "user_name": "reader", "access_policy": "sub"}]);
    for t in ["orders", "events"] {
        let shown = api.call("GET", &format!("{}/topics/{t}/accesspolicy", v1(&path)), None).await;
        assert_eq!(shown.body["policies"], reader_only, "{t}");
    }
    let a = api.call("POST", &format!("{path}/topics/delete"), Some(&json!({"topics": ["orders"]}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    topic(&api, &path, "orders").await;
    let shown = api.call("GET", &format!("{}/topics/orders/accesspolicy", v1(&path)), None).await;
    assert_eq!(shown.body["policies"], json!([]), "a new topic of the same name starts without policies");
}

/// No password shows: not in the answers, not in the admin state, not in the request log; the
/// admin state records that one was set.
#[tokio::test]
async fn passwords_never_show() {
    let api = start().await;
    let path = running(&api, true).await;
    let mut seen = Vec::new();
    assert_eq!(api.call("POST", &format!("{path}/users"), Some(&user("reader"))).await.status, 204);
    let reset = json!({"new_password": "User@Secret-04"});
    assert_eq!(api.call("PUT", &format!("{path}/users/reader"), Some(&reset)).await.status, 204);
    let update = path.replacen("/v2/", "/v2/kafka/", 1) + "/users/reader";
    let change = json!({"new_password": "User@Secret-05", "user_desc": "d"});
    assert_eq!(api.call("PUT", &update, Some(&change)).await.status, 204);
    seen.push(api.call("GET", &format!("{path}/users"), None).await.body);
    seen.push(api.call("GET", &path, None).await.body);
    let state = api.admin("GET", "state", None).await.body;
    assert_eq!(
        state["kafka"][0]["_sim"]["passwords_changed"],
        json!(["user:reader", "user:reader", "user:reader"]),
        "{state}"
    );
    seen.push(state);
    seen.push(api.admin("GET", "requests", None).await.body);
    for text in seen.iter().map(Value::to_string) {
        for secret in [SASL_PASSWORD, USER_PASSWORD, "User@Secret-04", "User@Secret-05"] {
            assert!(!text.contains(secret), "{secret} shows in {text}");
        }
    }
}
