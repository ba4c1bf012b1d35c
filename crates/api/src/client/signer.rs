//! SDK-HMAC-SHA256 request signing.
//!
//! Canonical request = `METHOD\nURI\nQUERY\nHEADERS\nSIGNED_HEADERS\nsha256hex(body)`,
//! string to sign = `SDK-HMAC-SHA256\n{X-Sdk-Date}\n{sha256hex(canonical request)}`,
//! signature = hex(HMAC-SHA256(secret key, string to sign)).

use std::time::SystemTime;

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

/// The name of the algorithm, first word of the `Authorization` header.
pub const ALGORITHM: &str = "SDK-HMAC-SHA256";

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - _ . ~`) is escaped.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// One request as seen by the signer.
pub struct Signable<'a> {
    pub method: &'a str,
    /// Request path as sent, may contain %XX escapes, no query.
    pub path: &'a str,
    /// Decoded query pairs (order irrelevant).
    pub query: &'a [(String, String)],
    /// (name, value) pairs present at signing time; names containing '_' are not signed.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

fn encode(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// One path segment, every byte but the unreserved ones escaped (a `/` included).
pub fn encode_segment(s: &str) -> String {
    encode(s)
}

fn encode_bytes(b: &[u8]) -> String {
    percent_encoding::percent_encode(b, UNRESERVED).to_string()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// Percent-decode the path, split it on '/', encode each segment with the unreserved set and
/// make sure the result ends with '/'.
pub fn canonical_uri(path: &str) -> String {
    let decoded: Vec<u8> = percent_decode_str(path).collect();
    let mut uri = decoded.split(|b| *b == b'/').map(encode_bytes).collect::<Vec<_>>().join("/");
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// `k=v` pairs sorted by (key, value), both encoded, joined by `&`.
/// This is also the exact query string to send.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut pairs: Vec<&(String, String)> = query.iter().collect();
    pairs.sort();
    pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

/// Returns (canonical request, signed headers `a;b;c`).
pub fn canonical_request(s: &Signable) -> (String, String) {
    let mut headers: Vec<(String, &str)> = s
        .headers
        .iter()
        .filter(|(name, _)| !name.contains('_'))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.trim()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed = headers.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(";");
    let request = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        s.method,
        canonical_uri(s.path),
        canonical_query(s.query),
        canonical_headers,
        signed,
        sha256_hex(s.body)
    );
    (request, signed)
}

pub fn string_to_sign(sdk_date: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{sdk_date}\n{}", sha256_hex(canonical_request.as_bytes()))
}

/// Lowercase hex HMAC-SHA256 of the string to sign, keyed with the secret key.
pub fn signature(secret_key: &str, string_to_sign: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()).expect("HMAC accepts any key length");
    mac.update(string_to_sign.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The full `Authorization` header value.
pub fn authorization(access_key: &str, secret_key: &str, s: &Signable, sdk_date: &str) -> String {
    let (request, signed) = canonical_request(s);
    let sig = signature(secret_key, &string_to_sign(sdk_date, &request));
    format!("{ALGORITHM} Access={access_key}, SignedHeaders={signed}, Signature={sig}")
}

/// The parts of an `Authorization` header value: (access key, signed header names, signature).
pub fn parse_authorization(value: &str) -> Option<(String, Vec<String>, String)> {
    let rest = value.strip_prefix(ALGORITHM)?.strip_prefix(' ')?;
    let (mut access, mut signed, mut sig) = (None, None, None);
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Access" => access = Some(val.to_string()),
            "SignedHeaders" => signed = Some(val.split(';').map(str::to_string).collect()),
            "Signature" => sig = Some(val.to_string()),
            _ => return None,
        }
    }
    Some((access?, signed?, sig?))
}

/// `YYYYMMDDTHHMMSSZ` in UTC.
pub fn sdk_date(t: SystemTime) -> String {
    let t = time::OffsetDateTime::from(t);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Parse `YYYYMMDDTHHMMSSZ` (UTC).
pub fn parse_sdk_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if !s.is_ascii() || b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let month = time::Month::try_from(num(4..6)? as u8).ok()?;
    let date = time::Date::from_calendar_date(num(0..4)? as i32, month, num(6..8)? as u8).ok()?;
    let clock = time::Time::from_hms(num(9..11)? as u8, num(11..13)? as u8, num(13..15)? as u8).ok()?;
    Some(time::PrimitiveDateTime::new(date, clock).assume_utc().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AK: &str = "HPUAEXAMPLEAK0000001";
    const SK: &str = "exampleSecretKey0123456789abcdefghijklmnopqrstu";
    const PID: &str = "0123456789abcdef0123456789abcdef";
    const EMPTY_HASH: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    struct Vector<'a> {
        ak: &'a str,
        sk: &'a str,
        method: &'a str,
        path: &'a str,
        query: &'a [(&'a str, &'a str)],
        headers: &'a [(&'a str, &'a str)],
        body: &'a str,
        canonical: &'a str,
        to_sign: &'a str,
        auth: &'a str,
    }

    fn check(v: &Vector) {
        let (query, headers) = (pairs(v.query), pairs(v.headers));
        let s = Signable { method: v.method, path: v.path, query: &query, headers: &headers, body: v.body.as_bytes() };
        let date = headers.iter().find(|(n, _)| n == "X-Sdk-Date").unwrap().1.clone();
        let (request, _) = canonical_request(&s);
        assert_eq!(request, v.canonical);
        assert_eq!(string_to_sign(&date, &request), v.to_sign);
        assert_eq!(authorization(v.ak, v.sk, &s, &date), v.auth);
    }

    #[test]
    fn a0_official_doc_example() {
        check(&Vector {
            ak: "QTWAOYTTINDUT2QVKYUC",
            sk: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc",
            method: "GET",
            path: "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            query: &[("limit", "2"), ("marker", "13551d6b-755d-4757-b956-536f674975c0")],
            headers: &[
                ("Content-Type", "application/json"),
                ("X-Sdk-Date", "20191115T033655Z"),
                ("Host", "service.region.example.com"),
            ],
            body: "",
            canonical: "GET\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\nlimit=2&marker=13551d6b-755d-4757-b956-536f674975c0\ncontent-type:application/json\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\ncontent-type;host;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            to_sign: "SDK-HMAC-SHA256\n20191115T033655Z\nb25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a",
            auth: "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
        });
    }

    #[test]
    fn a1_kafka_list_instances() {
        check(&Vector {
            ak: AK,
            sk: SK,
            method: "GET",
            path: "/v2/0123456789abcdef0123456789abcdef/instances",
            query: &[("engine", "kafka"), ("offset", "0"), ("limit", "10"), ("name", "my kafka/\u{e9}")],
            headers: &[
                ("Content-Type", "application/json"),
                ("X-Project-Id", PID),
                ("X-Sdk-Date", "20250102T030405Z"),
                ("Host", "dms.cn-north-4.myhuaweicloud.com"),
            ],
            body: "",
            canonical: "GET\n/v2/0123456789abcdef0123456789abcdef/instances/\nengine=kafka&limit=10&name=my%20kafka%2F%C3%A9&offset=0\ncontent-type:application/json\nhost:dms.cn-north-4.myhuaweicloud.com\nx-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20250102T030405Z\n\ncontent-type;host;x-project-id;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            to_sign: "SDK-HMAC-SHA256\n20250102T030405Z\na7eee55edd57a9dfe36b736698c772b65c0f7a303c279f8edd9b16621a741f6f",
            auth: "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=b93c0341baa5a35f87bb60d39da54cd19df317c2a96e049d146f7227acd81775",
        });
    }

    #[test]
    fn a2_iotda_create_with_security_token() {
        check(&Vector {
            ak: AK,
            sk: SK,
            method: "POST",
            path: "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances",
            query: &[],
            headers: &[
                ("Content-Type", "application/json;charset=UTF-8"),
                ("X-Project-Id", PID),
                ("X-Security-Token", "gQpjbi1ub3J0aC00EXAMPLE-SECURITY-TOKEN=="),
                ("X-Sdk-Date", "20250102T030405Z"),
                ("Host", "iotda-mgmt.cn-north-4.myhuaweicloud.com"),
            ],
            body: r#"{"instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 1}, "name": "tf-iotda", "charge_info": {"charge_mode": "postPaid"}}"#,
            canonical: "POST\n/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances/\n\ncontent-type:application/json;charset=UTF-8\nhost:iotda-mgmt.cn-north-4.myhuaweicloud.com\nx-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20250102T030405Z\nx-security-token:gQpjbi1ub3J0aC00EXAMPLE-SECURITY-TOKEN==\n\ncontent-type;host;x-project-id;x-sdk-date;x-security-token\n188598993c1e8e4ee63b5be5d9d22d9f2f32843c5612345fa5c7c41be7e5b8b3",
            to_sign: "SDK-HMAC-SHA256\n20250102T030405Z\nad1018fdf7dc45c730ceb18903da75725e0706271bdafd74c7e2557e69f83618",
            auth: "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token, Signature=b398f0b59078744601dd1c60493000e6a8a26ce9f67f4d4401f50c0a6eb933e3",
        });
    }

    #[test]
    fn a3_clouddc_delete_edge_cases() {
        check(&Vector {
            ak: AK,
            sk: SK,
            method: "DELETE",
            path: "/v1/0123456789abcdef0123456789abcdef/instances/abc%20def",
            query: &[("b", "z"), ("b", "a"), ("a", "true"), ("c", "x y*~")],
            headers: &[
                ("Content-Type", "application/json"),
                ("X-Project-Id", PID),
                ("X-Sdk-Date", "20250102T030405Z"),
                ("X_Custom_Underscore", "not-signed"),
                ("User-Agent", "huaweicloud-usdk-python/3.0"),
                ("Host", "clouddc.cn-east-3.myhuaweicloud.com"),
            ],
            body: "",
            canonical: "DELETE\n/v1/0123456789abcdef0123456789abcdef/instances/abc%20def/\na=true&b=a&b=z&c=x%20y%2A~\ncontent-type:application/json\nhost:clouddc.cn-east-3.myhuaweicloud.com\nuser-agent:huaweicloud-usdk-python/3.0\nx-project-id:0123456789abcdef0123456789abcdef\nx-sdk-date:20250102T030405Z\n\ncontent-type;host;user-agent;x-project-id;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            to_sign: "SDK-HMAC-SHA256\n20250102T030405Z\n87996d38f84303fcf2228d0b20b20379d80df62bf05dd5078e66a77e958b7fb3",
            auth: "SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature=ce66e6c398fcc3e47adc1415fb50079b9824cc56a1ed72e2f0947f6bd10e3917",
        });
    }

    /// The end-to-end vectors only publish the Authorization header; the canonical request and
    /// string to sign below are what the algorithm yields for them (and they produce that header).
    fn e2e(method: &str, host: &str, path: &str, content_type: &str, body: &str, body_hash: &str, sig: &str) {
        let canonical = format!(
            "{method}\n{path}/\n\ncontent-type:{content_type}\nhost:{host}\nuser-agent:huaweicloud-usdk-python/3.0\n\
             x-project-id:{PID}\nx-sdk-date:20250102T030405Z\n\ncontent-type;host;user-agent;x-project-id;x-sdk-date\n{body_hash}"
        );
        let to_sign = format!("SDK-HMAC-SHA256\n20250102T030405Z\n{}", sha256_hex(canonical.as_bytes()));
        let auth = format!(
            "SDK-HMAC-SHA256 Access={AK}, SignedHeaders=content-type;host;user-agent;x-project-id;x-sdk-date, Signature={sig}"
        );
        check(&Vector {
            ak: AK,
            sk: SK,
            method,
            path,
            query: &[],
            headers: &[
                ("Content-Type", content_type),
                ("User-Agent", "huaweicloud-usdk-python/3.0"),
                ("X-Sdk-Date", "20250102T030405Z"),
                ("X-Project-Id", PID),
                ("Host", host),
            ],
            body,
            canonical: &canonical,
            to_sign: &to_sign,
            auth: &auth,
        });
    }

    #[test]
    fn e2e_kafka_show_instance() {
        e2e(
            "GET",
            "dms.cn-north-4.myhuaweicloud.com",
            "/v2/0123456789abcdef0123456789abcdef/instances/11111111-2222-3333-4444-555555555555",
            "application/json",
            "",
            EMPTY_HASH,
            "eaee9a8962c3e4960fc1f63d877f8642a2fb8aad28eb1476275c024f5e970dd6",
        );
    }

    #[test]
    fn e2e_iotda_update_instance() {
        let body = r#"{"name": "new-name", "description": "d"}"#;
        e2e(
            "PUT",
            "iotda-mgmt.cn-north-4.myhuaweicloud.com",
            "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
            "application/json;charset=utf-8",
            body,
            &sha256_hex(body.as_bytes()),
            "53145e893d6470f792fb8b743f64e7a8aa5d2007bb7873661fe15196d3e9ae6f",
        );
    }

    #[test]
    fn e2e_clouddc_show_instance_status() {
        e2e(
            "GET",
            "clouddc.cn-east-3.myhuaweicloud.com",
            "/v1/0123456789abcdef0123456789abcdef/instances/99999999-8888-7777-6666-555555555555/status",
            "application/json",
            "",
            EMPTY_HASH,
            "ab4c54aefa341533a7ed3b45b82364fdab31b7ca59b3b7f6015493f22960fd81",
        );
    }

    #[test]
    fn uri_and_query_encoding() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/"), "/");
        assert_eq!(canonical_uri("/a/b/"), "/a/b/");
        assert_eq!(canonical_uri("/a b/%7Ex*(y)"), "/a%20b/~x%2A%28y%29/");
        assert_eq!(canonical_uri("/caf%C3%A9"), "/caf%C3%A9/");
        assert_eq!(canonical_query(&[]), "");
        assert_eq!(canonical_query(&pairs(&[("k", ""), ("a+b", "1&2=3")])), "a%2Bb=1%262%3D3&k=");
    }

    #[test]
    fn authorization_round_trip() {
        let a = "SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host, Signature=abc";
        let (ak, signed, sig) = parse_authorization(a).unwrap();
        assert_eq!((ak.as_str(), sig.as_str()), ("AK", "abc"));
        assert_eq!(signed, ["content-type", "host"]);
        assert!(parse_authorization("Bearer x").is_none());
    }

    #[test]
    fn sdk_dates() {
        let t = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_735_787_045);
        assert_eq!(sdk_date(t), "20250102T030405Z");
        assert_eq!(parse_sdk_date("20250102T030405Z"), Some(t));
        assert_eq!(parse_sdk_date(&sdk_date(SystemTime::UNIX_EPOCH)), Some(SystemTime::UNIX_EPOCH));
        for bad in
            ["", "20250102T030405", "2025010203040Z5", "20251302T030405Z", "2025-1-2T030405Z", "20250102T250405Z"]
        {
            assert_eq!(parse_sdk_date(bad), None, "{bad}");
        }
    }
}
