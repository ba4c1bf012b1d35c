//! The floor of this stack, for `scripts/bench.sh`: a provider on the same plugin framework with this
//! provider's resource schemas, whose resources do nothing (no API call, no validation, no wait): plan
//! marks the computed attributes unknown, apply records them null. Built with
//! `cargo build --release --example noop_provider` and installed as `terraform-provider-noop`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use tf_provider::schema::Schema;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostics, DynamicResource, Provider, Resource};

use hwprovider::engine::field::Mode;
use hwprovider::engine::ResourceDef;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

struct Noop(&'static ResourceDef);

fn fields(v: ValueAny) -> HashMap<String, ValueAny> {
    match v {
        ValueAny::Map(m) => m.into_iter().collect(),
        _ => HashMap::new(),
    }
}

fn object(m: HashMap<String, ValueAny>) -> ValueAny {
    ValueAny::Map(m.into_iter().collect())
}

#[async_trait]
impl Resource for Noop {
    type State<'a> = ValueAny;
    type PrivateState<'a> = ValueAny;
    type ProviderMetaState<'a> = ValueAny;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(hwprovider::engine::schema::resource_schema(self.0))
    }

    async fn read<'a>(
        &self,
        _d: &mut Diagnostics,
        state: ValueAny,
        private: ValueAny,
        _m: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        Some((state, private))
    }

    async fn plan_create<'a>(
        &self,
        _d: &mut Diagnostics,
        proposed: ValueAny,
        _c: ValueAny,
        _m: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut m = fields(proposed);
        for f in self.0.fields {
            let unset = m.get(f.name).is_none_or(|v| *v == ValueAny::Null);
            if f.mode == Mode::Computed || (f.mode == Mode::OptionalComputed && unset) {
                m.insert(f.name.to_string(), ValueAny::Unknown);
            }
        }
        m.insert("id".into(), ValueAny::Unknown);
        Some((object(m), ValueAny::Null))
    }

    async fn plan_update<'a>(
        &self,
        _d: &mut Diagnostics,
        _prior: ValueAny,
        proposed: ValueAny,
        _c: ValueAny,
        private: ValueAny,
        _m: ValueAny,
    ) -> Option<(ValueAny, ValueAny, Vec<AttributePath>)> {
        Some((proposed, private, vec![]))
    }

    async fn plan_destroy<'a>(
        &self,
        _d: &mut Diagnostics,
        _prior: ValueAny,
        private: ValueAny,
        _m: ValueAny,
    ) -> Option<ValueAny> {
        Some(private)
    }

    async fn create<'a>(
        &self,
        _d: &mut Diagnostics,
        planned: ValueAny,
        _c: ValueAny,
        _p: ValueAny,
        _m: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut m = fields(planned);
        for v in m.values_mut() {
            if *v == ValueAny::Unknown {
                *v = ValueAny::Null;
            }
        }
        m.insert("id".into(), ValueAny::String(format!("noop-{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))));
        Some((object(m), ValueAny::Null))
    }

    async fn update<'a>(
        &self,
        _d: &mut Diagnostics,
        _prior: ValueAny,
        planned: ValueAny,
        _c: ValueAny,
        private: ValueAny,
        _m: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        Some((planned, private))
    }

    async fn destroy<'a>(&self, _d: &mut Diagnostics, _prior: ValueAny, _p: ValueAny, _m: ValueAny) -> Option<()> {
        Some(())
    }
}

struct NoopProvider;

#[async_trait]
impl Provider for NoopProvider {
    type Config<'a> = ValueAny;
    type MetaState<'a> = ValueAny;

    fn schema(&self, _diags: &mut Diagnostics) -> Option<Schema> {
        Some(hwprovider::provider::provider_schema())
    }

    async fn configure<'a>(&self, _d: &mut Diagnostics, _v: String, _config: ValueAny) -> Option<()> {
        Some(())
    }

    fn get_resources(&self, _diags: &mut Diagnostics) -> Option<HashMap<String, Box<dyn DynamicResource>>> {
        Some(
            hwprovider::resources::defs()
                .into_iter()
                .map(|def| (def.name.to_string(), Box::new(Noop(def)) as Box<dyn DynamicResource>))
                .collect(),
        )
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tf_provider::serve("noop", NoopProvider).await
}
