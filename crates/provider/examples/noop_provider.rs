//! The floor of this stack, for `scripts/bench.sh`: a provider on the same plugin layer (`tfplugin`) with this
//! provider's resource schemas, whose resources do nothing (no API call, no validation, no wait): plan
//! marks the computed attributes unknown, apply records them null. Built with
//! `cargo build --release --example noop_provider` and installed as `terraform-provider-noop`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use tfplugin::framework::{
    AttributePath, DataSource, Diagnostics, Provider, ProviderServer, Resource, Schema, TfValue,
};
use tfplugin::server::{serve, ServeOptions};

use hwprovider::engine::field::Mode;
use hwprovider::engine::ResourceDef;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

struct Noop(&'static ResourceDef);

fn fields(v: TfValue) -> HashMap<String, TfValue> {
    match v {
        TfValue::Map(m) => m.into_iter().collect(),
        _ => HashMap::new(),
    }
}

fn object(m: HashMap<String, TfValue>) -> TfValue {
    TfValue::Map(m.into_iter().collect())
}

#[async_trait]
impl Resource for Noop {
    fn schema(&self) -> Schema {
        hwprovider::engine::schema::resource_schema(self.0)
    }

    async fn validate(&self, _d: &mut Diagnostics, _config: TfValue) -> Option<()> {
        Some(())
    }

    async fn read(&self, _d: &mut Diagnostics, state: TfValue, private: TfValue) -> Option<(TfValue, TfValue)> {
        Some((state, private))
    }

    async fn plan_create(&self, _d: &mut Diagnostics, proposed: TfValue, _c: TfValue) -> Option<(TfValue, TfValue)> {
        let mut m = fields(proposed);
        for f in self.0.fields {
            let unset = m.get(f.name).is_none_or(|v| *v == TfValue::Null);
            if f.mode == Mode::Computed || (f.mode == Mode::OptionalComputed && unset) {
                m.insert(f.name.to_string(), TfValue::Unknown);
            }
        }
        m.insert("id".into(), TfValue::Unknown);
        Some((object(m), TfValue::Null))
    }

    async fn plan_update(
        &self,
        _d: &mut Diagnostics,
        _prior: TfValue,
        proposed: TfValue,
        _c: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)> {
        Some((proposed, private, vec![]))
    }

    async fn plan_destroy(&self, _d: &mut Diagnostics, _prior: TfValue, private: TfValue) -> Option<TfValue> {
        Some(private)
    }

    async fn create(
        &self,
        _d: &mut Diagnostics,
        planned: TfValue,
        _c: TfValue,
        _p: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        let mut m = fields(planned);
        for v in m.values_mut() {
            if *v == TfValue::Unknown {
                *v = TfValue::Null;
            }
        }
        m.insert("id".into(), TfValue::String(format!("noop-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))));
        Some((object(m), TfValue::Null))
    }

    async fn update(
        &self,
        _d: &mut Diagnostics,
        _prior: TfValue,
        planned: TfValue,
        _c: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        Some((planned, private))
    }

    async fn destroy(&self, _d: &mut Diagnostics, _prior: TfValue, _p: TfValue) -> Option<()> {
        Some(())
    }
}

struct NoopProvider;

#[async_trait]
impl Provider for NoopProvider {
    fn schema(&self) -> Schema {
        hwprovider::provider::provider_schema()
    }

    async fn validate(&self, _d: &mut Diagnostics, _config: TfValue) {}

    async fn configure(&self, _d: &mut Diagnostics, _v: String, _config: TfValue) {}

    fn resources(&self) -> Vec<(String, Arc<dyn Resource>)> {
        let defs = hwprovider::resources::defs().into_iter();
        defs.map(|def| (format!("noop_{}", def.name), Arc::new(Noop(def)) as Arc<dyn Resource>)).collect()
    }

    fn data_sources(&self) -> Vec<(String, Arc<dyn DataSource>)> {
        vec![]
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    Ok(serve(ProviderServer::new(NoopProvider), ServeOptions::default()).await?)
}
