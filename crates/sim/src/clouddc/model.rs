//! A stored iMetal instance: its list entry, its password, and the transition under way.

use std::time::SystemTime;

use hwapi::contract::clouddc::STATUSES;
use serde_json::{json, Map, Value};

use crate::faults::Failure;
use crate::store::{ms_until, Stored};
use crate::util;

/// A state change that happens at `at` (applied lazily on each access).
pub struct Pending {
    pub at: SystemTime,
    pub state: &'static str,
    /// Why the instance ends in `error`.
    pub failure: Option<Failure>,
    /// Network interfaces that take effect (IP change).
    pub nics: Option<Value>,
}

pub struct Instance {
    /// Exactly the list entry (QueryInstanceResponseBody).
    pub view: Map<String, Value>,
    pub password: String,
    pub pending: Option<Pending>,
    /// A terminated instance disappears at this time.
    pub remove_at: Option<SystemTime>,
    /// The image (its list view) and password a reinstall under way installs.
    pub reinstall: Option<(Value, String)>,
}

/// The list's view of an image, from its id: ids containing "win" are Windows images.
pub fn image_view(id: &str) -> Value {
    let (name, os_type) = if id.to_ascii_lowercase().contains("win") {
        ("Windows Server 2022 Datacenter 64bit", "Windows")
    } else {
        ("Huawei Cloud EulerOS 2.0 64bit", "Linux")
    };
    json!({"id": id, "name": name, "os_type": os_type})
}

impl Instance {
    /// A new instance from a validated create body (addresses already assigned); state pending.
    pub fn create(body: &Value, nics: Value, server_id: String, now: SystemTime, ready: Pending) -> Instance {
        let image_id = body["image_id"].as_str().unwrap_or("");
        let time = util::utc(now);
        let view = json!({
            "id": util::uuid(),
            "name": body["name"],
            "vpc_id": body["vpc_id"],
            "network_interfaces": nics,
            "tags": [],
            "image": image_view(image_id),
            "description": body.get("description").and_then(Value::as_str).unwrap_or(""),
            "state": "pending",
            "operation_state": "install-processing",
            "metadata": body.get("metadata").cloned().unwrap_or_else(|| json!({})),
            "user_data": "",
            "server_id": server_id,
            "created_at": time,
            "updated_at": time,
            "launched_at": null,
            "error": null,
        });
        let password = body["password"].as_str().unwrap_or("").to_string();
        let view = view.as_object().cloned().unwrap_or_default();
        Instance { view, password, pending: Some(ready), remove_at: None, reinstall: None }
    }

    pub fn state(&self) -> &str {
        self.get_str("state")
    }
    /// Record a change made at `t`.
    pub fn touch(&mut self, t: SystemTime) {
        self.set("updated_at", Value::String(util::utc(t)));
    }
    /// Neither deleted nor being deleted.
    pub fn live(&self) -> bool {
        !(STATUSES.going.contains(&self.state()) || STATUSES.gone.contains(&self.state()))
    }
    /// The network interfaces as stored.
    pub fn nics(&self) -> Vec<Value> {
        self.view.get("network_interfaces").and_then(Value::as_array).cloned().unwrap_or_default()
    }

    /// Start a transition: `state` and `{operation}-processing` now, `pending` when it is due.
    pub fn begin(&mut self, state: &str, operation: &str, pending: Pending, now: SystemTime) {
        self.set("state", json!(state));
        self.set("operation_state", json!(format!("{operation}-processing")));
        self.pending = Some(pending);
        self.touch(now);
    }

    /// The status answer (ShowInstanceStatusResponse).
    pub fn status(&self) -> Value {
        json!({"state": self.state(), "operation_state": self.view["operation_state"], "error": self.view["error"]})
    }
}

impl Stored for Instance {
    const ID: &'static str = "id";
    const STATUS: &'static str = "state";

    fn view(&self) -> &Map<String, Value> {
        &self.view
    }
    fn view_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.view
    }

    /// Apply the transition that is due; false when the instance is gone.
    fn advance(&mut self, now: SystemTime) -> bool {
        if let Some(p) = self.pending.take_if(|p| p.at <= now) {
            self.set("state", json!(p.state));
            let operation = self.view["operation_state"].as_str().and_then(|s| s.strip_suffix("-processing"));
            let outcome = if p.failure.is_some() { "failed" } else { "succeed" };
            let done = format!("{}-{outcome}", operation.unwrap_or("install"));
            self.set("operation_state", json!(done));
            if let Some(f) = &p.failure {
                let kind = "create_instance_error";
                self.set("error", json!({"error_code": f.error_code, "error_msg": f.error_msg, "error_type": kind}));
            }
            if let Some(nics) = p.nics {
                self.set("network_interfaces", nics);
            }
            if let Some((image, password)) = self.reinstall.take() {
                self.set("image", image);
                self.password = password;
            }
            if p.state == "running" && self.view.get("launched_at").is_none_or(Value::is_null) {
                self.set("launched_at", json!(util::utc(p.at)));
            }
            self.touch(p.at);
        }
        self.remove_at.is_none_or(|t| t > now)
    }

    fn cancel_pending(&mut self) {
        self.pending = None;
        self.reinstall = None;
    }

    fn bookkeeping(&self, now: SystemTime) -> Value {
        json!({
            "password": self.password,
            "pending": self.pending.as_ref().map(|p| json!({"state": p.state, "in_ms": ms_until(p.at, now)})),
            "remove_in_ms": self.remove_at.map(|t| ms_until(t, now)),
        })
    }
}
