//! Write-only secrets (Terraform 1.11): with only `_wo` passwords, no password is in `terraform state
//! pull`, in the plan's JSON or in the provider's log; each reaches its API call; a `_wo_version` bump
//! rotates each through the call a change of the plain argument makes; a secret and its twin conflict at
//! validation, before any request.

use serde_json::{json, Value};

use crate::common::{self, hcl, Env};

const KAFKA: &str = "huaweicloud_dms_kafka_instance.k";
const USER: &str = "huaweicloud_dms_kafka_user.u";
const BM: &str = "huaweicloud_clouddc_instance.bm";

/// The passwords come from ephemeral variables (as a real configuration would give them: a literal in
/// the configuration is shown by `terraform show -json` as the expression it is), set in an
/// `.auto.tfvars` file.
const VARIABLES: &str = r#"
variable "sasl" {
  type      = string
  ephemeral = true
}
variable "manager" {
  type      = string
  ephemeral = true
}
variable "user" {
  type      = string
  ephemeral = true
}
variable "metal" {
  type      = string
  ephemeral = true
}
"#;

/// Every password of `version` as the variables' values.
fn set_passwords(env: &Env, version: u32, user: &str) {
    let s = secrets(version);
    let vars = format!("sasl = \"{}\"\nmanager = \"{}\"\nuser = \"{user}\"\nmetal = \"{}\"\n", s[0], s[1], s[3]);
    std::fs::write(env.path().join("secrets.auto.tfvars"), vars).unwrap();
}

/// A SASL Kafka instance, a user on it and a CloudDC instance, every password write-only at `version`.
fn config(version: u32) -> String {
    let kafka = hcl::kafka(
        "k",
        "tf-wo",
        &format!(
            "ssl_enable = true\n  access_user = \"admin-user\"\n  password_wo = var.sasl\n  \
password_wo_version = {version}\n  kafka_manager_password_wo = var.manager\n  \
kafka_manager_password_wo_version = {version}"
        ),
    )
    .replace("  kafka_manager_password = \"Manager@Pass-02\"\n", "");
    let bm = hcl::clouddc("bm", "bm-wo.01", "")
        .replace("password = \"Secret-123\"", &format!("password_wo = var.metal\n  password_wo_version = {version}"));
    format!(
        r#"{kafka}
resource "huaweicloud_dms_kafka_user" "u" {{
  instance_id         = huaweicloud_dms_kafka_instance.k.id
  name                = "orders-app"
  password_wo         = var.user
  password_wo_version = {version}
}}
{bm}{VARIABLES}"#
    )
}

fn secrets(version: u32) -> Vec<String> {
    ["Sasl@Pass", "Manager@Pass", "User@Pass", "Metal@Pass"].iter().map(|b| format!("{b}-{version}")).collect()
}

/// No secret of `version` in `text`.
fn clean(what: &str, text: &str, version: u32) {
    for secret in secrets(version) {
        assert!(!text.contains(&secret), "{secret} is in the {what}");
    }
}

/// An apply at trace level; its whole log (Terraform's lines and the provider's).
fn apply_logged(env: &Env) -> String {
    let log = env.path().join("trace.log");
    let _ = std::fs::remove_file(&log);
    let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
    let out = env.spawn_tf_with(&args, &[("TF_LOG", "trace"), ("TF_LOG_PATH", log.to_str().unwrap())]);
    let out = out.wait_with_output().unwrap();
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("terraform-provider-huaweicloud"), "the log has the provider's lines");
    text
}

/// The plan as JSON, from a saved plan file.
fn plan_json(env: &Env) -> String {
    let plan = env.tf(&["plan", "-input=false", "-no-color", "-out=wo.tfplan"]);
    assert!(plan.code == 0, "{}", plan.all());
    let show = env.tf(&["show", "-json", "wo.tfplan"]);
    assert_eq!(show.code, 0, "{}", show.all());
    show.stdout
}

fn sim_secret(env: &Env, service: &str, id_key: &str, id: &str, key: &str) -> Value {
    let all = env.sim_state(service);
    let found = all.iter().find(|o| o[id_key] == id || o["_sim"][id_key] == id);
    found.map(|o| o["_sim"][key].clone()).unwrap_or(Value::Null)
}

#[test]
fn write_only_passwords_reach_their_calls_and_never_the_plan_state_or_log_and_rotate_by_version() {
    let Some(env) = common::env() else { return };
    set_passwords(&env, 1, "User@Pass-1");
    env.write(&config(1));
    clean("plan JSON", &plan_json(&env), 1);
    let log = apply_logged(&env);
    assert!(log.contains("/instances"), "the provider logged its calls");
    clean("trace log", &log, 1);
    let state = env.tf(&["state", "pull"]).stdout;
    clean("state", &state, 1);
    let pulled: Value = serde_json::from_str(&state).unwrap();
    for r in pulled["resources"].as_array().unwrap() {
        let a = &r["instances"][0]["attributes"];
        for name in ["password", "password_wo", "kafka_manager_password", "kafka_manager_password_wo"] {
            assert!(a.get(name).is_none_or(Value::is_null), "{}.{name} = {} in the state", r["type"], a[name]);
        }
    }
    // Each secret reached its create call (the simulator keeps only a digest of it).
    let creates = env.requests_matching("POST", "/instances");
    let kafka_create = creates.iter().map(|r| &r["body"]).find(|b| b["engine"] == "kafka").expect("a Kafka create");
    assert_eq!(kafka_create["password"], hwsim::redacted("Sasl@Pass-1"));
    assert_eq!(kafka_create["kafka_manager_password"], hwsim::redacted("Manager@Pass-1"));
    let user_create = env.requests_matching("POST", "/users");
    assert_eq!(user_create[0]["body"]["user_passwd"], hwsim::redacted("User@Pass-1"));
    let bm_id = env.id_of(BM);
    assert_eq!(sim_secret(&env, "clouddc", "id", &bm_id, "password"), hwsim::redacted("Metal@Pass-1"));
    env.assert_no_changes();

    // A version bump with new values: each password goes through its reset call, once, and nowhere else.
    set_passwords(&env, 2, "User@Pass-2");
    env.write(&config(2));
    clean("plan JSON", &plan_json(&env), 2);
    env.clear_requests();
    let log = apply_logged(&env);
    clean("trace log", &log, 2);
    clean("state", &env.tf(&["state", "pull"]).stdout, 2);
    let writes = env.writes();
    let sent: Vec<(String, Value)> =
        writes.iter().map(|w| (w["path"].as_str().unwrap_or("").to_string(), w["body"].clone())).collect();
    let kafka_id = env.id_of(KAFKA);
    let expect = [
        (format!("/instances/{kafka_id}/password"), json!({"new_password": hwsim::redacted("Sasl@Pass-2")})),
        (
            format!("/instances/{kafka_id}/kafka-manager-password"),
            json!({"new_password": hwsim::redacted("Manager@Pass-2")}),
        ),
        ("/users/orders-app".to_string(), json!({"new_password": hwsim::redacted("User@Pass-2")})),
        (
            "/instances/password".to_string(),
            json!({"new_password": hwsim::redacted("Metal@Pass-2"), "instance_id_set": [bm_id]}),
        ),
    ];
    assert_eq!(sent.len(), expect.len(), "{sent:#?}");
    for (suffix, body) in expect {
        assert!(sent.iter().any(|(p, b)| p.ends_with(&suffix) && *b == body), "no {suffix} with {body} in {sent:#?}");
    }
    env.assert_no_changes();

    // The same version with another value sends nothing: only a version change applies a new value.
    set_passwords(&env, 2, "User@Pass-9");
    env.assert_no_changes();

    // A rotation whose call fails keeps the old version in the state, so the next apply sends it again.
    set_passwords(&env, 3, "User@Pass-3");
    env.write(&config(3));
    env.fault(json!({"status": 400, "path_contains": "/users/orders-app", "count": 1000}));
    let failed = env.apply_fails();
    assert!(failed.all().contains("orders-app"), "{}", failed.all());
    let version = |env: &Env| env.resource(USER)["values"]["password_wo_version"].clone();
    assert_eq!(version(&env), json!(2), "the failed rotation was recorded as done");
    env.clear_faults();
    env.clear_requests();
    env.apply();
    let resets = env.requests_matching("PUT", "/users/orders-app");
    assert_eq!(resets.len(), 1, "{resets:#?}");
    assert_eq!(resets[0]["body"], json!({"new_password": hwsim::redacted("User@Pass-3")}));
    assert_eq!(version(&env), json!(3));
    env.assert_no_changes();
    env.destroy();
}

#[test]
fn a_secret_and_its_write_only_twin_conflict_at_validation() {
    let Some(env) = common::env() else { return };
    let both = hcl::kafka("k", "tf-wo-both", "kafka_manager_password_wo = \"Manager@Pass-09\"");
    let version_alone = hcl::kafka("k", "tf-wo-version", "password_wo_version = 1");
    let neither = hcl::clouddc("bm", "bm-wo.02", "").replace("password = \"Secret-123\"", "");
    let weak = hcl::clouddc("bm", "bm-wo.03", "").replace("password = \"Secret-123\"", "password_wo = \"short\"");
    env.fails_at_plan_without_requests(&both, &["kafka_manager_password_wo", "conflicts with kafka_manager_password"]);
    env.fails_at_plan_without_requests(&version_alone, &["password_wo_version", "is the version of password_wo"]);
    env.fails_at_plan_without_requests(
        &neither,
        &["password", "is required: set password or its write-only form password_wo"],
    );
    // The plain argument's rules hold for its twin, and name it.
    env.fails_at_plan_without_requests(&weak, &["password_wo"]);
}
