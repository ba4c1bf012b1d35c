//! The request pipeline shared by all simulated services: request ids, the request log,
//! signature and project checks, injected faults, and dispatch to the services.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::{json, Map, Value};

use super::answer::{self, Delivery, Paced};
use super::store::Objects;
use super::{admin, auth, redact, util, SimConfig};

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

    /// `Err` names the first query parameter that is not in `allowed`.
    pub fn check_query(&self, allowed: &[&str]) -> Result<(), String> {
        match self.query.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            Some((k, _)) => Err(format!("{k}: unknown query parameter")),
            None => Ok(()),
        }
    }

    /// The body parsed as JSON; `Err` says why it is not usable.
    pub fn json(&self) -> Result<Value, String> {
        if self.body.iter().all(|b| b.is_ascii_whitespace()) {
            return Err("the request body is empty (a JSON object is expected)".into());
        }
        serde_json::from_slice(&self.body).map_err(|e| format!("the request body is not valid JSON: {e}"))
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
            404,
            "APIGW.0101",
            format!("The API does not exist or has not been published: {} {}", req.method, req.path),
        )
    }
}

/// A simulated cloud service. Each service keeps its own objects behind its own lock.
pub trait Service: Send + Sync {
    /// Short name used by the admin API (`/_sim/{name}/...`, `/_sim/state`).
    fn name(&self) -> &'static str;
    /// Answer a request, or `None` when the path does not belong to this service.
    fn handle(&self, sim: &Shared, req: &ApiRequest) -> Option<Reply>;
    /// The stored objects for the admin API, or `None` for a service without state.
    fn objects(&self) -> Option<&dyn Objects> {
        None
    }
    /// An out-of-band action on one object (`POST /_sim/{service}/{id}/{action}`), or `None` when the
    /// service has no such action.
    fn action(&self, sim: &Shared, id: &str, action: &str) -> Option<Result<Reply, Reply>> {
        let _ = (sim, id, action);
        None
    }
}

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
    fn apply(&self, reply: &mut Reply, status: Option<u16>) {
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

    fn matches(&self, req: &ApiRequest) -> bool {
        self.remaining > 0
            && self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(&req.method))
            && self.path_contains.as_deref().is_none_or(|p| req.path.contains(p))
            && self.path_equals.as_deref().is_none_or(|p| req.path == p)
    }

    /// Whether a matching request takes the fault this time.
    fn fires(&self) -> bool {
        self.percent >= 100 || fastrand::u8(0..100) < self.percent
    }

    /// Whether the service acts on the request before the fault's answer.
    fn processes(&self) -> bool {
        self.after_processing || self.reshape.is_some()
    }

    /// The error answer (any status), with the request id as the services' errors carry it.
    fn error(&self, request_id: &str) -> Reply {
        let mut reply = Reply::error(self.status.unwrap_or(500), &self.error_code, self.error_msg.clone());
        reply.body.as_mut().expect("an error body")["request_id"] = json!(request_id);
        if let Some(secs) = self.retry_after {
            reply.headers.push(("retry-after", secs.to_string()));
        }
        reply
    }
}

/// Everything the server shares between requests.
pub struct Shared {
    pub config: SimConfig,
    pub services: Vec<Box<dyn Service>>,
    pub delays: Mutex<Delays>,
    /// The request log, oldest first; it keeps the newest `log_limit` entries.
    pub log: Mutex<VecDeque<Value>>,
    pub log_limit: AtomicUsize,
    /// Network latency each way of every API request, in milliseconds (`--latency-ms`).
    pub latency_ms: AtomicU64,
    pub faults: Mutex<Vec<Fault>>,
    pub fail_creates: Mutex<HashMap<&'static str, VecDeque<Failure>>>,
    /// How far the simulated clock runs ahead of the wall clock, in milliseconds (`POST /_sim/clock`).
    pub clock_offset_ms: AtomicU64,
    /// Requests per second each service accepts (0: no limit), and each service's token bucket.
    pub rate_limit: AtomicU32,
    pub buckets: Mutex<HashMap<&'static str, (f64, std::time::Instant)>>,
    /// How many requests were throttled.
    pub throttled: AtomicU64,
    /// When the simulator started (the request log's `at_ms` counts from here, in real time).
    pub started: std::time::Instant,
}

/// Lock a mutex, ignoring poisoning (a panicked handler must not wedge the simulator).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Shared {
    pub fn new(config: SimConfig, services: Vec<Box<dyn Service>>) -> Shared {
        let rate_limit = config.rate_limit.unwrap_or(0);
        let delays = Delays { create: config.create_delay, update: config.update_delay, delete: config.delete_delay };
        Shared {
            services,
            delays: Mutex::new(delays),
            log: Mutex::new(VecDeque::new()),
            log_limit: AtomicUsize::new(config.request_log_limit),
            latency_ms: AtomicU64::new(u64::try_from(config.latency.as_millis()).unwrap_or(u64::MAX)),
            faults: Mutex::new(Vec::new()),
            fail_creates: Mutex::new(HashMap::new()),
            clock_offset_ms: AtomicU64::new(0),
            rate_limit: AtomicU32::new(rate_limit),
            buckets: Mutex::new(HashMap::new()),
            throttled: AtomicU64::new(0),
            started: std::time::Instant::now(),
            config,
        }
    }

    /// Keep the newest `limit` entries of the request log from now on.
    pub fn set_log_limit(&self, limit: usize) {
        self.log_limit.store(limit, Ordering::Relaxed);
        let mut log = lock(&self.log);
        let excess = log.len().saturating_sub(limit);
        log.drain(..excess);
    }

    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms.load(Ordering::Relaxed))
    }

    /// Log an API request: secrets redacted, a large body by its size only, the oldest entries
    /// dropped beyond the limit (a long run must not grow the simulator without bound).
    fn record(&self, req: &ApiRequest, headers: &HeaderMap, status: u16, request_id: &str) {
        let query: Map<String, Value> = req.query.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let mut entry = json!({
            "method": req.method, "path": req.path, "query": query, "body": logged_body(&req.body),
            "user_agent": headers.get("user-agent").and_then(|v| v.to_str().ok()),
            "at_ms": self.started.elapsed().as_millis() as u64,
            "status": status, "request_id": request_id,
        });
        redact::redact(&mut entry);
        let limit = self.log_limit.load(Ordering::Relaxed);
        let mut log = lock(&self.log);
        log.push_back(entry);
        while log.len() > limit {
            log.pop_front();
        }
    }

    /// The API gateway's rate limit: a token bucket per service, `limit` tokens a second and as many
    /// at most (one second's burst), in real time. False when the request is over the limit.
    fn admit(&self, path: &str) -> bool {
        let limit = self.rate_limit.load(Ordering::Relaxed);
        if limit == 0 {
            return true;
        }
        let service = match path {
            p if p.starts_with("/v3/") => "iam",
            p if p.starts_with("/v5/iot/") => "iotda",
            p if p.starts_with("/v1/") => "clouddc",
            _ => "dms",
        };
        let now = std::time::Instant::now();
        let mut buckets = lock(&self.buckets);
        let (tokens, last) = buckets.entry(service).or_insert((f64::from(limit), now));
        *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * f64::from(limit)).min(f64::from(limit));
        *last = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            self.throttled.fetch_add(1, Ordering::Relaxed);
            false
        }
    }

    /// The simulated time: the wall clock plus every advance ordered through `POST /_sim/clock`. Status
    /// transitions, creation times and deletions follow it (request signatures are judged by the wall
    /// clock, as the client signs with it).
    pub fn now(&self) -> std::time::SystemTime {
        let offset = self.clock_offset_ms.load(Ordering::SeqCst);
        std::time::SystemTime::now() + std::time::Duration::from_millis(offset)
    }

    /// Move the simulated clock forward; returns the total advance.
    pub fn advance_clock(&self, by: std::time::Duration) -> std::time::Duration {
        let by = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        let total = self.clock_offset_ms.fetch_add(by, Ordering::SeqCst).saturating_add(by);
        std::time::Duration::from_millis(total)
    }

    pub fn delays(&self) -> Delays {
        *lock(&self.delays)
    }

    /// Take the next queued create failure for `service`, if any.
    pub fn take_fail_create(&self, service: &str) -> Option<Failure> {
        lock(&self.fail_creates).get_mut(service).and_then(|q| q.pop_front())
    }

    /// `Err(403)` unless `project_id` (from a path) is the configured project.
    pub fn check_project(&self, project_id: &str) -> Result<(), Reply> {
        if project_id == self.config.project_id {
            return Ok(());
        }
        Err(Reply::error(
            403,
            "APIGW.0302",
            format!(
                "The project id {project_id:?} in the path is not the project of these credentials ({:?})",
                self.config.project_id
            ),
        ))
    }

    /// The first matching fault that fires, counted down (and dropped when used up).
    fn take_fault(&self, req: &ApiRequest) -> Option<Fault> {
        let mut faults = lock(&self.faults);
        // A fault still skipping lets this request pass, and it counts.
        if let Some(f) = faults.iter_mut().find(|f| f.matches(req) && f.skip > 0) {
            f.skip -= 1;
            return None;
        }
        let pos = faults.iter().position(|f| f.matches(req) && f.fires())?;
        faults[pos].remaining -= 1;
        let fault = faults[pos].clone();
        if faults[pos].remaining == 0 {
            faults.remove(pos);
        }
        Some(fault)
    }

    /// The signature, the project header and the rate limit; `Err` is the refusal.
    fn admit_request(&self, req: &ApiRequest, headers: &HeaderMap) -> Result<(), Reply> {
        if let Err(reason) = auth::verify(&self.config, req, headers) {
            return Err(Reply::error(401, "APIGW.0301", format!("Incorrect IAM authentication information: {reason}")));
        }
        if let Some(p) = headers.get("x-project-id") {
            let p = p.to_str().unwrap_or("");
            if p != self.config.project_id {
                return Err(Reply::error(
                    403,
                    "APIGW.0302",
                    format!(
                        "The X-Project-Id header {p:?} is not the project of these credentials ({:?})",
                        self.config.project_id
                    ),
                ));
            }
        }
        if !self.admit(&req.path) {
            let limit = self.rate_limit.load(Ordering::Relaxed);
            return Err(Reply::error(
                429,
                "APIGW.0308",
                format!(
                    "The throttling threshold has been reached: policy user over ratelimit,limit:{limit},time:1 second"
                ),
            ));
        }
        Ok(())
    }

    /// The service's answer.
    fn dispatch(&self, req: &ApiRequest, request_id: &str) -> Reply {
        let mut reply =
            self.services.iter().find_map(|s| s.handle(self, req)).unwrap_or_else(|| Reply::not_routed(req));
        with_request_id(&mut reply, request_id);
        reply
    }

    /// Authenticate, apply faults and dispatch one API (non-admin) request: its answer, and how the
    /// answer's body goes out.
    fn api(&self, req: &ApiRequest, headers: &HeaderMap, request_id: &str) -> (Reply, Delivery) {
        if let Err(mut refused) = self.admit_request(req, headers) {
            with_request_id(&mut refused, request_id);
            return (refused, Delivery::default());
        }
        let Some(fault) = self.take_fault(req) else {
            return (self.dispatch(req, request_id), Delivery::default());
        };
        let processed = fault.processes().then(|| self.dispatch(req, request_id));
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

/// A logged request body larger than this is logged as its size only.
const LOGGED_BODY: usize = 64 * 1024;

/// A request body as the log shows it: JSON, else text; its size only when large.
fn logged_body(body: &Bytes) -> Value {
    match body.len() {
        0 => Value::Null,
        n if n > LOGGED_BODY => json!({ "_sim_truncated_bytes": n }),
        _ => serde_json::from_slice(body).unwrap_or_else(|_| Value::String(String::from_utf8_lossy(body).into_owned())),
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
pub async fn entry(State(sim): State<Arc<Shared>>, request: Request) -> Response {
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
        let mut reply = admin::handle(&sim, &req);
        with_request_id(&mut reply, &request_id);
        return respond(reply, Delivery::default(), &request_id);
    }
    let latency = sim.latency();
    pause(latency).await;
    let (reply, delivery) = sim.api(&req, &headers, &request_id);
    sim.record(&req, &headers, reply.status, &request_id);
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
