//! Moving from Huawei's Go provider (`huaweicloud/huaweicloud`) without touching the cloud: a state that
//! provider wrote for a Kafka instance and two topics goes through `terraform state replace-provider`
//! and then plans no change; `moved` blocks bring its objects over under other addresses
//! (MoveResourceState), as they bring a topic's ID held by a `terraform_data`; and a move from anything
//! else is refused, naming both types. Nothing is written to the API on the way.
//!
//! The objects are created by this provider in the simulator, their state discarded, and a state in the
//! Go provider's shape written from the service's answers (`common::go_state`).

use serde_json::{json, Value};

use crate::common::go_state::{self, GO_PROVIDER, THIS_PROVIDER};
use crate::common::{self, Env};

const INSTANCE: &str = "huaweicloud_dms_kafka_instance";
const TOPIC: &str = "huaweicloud_dms_kafka_topic";
const MANAGER_PASSWORD: &str = "Manager@Pass-02";

/// The labels of the instance and its two topics in the configuration.
const NAMES: [&str; 3] = ["kafka", "orders", "audit"];

/// The first three zone IDs the service offers (what the Go provider's users configured as zone codes).
fn zones(env: &Env) -> Vec<String> {
    let list = env.api_call(hwapi::client::Call::to(&hwapi::contract::kafka::ZONES));
    let open = list["available_zones"].as_array().unwrap().iter().filter(|z| z["soldOut"] != true);
    open.take(3).map(|z| z["id"].as_str().unwrap().to_string()).collect()
}

/// The instance of a Go provider's user (created with a product ID) in this provider's names.
fn instance_hcl(zones: &[String], label: &str) -> String {
    format!(
        r#"
resource "{INSTANCE}" "{label}" {{
  name                   = "orders-kafka"
  description            = "orders pipeline"
  engine                 = "kafka"
  engine_version         = "2.7"
  product_id             = "00300-30308-0--0"
  specification          = "100MB"
  storage_space          = 600
  storage_spec_code      = "dms.physical.storage.ultra"
  vpc_id                 = "vpc-0001"
  subnet_id              = "subnet-0001"
  security_group_id      = "sg-0001"
  available_zones        = {zones:?}
  kafka_manager_user     = "manager"
  kafka_manager_password = "{MANAGER_PASSWORD}"
  maintain_begin         = "22:00"
  maintain_end           = "02:00"
  tags = {{
    owner = "data"
  }}
}}
"#
    )
}

/// The topic `orders` of the instance labelled `instance` (one configuration of its own).
fn orders_hcl(label: &str, instance: &str) -> String {
    format!(
        r#"
resource "{TOPIC}" "{label}" {{
  instance_id    = {INSTANCE}.{instance}.id
  name           = "orders"
  partition      = 6
  replication    = 3
  retention_time = 48
  topic_desc     = "orders"
  topic_other_configs {{
    name  = "max.message.bytes"
    value = "2097152"
  }}
}}
"#
    )
}

/// The topic `audit` of the instance labelled `instance` (flushed and replicated synchronously).
fn audit_hcl(label: &str, instance: &str) -> String {
    format!(
        r#"
resource "{TOPIC}" "{label}" {{
  instance_id        = {INSTANCE}.{instance}.id
  name               = "audit"
  partition          = 3
  replication        = 3
  sync_replication   = true
  sync_message_flush = true
}}
"#
    )
}

/// The configuration of a Go provider's user (an instance and two topics) written in this provider's
/// names, with the resources labelled `names`.
fn config(zones: &[String], names: [&str; 3]) -> String {
    let [k, orders, audit] = names;
    format!("{}{}{}", instance_hcl(zones, k), orders_hcl(orders, k), audit_hcl(audit, k))
}

/// Creates the instance and topics of `config` with this provider; returns the instance's ID and the
/// attribute names this provider stores for an instance and a topic. The state is then the caller's
/// to replace.
fn create(env: &Env, zones: &[String]) -> (String, Vec<String>, Vec<String>) {
    env.write(&config(zones, NAMES));
    env.apply();
    let state = go_state::pull(env);
    let names = |kind: &str, name: &str| -> Vec<String> {
        let attributes = &go_state::find(&state, kind, name)["instances"][0]["attributes"];
        let mut names: Vec<String> = attributes.as_object().unwrap().keys().cloned().collect();
        names.sort();
        names
    };
    let id = go_state::find(&state, INSTANCE, NAMES[0])["instances"][0]["attributes"]["id"].as_str().unwrap();
    (id.to_string(), names(INSTANCE, NAMES[0]), names(TOPIC, NAMES[1]))
}

/// The Go provider's state of the instance `id` and its topics `orders` and `audit`, under its address,
/// with the resources labelled `names`.
fn go_resources(env: &Env, id: &str, names: [&str; 3]) -> Vec<Value> {
    let configured = json!({"manager_user": "manager", "manager_password": MANAGER_PASSWORD});
    let instance = go_state::instance(env, id, &configured);
    let topics = go_state::topics(env, id);
    let depends = [format!("{INSTANCE}.{}", names[0])];
    let topic = |label: &str, name: &str| {
        let attributes = topics.get(name).cloned().unwrap_or_else(|| panic!("no topic {name}"));
        go_state::resource(GO_PROVIDER, TOPIC, label, attributes, go_state::TOPIC_TIMEOUTS, &[], &depends)
    };
    vec![
        go_state::resource(
            GO_PROVIDER,
            INSTANCE,
            names[0],
            instance,
            go_state::INSTANCE_TIMEOUTS,
            go_state::INSTANCE_SENSITIVE,
            &[],
        ),
        topic(names[1], "orders"),
        topic(names[2], "audit"),
    ]
}

/// The attributes of the one object of a pulled state's resource.
fn attributes<'a>(state: &'a Value, kind: &str, name: &str) -> &'a Value {
    &go_state::find(state, kind, name)["instances"][0]["attributes"]
}

fn sorted_keys(v: &Value) -> Vec<String> {
    let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The stored state holds the objects labelled `names` under this provider, in this provider's
/// attribute names (`instance_names`, `topic_names`) and values.
fn assert_converted(state: &Value, id: &str, names: [&str; 3], instance_names: &[String], topic_names: &[String]) {
    for (kind, name) in [(INSTANCE, names[0]), (TOPIC, names[1]), (TOPIC, names[2])] {
        let r = go_state::find(state, kind, name);
        assert_eq!(r["provider"], format!("provider[\"{THIS_PROVIDER}\"]"), "{kind}.{name}");
        assert_eq!(r["instances"][0]["schema_version"], 1, "{kind}.{name}");
    }
    let k = attributes(state, INSTANCE, names[0]);
    assert_eq!(sorted_keys(k), instance_names, "{k:#}");
    let expected = json!({
        "id": id, "product_id": "00300-30308-0--0", "specification": "100MB", "subnet_id": "subnet-0001",
        "kafka_manager_user": "manager", "kafka_manager_password": MANAGER_PASSWORD, "maintain_begin": "22:00",
        "maintain_end": "02:00", "storage_space": 600, "charging_mode": 1, "new_spec_billing_enable": false,
        "connector_enable": false, "tags": {"owner": "data"}, "description": "orders pipeline",
    });
    for (name, value) in expected.as_object().unwrap() {
        assert_eq!(&k[name], value, "{name} in {k:#}");
    }
    for (name, partition, retention, desc, flush, configs) in [
        (names[1], 6, 48, json!("orders"), false, json!([{"name": "max.message.bytes", "value": "2097152"}])),
        (names[2], 3, 72, Value::Null, true, json!([])),
    ] {
        let t = attributes(state, TOPIC, name);
        assert_eq!(sorted_keys(t), topic_names, "{t:#}");
        let topic = if name == names[1] { "orders" } else { "audit" };
        let expected = json!({
            "id": format!("{id}/{topic}"), "instance_id": id, "name": topic, "partition": partition,
            "replication": 3, "retention_time": retention, "topic_desc": desc, "sync_message_flush": flush,
            "sync_replication": flush, "topic_other_configs": configs,
        });
        for (attribute, value) in expected.as_object().unwrap() {
            assert_eq!(&t[attribute], value, "{attribute} in {t:#}");
        }
    }
}

#[test]
fn a_go_provider_state_after_replace_provider_plans_no_change_and_writes_nothing() {
    let Some(env) = common::env() else { return };
    let zones = zones(&env);
    let (id, instance_names, topic_names) = create(&env, &zones);
    go_state::write(&env, &go_state::state_file(go_resources(&env, &id, NAMES)));

    // The provider of every object is replaced; its attributes stay the Go provider's until read.
    let replaced = env.tf(&["state", "replace-provider", "-auto-approve", "-no-color", GO_PROVIDER, THIS_PROVIDER]);
    assert_eq!(replaced.code, 0, "{}", replaced.all());
    assert!(replaced.stdout.contains("Successfully replaced provider for 3 resources"), "{}", replaced.stdout);
    let moved = go_state::pull(&env);
    assert_eq!(go_state::find(&moved, INSTANCE, NAMES[0])["provider"], format!("provider[\"{THIS_PROVIDER}\"]"));
    assert_eq!(attributes(&moved, TOPIC, NAMES[1])["partitions"], 6, "replace-provider converts nothing");

    // The configuration matches the service: no change planned, nothing written.
    env.clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 0, "expected no change after replace-provider:\n{}", plan.all());
    assert!(env.writes().is_empty(), "the plan wrote: {:?}", env.writes());
    // Every value converted, and the objects' region is the provider's: nothing to warn about.
    assert!(!plan.all().contains("Warning: Stored state converted"), "{}", plan.all());

    // A refresh stores the objects in this provider's names and values.
    let refreshed = env.tf(&["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(refreshed.code, 0, "{}", refreshed.all());
    assert!(env.writes().is_empty(), "the refresh wrote: {:?}", env.writes());
    assert_converted(&go_state::pull(&env), &id, NAMES, &instance_names, &topic_names);
    env.assert_no_changes();
    assert!(env.writes().is_empty(), "{:?}", env.writes());
}

/// Lets the Go provider's address be served by this provider's binary. Terraform insists that every
/// provider a state names is installed (a user moving over still has the Go provider); it only asks that
/// one for its schema here, since every object of it is moved to this provider before the plan.
fn stand_in_for_the_go_provider(env: &Env) {
    let path = env.path().join("cli.tfrc");
    let rc = std::fs::read_to_string(&path).unwrap();
    let dir = rc
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("\"{}\" = ", hwprovider::PROVIDER_ADDRESS)))
        .unwrap()
        .to_string();
    let rc = rc.replacen("dev_overrides {", &format!("dev_overrides {{\n    \"huaweicloud/huaweicloud\" = {dir}"), 1);
    std::fs::write(path, rc).unwrap();
}

fn moved(from: &str, to: &str) -> String {
    format!("\nmoved {{\n  from = {from}\n  to   = {to}\n}}\n")
}

#[test]
fn moved_blocks_bring_the_go_providers_objects_over_under_other_addresses() {
    let Some(env) = common::env() else { return };
    let zones = zones(&env);
    let (id, instance_names, topic_names) = create(&env, &zones);
    // The Go provider's objects under the labels of the user's earlier configuration.
    let old = ["legacy", "legacy_orders", "legacy_audit"];
    go_state::write(&env, &go_state::state_file(go_resources(&env, &id, old)));
    stand_in_for_the_go_provider(&env);
    let kinds = [INSTANCE, TOPIC, TOPIC];
    let blocks: String =
        (0..3).map(|i| moved(&format!("{}.{}", kinds[i], old[i]), &format!("{}.{}", kinds[i], NAMES[i]))).collect();
    env.write(&format!("{}{blocks}", config(&zones, NAMES)));

    env.clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 2, "expected three moves and nothing else:\n{}", plan.all());
    for i in 0..3 {
        let line = format!("# {}.{} has moved to {}.{}", kinds[i], old[i], kinds[i], NAMES[i]);
        assert!(plan.stdout.contains(&line), "{line} in:\n{}", plan.stdout);
    }
    assert!(plan.stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{}", plan.stdout);
    env.apply();
    assert!(env.writes().is_empty(), "the moves wrote: {:?}", env.writes());

    let state = go_state::pull(&env);
    let labels: Vec<&str> =
        state["resources"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert!(old.iter().all(|o| !labels.contains(o)), "{labels:?}");
    assert_converted(&state, &id, NAMES, &instance_names, &topic_names);
    env.assert_no_changes();
    assert!(env.writes().is_empty(), "{:?}", env.writes());
}

/// The summary and detail of each error Terraform prints, without the configuration lines it quotes and
/// the address it names (which would name the moved block's types whatever the message says).
fn error_messages(stderr: &str) -> String {
    let quoted = |l: &str| {
        let t = l.trim_start_matches(['│', ' ']);
        (t.starts_with("on ") && t.ends_with(':'))
            || t.starts_with("with ")
            || t.split_once(':').is_some_and(|(n, _)| n.parse::<u32>().is_ok())
    };
    stderr.lines().filter(|l| !quoted(l)).collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_moved_block_from_terraform_data_takes_the_topic_id_it_holds() {
    let Some(env) = common::env() else { return };
    let zones = zones(&env);
    let (id, _, topic_names) = create(&env, &zones);
    // The topic leaves the state (it stays in the service), and a terraform_data holds its ID.
    let [k, orders, audit] = NAMES;
    let rm = env.tf(&["state", "rm", "-no-color", &format!("{TOPIC}.{orders}")]);
    assert_eq!(rm.code, 0, "{}", rm.all());
    let placeholder = format!("\nresource \"terraform_data\" \"orders\" {{\n  input = \"{id}/orders\"\n}}\n");
    env.write(&format!("{}{}{placeholder}", instance_hcl(&zones, k), audit_hcl(audit, k)));
    env.clear_requests();
    env.apply();
    assert!(env.writes().is_empty(), "{:?}", env.writes());

    let full = config(&zones, NAMES);
    env.write(&format!("{full}{}", moved("terraform_data.orders", &format!("{TOPIC}.{orders}"))));
    let plan = env.plan();
    assert_eq!(plan.code, 2, "expected one move and nothing else:\n{}", plan.all());
    let line = format!("# terraform_data.orders has moved to {TOPIC}.{orders}");
    assert!(plan.stdout.contains(&line), "{line} in:\n{}", plan.stdout);
    assert!(plan.stdout.contains("Plan: 0 to add, 0 to change, 0 to destroy."), "{}", plan.stdout);
    env.apply();
    assert!(env.writes().is_empty(), "the move wrote: {:?}", env.writes());
    let state = go_state::pull(&env);
    let t = attributes(&state, TOPIC, orders);
    assert_eq!(sorted_keys(t), topic_names, "{t:#}");
    assert_eq!(
        (&t["id"], &t["partition"], &t["retention_time"]),
        (&json!(format!("{id}/orders")), &json!(6), &json!(48))
    );
    env.assert_no_changes();
    assert!(env.writes().is_empty(), "{:?}", env.writes());
}

#[test]
fn a_moved_block_from_a_type_without_a_mapping_is_refused_naming_both_types() {
    let Some(env) = common::env() else { return };
    env.write("resource \"terraform_data\" \"notes\" {\n  input = \"kafka topics to migrate: orders, audit\"\n}\n");
    env.apply();

    let topic = format!(
        "resource \"{TOPIC}\" \"notes\" {{\n  instance_id = \"8d3c7938-dc47-4937-a30f-c80de381c5e3\"\n  name        \
         = \"notes\"\n  partition   = 3\n  replication = 3\n}}\n"
    );
    env.write(&format!("{topic}{}", moved("terraform_data.notes", &format!("{TOPIC}.notes"))));
    env.clear_requests();
    let plan = env.plan();
    assert_eq!(plan.code, 1, "the move should be refused:\n{}", plan.all());
    let errors = error_messages(&plan.stderr);
    for named in ["terraform_data", TOPIC] {
        assert!(errors.contains(named), "the refusal does not name {named}: {errors}");
    }
    assert!(env.writes().is_empty(), "{:?}", env.writes());
    // Nothing moved.
    let state = go_state::pull(&env);
    let input = &attributes(&state, "terraform_data", "notes")["input"];
    assert_eq!(input, &json!({"value": "kafka topics to migrate: orders, audit", "type": "string"}));
    assert_eq!(state["resources"].as_array().unwrap().len(), 1, "{state:#}");
}
