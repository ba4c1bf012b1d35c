//! The client's settings: region, credentials, endpoints, trust and retry pacing.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::service::Service;

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
