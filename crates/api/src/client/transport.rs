//! The HTTP exchange itself: timeouts, reading an answer within its cap, describing transport failures.

use std::time::Duration;

use crate::client::retry;
use crate::service::Method;

/// Connection attempts give up after this long.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// No single request waits longer than this for its answer.
pub(crate) const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The largest answer body read. A larger one is an error and is not read further, so that memory
/// stays bounded whatever a server sends (a page of the largest list, 1,000 CloudDC instances, is a
/// few MiB).
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;
/// How much of an error answer's body is read: its code and message are at the start.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// An answer as received.
pub(crate) struct Received {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) retry_after: Option<Duration>,
    /// Where a redirect (3xx) points.
    pub(crate) location: Option<String>,
    pub(crate) bytes: Vec<u8>,
    /// The body was larger than [`MAX_ANSWER_BYTES`]: `bytes` holds only its start.
    pub(crate) too_large: bool,
}

/// Status, headers and body of an answer; the body is read up to its cap (an error body up to
/// [`MAX_ERROR_BYTES`]), chunk by chunk.
pub(crate) async fn receive(builder: reqwest::RequestBuilder) -> Result<Received, reqwest::Error> {
    let mut response = builder.send().await?;
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let request_id = header("X-Request-Id").filter(|id| !id.is_empty());
    let retry_after = header("Retry-After").and_then(|v| retry::parse_retry_after(&v));
    let location = header("Location");
    let status = response.status().as_u16();
    let cap = if (200..300).contains(&status) { MAX_ANSWER_BYTES } else { MAX_ERROR_BYTES };
    let declared = response.content_length().and_then(|n| usize::try_from(n).ok());
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0).min(cap));
    let mut too_large = declared.is_some_and(|n| n > cap);
    while !too_large {
        let Some(chunk) = response.chunk().await? else { break };
        let room = cap - bytes.len();
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        too_large = chunk.len() > room;
    }
    // An error body beyond its cap is simply cut: what it says is at its start.
    let too_large = too_large && (200..300).contains(&status);
    Ok(Received { status, request_id, retry_after, location, bytes, too_large })
}

/// Did resolving the host fail because the name does not exist (as opposed to a resolver that did
/// not answer, which may recover)?
pub(crate) fn is_unknown_host(e: &reqwest::Error) -> bool {
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let text = cause.to_string();
        if ["Name or service not known", "No address associated with hostname", "nodename nor servname provided"]
            .iter()
            .any(|t| text.contains(t))
        {
            return true;
        }
        source = cause.source();
    }
    false
}

pub(crate) fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
    }
}

/// A one-line description of a transport failure with the host it concerns and its causes (the URL,
/// which may carry a query, left out).
pub(crate) fn transport_message(e: &reqwest::Error, host: &str) -> String {
    let what = if e.is_connect() {
        format!("connection to {host} failed")
    } else if e.is_timeout() {
        format!("no complete answer from {host} in time")
    } else if e.is_builder() {
        "invalid request".to_string()
    } else if e.is_body() || e.is_decode() {
        format!("reading the answer from {host} failed")
    } else {
        format!("request to {host} failed")
    };
    let mut message = what;
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
