//! The IoTDA handlers driven directly (signatures are checked by the server, not here).

use std::time::Duration;

use serde_json::json;

use super::Iotda;
use crate::testing::call;
use crate::testing::One;

const P: &str = "/v5/iot/0123456789abcdef0123456789abcdef/iotda-instances";
const DELAY: Duration = Duration::from_millis(40);

fn sim() -> One {
    crate::testing::with(Box::new(Iotda::default()), DELAY)
}

fn create(sim: &One, name: &str) -> String {
    let body = json!({
        "instance_type": "standard", "flavor": {"type": "iotda.standard.s1", "size": 1}, "name": name,
        "charge_info": {"charge_mode": "postPaid"},
    });
    let (status, answer) = call(sim, "POST", P, Some(body));
    assert_eq!(status, 200, "{answer}");
    answer["instance_id"].as_str().unwrap().to_string()
}

/// The service gives a new instance a change window; an update stores the one sent exactly, a window
/// that ends at "24:00" included.
#[test]
fn operate_window_default_and_as_sent() {
    let sim = sim();
    let id = create(&sim, "window");
    let path = format!("{P}/{id}");
    let window = json!({"start_time": "02:00", "end_time": "06:00"});
    assert_eq!(call(&sim, "GET", &path, None).1["operate_window"], window);
    sim.advance_clock(DELAY * 2);
    let sent = json!({"start_time": "22:00", "end_time": "24:00"});
    let (status, body) = call(&sim, "PUT", &path, Some(json!({ "operate_window": sent })));
    assert_eq!((status, &body["operate_window"]), (200, &sent), "{body}");
    assert_eq!(call(&sim, "GET", &path, None).1["operate_window"], sent);
}

#[test]
fn list_and_task_paging_follow_the_sdk_ranges() {
    let sim = sim();
    let ids: Vec<String> = (0..3).map(|n| create(&sim, &format!("inst-{n}"))).collect();
    for (query, part) in [
        ("limit=0", "limit: must be between 1 and 500, got 0"),
        ("limit=501", "limit: must be between 1 and 500, got 501"),
        ("limit=ten", "limit: expected an Integer, got \"ten\""),
        ("offset=-1", "offset: must be between 0 and 500, got -1"),
        ("offset=501", "offset: must be between 0 and 500, got 501"),
        ("marker=ffffffff-0000-4000-8000-000000000000", "marker: unknown marker"),
    ] {
        let (status, body) = call(&sim, "GET", &format!("{P}?{query}"), None);
        assert_eq!(
            (status, body["error_code"].as_str()),
            (400, Some(hwapi::contract::iotda::ERRORS.invalid.code)),
            "{query}: {body}"
        );
        assert!(body["error_msg"].as_str().unwrap().contains(part), "{query}: {body}");
    }
    // The provider's page size (500) and the extremes are accepted; pages are newest first.
    let (_, page) = call(&sim, "GET", &format!("{P}?limit=500&offset=500"), None);
    assert_eq!((page["count"].as_u64(), page["instances"].as_array().map(Vec::len)), (Some(3), Some(0)));
    let (_, page) = call(&sim, "GET", &format!("{P}?limit=1&offset=1"), None);
    assert_eq!(page["instances"][0]["instance_id"], ids[1].as_str());

    // Tasks: a delete adds a second one; newest first, paged by limit, offset and marker.
    sim.advance_clock(DELAY * 2);
    let id = &ids[0];
    assert_eq!(call(&sim, "DELETE", &format!("{P}/{id}"), None).0, 204);
    let tasks = format!("{P}/{id}/tasks");
    let (_, all) = call(&sim, "GET", &tasks, None);
    let kinds: Vec<&str> = all["tasks"].as_array().unwrap().iter().map(|t| t["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["DELETE", "CREATE"]);
    let (_, first) = call(&sim, "GET", &format!("{tasks}?limit=1"), None);
    assert_eq!((first["tasks"][0]["type"].as_str(), first["page"]["count"].as_u64()), (Some("DELETE"), Some(2)));
    let marker = first["page"]["marker"].as_str().unwrap();
    let (_, next) = call(&sim, "GET", &format!("{tasks}?limit=1&marker={marker}"), None);
    assert_eq!(next["tasks"][0]["type"], "CREATE");
    let (_, skipped) = call(&sim, "GET", &format!("{tasks}?offset=1"), None);
    assert_eq!(skipped["tasks"].as_array().map(Vec::len), Some(1));
    for query in ["limit=0", "limit=501", "offset=501", "offset=x", "marker=nope"] {
        let (status, body) = call(&sim, "GET", &format!("{tasks}?{query}"), None);
        assert_eq!(
            (status, body["error_code"].as_str()),
            (400, Some(hwapi::contract::iotda::ERRORS.invalid.code)),
            "{query}: {body}"
        );
    }
}

/// Every status the lifecycle writes (create, an order awaiting payment, fail-creates, resize) is one
/// the contract knows, and the codes the service answers by meaning are in the contract's table.
#[test]
fn the_lifecycle_writes_only_statuses_of_the_contract() {
    let known = hwapi::contract::iotda::STATUSES.all();
    for status in ["CREATING", "TRADING", "ACTIVE", "FAILED", "MODIFYING"] {
        assert!(known.contains(&status), "{status} is not in the contract's STATUSES");
    }
    let errors = hwapi::contract::iotda::ERRORS;
    for what in [super::service::BAD_STATE, super::service::PREPAID_DELETE] {
        assert!(errors.other.iter().any(|(_, m)| *m == what), "{what:?} is not in the contract's ERRORS");
    }
}
