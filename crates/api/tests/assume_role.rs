//! Acting as an IAM agency (`assume_role`) against a local mock server: the call that obtains the
//! temporary credentials, signed with the configured keys, and every later call signed with them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use hwapi::client::{AgencyDomain, ApiError, AssumeRole, Call, Client, ClientConfig, Method, Service};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod common;

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey0123456789abcdefghijklmnopqrstu";
const TOKEN: &str = "CONFIGURED-SECURITY-TOKEN";
const PID: &str = "0123456789abcdef0123456789abcdef";
const TOKENS: &str = "/v3.0/OS-CREDENTIAL/securitytokens";

fn config(base: &str, domain: AgencyDomain) -> ClientConfig {
    ClientConfig {
        region: "cn-north-4".into(),
        project_id: None,
        access_key: AK.into(),
        secret_key: SK.into(),
        security_token: Some(TOKEN.into()),
        assume_role: Some(AssumeRole { agency_name: "ops".into(), domain, duration_seconds: 3600 }),
        max_retries: 2,
        endpoints: Service::ALL.into_iter().map(|s| (s, base.to_string())).collect(),
        user_agent: "test".into(),
        ca_bundle: None,
        insecure: false,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(50),
    }
}

/// `expires_at` as IAM writes it, `secs` from now.
fn expires_in(secs: u64) -> String {
    let t = time::OffsetDateTime::from(SystemTime::now() + Duration::from_secs(secs));
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    t.format(&fmt).unwrap()
}

/// IAM's answer: credentials number 1, 2, ... on each call, valid for an hour.
struct Issuer(AtomicUsize);

impl Respond for Issuer {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(201).set_body_json(json!({"credential": {
            "access": format!("TMPAK{n}"), "secret": format!("TMPSK{n}"),
            "securitytoken": format!("TMPTOKEN{n}"), "expires_at": expires_in(3600),
        }}))
    }
}

async fn iam() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST")).and(path(TOKENS)).respond_with(Issuer(AtomicUsize::new(0))).mount(&server).await;
    let projects = json!({"projects": [{"id": PID, "name": "cn-north-4"}]});
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(projects))
        .mount(&server)
        .await;
    server
}

use common::header;

/// The access key that signed `req`, after checking the signature with `sk` over every signed header,
/// the security token among them.
fn signed_by(req: &Request, sk: &str) -> String {
    let (access, signed) = common::signed_with(req, sk);
    assert!(signed.iter().any(|h| h == "x-security-token"), "the token is signed: {signed:?}");
    access
}

fn list() -> Call {
    Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances")
}

#[tokio::test]
async fn the_agency_call_is_signed_with_the_configured_keys_and_every_later_call_with_its_answer() {
    let server = iam().await;
    let instances = format!("/v2/{PID}/instances");
    Mock::given(method("GET"))
        .and(path(instances.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": []})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), AgencyDomain::Name("delegating".into()))).unwrap();
    for _ in 0..2 {
        client.send(&list(), None).await.unwrap();
    }
    let reqs = server.received_requests().await.unwrap();
    let paths: Vec<&str> = reqs.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [TOKENS, "/v3/projects", instances.as_str(), instances.as_str()], "obtained once, first");

    let first = &reqs[0];
    assert_eq!(first.method.as_str(), "POST");
    assert_eq!(header(first, "content-type"), Some("application/json"));
    assert_eq!(header(first, "x-security-token"), Some(TOKEN));
    assert_eq!(header(first, "x-project-id"), None);
    assert_eq!(signed_by(first, SK), AK);
    let body: Value = serde_json::from_slice(&first.body).unwrap();
    let want = json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role":
        {"agency_name": "ops", "domain_name": "delegating", "duration_seconds": 3600}}}});
    assert_eq!(body, want);
    hwapi::contract::iam::ASSUME_AGENCY.validate(&body).unwrap();

    // The project lookup and the calls after it: the agency's keys and token.
    for req in &reqs[1..] {
        assert_eq!(signed_by(req, "TMPSK1"), "TMPAK1", "{}", req.url);
        assert_eq!(header(req, "x-security-token"), Some("TMPTOKEN1"));
    }
    let shown = format!("{client:?}");
    assert!(!shown.contains("TMPSK1") && !shown.contains("TMPTOKEN1") && !shown.contains(SK), "{shown}");
}

#[tokio::test]
async fn credentials_refused_as_expired_are_renewed_once_and_the_call_sent_again() {
    let server = iam().await;
    let instances = format!("/v2/{PID}/instances");
    let expired = json!({"error_code": "APIGW.0307", "error_msg": "The token must be updated."});
    Mock::given(method("POST"))
        .and(path(instances.as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(expired))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(instances.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": "k-1"})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), AgencyDomain::Id("0a1b2c3d".into()))).unwrap();
    let create = Call::new(Service::Dms, Method::Post, "/v2/{project_id}/instances").body(json!({"name": "k"}));
    assert_eq!(client.send(&create, None).await.unwrap().body["instance_id"], "k-1");

    let reqs = server.received_requests().await.unwrap();
    let paths: Vec<&str> = reqs.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, [TOKENS, "/v3/projects", instances.as_str(), TOKENS, instances.as_str()]);
    let body: Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(body["auth"]["identity"]["assume_role"]["domain_id"], "0a1b2c3d");
    assert_eq!(signed_by(&reqs[2], "TMPSK1"), "TMPAK1");
    assert_eq!(signed_by(&reqs[4], "TMPSK2"), "TMPAK2", "the create went again with the renewed keys");

    // A second refusal is the caller's answer: renewed once, not in a loop.
    let again = iam().await;
    let expired = json!({"error_code": "APIGW.0307", "error_msg": "The token must be updated."});
    Mock::given(method("POST"))
        .and(path(instances.as_str()))
        .respond_with(ResponseTemplate::new(401).set_body_json(expired))
        .mount(&again)
        .await;
    let client = Client::new(config(&again.uri(), AgencyDomain::Id("0a1b2c3d".into()))).unwrap();
    let err = client.send(&create, None).await.unwrap_err();
    assert_eq!((err.status(), err.error_code()), (Some(401), Some("APIGW.0307")));
    let sent = again.received_requests().await.unwrap();
    assert_eq!(sent.iter().filter(|r| r.url.path() == TOKENS).count(), 2);
    assert_eq!(sent.iter().filter(|r| r.url.path() == instances).count(), 2);
}

#[tokio::test]
async fn a_refused_or_unusable_agency_answer_fails_the_call_unsent_without_the_secret() {
    let server = MockServer::start().await;
    let refused = json!({"error": {"code": 403, "title": "Forbidden", "message": "no such agency"}});
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(ResponseTemplate::new(403).set_body_json(refused))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), AgencyDomain::Name("d".into()))).unwrap();
    // A call without the project id (whose lookup keeps its first answer for the run).
    let products = Call::new(Service::Dms, Method::Get, "/v2/products");
    // The caller's request was never sent, and says so, with IAM's answer.
    let err = client.send(&products, None).await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { sent: false, .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("nothing was sent") && text.contains("403"), "{text}");
    assert!(text.contains(TOKENS) && text.contains("no such agency"), "{text}");

    let partial = json!({"credential": {"access": "TMPAK", "secret": "TOP-SECRET", "expires_at": expires_in(60)}});
    Mock::given(method("POST"))
        .and(path(TOKENS))
        .respond_with(ResponseTemplate::new(201).set_body_json(partial))
        .mount(&server)
        .await;
    let err = client.send(&products, None).await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { sent: false, .. }), "{err}");
    assert!(err.to_string().contains("credential.securitytoken") && !err.to_string().contains("TOP-SECRET"), "{err}");
    let sent = server.received_requests().await.unwrap();
    assert!(sent.iter().all(|r| r.url.path() == TOKENS), "no call went out unsigned by the agency");
}

/// The docs do not say which code the gateway gives expired temporary keys: any refusal of the
/// agency's credentials by the gateway (401 `APIGW.0301` here) renews them once and sends again.
#[tokio::test]
async fn a_gateway_refusal_of_the_agencys_keys_renews_them_once() {
    let server = iam().await;
    let refused = json!({"error_code": "APIGW.0301", "error_msg": "Incorrect IAM authentication information"});
    Mock::given(method("GET"))
        .and(path("/v2/products"))
        .respond_with(ResponseTemplate::new(401).set_body_json(refused))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v2/products"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), AgencyDomain::Name("d".into()))).unwrap();
    let products = Call::new(Service::Dms, Method::Get, "/v2/products");
    client.send(&products, None).await.unwrap();
    let sent = server.received_requests().await.unwrap();
    let calls: Vec<&Request> = sent.iter().filter(|r| r.url.path() == "/v2/products").collect();
    assert_eq!(sent.iter().filter(|r| r.url.path() == TOKENS).count(), 2);
    assert_eq!(calls.len(), 2);
    assert_eq!(signed_by(calls[1], "TMPSK2"), "TMPAK2", "sent again with the renewed keys");
}
