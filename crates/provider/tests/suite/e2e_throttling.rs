//! Under an API gateway's rate limit of 5 requests a second per service (half the rate the provider
//! starts at), an apply of 30 instances with -parallelism=20 learns the limit from the first 429s and
//! paces every call of the service: no failure, no duplicate, and the throttled answers come early.

use serde_json::json;

use crate::common::{self, hcl};

#[test]
fn a_rate_limited_gateway_slows_the_whole_apply_down_without_failures() {
    let Some(env) = common::env() else { return };
    let mut config = String::new();
    for i in 0..10 {
        config.push_str(&hcl::iotda(&format!("i{i}"), &format!("\"iot-{i}\""), ""));
        config.push_str(&hcl::kafka(&format!("k{i}"), &format!("kafka-{i}"), ""));
        config.push_str(&format!(
            "resource \"huaweicloud_clouddc_instance\" \"c{i}\" {{\n  name = \"bm-{i}\"\n  image_id = \"img\"\n  vpc_id = \"vpc\"\n  \
password = \"Secret-123\"\n  network_interfaces {{\n    subnet_id = \"subnet-a\"\n  }}\n}}\n"
        ));
    }
    env.write(&config);
    env.set_config(json!({"rate_limit_per_s": 5}));
    env.clear_requests();
    let out = env.tf(&["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("30 added, 0 changed, 0 destroyed"), "{}", out.stdout);
    for (service, n) in [("iotda", 10), ("kafka", 10), ("clouddc", 10)] {
        assert_eq!(env.sim_state(service).len(), n, "{service}: no duplicate");
    }
    let requests = env.requests();
    let throttled: Vec<usize> =
        requests.iter().enumerate().filter(|(_, r)| r["status"] == 429).map(|(i, _)| i).collect();
    let share = throttled.len() as f64 / requests.len() as f64;
    eprintln!("{} requests, {} answered 429 ({:.1}%) at {throttled:?}", requests.len(), throttled.len(), share * 100.0);
    assert!(share < 0.15, "{} of {} requests were throttled", throttled.len(), requests.len());
    let late = throttled.iter().filter(|i| **i >= requests.len() / 2).count();
    assert!(late <= 4, "the pace was not learned: {late} 429s in the second half of the run ({throttled:?})");
    let accepted_creates = requests
        .iter()
        .filter(|r| {
            r["method"] == "POST"
                && r["status"].as_u64().is_some_and(|s| (200..300).contains(&s))
                && r["path"].as_str().is_some_and(|p| p.ends_with("instances"))
        })
        .count();
    assert_eq!(accepted_creates, 30, "each instance created once");
    env.set_config(json!({"rate_limit_per_s": 0}));
    env.destroy();
}
