//! The one router of the API: a request's method and path are matched against every operation the
//! contract declares (`hwapi::contract`), and the request goes to the service that owns the matched
//! operation. The router checks what the contract states (the project of the path, the body against
//! the operation's table); the services check the rest (catalogs, rules tying fields, lifecycles).

use hwapi::contract::{self, Invalid, Op};

use crate::request::{ApiRequest, Args, Reply};
use crate::service::Service;
use crate::state::Shared;

/// Every declared operation, of every service.
const OPS: [&[&Op]; 4] = [contract::iam::OPS, contract::iotda::OPS, contract::kafka::OPS, contract::clouddc::OPS];

/// Every declared operation, in declaration order.
pub fn operations() -> impl Iterator<Item = &'static Op> {
    OPS.into_iter().flatten().copied()
}

/// A request matched to a declared operation.
#[derive(Clone, Debug)]
pub struct Match {
    pub op: &'static Op,
    /// The values of the path's placeholders.
    pub args: Args,
}

/// The placeholder values when `path` fits `template`: literal segments equal, each `{placeholder}`
/// one non-empty segment.
fn fit(template: &'static str, path: &str) -> Option<Args> {
    let (mut want, mut got) = (template.split('/'), path.split('/'));
    let mut args = Args::default();
    loop {
        match (want.next(), got.next()) {
            (None, None) => return Some(args),
            (Some(w), Some(g)) => match w.strip_prefix('{').and_then(|w| w.strip_suffix('}')) {
                Some(name) if !g.is_empty() => args.0.push((name, g.to_string())),
                Some(_) => return None,
                None if w == g => {}
                None => return None,
            },
            _ => return None,
        }
    }
}

/// The declared operation `method path` matches. When several templates fit, the one with the most
/// literal segments wins (`/instances/password` before `/instances/{instance_id}`).
pub fn find(method: &str, path: &str) -> Option<Match> {
    operations()
        .filter(|op| op.method.as_str() == method)
        .filter_map(|op| fit(op.path, path).map(|args| Match { op, args }))
        .max_by_key(|m| m.op.path.split('/').count() - m.args.0.len())
}

/// The service of `services` that owns `op`.
pub fn owner<'a>(services: &'a [Box<dyn Service>], op: &Op) -> Option<&'a dyn Service> {
    services.iter().find(|s| s.api() == op.service).map(|s| s.as_ref())
}

/// The answer of `service` to `req`, matched as `m`: the path's project, the query (for an operation
/// with a body table) and the body are checked here, then the service answers.
pub fn serve(sim: &Shared, service: &dyn Service, m: &Match, req: &ApiRequest) -> Reply {
    if service.api() != m.op.service {
        return Reply::not_routed(req);
    }
    check(sim, service, m, req).and_then(|()| service.handle(sim, m.op, &m.args, req)).unwrap_or_else(|e| e)
}

fn check(sim: &Shared, service: &dyn Service, m: &Match, req: &ApiRequest) -> Result<(), Reply> {
    if m.op.placeholders().contains(&"project_id") {
        sim.check_project(m.args.get("project_id"))?;
    }
    let invalid = |problem: Invalid| service.invalid(&problem);
    // Query parameters: declared, of their type, within their ranges and enumerations.
    m.op.validate_query(&req.query).map_err(invalid)?;
    if m.op.body.is_empty() {
        if !req.body.iter().all(u8::is_ascii_whitespace) {
            return Err(invalid(Invalid::new("", "this operation takes no request body")));
        }
        return Ok(());
    }
    let body = req.json().map_err(|e| invalid(Invalid::new("", e)))?;
    // The table, the fixed members and the rules that tie members (some read the path's values).
    m.op.validate_with(&body, &|name| Some(m.args.get(name).to_string()).filter(|v| !v.is_empty())).map_err(invalid)
}

/// The answer to an API request: the owner of the declared operation it matches answers; a request
/// that matches none (or whose operation no service owns) is answered as the gateway answers.
pub fn route(sim: &Shared, services: &[Box<dyn Service>], m: Option<&Match>, req: &ApiRequest) -> Reply {
    match m.and_then(|m| owner(services, m.op).map(|s| (m, s))) {
        Some((m, service)) => serve(sim, service, m, req),
        None => Reply::not_routed(req),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fit_segment_by_segment() {
        let t = "/v2/{project_id}/instances/{instance_id}/topics";
        let args = fit(t, "/v2/p1/instances/i1/topics").unwrap();
        assert_eq!((args.get("project_id"), args.get("instance_id")), ("p1", "i1"));
        assert!(fit(t, "/v2/p1/instances//topics").is_none(), "an empty placeholder");
        assert!(fit(t, "/v2/p1/instances/i1/topics/").is_none(), "a trailing slash");
        assert!(fit(t, "/v2/p1/instances/i1").is_none(), "shorter");
        assert!(fit(t, "/v2/p1/kafka/i1/topics").is_none(), "another literal");
    }

    #[test]
    fn literals_win_over_placeholders() {
        let m = find("PUT", "/v1/p/instances/password").unwrap();
        assert_eq!(m.op.name, "ChangeInstancesPassword");
        let m = find("DELETE", "/v1/p/instances/password").unwrap();
        assert_eq!((m.op.name, m.args.get("instance_id")), ("DeleteInstance", "password"));
        assert!(find("PATCH", "/v1/p/instances").is_none());
    }

    #[test]
    fn every_template_is_distinct() {
        let ops: Vec<&Op> = operations().collect();
        for (i, a) in ops.iter().enumerate() {
            for b in &ops[i + 1..] {
                assert!(a != b, "{} is declared twice", a.label());
            }
        }
    }
}
