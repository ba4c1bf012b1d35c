//! Signed HTTP access to Huawei Cloud APIs: endpoints, SDK-HMAC-SHA256 signing, retries and typed errors.

pub mod error;
pub mod retry;
pub mod signer;
pub mod throttle;

pub use crate::service::{Method, Service};
pub use error::ApiError;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

/// One API call. `path` is a template of the service's own routes: its segments are literal or a
/// placeholder such as `{instance_id}`, filled from [`Call::arg`] (or `{project_id}`, which the client
/// fills in, looking the project id up through IAM once when it was not configured). Values only ever
/// become one percent-encoded segment each, so no value can lead a signed request to another route.
/// `Debug` never shows the body (it may carry passwords).
#[derive(Clone)]
pub struct Call {
    pub service: Service,
    pub method: Method,
    pub path: &'static str,
    /// Values of the path's placeholders (name without braces, value).
    pub args: Vec<(&'static str, String)>,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    /// May this call be sent again after a failure where the server might have acted?
    /// Defaults to true for GET/PUT/DELETE and false for POST.
    pub idempotent: bool,
    /// The declared operation, when the call was made from one.
    pub op: Option<&'static crate::contract::Op>,
}

impl Call {
    pub fn new(service: Service, method: Method, path: &'static str) -> Call {
        Call {
            service,
            method,
            path,
            args: Vec::new(),
            query: Vec::new(),
            body: None,
            idempotent: method != Method::Post,
            op: None,
        }
    }
    /// A call of a declared operation (its service, method and path template). In debug builds the
    /// placeholders and query names given later are held to the declaration.
    pub fn to(op: &'static crate::contract::Op) -> Call {
        let mut call = Call::new(op.service, op.method, op.path);
        call.op = Some(op);
        call
    }
    /// The value of the placeholder `{name}` of the path.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Call {
        if let Some(op) = self.op {
            debug_assert!(op.placeholders().contains(&name), "{} has no placeholder {{{name}}}", op.label());
        }
        self.args.push((name, value.into()));
        self
    }
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Call {
        let key = key.into();
        if let Some(op) = self.op {
            debug_assert!(op.takes_query(&key), "{} declares no query parameter {key}", op.label());
        }
        self.query.push((key, value.into()));
        self
    }
    pub fn body(mut self, body: serde_json::Value) -> Call {
        self.body = Some(body);
        self
    }
    pub fn idempotent(mut self, idempotent: bool) -> Call {
        self.idempotent = idempotent;
        self
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("service", &self.service)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("args", &self.args)
            .field("query", &self.query)
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// A successful (2xx) answer.
#[derive(Clone, Debug)]
pub struct Response {
    /// The call answered: method and path as sent.
    pub method: &'static str,
    pub path: String,
    pub status: u16,
    /// The decoded JSON body; `Null` when the body was empty.
    pub body: serde_json::Value,
    pub request_id: Option<String>,
}

impl Response {
    /// The body as `T`: an answer that does not fit is a `Decode` error naming the call and the field.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        self.decode(self.body.clone(), "")
    }

    /// The body's member `key` as a list of `T`. An answer without that list (absent, null, not an
    /// array: an error body answered with 200, or `{}`) is a `Decode` error naming the call and the
    /// member, never an empty list: "nothing there" must be said by the service, not guessed.
    pub fn parse_list<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Vec<T>, ApiError> {
        match self.body.get(key) {
            Some(v @ serde_json::Value::Array(_)) => self.decode(v.clone(), key),
            other => {
                let found = match other {
                    None => "no such member".to_string(),
                    Some(v) => crate::contract::describe(v),
                };
                Err(self.unexpected(format!("expected the list {key:?}, found {found}")))
            }
        }
    }

    /// A `Decode` error for this answer; an error body answered with a 2xx status is quoted.
    pub fn unexpected(&self, what: impl std::fmt::Display) -> ApiError {
        let code = |k: &str| self.body.get(k).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
        let quoted = match (code("error_code"), code("error_msg")) {
            (None, None) => String::new(),
            (c, m) => format!(" (the answer reads error_code {}, error_msg {:?})", c.unwrap_or("-"), m.unwrap_or("")),
        };
        ApiError::Decode {
            method: self.method,
            path: self.path.clone(),
            status: self.status,
            message: format!("{what}{quoted}"),
            request_id: self.request_id.clone(),
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, v: serde_json::Value, at: &str) -> Result<T, ApiError> {
        serde_json::from_value(v).map_err(|e| ApiError::Decode {
            method: self.method,
            path: self.path.clone(),
            status: self.status,
            message: if at.is_empty() { e.to_string() } else { format!("{at}: {e}") },
            request_id: self.request_id.clone(),
        })
    }
}

/// Everything the client needs; building a client makes no network call.
#[derive(Clone)]
pub struct ClientConfig {
    pub region: String,
    pub project_id: Option<String>,
    pub access_key: String,
    pub secret_key: String,
    pub security_token: Option<String>,
    /// How many times a retryable failure is retried (0 = no retry).
    pub max_retries: u32,
    /// Base URL per service (no trailing slash); services absent here use `Service::default_endpoint`.
    pub endpoints: BTreeMap<Service, String>,
    pub user_agent: String,
    /// Extra trusted certificate authorities, PEM (one or more certificates), besides the system's trust
    /// store and the bundled public roots (a corporate TLS proxy's CA, a private endpoint's).
    pub ca_bundle: Option<String>,
    /// Accept any server certificate (self-signed, wrong host): for test endpoints only.
    pub insecure: bool,
    /// Backoff base and cap (tests shrink them).
    pub backoff_base: Duration,
    pub backoff_cap: Duration,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("region", &self.region)
            .field("project_id", &self.project_id)
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field("security_token", &self.security_token.as_ref().map(|_| "<redacted>"))
            .field("max_retries", &self.max_retries)
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

/// Connection attempts give up after this long.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// No single request waits longer than this for its answer.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A cheap-to-clone handle; connections are pooled and reused across calls.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    /// Validated base URL of every service, without a trailing '/'.
    endpoints: BTreeMap<Service, String>,
    /// The one lookup of the project id through IAM (when not configured), shared by every caller.
    project_lookup: std::sync::Mutex<Option<ProjectLookup>>,
    /// One request-rate limiter per service, learning the gateway's limit from its 429s.
    throttles: BTreeMap<Service, throttle::Throttle>,
}

/// The answer of the project id lookup: `None` while it runs.
type ProjectLookup = tokio::sync::watch::Receiver<Option<Result<String, ApiError>>>;

/// How long the shared project id lookup may take, whoever waits for it.
const PROJECT_LOOKUP_TIMEOUT: Duration = Duration::from_secs(120);

/// One call, ready to be signed and sent (possibly several times).
struct Prepared<'a> {
    call: &'a Call,
    /// The path as sent (project id filled in), used in errors and logs.
    path: String,
    url: reqwest::Url,
    host: String,
    project_id: Option<String>,
    body: Vec<u8>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client").field("config", &self.inner.config).finish()
    }
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client, ApiError> {
        let mut endpoints = BTreeMap::new();
        for service in Service::ALL {
            let base = match config.endpoints.get(&service) {
                Some(url) => url.clone(),
                None => service.default_endpoint(&config.region),
            };
            endpoints.insert(service, validate_endpoint(service, &base)?);
        }
        // Trusted: the system's store (so a corporate TLS proxy's CA installed there works), the bundled
        // public roots, and the configured bundle.
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .tls_built_in_native_certs(true)
            .tls_built_in_webpki_certs(true)
            .connect_timeout(CONNECT_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .danger_accept_invalid_certs(config.insecure);
        if let Some(pem) = &config.ca_bundle {
            let certs = reqwest::Certificate::from_pem_bundle(pem.as_bytes())
                .map_err(|e| ApiError::Config(format!("the CA bundle is not PEM certificates: {e}")))?;
            if certs.is_empty() {
                return Err(ApiError::Config("the CA bundle holds no PEM certificate".into()));
            }
            for cert in certs {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(|e| ApiError::Config(format!("cannot build the HTTP client: {e}")))?;
        if let Some(id) = config.project_id.as_deref().filter(|id| !id.is_empty()) {
            check_project_id(id).map_err(|e| ApiError::Config(format!("project_id: {e}")))?;
        }
        let throttles = Service::ALL.into_iter().map(|s| (s, throttle::Throttle::default())).collect();
        let inner = Inner { config, http, endpoints, project_lookup: std::sync::Mutex::new(None), throttles };
        Ok(Client { inner: Arc::new(inner) })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The base URL used for `service` (no trailing slash).
    pub fn endpoint(&self, service: Service) -> &str {
        &self.inner.endpoints[&service]
    }

    /// The project id: configured, or looked up through IAM (`GET /v3/projects?name={region}`).
    /// The lookup runs once per client, whoever asks first and however many ask at once; every caller
    /// gets its answer, a failure included, without sending the lookup again. A caller waits for it
    /// at most until its own `deadline`.
    pub async fn project_id(&self, deadline: Option<Instant>) -> Result<String, ApiError> {
        if let Some(id) = self.configured_project_id() {
            return Ok(id.to_string());
        }
        let mut answer = self.project_lookup();
        let waited = {
            let ready = answer.wait_for(Option::is_some);
            match deadline {
                Some(d) => match tokio::time::timeout_at(d, ready).await {
                    Ok(r) => r.map(|v| v.clone()),
                    Err(_) => {
                        let (method, path) = ("GET", "/v3/projects".to_string());
                        return Err(ApiError::Timeout { method, path, last: None });
                    }
                },
                None => ready.await.map(|v| v.clone()),
            }
        };
        match waited {
            Ok(Some(result)) => result,
            _ => Err(ApiError::Config("the project id lookup ended without an answer".into())),
        }
    }

    /// The shared lookup's answer, starting the lookup if nobody has.
    fn project_lookup(&self) -> ProjectLookup {
        let mut slot = self.inner.project_lookup.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(rx) = slot.as_ref() {
            return rx.clone();
        }
        let (tx, rx) = tokio::sync::watch::channel(None);
        let client = self.clone();
        tokio::spawn(async move {
            let result = client.lookup_project_id(Some(Instant::now() + PROJECT_LOOKUP_TIMEOUT)).await;
            if let Err(e) = &result {
                tracing::warn!("looking up the project id failed (reported to every call that needs it): {e}");
            }
            let _ = tx.send(Some(result));
        });
        *slot = Some(rx.clone());
        rx
    }

    /// The looked-up project id, when the lookup has succeeded.
    fn known_project_id(&self) -> Option<String> {
        let slot = self.inner.project_lookup.lock().unwrap_or_else(|e| e.into_inner());
        let answer = slot.as_ref()?.borrow();
        answer.as_ref()?.as_ref().ok().cloned()
    }

    /// Send a call, retrying what is safe to retry until `max_retries` or `deadline`.
    pub async fn send(&self, call: &Call, deadline: Option<Instant>) -> Result<Response, ApiError> {
        let project_id = if call.path.contains("{project_id}") {
            Some(self.project_id(deadline).await?)
        } else {
            self.configured_project_id().map(str::to_string).or_else(|| self.known_project_id())
        };
        self.execute(call, project_id, deadline).await
    }

    fn configured_project_id(&self) -> Option<&str> {
        self.inner.config.project_id.as_deref().filter(|id| !id.is_empty())
    }

    async fn lookup_project_id(&self, deadline: Option<Instant>) -> Result<String, ApiError> {
        let region = &self.inner.config.region;
        let call = Call::new(Service::Iam, Method::Get, "/v3/projects").query("name", region.as_str());
        let response = self.execute(&call, None, deadline).await?;
        let projects = response.body.get("projects").and_then(|p| p.as_array()).ok_or_else(|| {
            ApiError::Config(format!("IAM answered the project lookup for region {region} without a \"projects\" list"))
        })?;
        let named: Vec<&serde_json::Value> =
            projects.iter().filter(|p| p.get("name").and_then(|n| n.as_str()).is_none_or(|n| n == region)).collect();
        match named.as_slice() {
            [project] => match project.get("id").and_then(|id| id.as_str()) {
                Some(id) if !id.is_empty() => check_project_id(id).map(|()| id.to_string()).map_err(|e| {
                    ApiError::Config(format!("IAM answered the project lookup for region {region} with an id that {e}"))
                }),
                _ => Err(ApiError::Config(format!("IAM returned a project without an id for region {region}"))),
            },
            [] => Err(ApiError::Config(format!(
                "IAM found no project named {region}; check the region or set project_id"
            ))),
            many => Err(ApiError::Config(format!(
                "IAM found {} projects named {region}; set project_id explicitly",
                many.len()
            ))),
        }
    }

    async fn execute(
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
        retry::run(&policy, name, call.idempotent, deadline, |n| self.attempt(&prepared, n, deadline)).await
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
        Ok(Prepared { call, path, url, host, project_id, body })
    }

    /// One signed request and its answer.
    async fn attempt(&self, req: &Prepared<'_>, n: u32, deadline: Option<Instant>) -> Result<Response, retry::Failure> {
        let config = &self.inner.config;
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
        if let Some(token) = &config.security_token {
            headers.push(("X-Security-Token".into(), token.clone()));
        }
        let signable = signer::Signable {
            method,
            path: req.url.path(),
            query: &req.call.query,
            headers: &headers,
            body: &req.body,
        };
        let authorization = signer::authorization(&config.access_key, &config.secret_key, &signable, &date);

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

/// The largest answer body read. A larger one is an error and is not read further, so that memory
/// stays bounded whatever a server sends (a page of the largest list, 1,000 CloudDC instances, is a
/// few MiB).
pub const MAX_ANSWER_BYTES: usize = 16 * 1024 * 1024;
/// How much of an error answer's body is read: its code and message are at the start.
const MAX_ERROR_BYTES: usize = 64 * 1024;

/// An answer as received.
struct Received {
    status: u16,
    request_id: Option<String>,
    retry_after: Option<Duration>,
    /// Where a redirect (3xx) points.
    location: Option<String>,
    bytes: Vec<u8>,
    /// The body was larger than [`MAX_ANSWER_BYTES`]: `bytes` holds only its start.
    too_large: bool,
}

/// Status, headers and body of an answer; the body is read up to its cap (an error body up to
/// [`MAX_ERROR_BYTES`]), chunk by chunk.
async fn receive(builder: reqwest::RequestBuilder) -> Result<Received, reqwest::Error> {
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
fn is_unknown_host(e: &reqwest::Error) -> bool {
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

/// The host of a `host[:port]`.
fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

fn reqwest_method(method: Method) -> reqwest::Method {
    match method {
        Method::Get => reqwest::Method::GET,
        Method::Post => reqwest::Method::POST,
        Method::Put => reqwest::Method::PUT,
        Method::Delete => reqwest::Method::DELETE,
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
fn fill_path(call: &Call, project_id: Option<&str>) -> Result<String, String> {
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
fn validate_endpoint(service: Service, base: &str) -> Result<String, ApiError> {
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
fn host_header(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or_default();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// A one-line description of a transport failure with the host it concerns and its causes (the URL,
/// which may carry a query, left out).
fn transport_message(e: &reqwest::Error, host: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_errors_never_echo_credentials() {
        assert_eq!(without_credentials("https://user:pa@ss@host:8/x"), "https://<credentials>@host:8/x");
        assert_eq!(without_credentials("http://host/a@b"), "http://host/a@b");
        let mut cfg = config();
        cfg.endpoints.insert(Service::Iotda, "ftp://admin:hunter2@host".into());
        let err = Client::new(cfg).err().unwrap().to_string();
        assert!(!err.contains("hunter2") && err.contains("<credentials>@host"), "{err}");
    }

    fn config() -> ClientConfig {
        ClientConfig {
            region: "cn-north-4".into(),
            project_id: None,
            access_key: "AK".into(),
            secret_key: "SK".into(),
            security_token: None,
            max_retries: 0,
            endpoints: BTreeMap::new(),
            user_agent: "test".into(),
            ca_bundle: None,
            insecure: false,
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_millis(50),
        }
    }

    #[test]
    fn endpoints_default_and_validated() {
        let client = Client::new(config()).unwrap();
        assert_eq!(client.endpoint(Service::Iotda), "https://iotda-mgmt.cn-north-4.myhuaweicloud.com");
        for bad in ["ftp://x", "not a url", "http://x/?q=1", "http://u:p@x"] {
            let mut c = config();
            c.endpoints.insert(Service::Dms, bad.into());
            let err = Client::new(c).unwrap_err();
            assert!(matches!(err, ApiError::Config(ref m) if m.contains("endpoint dms")), "{bad}: {err}");
        }
        let mut c = config();
        c.endpoints.insert(Service::Dms, "http://127.0.0.1:8080/prefix/".into());
        assert_eq!(Client::new(c).unwrap().endpoint(Service::Dms), "http://127.0.0.1:8080/prefix");
    }

    #[test]
    fn host_header_keeps_explicit_ports() {
        let host = |u: &str| host_header(&reqwest::Url::parse(u).unwrap());
        assert_eq!(host("https://a.example.com/x"), "a.example.com");
        assert_eq!(host("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
    }

    #[test]
    fn call_debug_hides_the_body() {
        let call = Call::new(Service::Clouddc, Method::Put, "/p").body(serde_json::json!({"new_password": "hunter2"}));
        assert!(!format!("{call:?}").contains("hunter2"));
        let mut c = config();
        c.secret_key = "very-secret".into();
        assert!(!format!("{:?}", Client::new(c).unwrap()).contains("very-secret"));
    }
}
