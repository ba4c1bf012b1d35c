//! The request pipeline shared by all simulated services: request ids, the request log,
//! signature and project checks, injected faults, and dispatch to the services.

use hwapi::contract::facts::{GATEWAY_AUTH, GATEWAY_THROTTLED, GATEWAY_TOKEN_EXPIRED};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::Value;

use crate::answer::{Delivery, Paced};
use crate::config::SimConfig;
use crate::request::{parse_query, ApiRequest, Reply};
use crate::router::{self, Match};
use crate::service::Service;
use crate::state::Shared;
use crate::{admin, auth, util};

/// The simulator: its shared state and its services.
pub struct App {
    pub sim: Shared,
    pub services: Vec<Box<dyn Service>>,
}

impl App {
    pub fn new(config: SimConfig, services: Vec<Box<dyn Service>>) -> App {
        App { sim: Shared::new(config), services }
    }

    /// The signature, the project header and the rate limit; `Err` is the refusal.
    fn admit_request(&self, req: &ApiRequest, headers: &HeaderMap, bucket: &'static str) -> Result<(), Reply> {
        let sim = &self.sim;
        match auth::verify(sim, req, headers) {
            Ok(()) => {}
            Err(auth::Refusal::Invalid(reason)) => {
                let code = GATEWAY_AUTH[0];
                let message = format!("Incorrect IAM authentication information: {reason}");
                return Err(Reply::error(code.status, code.code, message));
            }
            Err(auth::Refusal::Expired) => {
                let code = GATEWAY_TOKEN_EXPIRED;
                return Err(Reply::error(code.status, code.code, "The token must be updated."));
            }
        }
        if let Some(p) = headers.get("x-project-id") {
            let p = p.to_str().unwrap_or("");
            if p != sim.config.project_id {
                return Err(Reply::error(
                    GATEWAY_AUTH[1].status,
                    GATEWAY_AUTH[1].code,
                    format!(
                        "The X-Project-Id header {p:?} is not the project of these credentials ({:?})",
                        sim.config.project_id
                    ),
                ));
            }
        }
        if !sim.admit(bucket) {
            let limit = sim.rate_limit.load(Ordering::Relaxed);
            return Err(Reply::error(
                GATEWAY_THROTTLED.status,
                GATEWAY_THROTTLED.code,
                format!(
                    "The throttling threshold has been reached: policy user over ratelimit,limit:{limit},time:1 second"
                ),
            ));
        }
        Ok(())
    }

    /// The service's answer.
    fn dispatch(&self, req: &ApiRequest, matched: Option<&Match>, request_id: &str) -> Reply {
        let mut reply = router::route(&self.sim, &self.services, matched, req);
        with_request_id(&mut reply, request_id);
        reply
    }

    /// Authenticate, apply faults and dispatch one API (non-admin) request: its answer, and how the
    /// answer's body goes out.
    fn api(&self, req: &ApiRequest, headers: &HeaderMap, request_id: &str) -> (Reply, Delivery) {
        let matched = router::find(&req.method, &req.path);
        let bucket = matched.as_ref().map_or_else(|| bucket_of(&req.path), |m| m.op.service.key());
        if let Err(mut refused) = self.admit_request(req, headers, bucket) {
            with_request_id(&mut refused, request_id);
            return (refused, Delivery::default());
        }
        let Some(fault) = self.sim.take_fault(req) else {
            return (self.dispatch(req, matched.as_ref(), request_id), Delivery::default());
        };
        let processed = fault.processes().then(|| self.dispatch(req, matched.as_ref(), request_id));
        match (&fault.reshape, processed) {
            (Some(reshape), Some(mut reply)) => {
                reshape.apply(&mut reply, fault.status);
                if let Some(secs) = fault.retry_after {
                    reply.headers.push(("retry-after", secs.to_string()));
                }
                (reply, reshape.delivery.clone())
            }
            _ => (fault.error(request_id), Delivery::default()),
        }
    }
}

/// The rate-limit bucket of a request that matches no declared operation: the service its path
/// prefix names, as the gateway in front of each service counts every request it receives.
fn bucket_of(path: &str) -> &'static str {
    match path {
        p if p.starts_with("/v3/") => "iam",
        p if p.starts_with("/v5/iot/") => "iotda",
        p if p.starts_with("/v1/") => "clouddc",
        _ => "dms",
    }
}

/// An error answer carries the request id in its body too, as the services' errors do.
fn with_request_id(reply: &mut Reply, request_id: &str) {
    if reply.status < 400 {
        return;
    }
    if let Some(Value::Object(map)) = reply.body.as_mut() {
        if map.contains_key("error_code") {
            map.insert("request_id".into(), Value::String(request_id.to_string()));
        }
    }
}

/// Largest accepted request body.
const MAX_BODY: usize = 4 * 1024 * 1024;

/// Wait `d` without holding up other requests.
async fn pause(d: Duration) {
    if !d.is_zero() {
        tokio::time::sleep(d).await;
    }
}

/// The single axum handler: everything goes through here. An API request waits the configured
/// latency before it is processed and again before its answer is sent (network latency each way);
/// admin calls answer at once.
pub async fn entry(State(app): State<Arc<App>>, request: Request) -> Response {
    let request_id = util::request_id();
    let (parts, body) = request.into_parts();
    let (method, uri, headers) = (parts.method, parts.uri, parts.headers);
    let body = match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(e) => {
            let mut reply = Reply::error(413, "APIGW.0201", format!("The request body could not be read: {e}"));
            with_request_id(&mut reply, &request_id);
            return respond(reply, Delivery::default(), &request_id);
        }
    };
    let req = ApiRequest {
        method: method.as_str().to_string(),
        path: uri.path().to_string(),
        query: parse_query(uri.query()),
        body,
    };
    if req.path == "/_sim" || req.path.starts_with("/_sim/") {
        let mut reply = admin::handle(&app.sim, &app.services, &req);
        with_request_id(&mut reply, &request_id);
        return respond(reply, Delivery::default(), &request_id);
    }
    let latency = app.sim.latency();
    pause(latency).await;
    let (reply, delivery) = app.api(&req, &headers, &request_id);
    app.sim.record(&req, &headers, reply.status, &request_id);
    tracing::info!("{} {} -> {}", req.method, uri, reply.status);
    match &delivery.gather {
        // Until every gathered request has arrived: at most delay_ms, or a minute.
        Some(g) => g.arrive(delivery.hold.unwrap_or(Duration::from_secs(60))).await,
        None => pause(delivery.hold.unwrap_or_default()).await,
    }
    pause(latency).await;
    respond(reply, delivery, &request_id)
}

fn respond(reply: Reply, delivery: Delivery, request_id: &str) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header("x-request-id", request_id);
    for (name, value) in reply.headers {
        if let Ok(v) = HeaderValue::from_str(&value) {
            builder = builder.header(name, v);
        }
    }
    let response = match (delivery.bytes, reply.body, delivery.drip) {
        (Some(n), _, drip) => builder.header("content-type", "application/json").body(Body::new(Paced::generated(
            n,
            delivery.length_header,
            drip,
        ))),
        (None, Some(v), Some(every)) => builder
            .header("content-type", "application/json")
            .body(Body::new(Paced::dripped(Bytes::from(v.to_string()), every))),
        (None, Some(v), None) => builder.header("content-type", "application/json").body(Body::from(v.to_string())),
        (None, None, _) => builder.body(Body::empty()),
    };
    response.unwrap_or_else(|_| Response::new(Body::empty()))
}
