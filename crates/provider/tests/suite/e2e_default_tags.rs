//! The provider block's `default_tags` through real Terraform against the simulator: merged into the tags
//! of every instance with tags (a resource's own tag wins), shown as `tags_all`, changed in place by the
//! tag calls alone, drift set back, an import that round-trips, data sources untouched, and a default
//! that breaks a resource's tag rules refused at plan, naming `default_tags`.

use serde_json::{json, Value};

use crate::common::{self, hcl};

const IOTDA: &str = "huaweicloud_iotda_instance.i";
const KAFKA: &str = "huaweicloud_dms_kafka_instance.k";

/// The simulator's provider block with `default_tags` (an HCL map, or "" for none).
fn provider(env: &common::Env, defaults: &str) -> String {
    match defaults {
        "" => env.provider_block(),
        d => env.provider_block().replace("  max_retries = 3\n", &format!("  max_retries = 3\n  default_tags = {d}\n")),
    }
}

/// An IoTDA instance whose own `team` overrides the default, a Kafka instance tagged by the defaults
/// alone, and the IoTDA data source of the first.
fn config(env: &common::Env, defaults: &str) -> String {
    format!(
        "{}{}{}\ndata \"huaweicloud_iotda_instance\" \"d\" {{\n  id = huaweicloud_iotda_instance.i.id\n}}\n\
output \"seen\" {{\n  value = data.huaweicloud_iotda_instance.d.tags\n}}\n",
        provider(env, defaults),
        hcl::iotda("i", "\"iot-tagged\"", r#"tags = { team = "iot" }"#),
        hcl::kafka("k", "kafka-tagged", ""),
    )
}

fn tag_list(pairs: &[(&str, &str)]) -> Value {
    Value::Array(pairs.iter().map(|(k, v)| json!({"key": k, "value": v})).collect())
}

fn create_body(env: &common::Env, suffix: &str) -> Value {
    let creates = env.requests_matching("POST", suffix);
    let create = creates.iter().find(|r| r["path"].as_str().is_some_and(|p| p.ends_with(suffix)));
    create.expect("a create call")["body"].clone()
}

/// The bodies of the tag calls sent since the log was cleared, and whether anything else was written.
fn tag_writes(env: &common::Env) -> Vec<(String, Value)> {
    let writes = env.writes();
    let other: Vec<&Value> = writes.iter().filter(|r| !r["path"].as_str().unwrap_or("").contains("tags")).collect();
    assert!(other.is_empty(), "only tag calls were expected: {other:?}");
    writes
        .iter()
        .map(|r| (r["path"].as_str().unwrap_or("").rsplit('/').next().unwrap().to_string(), r["body"].clone()))
        .collect()
}

/// The plan changes `n` instances in place and replaces none.
fn plans_in_place(env: &common::Env, n: usize) {
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let summary = format!("0 to add, {n} to change, 0 to destroy");
    assert!(plan.stdout.contains(&summary) && !plan.stdout.contains("forces replacement"), "{}", plan.stdout);
}

#[test]
fn defaults_are_merged_changed_in_place_and_round_trip_an_import() {
    let Some(env) = common::env() else { return };
    let defaults = r#"{ env = "dev", team = "core" }"#;
    env.write_raw(&config(&env, defaults));
    env.apply();

    // The create bodies carry the merge; the resource's own team wins.
    assert_eq!(create_body(&env, "/iotda-instances")["tags"], tag_list(&[("env", "dev"), ("team", "iot")]));
    assert_eq!(create_body(&env, "/instances")["tags"], tag_list(&[("env", "dev"), ("team", "core")]));
    // tags is what the configuration says, tags_all every tag.
    let (i, k) = (env.resource(IOTDA)["values"].clone(), env.resource(KAFKA)["values"].clone());
    assert_eq!((&i["tags"], &i["tags_all"]), (&json!({"team": "iot"}), &json!({"env": "dev", "team": "iot"})));
    assert_eq!((&k["tags"], &k["tags_all"]), (&Value::Null, &json!({"env": "dev", "team": "core"})));
    // The data source reports the API's tags, and has no tags_all.
    let state = env.state();
    assert_eq!(state.pointer("/values/outputs/seen/value"), Some(&json!({"env": "dev", "team": "iot"})));
    let data = env.resource("data.huaweicloud_iotda_instance.d");
    assert!(data["values"].get("tags_all").is_none(), "{data}");
    env.assert_no_changes();

    // A default's new value: in place, through the tag calls alone, then nothing left to change.
    env.write_raw(&config(&env, r#"{ env = "prod", team = "core" }"#));
    plans_in_place(&env, 2);
    env.clear_requests();
    env.apply();
    let mut sent = tag_writes(&env);
    sent.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.to_string().cmp(&b.1.to_string())));
    let (dev, prod) = (tag_list(&[("env", "dev")]), tag_list(&[("env", "prod")]));
    assert_eq!(
        sent,
        vec![
            ("action".to_string(), json!({"action": "create", "tags": prod})),
            ("action".to_string(), json!({"action": "delete", "tags": dev})),
            ("bind-tags".to_string(), json!({"tags": prod})),
            ("unbind-tags".to_string(), json!({"tags": dev})),
        ]
    );
    env.assert_no_changes();

    // A tag added elsewhere shows on tags_all and is removed in place.
    let id = env.id_of(IOTDA);
    let bind = hwapi::client::Call::to(&hwapi::contract::iotda::BIND_TAGS).arg("instance_id", &id);
    env.api_call(bind.body(json!({"tags": tag_list(&[("extra", "x")])})));
    let plan = env.plan();
    assert!(plan.stdout.contains("tags_all") && plan.stdout.contains("\"extra\""), "{}", plan.stdout);
    plans_in_place(&env, 1);
    env.clear_requests();
    env.apply();
    assert_eq!(tag_writes(&env), vec![("unbind-tags".to_string(), json!({"tags": tag_list(&[("extra", "x")])}))]);
    env.assert_no_changes();

    // Import round trip: the imported tags are the instance's without the defaults.
    for address in [IOTDA, KAFKA] {
        let id = env.id_of(address);
        assert_eq!(env.tf(&["state", "rm", "-no-color", address]).code, 0);
        let out = env.tf(&["import", "-no-color", "-input=false", address, &id]);
        assert_eq!(out.code, 0, "{}", out.all());
    }
    assert_eq!(env.resource(IOTDA)["values"]["tags"], json!({"team": "iot"}));
    assert_eq!(env.resource(KAFKA)["values"]["tags"], Value::Null);
    // Nothing about tags is left to change: only the Kafka Manager password, which no API returns, is
    // recorded from the configuration, without a call.
    let plan = env.plan();
    assert!(!plan.stdout.contains("tags"), "{}", plan.stdout);
    assert!(plan.stdout.contains("+ kafka_manager_password"), "{}", plan.stdout);
    env.applies_in_place_without_api_writes();

    // Without defaults, the instances keep only their own tags.
    env.write_raw(&config(&env, ""));
    plans_in_place(&env, 2);
    env.clear_requests();
    env.apply();
    let sent = tag_writes(&env);
    assert!(sent.contains(&("unbind-tags".to_string(), json!({"tags": tag_list(&[("env", "prod")])}))), "{sent:?}");
    let gone = json!({"action": "delete", "tags": tag_list(&[("env", "prod"), ("team", "core")])});
    assert!(sent.contains(&("action".to_string(), gone)), "{sent:?}");
    let (i, k) = (env.resource(IOTDA)["values"].clone(), env.resource(KAFKA)["values"].clone());
    assert_eq!((&i["tags_all"], &k["tags_all"]), (&json!({"team": "iot"}), &json!({})));
    env.assert_no_changes();

    // Every tag removed elsewhere: bound again in place, and then nothing left to change.
    let id = env.id_of(IOTDA);
    let unbind = hwapi::client::Call::to(&hwapi::contract::iotda::UNBIND_TAGS).arg("instance_id", &id);
    env.api_call(unbind.body(json!({"tags": tag_list(&[("team", "iot")])})));
    plans_in_place(&env, 1);
    env.clear_requests();
    env.apply();
    assert_eq!(tag_writes(&env), vec![("bind-tags".to_string(), json!({"tags": tag_list(&[("team", "iot")])}))]);
    assert_eq!(env.resource(IOTDA)["values"]["tags_all"], json!({"team": "iot"}));
    env.assert_no_changes();
    env.destroy();
}

#[test]
fn a_default_the_resource_cannot_carry_fails_at_plan_naming_default_tags() {
    let Some(env) = common::env() else { return };
    let resource = hcl::iotda("i", "\"iot-bad\"", "");
    env.clear_requests();
    env.write_raw(&format!("{}{resource}", provider(&env, r#"{ env = "a/b" }"#)));
    let out = env.plan();
    assert_eq!(out.code, 1, "{}", out.all());
    for part in ["Invalid default_tags", "default_tags", "value of \"env\"", "'/'"] {
        assert!(out.err().contains(part), "{part:?} missing:\n{}", out.stderr);
    }
    // A null default is refused when the provider block is validated.
    env.write_raw(&format!("{}{resource}", provider(&env, "{ env = null }")));
    let out = env.plan();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.err().contains("default_tags: value of \"env\" must not be null"), "{}", out.stderr);
    let sent = env.requests();
    assert!(sent.is_empty(), "requests were sent for an invalid configuration: {sent:?}");
}
