//! huaweicloud_clouddc_instance through real Terraform against the simulator.

use crate::common;

use serde_json::{json, Value};

const ADDR: &str = "huaweicloud_clouddc_instance.a";
const IMAGE: &str = "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a";

/// Two interfaces (the second one's address chosen by the service unless `second` sets it),
/// metadata and placement.
fn full(image: &str, password: &str, second: &str) -> String {
    format!(
        r#"
resource "huaweicloud_clouddc_instance" "a" {{
  name        = "bm-e2e.01"
  image_id    = "{image}"
  vpc_id      = "vpc-e2e"
  password    = "{password}"
  description = "end to end"
  network_interfaces {{
    subnet_id    = "subnet-a"
    ipv4_address = "192.168.10.10"
  }}
  network_interfaces {{
    subnet_id = "subnet-b"
    {second}
  }}
  metadata = {{
    env          = "dev"
    "owner name" = "ops"
  }}
  placement {{
    server_id = "srv-e2e-1"
  }}
}}
"#
    )
}

/// The smallest valid configuration, with `extra` lines inside the resource.
fn minimal(extra: &str) -> String {
    format!(
        r#"
resource "huaweicloud_clouddc_instance" "a" {{
  name     = "bm-min"
  image_id = "{IMAGE}"
  vpc_id   = "vpc-e2e"
  password = "Secret-123"
  network_interfaces {{
    subnet_id = "subnet-a"
  }}
  {extra}
}}
"#
    )
}

fn sim_instance(env: &common::Env, id: &str) -> Value {
    env.sim_state("clouddc").into_iter().find(|i| i["id"] == id).unwrap_or(Value::Null)
}

fn all_terminated(env: &common::Env) {
    let left = env.sim_state("clouddc");
    assert!(left.iter().all(|i| i["state"] == "terminated"), "{left:?}");
}

#[test]
fn lifecycle_create_update_replace_import_destroy() {
    let Some(env) = common::env() else { return };

    // Create: the exact body, then running, then an empty plan.
    env.write(&full(IMAGE, "Secret-123", ""));
    env.apply();
    let creates: Vec<Value> =
        env.requests_matching("POST", "/instances").into_iter().filter(|r| r["status"] == 202).collect();
    assert_eq!(creates.len(), 1);
    assert_eq!(
        creates[0]["body"],
        json!({"name": "bm-e2e.01", "image_id": IMAGE, "vpc_id": "vpc-e2e", "password": hwsim::redacted("Secret-123"),
               "description": "end to end",
               "network_interfaces": [
                   {"subnet_id": "subnet-a", "ipv4_address": "192.168.10.10"}, {"subnet_id": "subnet-b"}
               ],
               "metadata": {"env": "dev", "owner name": "ops"}, "placement": {"server_id": "srv-e2e-1"}})
    );
    let id = env.id_of(ADDR);
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!((v["status"].as_str(), v["operation_state"].as_str()), (Some("running"), Some("install-succeed")));
    assert_eq!((v["server_id"].as_str(), v["os_type"].as_str()), (Some("srv-e2e-1"), Some("Linux")));
    assert!(v["image_name"].is_string() && v["launched_at"].is_string() && v["created_at"].is_string(), "{v}");
    let assigned = v["network_interfaces"][1]["ipv4_address"].as_str().expect("assigned address").to_string();
    assert!(assigned.starts_with("192.168."), "{assigned}");
    env.assert_no_changes();

    // The password changes in place.
    env.clear_requests();
    env.write(&full(IMAGE, "Newer-4567", ""));
    env.plans_in_place();
    env.apply();
    assert_eq!(env.id_of(ADDR), id);
    let put = env.writes();
    assert_eq!(put.len(), 1, "{put:?}");
    assert_eq!(put[0]["path"].as_str().unwrap().rsplit('/').next(), Some("password"));
    assert_eq!(put[0]["body"], json!({"new_password": hwsim::redacted("Newer-4567"), "instance_id_set": [id]}));
    assert_eq!(sim_instance(&env, &id)["_sim"]["password"], hwsim::redacted("Newer-4567"));
    env.assert_no_changes();

    // An interface address changes in place; the other one is sent unchanged.
    env.clear_requests();
    env.write(&full(IMAGE, "Newer-4567", r#"ipv4_address = "192.168.20.30""#));
    env.plans_in_place();
    env.apply();
    assert_eq!(env.id_of(ADDR), id);
    let put = env.writes();
    assert_eq!(put.len(), 1, "{put:?}");
    assert!(put[0]["path"].as_str().unwrap().ends_with(&format!("/{id}/ip")), "{put:?}");
    let nics = json!([
        {"subnet_id": "subnet-a", "ip_address": "192.168.10.10"},
        {"subnet_id": "subnet-b", "ip_address": "192.168.20.30"}
    ]);
    assert_eq!(put[0]["body"], json!({"vpc_id": "vpc-e2e", "nics": nics}));
    assert_eq!(sim_instance(&env, &id)["network_interfaces"][1]["ipv4_address"], "192.168.20.30");
    env.assert_no_changes();

    // A new image reinstalls in place with the configured password (one call, no separate password
    // change): same instance, same server, same addresses.
    const NEW_IMAGE: &str = "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f";
    let before = sim_instance(&env, &id);
    env.clear_requests();
    let config = full(NEW_IMAGE, "Reinstalled-8901", r#"ipv4_address = "192.168.20.30""#);
    env.write(&config);
    env.plans_in_place();
    env.apply();
    assert_eq!(env.id_of(ADDR), id);
    let put = env.writes();
    assert_eq!(put.len(), 1, "{put:?}");
    assert!(put[0]["path"].as_str().unwrap().ends_with("/instances/reinstall"), "{put:?}");
    assert_eq!(
        put[0]["body"],
        json!({"image_id": NEW_IMAGE, "password": hwsim::redacted("Reinstalled-8901"), "instance_id_set": [id]})
    );
    let after = sim_instance(&env, &id);
    assert_eq!(after["image"]["id"], NEW_IMAGE);
    assert_eq!(after["_sim"]["password"], hwsim::redacted("Reinstalled-8901"));
    assert_eq!(
        (&after["network_interfaces"], &after["server_id"]),
        (&before["network_interfaces"], &before["server_id"])
    );
    env.assert_no_changes();

    // Replacement: no API changes the description.
    let config = config.replace("end to end", "changed");
    env.write(&config);
    let plan = env.plan();
    assert!(plan.stdout.contains("must be replaced") && plan.stdout.contains("forces replacement"), "{}", plan.stdout);
    env.apply();
    let new_id = env.id_of(ADDR);
    assert_ne!(new_id, id);
    let old = sim_instance(&env, &id);
    assert!(old.is_null() || old["state"] == "terminated", "the old instance is deleted: {old}");
    env.assert_no_changes();

    // Import: password and placement are adopted from the configuration without any write.
    assert_eq!(env.tf(&["state", "rm", "-no-color", ADDR]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &new_id]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.applies_in_place_without_api_writes();
    assert_eq!(sim_instance(&env, &new_id)["_sim"]["password"], hwsim::redacted("Reinstalled-8901"));

    // Destroy leaves only terminated instances, which then disappear.
    env.destroy();
    all_terminated(&env);
}

#[test]
fn out_of_band_delete_is_detected_by_plan() {
    let Some(env) = common::env() else { return };
    env.write(&minimal(""));
    env.apply();
    let id = env.id_of(ADDR);
    env.delete_out_of_band("clouddc", &id);
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains(&format!("{ADDR} will be created")), "{}", plan.stdout);
    env.apply();
    assert_ne!(env.id_of(ADDR), id);
    env.destroy();
    all_terminated(&env);
}

#[test]
fn failing_create_keeps_the_id_in_state_tainted_and_destroy_cleans_up() {
    let Some(env) = common::env() else { return };
    env.fail_creates(json!({"service": "clouddc", "error_code": "iMetal.0300", "error_msg": "no idle server left"}));
    env.write(&minimal(""));
    let out = env.apply_fails();
    for part in ["entered status \"error\"", "iMetal.0300", "no idle server left", "tainted"] {
        assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
    }
    let r = env.resource(ADDR);
    let id = r["values"]["id"].as_str().expect("the id reached the state").to_string();
    assert_eq!(r["tainted"], true, "{r}");
    assert_eq!(r["values"]["status"], "error");
    assert_eq!(sim_instance(&env, &id)["state"], "error");
    env.destroy();
    all_terminated(&env);
}

/// Each invalid configuration fails at plan, names the attribute, and sends no request.
/// A few cases per kind of check prove the wiring through `terraform plan`; every case of the
/// validation tables is in `validation.rs`, without Terraform.
#[test]
fn invalid_configurations_fail_at_plan_without_any_request() {
    let Some(env) = common::env() else { return };
    let nic = |extra: &str| format!("network_interfaces {{\n subnet_id = \"subnet-b\"\n {extra}\n }}");
    let cases: Vec<(String, &[&str])> = vec![
        (minimal("").replace("bm-min", "has space"), &["name", "letters, digits, underscores"]),
        (minimal(&format!("{}\n{}", nic(""), nic(""))), &["network_interfaces", "1 to 2 elements, got 3"]),
        (
            minimal(&nic("ipv4_address = \"10.0.0.5\""))
                .replace("subnet_id = \"subnet-a\"", "subnet_id = \"subnet-a\"\n ipv4_address = \"10.0.0.5\""),
            &["network_interfaces", "lists ipv4_address"],
        ),
        (minimal("").replace("Secret-123", "Xroot-1234"), &["password", "\"root\""]),
        (minimal("metadata = { \"bad/key\" = \"v\" }"), &["metadata", "'/'"]),
    ];
    env.fail_at_plan_together("huaweicloud_clouddc_instance", &cases);
}

/// The password travels in request bodies only: at trace level the provider logs neither it nor the
/// request signature, on create nor on a password change.
#[test]
fn passwords_never_reach_the_provider_log() {
    let Some(env) = common::env() else { return };
    let log = env.path().join("trace.log");
    let log_path = log.to_str().unwrap();
    let mut provider_lines = Vec::new();
    for password in ["Initial-Pw-5150", "Changed-Pw-7272"] {
        env.write(&minimal("").replace("Secret-123", password));
        let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
        let out = env.spawn_tf_with(&args, &[("TF_LOG", "trace"), ("TF_LOG_PATH", log_path)]).wait_with_output();
        let out = out.unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = std::fs::read_to_string(&log).unwrap();
        provider_lines.extend(text.lines().filter(|l| l.contains("terraform-provider-huaweicloud")).map(String::from));
    }
    assert!(provider_lines.iter().any(|l| l.contains("/instances/password")), "the provider logged its calls");
    for secret in ["Initial-Pw-5150", "Changed-Pw-7272", "Signature="] {
        let leaks: Vec<&String> = provider_lines.iter().filter(|l| l.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret:?} appears in the provider's log: {leaks:?}");
    }
    env.destroy();
}
