//! Sending a call: filling in its path, signing, pacing, retrying and reading the answer.

use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use crate::client::call::Call;
use crate::client::credentials::Keys;
use crate::client::endpoint::{fill_path, host_header, host_name, without_credentials};
use crate::client::error::ApiError;
use crate::client::handle::Client;
use crate::client::response::Response;
use crate::client::retry;
use crate::client::signer;
use crate::client::transport::{
    is_unknown_host, receive, reqwest_method, transport_message, Received, MAX_ANSWER_BYTES, REQUEST_TIMEOUT,
};
use crate::contract::facts::{GATEWAY_AUTH, GATEWAY_TOKEN_EXPIRED};

/// One call, ready to be signed and sent (possibly several times).
struct Prepared<'a> {
    call: &'a Call,
    /// The path as sent (project id filled in), used in errors and logs.
    path: String,
    url: reqwest::Url,
    host: String,
    project_id: Option<String>,
    body: Vec<u8>,
    /// The keys the last attempt was signed with.
    signed_with: Mutex<Option<Arc<Keys>>>,
}

/// Did the API gateway refuse the request's credentials (401) before any service saw it?
fn refused_by_the_gateway(e: &ApiError) -> bool {
    let (status, code) = (e.status().unwrap_or(0), e.error_code());
    status == 401
        && (GATEWAY_TOKEN_EXPIRED.matches(status, code) || GATEWAY_AUTH.iter().any(|c| c.matches(status, code)))
}

impl Client {
    /// Send a call, retrying what is safe to retry until `max_retries` or `deadline`.
    pub async fn send(&self, call: &Call, deadline: Option<Instant>) -> Result<Response, ApiError> {
        let project_id = if call.path.contains("{project_id}") {
            Some(self.project_id(deadline).await?)
        } else {
            self.configured_project_id().map(str::to_string).or_else(|| self.known_project_id())
        };
        self.execute(call, project_id, deadline).await
    }

    pub(crate) async fn execute(
        &self,
        call: &Call,
        project_id: Option<String>,
        deadline: Option<Instant>,
    ) -> Result<Response, ApiError> {
        let prepared = self.prepare(call, project_id)?;
        let config = &self.inner.config;
        let policy =
            retry::Policy { max_retries: config.max_retries, base: config.backoff_base, cap: config.backoff_cap };
        let name = (call.method.as_str(), prepared.path.as_str());
        let run = |stale: Option<Arc<Keys>>| {
            let prepared = &prepared;
            retry::run(&policy, name, call.idempotent, deadline, move |n| {
                self.attempt(prepared, n, deadline, if n == 0 { stale.clone() } else { None })
            })
        };
        match run(None).await {
            // Temporary credentials refused as expired (the gateway's clock ran ahead of ours), or refused
            // by the gateway at all (the docs do not say which code expired temporary keys get): renewed
            // once, and the request sent once more, as the gateway did not act on it.
            Err(e) if self.signs_as_agency(call) && refused_by_the_gateway(&e) => {
                let stale = prepared.signed_with.lock().unwrap_or_else(|e| e.into_inner()).take();
                tracing::debug!(method = call.method.as_str(), path = %prepared.path, "the gateway refused the agency's credentials: renewing them and sending again");
                run(stale).await
            }
            other => other,
        }
    }

    fn prepare<'a>(&self, call: &'a Call, project_id: Option<String>) -> Result<Prepared<'a>, ApiError> {
        let path = fill_path(call, project_id.as_deref()).map_err(|e| {
            ApiError::Config(format!("{} {}: {e}; no request was sent", call.method.as_str(), call.path))
        })?;
        let mut url = format!("{}{}", self.inner.endpoints[&call.service], path);
        if !call.query.is_empty() {
            url.push('?');
            url.push_str(&signer::canonical_query(&call.query));
        }
        let url = reqwest::Url::parse(&url).map_err(|e| {
            ApiError::Config(format!("{} {path}: cannot build the request URL: {e}", call.method.as_str()))
        })?;
        let host = host_header(&url);
        let body = match &call.body {
            Some(value) => serde_json::to_vec(value).expect("a JSON value always serializes"),
            None => Vec::new(),
        };
        Ok(Prepared { call, path, url, host, project_id, body, signed_with: Mutex::new(None) })
    }

    /// One signed request and its answer; `stale` keys (refused by the gateway) are renewed first.
    async fn attempt(
        &self,
        req: &Prepared<'_>,
        n: u32,
        deadline: Option<Instant>,
        stale: Option<Arc<Keys>>,
    ) -> Result<Response, retry::Failure> {
        let config = &self.inner.config;
        // Without keys nothing is sent: the caller learns that the request never left (a create is not
        // looked for as if it might have been made), and why.
        let keys = self.signing_keys(req.call, stale.as_ref()).await.map_err(|e| {
            let not_sent = ApiError::Transport {
                method: req.call.method.as_str(),
                path: req.path.clone(),
                message: format!("the agency's temporary credentials could not be obtained, so nothing was sent: {e}"),
                sent: false,
            };
            retry::Failure::new(not_sent, retry::FailureClass::Permanent)
        })?;
        *req.signed_with.lock().unwrap_or_else(|e| e.into_inner()) = Some(keys.clone());
        let method = req.call.method.as_str();
        let date = signer::sdk_date(std::time::SystemTime::now());
        let mut headers: Vec<(String, String)> = vec![
            ("Content-Type".into(), "application/json".into()),
            ("Host".into(), req.host.clone()),
            ("User-Agent".into(), config.user_agent.clone()),
            ("X-Sdk-Date".into(), date.clone()),
        ];
        if let Some(id) = &req.project_id {
            headers.push(("X-Project-Id".into(), id.clone()));
        }
        if let Some(token) = &keys.token {
            headers.push(("X-Security-Token".into(), token.clone()));
        }
        let signable = signer::Signable {
            method,
            path: req.url.path(),
            query: &req.call.query,
            headers: &headers,
            body: &req.body,
        };
        let authorization = signer::authorization(&keys.access, &keys.secret, &signable, &date);

        let mut builder = self.inner.http.request(reqwest_method(req.call.method), req.url.clone());
        for (name, value) in &headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = builder.header("Authorization", authorization).body(req.body.clone());
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        builder = builder.timeout(remaining.map_or(REQUEST_TIMEOUT, |r| r.min(REQUEST_TIMEOUT)));

        // The service's pace (a slow start until its gateway has throttled), never past the deadline.
        // A slot reserved before the gateway throttled again is reserved anew at the slower rate.
        let throttle = &self.inner.throttles[&req.call.service];
        let mut waited = false;
        loop {
            let (slot, epoch) = throttle.reserve_in_epoch();
            let slot = deadline.map_or(slot, |d| slot.min(d));
            if slot > Instant::now() {
                waited = true;
                tokio::select! {
                    biased;
                    _ = crate::stop::requested() => break,
                    _ = tokio::time::sleep_until(slot) => {}
                }
            }
            if throttle.epoch() == epoch || deadline.is_some_and(|d| Instant::now() >= d) {
                break;
            }
        }
        let started = Instant::now();
        let result = receive(builder).await;
        let latency_ms = started.elapsed().as_millis() as u64;
        let Received { status, request_id, retry_after, location, bytes, too_large } = match result {
            Ok(answer) => answer,
            Err(e) => {
                let unknown_host = e.is_connect() && is_unknown_host(&e);
                let class = if unknown_host || e.is_builder() {
                    // A host that does not exist (a wrong region or endpoint) does not appear on a retry.
                    retry::FailureClass::Permanent
                } else if e.is_connect() {
                    retry::FailureClass::Connect
                } else {
                    retry::FailureClass::Transport
                };
                let mut message = transport_message(&e, &req.host);
                if unknown_host {
                    message.push_str(&format!(
                        " (the name {} does not resolve: check the region {:?} and the endpoints setting)",
                        host_name(&req.host),
                        config.region
                    ));
                }
                tracing::debug!(
                    method,
                    path = %req.path,
                    attempt = n + 1,
                    latency_ms,
                    error = %message,
                    "Huawei Cloud API call failed"
                );
                // Only a request that may have left can have been acted on.
                let sent = class == retry::FailureClass::Transport;
                let error = ApiError::Transport { method, path: req.path.clone(), message, sent };
                return Err(retry::Failure::new(error, class));
            }
        };
        tracing::debug!(
            method,
            path = %req.path,
            status,
            request_id,
            latency_ms,
            attempt = n + 1,
            "Huawei Cloud API call"
        );

        if !(200..300).contains(&status) {
            let mut error =
                ApiError::from_response(req.call.service, method, req.path.clone(), status, request_id, &bytes);
            // A redirect is never followed (only the service's own endpoint is called): say where it points.
            if let (ApiError::Service { error_msg, .. }, true, Some(to)) =
                (&mut error, (300..400).contains(&status), location)
            {
                let note = format!("redirected to {} (not followed)", without_credentials(&to));
                *error_msg = Some(match error_msg.take() {
                    Some(m) => format!("{m}; {note}"),
                    None => note,
                });
            }
            let class = retry::classify_status(status, error.error_code());
            if class == retry::FailureClass::Throttled {
                throttle.throttled(started);
            }
            return Err(retry::Failure { error, class, retry_after });
        }
        throttle.accepted(started, waited);
        // A success answer that cannot be used is not retried: it would read the same again.
        let unusable = |message: String| {
            let error =
                ApiError::Decode { method, path: req.path.clone(), status, message, request_id: request_id.clone() };
            retry::Failure::new(error, retry::FailureClass::Permanent)
        };
        if too_large {
            return Err(unusable(format!(
                "the answer is larger than {} MiB, the most this provider reads; it was not used",
                MAX_ANSWER_BYTES / (1024 * 1024)
            )));
        }
        let body = if bytes.iter().all(u8::is_ascii_whitespace) {
            serde_json::Value::Null
        } else {
            serde_json::from_slice(&bytes).map_err(|e| unusable(e.to_string()))?
        };
        let request_id = request_id.or_else(|| body.get("request_id").and_then(|id| id.as_str()).map(str::to_string));
        Ok(Response { method, path: req.path.clone(), status, body, request_id })
    }
}
