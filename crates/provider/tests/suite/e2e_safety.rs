//! Safety through real Terraform against the simulator: no duplicate after a kill or lost answers,
//! no request built from a tampered id, timeouts that cannot overflow, one project id lookup per
//! provider process, null values stopped before any request, prePaid orders awaiting payment, and
//! failure states shown at refresh.

use crate::common;

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use common::hcl::iotda;

fn kafka(label: &str, name: &str) -> String {
    common::hcl::kafka(label, name, "")
}

fn clouddc(label: &str, name: &str) -> String {
    common::hcl::clouddc(label, name, "")
}

fn create_posts(env: &common::Env) -> usize {
    env.requests().iter().filter(|r| r["method"] == "POST" && common::on_instance_list(r)).count()
}

fn wait_until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what} did not happen within {limit:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// kill -9 of terraform and the provider while three creates wait: the next apply sends no create,
/// names each instance with an import block, and after the imports nothing is outside the state.
#[test]
fn sigkill_during_the_create_wait_then_apply_creates_nothing_and_the_suggested_imports_adopt_everything() {
    let Some(env) = common::env() else { return };
    env.set_config(json!({"create_delay_ms": 120000}));
    let config = [iotda("a", "\"tf-killed\"", ""), kafka("b", "tf-killed"), clouddc("c", "tf-killed")].concat();
    env.write(&config);
    let child = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_until("three creates and their first polls", Duration::from_secs(60), || {
        let r = env.requests();
        let polled =
            |frag: &str| r.iter().any(|q| q["method"] == "GET" && q["path"].as_str().unwrap_or("").contains(frag));
        create_posts(&env) == 3 && polled("/iotda-instances/") && polled("/status") && polled("/instances/")
    });
    common::kill_all(child);
    let orphans = env.live_sim_ids();
    assert_eq!(orphans.len(), 3);
    assert!(env.state_ids().is_empty(), "the killed apply recorded nothing");
    // The creations finish meanwhile.
    for (service, id) in [("iotda", "ACTIVE"), ("kafka", "RUNNING")] {
        let key = "instance_id";
        let obj = env.sim_state(service)[0][key].as_str().unwrap().to_string();
        env.patch(service, &obj, json!({"status": id}));
    }
    let cdc = env.sim_state("clouddc")[0]["id"].as_str().unwrap().to_string();
    env.patch("clouddc", &cdc, json!({"state": "running", "operation_state": "install-succeed"}));

    env.clear_requests();
    let out = env.apply_fails();
    assert_eq!(create_posts(&env), 0, "no create was sent");
    assert_eq!(env.live_sim_ids(), orphans, "no instance was added");
    let err = out.err();
    for id in &orphans {
        assert!(err.contains(&format!("id = \"{id}\"")), "an import block for {id}:\n{}", out.stderr);
        assert!(err.contains(&format!("terraform import ADDRESS \"{id}\"")), "{}", out.stderr);
    }
    for t in ["huaweicloud_iotda_instance", "huaweicloud_dms_kafka_instance", "huaweicloud_clouddc_instance"] {
        assert!(err.contains(&format!("Error: {t} \"tf-killed\" already exists")), "{t}:\n{}", out.stderr);
    }

    // The imports the errors suggest, as import blocks at the addresses Terraform showed.
    let id_of = |service: &str, key: &str| env.sim_state(service)[0][key].as_str().unwrap().to_string();
    let imports: String = [
        ("huaweicloud_iotda_instance.a", id_of("iotda", "instance_id")),
        ("huaweicloud_dms_kafka_instance.b", id_of("kafka", "instance_id")),
        ("huaweicloud_clouddc_instance.c", id_of("clouddc", "id")),
    ]
    .iter()
    .map(|(to, id)| format!("import {{\n  to = {to}\n  id = \"{id}\"\n}}\n"))
    .collect();
    env.write(&format!("{config}\n{imports}"));
    env.clear_requests();
    let out = env.apply();
    assert!(out.stdout.contains("3 imported"), "{}", out.stdout);
    assert_eq!(create_posts(&env), 0);
    env.write(&config);
    env.assert_no_changes();
    assert_eq!(env.state_ids(), orphans, "every instance the service holds is in the state");
    env.destroy();
    assert!(env.live_sim_ids().is_empty());
}

/// Five creates whose answers are lost after the service acted: each is adopted by the same apply
/// (nothing is sent twice), and a plain re-apply has nothing to do.
#[test]
fn five_lost_create_answers_are_adopted_without_a_duplicate() {
    let Some(env) = common::env() else { return };
    let config = iotda("a", "\"tf-lost-${count.index}\"", "count = 5");
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 502, "count": 5, "after_processing": true}));
    env.write(&config);
    env.apply();
    assert_eq!(create_posts(&env), 5);
    assert_eq!(env.sim_state("iotda").len(), 5);
    assert_eq!(env.state_ids(), env.sim_ids("iotda", "instance_id"));

    env.clear_requests();
    env.assert_no_changes();
    env.apply();
    assert_eq!(create_posts(&env), 0, "a plain re-apply creates nothing");
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

/// Two resources of one configuration with the same name: one instance, and an error for the other.
#[test]
fn two_resources_with_one_name_create_one_instance() {
    let Some(env) = common::env() else { return };
    env.write(&[iotda("a", "\"tf-twin\"", ""), iotda("b", "\"tf-twin\"", "")].concat());
    let out = env.apply_fails();
    assert_eq!(create_posts(&env), 1);
    assert_eq!(env.sim_state("iotda").len(), 1);
    let err = out.err();
    assert!(err.contains("Error: Duplicate huaweicloud_iotda_instance name \"tf-twin\""), "{}", out.stderr);
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());

    // A rename onto another live instance's name is refused before any change.
    env.write(&[iotda("a", "\"tf-twin\"", ""), iotda("b", "\"tf-other\"", "")].concat());
    env.apply();
    env.clear_requests();
    env.write(&[iotda("a", "\"tf-twin\"", ""), iotda("b", "\"tf-twin\"", "")].concat());
    let out = env.apply_fails();
    assert!(out.err().contains("Error: huaweicloud_iotda_instance \"tf-twin\" already exists"), "{}", out.stderr);
    assert!(env.writes().is_empty(), "{:?}", env.writes());
    let names: Vec<Value> = env.sim_state("iotda").iter().map(|o| o["name"].clone()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&json!("tf-other")));
    env.write(&iotda("a", "\"tf-twin\"", ""));
    env.destroy();
}

/// A state whose id would lead the request elsewhere: a clear error on the resource, and no request.
#[test]
fn a_tampered_state_id_sends_no_request() {
    let Some(env) = common::env() else { return };
    env.write(&iotda("a", "\"tf-tamper\"", ""));
    env.apply();
    let id = env.id_of("huaweicloud_iotda_instance.a");
    let state_file = env.path().join("terraform.tfstate");
    let original = std::fs::read_to_string(&state_file).unwrap();
    // Resolved by a URL parser, this id would be the Kafka instance list of the same host.
    let evil = "../../../../v2/0123456789abcdef0123456789abcdef/instances";
    std::fs::write(&state_file, original.replace(&id, evil)).unwrap();
    env.clear_requests();
    for args in [
        &["plan", "-input=false", "-no-color"][..],
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &["destroy", "-auto-approve", "-refresh=false", "-input=false", "-no-color"],
    ] {
        let out = env.tf(args);
        assert_eq!(out.code, 1, "{args:?}: {}", out.all());
        for part in ["Invalid huaweicloud_iotda_instance id in state", "No request was sent", "terraform state rm"] {
            assert!(out.err().contains(part), "{part:?} missing after {args:?}:\n{}", out.stderr);
        }
    }
    let sent = env.requests();
    assert!(sent.is_empty(), "requests were sent for a tampered id: {sent:?}");
    std::fs::write(&state_file, original).unwrap();
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

/// Terraform's duration syntax with fractions and mixed units is accepted and used.
#[test]
fn fractional_and_mixed_unit_timeouts_are_used() {
    let Some(env) = common::env() else { return };
    env.write(&iotda(
        "a",
        "\"tf-timeouts\"",
        "timeouts {\n create = \"1.5h\"\n update = \"1h30m\"\n delete = \"45s\"\n }",
    ));
    env.apply();
    env.assert_no_changes();
    env.destroy();
    env.set_config(json!({"create_delay_ms": 60000}));
    env.write(&iotda("a", "\"tf-timeouts\"", "timeouts {\n create = \"2.5s\"\n }"));
    let out = env.apply_fails();
    assert!(out.err().contains("the create timeout is 2.5s"), "{}", out.stderr);
    assert_eq!(env.resource("huaweicloud_iotda_instance.a")["tainted"], true);
    env.destroy();
}

fn lookups(env: &common::Env) -> usize {
    env.requests_matching("GET", "/v3/projects").len()
}

/// Without project_id, every provider process asks IAM once, throttled or failing, whatever the number of
/// resources; a failure reaches every resource, names the call, and creates nothing.
#[test]
fn one_project_id_lookup_per_provider_process() {
    let Some(env) = common::env() else { return };
    let config = iotda("a", "\"tf-iam-${count.index}\"", "count = 6");
    env.write(&config);
    env.fault(json!({"method": "GET", "path_contains": "/v3/projects", "status": 429, "count": 3, "retry_after": 1}));
    let out = env.tf(&["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=6"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(lookups(&env), 4, "3 throttled answers then one success, for 6 creates in one process");
    assert_eq!(env.sim_state("iotda").len(), 6);
    env.clear_requests();
    env.destroy();
    assert_eq!(lookups(&env), 2, "one for the refresh (plan), one for the deletes (apply)");

    env.clear_requests();
    env.fault(json!({"method": "GET", "path_contains": "/v3/projects", "status": 503, "count": 1000}));
    let out = env.apply_fails();
    assert_eq!(lookups(&env), 4, "one lookup with its 3 retries, not one per resource");
    assert_eq!(create_posts(&env), 0);
    let err = out.err();
    assert_eq!(err.matches("GET /v3/projects: HTTP 503").count(), 6, "{}", out.stderr);
    assert_eq!(err.matches("so nothing was created").count(), 6, "{}", out.stderr);
    assert!(!err.contains("may have created"), "{}", out.stderr);
    env.clear_faults();

    // A refused secret key names IAM's call in the first line.
    env.write_raw(&format!(
        "{}\n{}",
        env.provider_block().replace("simulator-secret-key-0123456789", "wrong-secret-key"),
        iotda("a", "\"tf-iam\"", "")
    ));
    let out = env.apply_fails();
    assert!(
        out.err().contains(
            "Error: Error creating huaweicloud_iotda_instance: IAM refused the credentials on GET /v3/projects"
        ),
        "{}",
        out.stderr
    );
    assert!(env.sim_state("iotda").is_empty());
}

/// Throttling until the retries run out: the service did nothing, and the error says so.
#[test]
fn a_create_refused_until_the_retries_run_out_says_nothing_was_created() {
    let Some(env) = common::env() else { return };
    env.fault(json!({"method": "POST", "path_contains": "iotda-instances", "status": 429, "count": 4}));
    env.write(&iotda("a", "\"tf-refused\"", ""));
    let out = env.apply_fails();
    assert_eq!(create_posts(&env), 4);
    assert!(out.err().contains("HTTP 429"), "{}", out.stderr);
    assert!(out.err().contains("Nothing was created (the service throttled the request)"), "{}", out.stderr);
    assert!(!out.err().contains("may have created"), "{}", out.stderr);
    assert!(env.sim_state("iotda").is_empty());
}

/// A required value that is null only once known (unknown at plan) fails at apply before its request.
#[test]
fn a_null_known_only_at_apply_fails_before_any_request() {
    let Some(env) = common::env() else { return };
    let name = r#"huaweicloud_iotda_instance.first.region_id == "nowhere" ? "never" : null"#;
    env.write(&[iotda("first", "\"tf-first\"", ""), iotda("second", name, "")].concat());
    let out = env.apply_fails();
    assert!(out.err().contains("name is required and must not be null"), "{}", out.stderr);
    assert_eq!(create_posts(&env), 1, "only the first instance was created");
    env.write(&iotda("first", "\"tf-first\"", ""));
    env.destroy();
    assert!(env.sim_state("iotda").is_empty());
}

/// A prePaid IoTDA instance without auto-pay: planned as written, sent as written, and the apply waits
/// while its order awaits payment; a timeout names the order.
#[test]
fn prepaid_without_auto_pay_waits_for_the_order_and_names_it() {
    let Some(env) = common::env() else { return };
    let prepaid = |label: &str, name: &str, extra: &str| {
        iotda(label, name, extra).replace(
            "charge_mode = \"postPaid\"",
            &format!(
                "charge_mode = \"prePaid\"\n period_type = \"month\"\n period_num = 1\n {}",
                if label == "b" { "is_auto_pay = false" } else { "" }
            ),
        )
    };
    env.write(&prepaid("a", "\"tf-order\"", "timeouts {\n create = \"2m\"\n }"));
    let child = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_until("the instance waiting in TRADING", Duration::from_secs(60), || {
        env.sim_state("iotda").first().is_some_and(|o| o["status"] == "TRADING")
            && env.requests_matching("GET", "/iotda-instances/").len() >= 2
    });
    let id = env.sim_state("iotda")[0]["instance_id"].as_str().unwrap().to_string();
    env.action("iotda", &id, "pay");
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let post = &env.requests_matching("POST", "/iotda-instances")[0];
    assert_eq!(post["body"]["charge_info"], json!({"charge_mode": "prePaid", "period_type": "month", "period_num": 1}));
    assert_eq!(env.resource("huaweicloud_iotda_instance.a")["values"]["status"], "ACTIVE");
    env.assert_no_changes();

    // Unpaid until the timeout: the error and the provider's log name the order.
    env.write(&prepaid("b", "\"tf-unpaid\"", "timeouts {\n create = \"3s\"\n }"));
    let log = env.path().join("provider.log");
    let run = env
        .spawn_tf_with(
            &["apply", "-auto-approve", "-input=false", "-no-color", "-target=huaweicloud_iotda_instance.b"],
            &[("TF_LOG_PROVIDER", "debug"), ("TF_LOG_PATH", log.to_str().unwrap())],
        )
        .wait_with_output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!run.status.success());
    let unpaid = env.sim_state("iotda").into_iter().find(|o| o["name"] == "tf-unpaid").unwrap();
    let order = unpaid["order_id"].as_str().unwrap();
    for part in ["last status \"TRADING\"", &format!("order {order} awaits payment"), "Billing Center", "tainted"] {
        assert!(stderr.contains(part), "{part:?} missing from:\n{stderr}");
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.contains(&format!("order {order} awaits payment")), "the log names the order");
}

/// A failure state reached out of band is a warning at plan; an instance whose creation failed is
/// planned for replacement.
#[test]
fn failure_states_are_shown_at_refresh() {
    let Some(env) = common::env() else { return };
    env.write(&clouddc("c", "tf-broken"));
    env.apply();
    let id = env.id_of("huaweicloud_clouddc_instance.c");
    env.patch(
        "clouddc",
        &id,
        json!({"state": "error", "error": {"error_code": "iMetal.9999", "error_msg": "disk lost"}}),
    );
    let plan = env.plan();
    assert_eq!(plan.code, 0, "a broken instance is not changed by itself:\n{}", plan.all());
    let warned = format!("huaweicloud_clouddc_instance {id} is in status \"error\"");
    for part in [warned.as_str(), "terraform apply -replace=ADDRESS"] {
        let all = plan.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(all.contains(part), "{part:?}:\n{}", plan.all());
    }
    env.patch("clouddc", &id, json!({"state": "running"}));
    env.destroy();

    // A failed creation, kept (untainted) in the state: replaced on its status.
    env.fail_creates(json!({"service": "kafka", "count": 1}));
    env.write(&kafka("k", "tf-never-up"));
    env.apply_fails();
    let first = env.id_of("huaweicloud_dms_kafka_instance.k");
    assert_eq!(env.tf(&["untaint", "-no-color", "huaweicloud_dms_kafka_instance.k"]).code, 0);
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    for part in ["must be replaced", "status", "# forces replacement", "1 to add, 0 to change, 1 to destroy"] {
        assert!(plan.stdout.contains(part), "{part:?}:\n{}", plan.stdout);
    }
    let all = plan.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(all.contains("never came up (status \"CREATEFAILED\")"), "{}", plan.all());
    env.apply();
    let second = env.id_of("huaweicloud_dms_kafka_instance.k");
    assert_ne!(first, second);
    assert_eq!(env.sim_ids("kafka", "instance_id"), vec![second]);
    assert_eq!(env.resource("huaweicloud_dms_kafka_instance.k")["values"]["status"], "RUNNING");
    env.destroy();
}

/// The registry's manifest sits at the top level.
#[test]
fn registry_manifest_declares_protocol_6() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../terraform-registry-manifest.json"))
        .unwrap();
    let manifest: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(manifest, json!({"version": 1, "metadata": {"protocol_versions": ["6.0"]}}));
}
