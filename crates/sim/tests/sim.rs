//! End-to-end tests of the simulator: real signed HTTP requests against an in-process server.

use std::time::{Duration, SystemTime};

use hwapi::client::signer::{self, Signable};
use hwsim::{self as sim, Sim, SimConfig};
use serde_json::{json, Value};

const BASE: &str = "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances";
/// Transition delay: small, but long enough to observe the in-between states on a busy machine.
const TICK: Duration = Duration::from_millis(200);

struct Api {
    sim: Sim,
    http: reqwest::Client,
    ak: String,
    sk: String,
    project: String,
}

struct Answer {
    status: u16,
    body: Value,
    headers: reqwest::header::HeaderMap,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error_code"].as_str().unwrap_or("")
    }
    fn msg(&self) -> &str {
        self.body["error_msg"].as_str().unwrap_or("")
    }
}

fn sdk_date(t: SystemTime) -> String {
    let fmt = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::OffsetDateTime::from(t).format(&fmt).unwrap()
}

async fn start() -> Api {
    let config = SimConfig { create_delay: TICK, update_delay: TICK, delete_delay: TICK, ..SimConfig::default() };
    let (ak, sk, project) = (config.access_key.clone(), config.secret_key.clone(), config.project_id.clone());
    let sim = sim::start(config).await.expect("simulator starts");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    Api { sim, http, ak, sk, project }
}

impl Api {
    /// A request signed with `sk` at time `date`.
    async fn signed(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        sk: &str,
        date: SystemTime,
    ) -> Answer {
        answer(self.request(method, path, query, body, sk, date).send().await.unwrap()).await
    }

    /// A signed request, not sent yet.
    fn request(
        &self,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
        sk: &str,
        date: SystemTime,
    ) -> reqwest::RequestBuilder {
        let query: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut headers = vec![
            ("host".to_string(), self.sim.addr.to_string()),
            ("x-sdk-date".to_string(), sdk_date(date)),
            ("x-project-id".to_string(), self.project.clone()),
        ];
        if !body.is_empty() {
            headers.push(("content-type".into(), "application/json;charset=UTF-8".into()));
        }
        let s = Signable { method, path, query: &query, headers: &headers, body: body.as_bytes() };
        let (canonical, signed_names) = signer::canonical_request(&s);
        let sig = signer::signature(sk, &signer::string_to_sign(&headers[1].1, &canonical));
        let auth = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders={signed_names}, Signature={sig}", self.ak);
        let mut url = format!("{}{path}", self.sim.url());
        if !query.is_empty() {
            url = format!("{url}?{}", signer::canonical_query(&query));
        }
        let mut rb = self.http.request(method.parse().unwrap(), url).header("authorization", auth).body(body);
        for (k, v) in headers.iter().filter(|(k, _)| k != "host") {
            rb = rb.header(k, v);
        }
        rb
    }

    /// A signed request without a body, sent; the answer's head only.
    async fn raw(&self, method: &str, path: &str) -> reqwest::Response {
        self.request(method, path, &[], None, &self.sk, SystemTime::now()).send().await.unwrap()
    }

    async fn call(&self, method: &str, path: &str, body: Option<&Value>) -> Answer {
        self.signed(method, path, &[], body, &self.sk.clone(), SystemTime::now()).await
    }

    /// Let `by` of simulated time pass (no real sleep).
    async fn advance(&self, by: Duration) {
        let a = self.admin("POST", "clock", Some(json!({"advance_ms": by.as_millis() as u64}))).await;
        assert_eq!(a.status, 200, "{}", a.body);
    }

    async fn admin(&self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let rb = self.http.request(method.parse().unwrap(), format!("{}/_sim/{path}", self.sim.url()));
        let rb = match body {
            Some(b) => rb.header("content-type", "application/json").body(b.to_string()),
            None => rb,
        };
        answer(rb.send().await.unwrap()).await
    }

    async fn create(&self, body: &Value) -> String {
        let a = self.call("POST", BASE, Some(body)).await;
        assert_eq!(a.status, 200, "{}", a.body);
        a.body["instance_id"].as_str().unwrap().to_string()
    }

    async fn show(&self, id: &str) -> Answer {
        self.call("GET", &format!("{BASE}/{id}"), None).await
    }
}

async fn answer(r: reqwest::Response) -> Answer {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let bytes = r.bytes().await.unwrap();
    let body = if bytes.is_empty() { Value::Null } else { serde_json::from_slice(&bytes).unwrap() };
    Answer { status, body, headers }
}

fn standard() -> Value {
    json!({
        "instance_type": "standard",
        "flavor": {"type": "iotda.standard.s1", "size": 1},
        "name": "tf-iotda",
        "charge_info": {"charge_mode": "postPaid"},
    })
}

fn enterprise_prepaid() -> Value {
    json!({
        "instance_type": "enterprise",
        "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice"},
        "name": "tf-enterprise",
        "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
        "description": "IoTDA instance for production.",
        "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
        "tags": [{"key": "env", "value": "prod"}, {"key": "team"}],
        "additional_params": {
            "vpc_id": "40926909-d411-45dd-a8b4-1ebc36512345",
            "subnet_id": "088c7d8a-f49e-4f5f-bd33-ce9b6b712345",
            "security_group_id": "55980b43-f006-4dbf-ab58-9b0d9e712345",
            "port_info": {"app_https_port": 8443, "device_mqtt_port": 11883},
        },
    })
}

async fn wait_status(api: &Api, id: &str, status: &str) -> Value {
    for _ in 0..500 {
        let a = api.show(id).await;
        if a.body["status"] == status {
            return a.body;
        }
        api.advance(Duration::from_millis(10)).await;
    }
    panic!("instance {id} never reached {status}");
}

#[tokio::test]
async fn signature_problems_are_401() {
    let api = start().await;
    let path = format!("{BASE}/nothing");
    let a = api.signed("GET", &path, &[], None, "wrong-secret", SystemTime::now()).await;
    assert_eq!((a.status, a.code()), (401, "APIGW.0301"));
    assert!(
        a.msg().starts_with("Incorrect IAM authentication information: the signature does not match"),
        "{}",
        a.msg()
    );
    assert_eq!(a.body["request_id"], a.headers["x-request-id"].to_str().unwrap());

    let old = SystemTime::now() - Duration::from_secs(20 * 60);
    let a = api.signed("GET", &path, &[], None, &api.sk, old).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("X-Sdk-Date"), "{}", a.msg());

    let r = api.http.get(format!("{}{path}", api.sim.url())).send().await.unwrap();
    let a = answer(r).await;
    assert_eq!(a.status, 401);
    assert!(a.msg().contains("Authorization header is missing"));

    // Signed headers without x-sdk-date are refused.
    let auth = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders=host, Signature=00", api.ak);
    let r = api.http.get(format!("{}{path}", api.sim.url())).header("authorization", auth).send().await.unwrap();
    assert!(answer(r).await.msg().contains("must include x-sdk-date"));

    // Every logged request records the status it got.
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log.as_array().unwrap().len(), 4);
    assert!(log.as_array().unwrap().iter().all(|e| e["status"] == 401));
}

#[tokio::test]
async fn iam_project_lookup() {
    let api = start().await;
    let a = api.signed("GET", "/v3/projects", &[("name", "cn-north-4")], None, &api.sk, SystemTime::now()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["projects"][0]["id"], api.project);
    assert_eq!(a.body["projects"][0]["name"], "cn-north-4");
    let a = api.signed("GET", "/v3/projects", &[("name", "ap-southeast-1")], None, &api.sk, SystemTime::now()).await;
    assert_eq!(a.body["projects"], json!([]));
}

#[tokio::test]
async fn create_goes_from_creating_to_active() {
    let api = start().await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["status"], "CREATING");
    assert!(a.body.get("order_id").is_none());
    assert!(!a.headers["x-request-id"].is_empty());
    let id = a.body["instance_id"].as_str().unwrap();
    assert_eq!(api.show(id).await.body["status"], "CREATING");

    let v = wait_status(&api, id, "ACTIVE").await;
    assert_eq!(v["region_id"], "cn-north-4");
    assert_eq!(v["charge_mode"], "postPaid");
    assert_eq!(v["enterprise_project_id"], "0");
    assert_eq!(v["description"], "");
    assert_eq!(v["tags"], json!([]));
    assert!(v["additional_params"].is_null());
    let created = v["create_time"].as_str().unwrap();
    assert_eq!((created.len(), &created[10..11], &created[19..]), (20, "T", "Z"));
    let types: Vec<&str> = v["access_infos"].as_array().unwrap().iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["APP_HTTPS", "APP_AMQP", "DEVICE_MQTT", "DEVICE_COAP", "DEVICE_HTTPS", "APP_MQTT"]);
    assert_eq!(v["access_infos"][2]["port"], 8883);
    assert_eq!(v["access_infos"][2]["non_tls_port"], 1883);
    assert!(v["access_infos"][0]["domain_name"].as_str().unwrap().ends_with(".cn-north-4.myhuaweicloud.com"));
}

#[tokio::test]
async fn enterprise_prepaid_instance() {
    let api = start().await;
    let a = api.call("POST", BASE, Some(&enterprise_prepaid())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body["order_id"].as_str().unwrap().starts_with("CS"));
    let id = a.body["instance_id"].as_str().unwrap();
    // Without is_auto_pay the order awaits payment: TRADING until it is paid, then CREATING -> ACTIVE.
    assert_eq!(a.body["status"], "TRADING");
    api.advance(Duration::from_millis(100)).await;
    assert_eq!(api.show(id).await.body["status"], "TRADING");
    let paid = api.admin("POST", &format!("iotda/{id}/pay"), None).await;
    assert_eq!((paid.status, &paid.body["status"]), (200, &json!("CREATING")), "{}", paid.body);
    let again = api.admin("POST", &format!("iotda/{id}/pay"), None).await;
    assert_eq!(again.status, 400, "{}", again.body);
    let v = wait_status(&api, id, "ACTIVE").await;
    assert_eq!(v["order_id"], a.body["order_id"]);
    assert_eq!(v["access_infos"][0]["port"], 8443);
    assert_eq!(v["access_infos"][2]["non_tls_port"], 11883);
    assert_eq!(v["access_infos"][1]["port"], 5671);
    assert_eq!(v["additional_params"]["ciphering_algorithm"], "COMMON_ALGORITHM");
    assert_eq!(v["tags"], json!([{"key": "env", "value": "prod"}, {"key": "team", "value": ""}]));

    let d = api.call("DELETE", &format!("{BASE}/{id}"), None).await;
    assert_eq!((d.status, d.code()), (400, "IOTDA.000011"));
    assert!(d.msg().contains("unsubscribed"));
}

/// Fields the official SDK's models carry beyond the create tables are accepted and used.
#[tokio::test]
async fn sdk_fields_beyond_the_tables_are_accepted() {
    let api = start().await;
    let mut body = enterprise_prepaid();
    body["name"] = json!("tf-sdk");
    body["charge_info"]["is_auto_pay"] = json!(true);
    body["charge_info"]["promotion_infos"] = json!("");
    body["additional_params"]["port_info"]["app_mqtts_port"] = json!(18883);
    let a = api.call("POST", BASE, Some(&body)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v = wait_status(&api, a.body["instance_id"].as_str().unwrap(), "ACTIVE").await;
    let mqtt = v["access_infos"].as_array().unwrap().iter().find(|a| a["type"] == "APP_MQTT").cloned();
    assert_eq!(mqtt.map(|m| m["port"].clone()), Some(json!(18883)));
}

#[tokio::test]
async fn create_validation_names_the_field() {
    let api = start().await;
    type Edit = fn(&mut Value);
    let cases: Vec<(Edit, &str)> = vec![
        (|b| b["colour"] = json!("red"), "colour: unknown field"),
        (|b| b["flavor"]["speed"] = json!(1), "flavor.speed: unknown field"),
        (|b| b["description"] = Value::Null, "description: must not be null"),
        (|b| b["charge_info"]["is_auto_renew"] = json!("true"), "charge_info.is_auto_renew: expected a Boolean"),
        (|b| b["flavor"]["size"] = json!("1"), "flavor.size: expected an Integer"),
        (|b| b["flavor"]["size"] = json!(1.5), "flavor.size: expected an Integer"),
        (
            |b| {
                b.as_object_mut().unwrap().remove("name");
            },
            "name: is mandatory",
        ),
        (
            |b| {
                b["flavor"].as_object_mut().unwrap().remove("size");
            },
            "flavor.size: is required when instance_type is \"standard\"",
        ),
        (
            |b| b["charge_info"]["period_type"] = json!("month"),
            "charge_info.period_type: may only be set when charge_info.charge_mode is \"prePaid\"",
        ),
        (|b| b["charge_info"]["period_num"] = json!(1), "charge_info.period_num: may only be set when"),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "month"}),
            "charge_info.period_num: is required when charge_info.charge_mode is \"prePaid\"",
        ),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "year", "period_num": 4}),
            "charge_info.period_num: must be at most 3 when charge_info.period_type is \"year\", got 4",
        ),
        (
            |b| b["charge_info"] = json!({"charge_mode": "prePaid", "period_type": "month", "period_num": 10}),
            "charge_info.period_num: must be between 1 and 9, got 10",
        ),
        (|b| b["charge_info"]["charge_mode"] = json!("onDemand"), "charge_info.charge_mode: must be one of"),
        (|b| b["instance_type"] = json!("basic"), "instance_type: must be one of"),
        (
            |b| b["name"] = json!("my instance"),
            "name: may only contain letters, digits, underscores (_) and hyphens (-); ' ' is not allowed",
        ),
        (|b| b["name"] = json!("x".repeat(65)), "name: must be 1 to 64 characters long, got 65"),
        (|b| b["name"] = json!(""), "name: must be 1 to 64 characters long, got 0"),
        (|b| b["description"] = json!("d".repeat(257)), "description: must be 0 to 256 characters long, got 257"),
        (
            |b| b["enterprise_project_id"] = json!("ABC"),
            "enterprise_project_id: may only contain lowercase letters a-f, digits and hyphens; 'A'",
        ),
        (
            |b| b["enterprise_project_id"] = json!("0".repeat(37)),
            "enterprise_project_id: must be 1 to 36 characters long, got 37",
        ),
        (
            |b| b["tags"] = json!([{"key": " lead"}]),
            "tags[0].key: must be a key that does not start or end with a space",
        ),
        (
            |b| b["tags"] = json!([{"key": "a#b"}]),
            "tags[0].key: may only contain letters, digits, spaces and _.:=+-@; '#'",
        ),
        (
            |b| b["tags"] = json!([{"key": "k", "value": "v".repeat(256)}]),
            "tags[0].value: must be 0 to 255 characters long, got 256",
        ),
        (|b| b["tags"] = json!([{"key": "k"}, {"key": "k"}]), "tags[1].key: duplicate tag key"),
        (|b| b["tags"] = json!({"key": "k"}), "tags: expected an Array"),
        (|b| b["additional_params"] = json!({}), "additional_params.vpc_id: is mandatory"),
    ];
    for (edit, expected) in cases {
        let mut body = standard();
        edit(&mut body);
        let a = api.call("POST", BASE, Some(&body)).await;
        assert_eq!((a.status, a.code()), (400, "IOTDA.000006"), "{expected}: {}", a.body);
        assert_eq!(
            a.msg().strip_prefix("Invalid input data: ").map(|m| m.starts_with(expected)),
            Some(true),
            "want {expected:?}, got {:?}",
            a.msg()
        );
    }
    let mut e = enterprise_prepaid();
    e["additional_params"]["port_info"]["app_https_port"] = json!("443");
    let a = api.call("POST", BASE, Some(&e)).await;
    assert!(a.msg().contains("additional_params.port_info.app_https_port: expected an Integer"), "{}", a.msg());
    e["additional_params"]["port_info"]["app_https_port"] = json!(70000);
    assert!(api
        .call("POST", BASE, Some(&e))
        .await
        .msg()
        .contains("app_https_port: must be between 1 and 65535, got 70000"));
    e.as_object_mut().unwrap().remove("additional_params");
    assert!(api
        .call("POST", BASE, Some(&e))
        .await
        .msg()
        .contains("additional_params: is required when instance_type is \"enterprise\""));

    let r = api.http.post(format!("{}/_sim/state", api.sim.url())).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 404);
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"], json!([]));
}

#[tokio::test]
async fn missing_instance_and_wrong_project() {
    let mut api = start().await;
    let id = "8561675c-d8a3-4956-9884-9cf9cbdd3134";
    let tags = json!({"tags": [{"key": "a", "value": "b"}]});
    for (m, p, b) in [
        ("GET", format!("{BASE}/{id}"), None),
        ("PUT", format!("{BASE}/{id}"), Some(json!({"name": "x"}))),
        ("DELETE", format!("{BASE}/{id}"), None),
        ("POST", format!("{BASE}/{id}/resize"), Some(json!({"flavor": {"type": "iotda.standard.s2", "size": 2}}))),
        ("POST", format!("{BASE}/{id}/bind-tags"), Some(tags.clone())),
        ("POST", format!("{BASE}/{id}/unbind-tags"), Some(tags)),
    ] {
        let a = api.call(m, &p, b.as_ref()).await;
        assert_eq!((a.status, a.code(), a.msg()), (403, "IOTDA.001000", "The resource is not found"), "{m} {p}");
    }
    let a = api.call("GET", "/v5/iot/ffffffffffffffffffffffffffffffff/iotda-instances", None).await;
    assert_eq!(a.status, 403);
    assert!(a.msg().contains("project"), "{}", a.msg());
    assert_eq!(api.call("GET", "/v5/iot/nope", None).await.status, 404);
    api.project = "ffffffffffffffffffffffffffffffff".into(); // sent as X-Project-Id
    let a = api.call("GET", BASE, None).await;
    assert_eq!((a.status, a.msg().contains("X-Project-Id")), (403, true), "{}", a.body);
}

#[tokio::test]
async fn update_resize_tags_and_list() {
    let api = start().await;
    let id = api.create(&standard()).await;
    let before = wait_status(&api, &id, "ACTIVE").await;
    api.advance(Duration::from_millis(1100)).await;
    let path = format!("{BASE}/{id}");
    let upd = json!({"name": "renamed", "description": "new one", "operate_window": {"start_time": "22:00", "end_time": "23:59"}});
    let a = api.call("PUT", &path, Some(&upd)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!((&a.body["name"], &a.body["operate_window"]["end_time"]), (&json!("renamed"), &json!("23:59")));
    assert_ne!(a.body["update_time"], before["update_time"]);
    let bad =
        api.call("PUT", &path, Some(&json!({"operate_window": {"start_time": "25:00", "end_time": "01:00"}}))).await;
    assert!(bad.msg().contains("operate_window.start_time"), "{}", bad.msg());

    let rs = format!("{path}/resize");
    let same = api.call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 1}}))).await;
    assert_eq!(same.status, 400);
    let a = api
        .call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 3}, "is_auto_pay": true})))
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(api.show(&id).await.body["status"], "MODIFYING");
    let again = api.call("POST", &rs, Some(&json!({"flavor": {"type": "iotda.standard.s1", "size": 4}}))).await;
    assert_eq!((again.status, again.code()), (400, "IOTDA.000007"), "busy while MODIFYING");
    assert_eq!(wait_status(&api, &id, "ACTIVE").await["flavor"]["size"], 3);

    let bind = json!({"tags": [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]});
    assert_eq!(api.call("POST", &format!("{path}/bind-tags"), Some(&bind)).await.status, 200);
    let unbind = json!({"tags": [{"key": "a"}]});
    assert_eq!(api.call("POST", &format!("{path}/unbind-tags"), Some(&unbind)).await.status, 200);
    assert_eq!(api.show(&id).await.body["tags"], json!([{"key": "b", "value": "2"}]));
    let a = api.call("POST", &format!("{path}/bind-tags"), Some(&json!({"tags": []}))).await;
    assert!(a.msg().contains("tags: must have 1 to 20 elements, got 0"), "{}", a.msg());

    let mut other = standard();
    other["name"] = json!("another");
    let id2 = api.create(&other).await;
    let list = |q: Vec<(&'static str, String)>| {
        let api = &api;
        async move {
            let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api.signed("GET", BASE, &q, None, &api.sk, SystemTime::now()).await
        }
    };
    let a = list(vec![("name", "name".into())]).await;
    assert_eq!((a.body["count"].clone(), a.body["instances"][0]["instance_id"].clone()), (json!(1), json!(id)));
    let a = list(vec![("limit", "1".into())]).await;
    assert_eq!((a.body["count"].clone(), a.body["marker"].clone()), (json!(2), json!(id2)));
    let a = list(vec![("limit", "1".into()), ("marker", id2.clone())]).await;
    assert_eq!(a.body["instances"][0]["instance_id"], id);
    assert_eq!(a.body["instances"][0]["status"], "ACTIVE");
    assert!(list(vec![("limit", "0".into())]).await.msg().contains("limit: 0 is outside"));
    assert!(list(vec![("sort", "x".into())]).await.msg().contains("sort: unknown query parameter"));
    // Query values that need percent-encoding are signed and decoded consistently.
    let a = list(vec![("name", "tf iotda/é*~".into())]).await;
    assert_eq!((a.status, &a.body["count"]), (200, &json!(0)), "{}", a.body);
}

#[tokio::test]
async fn delete_disappears_after_the_delay() {
    let api = start().await;
    let id = api.create(&standard()).await;
    wait_status(&api, &id, "ACTIVE").await;
    let path = format!("{BASE}/{id}");
    assert_eq!(api.call("DELETE", &path, None).await.status, 204);
    assert_eq!(api.show(&id).await.status, 200);
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"][0]["_sim"]["deleting"], true);
    api.advance(TICK * 2).await;
    assert_eq!(api.show(&id).await.code(), "IOTDA.001000");
}

#[tokio::test]
async fn faults_and_request_log() {
    let api = start().await;
    let fault = json!({"method": "POST", "path_contains": "iotda-instances", "status": 429, "error_code": "APIGW.0308", "count": 2, "retry_after": 1});
    assert_eq!(api.admin("POST", "faults", Some(fault)).await.status, 201);
    for _ in 0..2 {
        let a = api.call("POST", BASE, Some(&standard())).await;
        assert_eq!((a.status, a.code()), (429, "APIGW.0308"));
        assert_eq!(a.headers["retry-after"], "1");
    }
    let id = api.create(&standard()).await;
    assert_eq!(api.show(&id).await.status, 200);
    let log = api.admin("GET", "requests", None).await.body;
    let statuses: Vec<u64> = log.as_array().unwrap().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 429, 200, 200]);
    assert_eq!(log[0]["body"]["name"], "tf-iotda");
    assert_eq!(log[3]["method"], "GET");
    assert_eq!(api.admin("DELETE", "requests", None).await.status, 204);
    assert_eq!(api.admin("GET", "requests", None).await.body, json!([]));
    let bad = api.admin("POST", "faults", Some(json!({"status": "429", "count": 1}))).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn fail_creates_ends_in_failed() {
    let api = start().await;
    let order = json!({"service": "iotda", "count": 1, "error_code": "IOTDA.014002", "error_msg": "no capacity"});
    assert_eq!(api.admin("POST", "fail-creates", Some(order)).await.status, 201);
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!((a.status, &a.body["status"]), (200, &json!("CREATING")));
    let id = a.body["instance_id"].as_str().unwrap();
    wait_status(&api, id, "FAILED").await;
    let state = api.admin("GET", "state", None).await.body;
    assert_eq!(state["iotda"][0]["_sim"]["failure"]["error_code"], "IOTDA.014002");
    let tasks = api.call("GET", &format!("{BASE}/{id}/tasks"), None).await.body;
    assert_eq!((&tasks["tasks"][0]["type"], &tasks["tasks"][0]["status"]), (&json!("CREATE"), &json!("FAILED")));
    assert!(tasks["tasks"][0]["status_detail"].as_str().unwrap().contains("no capacity"));
    let next = api.create(&standard()).await;
    wait_status(&api, &next, "ACTIVE").await;
}

#[tokio::test]
async fn out_of_band_patch_delete_and_config() {
    let api = start().await;
    let id = api.create(&standard()).await;
    let a = api.admin("PATCH", &format!("iotda/{id}"), Some(json!({"status": "FROZEN", "name": "changed"}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    api.advance(TICK * 2).await;
    let v = api.show(&id).await.body;
    assert_eq!((&v["status"], &v["name"]), (&json!("FROZEN"), &json!("changed")));
    assert_eq!(api.admin("DELETE", &format!("iotda/{id}"), None).await.status, 204);
    assert_eq!(api.show(&id).await.status, 403);
    assert_eq!(api.admin("DELETE", &format!("iotda/{id}"), None).await.status, 404);

    let c = api.admin("POST", "config", Some(json!({"create_delay_ms": 5000}))).await;
    assert_eq!(c.body["create_delay_ms"], 5000);
    let id = api.create(&standard()).await;
    api.advance(TICK * 2).await;
    assert_eq!(api.show(&id).await.body["status"], "CREATING");
}

#[test]
fn binary_serves_until_sigterm() {
    use std::io::{BufRead, BufReader};
    let bin = env!("CARGO_BIN_EXE_huaweicloud-sim");
    let help = std::process::Command::new(bin).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--create-delay-ms"));
    let mut child = std::process::Command::new(bin)
        .args(["--port", "0", "--region", "cn-east-3"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("huaweicloud-sim listening on http://127.0.0.1:"), "{line}");
    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}

/// The simulated clock: an advance makes every transition due by then happen at once, so a long create
/// is tested without waiting for it.
#[tokio::test]
async fn the_clock_advances_pending_transitions() {
    let api = start().await;
    let set = api.admin("POST", "config", Some(json!({"create_delay_ms": 3_600_000}))).await;
    assert_eq!(set.status, 200, "{}", set.body);
    let id = api.create(&standard()).await;
    assert_eq!(api.show(&id).await.body["status"], "CREATING");
    let before = api.admin("GET", "clock", None).await.body;
    assert_eq!(before["offset_ms"], 0);
    let moved = api.admin("POST", "clock", Some(json!({"advance_ms": 3_599_000}))).await;
    assert_eq!(moved.body["offset_ms"], 3_599_000);
    assert_eq!(api.show(&id).await.body["status"], "CREATING", "one second is still to go");
    api.admin("POST", "clock", Some(json!({"advance_ms": 1_000}))).await;
    assert_eq!(api.show(&id).await.body["status"], "ACTIVE");
    let bad = api.admin("POST", "clock", Some(json!({"advance_ms": -1}))).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
}

const KAFKA: &str = "/v2/0123456789abcdef0123456789abcdef/instances";
const CLOUDDC: &str = "/v1/0123456789abcdef0123456789abcdef/instances";

/// Resident memory of this process in bytes (Linux only).
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

async fn add_fault(api: &Api, fault: Value) -> Value {
    let a = api.admin("POST", "faults", Some(fault.clone())).await;
    assert_eq!(a.status, 201, "{fault}: {}", a.body);
    a.body
}

/// A fault with a `percent` fires on that share of the matching requests; one that does not fire lets
/// the next matching fault try, so "30% answer 429, then 10% of the rest answer 503" takes two faults.
#[tokio::test]
async fn faults_fire_by_chance_in_order() {
    let api = start().await;
    let echo =
        add_fault(&api, json!({"path_contains": "iotda-instances", "status": 429, "count": 1_000_000, "percent": 30}))
            .await;
    assert_eq!((echo["percent"].as_u64(), echo["status"].as_u64()), (Some(30), Some(429)));
    add_fault(&api, json!({"path_contains": "iotda-instances", "status": 503, "count": 1_000_000, "percent": 10}))
        .await;
    let mut seen = std::collections::HashMap::new();
    for _ in 0..300 {
        *seen.entry(api.call("GET", BASE, None).await.status).or_insert(0u32) += 1;
    }
    let (throttled, failed, ok) = (seen[&429], seen.get(&503).copied().unwrap_or(0), seen[&200]);
    // Expected 90, 21 (10% of the remaining 70%) and 189 of 300; the bounds are some six deviations wide.
    assert!((45..=135).contains(&throttled), "{seen:?}");
    assert!((3..=45).contains(&failed), "{seen:?}");
    assert_eq!(throttled + failed + ok, 300, "{seen:?}");
    let faults = api.admin("GET", "faults", None).await.body;
    assert_eq!(faults[0]["count"], 1_000_000 - u64::from(throttled));
    assert_eq!(faults[1]["count"], 1_000_000 - u64::from(failed));
    for bad in [json!({"status": 500, "count": 1, "percent": 0}), json!({"status": 500, "count": 1, "percent": 101})] {
        let a = api.admin("POST", "faults", Some(bad.clone())).await;
        assert!(a.status == 400 && a.msg().contains("percent"), "{bad}: {}", a.body);
    }
}

/// A fault status under 400 without after_processing still answers the fault's error body (with the
/// request id), and the service does not act.
#[tokio::test]
async fn a_fault_with_status_200_answers_its_error_body_without_acting() {
    let api = start().await;
    add_fault(&api, json!({"status": 200, "path_contains": "iotda-instances", "method": "GET", "count": 1})).await;
    let a = api.call("GET", BASE, None).await;
    assert_eq!(a.status, 200);
    let id = a.headers["x-request-id"].to_str().unwrap();
    assert_eq!(a.body, json!({"error_code": "SIM.FAULT", "error_msg": "Injected fault", "request_id": id}));
    add_fault(&api, json!({"status": 200, "path_contains": "iotda-instances", "method": "POST", "count": 1})).await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!((a.status, a.code()), (200, "SIM.FAULT"));
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"], json!([]), "nothing was created");
}

/// answer_set and answer_remove edit the processed answer (the service acted); the stored object is
/// untouched, and `status`, when given, replaces the answer's.
#[tokio::test]
async fn faults_edit_the_processed_answer() {
    let api = start().await;
    add_fault(
        &api,
        json!({"method": "POST", "path_contains": "iotda-instances", "count": 1, "answer_remove": ["/instance_id"]}),
    )
    .await;
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.get("instance_id").is_none() && a.body["name"] == "tf-iotda", "{}", a.body);
    let state = api.admin("GET", "state", None).await.body;
    let id = state["iotda"][0]["instance_id"].as_str().expect("the instance was created").to_string();

    let edits = json!({
        "/status": "FROZEN", "/operate_window": null, "/new/deep": [1], "/access_infos/0/port": 1,
        "/tags/-": {"key": "added", "value": ""},
    });
    let echo = add_fault(
        &api,
        json!({"method": "GET", "path_contains": &id, "count": 1, "answer_set": edits,
               "answer_remove": ["/access_infos/1", "/description"]}),
    )
    .await;
    assert_eq!((&echo["answer_set"]["/status"], &echo["after_processing"]), (&json!("FROZEN"), &json!(true)));
    assert!(echo["status"].is_null(), "{echo}");
    let v = api.show(&id).await;
    assert_eq!(v.status, 200);
    assert_eq!((&v.body["status"], &v.body["operate_window"]), (&json!("FROZEN"), &Value::Null));
    assert!(v.body.as_object().unwrap().contains_key("operate_window"), "an explicit null stays");
    assert_eq!((&v.body["new"], &v.body["access_infos"][0]["port"]), (&json!({"deep": [1]}), &json!(1)));
    assert_eq!(v.body["tags"], json!([{"key": "added", "value": ""}]));
    assert_eq!(v.body["access_infos"][1]["type"], "DEVICE_MQTT", "APP_AMQP was removed");
    assert!(v.body.get("description").is_none());
    let plain = api.show(&id).await.body;
    assert_eq!((&plain["operate_window"]["start_time"], &plain["description"]), (&json!("02:00"), &json!("")));
    assert_ne!(plain["status"], "FROZEN", "the stored object is as before");

    add_fault(&api, json!({"path_contains": &id, "count": 1, "status": 503, "answer_set": {"/name": "x"}})).await;
    let a = api.show(&id).await;
    assert_eq!((a.status, &a.body["name"], &a.body["instance_id"]), (503, &json!("x"), &json!(id)));

    for (bad, part) in [
        (
            json!({"count": 1}),
            "status: is mandatory unless answer_set, answer_remove, answer_bytes, drip_ms, delay_ms or gather",
        ),
        (json!({"count": 1, "answer_set": [1]}), "answer_set: expected an Object"),
        (json!({"count": 1, "answer_set": {}}), "answer_set: must have 1 to 100 elements"),
        (json!({"count": 1, "answer_set": {"status": 1}}), "answer_set.status: must be a JSON pointer"),
        (json!({"count": 1, "answer_remove": ["/a~2"]}), "answer_remove[0]: must be a JSON pointer"),
        (json!({"count": 1, "answer_bytes": 4_294_967_297u64}), "answer_bytes: must be between 0 and 4294967296"),
        (
            json!({"count": 1, "answer_bytes": 1, "answer_set": {"/a": 1}}),
            "answer_set: must not be given with answer_bytes",
        ),
        (json!({"count": 1, "status": 200, "answer_length_header": true}), "answer_length_header: must not be given"),
        (json!({"count": 1, "drip_ms": 0}), "drip_ms: must be between 1 and 60000"),
        (json!({"count": 1, "answer_bytes": 1, "colour": 1}), "colour: unknown field"),
    ] {
        let a = api.admin("POST", "faults", Some(bad.clone())).await;
        assert!(a.status == 400 && a.msg().contains(part), "{bad}: {}", a.body);
    }
}

/// answer_bytes: a generated 200 answer, chunked without Content-Length (or with it, when asked), of
/// any size, without the simulator holding it.
#[tokio::test]
async fn faults_answer_generated_bytes() {
    let api = start().await;
    add_fault(&api, json!({"method": "POST", "path_contains": "iotda-instances", "count": 1, "answer_bytes": 100_000}))
        .await;
    let r = api.request("POST", BASE, &[], Some(&standard()), &api.sk, SystemTime::now()).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(r.headers().get("content-length").is_none(), "{:?}", r.headers());
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    let body = r.bytes().await.unwrap();
    assert_eq!((body.len(), &body[..9]), (100_000, &b"{\"pad\":\"x"[..]));
    assert_eq!(api.admin("GET", "state", None).await.body["iotda"].as_array().map(Vec::len), Some(1), "it acted");
    let logged = api.admin("GET", "requests", None).await.body;
    assert_eq!(logged[0]["status"], 200);

    add_fault(
        &api,
        json!({"method": "GET", "count": 1, "status": 202, "answer_bytes": 7, "answer_length_header": true}),
    )
    .await;
    let r = api.raw("GET", BASE).await;
    assert_eq!((r.status().as_u16(), r.headers()["content-length"].to_str().unwrap()), (202, "7"));
    assert_eq!(r.bytes().await.unwrap(), &b"{\"pad\":"[..]);

    // A 1 GiB answer streams through without the simulator (this process) growing by it.
    add_fault(&api, json!({"method": "GET", "count": 1, "answer_bytes": 1u64 << 30})).await;
    let before = resident();
    let mut r = api.raw("GET", BASE).await;
    let (mut total, mut peak) = (0u64, 0u64);
    while let Some(chunk) = r.chunk().await.unwrap() {
        total += chunk.len() as u64;
        if total % (64 << 20) < chunk.len() as u64 {
            peak = peak.max(resident().unwrap_or(0));
        }
    }
    assert_eq!(total, 1 << 30);
    if let Some(before) = before {
        let grown = peak.max(resident().unwrap_or(0)).saturating_sub(before);
        assert!(grown < 256 << 20, "the process grew by {} MiB", grown >> 20);
    }
}

/// drip_ms: the head goes out at once, then the body one byte every drip_ms.
#[tokio::test]
async fn faults_drip_the_body() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "count": 1, "drip_ms": 600, "answer_set": {"": [1]}})).await;
    let started = std::time::Instant::now();
    let r = api.raw("GET", BASE).await;
    let head = started.elapsed();
    assert_eq!((r.status().as_u16(), r.headers()["content-length"].to_str().unwrap()), (200, "3"));
    assert_eq!(r.bytes().await.unwrap(), &b"[1]"[..]);
    let whole = started.elapsed();
    // The head comes before the first byte is due; the body takes at least three drips.
    assert!(head < Duration::from_millis(600), "the head took {head:?}");
    assert!(whole >= Duration::from_millis(1800), "the body took {whole:?}");
}

/// Latency: an API request waits before it is processed and again before its answer; other requests
/// are not held up, and admin calls answer at once.
#[tokio::test]
async fn latency_each_way() {
    let api = start().await;
    let c = api.admin("POST", "config", Some(json!({"latency_ms": 1000}))).await;
    assert_eq!((c.status, &c.body["latency_ms"]), (200, &json!(1000)), "{}", c.body);
    assert_eq!(api.admin("GET", "config", None).await.body["latency_ms"], 1000);
    let body = standard();
    let started = std::time::Instant::now();
    // Margins of half a second or more on every side: a loaded machine does not move a probe across.
    let (create, list, probes) =
        tokio::join!(api.call("POST", BASE, Some(&body)), api.call("GET", BASE, None), async {
            tokio::time::sleep(Duration::from_millis(100)).await;
            let early = api.admin("GET", "state", None).await.body["iotda"].clone();
            let early_at = started.elapsed();
            tokio::time::sleep(Duration::from_millis(1400)).await;
            let late = api.admin("GET", "state", None).await.body["iotda"].clone();
            (early, early_at, late)
        });
    let elapsed = started.elapsed();
    assert_eq!((create.status, list.status), (200, 200));
    let (early, early_at, late) = probes;
    assert_eq!(early, json!([]), "not processed yet");
    assert!(early_at < Duration::from_millis(900), "an admin call waited: {early_at:?}");
    assert_eq!(late.as_array().map(Vec::len), Some(1), "processed, the answer still on its way");
    assert!(elapsed >= Duration::from_millis(2000), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(3500), "the two requests waited in turn: {elapsed:?}");
    api.admin("POST", "config", Some(json!({"latency_ms": 0}))).await;
    assert!(api.admin("POST", "config", Some(json!({"latency_ms": -1}))).await.status == 400);
}

/// The request log keeps the newest entries, and a large body only by its size: fifty unsigned 4 MB
/// posts (refused, but logged) do not grow the simulator by their size.
#[tokio::test]
async fn the_request_log_is_bounded() {
    let api = start().await;
    assert_eq!(api.admin("GET", "config", None).await.body["request_log_limit"], 10_000);
    let big = vec![b'a'; 4_000_000];
    let before = resident();
    for _ in 0..50 {
        let r = api.http.post(format!("{}{BASE}", api.sim.url())).body(big.clone()).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 401);
    }
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log.as_array().map(Vec::len), Some(50));
    assert_eq!(log[49]["body"], json!({"_sim_truncated_bytes": 4_000_000}));
    if let (Some(before), Some(after)) = (before, resident()) {
        let grown = after.saturating_sub(before);
        assert!(grown < 100 << 20, "the process grew by {} MiB", grown >> 20);
    }
    let just = json!({"pad": "x".repeat(64 * 1024 - 10)});
    assert_eq!(just.to_string().len(), 64 * 1024);
    let over = json!({"pad": "x".repeat(64 * 1024 - 9)});
    for body in [&just, &over] {
        api.http.post(format!("{}{BASE}", api.sim.url())).body(body.to_string()).send().await.unwrap();
    }
    let log = api.admin("GET", "requests", None).await.body;
    assert_eq!(log[50]["body"], just);
    assert_eq!(log[51]["body"], json!({"_sim_truncated_bytes": 64 * 1024 + 1}));

    let c = api.admin("POST", "config", Some(json!({"request_log_limit": 3}))).await;
    assert_eq!(c.body["request_log_limit"], 3);
    assert_eq!(api.admin("GET", "requests", None).await.body.as_array().map(Vec::len), Some(3), "trimmed at once");
    for n in 0..5 {
        api.signed("GET", BASE, &[("name", &format!("n{n}"))], None, &api.sk, SystemTime::now()).await;
    }
    let log = api.admin("GET", "requests", None).await.body;
    let names: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["query"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["n2", "n3", "n4"]);
}

/// No admin answer shows a password in clear: not the state (the services' bookkeeping included), not
/// the request log, not a patch's answer; each shows the redacted form, which still tells which one.
#[tokio::test]
async fn admin_answers_never_show_a_password() {
    let api = start().await;
    let secrets = [
        "Kafka@Pass-01",
        "Manager@Pass-02",
        "Manager@Pass-03",
        "Kafka@Pass-04",
        "Secret-123",
        "Other-4567",
        "Again-8901",
    ];
    let kafka = json!({
        "name": "kafka-secret", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": secrets[1], "storage_spec_code": "dms.physical.storage.ultra",
        "ssl_enable": true, "access_user": "user", "password": secrets[0],
    });
    let a = api.call("POST", KAFKA, Some(&kafka)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let kafka_id = a.body["instance_id"].as_str().unwrap().to_string();
    let bm = json!({"name": "bm-secret", "image_id": "img-1", "vpc_id": "vpc-1", "password": secrets[4],
                    "network_interfaces": [{"subnet_id": "sub-1"}]});
    let a = api.call("POST", CLOUDDC, Some(&bm)).await;
    assert_eq!(a.status, 202, "{}", a.body);
    let bm_id = a.body["instance_id"].as_str().unwrap().to_string();
    api.create(&standard()).await;
    api.advance(TICK * 2).await;

    let changes = [
        ("PUT", format!("{KAFKA}/{kafka_id}/kafka-manager-password"), json!({"new_password": secrets[2]}), 204),
        ("POST", format!("{KAFKA}/{kafka_id}/password"), json!({"new_password": secrets[3]}), 204),
        ("PUT", format!("{CLOUDDC}/password"), json!({"new_password": secrets[5], "instance_id_set": [bm_id]}), 200),
        ("PUT", format!("{CLOUDDC}/reinstall"), json!({"password": secrets[6], "instance_id_set": [bm_id]}), 200),
    ];
    for (method, path, body, status) in changes {
        let a = api.call(method, &path, Some(&body)).await;
        assert_eq!(a.status, status, "{path}: {}", a.body);
    }
    api.advance(TICK * 2).await;

    let state = api.admin("GET", "state", None).await.body;
    let log = api.admin("GET", "requests", None).await.body;
    let patched = api.admin("PATCH", &format!("clouddc/{bm_id}"), Some(json!({"name": "bm-renamed"}))).await.body;
    let faults = add_fault(&api, json!({"count": 1, "answer_set": {"/password": secrets[0]}})).await;
    for (what, answer) in [("state", &state), ("requests", &log), ("patch", &patched), ("faults", &faults)] {
        let text = answer.to_string();
        for secret in secrets {
            assert!(!text.contains(secret), "{what} shows {secret}: {text}");
        }
    }
    let sim_password = |v: &Value| v["_sim"]["password"].clone();
    assert_eq!(sim_password(&state["clouddc"][0]), sim::redacted(secrets[6]));
    assert_eq!(sim_password(&patched), sim::redacted(secrets[6]));
    assert_eq!(state["kafka"][0]["_sim"]["passwords_changed"], json!(["manager", "sasl"]), "not a secret");
    let body_of = |fragment: &str| {
        log.as_array().unwrap().iter().find(|e| e["path"].as_str().unwrap().ends_with(fragment)).unwrap()["body"]
            .clone()
    };
    let created = body_of("/instances");
    assert_eq!(
        (&created["password"], &created["kafka_manager_password"]),
        (&json!(sim::redacted(secrets[0])), &json!(sim::redacted(secrets[1])))
    );
    assert_eq!(body_of("/kafka-manager-password")["new_password"], sim::redacted(secrets[2]));
    assert_eq!(body_of("/reinstall"), json!({"password": sim::redacted(secrets[6]), "instance_id_set": [bm_id]}));
    assert_eq!(faults["answer_set"]["/password"], sim::redacted(secrets[0]));
    assert_eq!(sim::redacted("abc"), "<redacted sha256:ba7816bf>");
}

/// skip, path_equals and delay_ms: the second list call fails, not the first; a fault on a list's exact
/// path leaves the objects under it alone; a delayed answer comes after the service acted.
#[tokio::test]
async fn faults_skip_match_exact_paths_and_hold_answers() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "skip": 1, "count": 1, "status": 503})).await;
    assert_eq!(api.call("GET", BASE, None).await.status, 200);
    assert_eq!(api.call("GET", BASE, None).await.status, 503);
    assert_eq!(api.call("GET", BASE, None).await.status, 200);

    let created = api.call("POST", BASE, Some(&standard())).await;
    let id = created.body["instance_id"].as_str().unwrap().to_string();
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "count": 5, "status": 500})).await;
    assert_eq!(api.call("GET", &format!("{BASE}/{id}"), None).await.status, 200, "an object under the list");
    api.admin("DELETE", "faults", None).await;

    add_fault(&api, json!({"method": "POST", "path_equals": BASE, "count": 1, "delay_ms": 1500})).await;
    let body = json!({"name": "held"}).as_object().cloned().map(|mut b| {
        b.extend(standard().as_object().cloned().unwrap().into_iter().filter(|(k, _)| k != "name"));
        Value::Object(b)
    });
    let started = std::time::Instant::now();
    let (answer, seen) = tokio::join!(api.call("POST", BASE, body.as_ref()), async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        api.admin("GET", "state", None).await.body["iotda"].as_array().map(Vec::len)
    });
    assert_eq!(answer.status, 200);
    assert_eq!(seen, Some(2), "the service acted before the held answer left");
    assert!(started.elapsed() >= Duration::from_millis(1500), "{:?}", started.elapsed());
}

/// The create documents' own example requests are accepted, with two repairs the documents force:
/// masked passwords (`**********`) get real ones, and the IoTDA examples' `"true"`/`"443"` (text where
/// their tables say Boolean and Integer) are sent as the tables type them. The Kafka example's
/// `public_boundwidth`, an older spelling the SDK still shows, is accepted.
#[tokio::test]
async fn the_documented_example_requests_are_accepted() {
    let api = start().await;
    let iotda_examples = [
        json!({"instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 2}, "name": "iotda_instance",
               "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
               "description": "IoTDA instance for production.", "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
               "tags": [{"key": "testTagName", "value": "testTagValue"}]}),
        json!({"instance_type": "standard", "flavor": {"type": "iotda.standard.s2", "size": 2}, "name": "iotda_instance_2",
               "charge_info": {"charge_mode": "postPaid"}, "description": "IoTDA instance for production.",
               "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d"}),
        json!({"instance_type": "enterprise", "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice"},
               "name": "iotda_enterprise_instance",
               "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
               "description": "IoTDA instance for production.", "enterprise_project_id": "d22e47e9-cfad-4254-8a29-d2a56a07681d",
               "additional_params": {"vpc_id": "40926909-d411-45dd-a8b4-1ebc36512345", "subnet_id": "088c7d8a-f49e-4f5f-bd33-ce9b6b712345",
                   "security_group_id": "55980b43-f006-4dbf-ab58-9b0d9e712345",
                   "smn_topic_urn": "urn:smn:cn-north-7:08aaee8ae000d5182f26c00199812345:iotda_instance_create",
                   "ciphering_algorithm": "COMMON_ALGORITHM",
                   "port_info": {"app_https_port": 443, "app_amqps_port": 5671, "device_coap_port": 5683, "device_coaps_port": 5684,
                                 "device_mqtt_port": 1883, "device_mqtts_port": 8883, "device_https_port": 443}}}),
    ];
    for example in iotda_examples {
        let a = api.call("POST", BASE, Some(&example)).await;
        assert_eq!(a.status, 200, "{example}: {}", a.body);
    }
    let kafka = json!({
        "name": "kafka-test", "description": "", "engine": "kafka", "engine_version": "1.1.0", "storage_space": 300,
        "kafka_manager_user": "root", "kafka_manager_password": "Manager@Pass-02",
        "vpc_id": "23921d2a-****-****-****-5f2fa5327a48", "security_group_id": "2e888928-****-****-****-e36c6520d473",
        "subnet_id": "37bb12c9-****-****-****-ae8f7d336ab6", "available_zones": ["a0865121f83b41cbafce65930a22a6e8"],
        "product_id": "00300-30310-0--0", "maintain_begin": "22:00", "maintain_end": "02:00", "ssl_enable": true,
        "enable_publicip": true,
        "publicip_id": "6db1129f-16af-455d-8d54-d7ab9f277393,bb200202-423f-49e4-bae7-8ab3c36cdc3e,ca8801e8-6620-42af-b506-a5c9ee395466",
        "access_user": "root", "password": "Kafka@Pass-01", "enterprise_project_id": "0", "specification": "300MB",
        "partition_num": 900, "retention_policy": "time_base", "public_boundwidth": 3, "connector_enable": false,
        "enable_auto_topic": true, "storage_spec_code": "dms.physical.storage.ultra",
        "tags": [{"key": "key1", "value": "value1"}, {"key": "key2", "value": "value2"}]
    });
    let a = api.call("POST", KAFKA, Some(&kafka)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let id = a.body["instance_id"].as_str().unwrap();
    let shown = api.call("GET", &format!("{KAFKA}/{id}"), None).await.body;
    assert_eq!((&shown["public_bandwidth"], &shown["public_boundwidth"]), (&json!(3), &json!(3)));
}

/// gather: each matching request is processed when it arrives, and its answer waits until the wanted
/// number have arrived: the first of two lookups answers only with the second, and shows what was there
/// when it arrived.
#[tokio::test]
async fn faults_gather_answers_until_all_arrived() {
    let api = start().await;
    add_fault(&api, json!({"method": "GET", "path_equals": BASE, "count": 2, "gather": 2})).await;
    let first = api.call("GET", BASE, None);
    tokio::pin!(first);
    let early = tokio::time::timeout(Duration::from_millis(300), &mut first).await;
    assert!(early.is_err(), "answered before the second arrived");
    assert_eq!(api.call("POST", BASE, Some(&standard())).await.status, 200);
    let (first, second) = tokio::join!(first, api.call("GET", BASE, None));
    assert_eq!((first.status, second.status), (200, 200));
    assert_eq!(first.body["instances"].as_array().map(Vec::len), Some(0), "processed when it arrived");
    assert_eq!(second.body["instances"].as_array().map(Vec::len), Some(1));
}
