//! A stored IoTDA instance: its show body, pending transitions, tasks and deletion.

use std::time::{Duration, SystemTime};

use serde_json::{json, Map, Value};

use crate::faults::{Delays, Failure};
use crate::store::{ms_until, Ordered, Stored};
use crate::{tags, util};

/// A status change that happens at `at` (checked lazily on each access).
pub struct Pending {
    pub at: SystemTime,
    pub status: &'static str,
    /// The flavor that takes effect (resize).
    pub flavor: Option<Value>,
    pub failure: Option<Failure>,
}

/// An asynchronous job as reported by the tasks API.
pub struct Task {
    pub id: String,
    pub kind: &'static str,
    pub created: SystemTime,
    pub ends: SystemTime,
    pub failure: Option<Failure>,
    pub target: Value,
}

pub struct Instance {
    /// Creation order (list order and markers).
    pub seq: u64,
    /// Exactly the show response body.
    pub view: Map<String, Value>,
    /// The charge_info of the create request.
    pub charge_info: Value,
    pub pending: Option<Pending>,
    pub delete_at: Option<SystemTime>,
    /// Why the instance is FAILED, when it is.
    pub failure: Option<Failure>,
    pub tasks: Vec<Task>,
    /// A yearly/monthly instance created without `is_auto_pay` stays TRADING until its order is paid;
    /// this holds how its creation then ends (the failure a fail-create ordered).
    pub unpaid: Option<Option<Failure>>,
}

/// The change window the service gives a new instance. The documents are silent on it; the simulator
/// chooses 02:00 to 06:00 (UTC), and says so in its help.
fn default_operate_window() -> Value {
    json!({"start_time": "02:00", "end_time": "06:00"})
}

fn str_at<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

impl Instance {
    /// A new instance from a validated create body; status CREATING.
    pub fn create(
        body: &Value,
        region: &str,
        seq: u64,
        now: SystemTime,
        delays: Delays,
        failure: Option<Failure>,
    ) -> Instance {
        let id = util::uuid();
        let instance_type = str_at(body, "instance_type").unwrap_or("standard");
        let charge_info = body["charge_info"].clone();
        let prepaid = str_at(&charge_info, "charge_mode") == Some("prePaid");
        let additional = body.get("additional_params").filter(|v| v.is_object());
        let time = util::utc(now);
        let mut view = json!({
            "instance_type": instance_type,
            "instance_id": id,
            "charge_mode": charge_info["charge_mode"],
            "name": body["name"],
            "flavor": body["flavor"],
            "status": "CREATING",
            "region_id": region,
            "description": str_at(body, "description").unwrap_or(""),
            "access_infos": access_infos(region, additional.is_some(), additional.and_then(|a| a.get("port_info"))),
            "create_time": time,
            "update_time": time,
            "enterprise_project_id": str_at(body, "enterprise_project_id").unwrap_or("0"),
            "tags": tags::of_body(body),
            "operate_window": default_operate_window(),
            "additional_params": additional.map(|a| json!({
                "vpc_id": a["vpc_id"],
                "subnet_id": a["subnet_id"],
                "security_group_id": a["security_group_id"],
                "ciphering_algorithm": str_at(a, "ciphering_algorithm").unwrap_or("COMMON_ALGORITHM"),
                "forwarding_info": {"eip": null, "enable_snat": false},
            })),
        });
        if prepaid {
            view["order_id"] = Value::String(util::order_id(now));
        }
        let mut inst = Instance {
            seq,
            view: view.as_object().cloned().unwrap_or_default(),
            charge_info,
            pending: None,
            delete_at: None,
            failure: None,
            tasks: Vec::new(),
            unpaid: None,
        };
        // The docs say only that TRADING means "order in progress": an order that is not paid
        // automatically keeps the instance there until it is paid (admin action `pay`).
        let auto_pay = inst.charge_info.get("is_auto_pay") == Some(&Value::Bool(true));
        if prepaid && !auto_pay {
            inst.set("status", json!("TRADING"));
            inst.unpaid = Some(failure);
        } else {
            inst.start_creation(now, delays, failure);
        }
        inst
    }

    /// CREATING now, ACTIVE (or FAILED with `failure`) after the create delay.
    fn start_creation(&mut self, now: SystemTime, delays: Delays, failure: Option<Failure>) {
        let status = if failure.is_some() { "FAILED" } else { "ACTIVE" };
        self.set("status", json!("CREATING"));
        self.pending = Some(Pending { at: now + delays.create, status, flavor: None, failure: failure.clone() });
        self.add_task("CREATE", now, delays.create, failure);
    }

    pub fn status(&self) -> &str {
        self.get_str("status")
    }
    /// Record a change made at `t`.
    pub fn touch(&mut self, t: SystemTime) {
        self.set("update_time", Value::String(util::utc(t)));
    }

    pub fn add_task(&mut self, kind: &'static str, now: SystemTime, takes: Duration, failure: Option<Failure>) {
        let target = json!({"flavor": self.view.get("flavor"), "charge_mode": self.view.get("charge_mode")});
        self.tasks.push(Task { id: util::uuid(), kind, created: now, ends: now + takes, failure, target });
    }

    /// One element of the list response (QueryInstanceSimplify).
    pub fn simplified(&self) -> Value {
        let mut out = Map::new();
        for key in [
            "instance_type",
            "instance_id",
            "name",
            "charge_mode",
            "flavor",
            "status",
            "create_time",
            "update_time",
            "enterprise_project_id",
        ] {
            out.insert(key.to_string(), self.view.get(key).cloned().unwrap_or(Value::Null));
        }
        Value::Object(out)
    }

    pub fn task_json(&self, task: &Task, now: SystemTime) -> Value {
        let done = task.ends <= now;
        let status = match (done, &task.failure) {
            (false, _) => "RUNNING",
            (true, None) => "SUCCESS",
            (true, Some(_)) => "FAILED",
        };
        let detail = match (&task.failure, done) {
            (Some(f), true) => format!("{}: {}", f.error_code, f.error_msg),
            _ => String::new(),
        };
        json!({
            "task_id": task.id,
            "type": task.kind,
            "status": status,
            "status_detail": detail,
            "create_time": util::utc_millis(task.created),
            "start_time": util::utc_millis(task.created),
            "end_time": if done { Value::String(util::utc_millis(task.ends)) } else { Value::Null },
            "target_config": task.target,
            "operate_window": self.view.get("operate_window"),
            "progress": if done { 100 } else { 50 },
        })
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

    /// Apply transitions that are due; false when the instance is gone (deleted).
    fn advance(&mut self, now: SystemTime) -> bool {
        if self.pending.as_ref().is_some_and(|p| p.at <= now) {
            let p = self.pending.take().expect("checked above");
            self.set("status", Value::String(p.status.to_string()));
            if let Some(flavor) = p.flavor {
                self.set("flavor", flavor);
            }
            self.failure = p.failure;
            self.touch(p.at);
        }
        self.delete_at.is_none_or(|t| t > now)
    }

    fn cancel_pending(&mut self) {
        self.pending = None;
    }

    fn bookkeeping(&self, now: SystemTime) -> Value {
        let ms_left = |t| ms_until(t, now);
        json!({
            "charge_info": self.charge_info,
            "pending": self.pending.as_ref().map(|p| json!({"status": p.status, "in_ms": ms_left(p.at)})),
            "deleting": self.delete_at.is_some(),
            "delete_in_ms": self.delete_at.map(ms_left),
            "failure": self.failure.as_ref().map(Failure::to_json),
            "awaiting_payment": self.unpaid.is_some(),
        })
    }
}

impl Ordered for Instance {
    /// Pay the order an instance in TRADING waits for.
    fn pay(&mut self, now: SystemTime, delays: Delays) -> Result<(), String> {
        let Some(failure) = self.unpaid.take() else {
            return Err(format!("instance {} has no order awaiting payment", self.id()));
        };
        self.start_creation(now, delays, failure);
        self.touch(now);
        Ok(())
    }
}

/// Access addresses: APP_HTTPS, APP_AMQP, DEVICE_MQTT, DEVICE_COAP, DEVICE_HTTPS and APP_MQTT, with the
/// ports of `port_info` where given, else the documented defaults.
pub fn access_infos(region: &str, enterprise: bool, port_info: Option<&Value>) -> Value {
    let prefix = util::hex(10);
    let port =
        |key: &str, default: u16| port_info.and_then(|p| p.get(key)).and_then(Value::as_u64).unwrap_or(default.into());
    let private = |n: u8| if enterprise { json!([format!("192.168.0.{n}")]) } else { json!([]) };
    let entry = |kind: &str, host: &str, port: u64, non_tls: Option<u64>, ws: Option<u64>, n: u8| {
        json!({
            "type": kind,
            "port": port,
            "non_tls_port": non_tls,
            "websocket_port": ws,
            "domain_name": format!("{prefix}.st1.{host}.{region}.myhuaweicloud.com"),
            "private_addresses": private(n),
            "public_address": [],
            "ipv6_address": [],
            "ip_whitelist": null,
        })
    };
    json!([
        entry("APP_HTTPS", "iotda-app", port("app_https_port", 443), None, None, 11),
        entry("APP_AMQP", "iotda-app", port("app_amqps_port", 5671), None, None, 11),
        entry(
            "DEVICE_MQTT",
            "iotda-device",
            port("device_mqtts_port", 8883),
            Some(port("device_mqtt_port", 1883)),
            Some(443),
            12
        ),
        entry(
            "DEVICE_COAP",
            "iotda-device",
            port("device_coaps_port", 5684),
            Some(port("device_coap_port", 5683)),
            None,
            12
        ),
        entry("DEVICE_HTTPS", "iotda-device", port("device_https_port", 443), None, None, 12),
        entry("APP_MQTT", "iotda-app", port("app_mqtts_port", 8883), None, None, 11),
    ])
}
