//! Provider settings migrating users expect, through real Terraform: credentials from the Huawei Cloud
//! CLI's shared configuration file and a named profile (no keys in the block or the environment), and a
//! default enterprise project that new instances without one of their own get, shown in the plan.

use serde_json::json;

use crate::common::{self, hcl};

const EPS: &str = "0e9a1b2c-0000-4000-8000-000000000001";

fn run(env: &common::Env, args: &[&str], vars: &[(&str, &str)]) -> common::Out {
    let out = env.spawn_tf_with(args, vars).wait_with_output().unwrap();
    common::Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn shared_config_profile_and_default_enterprise_project() {
    let Some(env) = common::env() else { return };
    let file = env.path().join("hcloud.json");
    let profiles = json!({"current": "other", "profiles": [
        {"name": "other", "accessKeyId": "WRONGKEY", "secretAccessKey": "wrong", "region": "cn-east-3"},
        {"name": "sim", "accessKeyId": "SIMULATORACCESSKEY01", "secretAccessKey": "simulator-secret-key-0123456789",
         "region": "cn-north-4"}
    ]});
    std::fs::write(&file, profiles.to_string()).unwrap();
    let provider = env
        .provider_block()
        .replace("  region     = \"cn-north-4\"\n", "")
        .replace("  access_key = \"SIMULATORACCESSKEY01\"\n", "")
        .replace(
            "  secret_key = \"simulator-secret-key-0123456789\"\n",
            &format!("  enterprise_project_id = \"{EPS}\"\n"),
        );
    assert!(!provider.contains("access_key") && provider.contains("enterprise_project_id"), "{provider}");
    let config = format!(
        "{provider}{}{}",
        hcl::iotda("i", "\"iot-eps\"", ""),
        hcl::kafka("k", "kafka-eps", "enterprise_project_id = \"0\"")
    );
    env.write_raw(&config);
    let file = file.display().to_string();
    let vars = [("HW_SHARED_CONFIG_FILE", file.as_str()), ("HW_PROFILE", "sim")];

    let plan = run(&env, &["plan", "-no-color", "-input=false"], &vars);
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(
        plan.stdout.contains(&format!("enterprise_project_id = \"{EPS}\"")),
        "the default is in the plan:\n{}",
        plan.stdout
    );
    let apply = run(&env, &["apply", "-no-color", "-input=false", "-auto-approve"], &vars);
    assert_eq!(apply.code, 0, "{}", apply.all());
    let creates = env.writes();
    let iotda = creates.iter().find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/iotda-instances"))).unwrap();
    assert_eq!(iotda["body"]["enterprise_project_id"], EPS, "the IoTDA create carries the default");
    let kafka = creates
        .iter()
        .find(|r| r["path"].as_str().is_some_and(|p| p.ends_with("/instances") && p.starts_with("/v2")))
        .unwrap();
    assert_eq!(kafka["body"]["enterprise_project_id"], "0", "an instance's own value wins");
    let again = run(&env, &["plan", "-no-color", "-input=false", "-detailed-exitcode"], &vars);
    assert_eq!(again.code, 0, "no changes after apply:\n{}", again.all());

    // The file's current profile holds keys the simulator refuses: the profile really chose the keys.
    let wrong =
        run(&env, &["plan", "-no-color", "-input=false", "-refresh=true"], &[("HW_SHARED_CONFIG_FILE", file.as_str())]);
    assert_eq!(wrong.code, 1, "{}", wrong.all());
    assert!(wrong.err().contains("IAM refused the credentials") || wrong.err().contains("401"), "{}", wrong.stderr);

    let destroy = run(&env, &["destroy", "-no-color", "-input=false", "-auto-approve"], &vars);
    assert_eq!(destroy.code, 0, "{}", destroy.all());
}

/// The provider's log lines reach Terraform's log at their own level, one per API call with its method,
/// path, status, request id, attempt and latency; `TF_LOG_PROVIDER` filters them; no secret appears.
#[test]
fn log_lines_are_shown_at_their_level_and_filtered_by_tf_log_provider() {
    let Some(env) = common::env() else { return };
    env.write("data \"huaweicloud_iotda_instances\" \"all\" {}\n");
    let read_log = |level: &str| {
        let log = env.path().join(format!("{level}.log"));
        let path = log.display().to_string();
        let out = run(
            &env,
            &["plan", "-no-color", "-input=false"],
            &[("TF_LOG_PROVIDER", level), ("TF_LOG_PATH", path.as_str())],
        );
        assert_eq!(out.code, 0, "{}", out.all());
        std::fs::read_to_string(&log).unwrap()
    };
    let debug = read_log("DEBUG");
    let calls: Vec<&str> = debug
        .lines()
        .filter(|l| l.contains("[DEBUG] provider.terraform-provider-huaweicloud: Huawei Cloud API call:"))
        .collect();
    assert!(calls.len() >= 2, "one line per call (IAM lookup, list): {debug}");
    for field in ["method=GET", "path=/v5/iot/", "status=200", "request_id=", "attempt=1", "latency_ms="] {
        assert!(calls.iter().any(|l| l.contains(field)), "{field} missing from {calls:#?}");
    }
    assert!(!debug.contains("{\"@level\""), "a line was shown as raw JSON: Terraform did not parse it");
    for secret in ["simulator-secret-key-0123456789", "Signature=", "SDK-HMAC-SHA256 Access"] {
        assert!(!debug.contains(secret), "{secret} reached the log");
    }
    let info = read_log("INFO");
    assert!(!info.contains("Huawei Cloud API call"), "TF_LOG_PROVIDER=INFO shows no DEBUG line");
}
