//! The project id: configured, or looked up once through IAM and shared by every caller.

use std::time::Duration;

use tokio::time::Instant;

use crate::client::call::Call;
use crate::client::endpoint::check_project_id;
use crate::client::error::ApiError;
use crate::client::handle::{Client, ProjectLookup};
use crate::service::{Method, Service};

/// How long the shared project id lookup may take, whoever waits for it.
const PROJECT_LOOKUP_TIMEOUT: Duration = Duration::from_secs(120);

impl Client {
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
    pub(crate) fn known_project_id(&self) -> Option<String> {
        let slot = self.inner.project_lookup.lock().unwrap_or_else(|e| e.into_inner());
        let answer = slot.as_ref()?.borrow();
        answer.as_ref()?.as_ref().ok().cloned()
    }

    pub(crate) fn configured_project_id(&self) -> Option<&str> {
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
}
