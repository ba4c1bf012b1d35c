//! Acting as an IAM agency (`assume_role`): its temporary credentials, obtained with the configured
//! keys on the first call that needs them, sign every other call.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{json, Value};
use tokio::time::Instant;

use crate::client::call::Call;
use crate::client::config::{AgencyDomain, AssumeRole};
use crate::client::credentials::{Issued, Keys};
use crate::client::error::ApiError;
use crate::client::handle::Client;
use crate::contract::iam;

/// How long obtaining credentials may take, whoever waits for it.
const OBTAIN_TIMEOUT: Duration = Duration::from_secs(120);

impl Client {
    /// The keys that sign `call`: the configured ones for the call that obtains temporary credentials
    /// (and without `assume_role`), else the agency's, renewed first when due or when they are `stale`.
    pub(crate) async fn signing_keys(&self, call: &Call, stale: Option<&Arc<Keys>>) -> Result<Arc<Keys>, ApiError> {
        let inner = &self.inner;
        match (&inner.config.assume_role, &inner.assumed) {
            (Some(role), Some(assumed)) if call.op != Some(&iam::ASSUME_AGENCY) => {
                assumed.get(stale, || self.assume(role)).await
            }
            _ => Ok(inner.configured.clone()),
        }
    }

    /// Does `call` go out signed with the agency's temporary credentials?
    pub(crate) fn signs_as_agency(&self, call: &Call) -> bool {
        self.inner.assumed.is_some() && call.op != Some(&iam::ASSUME_AGENCY)
    }

    /// Obtain temporary credentials of the agency, signed with the configured keys. Boxed: the call is
    /// sent (and signed) as any other.
    fn assume<'a>(
        &'a self,
        role: &'a AssumeRole,
    ) -> Pin<Box<dyn Future<Output = Result<Issued, ApiError>> + Send + 'a>> {
        Box::pin(self.obtain(role))
    }

    async fn obtain(&self, role: &AssumeRole) -> Result<Issued, ApiError> {
        let mut assume = json!({"agency_name": role.agency_name, "duration_seconds": role.duration_seconds});
        match &role.domain {
            AgencyDomain::Name(name) => assume["domain_name"] = json!(name),
            AgencyDomain::Id(id) => assume["domain_id"] = json!(id),
        }
        let body = json!({"auth": {"identity": {"methods": [iam::ASSUME_ROLE_METHOD], "assume_role": assume}}});
        // Asking again is harmless: it only grants other credentials.
        let call = Call::to(&iam::ASSUME_AGENCY).body(body).idempotent(true);
        let response = self.execute(&call, None, Some(Instant::now() + OBTAIN_TIMEOUT)).await?;
        let unusable = |message: String| ApiError::Decode {
            method: response.method,
            path: response.path.clone(),
            status: response.status,
            message,
            request_id: response.request_id.clone(),
        };
        let credential = &response.body["credential"];
        // Messages name a missing member, never a value.
        let member = |name: &str| match credential.get(name).and_then(Value::as_str) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            _ => Err(unusable(format!("the answer has no credential.{name}"))),
        };
        let [access, secret, token, expires_at] = iam::CREDENTIAL.map(member);
        let expires_at = expires_at?;
        let expires = time::OffsetDateTime::parse(&expires_at, &time::format_description::well_known::Rfc3339)
            .map_err(|e| unusable(format!("credential.expires_at {expires_at:?} is not a time: {e}")))?;
        let left = SystemTime::from(expires).duration_since(SystemTime::now()).unwrap_or_default();
        let obtained = Instant::now();
        tracing::debug!(
            agency = %role.agency_name,
            expires_at = %expires_at,
            valid_for_s = left.as_secs(),
            "obtained the agency's temporary credentials"
        );
        let keys = Arc::new(Keys { access: access?, secret: secret?, token: Some(token?) });
        Ok(Issued { keys, obtained, valid_until: obtained + left })
    }
}
