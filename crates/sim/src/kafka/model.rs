//! A stored Kafka instance: its show body, the operation in flight and its deletion.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};

use super::access;
use super::bodies::spec_of;
use super::errors::{busy, changing, not_found};
use crate::faults::{Delays, Failure};
use crate::request::Reply;
use crate::store::{self, ms_until, Ordered, Stored};
use crate::{tags, util};
use hwapi::contract::kafka::STATUSES;

/// A status change that happens at `at` (checked lazily on each access).
pub struct Pending {
    pub at: SystemTime,
    pub status: &'static str,
    /// The auto-topic setting that takes effect.
    pub auto_topic: Option<bool>,
    /// Show-answer fields that take effect (a resize).
    pub changes: Map<String, Value>,
}

pub struct Instance {
    /// Creation order (list order).
    pub seq: u64,
    /// Exactly the show response body.
    pub view: Map<String, Value>,
    pub pending: Option<Pending>,
    /// When the delete was accepted and when the instance disappears.
    pub deleting: Option<(SystemTime, SystemTime)>,
    /// Why the instance is CREATEFAILED, when it is.
    pub failure: Option<Failure>,
    /// The passwords reset so far ("manager", "sasl", "user:NAME"), in order.
    pub passwords_changed: Vec<String>,
    /// The topics, each as the topic list shows it (TopicEntity).
    pub topics: Vec<Value>,
    /// The SASL users, each as the user list shows it (ShowInstanceUsersEntity); no password is kept.
    pub users: Vec<Value>,
    /// The access policies of each topic (by name), as ShowTopicAccessPolicy shows them.
    pub policies: BTreeMap<String, Vec<Value>>,
    /// The broker parameters changed from their defaults (name -> value).
    pub configs: BTreeMap<String, String>,
    /// A yearly/monthly instance whose order awaits payment (CREATING until the admin action `pay`).
    pub unpaid: bool,
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The user list of a new instance: the SASL user given at creation, listed as the instance's
/// administrator (role `admin`, the default application).
fn initial_user(access_user: Option<&str>, created_ms: u64) -> Vec<Value> {
    let user = |name: &str| json!({"user_name": name, "user_desc": "", "role": "admin", "default_app": true, "created_time": created_ms});
    access_user.filter(|u| !u.is_empty()).map(user).into_iter().collect()
}

impl Instance {
    /// A new instance from a validated create body; status CREATING.
    pub fn create(body: &Value, seq: u64, now: SystemTime, delays: Delays, failure: Option<Failure>) -> Instance {
        Instance::create_shaped(body, spec_of(str_at(body, "specification").unwrap_or("")), seq, now, delays, failure)
    }

    /// A new instance of this shape: (specification, partitions, brokers, resource_spec_code).
    pub fn create_shaped(
        body: &Value,
        (spec, partitions, brokers, spec_code): (&str, u32, u32, &str),
        seq: u64,
        now: SystemTime,
        delays: Delays,
        failure: Option<Failure>,
    ) -> Instance {
        let flag = |k: &str| body.get(k).and_then(Value::as_bool).unwrap_or(false);
        let (ssl, public) = (flag("ssl_enable"), flag("enable_publicip"));
        let host = fastrand::u8(10..200);
        let private: Vec<String> = (0..brokers as u8).map(|i| format!("192.168.0.{}", host + i)).collect();
        let public_ips: Vec<String> = match str_at(body, "publicip_id").filter(|_| public) {
            Some(ids) => {
                ids.split(',').map(|_| format!("100.85.{}.{}", fastrand::u8(1..255), fastrand::u8(1..255))).collect()
            }
            None => vec![],
        };
        let time = |k: &str, default: &str| str_at(body, k).map_or(default.to_string(), |t| format!("{t}:00"));
        // The older spelling the create document's example uses means the same.
        let bandwidth = ["public_bandwidth", "public_boundwidth"]
            .iter()
            .find_map(|k| body.get(*k).and_then(Value::as_i64))
            .unwrap_or(0);
        let zones = body["available_zones"].clone();
        let zone_names: Vec<String> = (1..=zones.as_array().map_or(0, Vec::len)).map(|i| format!("AZ{i}")).collect();
        let created_ms = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        let created = created_ms.to_string();
        let view = json!({
            "name": body["name"], "engine": "kafka", "engine_version": body["engine_version"],
            "description": str_at(body, "description").unwrap_or(""), "specification": spec,
            "storage_space": body["storage_space"], "partition_num": partitions.to_string(), "used_storage_space": 0,
            "dns_enable": false, "status": "CREATING",
            "instance_id": util::uuid(), "resource_spec_code": spec_code, "charging_mode": 1,
            "vpc_id": body["vpc_id"], "vpc_name": "vpc-kafka", "created_at": created,
            "subnet_name": "subnet-kafka", "subnet_cidr": "192.168.0.0/24",
            "user_id": util::hex(32), "user_name": "sim-user",
            "access_user": str_at(body, "access_user").unwrap_or(""), "order_id": "",
            // Not in the SDK's show model, but the real service's answer carries it.
            "kafka_manager_user": body["kafka_manager_user"],
            "maintain_begin": time("maintain_begin", "22:00:00"), "maintain_end": time("maintain_end", "02:00:00"),
            "enable_publicip": public,
        });
        let more = json!({
            "ssl_enable": ssl, "broker_ssl_enable": false,
            "sasl_enabled_mechanisms": if ssl { json!(["PLAIN"]) } else { json!([]) },
            "ssl_two_way_enable": false, "cert_replaced": false,
            "enterprise_project_id": str_at(body, "enterprise_project_id").unwrap_or("0"),
        });
        let rest = json!({
            "is_logical_volume": true, "extend_times": 0, "enable_auto_topic": flag("enable_auto_topic"),
            "type": "cluster", "product_id": body["product_id"], "security_group_id": body["security_group_id"],
            "security_group_name": "sg-kafka", "subnet_id": body["subnet_id"], "available_zones": zones,
            "available_zone_names": zone_names, "total_storage_space": body["storage_space"],
            "public_connect_domain_name": "",
            "storage_resource_id": util::uuid(), "storage_spec_code": body["storage_spec_code"],
            "service_type": "advanced", "storage_type": "hec",
            "retention_policy": str_at(body, "retention_policy").unwrap_or("produce_reject"),
            "kafka_public_status": if public { "true" } else { "false" },
            "public_bandwidth": bandwidth, "public_boundwidth": bandwidth,
            "enable_log_collection": false, "new_auth_cert": false, "cross_vpc_info": "", "public_cross_vpc_info": "",
        });
        let tail = json!({
            "ipv6_enable": false, "ipv6_connect_addresses": [], "connector_enable": flag("connector_enable"),
            "connector_node_num": 0, "connector_id": "", "rest_enable": false, "rest_connect_address": "",
            "message_query_inst_enable": true, "vpc_client_plain": false, "support_features": "",
            "trace_enable": false, "agent_enable": false, "pod_connect_address": "", "disk_encrypted": false,
            "disk_encrypted_key": "",
            "kafka_private_connect_domain_name": "", "ces_version": "linux",
            "public_access_enabled": if public { "true" } else { "false" }, "node_num": brokers,
            "enable_acl": false,
            "new_spec_billing_enable": false, "broker_num": brokers, "tags": tags::of_body(body), "dr_enable": false,
        });
        let mut view = view.as_object().cloned().unwrap_or_default();
        for part in [more, rest, tail] {
            view.extend(part.as_object().cloned().unwrap_or_default());
        }
        view.extend(access::addressing(&private, &public_ips, access::derived(ssl, false, public)));
        let status = if failure.is_some() { "CREATEFAILED" } else { "RUNNING" };
        Instance {
            seq,
            view,
            pending: Some(Pending { at: now + delays.create, status, auto_topic: None, changes: Map::new() }),
            deleting: None,
            failure,
            passwords_changed: Vec::new(),
            topics: Vec::new(),
            users: initial_user(str_at(body, "access_user").filter(|_| ssl), created_ms),
            policies: BTreeMap::new(),
            configs: BTreeMap::new(),
            unpaid: false,
        }
    }

    pub fn status(&self) -> &str {
        self.get_str("status")
    }

    /// Start an operation that keeps the instance in `busy` for `takes`.
    pub fn start(&mut self, busy: &'static str, now: SystemTime, takes: Duration, auto_topic: Option<bool>) {
        self.set("status", json!(busy));
        self.pending = Some(Pending { at: now + takes, status: "RUNNING", auto_topic, changes: Map::new() });
    }

    /// A change that keeps the instance RUNNING: its `changes` to the show answer take effect after
    /// `takes`, and until then every other change gets the busy answer (see `ready`).
    pub fn change(&mut self, now: SystemTime, takes: Duration, changes: Map<String, Value>) {
        self.pending = Some(Pending { at: now + takes, status: "RUNNING", auto_topic: None, changes });
    }

    /// Ok when the instance takes a change: RUNNING with no change in flight; else the busy answer.
    pub fn ready(&self) -> Result<(), Reply> {
        match self.status() {
            s if !STATUSES.is_ready(s) => Err(busy(s)),
            _ if self.pending.is_some() => Err(changing()),
            _ => Ok(()),
        }
    }

    /// Created by the current API (sized by a flavor and a broker count).
    pub fn is_v2(&self) -> bool {
        self.view.get("new_spec_billing_enable") == Some(&Value::Bool(true))
    }

    pub fn int(&self, key: &str) -> i64 {
        self.view.get(key).and_then(Value::as_i64).unwrap_or(0)
    }

    /// Start an operation whose `changes` to the show answer take effect when it ends.
    pub fn start_with(&mut self, busy: &'static str, now: SystemTime, takes: Duration, changes: Map<String, Value>) {
        self.set("status", json!(busy));
        self.pending = Some(Pending { at: now + takes, status: "RUNNING", auto_topic: None, changes });
    }
}

impl Stored for Instance {
    const ID: &'static str = "instance_id";
    const STATUS: &'static str = "status";

    fn view(&self) -> &Map<String, Value> {
        &self.view
    }
    fn view_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.view
    }

    /// Apply transitions that are due; false when the instance is gone. A deletion shows DELETING,
    /// then ERROR for its second half (as the service may), then the instance disappears.
    fn advance(&mut self, now: SystemTime) -> bool {
        if self.pending.as_ref().is_some_and(|p| p.at <= now) {
            let p = self.pending.take().expect("checked above");
            self.set("status", json!(p.status));
            if let Some(on) = p.auto_topic {
                self.set("enable_auto_topic", json!(on));
            }
            self.view.extend(p.changes);
        }
        match self.deleting {
            Some((_, end)) if end <= now => false,
            Some((start, end)) => {
                let half = start + end.duration_since(start).unwrap_or_default() / 2;
                self.set("status", json!(if now >= half { "ERROR" } else { "DELETING" }));
                true
            }
            None => true,
        }
    }

    fn cancel_pending(&mut self) {
        self.pending = None;
    }

    fn bookkeeping(&self, now: SystemTime) -> Value {
        let ms_left = |t| ms_until(t, now);
        json!({
            "pending": self.pending.as_ref().map(|p| json!({"status": p.status, "in_ms": ms_left(p.at)})),
            "deleting": self.deleting.is_some(),
            "delete_in_ms": self.deleting.map(|(_, end)| ms_left(end)),
            "failure": self.failure.as_ref().map(Failure::to_json),
            "passwords_changed": self.passwords_changed,
            "topics": self.topics,
            "users": self.users,
            "policies": self.policies,
            "configs": self.configs,
            "unpaid": self.unpaid,
        })
    }
}

/// The instances in creation order.
pub type Store = store::Store<Instance>;

impl Store {
    /// The instance `id`, or the service's not-found answer.
    pub fn find(&mut self, id: &str) -> Result<&mut Instance, Reply> {
        self.get_mut(id).ok_or_else(not_found)
    }
}

impl Ordered for Instance {
    /// The order of a yearly/monthly instance is paid: the creation starts.
    fn pay(&mut self, now: SystemTime, delays: Delays) -> Result<(), String> {
        if !std::mem::take(&mut self.unpaid) {
            return Err(format!("instance {} has no order awaiting payment", self.id()));
        }
        let status = if self.failure.is_some() { "CREATEFAILED" } else { "RUNNING" };
        self.pending = Some(Pending { at: now + delays.create, status, auto_topic: None, changes: Map::new() });
        Ok(())
    }
}
