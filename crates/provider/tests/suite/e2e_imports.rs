//! Reads that round-trip: each resource created with every argument set, removed from the state and
//! imported, plans no change but for the values the API never returns (the write-only arguments its docs
//! name); IoTDA's maintenance window ending at 24:00 applies and reads back.

use serde_json::{json, Value};

use hwprovider::engine::field::write_only_paths;
use hwprovider::resources::defs;

use crate::common;

/// The attribute paths of a resource's write-only arguments (`password`, `charge_info.period_num`).
fn write_only(resource: &str) -> Vec<String> {
    let def = defs().into_iter().find(|d| format!("huaweicloud_{}", d.name) == resource).expect("a resource");
    write_only_paths(def.fields)
}

/// The leaf paths where `before` and `after` differ (elements of a list of blocks by their fields).
fn differences(before: &Value, after: &Value, at: &str, out: &mut Vec<String>) {
    if before == after {
        return;
    }
    let join = |k: &str| if at.is_empty() { k.to_string() } else { format!("{at}.{k}") };
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for k in a.keys().chain(b.keys()) {
                differences(a.get(k).unwrap_or(&Value::Null), b.get(k).unwrap_or(&Value::Null), &join(k), out);
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() && a.iter().all(Value::is_object) => {
            for (x, y) in a.iter().zip(b) {
                differences(x, y, at, out);
            }
        }
        _ => out.push(at.to_string()),
    }
}

/// The actions and the changed attribute paths a plan has for `address`.
fn planned(env: &common::Env, address: &str) -> (Vec<String>, Vec<String>) {
    let out = env.tf(&["plan", "-input=false", "-no-color", "-out=round-trip.plan"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let show = env.tf(&["show", "-json", "round-trip.plan"]);
    let plan: Value = serde_json::from_str(&show.stdout).unwrap();
    let changes = plan["resource_changes"].as_array().cloned().unwrap_or_default();
    let Some(change) = changes.iter().find(|c| c["address"] == address) else { return (vec![], vec![]) };
    let actions = change["change"]["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string());
    let mut paths = Vec::new();
    differences(&change["change"]["before"], &change["change"]["after"], "", &mut paths);
    paths.sort();
    paths.dedup();
    (actions.collect(), paths)
}

/// Create `hcl`, forget it, import it by its id, and check that the plan changes nothing the API
/// returns; then the write-only values are recorded without a write and the plan is empty.
fn round_trip(env: &common::Env, address: &str, hcl: &str) {
    env.write(hcl);
    env.apply();
    env.assert_no_changes();
    let id = env.id_of(address);
    assert_eq!(env.tf(&["state", "rm", "-no-color", address]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", address, &id]);
    assert_eq!(out.code, 0, "{}", out.all());
    let (actions, paths) = planned(env, address);
    let resource = address.split('.').next().unwrap();
    let allowed = write_only(resource);
    eprintln!("{address}: after import the plan changes {paths:?} (write-only: {allowed:?})");
    let unexpected: Vec<&String> =
        paths.iter().filter(|p| !allowed.iter().any(|a| *p == a || p.starts_with(&format!("{a}.")))).collect();
    assert!(unexpected.is_empty(), "{address}: import does not round-trip {unexpected:?} (write-only: {allowed:?})");
    assert!(actions.iter().all(|a| a == "no-op" || a == "update"), "{address}: {actions:?}");
    if !paths.is_empty() {
        env.applies_in_place_without_api_writes();
    }
    env.assert_no_changes();
}

#[test]
fn iotda_enterprise_instance_with_every_argument_round_trips() {
    let Some(env) = common::env() else { return };
    round_trip(
        &env,
        "huaweicloud_iotda_instance.a",
        r#"
resource "huaweicloud_iotda_instance" "a" {
  name                  = "tf-import-iot"
  instance_type         = "enterprise"
  description           = "every argument"
  enterprise_project_id = "d22e47e9-cfad-4254-8a29-d2a56a07681d"
  tags                  = { env = "prod", team = "" }
  operate_window        = { start_time = "22:00", end_time = "24:00" }
  flavor {
    type = "iotda.enterprise.1000tps.10wonlinedevice"
  }
  charge_info {
    charge_mode = "postPaid"
  }
  additional_params {
    vpc_id              = "40926909-d411-45dd-a8b4-1ebc36512345"
    subnet_id           = "088c7d8a-f49e-4f5f-bd33-ce9b6b712345"
    security_group_id   = "55980b43-f006-4dbf-ab58-9b0d9e712345"
    smn_topic_urn       = "urn:smn:cn-north-4:0123:created"
    ciphering_algorithm = "SM_ALGORITHM"
    port_info {
      app_https_port   = 8443
      device_mqtt_port = 11883
    }
  }
}
"#,
    );
    env.destroy();
}

#[test]
fn kafka_instance_with_every_argument_round_trips() {
    let Some(env) = common::env() else { return };
    let all = common::hcl::KAFKA_ALL.replace("connector_enable      = false", "connector_enable      = true");
    round_trip(&env, "huaweicloud_dms_kafka_instance.a", &common::hcl::kafka("a", "tf-import-kafka", &all));
    env.destroy();
}

/// A placement is imported from the instance's server, so an import with one plans nothing.
#[test]
fn clouddc_instance_with_placement_round_trips() {
    let Some(env) = common::env() else { return };
    let all = r#"
  description = "every argument"
  metadata    = { env = "dev" }
  network_interfaces {
    subnet_id    = "subnet-b"
    ipv4_address = "192.168.20.20"
  }
  placement {
    server_id = "srv-import-1"
  }
"#;
    let hcl = common::hcl::clouddc("a", "tf-import-bm", all);
    round_trip(&env, "huaweicloud_clouddc_instance.a", &hcl);

    // Removing the placement records it; another server than the instance's replaces the instance.
    env.write(&hcl.replace("placement {\n    server_id = \"srv-import-1\"\n  }", ""));
    env.applies_in_place_without_api_writes();
    env.write(&hcl);
    env.applies_in_place_without_api_writes();
    env.write(&hcl.replace("srv-import-1", "srv-import-2"));
    let plan = env.plan();
    assert!(plan.code == 2 && plan.stdout.contains("forces replacement"), "{}", plan.all());
    env.destroy();
}

/// A topic's configurations are imported (those not at their default), so the import plans nothing.
#[test]
fn topic_with_configurations_round_trips() {
    let Some(env) = common::env() else { return };
    let hcl = format!(
        "{}{}",
        common::hcl::kafka("k", "tf-import-topics", ""),
        r#"
resource "huaweicloud_dms_kafka_topic" "a" {
  instance_id        = huaweicloud_dms_kafka_instance.k.id
  name               = "orders"
  partition          = 6
  replication        = 3
  sync_replication   = true
  retention_time     = 48
  sync_message_flush = true
  topic_desc         = "every argument"
  topic_other_configs {
    name  = "max.message.bytes"
    value = "2097152"
  }
  topic_other_configs {
    name  = "cleanup.policy"
    value = "compact"
  }
}
"#
    );
    round_trip(&env, "huaweicloud_dms_kafka_topic.a", &hcl);
    env.destroy();
}

/// A window ending at 24:00, as the show-instance document answers it: set by the update call once
/// the instance is ready (the create body has no window), read back, and an empty plan; without one, the
/// service's window is kept and nothing is planned.
#[test]
fn iotda_operate_window_until_midnight_applies_and_reads_back() {
    let Some(env) = common::env() else { return };
    let window = r#"operate_window = { start_time = "22:00", end_time = "24:00" }"#;
    env.write(&common::hcl::iotda("a", "\"tf-window\"", window));
    env.apply();
    let id = env.id_of("huaweicloud_iotda_instance.a");
    let create = env.requests_matching("POST", "/iotda-instances");
    assert!(create[0]["body"].get("operate_window").is_none(), "{}", create[0]["body"]);
    let puts = env.requests_matching("PUT", &id);
    assert_eq!(puts.len(), 1, "{puts:?}");
    assert_eq!(puts[0]["body"], json!({"operate_window": {"start_time": "22:00", "end_time": "24:00"}}));
    let sim = env.sim_state("iotda");
    assert_eq!(sim[0]["operate_window"], json!({"start_time": "22:00", "end_time": "24:00"}));
    let state = env.resource("huaweicloud_iotda_instance.a");
    assert_eq!(state["values"]["operate_window"], json!({"start_time": "22:00", "end_time": "24:00"}));
    env.assert_no_changes();

    // Changed in place; then left out of the configuration: the service's window stays, nothing planned.
    env.clear_requests();
    env.write(&common::hcl::iotda("a", "\"tf-window\"", &window.replace("22:00", "01:00")));
    env.plans_in_place();
    env.apply();
    assert_eq!(env.requests_matching("PUT", &id)[0]["body"]["operate_window"]["start_time"], "01:00");
    env.write(&common::hcl::iotda("a", "\"tf-window\"", ""));
    env.assert_no_changes();
    env.destroy();

    // An instance created without a window shows the service's own.
    env.apply();
    let state = env.resource("huaweicloud_iotda_instance.a");
    assert_eq!(state["values"]["operate_window"], json!({"start_time": "02:00", "end_time": "06:00"}));
    env.assert_no_changes();

    // Setting the window after the create fails: a warning, the instance is not tainted, and the next
    // plan sets the window in place.
    env.destroy();
    env.fault(json!({"method": "PUT", "path_contains": "iotda-instances/", "status": 400, "count": 1,
                     "error_code": "IOTDA.000006", "error_msg": "refused"}));
    env.write(&common::hcl::iotda("a", "\"tf-window\"", window));
    let out = env.apply();
    let text = out.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("was created, but setting operate_window failed"), "{}", out.all());
    assert_ne!(env.resource("huaweicloud_iotda_instance.a")["tainted"], true);
    env.plans_in_place();
    env.apply();
    env.assert_no_changes();

    // A window past the end of the day fails at plan, naming the member.
    env.fails_at_plan_without_requests(
        &common::hcl::iotda("a", "\"tf-window\"", &window.replace("24:00", "24:30")),
        &["operate_window.end_time", "00:00 to 24:00"],
    );
    env.write(&common::hcl::iotda("a", "\"tf-window\"", ""));
    env.destroy();
}
