//! What the resources of one provider share: the configured client, the identities claimed by the
//! creates of this process, and the objects read in one go for a refresh of many.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use tfplugin::framework::TfValue;

use crate::client::Client;

/// What the resources share: the client, once the provider is configured, and the identities
/// (type and name) of the instances this provider process creates.
#[derive(Default)]
pub struct ProviderState {
    client: RwLock<Option<Client>>,
    claims: Mutex<HashSet<String>>,
    default_eps: RwLock<Option<String>>,
    /// The provider block's `default_tags` as configured (null, a map, or unknown at plan).
    default_tags: RwLock<Option<TfValue>>,
    /// Per resource type: every object read in one go for a refresh of many (see `refresh_batch`).
    batches: Mutex<HashMap<&'static str, Arc<RefreshBatch>>>,
}

/// The objects of one resource type as one set of list calls showed them, shared by the reads of one
/// refresh: the first read makes the calls, the others wait for them.
#[derive(Default)]
pub struct RefreshBatch {
    pub made: Option<std::time::Instant>,
    pub objects: tokio::sync::OnceCell<Option<HashMap<String, serde_json::Value>>>,
}

/// How long one batch serves reads: about one refresh.
const BATCH_LIFETIME: Duration = Duration::from_secs(20);

impl ProviderState {
    pub fn client(&self) -> Option<Client> {
        self.client.read().ok()?.clone()
    }

    /// The batch of `resource`'s objects for the reads of this refresh (a new one after `BATCH_LIFETIME`).
    pub fn refresh_batch(&self, resource: &'static str) -> Arc<RefreshBatch> {
        let mut batches = self.batches.lock().unwrap_or_else(|e| e.into_inner());
        let now = std::time::Instant::now();
        let fresh = |b: &RefreshBatch| b.made.is_some_and(|t| now.duration_since(t) < BATCH_LIFETIME);
        match batches.get(resource) {
            Some(b) if fresh(b) => b.clone(),
            _ => {
                let b = Arc::new(RefreshBatch { made: Some(now), objects: tokio::sync::OnceCell::new() });
                batches.insert(resource, b.clone());
                b
            }
        }
    }

    /// Forget `resource`'s batch: a write made it stale.
    pub fn forget_batch(&self, resource: &'static str) {
        self.batches.lock().unwrap_or_else(|e| e.into_inner()).remove(resource);
    }

    /// The provider's default enterprise project for new instances whose configuration sets none.
    pub fn default_enterprise_project(&self) -> Option<String> {
        self.default_eps.read().ok()?.clone()
    }

    /// The provider is configured: the client the resources use, and the default enterprise project.
    /// None when the state cannot be written (a thread panicked while it held it).
    pub fn configure(&self, client: Client, default_eps: Option<String>) -> Option<()> {
        *self.client.write().ok()? = Some(client);
        *self.default_eps.write().ok()? = default_eps;
        Some(())
    }

    /// The provider block's `default_tags` (see `engine::tags`); null before the provider is configured.
    pub fn default_tags(&self) -> TfValue {
        self.default_tags.read().ok().and_then(|t| t.clone()).unwrap_or(TfValue::Null)
    }

    /// Records the provider block's `default_tags`.
    pub fn set_default_tags(&self, tags: TfValue) {
        if let Ok(mut t) = self.default_tags.write() {
            *t = Some(tags);
        }
    }

    /// Claim an identity for a create in this process; false when it was claimed already.
    pub fn claim(&self, identity: &str) -> bool {
        self.claims.lock().unwrap_or_else(|e| e.into_inner()).insert(identity.to_string())
    }
}
