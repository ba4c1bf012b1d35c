//! The contract's facts against the simulator's answers: its lifecycles only show declared statuses,
//! its error answers are the declared codes, it refuses every body that breaks a cross-field rule
//! (and the provider's validation names the rule's member), it refuses an out-of-range `limit`, and
//! it serves every declared operation. Each check takes declarations and returns the problems found;
//! the tests run it over the real tables and over a broken declaration.

use hwapi::contract::{self, at, clouddc, iotda, kafka, BodyRule, Check, Code, Errors, Op, Statuses};
use hwapi::service::{Method, Service};
use serde_json::{json, Value};

use crate::contract_facts::{services, undeclared_statuses};
use crate::contract_facts_sim::{arg, fill, id_of, put, remove, samples, start, valid_sample, value_for, Answer, Api};

/// What the simulator answered: (status, error_code) of an invalid body, of a show of a missing
/// object, and (where tried) of a change while the object is busy.
#[derive(Debug, Clone)]
pub struct Answered {
    pub invalid: (u16, Option<String>),
    pub not_found: (u16, Option<String>),
    pub busy: Option<(u16, Option<String>)>,
}

/// The answers fit the table: the invalid one is exactly `invalid`, the others among their codes.
pub fn answered_problems(name: &str, e: &Errors, a: &Answered) -> Vec<String> {
    let mut out = Vec::new();
    let (status, code) = (a.invalid.0, a.invalid.1.as_deref());
    if status != e.invalid.status || (!e.invalid.code.is_empty() && code != Some(e.invalid.code)) {
        out.push(format!(
            "{name}: an invalid body is answered {status} {code:?}, the table's invalid is {:?}",
            e.invalid
        ));
    }
    let (status, code) = (a.not_found.0, a.not_found.1.as_deref());
    if !e.is_not_found(status, code) {
        out.push(format!(
            "{name}: a missing object is answered {status} {code:?}, not one of not_found {:?}",
            e.not_found
        ));
    }
    if let Some((status, code)) = &a.busy {
        if !e.is_busy(*status, code.as_deref()) {
            out.push(format!("{name}: a busy object is answered {status} {code:?}, not one of busy {:?}", e.busy));
        }
    }
    out
}

/// How each service is driven: its create, the show that reads the status, and the changes made
/// (each with its sample) between the create and the delete.
fn script(service: Service) -> (&'static Op, &'static Op, Vec<&'static Op>, &'static Op) {
    match service {
        Service::Iotda => (&iotda::CREATE, &iotda::SHOW, vec![&iotda::RESIZE], &iotda::DELETE),
        Service::Dms => (&kafka::CREATE, &kafka::SHOW, vec![&kafka::EXTEND, &kafka::AUTOTOPIC], &kafka::DELETE),
        _ => (&clouddc::CREATE, &clouddc::STATUS, vec![&clouddc::CHANGE_IP], &clouddc::DELETE),
    }
}

/// Reads the status of instance `id` through `show`, a clock step between reads, until `done`; every
/// status seen is added to `seen`. The last answer.
async fn watch(
    api: &Api,
    show: &Op,
    id: &str,
    s: &Statuses,
    seen: &mut Vec<String>,
    done: impl Fn(&Answer) -> bool,
) -> Answer {
    for _ in 0..300 {
        let a = api.send(show, id, None).await;
        if let Some(status) = a.body[s.member].as_str() {
            seen.push(status.to_string());
        }
        if done(&a) {
            return a;
        }
        api.step().await;
    }
    panic!("{} {id} never settled; seen {seen:?}", show.label());
}

/// Every status the simulator shows for an instance of `service` through a create, each change, a
/// delete, and a create that fails.
async fn lifecycle(api: &Api, service: Service, s: &Statuses, e: &Errors) -> Vec<String> {
    let (create, show, changes, delete) = script(service);
    let status = |a: &Answer| a.body[s.member].as_str().unwrap_or("").to_string();
    let missing = |a: &Answer| e.is_not_found(a.status, a.code().as_deref());
    let settled = |a: &Answer| missing(a) || !(s.busy.contains(&status(a).as_str()) || status(a).is_empty());
    let mut seen = Vec::new();
    let id = api.create(create, &samples(create)[0]).await;
    let a = watch(api, show, &id, s, &mut seen, settled).await;
    assert!(s.is_ready(&status(&a)), "{id}: {}", a.body);
    for change in changes {
        let a = api.send(change, &id, samples(change).first()).await;
        assert!(a.status < 300, "{}: {}", change.label(), a.body);
        watch(api, show, &id, s, &mut seen, |a| s.is_ready(&status(a))).await;
    }
    let a = api.send(delete, &id, None).await;
    assert!(a.status < 300, "{}: {}", delete.label(), a.body);
    watch(api, show, &id, s, &mut seen, |a| missing(a) || s.gone.contains(&status(a).as_str())).await;
    api.admin("fail-creates", json!({"service": service.key().replace("dms", "kafka")})).await;
    let mut body = samples(create)[0].clone();
    body["name"] = json!(format!("{}-failed", body["name"].as_str().unwrap()));
    let id = api.create(create, &body).await;
    let a = watch(api, show, &id, s, &mut seen, settled).await;
    assert!(s.is_failure(&status(&a)), "the failed create of {id}: {}", a.body);
    seen
}

#[tokio::test]
async fn simulated_lifecycles_show_only_declared_statuses() {
    let api = start().await;
    let mut found = Vec::new();
    for (service, statuses, errors, _) in services() {
        let seen = lifecycle(&api, service, statuses, errors).await;
        let mut distinct = seen.clone();
        distinct.sort();
        distinct.dedup();
        eprintln!("{}: seen {distinct:?}", service.key());
        assert!(distinct.len() >= 3, "{}: only {distinct:?} seen", service.key());
        found.extend(undeclared_statuses(service.key(), statuses, &seen));
    }
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

/// The answers of `service` to an invalid create body, a show of a missing instance, and (Kafka) a
/// change while the instance is being created.
async fn answers(api: &Api, service: Service) -> Answered {
    let (create, show, ..) = script(service);
    let pair = |a: Answer| (a.status, a.code());
    let invalid = pair(api.send(create, "", Some(&json!({"not_a_member": true}))).await);
    let missing = if service == Service::Dms { "missing-instance-1" } else { "0000aaaa-0000-4000-8000-000000000000" };
    let not_found = pair(api.send(show, missing, None).await);
    let busy = match service {
        Service::Dms => {
            let id = api.create(create, &samples(create)[0]).await;
            Some(pair(api.send(&kafka::UPDATE, &id, Some(&json!({"description": "busy"}))).await))
        }
        _ => None,
    };
    Answered { invalid, not_found, busy }
}

#[tokio::test]
async fn error_answers_are_the_declared_codes() {
    let api = start().await;
    let mut found = Vec::new();
    for (service, _, errors, _) in services() {
        found.extend(answered_problems(service.key(), errors, &answers(&api, service).await));
    }
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

#[tokio::test]
async fn error_check_catches_a_wrong_invalid_code() {
    static BROKEN: Errors = Errors { invalid: Code::new(400, "DMS.00400001"), ..kafka::ERRORS };
    let api = start().await;
    let found = answered_problems("broken", &BROKEN, &answers(&api, Service::Dms).await);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].contains("an invalid body is answered 400 Some(\"DMS.00400000\")"), "{found:#?}");
    assert!(found[0].contains("DMS.00400001"), "{found:#?}");
}

/// A body that breaks `rule`, made from a valid sample of `op`, and the member the refusal names.
fn breaking(op: &Op, rule: &BodyRule, arg: &dyn Fn(&str) -> Option<String>) -> Option<(Value, &'static str)> {
    let all = samples(op);
    let has = |s: &Value, m: &str| at(s, m).is_some();
    let pick = |ok: &dyn Fn(&Value) -> bool| all.iter().find(|s| ok(s)).cloned();
    match *rule {
        BodyRule::RequiredWhen { field, when, is } => {
            let mut s = pick(&|s| is.holds(at(s, when)) && has(s, field))?;
            remove(&mut s, field);
            Some((s, field))
        }
        BodyRule::OnlyWhen { field, when, is } => {
            let mut s = pick(&|s| !is.holds(at(s, when)) && !has(s, field))?;
            put(&mut s, field, value_for(op, field)?);
            Some((s, field))
        }
        BodyRule::Together(a, b) => {
            let mut s = pick(&|s| has(s, a) && has(s, b))?;
            remove(&mut s, b);
            Some((s, b))
        }
        BodyRule::NotBoth(a, b) => {
            let mut s = pick(&|s| has(s, a) && !has(s, b))?;
            let v = value_for(op, b).or_else(|| at(&s, a).cloned())?;
            put(&mut s, b, v);
            Some((s, b))
        }
        BodyRule::AnyOf(a, b) => {
            let mut s = pick(&|s| has(s, a) || has(s, b))?;
            remove(&mut s, a);
            remove(&mut s, b);
            Some((s, a))
        }
        BodyRule::MaxWhen { field, max, when, is } => {
            let mut s = pick(&|s| is.holds(at(s, when)) && has(s, field))?;
            put(&mut s, field, json!(max + 1));
            Some((s, field))
        }
        BodyRule::Distinct(list, member) => {
            // The first element listed once more.
            let first_has = |l: &Vec<Value>| l.first().is_some_and(|e| member.is_empty() || e.get(member).is_some());
            let mut s = pick(&|s| at(s, list).and_then(Value::as_array).is_some_and(first_has))?;
            let mut items = at(&s, list)?.as_array()?.clone();
            items.push(items[0].clone());
            put(&mut s, list, json!(items));
            Some((s, list))
        }
        BodyRule::NotNameOf { field, other } => {
            let mut s = pick(&|s| has(s, field))?;
            let name = match other.strip_prefix('{').and_then(|o| o.strip_suffix('}')) {
                Some(placeholder) => arg(placeholder)?,
                None => at(&s, other)?.as_str()?.to_string(),
            };
            put(&mut s, field, json!(name));
            Some((s, field))
        }
    }
}

/// A rule whose condition the operation's fixed members never meet (the resize that always grows
/// the storage, for the rule of the horizontal resize): no body of this use can break it.
fn moot(op: &Op, rule: &BodyRule) -> bool {
    let condition = match *rule {
        BodyRule::RequiredWhen { when, is, .. } | BodyRule::OnlyWhen { when, is, .. } => Some((when, is)),
        BodyRule::MaxWhen { when, is, .. } => Some((when, is)),
        _ => None,
    };
    condition.is_some_and(|(when, is)| op.fixed.iter().any(|(k, v)| *k == when && !is.holds(Some(&json!(v)))))
}

/// For every rule of `ops`: a body that breaks it is refused by the simulator with the service's
/// invalid code, and the provider's validation names the rule's member.
async fn rules_not_applied(api: &Api, ids: &[(Service, String)], ops: &[&Op]) -> (usize, Vec<String>) {
    let (mut broken, mut out) = (0, Vec::new());
    for op in ops.iter().filter(|op| !op.rules.is_empty()) {
        let id = id_of(ids, op.service);
        let arg = |name: &str| arg(api.project(), id, name);
        if let Err(e) = valid_sample(op, api.project(), id) {
            out.push(e);
            continue;
        }
        // IAM, without a table of codes, answers invalid input 400 with Keystone's error document.
        let keystone = Code::new(400, "");
        let invalid = Some(contract::errors(op.service).map_or(keystone, |e| e.invalid));
        for rule in op.rules.iter().filter(|r| !moot(op, r)) {
            let at = format!("{} ({}): {}", op.name, op.label(), rule.describe());
            let Some((body, field)) = breaking(op, rule, &arg) else {
                out.push(format!("{at}: no sample to break it from"));
                continue;
            };
            match op.validate_with(&body, &arg) {
                Err(e) if e.path == field => {}
                other => out.push(format!("{at}: the provider's validation of {body} gives {other:?}, not {field}")),
            }
            let a = api.send(op, id, Some(&body)).await;
            broken += 1;
            if !invalid.is_some_and(|c| c.matches(a.status, a.code().as_deref())) {
                out.push(format!("{at}: the simulator answers {body} with {} {}", a.status, a.body));
            }
        }
    }
    (broken, out)
}

#[tokio::test]
async fn both_sides_refuse_a_body_that_breaks_a_rule() {
    let api = start().await;
    let ids = api.instances().await;
    let mut ops: Vec<&Op> = contract::all_ops().collect();
    ops.extend([&kafka::EXTEND_STORAGE, &kafka::EXTEND_BROKERS, &kafka::EXTEND_FLAVOR]);
    let (broken, found) = rules_not_applied(&api, &ids, &ops).await;
    assert!(broken >= 40, "only {broken} rules broken");
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

/// For every operation with a ranged `limit`: a limit just outside the range is refused with the
/// service's invalid code.
async fn limits_not_refused(api: &Api, ids: &[(Service, String)], ops: &[&Op]) -> (usize, Vec<String>) {
    let (mut sent, mut out) = (0, Vec::new());
    for op in ops {
        let Some(p) = op.query.iter().find(|p| p.name == "limit") else { continue };
        let invalid = contract::errors(op.service).map(|e| e.invalid);
        for c in p.checks {
            let Check::Range(lo, hi) = *c else { continue };
            for n in [Some(lo - 1), (hi < i64::MAX).then_some(hi + 1)].into_iter().flatten() {
                let path = fill(op, api.project(), id_of(ids, op.service));
                let a = api.call(op.method.as_str(), &path, &[("limit", n.to_string())], None).await;
                sent += 1;
                if !invalid.is_some_and(|c| c.matches(a.status, a.code().as_deref())) {
                    out.push(format!("{} ({}): limit={n} is answered {} {}", op.name, op.label(), a.status, a.body));
                }
            }
        }
    }
    (sent, out)
}

#[tokio::test]
async fn an_out_of_range_limit_is_refused() {
    let api = start().await;
    let ids = api.instances().await;
    let ops: Vec<&Op> = contract::all_ops().collect();
    let (sent, found) = limits_not_refused(&api, &ids, &ops).await;
    assert!(sent >= 8, "only {sent} limits sent");
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

/// The operations the simulator answers as an unpublished API (404 `APIGW.0101`), each sent with a
/// valid sample body (so that the router's checks pass it on to the service) on a real instance.
async fn unserved(api: &Api, ids: &[(Service, String)], ops: &[&Op]) -> Vec<String> {
    let mut out = Vec::new();
    for op in ops {
        let id = id_of(ids, op.service);
        let body = match valid_sample(op, api.project(), id) {
            Ok(body) => body,
            Err(e) => {
                out.push(e);
                continue;
            }
        };
        let a = api.send(op, id, body.as_ref()).await;
        if a.is_not_routed() {
            out.push(format!("{} ({}) is not served: {}", op.name, op.label(), a.body["error_msg"]));
        }
    }
    out
}

#[tokio::test]
async fn every_declared_operation_is_served() {
    let api = start().await;
    let ids = api.instances().await;
    let ops: Vec<&Op> = contract::all_ops().collect();
    let found = unserved(&api, &ids, &ops).await;
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}

#[tokio::test]
async fn served_check_catches_a_made_up_operation() {
    static NOWHERE: Op = Op::new("ShowNowhere", Service::Dms, Method::Get, "/v2/{project_id}/nowhere");
    static NO_BODY: Op = Op::new("CreateNothing", Service::Dms, Method::Post, "/v2/{project_id}/instances")
        .body(&[contract::Param::req("nothing", contract::Ty::Str)]);
    let api = start().await;
    let ids = api.instances().await;
    let found = unserved(&api, &ids, &[&NOWHERE, &kafka::SHOW, &NO_BODY]).await;
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("ShowNowhere (GET /v2/{project_id}/nowhere) is not served"), "{found:#?}");
    assert!(found[1].contains("CreateNothing"), "{found:#?}");
}

/// Every sample of a create operation is a body the simulator takes (not only the router's table):
/// the rules above break samples that are otherwise valid, so a refusal is the rule's.
#[tokio::test]
async fn every_create_sample_is_accepted() {
    let api = start().await;
    let mut found = Vec::new();
    for create in [&iotda::CREATE, &kafka::CREATE, &kafka::CREATE_V2, &clouddc::CREATE] {
        for (i, body) in samples(create).iter().enumerate() {
            let a = api.send(create, "", Some(body)).await;
            if a.status >= 300 {
                found.push(format!("{} sample {i}: {} {}", create.label(), a.status, a.body));
            }
        }
    }
    assert!(found.is_empty(), "{} problems:\n{}", found.len(), found.join("\n"));
}
