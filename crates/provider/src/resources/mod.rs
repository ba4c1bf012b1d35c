//! The resources: one field table, the calls of its in-place changes, and hooks each; the registry below.

pub mod clouddc_instance;
pub mod dms_kafka_instance;
pub mod dms_kafka_topic;
pub mod iotda_instance;

use std::collections::HashMap;
use std::sync::Arc;

use tf_provider::DynamicResource;

use crate::engine::{Engine, Hooks, ResourceDef};
use crate::provider::ProviderState;

/// Every resource: its definition and its hooks, one line each.
fn registry(state: &Arc<ProviderState>) -> Vec<(&'static ResourceDef, Box<dyn DynamicResource>)> {
    fn entry<H: Hooks>(hooks: H, state: &Arc<ProviderState>) -> (&'static ResourceDef, Box<dyn DynamicResource>) {
        (hooks.def(), Box::new(Engine::new(hooks, state.clone())))
    }
    vec![
        entry(iotda_instance::IotdaInstance, state),
        entry(clouddc_instance::ClouddcInstance, state),
        entry(dms_kafka_instance::DmsKafkaInstance, state),
        entry(dms_kafka_topic::DmsKafkaTopic, state),
    ]
}

/// Every resource's definition, for docs and the API inventory.
pub fn defs() -> Vec<&'static ResourceDef> {
    registry(&Arc::default()).into_iter().map(|(def, _)| def).collect()
}

/// Every resource, keyed by type name without the provider prefix.
pub fn all(state: Arc<ProviderState>) -> HashMap<String, Box<dyn DynamicResource>> {
    registry(&state).into_iter().map(|(def, r)| (def.name.to_string(), r)).collect()
}
