//! The framework's `Resource` over the engine: each protocol step is one lifecycle step of `Engine`.
//! Stored objects of earlier schemas and objects of Huawei's Go provider are brought to today's schema by
//! `crate::upgrade`.

use async_trait::async_trait;
use serde_json::Value as Json;
use tfplugin::framework::{AttributePath, Diagnostics, Resource, Schema, TfValue};

use super::base::Engine;
use super::diag::warn;
use super::hooks::Hooks;
use super::schema;

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

    async fn upgrade(&self, diags: &mut Diagnostics, version: i64, raw: Json) -> Option<Json> {
        let _ = version;
        let upgraded = crate::upgrade::upgrade(&self.type_name(), &raw);
        for w in &upgraded.warnings {
            warn(diags, "Stored state converted", w.clone(), AttributePath::root());
        }
        Some(upgraded.state)
    }

}
