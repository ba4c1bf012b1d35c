//! End-to-end tests of the simulator: real signed HTTP requests against an in-process server. This
//! file holds what the tests share; the tests are in its modules.

mod admin;
mod faults;
mod iotda;
mod kafka_users;
mod kafka_v2;
mod routing;
mod tokens;

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

/// The keys a request is signed with.
#[derive(Clone, Copy)]
struct Keys<'a> {
    ak: &'a str,
    sk: &'a str,
    token: Option<&'a str>,
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
        self.request_as(Keys { ak: &self.ak, sk, token: None }, method, path, query, body, date)
    }

    /// A request signed with `keys` (and their security token), not sent yet.
    fn request_as(
        &self,
        keys: Keys,
        method: &str,
        path: &str,
        query: &[(&str, &str)],
        body: Option<&Value>,
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
        if let Some(token) = keys.token {
            headers.push(("x-security-token".into(), token.to_string()));
        }
        let s = Signable { method, path, query: &query, headers: &headers, body: body.as_bytes() };
        let (canonical, signed_names) = signer::canonical_request(&s);
        let sig = signer::signature(keys.sk, &signer::string_to_sign(&headers[1].1, &canonical));
        let auth = format!("SDK-HMAC-SHA256 Access={}, SignedHeaders={signed_names}, Signature={sig}", keys.ak);
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
