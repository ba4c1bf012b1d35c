//! The simulator's state shared between requests: configuration, delays, the request log, faults,
//! queued create failures, the simulated clock and the gateway's rate limit.

use hwapi::contract::facts::GATEWAY_AUTH;
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{json, Map, Value};

use crate::config::SimConfig;
use crate::faults::{Delays, Failure, Fault};
use crate::redact;
use crate::request::{ApiRequest, Reply};
use crate::tokens::Tokens;
use crate::util::lock;

/// Everything the server shares between requests.
pub struct Shared {
    pub config: SimConfig,
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
    /// The temporary credentials IAM issued.
    pub tokens: Tokens,
}

impl Shared {
    pub fn new(config: SimConfig) -> Shared {
        let rate_limit = config.rate_limit.unwrap_or(0);
        let delays = Delays { create: config.create_delay, update: config.update_delay, delete: config.delete_delay };
        Shared {
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
            tokens: Tokens::new(config.token_lifetime_cap),
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
    /// dropped beyond the limit (a long run must not grow the simulator without bound). `access_key`
    /// is the key that signed it (never its secret key or security token).
    pub fn record(&self, req: &ApiRequest, headers: &HeaderMap, status: u16, request_id: &str) {
        let access_key = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(hwapi::client::signer::parse_authorization)
            .map(|(access, _, _)| access);
        let query: Map<String, Value> = req.query.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
        let mut entry = json!({
            "method": req.method, "path": req.path, "query": query, "body": logged_body(&req.body),
            "user_agent": headers.get("user-agent").and_then(|v| v.to_str().ok()),
            "at_ms": self.started.elapsed().as_millis() as u64,
            "status": status, "request_id": request_id, "access_key": access_key,
        });
        redact::redact(&mut entry);
        let limit = self.log_limit.load(Ordering::Relaxed);
        let mut log = lock(&self.log);
        log.push_back(entry);
        while log.len() > limit {
            log.pop_front();
        }
    }

    /// The API gateway's rate limit: a token bucket per service (`bucket`), `limit` tokens a second
    /// and as many at most (one second's burst), in real time. False when the request is over the limit.
    pub fn admit(&self, bucket: &'static str) -> bool {
        let limit = self.rate_limit.load(Ordering::Relaxed);
        if limit == 0 {
            return true;
        }
        let now = std::time::Instant::now();
        let mut buckets = lock(&self.buckets);
        let (tokens, last) = buckets.entry(bucket).or_insert((f64::from(limit), now));
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
            GATEWAY_AUTH[1].status,
            GATEWAY_AUTH[1].code,
            format!(
                "The project id {project_id:?} in the path is not the project of these credentials ({:?})",
                self.config.project_id
            ),
        ))
    }

    /// The first matching fault that fires, counted down (and dropped when used up).
    pub fn take_fault(&self, req: &ApiRequest) -> Option<Fault> {
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
