//! IAM: the project id lookup (`GET /v3/projects?name={region}`) and the temporary credentials of an
//! agency (`POST /v3.0/OS-CREDENTIAL/securitytokens`), which sign later requests until they expire.

use std::time::Duration;

use hwapi::contract::{iam, Invalid, Op};
use hwapi::service::Service as Api;
use serde_json::{json, Value};

use crate::request::{ApiRequest, Args, Reply};
use crate::service::Service;
use crate::state::Shared;
use crate::tokens;

/// A stable, made-up account (domain) id.
const DOMAIN_ID: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

pub struct Iam;

impl Service for Iam {
    fn name(&self) -> &'static str {
        "iam"
    }

    fn api(&self) -> Api {
        Api::Iam
    }

    fn handle(&self, sim: &Shared, op: &'static Op, _args: &Args, req: &ApiRequest) -> Result<Reply, Reply> {
        if *op == iam::ASSUME_AGENCY {
            return Ok(assume_agency(sim, req));
        }
        let cfg = &sim.config;
        let wanted = req.query.iter().find(|(k, _)| k == "name").map(|(_, v)| v.as_str());
        let project = json!({
            "id": cfg.project_id,
            "name": cfg.region,
            "domain_id": DOMAIN_ID,
            "parent_id": DOMAIN_ID,
            "description": "",
            "enabled": true,
            "is_domain": false,
            "links": {"self": format!("https://iam.{}.myhuaweicloud.com/v3/projects/{}", cfg.region, cfg.project_id)},
        });
        let projects: Vec<Value> = match wanted {
            Some(name) if name != cfg.region => Vec::new(),
            _ => vec![project],
        };
        Ok(Reply::json(
            200,
            json!({
                "projects": projects,
                "links": {"self": format!("https://iam.{}.myhuaweicloud.com/v3/projects", cfg.region), "previous": null, "next": null},
            }),
        ))
    }

    /// Keystone's answer to a malformed request: 400 with its own error document.
    fn invalid(&self, problem: &Invalid) -> Reply {
        Reply::json(
            400,
            json!({"error": {"code": 400, "title": "Bad Request", "message": format!("Invalid request: {problem}")}}),
        )
    }
}

/// Temporary credentials of the agency the router checked the body for: any agency of any account
/// may be assumed, for the asked lifetime or the cap, if shorter. The answer is never logged.
fn assume_agency(sim: &Shared, req: &ApiRequest) -> Reply {
    let body = req.checked_body();
    let asked = hwapi::contract::at(&body, iam::DURATION).and_then(Value::as_i64);
    let asked = u64::try_from(asked.unwrap_or(iam::DEFAULT_DURATION_SECONDS)).unwrap_or(0);
    let (access, issued) = sim.tokens.issue(sim.now(), Duration::from_secs(asked));
    let values = [access, issued.secret, issued.token, tokens::expires_at(issued.expires)];
    let credential: serde_json::Map<String, Value> =
        iam::CREDENTIAL.iter().map(|k| k.to_string()).zip(values.map(Value::String)).collect();
    Reply::json(201, json!({ "credential": credential }))
}
