//! The resources: one field table, the calls of its in-place changes, and hooks each; the registry below.

pub mod clouddc_instance;
pub mod dms_kafka_catalogs;
mod dms_kafka_changes;
mod dms_kafka_fields;
pub mod dms_kafka_instance;
pub mod dms_kafka_permissions;
mod dms_kafka_shape;
mod dms_kafka_switches;
pub mod dms_kafka_topic;
pub mod dms_kafka_user;
pub mod iotda_instance;

use std::sync::Arc;

use tfplugin::framework::{DataSource, Resource};

use crate::engine::catalog::{Catalog, CatalogSource};
use crate::engine::state::ProviderState;
use crate::engine::{data_source, Engine, Hooks, ResourceDef};

/// A resource's definition, its engine, and its two data sources (one object; a list).
type Entry = (&'static ResourceDef, Arc<dyn Resource>, Vec<(String, Arc<dyn DataSource>)>);

/// Every resource: its definition and its hooks, one line each.
fn registry(state: &Arc<ProviderState>) -> Vec<Entry> {
    fn entry<H: Hooks + Clone>(hooks: H, state: &Arc<ProviderState>) -> Entry {
        (hooks.def(), Arc::new(Engine::new(hooks.clone(), state.clone())), data_source::sources(hooks, state))
    }
    vec![
        entry(iotda_instance::IotdaInstance, state),
        entry(clouddc_instance::ClouddcInstance, state),
        entry(dms_kafka_instance::DmsKafkaInstance, state),
        entry(dms_kafka_topic::DmsKafkaTopic, state),
        entry(dms_kafka_user::DmsKafkaUser, state),
        entry(dms_kafka_permissions::DmsKafkaPermissions, state),
    ]
}

/// Every resource's definition, for docs and the API inventory.
pub fn defs() -> Vec<&'static ResourceDef> {
    registry(&Arc::default()).into_iter().map(|(def, ..)| def).collect()
}

/// Every resource, keyed by type name without the provider prefix.
pub fn all(state: Arc<ProviderState>) -> Vec<(String, Arc<dyn Resource>)> {
    registry(&state).into_iter().map(|(def, r, _)| (def.name.to_string(), r)).collect()
}

/// The data sources of what a service offers, tied to no resource.
pub fn catalogs() -> &'static [&'static Catalog] {
    dms_kafka_catalogs::ALL
}

/// Every data source, keyed by type name without the provider prefix.
pub fn data_sources(state: Arc<ProviderState>) -> Vec<(String, Arc<dyn DataSource>)> {
    let offers = catalogs().iter().map(|&catalog| {
        let source: Arc<dyn DataSource> = Arc::new(CatalogSource { catalog, state: state.clone() });
        (catalog.name.to_string(), source)
    });
    registry(&state).into_iter().flat_map(|(.., sources)| sources).chain(offers).collect()
}
