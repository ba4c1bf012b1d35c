//! The client handle: building it (endpoints, TLS trust, pacing) and what it shares between calls.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::client::config::ClientConfig;
use crate::client::credentials::{Assumed, Keys};
use crate::client::endpoint::{check_project_id, validate_endpoint};
use crate::client::error::ApiError;
use crate::client::throttle::Throttle;
use crate::client::transport::CONNECT_TIMEOUT;
use crate::service::Service;

/// A cheap-to-clone handle; connections are pooled and reused across calls.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) config: ClientConfig,
    pub(crate) http: reqwest::Client,
    /// Validated base URL of every service, without a trailing '/'.
    pub(crate) endpoints: BTreeMap<Service, String>,
    /// The one lookup of the project id through IAM (when not configured), shared by every caller.
    pub(crate) project_lookup: std::sync::Mutex<Option<ProjectLookup>>,
    /// One request-rate limiter per service, learning the gateway's limit from its 429s.
    pub(crate) throttles: BTreeMap<Service, Throttle>,
    /// The configured keys.
    pub(crate) configured: Arc<Keys>,
    /// The agency's temporary credentials, with `assume_role`.
    pub(crate) assumed: Option<Assumed>,
}

/// The answer of the project id lookup: `None` while it runs.
pub(crate) type ProjectLookup = tokio::sync::watch::Receiver<Option<Result<String, ApiError>>>;

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
        let throttles = Service::ALL.into_iter().map(|s| (s, Throttle::default())).collect();
        let configured = Arc::new(Keys {
            access: config.access_key.clone(),
            secret: config.secret_key.clone(),
            token: config.security_token.clone(),
        });
        let assumed = config.assume_role.as_ref().map(|_| Assumed::default());
        let project_lookup = std::sync::Mutex::new(None);
        let inner = Inner { config, http, endpoints, project_lookup, throttles, configured, assumed };
        Ok(Client { inner: Arc::new(inner) })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The base URL used for `service` (no trailing slash).
    pub fn endpoint(&self, service: Service) -> &str {
        &self.inner.endpoints[&service]
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::client::endpoint::without_credentials;

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
            assume_role: None,
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
    fn client_debug_hides_the_secret_key() {
        let mut c = config();
        c.secret_key = "very-secret".into();
        assert!(!format!("{:?}", Client::new(c).unwrap()).contains("very-secret"));
    }
}
