//! What the services' own tests share: a simulator holding one service, and a request to it without the
//! server around it (signatures are checked by the server, not here).

use std::time::Duration;

use serde_json::Value;

use crate::server::{ApiRequest, Service, Shared};
use crate::SimConfig;

/// A simulator holding `service` only, every status change taking `delay`.
pub fn with(service: Box<dyn Service>, delay: Duration) -> Shared {
    let config = SimConfig { create_delay: delay, update_delay: delay, delete_delay: delay, ..SimConfig::default() };
    Shared::new(config, vec![service])
}

/// (status, body) of one request to the simulator's service; `path` may carry a query string.
pub fn call(sim: &Shared, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let req = ApiRequest {
        method: method.into(),
        path: path.into(),
        query: crate::server::parse_query(Some(query)),
        body: body.map(|b| b.to_string().into()).unwrap_or_default(),
    };
    let reply = sim.services[0].handle(sim, &req).expect("routed");
    (reply.status, reply.body.unwrap_or(Value::Null))
}
