//! huaweicloud_dms_kafka_instance through real Terraform against the simulator.

use crate::common;

use serde_json::{json, Value};

const ADDR: &str = "huaweicloud_dms_kafka_instance.a";

/// The required arguments, then `extra` lines.
fn kafka(name: &str, extra: &str) -> String {
    common::hcl::kafka("a", name, extra)
}

/// Every optional argument of the create table.
const ALL: &str = common::hcl::KAFKA_ALL;

#[test]
fn lifecycle_create_update_replace_import_destroy() {
    let Some(env) = common::env() else { return };

    // Create with every argument: the exact body, RUNNING, connection details, then an empty plan.
    env.write(&kafka("tf-kafka", ALL));
    env.apply();
    let creates = env.requests_matching("POST", "/instances");
    assert_eq!(creates.len(), 1);
    assert_eq!(
        creates[0]["body"],
        json!({"name": "tf-kafka", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
               "storage_space": 600, "vpc_id": "vpc-0001", "security_group_id": "sg-0001", "subnet_id": "subnet-0001",
               "available_zones": ["az1", "az2", "az3"], "product_id": "00300-30308-0--0",
               "kafka_manager_user": "manager", "kafka_manager_password": hwsim::redacted("Manager@Pass-02"),
               "storage_spec_code": "dms.physical.storage.ultra", "description": "first", "partition_num": 300,
               "ssl_enable": true, "access_user": "kafka-user", "password": hwsim::redacted("Kafka@Pass-01"),
               "maintain_begin": "22:00", "maintain_end": "02:00", "enable_publicip": true, "public_bandwidth": 100,
               "publicip_id": "eip-1,eip-2,eip-3", "retention_policy": "time_base", "connector_enable": false,
               "enable_auto_topic": true, "enterprise_project_id": "0",
               "tags": [{"key": "env", "value": "dev"}, {"key": "team", "value": "data"}]})
    );
    let id = env.id_of(ADDR);
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!(
        (v["status"].as_str(), v["port"].as_i64(), v["type"].as_str()),
        (Some("RUNNING"), Some(9093), Some("cluster"))
    );
    assert_eq!(v["connect_address"].as_str().unwrap().split(',').count(), 3);
    assert!(v["public_connect_address"].as_str().unwrap().ends_with(":9095"), "{v}");
    assert!(v["created_at"].as_str().unwrap().parse::<u64>().is_ok(), "{v}");
    assert_eq!((v["charging_mode"].as_i64(), v["node_num"].as_i64()), (Some(1), Some(3)));
    assert_eq!(v["sasl_enabled_mechanisms"], json!(["PLAIN"]));
    env.assert_no_changes();

    // In place, every group in one apply: one PUT with only the changed fields, the tag difference,
    // and the auto-topic switch (which restarts the instance); the id stays.
    env.clear_requests();
    let changed = ALL
        .replace("22:00", "02:00")
        .replace("\"02:00\"\n  enable", "\"06:00\"\n  enable")
        .replace("\"time_base\"", "\"produce_reject\"")
        .replace("enable_auto_topic     = true", "enable_auto_topic     = false")
        .replace("enterprise_project_id = \"0\"", "enterprise_project_id = \"0a1b2c3d-0000-4000-8000-00000000abcd\"")
        .replace("{ env = \"dev\", team = \"data\" }", "{ env = \"prod\", owner = \"me\" }");
    let config = kafka("tf-kafka-renamed", &changed).replace("sg-0001", "sg-0002");
    env.write(&config);
    let out = env.apply();
    assert!(out.stdout.contains("0 added, 1 changed, 0 destroyed"), "{}", out.stdout);
    assert_eq!(env.id_of(ADDR), id);
    let puts = env.requests_matching("PUT", &id);
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0]["body"],
        json!({"name": "tf-kafka-renamed", "security_group_id": "sg-0002", "retention_policy": "produce_reject",
               "enterprise_project_id": "0a1b2c3d-0000-4000-8000-00000000abcd",
               "maintain_begin": "02:00:00", "maintain_end": "06:00:00"})
    );
    let tags: Vec<Value> =
        env.requests_matching("POST", "/tags/action").into_iter().map(|r| r["body"].clone()).collect();
    assert_eq!(
        tags,
        vec![
            json!({"action": "delete", "tags": [{"key": "env", "value": "dev"}, {"key": "team", "value": "data"}]}),
            json!({"action": "create", "tags": [{"key": "env", "value": "prod"}, {"key": "owner", "value": "me"}]}),
        ]
    );
    let autotopic = env.requests_matching("POST", "/autotopic");
    assert_eq!(autotopic.len(), 1);
    assert_eq!(autotopic[0]["body"], json!({"enable_auto_topic": false}));
    let sim = &env.sim_state("kafka")[0];
    assert_eq!((sim["status"].as_str(), sim["enable_auto_topic"].as_bool()), (Some("RUNNING"), Some(false)));
    assert_eq!(
        (sim["maintain_begin"].as_str(), sim["security_group_id"].as_str()),
        (Some("02:00:00"), Some("sg-0002"))
    );
    env.assert_no_changes();

    // Only the description changes: the PUT carries it alone; clearing it sends "".
    env.write(&config.replace("\"first\"", "\"second\""));
    env.apply();
    assert_eq!(env.requests_matching("PUT", &id).last().unwrap()["body"], json!({"description": "second"}));
    env.write(&config.replace("description           = \"first\"", ""));
    env.apply();
    assert_eq!(env.requests_matching("PUT", &id).last().unwrap()["body"], json!({"description": ""}));
    env.assert_no_changes();

    // Replacement: the engine version has no update call.
    let config = config.replace("description           = \"first\"", "").replace("\"2.7\"", "\"3.x\"");
    env.write(&config);
    let plan = env.plan();
    assert!(
        plan.stdout.contains("forces replacement") && plan.stdout.contains("\"2.7\" -> \"3.x\""),
        "{}",
        plan.stdout
    );
    env.apply();
    let new_id = env.id_of(ADDR);
    assert_ne!(new_id, id);
    let ids: Vec<Value> = env.sim_state("kafka").into_iter().map(|o| o["instance_id"].clone()).collect();
    assert_eq!(ids, vec![json!(new_id)], "the old instance is deleted");
    env.assert_no_changes();

    // Import: what the API never returns (passwords, EIP ids) is adopted from the configuration in
    // place, without a replacement and without any call that changes the instance; what it returns
    // (the manager user included) is read back.
    assert_eq!(env.tf(&["state", "rm", "-no-color", ADDR]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &new_id]);
    assert_eq!(out.code, 0, "{}", out.all());
    let imported = env.resource(ADDR)["values"].clone();
    assert!(imported["password"].is_null() && imported["kafka_manager_password"].is_null(), "{imported}");
    assert_eq!(imported["kafka_manager_user"], "manager", "{imported}");
    env.applies_in_place_without_api_writes();

    // A slower delete passes through ERROR on its way out, which is not a failure; then nothing is left.
    env.set_config(json!({"delete_delay_ms": 1500}));
    env.destroy();
    assert!(env.sim_state("kafka").is_empty());
}

#[test]
fn defaults_out_of_band_delete_and_prepaid_guard() {
    let Some(env) = common::env() else { return };
    // Only the required arguments: the API's defaults read back without a diff
    // (partition_num "300", maintain window 22:00:00-02:00:00, retention policy, project "0").
    env.write(&kafka("tf-kafka-min", ""));
    env.apply();
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!((v["partition_num"].as_i64(), v["maintain_begin"].as_str()), (Some(300), Some("22:00")));
    assert_eq!((v["port"].as_i64(), v["enable_publicip"].as_bool()), (Some(9092), Some(false)));
    assert!(v["description"].is_null() && v["access_user"].is_null() && v["tags"].is_null(), "{v}");
    env.assert_no_changes();

    // A yearly/monthly instance is not destroyed, and the message says what to do.
    let id = env.id_of(ADDR);
    env.patch("kafka", &id, json!({"charging_mode": 0}));
    let out = env.tf(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(out.err().contains("Billing Center") && out.err().contains("terraform state rm"), "{}", out.stderr);
    assert!(env.requests_matching("DELETE", "/instances").is_empty());

    // Deleted out of band: the plan creates it again.
    env.delete_out_of_band("kafka", &id);
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains(&format!("{ADDR} will be created")), "{}", plan.stdout);
    assert!(plan.stdout.contains("1 to add, 0 to change, 0 to destroy"), "{}", plan.stdout);
}

#[test]
fn failures_busy_retries_and_api_judged_values() {
    let Some(env) = common::env() else { return };

    // A failed creation: fail fast with the status, the id in state, tainted; destroy cleans up.
    env.fail_creates(json!({"service": "kafka", "count": 1}));
    env.write(&kafka("tf-kafka-fail", ""));
    let out = env.apply_fails();
    for part in ["entered status \"CREATEFAILED\" while waiting for RUNNING", "tainted"] {
        assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
    }
    assert_eq!(env.resource(ADDR)["tainted"], true);
    env.destroy();
    assert!(env.sim_state("kafka").is_empty());

    // Catalog values are left to the API, whose answer is shown in full.
    env.write(&kafka("tf-kafka-catalog", "").replace("\"2.7\"", "\"9.9\""));
    let out = env.apply_fails();
    for part in [
        "POST /v2/",
        "HTTP 400",
        "DMS.00400000",
        "engine_version: \"9.9\" is not offered (known: 1.1.0, 2.3.0, 2.7, 3.x)",
        "request_id",
    ] {
        assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
    }
    assert!(env.resource(ADDR).is_null());

    // A busy instance (400 DMS.00400026) is waited for and the call resent.
    env.write(&kafka("tf-kafka-busy", ""));
    env.apply();
    let id = env.id_of(ADDR);
    env.fault(json!({"method": "PUT", "path_contains": id, "status": 400, "error_code": "DMS.00400026",
                     "error_msg": "The instance is busy", "count": 2}));
    env.write(&kafka("tf-kafka-busy", "retention_policy = \"time_base\""));
    env.apply();
    let puts = env.requests_matching("PUT", &id);
    assert_eq!(puts.iter().map(|r| r["status"].as_u64().unwrap()).collect::<Vec<_>>(), vec![400, 400, 204]);
    assert_eq!(env.sim_state("kafka")[0]["retention_policy"], "time_base");
    env.assert_no_changes();
    env.destroy();

    // A create answer lost after the service acted: nothing is resent, the instance is adopted.
    env.clear_requests();
    env.fault(
        json!({"method": "POST", "path_contains": "/instances", "status": 502, "count": 1, "after_processing": true}),
    );
    env.write(&kafka("tf-kafka-lost", ""));
    env.apply();
    assert_eq!(env.requests_matching("POST", "/instances").len(), 1);
    assert_eq!(env.state_ids(), env.sim_ids("kafka", "instance_id"));
    let listed = env.requests_matching("GET", "/instances");
    let query = json!({"engine": "kafka", "name": "tf-kafka-lost", "exact_match_name": "true",
                       "include_failure": "true", "limit": "50", "offset": "0"});
    assert_eq!(
        listed.iter().filter(|r| r["query"] == query).count(),
        3,
        "before the create, after its lost answer, and once it is ready: {listed:?}"
    );
    env.destroy();
    assert!(env.sim_state("kafka").is_empty());
}

/// Each invalid configuration fails at plan, names the attribute, and sends no request.
/// A few cases per kind of check prove the wiring through `terraform plan`; every case of the
/// validation tables is in `validation.rs`, without Terraform.
#[test]
fn invalid_configurations_fail_at_plan_without_any_request() {
    let Some(env) = common::env() else { return };
    let ok = |extra: &str| kafka("tf-kafka", extra);
    let cases: Vec<(String, &[&str])> = vec![
        (kafka("1kafka", ""), &["name", "starts with a letter"]),
        (ok("ssl_enable = true"), &["access_user", "password", "is required when ssl_enable is true"]),
        (
            ok("ssl_enable = true\n access_user = \"kafka-user\"\n password = \"Ab1@\""),
            &["password", "8 to 32 characters"],
        ),
        (
            ok("").replace("Manager@Pass-02", "-Manager@Pass"),
            &["kafka_manager_password", "must not start with a hyphen"],
        ),
        (
            ok("").replace("[\"az1\", \"az2\", \"az3\"]", "[\"az1\", null, \"az3\"]"),
            &["available_zones[1] element 1 must not be null"],
        ),
        (ok("").replace("storage_space          = 600", "storage_space = 600.5"), &["storage_space", "whole number"]),
    ];
    let out = env.fail_at_plan_together("huaweicloud_dms_kafka_instance", &cases);
    // Terraform quotes the configuration line; the provider's own messages never show a password.
    for line in out.stderr.lines().filter(|l| l.contains(" must ")) {
        for secret in ["manager-pass", "-Manager@Pass", "Ab1@"] {
            assert!(!line.contains(secret), "a password was echoed: {line}");
        }
    }
}

/// Storage grows, the product changes and both passwords are reset in place: same instance, each call
/// once (a busy answer waited for), the new values read back, shrinking refused at plan, and no
/// password in a trace log.
#[test]
fn storage_product_and_passwords_change_in_place() {
    let Some(env) = common::env() else { return };
    const SASL: &str = "ssl_enable = true\n  access_user = \"kafka-user\"";
    let config = |storage: u32, product: &str, spec: &str, manager: &str, sasl: &str| {
        kafka("tf-kafka-grow", &format!("{SASL}\n  password = \"{sasl}\""))
            .replace("storage_space          = 600", &format!("storage_space = {storage}"))
            .replace("\"00300-30308-0--0\"", &format!("\"{product}\""))
            .replace("\"100MB\"", &format!("\"{spec}\""))
            .replace("Manager@Pass-02", manager)
    };
    let extends = |env: &common::Env| -> Vec<Value> {
        env.requests_matching("POST", "/extend").into_iter().map(|r| json!([r["status"], r["body"]])).collect()
    };
    env.write(&config(600, "00300-30308-0--0", "100MB", "Manager@Pass-02", "Kafka@Pass-01"));
    env.apply();
    let id = env.id_of(ADDR);

    // Grow 600 -> 900 GB: one extend (resent once after a busy answer), EXTENDING, then RUNNING at 900.
    env.clear_requests();
    env.fault(
        json!({"method": "POST", "path_contains": "/extend", "status": 400, "error_code": "DMS.00400026", "count": 1}),
    );
    env.write(&config(900, "00300-30308-0--0", "100MB", "Manager@Pass-02", "Kafka@Pass-01"));
    env.plans_in_place();
    env.apply();
    assert_eq!(env.id_of(ADDR), id);
    let storage = json!({"oper_type": "storage", "new_storage_space": 900});
    assert_eq!(extends(&env), vec![json!([400, storage]), json!([200, storage])]);
    assert_eq!(env.sim_state("kafka")[0]["storage_space"], 900);
    assert_eq!(env.resource(ADDR)["values"]["storage_space"], 900);
    env.assert_no_changes();

    // Shrinking is refused at plan, naming the attribute and how to replace deliberately; nothing is sent.
    env.clear_requests();
    env.write(&config(800, "00300-30308-0--0", "100MB", "Manager@Pass-02", "Kafka@Pass-01"));
    let plan = env.plan();
    assert_eq!(plan.code, 1, "{}", plan.all());
    for part in ["storage_space cannot shrink from 900 to 800", "terraform destroy -refresh=false -target=ADDRESS"] {
        assert!(plan.err().contains(part), "{part:?}:\n{}", plan.stderr);
    }
    assert!(env.writes().is_empty());
    // So is a specification without its product.
    env.write(&config(900, "00300-30308-0--0", "300MB", "Manager@Pass-02", "Kafka@Pass-01"));
    let plan = env.plan();
    assert!(plan.code == 1 && plan.err().contains("changes only together with product_id"), "{}", plan.all());

    // Storage and product in one apply: storage first, each waited for, then the product's specification.
    env.clear_requests();
    env.write(&config(1000, "00300-30310-0--0", "300MB", "Manager@Pass-02", "Kafka@Pass-01"));
    env.plans_in_place();
    env.apply();
    assert_eq!(env.id_of(ADDR), id);
    let vertical = json!({"oper_type": "vertical", "new_product_id": "00300-30310-0--0"});
    assert_eq!(
        extends(&env),
        vec![json!([200, {"oper_type": "storage", "new_storage_space": 1000}]), json!([200, vertical])]
    );
    let sim = &env.sim_state("kafka")[0];
    assert_eq!((sim["specification"].as_str(), sim["storage_space"].as_i64()), (Some("300MB"), Some(1000)));
    env.assert_no_changes();

    // Both passwords in place, through their own calls; neither reaches the plan, the output or the log.
    env.clear_requests();
    const NEW_MANAGER: &str = "Manager@Pass-77";
    const NEW_SASL: &str = "Kafka@Pass-88";
    env.write(&config(1000, "00300-30310-0--0", "300MB", NEW_MANAGER, NEW_SASL));
    env.plans_in_place();
    let log = env.path().join("trace.log");
    let out = env
        .spawn_tf_with(
            &["apply", "-auto-approve", "-input=false", "-no-color"],
            &[("TF_LOG", "trace"), ("TF_LOG_PATH", log.to_str().unwrap())],
        )
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(env.id_of(ADDR), id);
    let writes: Vec<String> = env
        .writes()
        .iter()
        .map(|r| format!("{} {}", r["method"].as_str().unwrap(), r["path"].as_str().unwrap()))
        .collect();
    let instance = format!("/v2/0123456789abcdef0123456789abcdef/instances/{id}");
    assert_eq!(writes, [format!("PUT {instance}/kafka-manager-password"), format!("POST {instance}/password")]);
    assert_eq!(env.sim_state("kafka")[0]["_sim"]["passwords_changed"], json!(["manager", "sasl"]));
    let text = std::fs::read_to_string(&log).unwrap();
    let shown = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for secret in [NEW_MANAGER, NEW_SASL] {
        assert!(!text.contains(secret), "{secret} is in the trace log");
        assert!(!shown.contains(secret), "{secret} is in terraform's output");
    }
    env.assert_no_changes();

    // The advice for a smaller disk works: destroy this instance deliberately, then apply.
    env.write(&config(800, "00300-30310-0--0", "300MB", NEW_MANAGER, NEW_SASL));
    let out = env.tf(&[
        "destroy",
        "-auto-approve",
        "-refresh=false",
        "-input=false",
        "-no-color",
        &format!("-target={ADDR}"),
    ]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.apply();
    assert_ne!(env.id_of(ADDR), id);
    assert_eq!(env.sim_state("kafka")[0]["storage_space"], 800);
    env.destroy();
    assert!(env.sim_state("kafka").is_empty());
}

/// An update that fails part-way keeps a password change that was not sent yet: the next apply sends it.
#[test]
fn a_failed_resize_keeps_the_password_change_for_the_next_apply() {
    let Some(env) = common::env() else { return };
    env.write(&kafka("tf-kafka-partial", ""));
    env.apply();
    env.clear_requests();
    env.fault(json!({"method": "POST", "path_contains": "/extend", "status": 500, "count": 1}));
    let changed = kafka("tf-kafka-partial", "")
        .replace("storage_space          = 600", "storage_space = 700")
        .replace("Manager@Pass-02", "Manager@Pass-03");
    env.write(&changed);
    let out = env.apply_fails();
    assert!(out.err().contains("HTTP 500"), "{}", out.stderr);
    assert!(env.requests_matching("PUT", "kafka-manager-password").is_empty(), "the resize failed first");
    // The plan still holds both changes; applying again sends both.
    env.plans_in_place();
    env.apply();
    assert_eq!(env.requests_matching("PUT", "kafka-manager-password").len(), 1);
    assert_eq!(env.sim_state("kafka")[0]["storage_space"], 700);
    assert_eq!(env.sim_state("kafka")[0]["_sim"]["passwords_changed"], json!(["manager"]));
    env.assert_no_changes();
    env.destroy();
}
