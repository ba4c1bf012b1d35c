//! The resources: one field table plus hooks each, and the registry below.

pub mod clouddc_instance;
pub mod dms_kafka_instance;
pub mod dms_kafka_topic;
pub mod iotda_instance;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value as Json};
use tf_provider::value::ValueAny;
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

/// Character classes shared by several tables.
pub mod chars {
    /// Tag keys and values: letters (any script), digits, spaces and `_.:=+-@`.
    pub fn tag(c: char) -> bool {
        c.is_alphanumeric() || " _.:=+-@".contains(c)
    }
}

/// The tags to remove and the tags to add to go from `prior` to `plan` (a changed value is both).
pub fn tag_changes(prior: &ValueAny, plan: &ValueAny) -> (Vec<Json>, Vec<Json>) {
    let as_map = |v: &ValueAny| match v {
        ValueAny::Map(m) => m.clone(),
        _ => Default::default(),
    };
    let (old, new) = (as_map(prior), as_map(plan));
    let tag = |k: &String, v: &ValueAny| json!({"key": k, "value": crate::engine::value::as_str(v).unwrap_or("")});
    let unbind = old.iter().filter(|(k, v)| new.get(*k) != Some(v)).map(|(k, v)| tag(k, v)).collect();
    let bind = new.iter().filter(|(k, v)| old.get(*k) != Some(v)).map(|(k, v)| tag(k, v)).collect();
    (unbind, bind)
}
