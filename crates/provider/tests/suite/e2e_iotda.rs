//! huaweicloud_iotda_instance through real Terraform against the simulator.

use crate::common;

use serde_json::json;

const ADDR: &str = "huaweicloud_iotda_instance.a";

fn standard(name: &str, extra: &str) -> String {
    common::hcl::iotda("a", &format!("{name:?}"), extra)
}

#[test]
fn lifecycle_create_update_replace_import_destroy() {
    let Some(env) = common::env() else { return };

    // Create: the exact body, then ACTIVE, then an empty plan.
    env.write(&standard(
        "tf-e2e",
        r#"description = "first" 
  tags = { env = "dev", team = "iot" }"#,
    ));
    env.apply();
    let creates = env.requests_matching("POST", "/iotda-instances");
    assert_eq!(creates.len(), 1);
    assert_eq!(
        creates[0]["body"],
        json!({"instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 1}, "name": "tf-e2e",
               "charge_info": {"charge_mode": "postPaid"}, "description": "first",
               "tags": [{"key": "env", "value": "dev"}, {"key": "team", "value": "iot"}]})
    );
    // The project id was looked up through IAM once per provider process, not per call.
    assert!(!env.requests_matching("GET", "/v3/projects").is_empty());
    let id = env.id_of(ADDR);
    let state = env.resource(ADDR);
    assert_eq!(state["values"]["status"], "ACTIVE");
    assert_eq!(state["values"]["region_id"], "cn-north-4");
    assert!(state["values"]["access_infos"].as_array().is_some_and(|a| !a.is_empty()));
    env.assert_no_changes();

    // In place: name, description, tags and flavor (resize) in one apply; the id stays.
    env.clear_requests();
    env.write(
        &standard(
            "tf-e2e-renamed",
            r#"description = "second"
  tags = { env = "prod", owner = "me" }"#,
        )
        .replace("size = 1", "size = 3"),
    );
    let out = env.apply();
    assert!(out.stdout.contains("1 changed, 0 destroyed"), "{}", out.stdout);
    assert_eq!(env.id_of(ADDR), id);
    let puts = env.requests_matching("PUT", &id);
    assert_eq!(puts.len(), 1);
    assert_eq!(puts[0]["body"], json!({"name": "tf-e2e-renamed", "description": "second"}));
    let unbind = env.requests_matching("POST", "unbind-tags");
    assert_eq!(unbind[0]["body"], json!({"tags": [{"key": "env", "value": "dev"}, {"key": "team", "value": "iot"}]}));
    let bind = env.requests_matching("POST", "/bind-tags");
    assert_eq!(bind[0]["body"], json!({"tags": [{"key": "env", "value": "prod"}, {"key": "owner", "value": "me"}]}));
    let resize = env.requests_matching("POST", "/resize");
    assert_eq!(resize[0]["body"], json!({"flavor": {"type": "iotda.standard.s1", "size": 3}}));
    let sim = &env.sim_state("iotda")[0];
    assert_eq!((sim["name"].as_str(), sim["flavor"]["size"].as_i64()), (Some("tf-e2e-renamed"), Some(3)));
    env.assert_no_changes();

    // Clearing the description sends an empty one.
    env.write(&standard("tf-e2e-renamed", r#"tags = { env = "prod", owner = "me" }"#).replace("size = 1", "size = 3"));
    env.apply();
    assert_eq!(env.requests_matching("PUT", &id).last().unwrap()["body"], json!({"description": ""}));
    env.assert_no_changes();

    // Replacement: enterprise_project_id has no update API.
    env.write(
        &standard("tf-e2e-renamed", r#"enterprise_project_id = "0a1b2c3d-0000-4000-8000-00000000abcd""#)
            .replace("size = 1", "size = 3"),
    );
    let plan = env.plan();
    assert!(plan.stdout.contains("must be replaced") && plan.stdout.contains("forces replacement"), "{}", plan.stdout);
    env.apply();
    let new_id = env.id_of(ADDR);
    assert_ne!(new_id, id);
    let ids: Vec<String> =
        env.sim_state("iotda").iter().map(|o| o["instance_id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec![new_id.clone()], "the old instance is deleted");
    env.assert_no_changes();

    // Import round trip: forget it, import it by id, and the plan is empty.
    let out = env.tf(&["state", "rm", "-no-color", ADDR]);
    assert_eq!(out.code, 0, "{}", out.all());
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &new_id]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.assert_no_changes();

    // The same through an import block.
    let out = env.tf(&["state", "rm", "-no-color", ADDR]);
    assert_eq!(out.code, 0, "{}", out.all());
    let config = std::fs::read_to_string(env.path().join("main.tf")).unwrap();
    env.write_raw(&format!("{config}\nimport {{\n  to = {ADDR}\n  id = \"{new_id}\"\n}}\n"));
    let plan = env.plan();
    assert!(plan.stdout.contains("1 to import, 0 to add, 0 to change, 0 to destroy"), "{}", plan.all());
    env.apply();
    env.write_raw(&config);
    env.assert_no_changes();

    // Destroy leaves the simulator empty.
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

#[test]
fn out_of_band_delete_is_detected_by_plan() {
    let Some(env) = common::env() else { return };
    env.write(&standard("tf-oob", ""));
    env.apply();
    let id = env.id_of(ADDR);
    env.delete_out_of_band("iotda", &id);
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("huaweicloud_iotda_instance.a will be created"), "{}", plan.stdout);
    assert!(plan.stdout.contains("1 to add, 0 to change, 0 to destroy"), "{}", plan.stdout);
    env.apply();
    assert_ne!(env.id_of(ADDR), id);
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

#[test]
fn out_of_band_change_is_reverted() {
    let Some(env) = common::env() else { return };
    env.write(&standard("tf-drift", ""));
    env.apply();
    let id = env.id_of(ADDR);
    env.patch("iotda", &id, json!({"name": "changed-elsewhere"}));
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("\"changed-elsewhere\" -> \"tf-drift\""), "{}", plan.stdout);
    env.apply();
    assert_eq!(env.sim_state("iotda")[0]["name"], "tf-drift");
    env.destroy();
}

#[test]
fn failing_create_keeps_the_id_in_state_tainted_and_destroy_cleans_up() {
    let Some(env) = common::env() else { return };
    env.fail_creates(
        json!({"service": "iotda", "count": 1, "error_code": "IOTDA.014000", "error_msg": "insufficient resources"}),
    );
    env.write(&standard("tf-fail", ""));
    let out = env.apply_fails();
    for part in ["entered status \"FAILED\"", "insufficient resources", "tainted"] {
        assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
    }
    let r = env.resource(ADDR);
    let id = r["values"]["id"].as_str().expect("the id reached the state").to_string();
    assert_eq!(r["tainted"], true, "{r}");
    assert_eq!(env.sim_state("iotda")[0]["instance_id"], id.as_str());
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

#[test]
fn wait_timeout_keeps_the_id_in_state_tainted() {
    let Some(env) = common::env() else { return };
    env.set_config(json!({"create_delay_ms": 60000}));
    env.write(&standard(
        "tf-slow",
        r#"timeouts {
    create = "10s"
  }"#,
    ));
    let out = env.apply_fails();
    for part in ["timed out", "last status \"CREATING\"", "the create timeout is 10s", "tainted"] {
        assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
    }
    let r = env.resource(ADDR);
    assert_eq!(r["tainted"], true, "{r}");
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

/// Ctrl-C in a terminal reaches terraform and the provider; a CI runner may signal terraform alone,
/// which then asks the provider to stop. Either way the wait ends at once and the id stays in state.
fn interrupted_wait_keeps_the_id_in_state(whole_group: bool) {
    let Some(env) = common::env() else { return };
    env.set_config(json!({"create_delay_ms": 120000}));
    env.write(&standard("tf-interrupted", ""));
    let child = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    let started = std::time::Instant::now();
    while env.requests_matching("GET", "/iotda-instances/").is_empty() {
        assert!(started.elapsed().as_secs() < 60, "the create never started waiting");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    common::interrupt(&child, whole_group);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!out.status.success());
    assert!(stderr.contains("interrupted while waiting for ACTIVE"), "{stderr}");
    assert!(started.elapsed().as_secs() < 60, "the interrupt ended the wait");
    let r = env.resource(ADDR);
    assert_eq!(r["tainted"], true, "{r}");
    env.set_config(json!({"create_delay_ms": 200}));
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

#[test]
fn ctrl_c_during_the_wait_keeps_the_id_in_state() {
    interrupted_wait_keeps_the_id_in_state(true);
}

#[test]
fn interrupting_terraform_alone_also_ends_the_wait() {
    interrupted_wait_keeps_the_id_in_state(false);
}

/// A throttled create is retried; a create answered 5xx before the service acted is sent again once a
/// look for its name finds nothing, counted against max_retries; past them, the error says a new apply
/// is safe.
#[test]
fn throttled_and_failed_creates_are_resent_only_when_nothing_was_created() {
    let Some(env) = common::env() else { return };
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 429, "error_code": "APIGW.0308", "count": 2, "retry_after": 1}));
    env.write(&standard("tf-throttle", ""));
    env.apply();
    assert_eq!(env.requests_matching("POST", "iotda-instances").len(), 3);
    assert_eq!(env.sim_state("iotda").len(), 1);
    env.destroy();

    // One 500 before the service acted: looked for, nothing there, sent again: one instance.
    env.clear_requests();
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 500, "error_code": "IOTDA.000500", "count": 1}));
    env.apply();
    assert_eq!(env.requests_matching("POST", "iotda-instances").len(), 2);
    assert_eq!(env.sim_state("iotda").len(), 1);
    assert_eq!(env.state_ids(), env.sim_ids("iotda", "instance_id"));
    env.destroy();

    // More 500s than max_retries (3 in these tests): four sends, then the error, and nothing exists.
    env.clear_requests();
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 500, "error_code": "IOTDA.000500", "count": 10}));
    let out = env.apply_fails();
    env.clear_faults();
    assert_eq!(env.requests_matching("POST", "iotda-instances").len(), 4, "the first send and 3 resends");
    for part in [
        "POST /v5/iot/",
        "HTTP 500",
        "IOTDA.000500",
        "request_id",
        "no instance with name \"tf-throttle\" exists now (it was sent 4 times): running apply again is safe",
    ] {
        assert!(out.err().contains(part), "{part} missing from:\n{}", out.stderr);
    }
    assert!(env.resource(ADDR).is_null());
    assert!(env.sim_state("iotda").is_empty());
}

/// A create whose answer is lost after the service acted: the one instance with the name, created after
/// the request left, is adopted (nothing is sent again) and the apply goes on to wait for it.
#[test]
fn a_lost_create_answer_is_adopted() {
    let Some(env) = common::env() else { return };
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 502, "count": 1, "after_processing": true}));
    env.write(&standard("tf-lost", ""));
    env.apply();
    assert_eq!(env.requests_matching("POST", "iotda-instances").len(), 1);
    assert_eq!(env.state_ids(), env.sim_ids("iotda", "instance_id"));
    assert_eq!(env.resource(ADDR)["values"]["status"], "ACTIVE");
    env.assert_no_changes();
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

#[test]
fn prepaid_instances_are_not_destroyed_and_say_how_to_unsubscribe() {
    let Some(env) = common::env() else { return };
    env.write(&standard("tf-prepaid", "").replace(
        r#"charge_mode = "postPaid""#,
        r#"charge_mode = "prePaid"
    period_type = "month"
    period_num  = 1
    is_auto_pay = true"#,
    ));
    env.apply();
    let out = env.tf(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(out.err().contains("Billing Center") && out.err().contains("terraform state rm"), "{}", out.stderr);
    assert_eq!(env.sim_state("iotda").len(), 1);
    assert!(!env.resource(ADDR).is_null(), "still in state");
    assert!(env.requests_matching("DELETE", "iotda-instances").is_empty());

    // Import: the write-only charge_info values are taken over from the configuration in place,
    // without a replacement and without any call that changes the instance.
    let id = env.id_of(ADDR);
    assert_eq!(env.tf(&["state", "rm", "-no-color", ADDR]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &id]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.applies_in_place_without_api_writes();
}

#[test]
fn billing_settings_change_in_place_without_calls_and_an_empty_description_converges() {
    let Some(env) = common::env() else { return };
    let config = |renew: &str| {
        standard("tf-billing", r#"description = """#).replace(
            r#"charge_mode = "postPaid""#,
            &format!("charge_mode = \"prePaid\"\n period_type = \"month\"\n period_num = 1\n is_auto_pay = true\n is_auto_renew = {renew}"),
        )
    };
    env.write(&config("false"));
    env.apply();
    env.assert_no_changes();
    env.write(&config("true").replace("period_num = 1", "period_num = 2"));
    env.applies_in_place_without_api_writes();
}

/// Each invalid configuration fails at plan, names the attribute, and sends no request.
/// A few cases per kind of check prove the wiring through `terraform plan`; every case of the
/// validation tables is in `validation.rs`, without Terraform.
#[test]
fn invalid_configurations_fail_at_plan_without_any_request() {
    let Some(env) = common::env() else { return };
    let prepaid = |lines: &str| {
        standard("ok", "").replace(r#"charge_mode = "postPaid""#, &format!("charge_mode = \"prePaid\"\n{lines}"))
    };
    let cases: Vec<(String, &[&str])> = vec![
        (standard("has space", ""), &["name", "letters, digits, underscores"]),
        (
            standard("ok", "").replace("size = 1", ""),
            &["flavor.size", "is required when instance_type is \"standard\""],
        ),
        (standard("ok", "").replace("size = 1", "size = 1.5"), &["flavor.size", "must be a whole number, got 1.5"]),
        (
            prepaid("period_type = \"year\"\n period_num = 5"),
            &["charge_info.period_num", "at most 3 when charge_info.period_type is \"year\""],
        ),
        (standard("ok", r#"tags = { "k" = "bad/value" }"#), &["tags", "'/'"]),
        (standard("ok", "timeouts {\n create = \"5x\"\n }"), &["timeouts", "not a duration"]),
        (
            standard("ok", "timeouts {\n create = \"18446744073709551615s\"\n }"),
            &["timeouts.create", "more than 7 days"],
        ),
        (standard("ok", "timeouts {\n update = \"9999999999999999h\"\n }"), &["timeouts.update", "more than 7 days"]),
        (standard("ok", "timeouts {\n delete = \"-5m\"\n }"), &["timeouts.delete", "negative"]),
        (standard("ok", "timeouts {\n create = \"0.0s\"\n }"), &["timeouts.create", "zero"]),
    ];
    env.fail_at_plan_together("huaweicloud_iotda_instance", &cases);
    // A null variable is known only in the plan walk, which other invalid resources would stop: alone.
    env.fails_at_plan_without_requests(
        &format!("variable \"n\" {{\n default = null\n}}\n{}", standard("ok", "").replace("\"ok\"", "var.n")),
        &["name is required and must not be null"],
    );

    // Provider configuration problems are reported on the provider block.
    env.write_raw(&format!("{}\n{}", env.provider_block().replace("iam     =", "kafka   ="), standard("ok", "")));
    let out = env.plan();
    assert_eq!(out.code, 1);
    assert!(out.err().contains("valid keys are iam, iotda, clouddc, dms"), "{}", out.stderr);
    env.write_raw(&format!(
        "{}\n{}",
        env.provider_block().replace("secret_key = \"simulator-secret-key-0123456789\"", ""),
        standard("ok", "")
    ));
    let out = env.plan();
    assert_eq!(out.code, 1);
    assert!(out.err().contains("needs secret_key (or HW_SECRET_KEY)"), "{}", out.stderr);
    for (setting, expected) in [
        ("max_retries = 2.5", "max_retries must be a whole number from 0 to 20, got 2.5"),
        ("max_retries = 3\n  project_id = \"../../_sim\"", "project_id: \"../../_sim\" is not a project id"),
    ] {
        env.write_raw(&format!("{}\n{}", env.provider_block().replace("max_retries = 3", setting), standard("ok", "")));
        let out = env.plan();
        assert_eq!(out.code, 1, "{}", out.all());
        assert!(out.err().contains(expected), "{expected:?} missing from:\n{}", out.stderr);
    }
    assert!(env.requests().is_empty());
}

/// At the most verbose log level, neither the secret key, the security token nor the Authorization
/// header reaches the provider's logs.
#[test]
fn secrets_never_reach_the_logs() {
    let Some(env) = common::env() else { return };
    const TOKEN: &str = "TOKEN-VALUE-THAT-MUST-STAY-SECRET";
    let block =
        env.provider_block().replace("max_retries = 3", &format!("max_retries = 3\n  security_token = \"{TOKEN}\""));
    env.write_raw(&format!("{block}\n{}", standard("tf-logs", "")));
    let log = env.path().join("trace.log");
    let log_path = log.to_str().unwrap();
    for args in [
        &["apply", "-auto-approve", "-input=false", "-no-color"][..],
        &["destroy", "-auto-approve", "-input=false", "-no-color"],
    ] {
        let out =
            env.spawn_tf_with(args, &[("TF_LOG", "trace"), ("TF_LOG_PATH", log_path)]).wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let text = std::fs::read_to_string(&log).unwrap();
    let provider_lines: Vec<&str> = text.lines().filter(|l| l.contains("terraform-provider-huaweicloud")).collect();
    let sample: Vec<&str> = text.lines().filter(|l| l.contains("provider")).take(40).collect();
    assert!(
        provider_lines.iter().any(|l| l.contains("/iotda-instances")),
        "the provider logged its calls: {sample:#?}"
    );
    for secret in ["simulator-secret-key-0123456789", TOKEN, "SDK-HMAC-SHA256 Access", "Signature="] {
        let leaks: Vec<&&str> = provider_lines.iter().filter(|l| l.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret:?} appears in the provider's log: {leaks:?}");
    }
    assert!(env.sim_state("iotda").is_empty());
}
