//! Verification of SDK-HMAC-SHA256 signed requests, using the provider's own signer: signed with the
//! configured keys, or with temporary credentials IAM issued (with their security token, before they
//! expire on the simulated clock).

use std::time::{Duration, SystemTime};

use axum::http::HeaderMap;

use crate::request::ApiRequest;
use crate::state::Shared;
use crate::tokens::Standing;
use hwapi::client::signer::{self, Signable};

/// The largest accepted difference between `X-Sdk-Date` and the simulator's clock.
pub const MAX_SKEW: Duration = Duration::from_secs(15 * 60);

/// The parts of an `Authorization: SDK-HMAC-SHA256 Access=.., SignedHeaders=.., Signature=..` header.
#[derive(Debug, PartialEq, Eq)]
pub struct AuthHeader {
    pub access: String,
    pub signed_headers: Vec<String>,
    pub signature: String,
}

pub fn parse_authorization(value: &str) -> Result<AuthHeader, String> {
    let rest = value
        .strip_prefix("SDK-HMAC-SHA256 ")
        .ok_or("the Authorization header does not start with \"SDK-HMAC-SHA256 \"")?;
    let (mut access, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        let (key, val) = part.split_once('=').ok_or_else(|| format!("malformed Authorization component {part:?}"))?;
        let slot = match key {
            "Access" => &mut access,
            "SignedHeaders" => &mut signed,
            "Signature" => &mut signature,
            _ => return Err(format!("unknown Authorization component {key:?}")),
        };
        if slot.replace(val.to_string()).is_some() {
            return Err(format!("Authorization component {key} given twice"));
        }
    }
    let access = access.ok_or("the Authorization header has no Access")?;
    let signed = signed.ok_or("the Authorization header has no SignedHeaders")?;
    let signature = signature.ok_or("the Authorization header has no Signature")?;
    if signed.is_empty() {
        return Err("SignedHeaders is empty".into());
    }
    Ok(AuthHeader { access, signed_headers: signed.split(';').map(str::to_string).collect(), signature })
}

/// Why a request is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Missing, malformed or wrong credentials or signature.
    Invalid(String),
    /// Signed with temporary credentials that have expired.
    Expired,
}

impl From<String> for Refusal {
    fn from(reason: String) -> Refusal {
        Refusal::Invalid(reason)
    }
}

impl From<&str> for Refusal {
    fn from(reason: &str) -> Refusal {
        Refusal::Invalid(reason.to_string())
    }
}

/// `Ok` when the request carries a valid signature by the configured AK/SK, or by temporary
/// credentials with their token before they expire; `Err` says why not.
pub fn verify(sim: &Shared, req: &ApiRequest, headers: &HeaderMap) -> Result<(), Refusal> {
    let config = &sim.config;
    let header = headers.get("authorization").ok_or("the Authorization header is missing")?;
    let header = header.to_str().map_err(|_| "the Authorization header is not ASCII")?;
    let auth = parse_authorization(header)?;
    let token = headers.get("x-security-token").and_then(|v| v.to_str().ok());
    let (secret, expired) = if auth.access == config.access_key {
        (config.secret_key.clone(), false)
    } else {
        let (issued, expired) = match sim.tokens.standing(&auth.access, sim.now()) {
            Standing::Unknown => return Err(format!("unknown access key {:?}", auth.access).into()),
            Standing::Expired(issued) => (issued, true),
            Standing::Valid(issued) => (issued, false),
        };
        // The token and the signature are checked first: an expired key with a wrong token or signature
        // is refused for those, so that renewing cannot hide a signing error.
        if token != Some(issued.token.as_str()) {
            let why = if token.is_none() { "is missing" } else { "does not match" };
            return Err(format!("the X-Security-Token of temporary access key {:?} {why}", auth.access).into());
        }
        (issued.secret, expired)
    };
    for needed in ["host", "x-sdk-date"] {
        if !auth.signed_headers.iter().any(|h| h == needed) {
            return Err(format!("SignedHeaders must include {needed}").into());
        }
    }
    let date = headers.get("x-sdk-date").and_then(|v| v.to_str().ok()).ok_or("the X-Sdk-Date header is missing")?;
    let when = signer::parse_sdk_date(date).ok_or_else(|| format!("X-Sdk-Date {date:?} is not YYYYMMDDTHHMMSSZ"))?;
    let now = SystemTime::now();
    let skew = now.duration_since(when).or_else(|_| when.duration_since(now)).unwrap_or_default();
    if skew > MAX_SKEW {
        return Err(format!(
            "X-Sdk-Date {date} is {} s away from the server time (at most 900 s allowed)",
            skew.as_secs()
        )
        .into());
    }
    let mut signed = Vec::new();
    for name in &auth.signed_headers {
        if name.is_empty() || *name != name.to_ascii_lowercase() {
            return Err(format!("SignedHeaders entry {name:?} must be a lowercase header name").into());
        }
        let value =
            headers.get(name.as_str()).ok_or_else(|| format!("signed header {name:?} is not in the request"))?;
        let value = value.to_str().map_err(|_| format!("signed header {name:?} is not ASCII"))?;
        signed.push((name.clone(), value.to_string()));
    }
    let signable =
        Signable { method: &req.method, path: &req.path, query: &req.query, headers: &signed, body: &req.body };
    let (canonical, _) = signer::canonical_request(&signable);
    let expected = signer::signature(&secret, &signer::string_to_sign(date, &canonical));
    if !constant_time_eq(expected.as_bytes(), auth.signature.to_ascii_lowercase().as_bytes()) {
        return Err("the signature does not match the request (check the canonical request: method, path, query, signed headers, body)".into());
    }
    if expired {
        return Err(Refusal::Expired);
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_header() {
        let h = parse_authorization("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=abc").unwrap();
        assert_eq!(h.access, "AK");
        assert_eq!(h.signed_headers, vec!["host", "x-sdk-date"]);
        assert_eq!(h.signature, "abc");
        assert!(parse_authorization("Bearer x").is_err());
        assert!(parse_authorization("SDK-HMAC-SHA256 Access=AK, Signature=abc").is_err());
        assert!(parse_authorization("SDK-HMAC-SHA256 Access=AK, Access=B, SignedHeaders=host, Signature=abc").is_err());
    }
}
