//! The test controls: faults, the request log, failed creates, out-of-band changes, the clock, and the
//! binary.

use super::*;

#[tokio::test]
async fn faults_and_request_log() {
    let api = start().await;
    let fault = json!({"method": "POST", "path_contains": "iotda-instances", "status": 429, "error_code": "APIGW.0308", "count": 2, "retry_after": 1});
    assert_eq!(api.admin("POST", "faults", Some(fault)).await.status, 201);
    for _ in 0..2 {
        let a = api.call("POST", BASE, Some(&standard())).await;
        assert_eq!((a.status, a.code()), (429, "APIGW.0308"));
        assert_eq!(a.headers["retry-after"], "1");
    }
    let id = api.create(&standard()).await;
    assert_eq!(api.show(&id).await.status, 200);
    let log = api.admin("GET", "requests", None).await.body;
    let statuses: Vec<u64> = log.as_array().unwrap().iter().map(|e| e["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [429, 429, 200, 200]);
    assert_eq!(log[0]["body"]["name"], "tf-iotda");
    assert_eq!(log[3]["method"], "GET");
    assert_eq!(api.admin("DELETE", "requests", None).await.status, 204);
    assert_eq!(api.admin("GET", "requests", None).await.body, json!([]));
    let bad = api.admin("POST", "faults", Some(json!({"status": "429", "count": 1}))).await;
    assert_eq!(bad.status, 400);
}

#[tokio::test]
async fn fail_creates_ends_in_failed() {
    let api = start().await;
    let order = json!({"service": "iotda", "count": 1, "error_code": "IOTDA.014002", "error_msg": "no capacity"});
    assert_eq!(api.admin("POST", "fail-creates", Some(order)).await.status, 201);
    let a = api.call("POST", BASE, Some(&standard())).await;
    assert_eq!((a.status, &a.body["status"]), (200, &json!("CREATING")));
    let id = a.body["instance_id"].as_str().unwrap();
    wait_status(&api, id, "FAILED").await;
    let state = api.admin("GET", "state", None).await.body;
    assert_eq!(state["iotda"][0]["_sim"]["failure"]["error_code"], "IOTDA.014002");
    let tasks = api.call("GET", &format!("{BASE}/{id}/tasks"), None).await.body;
    assert_eq!((&tasks["tasks"][0]["type"], &tasks["tasks"][0]["status"]), (&json!("CREATE"), &json!("FAILED")));
    assert!(tasks["tasks"][0]["status_detail"].as_str().unwrap().contains("no capacity"));
    let next = api.create(&standard()).await;
    wait_status(&api, &next, "ACTIVE").await;
}

#[tokio::test]
async fn out_of_band_patch_delete_and_config() {
    let api = start().await;
    let id = api.create(&standard()).await;
    let a = api.admin("PATCH", &format!("iotda/{id}"), Some(json!({"status": "FROZEN", "name": "changed"}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    api.advance(TICK * 2).await;
    let v = api.show(&id).await.body;
    assert_eq!((&v["status"], &v["name"]), (&json!("FROZEN"), &json!("changed")));
    assert_eq!(api.admin("DELETE", &format!("iotda/{id}"), None).await.status, 204);
    assert_eq!(api.show(&id).await.status, 403);
    assert_eq!(api.admin("DELETE", &format!("iotda/{id}"), None).await.status, 404);

    let c = api.admin("POST", "config", Some(json!({"create_delay_ms": 5000}))).await;
    assert_eq!(c.body["create_delay_ms"], 5000);
    let id = api.create(&standard()).await;
    api.advance(TICK * 2).await;
    assert_eq!(api.show(&id).await.body["status"], "CREATING");
}

#[test]
fn binary_serves_until_sigterm() {
    use std::io::{BufRead, BufReader};
    let bin = env!("CARGO_BIN_EXE_huaweicloud-sim");
    let help = std::process::Command::new(bin).arg("--help").output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--create-delay-ms"));
    let mut child = std::process::Command::new(bin)
        .args(["--port", "0", "--region", "cn-east-3"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("huaweicloud-sim listening on http://127.0.0.1:"), "{line}");
    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
}

/// The simulated clock: an advance makes every transition due by then happen at once, so a long create
/// is tested without waiting for it.
#[tokio::test]
async fn the_clock_advances_pending_transitions() {
    let api = start().await;
    let set = api.admin("POST", "config", Some(json!({"create_delay_ms": 3_600_000}))).await;
    assert_eq!(set.status, 200, "{}", set.body);
    let id = api.create(&standard()).await;
    assert_eq!(api.show(&id).await.body["status"], "CREATING");
    let before = api.admin("GET", "clock", None).await.body;
    assert_eq!(before["offset_ms"], 0);
    let moved = api.admin("POST", "clock", Some(json!({"advance_ms": 3_599_000}))).await;
    assert_eq!(moved.body["offset_ms"], 3_599_000);
    assert_eq!(api.show(&id).await.body["status"], "CREATING", "one second is still to go");
    api.admin("POST", "clock", Some(json!({"advance_ms": 1_000}))).await;
    assert_eq!(api.show(&id).await.body["status"], "ACTIVE");
    let bad = api.admin("POST", "clock", Some(json!({"advance_ms": -1}))).await;
    assert_eq!(bad.status, 400, "{}", bad.body);
}
