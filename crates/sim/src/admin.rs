//! Test controls under `/_sim/` (unsigned, never logged). Every answer shows secrets redacted.

use hwapi::contract::facts::{GATEWAY_AUTH, GATEWAY_THROTTLED};
use std::sync::atomic::Ordering;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::answer::{self, Delivery};
use crate::faults::{Failure, Fault, Reshape};
use crate::redact;
use crate::request::{ApiRequest, Reply};
use crate::service::Service;
use crate::spec::{self, Check, Invalid, Param, Ty};
use crate::state::Shared;
use crate::util::lock;

/// A JSON pointer (RFC 6901) into an answer.
const POINTER: &[Check] = &[
    Check::Len(0, 1024),
    Check::Pattern("a JSON pointer (\"\" or /member/..., with ~ only as ~0 or ~1)", answer::is_pointer),
];
const POINTER_ITEM: Param = Param::item(Ty::Str).checks(POINTER);

/// The members of a fault; `answer_set` (pointers to any JSON values) is checked on its own.
const FAULT: &[Param] = &[
    Param::opt("method", Ty::Str).checks(&[Check::Len(1, 16)]),
    Param::opt("path_contains", Ty::Str).checks(&[Check::Len(1, 1024)]),
    Param::opt("status", Ty::Int).checks(&[Check::Range(100, 599)]),
    Param::opt("error_code", Ty::Str).checks(&[Check::Len(1, 64)]),
    Param::opt("error_msg", Ty::Str).checks(&[Check::Len(0, 1024)]),
    Param::req("count", Ty::Int).checks(&[Check::Range(1, 1_000_000)]),
    Param::opt("retry_after", Ty::Int).checks(&[Check::Range(0, 86_400)]),
    Param::opt("after_processing", Ty::Bool),
    Param::opt("percent", Ty::Int).checks(&[Check::Range(1, 100)]),
    Param::opt("answer_remove", Ty::List(&POINTER_ITEM)).checks(&[Check::Items(1, 100)]),
    Param::opt("answer_bytes", Ty::Int).checks(&[Check::Range(0, 4 << 30)]),
    Param::opt("answer_length_header", Ty::Bool),
    Param::opt("drip_ms", Ty::Int).checks(&[Check::Range(1, 60_000)]),
    Param::opt("delay_ms", Ty::Int).checks(&[Check::Range(1, 600_000)]),
    Param::opt("path_equals", Ty::Str).checks(&[Check::Len(1, 1024)]),
    Param::opt("skip", Ty::Int).checks(&[Check::Range(1, 1_000_000)]),
    Param::opt("gather", Ty::Int).checks(&[Check::Range(2, 100)]),
];

/// The members that make a fault reshape the processed answer instead of replacing it by an error.
const RESHAPING: &[&str] = &["answer_set", "answer_remove", "answer_bytes", "drip_ms", "delay_ms", "gather"];

const FAIL_CREATES: &[Param] = &[
    Param::req("service", Ty::Str).checks(&[Check::Len(1, 32)]),
    Param::opt("count", Ty::Int).checks(&[Check::Range(1, 1_000_000)]),
    Param::opt("error_code", Ty::Str).checks(&[Check::Len(1, 64)]),
    Param::opt("error_msg", Ty::Str).checks(&[Check::Len(0, 1024)]),
];

const CONFIG: &[Param] = &[
    Param::opt("create_delay_ms", Ty::Int).checks(&[Check::Range(0, 86_400_000)]),
    Param::opt("update_delay_ms", Ty::Int).checks(&[Check::Range(0, 86_400_000)]),
    Param::opt("delete_delay_ms", Ty::Int).checks(&[Check::Range(0, 86_400_000)]),
    Param::opt("rate_limit_per_s", Ty::Int).checks(&[Check::Range(0, 100_000)]),
    Param::opt("latency_ms", Ty::Int).checks(&[Check::Range(0, 600_000)]),
    Param::opt("request_log_limit", Ty::Int).checks(&[Check::Range(0, 10_000_000)]),
    Param::opt("token_lifetime_cap_ms", Ty::Int).checks(&[Check::Range(0, 86_400_000)]),
];

const CLOCK: &[Param] = &[Param::req("advance_ms", Ty::Int).checks(&[Check::Range(0, 31_536_000_000)])];

/// Advance the simulated clock by `by` and show it.
fn clock_json(sim: &Shared, by: Duration) -> Reply {
    let total = sim.advance_clock(by);
    let now = sim.now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    Reply::json(200, json!({"offset_ms": total.as_millis() as u64, "now_ms": now.as_millis() as u64}))
}

fn bad(msg: impl Into<String>) -> Reply {
    Reply::error(400, "SIM.0400", msg)
}

fn body(req: &ApiRequest, fields: &[Param]) -> Result<Value, Reply> {
    let v = req.json().map_err(bad)?;
    spec::validate(fields, &v).map_err(|e| bad(format!("Invalid input data: {e}")))?;
    Ok(v)
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn num(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

/// Answer an admin call; secrets are redacted in every answer (the request log is redacted as it is
/// written).
pub fn handle(sim: &Shared, services: &[Box<dyn Service>], req: &ApiRequest) -> Reply {
    let segs = req.segments();
    if req.method == "GET" && segs[1..] == ["requests"] {
        return Reply::json(200, Value::Array(lock(&sim.log).iter().cloned().collect()));
    }
    let mut reply = route(sim, services, req, &segs[1..]).unwrap_or_else(|e| e);
    if let Some(body) = reply.body.as_mut() {
        redact::redact(body);
    }
    reply
}

fn route(sim: &Shared, services: &[Box<dyn Service>], req: &ApiRequest, segs: &[&str]) -> Result<Reply, Reply> {
    match (req.method.as_str(), segs) {
        ("GET", ["state"]) => Ok(state(sim, services)),
        ("DELETE", ["requests"]) => {
            lock(&sim.log).clear();
            Ok(Reply::empty(204))
        }
        ("GET", ["faults"]) => Ok(faults_json(sim)),
        ("POST", ["faults"]) => add_fault(sim, req),
        ("DELETE", ["faults"]) => {
            lock(&sim.faults).clear();
            Ok(Reply::empty(204))
        }
        ("POST", ["fail-creates"]) => fail_creates(sim, services, req),
        ("GET", ["config"]) => Ok(config_json(sim)),
        ("GET", ["credentials"]) => Ok(Reply::json(200, Value::Array(sim.tokens.list()))),
        ("GET", ["clock"]) => Ok(clock_json(sim, Duration::ZERO)),
        ("POST", ["clock"]) => {
            body(req, CLOCK).map(|b| clock_json(sim, Duration::from_millis(b["advance_ms"].as_u64().unwrap_or(0))))
        }
        ("POST", ["config"]) => set_config(sim, req),
        ("DELETE", [service, id]) => with_service(services, service, |s| {
            if s.objects().is_some_and(|o| o.remove(id)) {
                Ok(Reply::empty(204))
            } else {
                Err(Reply::error(404, "SIM.0404", format!("no {} object {id:?}", s.name())))
            }
        }),
        ("PATCH", [service, id]) => with_service(services, service, |s| {
            let patch = req.json().map_err(bad)?;
            if !patch.is_object() {
                return Err(bad("the patch must be a JSON object"));
            }
            let patched = match s.objects() {
                Some(objects) => objects.patch(id, &patch, sim.now()).map_err(bad)?,
                None => None,
            };
            match patched {
                Some(obj) => Ok(Reply::json(200, obj)),
                None => Err(Reply::error(404, "SIM.0404", format!("no {} object {id:?}", s.name()))),
            }
        }),
        ("POST", [service, id, action]) => with_service(services, service, |s| {
            s.action(sim, id, action).unwrap_or_else(|| {
                Err(Reply::error(404, "SIM.0404", format!("{} has no admin action {action:?}", s.name())))
            })
        }),
        _ => Err(Reply::error(404, "SIM.0404", format!("no admin route {} {}", req.method, req.path))),
    }
}

fn with_service(
    services: &[Box<dyn Service>],
    name: &str,
    f: impl FnOnce(&dyn Service) -> Result<Reply, Reply>,
) -> Result<Reply, Reply> {
    match services.iter().find(|s| s.name() == name) {
        Some(s) => f(s.as_ref()),
        None => Err(Reply::error(404, "SIM.0404", format!("unknown service {name:?}"))),
    }
}

fn state(sim: &Shared, services: &[Box<dyn Service>]) -> Reply {
    let mut out = Map::new();
    for s in services {
        if let Some(objects) = s.objects() {
            out.insert(s.name().to_string(), objects.snapshot(sim.now()));
        }
    }
    Reply::json(200, Value::Object(out))
}

fn faults_json(sim: &Shared) -> Reply {
    Reply::json(200, Value::Array(lock(&sim.faults).iter().map(Fault::to_json).collect()))
}

/// `answer_set`: an object of 1 to 100 JSON pointers, each to any JSON value.
fn answer_set(v: Option<Value>) -> Result<Map<String, Value>, Invalid> {
    let set = match v {
        None => return Ok(Map::new()),
        Some(Value::Object(set)) => set,
        Some(other) => {
            return Err(Invalid::new("answer_set", format!("expected an Object, got {}", spec::describe(&other))))
        }
    };
    if let Some(problem) = Check::Items(1, 100).count(set.len()) {
        return Err(Invalid::new("answer_set", problem));
    }
    for pointer in set.keys() {
        if let Some(problem) = POINTER.iter().find_map(|c| c.text(pointer)) {
            return Err(Invalid::new(format!("answer_set.{pointer}"), problem));
        }
    }
    Ok(set)
}

/// A fault body: the table, `answer_set`, and the members that only go together.
fn fault_body(req: &ApiRequest) -> Result<(Value, Map<String, Value>), Reply> {
    let mut v = req.json().map_err(bad)?;
    let set = v.as_object_mut().and_then(|o| o.remove("answer_set"));
    let invalid = |e: Invalid| bad(format!("Invalid input data: {e}"));
    spec::validate(FAULT, &v).map_err(invalid)?;
    let set = answer_set(set).map_err(invalid)?;
    let given = |k: &str| v.get(k).is_some() || (k == "answer_set" && !set.is_empty());
    if !RESHAPING.iter().any(|k| given(k)) {
        spec::require(
            &v,
            "status",
            "unless answer_set, answer_remove, answer_bytes, drip_ms, delay_ms or gather is given",
        )
        .map_err(invalid)?;
    }
    if given("answer_bytes") {
        for other in ["answer_set", "answer_remove"] {
            if given(other) {
                return Err(invalid(Invalid::new(other, "must not be given with answer_bytes (it replaces the body)")));
            }
        }
    } else {
        spec::forbid(&v, "answer_length_header", "without answer_bytes").map_err(invalid)?;
    }
    Ok((v, set))
}

fn add_fault(sim: &Shared, req: &ApiRequest) -> Result<Reply, Reply> {
    let (v, set) = fault_body(req)?;
    let status = num(&v, "status").map(|s| s as u16);
    let default_code = match status.unwrap_or(500) {
        429 => GATEWAY_THROTTLED.code,
        401 => GATEWAY_AUTH[0].code,
        s if s >= 500 => "SYS.0500",
        _ => "SIM.FAULT",
    };
    let default_msg = match status.unwrap_or(500) {
        429 => "The throttling threshold has been reached",
        s if s >= 500 => "Internal server error (injected)",
        _ => "Injected fault",
    };
    let remove: Vec<String> = spec::strings(&v["answer_remove"]).into_iter().map(str::to_string).collect();
    let delivery = Delivery {
        bytes: num(&v, "answer_bytes"),
        length_header: v.get("answer_length_header").and_then(Value::as_bool).unwrap_or(false),
        drip: num(&v, "drip_ms").map(Duration::from_millis),
        hold: num(&v, "delay_ms").map(Duration::from_millis),
        gather: num(&v, "gather").map(answer::Gather::new),
    };
    let reshapes = !set.is_empty()
        || !remove.is_empty()
        || delivery.bytes.is_some()
        || delivery.drip.is_some()
        || delivery.hold.is_some()
        || delivery.gather.is_some();
    let fault = Fault {
        method: text(&v, "method").map(|m| m.to_ascii_uppercase()),
        path_contains: text(&v, "path_contains"),
        path_equals: text(&v, "path_equals"),
        skip: num(&v, "skip").unwrap_or(0),
        status,
        error_code: text(&v, "error_code").unwrap_or_else(|| default_code.into()),
        error_msg: text(&v, "error_msg").unwrap_or_else(|| default_msg.into()),
        retry_after: num(&v, "retry_after"),
        remaining: num(&v, "count").unwrap_or(1),
        after_processing: v.get("after_processing").and_then(Value::as_bool).unwrap_or(false),
        percent: num(&v, "percent").unwrap_or(100) as u8,
        reshape: reshapes.then_some(Reshape { set, remove, delivery }),
    };
    let echo = fault.to_json();
    lock(&sim.faults).push(fault);
    Ok(Reply::json(201, echo))
}

fn fail_creates(sim: &Shared, services: &[Box<dyn Service>], req: &ApiRequest) -> Result<Reply, Reply> {
    let v = body(req, FAIL_CREATES)?;
    let service = text(&v, "service").unwrap_or_default();
    let name = services
        .iter()
        .map(|s| s.name())
        .find(|n| *n == service && *n != "iam")
        .ok_or_else(|| bad(format!("service: unknown service {service:?}")))?;
    let failure = Failure {
        error_code: text(&v, "error_code").unwrap_or_else(|| "SIM.CREATE_FAILED".into()),
        error_msg: text(&v, "error_msg")
            .unwrap_or_else(|| "The instance could not be created (injected failure)".into()),
    };
    let count = num(&v, "count").unwrap_or(1) as usize;
    let mut all = lock(&sim.fail_creates);
    let queue = all.entry(name).or_default();
    queue.extend(std::iter::repeat_n(failure, count));
    Ok(Reply::json(201, json!({"service": name, "pending": queue.len()})))
}

fn config_json(sim: &Shared) -> Reply {
    let d = sim.delays();
    Reply::json(
        200,
        json!({
            "create_delay_ms": d.create.as_millis() as u64,
            "update_delay_ms": d.update.as_millis() as u64,
            "delete_delay_ms": d.delete.as_millis() as u64,
            "rate_limit_per_s": sim.rate_limit.load(Ordering::Relaxed),
            "throttled": sim.throttled.load(Ordering::Relaxed),
            "latency_ms": sim.latency().as_millis() as u64,
            "request_log_limit": sim.log_limit.load(Ordering::Relaxed),
            "token_lifetime_cap_ms": sim.tokens.cap().as_millis() as u64,
        }),
    )
}

fn set_config(sim: &Shared, req: &ApiRequest) -> Result<Reply, Reply> {
    let v = body(req, CONFIG)?;
    {
        let mut d = lock(&sim.delays);
        let ms = |k: &str| num(&v, k).map(Duration::from_millis);
        d.create = ms("create_delay_ms").unwrap_or(d.create);
        d.update = ms("update_delay_ms").unwrap_or(d.update);
        d.delete = ms("delete_delay_ms").unwrap_or(d.delete);
    }
    if let Some(n) = num(&v, "rate_limit_per_s") {
        sim.rate_limit.store(n as u32, Ordering::Relaxed);
        lock(&sim.buckets).clear();
    }
    if let Some(ms) = num(&v, "latency_ms") {
        sim.latency_ms.store(ms, Ordering::Relaxed);
    }
    if let Some(n) = num(&v, "request_log_limit") {
        sim.set_log_limit(n as usize);
    }
    if let Some(ms) = num(&v, "token_lifetime_cap_ms") {
        sim.tokens.set_cap(Duration::from_millis(ms));
    }
    Ok(config_json(sim))
}
