//! What a provider implements: the provider block, its resources and its data sources, each over
//! [`TfValue`]s of its own schema. The server ([`super::ProviderServer`]) decodes and encodes the values,
//! keeps private data, and turns the protocol's calls into these.

use std::sync::Arc;

use serde_json::Value as Json;

use super::diags::{AttributePath, Diagnostics};
use super::schema::Schema;
use super::value::TfValue;

/// Where a `moved {}` block's object comes from (MoveResourceState).
#[derive(Clone, Debug, PartialEq)]
pub struct MoveSource {
    /// The source's provider, e.g. `registry.terraform.io/hashicorp/terraform` for `terraform_data`.
    pub provider_address: String,
    pub type_name: String,
    pub schema_version: i64,
    /// The object as stored, in its own provider's schema.
    pub state: Json,
}

/// The provider block and what it serves.
#[tonic::async_trait]
pub trait Provider: Send + Sync + 'static {
    fn schema(&self) -> Schema;

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue);

    async fn configure(&self, diags: &mut Diagnostics, terraform_version: String, config: TfValue);

    /// The resources, by type name; asked once when the server starts.
    fn resources(&self) -> Vec<(String, Arc<dyn Resource>)>;

    /// The data sources, by type name; asked once when the server starts.
    fn data_sources(&self) -> Vec<(String, Arc<dyn DataSource>)>;

    /// Terraform asks the provider to stop what runs (StopProvider, on Ctrl-C): end waits early.
    fn stop(&self) {}
}

/// A managed resource type. Every step gets the diagnostics to add to; `None` means it failed (with an
/// error in the diagnostics, else the server adds a generic one). `private` is the resource's private
/// data, kept by Terraform beside the state and given back on the next call.
#[tonic::async_trait]
pub trait Resource: Send + Sync {
    fn schema(&self) -> Schema;

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()>;

    /// The object as it is now, with its private data; `None` without an error when it no longer exists.
    async fn read(&self, diags: &mut Diagnostics, state: TfValue, private: TfValue) -> Option<(TfValue, TfValue)>;

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed: TfValue,
        config: TfValue,
    ) -> Option<(TfValue, TfValue)>;

    /// The planned state, its private data, and the attributes whose change replaces the resource.
    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        proposed: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)>;

    async fn plan_destroy(&self, diags: &mut Diagnostics, prior: TfValue, private: TfValue) -> Option<TfValue>;

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)>;

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        planned: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)>;

    async fn destroy(&self, diags: &mut Diagnostics, prior: TfValue, private: TfValue) -> Option<()>;

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(TfValue, TfValue)> {
        let _ = id;
        diags.root_error("Import is not supported", "This resource type cannot be imported.");
        None
    }

    /// A stored object of an earlier schema `version` (its JSON, as Terraform keeps it) in today's schema.
    /// Attributes today's schema does not have are dropped afterwards by the server. By default the object is
    /// kept. Objects of today's version are decoded by the server without this call.
    async fn upgrade(&self, diags: &mut Diagnostics, version: i64, raw: Json) -> Option<Json> {
        let _ = (diags, version);
        Some(raw)
    }

    /// The object a `moved {}` block brings from another resource type, in this schema, with its private
    /// data. By default refused.
    async fn move_from(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(Json, TfValue)> {
        diags.root_error(
            "Move not supported",
            format!("{} of {} cannot be moved to this resource type.", source.type_name, source.provider_address),
        );
        None
    }
}

/// A data source type.
#[tonic::async_trait]
pub trait DataSource: Send + Sync {
    fn schema(&self) -> Schema;

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()>;

    async fn read(&self, diags: &mut Diagnostics, config: TfValue) -> Option<TfValue>;
}
