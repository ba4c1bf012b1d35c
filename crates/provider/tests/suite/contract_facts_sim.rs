//! What the checks of the contract's facts against the simulator share: a simulator with signed
//! requests and a controlled clock, one real instance of each service, the paths of operations with
//! their placeholders filled, and a valid sample body for every operation that takes one.

use std::time::{Duration, SystemTime};

use hwapi::client::signer::{self, Signable};
use hwapi::contract::{at, clouddc, find_path, iam, iotda, kafka, Check, Op, Param, Ty};
use hwapi::service::Service;
use hwsim::{Sim, SimConfig};
use serde_json::{json, Value};

/// How long a create, an update and a delete take in the simulator; the clock moves by `STEP_MS`.
pub const DELAY_MS: u64 = 1000;
pub const STEP_MS: u64 = 100;
/// The Kafka user and topic the samples and paths name.
pub const USER: &str = "Kafka_user1";
pub const TOPIC: &str = "topic-a";

pub struct Api {
    sim: Sim,
    http: reqwest::Client,
    config: SimConfig,
}

/// One answer: the HTTP status and the JSON body (Null when empty or no JSON).
pub struct Answer {
    pub status: u16,
    pub body: Value,
}

impl Answer {
    pub fn code(&self) -> Option<String> {
        self.body["error_code"].as_str().map(str::to_string)
    }
    pub fn is_not_routed(&self) -> bool {
        self.status == 404 && self.code().as_deref() == Some("APIGW.0101")
    }
}

/// A simulator whose creates, updates and deletes take `DELAY_MS`.
pub async fn start() -> Api {
    let d = Duration::from_millis(DELAY_MS);
    let config = SimConfig { create_delay: d, update_delay: d, delete_delay: d, ..SimConfig::default() };
    let sim = hwsim::start(config.clone()).await.expect("the simulator starts");
    Api { sim, http: reqwest::Client::builder().no_proxy().build().unwrap(), config }
}

impl Api {
    pub fn project(&self) -> &str {
        &self.config.project_id
    }

    /// A request signed with the simulator's credentials.
    pub async fn call(&self, method: &str, path: &str, query: &[(&str, String)], body: Option<&Value>) -> Answer {
        let query: Vec<(String, String)> = query.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        let body = body.map(Value::to_string).unwrap_or_default();
        let date = signer::sdk_date(SystemTime::now());
        let mut headers = vec![
            ("host".to_string(), self.sim.addr.to_string()),
            ("x-sdk-date".to_string(), date.clone()),
            ("x-project-id".to_string(), self.config.project_id.clone()),
        ];
        if !body.is_empty() {
            headers.push(("content-type".into(), "application/json".into()));
        }
        let s = Signable { method, path, query: &query, headers: &headers, body: body.as_bytes() };
        let auth = signer::authorization(&self.config.access_key, &self.config.secret_key, &s, &date);
        let mut url = format!("{}{path}", self.sim.url());
        if !query.is_empty() {
            url = format!("{url}?{}", signer::canonical_query(&query));
        }
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut rb = self.http.request(method, url).header("authorization", auth).body(body);
        for (k, v) in headers.iter().filter(|(k, _)| k != "host") {
            rb = rb.header(k, v);
        }
        let r = rb.send().await.expect("the simulator answers");
        let status = r.status().as_u16();
        let bytes = r.bytes().await.unwrap();
        Answer { status, body: serde_json::from_slice(&bytes).unwrap_or(Value::Null) }
    }

    /// `op` with its placeholders filled (`id`: the instance).
    pub async fn send(&self, op: &Op, id: &str, body: Option<&Value>) -> Answer {
        self.call(op.method.as_str(), &fill(op, self.project(), id), &[], body).await
    }

    /// An admin call (`/_sim/{path}`), which must succeed.
    pub async fn admin(&self, path: &str, body: Value) {
        let url = format!("{}/_sim/{path}", self.sim.url());
        let r = self.http.post(url).header("content-type", "application/json").body(body.to_string());
        let r = r.send().await.expect("the admin API answers");
        assert!(r.status().is_success(), "/_sim/{path}: {}", r.text().await.unwrap_or_default());
    }

    /// Moves the simulated clock one step.
    pub async fn step(&self) {
        self.admin("clock", json!({"advance_ms": STEP_MS})).await;
    }

    /// Creates an instance of `op`'s service with `body`; its id.
    pub async fn create(&self, op: &Op, body: &Value) -> String {
        let a = self.send(op, "", Some(body)).await;
        assert!(a.status < 300, "{}: {}", op.label(), a.body);
        a.body["instance_id"].as_str().expect("the new instance's id").to_string()
    }

    /// One instance of each service, each created with its first sample: (service, id).
    pub async fn instances(&self) -> Vec<(Service, String)> {
        let mut out = Vec::new();
        for create in [&iotda::CREATE, &kafka::CREATE, &clouddc::CREATE] {
            out.push((create.service, self.create(create, &samples(create)[0]).await));
        }
        out
    }
}

/// The instance of `service` among `ids` ("" when there is none).
pub fn id_of(ids: &[(Service, String)], service: Service) -> &str {
    ids.iter().find(|(s, _)| *s == service).map_or("", |(_, id)| id.as_str())
}

/// The value of a placeholder: the project, the instance, and the engine, user and topic the
/// samples name.
pub fn arg(project: &str, id: &str, name: &str) -> Option<String> {
    match name {
        "project_id" => Some(project.to_string()),
        "instance_id" => Some(id.to_string()),
        "engine" => Some("kafka".to_string()),
        "user_name" => Some(USER.to_string()),
        "topic_name" => Some(TOPIC.to_string()),
        _ => None,
    }
}

/// The path of `op` with every placeholder filled.
pub fn fill(op: &Op, project: &str, id: &str) -> String {
    op.placeholders().into_iter().fold(op.path.to_string(), |path, name| {
        path.replace(&format!("{{{name}}}"), &arg(project, id, name).unwrap_or_default())
    })
}

fn iotda_standard() -> Value {
    json!({
        "instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 1}, "name": "facts-iotda",
        "charge_info": {"charge_mode": "postPaid"},
    })
}

fn iotda_enterprise_prepaid() -> Value {
    json!({
        "instance_type": "enterprise", "flavor": {"type": "iotda.enterprise.1000tps.10wonlinedevice"},
        "name": "facts-enterprise",
        "charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 1, "is_auto_renew": true, "is_auto_pay": false},
        "additional_params": {
            "vpc_id": "vpc-1", "subnet_id": "sub-1", "security_group_id": "sg-1",
            "port_info": {"app_https_port": 8443},
        },
    })
}

fn kafka_plain() -> Value {
    json!({
        "name": "kafka-facts", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "manager",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    })
}

/// The simulator's first three availability zones (none sold out; every disk of the samples is sold in each).
pub const ZONES: [&str; 3] =
    ["d573142f24894ef3bd3664de068b44b0", "effdcbc7d4d64a02aa1fa26b42f56533", "9f1c5806706d4c1fb0eb72f0a9b18c77"];

/// SASL, a public address and a maintenance window: the members the create rules tie together. Both
/// create samples have three brokers, each taking one EIP.
fn with_sasl_and_public(mut body: Value) -> Value {
    let more = json!({
        "ssl_enable": true, "access_user": "kafka-user", "password": "Sasl@45678", "enable_publicip": true,
        "publicip_id": "eip-1,eip-2,eip-3", "maintain_begin": "22:00", "maintain_end": "02:00",
    });
    body.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    body
}

fn kafka_full() -> Value {
    let mut body = with_sasl_and_public(kafka_plain());
    body["public_bandwidth"] = json!(5);
    body
}

/// Three brokers of the smallest flavor with 100 GB each, in the region's first three zones.
fn kafka_v2_plain() -> Value {
    json!({
        "name": "kafka-v2", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 300,
        "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet", "available_zones": ZONES,
        "product_id": "c6.2u4g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
    })
}

fn kafka_v2_full() -> Value {
    let mut body = with_sasl_and_public(kafka_v2_plain());
    let more = json!({
        "disk_encrypted_enable": true, "disk_encrypted_key": "key-1",
        "bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_pay": true, "is_auto_renew": true},
    });
    body.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    body
}

/// The agency call for the account `domain` names.
fn assume_role(domain: Value) -> Value {
    let mut role = json!({"agency_name": "ops", "duration_seconds": 900});
    role.as_object_mut().unwrap().extend(domain.as_object().unwrap().clone());
    json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": role}}})
}

fn clouddc_body() -> Value {
    json!({
        "name": "bm-facts", "image_id": "img-1", "vpc_id": "vpc-1", "password": "Secret-123",
        "network_interfaces": [{"subnet_id": "sub-1"}],
    })
}

/// Valid bodies of an operation with a body table (none for one without): the first a plain one,
/// the others with the members its rules tie together; for a use with fixed members, those that
/// send them.
pub fn samples(op: &Op) -> Vec<Value> {
    let tags = json!([{"key": "k", "value": "v"}]);
    let password = "Sasl@45678";
    let all: Vec<(&Op, Vec<Value>)> = vec![
        (&iotda::CREATE, vec![iotda_standard(), iotda_enterprise_prepaid()]),
        (&iotda::UPDATE, vec![json!({"description": "facts"})]),
        (&iotda::RESIZE, vec![json!({"flavor": {"type": "iotda.standard.s1", "size": 2}})]),
        (&iotda::BIND_TAGS, vec![json!({"tags": tags})]),
        (&iotda::UNBIND_TAGS, vec![json!({"tags": tags})]),
        (&kafka::CREATE, vec![kafka_plain(), kafka_full()]),
        (&kafka::CREATE_V2, vec![kafka_v2_plain(), kafka_v2_full()]),
        (&kafka::UPDATE, vec![json!({"description": "facts"})]),
        (
            &kafka::EXTEND,
            vec![
                json!({"oper_type": "storage", "new_storage_space": 700}),
                // The sample instance (100MB) has three brokers of 200 GB: four make 800 GB.
                json!({"oper_type": "horizontal", "new_broker_num": 4, "new_storage_space": 800}),
                json!({"oper_type": "vertical", "new_product_id": "c6.4u8g.cluster"}),
            ],
        ),
        (
            &kafka::PUBLIC_ACCESS,
            vec![json!({"publicip_id": "eip-1,eip-2,eip-3", "public_boundwidth": 5}), json!({"public_boundwidth": 0})],
        ),
        (
            &kafka::PROTOCOL_SWITCH,
            vec![
                json!({"protocol": "public_plain_enable", "enable": false}),
                json!({"protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "kafka-user",
                    "pass_word": password, "sasl_enabled_mechanisms": ["SCRAM-SHA-512"]}),
            ],
        ),
        (
            &kafka::CONFIGS_UPDATE,
            vec![json!({"kafka_configs": [
                {"name": "message.max.bytes", "value": "1048576"}, {"name": "min.insync.replicas", "value": "2"},
            ]})],
        ),
        (&kafka::RESET_MANAGER_PASSWORD, vec![json!({"new_password": "Manager@456"})]),
        (&kafka::RESET_PASSWORD, vec![json!({"new_password": password})]),
        (&kafka::AUTOTOPIC, vec![json!({"enable_auto_topic": true})]),
        (&kafka::TAGS_ACTION, vec![json!({"action": "create", "tags": tags})]),
        (
            &kafka::TOPIC_CREATE,
            vec![
                json!({"id": TOPIC}),
                json!({"id": TOPIC, "topic_other_configs": [{"name": "max.message.bytes", "value": "1024"}]}),
            ],
        ),
        (&kafka::TOPIC_UPDATE, vec![json!({"topics": [{"id": TOPIC, "topic_desc": "d"}]})]),
        (&kafka::TOPIC_DELETE, vec![json!({"topics": [TOPIC]})]),
        (&kafka::USER_CREATE, vec![json!({"user_name": USER, "user_desc": "d", "user_passwd": password})]),
        (&kafka::USER_DELETE, vec![json!({"action": "delete", "users": [USER]})]),
        (&kafka::USER_RESET_PASSWORD, vec![json!({"new_password": password})]),
        (&kafka::USER_UPDATE, vec![json!({"user_desc": "d", "new_password": password})]),
        (
            &kafka::POLICY_UPDATE,
            vec![json!({"topics": [{"name": TOPIC, "policies": [{"user_name": USER, "access_policy": "all"}]}]})],
        ),
        (
            &clouddc::CREATE,
            vec![clouddc_body(), {
                let mut b = clouddc_body();
                b["network_interfaces"] = json!([{"subnet_id": "sub-1", "ipv4_address": "192.168.0.20"}]);
                b
            }],
        ),
        (&clouddc::CHANGE_IP, vec![json!({"vpc_id": "vpc-1", "nics": [{"subnet_id": "sub-1"}]})]),
        (&clouddc::CHANGE_PASSWORD, vec![json!({"new_password": "Secret-456", "instance_id_set": ["i-1"]})]),
        (&clouddc::REINSTALL, vec![json!({"password": "Secret-456", "instance_id_set": ["i-1"]})]),
        (&iam::ASSUME_AGENCY, vec![assume_role(json!({"domain_name": "d"})), assume_role(json!({"domain_id": "i"}))]),
    ];
    let placeholders = op.placeholders();
    let fixed = |s: &Value| {
        op.fixed
            .iter()
            .filter(|(k, _)| !placeholders.contains(k))
            .all(|(k, v)| s.get(k).and_then(Value::as_str) == Some(v))
    };
    let bodies = all.into_iter().find(|(o, _)| *o == op).map(|(_, bodies)| bodies).unwrap_or_default();
    bodies.into_iter().filter(fixed).collect()
}

/// The first sample of an operation with a body table, checked against the table and rules (`Err`
/// says what is wrong); None for an operation without one.
pub fn valid_sample(op: &Op, project: &str, id: &str) -> Result<Option<Value>, String> {
    if op.body.is_empty() {
        return Ok(None);
    }
    let all = samples(op);
    let first = all.first().ok_or_else(|| format!("{} ({}): no sample body", op.name, op.label()))?;
    for s in &all {
        op.validate_with(s, &|name| arg(project, id, name))
            .map_err(|e| format!("{} ({}): the sample {s} is invalid: {e}", op.name, op.label()))?;
    }
    Ok(Some(first.clone()))
}

/// Some value a simple member's checks allow (a String, an Integer or a Boolean).
pub fn some_value(p: &Param) -> Option<Value> {
    match p.ty {
        Ty::Bool => Some(json!(true)),
        Ty::Int => {
            let low = p.checks.iter().find_map(|c| match c {
                Check::Range(lo, _) => Some(*lo),
                _ => None,
            });
            Some(json!(low.unwrap_or(1)))
        }
        Ty::Str => p.checks.iter().find_map(|c| match c {
            Check::OneOf(options) => options.first().map(|o| json!(o)),
            _ => None,
        }),
        _ => None,
    }
}

/// A value for `member` of `op`: the first sample that has one, or one its checks allow.
pub fn value_for(op: &Op, member: &str) -> Option<Value> {
    samples(op).iter().find_map(|s| at(s, member).cloned()).or_else(|| find_path(op.body, member).and_then(some_value))
}

/// Sets the member at a dotted path, making the objects on the way.
pub fn put(body: &mut Value, path: &str, v: Value) {
    let mut cur = body;
    let mut parts: Vec<&str> = path.split('.').collect();
    let last = parts.pop().unwrap();
    for p in parts {
        cur = cur.as_object_mut().unwrap().entry(p).or_insert_with(|| json!({}));
    }
    cur[last] = v;
}

/// Removes the member at a dotted path.
pub fn remove(body: &mut Value, path: &str) {
    let (parent, last) = match path.rsplit_once('.') {
        Some((p, last)) => (body.pointer_mut(&format!("/{}", p.replace('.', "/"))), last),
        None => (Some(body), path),
    };
    if let Some(Value::Object(map)) = parent {
        map.remove(last);
    }
}
