//! Typed API errors.

/// Everything that can go wrong with one call. `Display` shows all that is known:
/// the call (method + path), HTTP status, error_code, error_msg and request id.
#[derive(Debug, Clone)]
pub enum ApiError {
    /// The service answered with a non-2xx status.
    Service {
        /// Which service answered.
        service: crate::service::Service,
        method: &'static str,
        path: String,
        status: u16,
        error_code: Option<String>,
        error_msg: Option<String>,
        request_id: Option<String>,
    },
    /// The request could not be sent or its answer not received. `sent` is false when the request
    /// surely never left (no connection could be made, or it could not be built).
    Transport { method: &'static str, path: String, message: String, sent: bool },
    /// A 2xx answer whose body is not the expected JSON.
    Decode { method: &'static str, path: String, status: u16, message: String, request_id: Option<String> },
    /// The deadline passed before the call (with its retries) could finish.
    Timeout { method: &'static str, path: String, last: Option<Box<ApiError>> },
    /// Bad client configuration (endpoint URL, project id lookup result, ...).
    Config(String),
}

/// How much of an unexpected error body is kept as `error_msg`.
const RAW_BODY_CHARS: usize = 200;

impl ApiError {
    /// The HTTP status of the answer (`Service` and `Decode` only; a `Timeout` answers `None`,
    /// its `last` error tells what happened before the deadline).
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Service { status, .. } | ApiError::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The service's `error_code` (`Service` only).
    pub fn error_code(&self) -> Option<&str> {
        match self {
            ApiError::Service { error_code, .. } => error_code.as_deref(),
            _ => None,
        }
    }

    /// "Not found" as the service's error table says it (404; IoTDA's 403 `IOTDA.001000`).
    pub fn is_not_found(&self) -> bool {
        match self {
            ApiError::Service { service, status, .. } => {
                crate::contract::errors(*service).is_some_and(|e| e.is_not_found(*status, self.error_code()))
                    || *status == 404
            }
            _ => false,
        }
    }

    /// The service refused the credentials or their signature (401, or 403 `APIGW.0301`/`APIGW.0302`).
    pub fn is_auth_failure(&self) -> bool {
        match (self, self.status()) {
            (ApiError::Service { .. }, Some(401)) => true,
            (ApiError::Service { .. }, Some(status)) => {
                crate::contract::facts::GATEWAY_AUTH.iter().any(|c| c.matches(status, self.error_code()))
            }
            (ApiError::Timeout { last: Some(last), .. }, _) => last.is_auth_failure(),
            _ => false,
        }
    }

    /// The service's name of a `Service` error (the last error of a `Timeout`).
    pub fn service(&self) -> Option<&'static str> {
        match self {
            ApiError::Service { service, .. } => Some(service.label()),
            ApiError::Timeout { last: Some(last), .. } => last.service(),
            _ => None,
        }
    }

    /// The request id the service gave (`Service`, `Decode`, or the last error of a `Timeout`).
    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Service { request_id, .. } | ApiError::Decode { request_id, .. } => request_id.as_deref(),
            ApiError::Timeout { last, .. } => last.as_ref().and_then(|e| e.request_id()),
            _ => None,
        }
    }

    /// The call this error is about: (method, path). `None` for `Config`.
    pub fn call(&self) -> Option<(&'static str, &str)> {
        match self {
            ApiError::Service { method, path, .. }
            | ApiError::Transport { method, path, .. }
            | ApiError::Decode { method, path, .. }
            | ApiError::Timeout { method, path, .. } => Some((method, path)),
            ApiError::Config(_) => None,
        }
    }

    /// Build the error for a non-2xx answer from its body. Understands
    /// `{"error_code","error_msg","request_id"}` and IAM's `{"error":{"code","message","title"}}`;
    /// any other body is kept (its first ~200 characters, on one line) as `error_msg`.
    /// `header_request_id` (the `X-Request-Id` header) wins over the body's `request_id`.
    pub fn from_response(
        service: crate::service::Service,
        method: &'static str,
        path: impl Into<String>,
        status: u16,
        header_request_id: Option<String>,
        body: &[u8],
    ) -> ApiError {
        let (error_code, error_msg, body_request_id) = parse_error_body(body);
        ApiError::Service {
            service,
            method,
            path: path.into(),
            status,
            error_code,
            error_msg,
            request_id: header_request_id.filter(|s| !s.is_empty()).or(body_request_id),
        }
    }

    /// Everything after `METHOD path: `.
    fn detail(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Service { status, error_code, error_msg, request_id, .. } => {
                write!(f, "HTTP {status}")?;
                if let Some(code) = error_code {
                    write!(f, ", error_code {code}")?;
                }
                if let Some(msg) = error_msg {
                    write!(f, ", error_msg \"{msg}\"")?;
                }
                if let Some(id) = request_id {
                    write!(f, ", request_id {id}")?;
                }
                Ok(())
            }
            ApiError::Transport { message, .. } => write!(f, "{message}"),
            ApiError::Decode { status, message, request_id, .. } => {
                write!(f, "HTTP {status}, unexpected response body: {message}")?;
                if let Some(id) = request_id {
                    write!(f, ", request_id {id}")?;
                }
                Ok(())
            }
            ApiError::Timeout { last, .. } => {
                write!(f, "deadline exceeded")?;
                if let Some(last) = last {
                    write!(f, " (last error: ")?;
                    last.detail(f)?;
                    write!(f, ")")?;
                }
                Ok(())
            }
            ApiError::Config(message) => write!(f, "{message}"),
        }
    }
}

/// (error_code, error_msg, request_id) from an error body.
fn parse_error_body(body: &[u8]) -> (Option<String>, Option<String>, Option<String>) {
    use serde_json::Value;
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) if !s.is_empty() => Some(one_line(s, usize::MAX)),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let raw = || {
        let s = one_line(&String::from_utf8_lossy(body), RAW_BODY_CHARS);
        (!s.is_empty()).then_some(s)
    };
    let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(body) else {
        return (None, raw(), None);
    };
    let request_id = text(map.get("request_id"));
    if let Some(Value::Object(iam)) = map.get("error") {
        let msg = text(iam.get("message")).or_else(|| text(iam.get("title")));
        return (text(iam.get("code")), msg, request_id);
    }
    let code = text(map.get("error_code")).or_else(|| text(map.get("code")));
    let msg = text(map.get("error_msg")).or_else(|| text(map.get("message")));
    if code.is_none() && msg.is_none() {
        return (None, raw(), request_id);
    }
    (code, msg, request_id)
}

/// Whitespace runs (newlines included) become one space; at most `max` characters are kept.
fn one_line(s: &str, max: usize) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match joined.char_indices().nth(max) {
        Some((i, _)) => format!("{}...", &joined[..i]),
        None => joined,
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.call() {
            Some((method, path)) => write!(f, "{method} {path}: ")?,
            None => write!(f, "client configuration: ")?,
        }
        self.detail(f)
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::Service;

    const PATH: &str = "/v5/iot/0123/iotda-instances/abc";

    #[test]
    fn display_service_error() {
        let body = br#"{"error_code":"IOTDA.001000","error_msg":"The resource is not found","request_id":"body-id"}"#;
        let e = ApiError::from_response(Service::Iotda, "GET", PATH, 403, Some("5f3c".into()), body);
        assert_eq!(
            e.to_string(),
            r#"GET /v5/iot/0123/iotda-instances/abc: HTTP 403, error_code IOTDA.001000, error_msg "The resource is not found", request_id 5f3c"#
        );
        assert!(e.is_not_found());
        assert_eq!((e.status(), e.error_code(), e.request_id()), (Some(403), Some("IOTDA.001000"), Some("5f3c")));
    }

    #[test]
    fn request_id_falls_back_to_body() {
        let body = br#"{"error_code":"DMS.00404022","error_msg":"gone","request_id":"rid"}"#;
        let e = ApiError::from_response(Service::Dms, "DELETE", "/v2/p/instances/i", 404, None, body);
        assert_eq!(e.request_id(), Some("rid"));
        assert!(e.is_not_found());
    }

    #[test]
    fn iam_error_shape() {
        let body = br#"{"error":{"code":"IAM.0011","message":"Request parameter error","title":"Bad Request"}}"#;
        let e = ApiError::from_response(Service::Iam, "GET", "/v3/projects", 400, None, body);
        assert_eq!(
            e.to_string(),
            r#"GET /v3/projects: HTTP 400, error_code IAM.0011, error_msg "Request parameter error""#
        );
        assert!(!e.is_not_found());
    }

    #[test]
    fn non_json_body_is_kept_short_on_one_line() {
        let body = format!("<html>\n<body>{}</body></html>", "x".repeat(500));
        let e = ApiError::from_response(Service::Iam, "GET", "/x", 502, None, body.as_bytes());
        let s = e.to_string();
        assert!(s.starts_with("GET /x: HTTP 502, error_msg \"<html> <body>xxx"), "{s}");
        assert!(!s.contains('\n') && s.len() < 260, "{s}");
        let e = ApiError::from_response(Service::Iam, "GET", "/x", 500, None, b"");
        assert_eq!(e.to_string(), "GET /x: HTTP 500");
    }

    #[test]
    fn timeout_shows_last_error() {
        let last = ApiError::from_response(
            Service::Iam,
            "GET",
            "/x",
            503,
            Some("r1".into()),
            br#"{"error_code":"E","error_msg":"busy"}"#,
        );
        let e = ApiError::Timeout { method: "GET", path: "/x".into(), last: Some(Box::new(last)) };
        assert_eq!(
            e.to_string(),
            r#"GET /x: deadline exceeded (last error: HTTP 503, error_code E, error_msg "busy", request_id r1)"#
        );
        assert_eq!(e.status(), None);
        assert!(!e.is_not_found());
        let e = ApiError::Timeout { method: "POST", path: "/y".into(), last: None };
        assert_eq!(e.to_string(), "POST /y: deadline exceeded");
        let e =
            ApiError::Transport { method: "PUT", path: "/z".into(), message: "connection refused".into(), sent: false };
        assert_eq!(e.to_string(), "PUT /z: connection refused");
        assert_eq!(ApiError::Config("bad".into()).to_string(), "client configuration: bad");
    }

    #[test]
    fn not_found_rules() {
        let e = |status, code: &str| ApiError::Service {
            service: Service::Iotda,
            method: "GET",
            path: "/".into(),
            status,
            error_code: Some(code.into()),
            error_msg: None,
            request_id: None,
        };
        assert!(e(404, "X").is_not_found());
        assert!(e(403, "IOTDA.001000").is_not_found());
        assert!(!e(403, "IOTDA.021101").is_not_found());
        assert!(!e(400, "IOTDA.001000").is_not_found());
    }
}
