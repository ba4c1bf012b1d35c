//! Faults and bad answers through real Terraform: a flaky gateway, lost create answers, garbled and
//! oversized answers, a dripping server, and two runs creating one name at the same moment.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::common::{self, hcl};

const KAFKA: &str = "huaweicloud_dms_kafka_instance.a";
/// The Kafka instance list: where creates are posted and lookups read.
const KAFKA_LIST: &str = "/v2/0123456789abcdef0123456789abcdef/instances";

/// The create calls the simulator accepted (2xx), of every service.
fn accepted_creates(env: &common::Env) -> Vec<Value> {
    env.requests()
        .into_iter()
        .filter(|r| r["method"] == "POST" && r["status"].as_u64().is_some_and(|s| (200..300).contains(&s)))
        .filter(common::on_instance_list)
        .collect()
}

fn two_of_each() -> String {
    [
        hcl::iotda("i", "\"tf-flaky-iot-${count.index}\"", "count = 2"),
        hcl::kafka("k", "tf-flaky-kafka-${count.index}", "count = 2"),
        hcl::clouddc("c", "tf-flaky-bm-${count.index}", "count = 2"),
    ]
    .concat()
}

/// 30% of the requests answered 429 and about 10% 500 or 503 before the service acts, with
/// max_retries = 10: the apply is green, every create that failed is sent again only once a look
/// found nothing, and exactly one instance exists per resource; the destroy goes through the same storm.
#[test]
fn a_flaky_gateway_does_not_fail_an_apply() {
    let Some(env) = common::env() else { return };
    // One create surely answered 503 before the service acts (the storm is chance: a run of 50
    // requests may draw no 5xx at all), then the storm.
    env.fault(json!({"status": 503, "method": "POST", "path_contains": "/instances", "count": 1}));
    for (status, percent) in [(429, 30), (500, 7), (503, 8)] {
        env.fault(json!({"status": status, "percent": percent, "count": 1_000_000}));
    }
    env.write_raw(&format!("{}\n{}", env.provider_block_with_retries(10), two_of_each()));
    env.apply();
    assert_eq!(accepted_creates(&env).len(), 6, "one accepted create per resource");
    assert_eq!(env.live_sim_ids().len(), 6);
    let log = env.requests();
    let refused: Vec<u64> = log.iter().filter_map(|r| r["status"].as_u64()).filter(|s| *s >= 429).collect();
    assert!(refused.iter().any(|s| *s >= 500) && refused.contains(&429), "the storm blew: {refused:?}");
    // A create answered 5xx is sent again only after a look (a GET of its list) found nothing.
    let create = |r: &Value| r["method"] == "POST" && common::on_instance_list(r);
    let count = |f: &dyn Fn(&Value) -> bool| log.iter().filter(|r| f(r)).count();
    eprintln!(
        "{} requests: {} answered 429, {} answered 5xx; {} creates sent for 6 instances",
        log.len(),
        count(&|r| r["status"] == 429),
        count(&|r| r["status"].as_u64() >= Some(500)),
        count(&|r| create(r) && r["status"] != 429)
    );
    for (i, failed) in log.iter().enumerate().filter(|(_, r)| create(r) && r["status"].as_u64() >= Some(500)) {
        let same = |r: &Value| create(r) && r["body"]["name"] == failed["body"]["name"];
        let Some(j) = log[i + 1..].iter().position(same) else { continue };
        let looked = log[i + 1..i + 1 + j].iter().any(|r| r["method"] == "GET" && r["path"] == failed["path"]);
        assert!(looked, "{} was sent again without a look", failed["body"]["name"]);
    }
    env.destroy();
    assert_eq!(env.live_sim_ids().len(), 0);
}

/// Three create answers lost after the service acted, one of each kind: each instance is adopted by
/// the apply that created it; nothing is sent twice and no fourth instance appears.
#[test]
fn lost_create_answers_are_adopted_never_duplicated() {
    let Some(env) = common::env() else { return };
    for path in [
        "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances",
        KAFKA_LIST,
        "/v1/0123456789abcdef0123456789abcdef/instances",
    ] {
        env.fault(json!({"method": "POST", "path_equals": path, "status": 502, "count": 1, "after_processing": true}));
    }
    env.write(
        &[
            hcl::iotda("i", "\"tf-lost-iot\"", ""),
            hcl::kafka("k", "tf-lost-kafka", ""),
            hcl::clouddc("c", "tf-lost-bm", ""),
        ]
        .concat(),
    );
    env.apply();
    let creates = accepted_creates(&env);
    let sent = env.requests().iter().filter(|r| r["method"] == "POST" && r["status"] == 502).count();
    assert_eq!((creates.len(), sent), (0, 3), "three creates, each answered 502 after it acted");
    assert_eq!(env.live_sim_ids().len(), 3);
    assert_eq!(env.state_ids(), env.live_sim_ids());
    env.assert_no_changes();
    env.destroy();
}

/// A lost create answer whose look cannot be made (the list fails): nothing is sent again and nothing
/// adopted; the error says what may have happened, and the next apply stops at the usual check with the
/// instance to import. Never a second instance.
#[test]
fn a_lost_create_answer_without_evidence_is_an_honest_error() {
    let Some(env) = common::env() else { return };
    let list = KAFKA_LIST;
    env.fault(json!({"method": "POST", "path_equals": list, "status": 502, "count": 1, "after_processing": true}));
    // The lookup before the create passes; every later one fails, retries included.
    env.fault(json!({"method": "GET", "path_equals": list, "skip": 1, "status": 503, "count": 1000}));
    env.write(&hcl::kafka("a", "tf-no-evidence", ""));
    let out = env.apply_fails();
    for part in ["HTTP 502", "may have created the instance anyway", "looking for it failed", "HTTP 503"] {
        assert!(out.err().contains(part), "{part} missing:\n{}", out.stderr);
    }
    assert_eq!(env.requests_matching("POST", "/instances").len(), 1);
    assert_eq!(env.sim_state("kafka").len(), 1);
    assert!(env.resource(KAFKA).is_null());

    env.clear_faults();
    let out = env.apply_fails();
    let id = env.sim_ids("kafka", "instance_id").remove(0);
    for part in ["already exists", id.as_str(), "terraform import ADDRESS"] {
        assert!(out.err().contains(part), "{part} missing:\n{}", out.stderr);
    }
    assert_eq!(env.sim_state("kafka").len(), 1, "never a second instance");
    assert_eq!(env.tf(&["import", "-no-color", "-input=false", KAFKA, &id]).code, 0);
    env.destroy();
}

/// A create answered 502 after the service acted, while the run is being interrupted: the look is cut
/// short and says so; nothing is sent again, so no second instance.
#[test]
fn an_interrupted_run_never_resends_a_create_unlooked() {
    let Some(env) = common::env() else { return };
    let list = KAFKA_LIST;
    env.fault(json!({"method": "POST", "path_equals": list, "status": 502, "count": 1, "delay_ms": 3000}));
    env.write(&hcl::kafka("a", "tf-interrupted", ""));
    let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
    let apply = env.spawn_tf(&args);
    common::wait_for("the create call", || !env.requests_matching("POST", "/instances").is_empty());
    common::interrupt(&apply, true);
    let out = common::wait_out(apply, &args);
    assert_ne!(out.code, 0, "{}", out.all());
    assert!(out.err().contains("the look for it was cut short (the run was interrupted)"), "{}", out.stderr);
    assert_eq!(env.requests_matching("POST", "/instances").len(), 1, "sent once");
    assert_eq!(env.sim_state("kafka").len(), 1);
}

/// A read answer without a create-only member, or with it null, keeps the state's value: no
/// replacement; one with a member of the wrong type is an error naming the call and the member: nothing
/// is planned and nothing deleted.
#[test]
fn a_garbled_read_answer_never_replaces_a_cluster() {
    let Some(env) = common::env() else { return };
    env.write(&hcl::kafka("a", "tf-garbled", ""));
    env.apply();
    let id = env.id_of(KAFKA);
    let show = format!("/v2/0123456789abcdef0123456789abcdef/instances/{id}");
    let list = KAFKA_LIST;
    // Each read on its own (the show call), then all of them at once (the list).
    let one_by_one = [("HUAWEICLOUD_REFRESH_BATCH", "0")];
    for (path, pointer_of, vars) in [(show.as_str(), "", &one_by_one[..]), (list, "/instances/0", &[][..])] {
        for edit in [
            json!({"answer_set": {format!("{pointer_of}/available_zones"): null, format!("{pointer_of}/engine"): null}}),
            json!({"answer_remove": [format!("{pointer_of}/vpc_id"), format!("{pointer_of}/subnet_id"), format!("{pointer_of}/storage_spec_code")]}),
        ] {
            env.clear_faults();
            let mut fault = json!({"method": "GET", "path_equals": path, "count": 1_000_000});
            fault.as_object_mut().unwrap().extend(edit.as_object().unwrap().clone());
            env.fault(fault);
            let plan = env.tf_with(&["plan", "-detailed-exitcode", "-input=false", "-no-color"], vars);
            assert_eq!(plan.code, 0, "{edit}: no changes expected:\n{}", plan.all());
        }
        env.clear_faults();
        env.fault(json!({"method": "GET", "path_equals": path, "count": 1_000_000, "answer_set": {format!("{pointer_of}/vpc_id"): 5}}));
        env.clear_requests();
        let plan = env.tf_with(&["plan", "-detailed-exitcode", "-input=false", "-no-color"], vars);
        assert_eq!(plan.code, 1, "{}", plan.all());
        for part in ["GET /v2/{project_id}/instances", "member vpc_id is the Integer 5 where a string is expected"] {
            assert!(plan.err().contains(part), "{part} missing:\n{}", plan.stderr);
        }
        let apply = env.tf_with(&["apply", "-auto-approve", "-input=false", "-no-color"], vars);
        assert_ne!(apply.code, 0);
        assert!(env.writes().is_empty(), "{:?}", env.writes());
    }
    env.clear_faults();
    assert_eq!(env.sim_ids("kafka", "instance_id"), [id]);
    env.assert_no_changes();
    env.destroy();
}

/// A lookup answered 200 with an error body is not "nothing there": nothing is created, and the error
/// quotes the body. A list data source answered so fails instead of listing nothing.
#[test]
fn an_error_body_answered_200_is_never_an_empty_list() {
    let Some(env) = common::env() else { return };
    let list = KAFKA_LIST;
    env.fault(json!({"method": "GET", "path_equals": list, "status": 200, "count": 1_000_000,
                     "error_code": "DMS.00500000", "error_msg": "internal error"}));
    env.write(&hcl::kafka("a", "tf-error-body", ""));
    let out = env.apply_fails();
    for part in ["expected the list \"instances\"", "error_code DMS.00500000", "nothing was created"] {
        assert!(out.err().contains(part), "{part} missing:\n{}", out.stderr);
    }
    assert!(env.requests_matching("POST", "/instances").is_empty());
    assert!(env.sim_state("kafka").is_empty());

    for body in [json!({"answer_set": {"": {}}}), json!({"answer_set": {"/instances": [1, 2]}})] {
        env.clear_faults();
        let mut fault = json!({"method": "GET", "path_equals": list, "count": 1_000_000});
        fault.as_object_mut().unwrap().extend(body.as_object().unwrap().clone());
        env.fault(fault);
        env.write(r#"data "huaweicloud_dms_kafka_instances" "all" {}"#);
        let out = env.plan();
        assert_eq!(out.code, 1, "{body}: {}", out.all());
        assert!(out.err().contains("Error reading huaweicloud_dms_kafka_instances"), "{}", out.stderr);
    }
}

/// The provider's peak resident memory (VmHWM) while `child` (terraform) runs, sampled from its plugin
/// processes; with the run's output.
fn peak_provider_memory(child: std::process::Child, args: &[&str]) -> (u64, common::Out) {
    let terraform = child.id();
    let sampler = std::thread::spawn(move || {
        let mut peak = 0u64;
        let hwm = |pid: &str| -> Option<u64> {
            let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
            let ppid: u32 = status.lines().find(|l| l.starts_with("PPid:"))?.split_whitespace().nth(1)?.parse().ok()?;
            let name = status.lines().find(|l| l.starts_with("Name:"))?;
            if ppid != terraform || !name.contains("terraform-prov") {
                return None;
            }
            status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
        };
        while std::path::Path::new(&format!("/proc/{terraform}")).exists() {
            for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
                if let Some(kb) = hwm(&entry.file_name().to_string_lossy()) {
                    peak = peak.max(kb * 1024);
                }
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        peak
    });
    let out = common::wait_out(child, args);
    (sampler.join().unwrap(), out)
}

/// A 1 GiB answer is refused with a clear error, the provider's memory staying under 200 MiB; a server
/// that drips its answer is cut off by the data source's `timeouts { read }`.
#[test]
fn oversized_and_dripping_answers_are_bounded() {
    let Some(env) = common::env() else { return };
    let list = KAFKA_LIST;
    env.fault(json!({"method": "GET", "path_equals": list, "count": 1, "answer_bytes": 1u64 << 30}));
    env.write(r#"data "huaweicloud_dms_kafka_instances" "all" {}"#);
    let args = ["plan", "-input=false", "-no-color"];
    let (peak, out) = peak_provider_memory(env.spawn_tf(&args), &args);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.err().contains("the answer is larger than 16 MiB"), "{}", out.stderr);
    assert!(peak > 0 && peak < 200 << 20, "the provider peaked at {} MiB", peak >> 20);
    eprintln!("1 GiB answer: provider peak resident memory {} MiB", peak >> 20);

    // One byte every 2 s: the read ends at its 3 s timeout instead of waiting out the default 5 minutes.
    env.clear_faults();
    env.fault(json!({"method": "GET", "path_equals": list, "count": 1_000_000, "drip_ms": 2000}));
    env.write(
        r#"data "huaweicloud_dms_kafka_instances" "all" {
  timeouts {
    read = "3s"
  }
}"#,
    );
    let started = Instant::now();
    let out = env.plan();
    let took = started.elapsed();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.err().contains("deadline exceeded") || out.err().contains("in time"), "{}", out.stderr);
    assert!(took < Duration::from_secs(60), "the read took {took:?}");
    eprintln!("dripping answer with timeouts {{ read = \"3s\" }}: the plan ended after {took:?}");

    // A resource's refresh ends at its own `timeouts { read }` too.
    env.clear_faults();
    env.write(&hcl::kafka("a", "tf-drip", "timeouts {\n    read = \"3s\"\n  }"));
    env.apply();
    env.fault(json!({"method": "GET", "path_contains": "/instances", "count": 1_000_000, "drip_ms": 2000}));
    let started = Instant::now();
    let out = env.plan();
    let took = started.elapsed();
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(out.err().contains("Error reading huaweicloud_dms_kafka_instance"), "{}", out.stderr);
    assert!(took < Duration::from_secs(60), "the refresh took {took:?}");
    eprintln!("dripping answers with a resource's timeouts {{ read = \"3s\" }}: the plan ended after {took:?}");
    env.clear_faults();
    env.destroy();

    // An invalid read timeout fails at plan, on the attribute.
    env.clear_faults();
    env.write(
        r#"data "huaweicloud_dms_kafka_instances" "all" {
  timeouts {
    read = "soon"
  }
}"#,
    );
    let out = env.plan();
    assert!(out.code == 1 && out.err().contains("timeouts.read: \"soon\" is not a duration"), "{}", out.all());
}

/// Two applies in two directories (two states) create the same Kafka name at the same moment (their
/// lookups both answered before either creates): each run that ends with two instances says so on the
/// resource, naming both ids; none of them is silent.
#[test]
fn two_runs_racing_on_one_name_are_never_silent() {
    let Some(env) = common::env_with(Duration::from_secs(3)) else { return };
    env.set_config(json!({"latency_ms": 150}));
    // Each run's lookup is answered only once the other's has arrived: both see no instance, however
    // far apart the two runs start.
    let list = KAFKA_LIST;
    env.fault(json!({"method": "GET", "path_equals": list, "count": 2, "gather": 2}));
    let config = hcl::kafka("a", "tf-race", "");
    env.write(&config);
    let other = env.sibling(&config);
    let args = ["apply", "-auto-approve", "-input=false", "-no-color"];
    let first = env.spawn_tf(&args);
    let second = env.spawn_tf_in(other.path(), &args, &[]);
    let (first, second) = (common::wait_out(first, &args), common::wait_out(second, &args));
    let ids = env.sim_ids("kafka", "instance_id");
    assert_eq!(ids.len(), 2, "both runs created: {}\n{}", first.all(), second.all());
    for out in [&first, &second] {
        assert_eq!(out.code, 0, "{}", out.all());
        let text = out.all().split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Two huaweicloud_dms_kafka_instance named \"tf-race\""), "{}", out.all());
        for id in &ids {
            assert!(text.contains(id.as_str()), "{id} missing:\n{}", out.all());
        }
    }
    env.destroy();
    let out = env.spawn_tf_in(other.path(), &["destroy", "-auto-approve", "-input=false", "-no-color"], &[]);
    assert_eq!(common::wait_out(out, &["destroy"]).code, 0);
}
