//! Helpers shared by the client's wiremock tests.

use hwapi::client::signer::{authorization, parse_authorization, Signable};
use wiremock::Request;

pub fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).map(|v| v.to_str().unwrap())
}

/// Recomputes the signature of `req` as received, with secret key `sk`, over every signed header, and
/// checks it is the request's. Returns the access key that signed it and the signed header names.
pub fn signed_with(req: &Request, sk: &str) -> (String, Vec<String>) {
    let auth = header(req, "authorization").expect("Authorization header");
    let (access, signed, _) = parse_authorization(auth).expect("SDK-HMAC-SHA256 Authorization");
    let headers: Vec<(String, String)> =
        signed.iter().map(|n| (n.clone(), header(req, n).expect("signed header present").to_string())).collect();
    let query: Vec<(String, String)> = req.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let s = Signable {
        method: req.method.as_str(),
        path: req.url.path(),
        query: &query,
        headers: &headers,
        body: &req.body,
    };
    let date = header(req, "x-sdk-date").expect("X-Sdk-Date");
    assert_eq!(
        authorization(&access, sk, &s, date),
        auth,
        "the signature does not match the request with this secret key"
    );
    (access, signed)
}
