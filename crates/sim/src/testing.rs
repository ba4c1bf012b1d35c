//! What the services' own tests share: a simulator holding one service, and a request to it through
//! the router without the server around it (signatures are checked by the server, not here).

use std::ops::Deref;
use std::time::Duration;

use serde_json::Value;

use crate::config::SimConfig;
use crate::request::{parse_query, ApiRequest, Reply};
use crate::router;
use crate::service::Service;
use crate::state::Shared;

/// A simulator holding one service.
pub struct One {
    pub sim: Shared,
    pub service: Box<dyn Service>,
}

impl Deref for One {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.sim
    }
}

/// The simulator's state, every status change taking `delay`.
pub fn shared(delay: Duration) -> Shared {
    Shared::new(SimConfig { create_delay: delay, update_delay: delay, delete_delay: delay, ..SimConfig::default() })
}

/// A simulator holding `service` only, every status change taking `delay`.
pub fn with(service: Box<dyn Service>, delay: Duration) -> One {
    One { sim: shared(delay), service }
}

/// The answer of `service` to `req`, routed as the server routes it.
pub fn send(sim: &Shared, service: &dyn Service, req: &ApiRequest) -> Reply {
    match router::find(&req.method, &req.path) {
        Some(m) => router::serve(sim, service, &m, req),
        None => Reply::not_routed(req),
    }
}

/// (status, body) of one request to the simulator's service; `path` may carry a query string.
pub fn call(one: &One, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    call_to(&one.sim, one.service.as_ref(), method, path, body)
}

/// (status, body) of one request to `service`; `path` may carry a query string.
pub fn call_to(sim: &Shared, service: &dyn Service, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let req = ApiRequest {
        method: method.into(),
        path: path.into(),
        query: parse_query(Some(query)),
        body: body.map(|b| b.to_string().into()).unwrap_or_default(),
    };
    let reply = send(sim, service, &req);
    (reply.status, reply.body.unwrap_or(Value::Null))
}
