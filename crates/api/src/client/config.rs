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
    /// An IAM agency to act as: its temporary credentials sign every call but the one that obtains them.
    pub assume_role: Option<AssumeRole>,
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
            .field("assume_role", &self.assume_role)
            .field("max_retries", &self.max_retries)
            .field("endpoints", &self.endpoints)
            .finish()
    }
}

/// An IAM agency of another account (or of this one) to act as (`iam::ASSUME_AGENCY`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumeRole {
    pub agency_name: String,
    /// The delegating account, by name or by id.
    pub domain: AgencyDomain,
    /// The lifetime asked for, in seconds (IAM may grant less: its answer's expiry counts).
    pub duration_seconds: i64,
}

/// The account an agency belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AgencyDomain {
    Name(String),
    Id(String),
}
