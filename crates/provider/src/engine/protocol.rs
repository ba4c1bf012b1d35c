//! The framework's `Resource` over the engine: each protocol step is one lifecycle step of `Engine`.
//! Stored objects of earlier schemas and objects of Huawei's Go provider are brought to today's schema by
//! `crate::upgrade`, for state upgrades and `moved {}` blocks alike.

use async_trait::async_trait;
use serde_json::Value as Json;
use tfplugin::framework::{AttributePath, Diagnostics, MoveSource, Resource, Schema, TfValue};

use super::base::Engine;
use super::diag::{diag, warn};
use super::hooks::Hooks;
use super::private::private_state;
use super::schema;

impl<H: Hooks> Engine<H> {
    /// A stored object without its `region` (the Go provider's per-resource setting) when it is the
    /// provider's own: only another region, which the refresh would not find the object in, is worth a
    /// warning.
    fn without_own_region(&self, mut raw: Json) -> Json {
        let own = self.provider.client().map(|c| c.config().region.clone());
        if let (Some(own), Some(obj)) = (own, raw.as_object_mut()) {
            if obj.get("region").and_then(Json::as_str) == Some(own.as_str()) {
                obj.remove("region");
            }
        }
        raw
    }
}

#[async_trait]
impl<H: Hooks> Resource for Engine<H> {
    fn schema(&self) -> Schema {
        schema::resource_schema(self.def())
    }

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()> {
        self.do_validate(diags, config).await
    }

    async fn read(&self, diags: &mut Diagnostics, state: TfValue, private: TfValue) -> Option<(TfValue, TfValue)> {
        self.do_read(diags, state, private).await
    }

    async fn plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed: TfValue,
        config: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        self.do_plan_create(diags, proposed, config).await
    }

    async fn plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        proposed: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)> {
        self.do_plan_update(diags, prior, proposed, config, private).await
    }

    async fn plan_destroy(&self, diags: &mut Diagnostics, prior: TfValue, private: TfValue) -> Option<TfValue> {
        self.do_plan_destroy(diags, prior, private).await
    }

    async fn create(
        &self,
        diags: &mut Diagnostics,
        planned: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        self.do_create(diags, planned, config, private).await
    }

    async fn update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        planned: TfValue,
        config: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        self.do_update(diags, prior, planned, config, private).await
    }

    async fn destroy(&self, diags: &mut Diagnostics, prior: TfValue, private: TfValue) -> Option<()> {
        self.do_destroy(diags, prior, private).await
    }

    async fn import(&self, diags: &mut Diagnostics, id: String) -> Option<(TfValue, TfValue)> {
        self.do_import(diags, id).await
    }

    /// Objects of today's version come as they are (Terraform has dropped the attributes of removed
    /// fields); version 0 is this provider's first schema and also the Go provider's, told apart by the
    /// upgrade module.
    async fn upgrade(&self, diags: &mut Diagnostics, version: i64, raw: Json) -> Option<Json> {
        if version >= schema::SCHEMA_VERSION {
            return Some(raw);
        }
        if let Some(why) = crate::upgrade::unconvertible(&self.type_name(), &raw) {
            diag(diags, "Stored state cannot be converted", why, AttributePath::root());
            return None;
        }
        let upgraded = crate::upgrade::upgrade(&self.type_name(), &self.without_own_region(raw));
        for w in &upgraded.warnings {
            warn(diags, "Stored state converted", w.clone(), AttributePath::root());
        }
        Some(upgraded.state)
    }

    /// A move from the Go provider's same type is converted as a state upgrade is, and read afterwards as
    /// an import reads (what the service shows by itself, such as default configurations, is not taken
    /// for the user's); a move from a `terraform_data` imports the ID it holds.
    async fn move_from(&self, diags: &mut Diagnostics, source: MoveSource) -> Option<(Json, TfValue)> {
        let moved =
            crate::upgrade::moved(&self.type_name(), &source.provider_address, &source.type_name, &source.state);
        match moved {
            Ok(crate::upgrade::Moved::State(upgraded)) => {
                for w in &upgraded.warnings {
                    warn(diags, "Stored state converted", w.clone(), AttributePath::root());
                }
                Some((upgraded.state, private_state(true, &[])))
            }
            Ok(crate::upgrade::Moved::Import(id)) => {
                let mut import = Diagnostics::default();
                let imported = self.do_import(&mut import, id.clone()).await;
                diags.warnings.append(&mut import.warnings);
                match imported {
                    Some((state, private)) if !import.has_errors() => Some((state.to_json(), private)),
                    _ => {
                        let why: Vec<String> = import.errors.into_iter().map(|e| e.detail).collect();
                        let target = self.type_name();
                        let detail = format!(
                            "{} cannot be moved to {target}: its input {id:?} is not the import ID of a {target} \
that can be read. {}",
                            source.type_name,
                            why.join(" ")
                        );
                        diag(diags, "Move not supported", detail, AttributePath::root());
                        None
                    }
                }
            }
            Err(why) => {
                diag(diags, "Move not supported", why, AttributePath::root());
                None
            }
        }
    }
}
