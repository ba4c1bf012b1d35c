//! Injected trouble: faults that answer errors or reshape answers, and queued create failures.

use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::answer::{self, Delivery};
use crate::request::{ApiRequest, Reply};

/// The delays of the asynchronous state transitions (changeable at run time).
#[derive(Clone, Copy, Debug)]
pub struct Delays {
    pub create: Duration,
    pub update: Duration,
    pub delete: Duration,
}

/// A queued "the next create fails" order.
#[derive(Clone, Debug)]
pub struct Failure {
    pub error_code: String,
    pub error_msg: String,
}

impl Failure {
    pub fn to_json(&self) -> Value {
        json!({"error_code": self.error_code, "error_msg": self.error_msg})
    }
}

/// An injected fault: the next `remaining` matching requests that take it (each with a chance of
/// `percent`) get this error, or, with a reshape, their processed answer changed.
#[derive(Clone, Debug)]
pub struct Fault {
    pub method: Option<String>,
    pub path_contains: Option<String>,
    /// The whole path, exactly (a list, and not its objects under it).
    pub path_equals: Option<String>,
    /// How many more matching requests pass untouched before the fault applies (the second lookup of
    /// a name, not the first).
    pub skip: u64,
    /// The answer's status; with a reshape, None keeps the processed answer's own.
    pub status: Option<u16>,
    pub error_code: String,
    pub error_msg: String,
    pub retry_after: Option<u64>,
    pub remaining: u64,
    /// Process the request first, then answer with the error (an answer lost after the service acted).
    pub after_processing: bool,
    /// The chance, in percent, that a matching request takes the fault; one that does not lets the
    /// next matching fault try.
    pub percent: u8,
    /// Changes to the processed answer (the request is always processed).
    pub reshape: Option<Reshape>,
}

/// How a fault changes the answer of a processed request.
#[derive(Clone, Debug, Default)]
pub struct Reshape {
    /// JSON pointer -> the value set there.
    pub set: Map<String, Value>,
    /// JSON pointers whose members are removed.
    pub remove: Vec<String>,
    pub delivery: Delivery,
}

impl Reshape {
    /// Change `reply`: a generated body replaces it (status 200 unless `status`), or its body is
    /// edited (its status kept unless `status`).
    pub fn apply(&self, reply: &mut Reply, status: Option<u16>) {
        if self.delivery.bytes.is_some() {
            reply.body = None;
            reply.status = status.unwrap_or(200);
        } else {
            answer::edit(&mut reply.body, &self.set, &self.remove);
            reply.status = status.unwrap_or(reply.status);
        }
    }
}

impl Fault {
    pub fn to_json(&self) -> Value {
        let mut out = json!({
            "method": self.method, "path_contains": self.path_contains, "path_equals": self.path_equals,
            "skip": self.skip, "status": self.status,
            "error_code": self.error_code, "error_msg": self.error_msg, "retry_after": self.retry_after,
            "count": self.remaining, "after_processing": self.processes(), "percent": self.percent,
        });
        if let Some(r) = &self.reshape {
            if !r.set.is_empty() {
                out["answer_set"] = Value::Object(r.set.clone());
            }
            if !r.remove.is_empty() {
                out["answer_remove"] = json!(r.remove);
            }
            if let Some(n) = r.delivery.bytes {
                out["answer_bytes"] = json!(n);
                out["answer_length_header"] = json!(r.delivery.length_header);
            }
            if let Some(every) = r.delivery.drip {
                out["drip_ms"] = json!(every.as_millis() as u64);
            }
            if let Some(hold) = r.delivery.hold {
                out["delay_ms"] = json!(hold.as_millis() as u64);
            }
            if let Some(g) = &r.delivery.gather {
                out["gather"] = json!(g.want);
            }
        }
        out
    }

    pub fn matches(&self, req: &ApiRequest) -> bool {
        self.remaining > 0
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(&req.method))
            && self.path_contains.as_deref().is_none_or(|p| req.path.contains(p))
            && self.path_equals.as_deref().is_none_or(|p| req.path == p)
    }

    /// Whether a matching request takes the fault this time.
    pub fn fires(&self) -> bool {
        self.percent >= 100 || fastrand::u8(0..100) < self.percent
    }

    /// Whether the service acts on the request before the fault's answer.
    pub fn processes(&self) -> bool {
        self.after_processing || self.reshape.is_some()
    }

    /// The error answer (any status), with the request id as the services' errors carry it.
    pub fn error(&self, request_id: &str) -> Reply {
        let mut reply = Reply::error(self.status.unwrap_or(500), &self.error_code, self.error_msg.clone());
        reply.body.as_mut().expect("an error body")["request_id"] = json!(request_id);
        if let Some(secs) = self.retry_after {
            reply.headers.push(("retry-after", secs.to_string()));
        }
        reply
    }
}
