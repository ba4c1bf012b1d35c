//! One API request as the services see it, and the answer before it is sent.

use axum::body::Bytes;
use hwapi::contract::facts::GATEWAY_NOT_ROUTED;
use serde_json::{json, Value};

/// One API request as the services see it.
pub struct ApiRequest {
    pub method: String,
    /// The raw path as received.
    pub path: String,
    /// Decoded query pairs, in the order received.
    pub query: Vec<(String, String)>,
    pub body: Bytes,
}

impl ApiRequest {
    /// Path segments after the leading `/` (a trailing `/` yields an empty last segment).
    pub fn segments(&self) -> Vec<&str> {
        self.path.trim_start_matches('/').split('/').collect()
    }

    /// The value of query parameter `key` (the last one when it is repeated).
    pub fn param(&self, key: &str) -> Option<&str> {
        self.query.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The body parsed as JSON; `Err` says why it is not usable.
    pub fn json(&self) -> Result<Value, String> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err("the request body is empty (a JSON object is expected)".into());
        }
        serde_json::from_slice(&self.body).map_err(|e| format!("the request body is not valid JSON: {e}"))
    }

    /// The body as JSON once the router has checked it against its operation's table (`Null` when it
    /// is not JSON: an operation without a body).
    pub fn checked_body(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// An answer before the request id is attached.
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply { status, body: Some(body), headers: Vec::new() }
    }
    pub fn empty(status: u16) -> Reply {
        Reply { status, body: None, headers: Vec::new() }
    }
    /// `{"error_code","error_msg"}`; the request id is added when the reply is sent.
    pub fn error(status: u16, code: &str, msg: impl Into<String>) -> Reply {
        Reply::json(status, json!({"error_code": code, "error_msg": msg.into()}))
    }
    pub fn not_routed(req: &ApiRequest) -> Reply {
        Reply::error(
            GATEWAY_NOT_ROUTED.status,
            GATEWAY_NOT_ROUTED.code,
            format!("The API does not exist or has not been published: {} {}", req.method, req.path),
        )
    }
}

/// Decode a raw query string into pairs (`%XX` decoding only; `+` stays `+`).
pub fn parse_query(raw: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    raw.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The values of the `{placeholders}` of a matched path template, as received (not decoded).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Args(pub Vec<(&'static str, String)>);

impl Args {
    /// The value of `{name}`; "" when the template has no such placeholder.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v.as_str())
    }
}
