//! The API client against a local mock server: signing, headers, bodies, project id lookup,
//! retries and errors.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use hwapi::client::signer::{parse_authorization, parse_sdk_date};
use hwapi::client::{ApiError, Call, Client, ClientConfig, Method, Service};
use serde_json::json;
use tokio::time::Instant;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;

const AK: &str = "HPUAEXAMPLEAK0000001";
const SK: &str = "exampleSecretKey0123456789abcdefghijklmnopqrstu";
const PID: &str = "0123456789abcdef0123456789abcdef";
const REGION: &str = "cn-north-4";
const TOKEN: &str = "gQpjbi1ub3J0aC00EXAMPLE-SECURITY-TOKEN==";
const UA: &str = "terraform-provider-huaweicloud/test";

fn config(base: &str, project_id: Option<&str>) -> ClientConfig {
    ClientConfig {
        region: REGION.into(),
        project_id: project_id.map(str::to_string),
        access_key: AK.into(),
        secret_key: SK.into(),
        security_token: None,
        assume_role: None,
        max_retries: 3,
        endpoints: Service::ALL.into_iter().map(|s| (s, base.to_string())).collect::<BTreeMap<_, _>>(),
        user_agent: UA.into(),
        ca_bundle: None,
        insecure: false,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(50),
    }
}

fn client(server: &MockServer) -> Client {
    Client::new(config(&server.uri(), Some(PID))).unwrap()
}

use common::header;

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap()
}

async fn count(server: &MockServer, p: &str) -> usize {
    requests(server).await.iter().filter(|r| r.url.path() == p).count()
}

/// Checks the Authorization header's shape, recomputes the signature from the request as received
/// and returns the signed header names joined by ';'.
fn verify_signature(req: &Request) -> String {
    let auth = header(req, "authorization").expect("Authorization header");
    let (access, signed, signature) = parse_authorization(auth).expect("SDK-HMAC-SHA256 Authorization");
    assert_eq!(access, AK);
    assert!(signature.len() == 64 && signature.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
    let signed_list = signed.join(";");
    assert_eq!(auth, format!("SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed_list}, Signature={signature}"));

    let date = header(req, "x-sdk-date").expect("X-Sdk-Date");
    let sent_at = parse_sdk_date(date).expect("X-Sdk-Date format");
    let skew = SystemTime::now().duration_since(sent_at).unwrap_or_default();
    assert!(skew < Duration::from_secs(60), "X-Sdk-Date {date} is off");

    common::signed_with(req, SK);
    signed_list
}

#[tokio::test]
async fn signed_get_with_query_and_headers() {
    let server = MockServer::start().await;
    let p = format!("/v2/{PID}/instances");
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Request-Id", "req-1")
                .set_body_json(json!({"instances": [], "instance_num": 0})),
        )
        .expect(1)
        .mount(&server)
        .await;

    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances")
        .query("name", "my kafka/\u{e9}*~")
        .query("engine", "kafka")
        .query("b", "z")
        .query("b", "a");
    let response = client(&server).send(&call, None).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, json!({"instances": [], "instance_num": 0}));
    assert_eq!(response.request_id.as_deref(), Some("req-1"));

    let reqs = requests(&server).await;
    let req = &reqs[0];
    assert_eq!(req.method.as_str(), "GET");
    assert_eq!(req.url.path(), p);
    assert_eq!(req.url.query(), Some("b=a&b=z&engine=kafka&name=my%20kafka%2F%C3%A9%2A~"));
    assert_eq!(header(req, "content-type"), Some("application/json"));
    assert_eq!(header(req, "host"), Some(server.address().to_string().as_str()));
    assert_eq!(header(req, "user-agent"), Some(UA));
    assert_eq!(header(req, "x-project-id"), Some(PID));
    assert_eq!(header(req, "x-security-token"), None);
    assert!(req.body.is_empty());
    assert_eq!(verify_signature(req), "content-type;host;user-agent;x-project-id;x-sdk-date");
}

#[tokio::test]
async fn post_body_bytes_and_security_token() {
    let server = MockServer::start().await;
    let p = format!("/v5/iot/{PID}/iotda-instances");
    Mock::given(method("POST"))
        .and(path(p.as_str()))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"instance_id": "i-1", "request_id": "body-rid"})))
        .mount(&server)
        .await;

    let mut cfg = config(&server.uri(), Some(PID));
    cfg.security_token = Some(TOKEN.into());
    let body =
        json!({"charge_info": {"charge_mode": "postPaid"}, "flavor": {"size": 1, "type": "s1"}, "name": "tf \"x\""});
    let call = Call::new(Service::Iotda, Method::Post, "/v5/iot/{project_id}/iotda-instances").body(body);
    let response = Client::new(cfg).unwrap().send(&call, None).await.unwrap();
    assert_eq!(response.status, 201);
    assert_eq!(response.body["instance_id"], "i-1");
    assert_eq!(response.request_id.as_deref(), Some("body-rid"));

    let req = &requests(&server).await[0];
    assert_eq!(req.url.query(), None);
    assert_eq!(
        String::from_utf8(req.body.clone()).unwrap(),
        r#"{"charge_info":{"charge_mode":"postPaid"},"flavor":{"size":1,"type":"s1"},"name":"tf \"x\""}"#
    );
    assert_eq!(header(req, "x-security-token"), Some(TOKEN));
    assert_eq!(verify_signature(req), "content-type;host;user-agent;x-project-id;x-sdk-date;x-security-token");
}

#[tokio::test]
async fn base_path_prefix_and_escaped_path() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/prefix/v1/{PID}/instances/abc%20def")))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(config(&format!("{}/prefix/", server.uri()), Some(PID))).unwrap();
    let call = Call::new(Service::Clouddc, Method::Delete, "/v1/{project_id}/instances/abc%20def");
    let response = client.send(&call, None).await.unwrap();
    assert_eq!((response.status, response.body), (204, serde_json::Value::Null));
    let req = &requests(&server).await[0];
    assert_eq!(req.url.path(), format!("/prefix/v1/{PID}/instances/abc%20def"));
    verify_signature(req);
}

#[tokio::test]
async fn project_id_is_looked_up_once_and_cached() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .and(query_param("name", REGION))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"projects": [{"id": PID, "name": REGION}]}))
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&server)
        .await;
    let p = format!("/v5/iot/{PID}/iotda-instances/abc");
    Mock::given(method("GET"))
        .and(path(p.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": "abc"})))
        .mount(&server)
        .await;

    let client = Client::new(config(&server.uri(), None)).unwrap();
    let call = Call::new(Service::Iotda, Method::Get, "/v5/iot/{project_id}/iotda-instances/abc");
    let (a, b, c) = tokio::join!(client.send(&call, None), client.send(&call, None), client.project_id(None));
    assert_eq!(a.unwrap().body["instance_id"], "abc");
    b.unwrap();
    assert_eq!(c.unwrap(), PID);
    client.clone().send(&call, None).await.unwrap();
    assert_eq!(count(&server, "/v3/projects").await, 1);
    assert_eq!(count(&server, &p).await, 3);

    for req in requests(&server).await {
        if req.url.path() == "/v3/projects" {
            assert_eq!(req.url.query(), Some("name=cn-north-4"));
            assert_eq!(header(&req, "x-project-id"), None);
            assert_eq!(verify_signature(&req), "content-type;host;user-agent;x-sdk-date");
        } else {
            assert_eq!(header(&req, "x-project-id"), Some(PID));
            assert_eq!(verify_signature(&req), "content-type;host;user-agent;x-project-id;x-sdk-date");
        }
    }
}

#[tokio::test]
async fn project_lookup_needs_exactly_one_project() {
    for projects in [json!([]), json!([{"id": "a", "name": REGION}, {"id": "b", "name": REGION}])] {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/v3/projects"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "projects": projects })))
            .mount(&server)
            .await;
        let client = Client::new(config(&server.uri(), None)).unwrap();
        let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
        let err = client.send(&call, None).await.unwrap_err();
        assert!(matches!(err, ApiError::Config(_)), "{err}");
        assert!(err.to_string().contains(REGION), "{err}");
        assert_eq!(requests(&server).await.len(), 1, "only the lookup is sent");
    }
}

#[tokio::test]
async fn throttled_post_honours_retry_after_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"error_code": "APIGW.0308", "error_msg": "throttled"})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(200)).mount(&server).await;

    let started = Instant::now();
    let call = Call::new(Service::Dms, Method::Post, "/v2/{project_id}/instances").body(json!({"name": "k"}));
    let response = client(&server).send(&call, None).await.unwrap();
    assert_eq!(response.status, 200);
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After not honoured");
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].body, reqs[1].body);
    verify_signature(&reqs[1]);
}

#[tokio::test]
async fn post_retried_on_iotda_throttling() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error_code": "IOTDA.021101", "error_msg": "flow control"})),
        )
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(201)).mount(&server).await;
    let call = Call::new(Service::Iotda, Method::Post, "/v5/iot/{project_id}/iotda-instances");
    assert_eq!(client(&server).send(&call, None).await.unwrap().status, 201);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn post_not_retried_on_server_errors() {
    for status in [500, 503] {
        let server = MockServer::start().await;
        Mock::given(method("POST")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let call = Call::new(Service::Iotda, Method::Post, "/v5/iot/{project_id}/iotda-instances");
        let err = client(&server).send(&call, None).await.unwrap_err();
        assert_eq!(err.status(), Some(status));
        assert_eq!(requests(&server).await.len(), 1, "POST sent again after {status}");
    }
}

#[tokio::test]
async fn get_retried_on_503_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&server)
        .await;
    let call = Call::new(Service::Clouddc, Method::Get, "/v1/{project_id}/instances/x/status");
    assert_eq!(client(&server).send(&call, None).await.unwrap().body, json!({"ok": true}));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn max_retries_is_respected() {
    for max_retries in [0, 2] {
        let server = MockServer::start().await;
        Mock::given(method("PUT")).respond_with(ResponseTemplate::new(502)).mount(&server).await;
        let mut cfg = config(&server.uri(), Some(PID));
        cfg.max_retries = max_retries;
        let call = Call::new(Service::Dms, Method::Put, "/v2/{project_id}/instances/i").body(json!({}));
        let err = Client::new(cfg).unwrap().send(&call, None).await.unwrap_err();
        assert_eq!(err.status(), Some(502), "{err}");
        assert_eq!(requests(&server).await.len(), max_retries as usize + 1);
    }
}

#[tokio::test]
async fn error_display_and_not_found() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v5/iot/{PID}/iotda-instances/abc")))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("X-Request-Id", "5f3c0d1e")
                .set_body_json(json!({"error_code": "IOTDA.001000", "error_msg": "The resource is not found"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(format!("/v2/{PID}/instances/gone")))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"error_code": "DMS.00404022", "error_msg": "gone", "request_id": "r404"})),
        )
        .mount(&server)
        .await;
    Mock::given(path(format!("/v2/{PID}/instances/bad")))
        .respond_with(ResponseTemplate::new(400).set_body_string("<html>\nBad Request\n</html>"))
        .mount(&server)
        .await;
    let client = client(&server);

    let call = Call::new(Service::Iotda, Method::Get, "/v5/iot/{project_id}/iotda-instances/abc");
    let err = client.send(&call, None).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "GET /v5/iot/{PID}/iotda-instances/abc: HTTP 403, error_code IOTDA.001000, \
             error_msg \"The resource is not found\", request_id 5f3c0d1e"
        )
    );
    assert!(err.is_not_found());
    assert_eq!(err.error_code(), Some("IOTDA.001000"));

    let call = Call::new(Service::Dms, Method::Delete, "/v2/{project_id}/instances/gone");
    let err = client.send(&call, None).await.unwrap_err();
    assert!(err.is_not_found());
    assert!(
        err.to_string().ends_with("HTTP 404, error_code DMS.00404022, error_msg \"gone\", request_id r404"),
        "{err}"
    );

    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances/bad");
    let err = client.send(&call, None).await.unwrap_err();
    assert!(!err.is_not_found());
    assert_eq!(
        err.to_string(),
        format!("GET /v2/{PID}/instances/bad: HTTP 400, error_msg \"<html> Bad Request </html>\"")
    );
}

#[tokio::test]
async fn invalid_json_answer_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_string("{oops")).mount(&server).await;
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances/i");
    let err = client(&server).send(&call, None).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { status: 200, .. }), "{err}");
    assert_eq!(requests(&server).await.len(), 1);
}

/// A local port nobody listens on.
fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{address}")
}

#[tokio::test]
async fn connection_refused_is_retried_even_for_post() {
    let base = closed_port();
    let call =
        Call::new(Service::Iotda, Method::Post, "/v5/iot/{project_id}/iotda-instances").body(json!({"name": "x"}));
    let name = format!("POST /v5/iot/{PID}/iotda-instances");

    // Without a deadline: retried max_retries times, then the connection error itself.
    let err = Client::new(config(&base, Some(PID))).unwrap().send(&call, None).await.unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err}");
    let host = base.trim_start_matches("http://");
    assert!(err.to_string().starts_with(&format!("{name}: connection to {host} failed")), "{err}");

    // With many retries, the deadline ends it: only a retried call can end in a Timeout.
    let mut cfg = config(&base, Some(PID));
    cfg.max_retries = 1000;
    let started = Instant::now();
    let err = Client::new(cfg).unwrap().send(&call, Some(started + Duration::from_millis(300))).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    match &err {
        ApiError::Timeout { last: Some(last), .. } => assert!(matches!(**last, ApiError::Transport { .. }), "{err}"),
        other => panic!("expected a timeout, got {other}"),
    }
    let shown = err.to_string();
    assert!(
        shown.starts_with(&format!("{name}: deadline exceeded (last error: connection to {host} failed")),
        "{shown}"
    );
}

#[tokio::test]
async fn deadline_bounds_a_slow_answer() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(10)))
        .mount(&server)
        .await;
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances/i");
    let started = Instant::now();
    let err = client(&server).send(&call, Some(started + Duration::from_millis(300))).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(matches!(err, ApiError::Timeout { .. }), "{err}");
    assert!(err.to_string().starts_with(&format!("GET /v2/{PID}/instances/i: deadline exceeded")), "{err}");
}

#[test]
fn bad_endpoint_is_a_config_error() {
    let err = Client::new(config("ftp://127.0.0.1/", Some(PID))).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)), "{err}");
}

/// A value becomes exactly one percent-encoded path segment: it can never reach another route, and
/// `.`/`..` (which a URL resolves) or an empty value is refused before anything is sent.
#[tokio::test]
async fn placeholder_values_are_one_encoded_segment_and_dot_segments_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(json!({}))).mount(&server).await;
    let client = client(&server);
    let show = |id: &str| {
        Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances/{instance_id}").arg("instance_id", id)
    };
    client.send(&show("../../../_sim/requests?x=1 é"), None).await.unwrap();
    let req = &requests(&server).await[0];
    assert_eq!(req.url.path(), format!("/v2/{PID}/instances/..%2F..%2F..%2F_sim%2Frequests%3Fx%3D1%20%C3%A9"));
    assert_eq!(req.url.query(), None);
    verify_signature(req);
    for bad in ["..", ".", ""] {
        let err = client.send(&show(bad), None).await.unwrap_err();
        assert!(
            matches!(err, ApiError::Config(ref m) if m.contains("cannot be a path segment") && m.contains("no request was sent")),
            "{bad:?}: {err}"
        );
    }
    let missing = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances/{instance_id}");
    assert!(client.send(&missing, None).await.unwrap_err().to_string().contains("no value for {instance_id}"));
    assert_eq!(requests(&server).await.len(), 1, "nothing else was sent");
    // A project id is checked too, configured or looked up.
    let err = Client::new(config(&server.uri(), Some("../x"))).unwrap_err();
    assert!(err.to_string().contains("project_id: \"../x\" is not a project id"), "{err}");
}

/// However many calls need the project id at once, IAM is asked once (with its retries), and a failure
/// reaches every caller without the lookup running again.
#[tokio::test]
async fn concurrent_callers_share_one_project_lookup_and_its_failure() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .respond_with(
            ResponseTemplate::new(429).set_body_json(json!({"error_code": "APIGW.0308", "error_msg": "throttled"})),
        )
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"projects": [{"id": PID, "name": REGION}]})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PID}/instances")))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), None)).unwrap();
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
    for r in concurrently(&client, &call, 30).await {
        r.unwrap();
    }
    assert_eq!(count(&server, "/v3/projects").await, 3, "2 throttled answers, then one success, for 30 callers");

    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v3/projects"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"error_code": "SYS.0503", "error_msg": "down"})))
        .mount(&server)
        .await;
    let client = Client::new(config(&server.uri(), None)).unwrap();
    for r in concurrently(&client, &call, 30).await {
        let e = r.unwrap_err();
        assert_eq!((e.call(), e.status(), e.service()), (Some(("GET", "/v3/projects")), Some(503), Some("IAM")), "{e}");
    }
    // One lookup with its 3 retries, for 30 callers; a later call gets the same answer at once.
    assert_eq!(count(&server, "/v3/projects").await, 4);
    assert!(client.send(&call, None).await.is_err());
    assert_eq!(count(&server, "/v3/projects").await, 4);
}

/// Sends `call` from `n` concurrent tasks and returns every result.
async fn concurrently(client: &Client, call: &Call, n: usize) -> Vec<Result<hwapi::client::Response, ApiError>> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let (client, call) = (client.clone(), call.clone());
            tokio::spawn(async move { client.send(&call, None).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// A host that does not resolve (a wrong region on the default endpoints) fails at once, naming the host
/// and the region, instead of being retried for seconds.
#[tokio::test]
async fn an_unknown_host_fails_at_once_naming_it_and_the_region() {
    let mut cfg = config("http://unused", Some(PID));
    cfg.endpoints.clear();
    cfg.region = "cn-nort-4".into();
    cfg.max_retries = 5;
    cfg.backoff_base = Duration::from_secs(1);
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
    let started = Instant::now();
    let err = Client::new(cfg).unwrap().send(&call, None).await.unwrap_err().to_string();
    assert!(started.elapsed() < Duration::from_secs(1), "retried: {:?}", started.elapsed());
    assert!(err.contains("dms.cn-nort-4.myhuaweicloud.com"), "{err}");
    assert!(err.contains("check the region \"cn-nort-4\""), "{err}");
}

/// A redirect is never followed, and its error says where it pointed.
#[tokio::test]
async fn a_redirect_shows_its_location() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("Location", "https://elsewhere.example/x"))
        .mount(&server)
        .await;
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
    let err = client(&server).send(&call, None).await.unwrap_err().to_string();
    assert!(
        err.contains("HTTP 302") && err.contains("redirected to https://elsewhere.example/x (not followed)"),
        "{err}"
    );
    assert_eq!(requests(&server).await.len(), 1);
}

/// An answer larger than the cap is an error, whether it declares its length or not, and is not
/// retried (it would be as large again).
#[tokio::test]
async fn an_oversized_answer_is_an_error_and_not_retried() {
    let server = MockServer::start().await;
    let big = vec![b' '; hwapi::client::MAX_ANSWER_BYTES + 1];
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_bytes(big)).mount(&server).await;
    let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
    let err = client(&server).send(&call, None).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { status: 200, .. }), "{err}");
    assert!(err.to_string().contains("larger than 16 MiB"), "{err}");
    assert_eq!(requests(&server).await.len(), 1);
}

/// A list answer without its list (an error body answered with 200, `{}`, a list of another type) is an
/// error naming the call and the member, never an empty list.
#[tokio::test]
async fn a_list_answer_without_its_list_is_an_error() {
    for (body, says) in [
        (json!({"error_code": "DMS.00500000", "error_msg": "internal"}), "error_code DMS.00500000"),
        (json!({}), "no such member"),
        (json!({"instances": "none"}), "the String"),
        (json!({"instances": null}), "null"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&body)).mount(&server).await;
        let call = Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances");
        let answer = client(&server).send(&call, None).await.unwrap();
        let err = answer.parse_list::<serde_json::Value>("instances").unwrap_err().to_string();
        assert!(err.starts_with(&format!("GET /v2/{PID}/instances: HTTP 200")), "{err}");
        assert!(err.contains("expected the list \"instances\"") && err.contains(says), "{body}: {err}");
    }
}
