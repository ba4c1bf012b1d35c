//! IAM's temporary credentials of an agency: issued for a valid body, accepted with their token until
//! they expire on the simulated clock, then refused with the gateway's expired-token error.

use super::*;

const TOKENS: &str = "/v3.0/OS-CREDENTIAL/securitytokens";

fn assume(domain: (&str, &str), duration: Option<i64>) -> Value {
    let mut role = json!({"agency_name": "ops", domain.0: domain.1});
    if let Some(d) = duration {
        role["duration_seconds"] = json!(d);
    }
    json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": role}}})
}

/// (access key, secret key, security token, expires_at) of new credentials.
async fn issue(api: &Api, body: &Value) -> (String, String, String, String) {
    let a = api.call("POST", TOKENS, Some(body)).await;
    assert_eq!(a.status, 201, "{}", a.body);
    let c = &a.body["credential"];
    let s = |k: &str| c[k].as_str().unwrap().to_string();
    (s("access"), s("secret"), s("securitytoken"), s("expires_at"))
}

/// The status and error code of the IoTDA instance list signed with `keys`.
async fn list_with(api: &Api, keys: Keys<'_>) -> (u16, String) {
    let a = answer(api.request_as(keys, "GET", BASE, &[], None, SystemTime::now()).send().await.unwrap()).await;
    (a.status, a.code().to_string())
}

fn seconds_until(expires_at: &str) -> i64 {
    let t = time::OffsetDateTime::parse(expires_at, &time::format_description::well_known::Rfc3339).unwrap();
    (t - time::OffsetDateTime::now_utc()).whole_seconds()
}

#[tokio::test]
async fn issued_credentials_sign_requests_with_their_token_until_they_expire() {
    let api = start().await;
    let (ak, sk, token, expires_at) = issue(&api, &assume(("domain_name", "delegating"), None)).await;
    assert_ne!(ak, api.ak);
    assert!(expires_at.ends_with('Z') && expires_at.contains('.'), "{expires_at}");
    let left = seconds_until(&expires_at);
    assert!((890..=900).contains(&left), "15 minutes when none is asked: {left}");

    let keys = Keys { ak: &ak, sk: &sk, token: Some(&token) };
    assert_eq!(list_with(&api, keys).await, (200, String::new()));
    for (wrong, why) in [(Keys { token: None, ..keys }, "missing"), (Keys { token: Some("other"), ..keys }, "match")] {
        let a = answer(api.request_as(wrong, "GET", BASE, &[], None, SystemTime::now()).send().await.unwrap()).await;
        assert_eq!((a.status, a.code()), (401, "APIGW.0301"), "{}", a.body);
        assert!(a.msg().contains(why), "{}", a.msg());
    }
    assert_eq!(list_with(&api, Keys { sk: "wrong", ..keys }).await, (401, "APIGW.0301".into()));
    // The request log names the key that signed each request, and shows no issued secret.
    let log = api.admin("GET", "requests", None).await.body;
    let signers: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["access_key"].as_str().unwrap()).collect();
    assert_eq!(signers, [api.ak.as_str(), &ak, &ak, &ak, &ak]);
    assert!(!log.to_string().contains(&sk) && !log.to_string().contains(&token));
    let listed = api.admin("GET", "credentials", None).await.body;
    assert_eq!(listed[0]["access_key"], ak.as_str());
    assert_eq!(listed[0]["secret"], sim::redacted(&sk).as_str());
    assert_eq!(listed[0]["securitytoken"], sim::redacted(&token).as_str());
    assert_eq!(listed[0]["expires_at"], expires_at.as_str());

    // Expired on the simulated clock: the gateway's expired-token error. The configured keys still work.
    api.advance(Duration::from_secs(900)).await;
    let a = answer(api.request_as(keys, "GET", BASE, &[], None, SystemTime::now()).send().await.unwrap()).await;
    assert_eq!((a.status, a.code(), a.msg()), (401, "APIGW.0307", "The token must be updated."));
    assert_eq!(api.call("GET", BASE, None).await.status, 200);
}

#[tokio::test]
async fn the_lifetime_is_the_asked_one_or_the_cap() {
    let api = start().await;
    let (.., expires_at) = issue(&api, &assume(("domain_id", "0a1b2c3d"), Some(3600))).await;
    assert!((3590..=3600).contains(&seconds_until(&expires_at)), "{expires_at}");
    let c = api.admin("POST", "config", Some(json!({"token_lifetime_cap_ms": 60_000}))).await;
    assert_eq!((c.status, &c.body["token_lifetime_cap_ms"]), (200, &json!(60_000)));
    let (ak, sk, token, expires_at) = issue(&api, &assume(("domain_id", "0a1b2c3d"), Some(3600))).await;
    assert!((50..=60).contains(&seconds_until(&expires_at)), "capped: {expires_at}");
    let keys = Keys { ak: &ak, sk: &sk, token: Some(&token) };
    api.advance(Duration::from_secs(59)).await;
    assert_eq!(list_with(&api, keys).await.0, 200);
    api.advance(Duration::from_secs(1)).await;
    assert_eq!(list_with(&api, keys).await, (401, "APIGW.0307".into()));
    // Temporary credentials may ask for others.
    let (ak2, sk2, token2, _) = issue(&api, &assume(("domain_name", "d"), None)).await;
    let chained = Keys { ak: &ak2, sk: &sk2, token: Some(&token2) };
    let body = assume(("domain_name", "d"), None);
    let a = api.request_as(chained, "POST", TOKENS, &[], Some(&body), SystemTime::now());
    assert_eq!(answer(a.send().await.unwrap()).await.status, 201);
}

#[tokio::test]
async fn bodies_that_break_the_contract_get_keystones_error() {
    let api = start().await;
    let mut wrong_method = assume(("domain_name", "d"), None);
    wrong_method["auth"]["identity"]["methods"] = json!(["token"]);
    let no_domain = json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": {"agency_name": "ops"}}}});
    let cases = [
        (wrong_method, "methods"),
        (no_domain, "domain_id"),
        (assume(("domain_name", "d"), Some(899)), "duration_seconds"),
        (assume(("domain_name", "d"), Some(86_401)), "duration_seconds"),
        (assume(("domain_name", ""), None), "domain_name"),
    ];
    for (body, member) in cases {
        let a = api.call("POST", TOKENS, Some(&body)).await;
        assert_eq!((a.status, &a.body["error"]["code"]), (400, &json!(400)), "{body}: {}", a.body);
        assert!(a.body["error"]["message"].as_str().unwrap().contains(member), "{body}: {}", a.body);
    }
    assert_eq!(issue(&api, &assume(("domain_name", "d"), Some(86_400))).await.0.len(), 20);
}
