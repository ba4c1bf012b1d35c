//! Endpoints and request paths: validated base URLs, filled path templates, project ids, hosts.

use crate::client::call::Call;
use crate::client::error::ApiError;
use crate::client::signer;
use crate::service::Service;

/// The host of a `host[:port]`.
pub(crate) fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// What a project id may look like (IAM's are 32 hex digits): letters, digits and hyphens.
pub fn check_project_id(id: &str) -> Result<(), String> {
    if !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(())
    } else {
        Err(format!("{id:?} is not a project id (1 to 64 letters, digits and hyphens)"))
    }
}

/// The path of `call` with its placeholders filled: each value becomes exactly one percent-encoded
/// segment. An empty value, `.` or `..` (which a URL would resolve to another route) is refused.
pub(crate) fn fill_path(call: &Call, project_id: Option<&str>) -> Result<String, String> {
    let mut out = String::with_capacity(call.path.len() + 64);
    for (i, segment) in call.path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
            out.push_str(segment);
            continue;
        };
        let value = match name {
            "project_id" => project_id.map(str::to_string),
            _ => call.args.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.clone()),
        };
        let value = value.ok_or_else(|| format!("no value for {{{name}}}"))?;
        if name == "project_id" {
            check_project_id(&value).map_err(|e| format!("project_id: {e}"))?;
        }
        if value.is_empty() || value == "." || value == ".." {
            return Err(format!("{name} {value:?} cannot be a path segment"));
        }
        out.push_str(&signer::encode_segment(&value));
    }
    Ok(out)
}

/// The URL with any `user:password@` replaced, for messages.
pub fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://<credentials>@{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

/// Check a base URL and return it without a trailing '/'.
pub(crate) fn validate_endpoint(service: Service, base: &str) -> Result<String, ApiError> {
    // The URL is echoed without any user:password part it may carry.
    let shown = without_credentials(base);
    let bad = |why: &str| ApiError::Config(format!("endpoint {} = {shown:?}: {why}", service.key()));
    let url = reqwest::Url::parse(base).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be http or https"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not carry a query, fragment or credentials"));
    }
    Ok(base.trim_end_matches('/').to_string())
}

/// `host[:port]` exactly as sent (the port only when the URL names one).
pub(crate) fn host_header(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_keeps_explicit_ports() {
        let host = |u: &str| host_header(&reqwest::Url::parse(u).unwrap());
        assert_eq!(host("https://a.example.com/x"), "a.example.com");
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }
}
