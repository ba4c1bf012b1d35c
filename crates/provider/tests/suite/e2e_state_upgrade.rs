//! State written by earlier versions of this provider (schema version 0, private data as msgpack) is
//! upgraded to today's version on the next plan: no change planned, nothing written, and the next
//! refresh stores version 1.

use serde_json::Value;

use crate::common::go_state;
use crate::common::{self, hcl};

const ADDR: (&str, &str) = ("huaweicloud_iotda_instance", "a");

/// `{"imported": true}` as msgpack, base64: the private data earlier versions kept right after an import.
const LEGACY_PRIVATE: &str = "gahpbXBvcnRlZMM=";

#[test]
fn a_version_0_state_of_this_provider_plans_no_change_and_is_stored_at_version_1() {
    let Some(env) = common::env() else { return };
    env.write(&hcl::iotda("a", "\"tf-upgrade\"", ""));
    env.apply();

    // The state as earlier versions wrote it.
    let mut state = go_state::pull(&env);
    let object = &mut state["resources"][0]["instances"][0];
    assert_eq!(object["schema_version"], 1, "{object:#}");
    object["schema_version"] = Value::from(0);
    object["private"] = Value::from(LEGACY_PRIVATE);
    state["serial"] = Value::from(state["serial"].as_u64().unwrap_or(0) + 1);
    go_state::write(&env, &state);

    env.clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 0, "expected no change after the upgrade:\n{}", plan.all());
    assert!(!plan.all().contains("Warning: Stored state converted"), "{}", plan.all());
    let refreshed = env.tf(&["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(refreshed.code, 0, "{}", refreshed.all());
    assert!(env.writes().is_empty(), "the upgrade wrote: {:?}", env.writes());
    let upgraded = go_state::pull(&env);
    let object = &go_state::find(&upgraded, ADDR.0, ADDR.1)["instances"][0];
    assert_eq!(object["schema_version"], 1, "{object:#}");
    assert_eq!(object["attributes"]["name"], "tf-upgrade");
    env.assert_no_changes();
    env.destroy();
}
