//! The CloudDC handlers driven directly (signatures are checked by the server, not here).

use std::time::Duration;

use hwapi::contract::clouddc as c;
use serde_json::{json, Value};

use super::Clouddc;
use crate::faults::Failure;
use crate::testing::call;
use crate::testing::One;

const P: &str = "/v1/0123456789abcdef0123456789abcdef/instances";
const DELAY: Duration = Duration::from_millis(40);

fn sim() -> One {
    crate::testing::with(Box::new(Clouddc::default()), DELAY)
}

fn create_body() -> Value {
    json!({
        "name": "bm-01", "image_id": "img-1", "vpc_id": "vpc-1", "password": "Secret-123",
        "network_interfaces": [{"subnet_id": "sub-1", "ipv4_address": "192.168.1.10"}, {"subnet_id": "sub-2"}],
        "metadata": {"env": "dev"}, "description": "d", "placement": {"server_id": "srv-1"}
    })
}

/// Two delays of simulated time pass (no real sleep).
fn wait(sim: &One) {
    sim.advance_clock(DELAY * 2);
}

fn listed(sim: &One, id: &str) -> Value {
    let (status, body) = call(sim, "GET", &format!("{P}?instance_id={id}"), None);
    assert_eq!(status, 200, "{body}");
    body["instances"][0].clone()
}

/// Set (or with None remove) the member at a JSON pointer; the parent must exist.
fn edit(b: &mut Value, pointer: &str, v: Option<Value>) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    match (b.pointer_mut(parent).expect("the parent exists"), v) {
        (Value::Object(o), Some(v)) => drop(o.insert(key.into(), v)),
        (Value::Object(o), None) => drop(o.remove(key)),
        (Value::Array(a), Some(v)) => a[key.parse::<usize>().expect("an index")] = v,
        _ => panic!("cannot edit {pointer}"),
    }
}

#[test]
fn create_validation_names_the_field_and_code() {
    let sim = sim();
    let eleven: serde_json::Map<String, Value> = (0..11).map(|i| (format!("k{i}"), json!("v"))).collect();
    let cases: Vec<(&str, Option<Value>, &str, &str)> = vec![
        ("/extra", Some(json!(1)), "iMetal.0001", "extra: unknown field"),
        ("/description", Some(Value::Null), "iMetal.0001", "description: must not be null"),
        ("/name", Some(json!(5)), "iMetal.0001", "name: expected a String"),
        ("/name", Some(json!("a b")), "iMetal.0001", "name: may only contain"),
        ("/name", Some(json!("n".repeat(64))), "iMetal.0001", "name: must be 1 to 63 characters long, got 64"),
        ("/vpc_id", None, "iMetal.0002", "vpc_id"),
        ("/network_interfaces/0", Some(json!({})), "iMetal.0002", "network_interfaces[0].subnet_id"),
        ("/network_interfaces", Some(json!([])), "iMetal.0001", "must have 1 to 2 elements, got 0"),
        ("/network_interfaces/0/ipv4_address", Some(json!("10.0.0.256")), "iMetal.0001", "must be an IPv4 address"),
        ("/network_interfaces/1/ipv4_address", Some(json!("192.168.1.10")), "iMetal.0001", "twice"),
        ("/password", Some(json!("short1A")), "iMetal.0001", "8 to 26"),
        ("/password", Some(json!("alllowercase")), "iMetal.0001", "at least three of"),
        ("/password", Some(json!("Toor-1234")), "iMetal.0001", "administrator name"),
        ("/metadata", Some(json!({"k/1": "v"})), "iMetal.0001", "metadata.k/1: key"),
        ("/metadata", Some(json!({"k": 1})), "iMetal.0001", "metadata.k: expected a String"),
        ("/metadata", Some(Value::Object(eleven)), "iMetal.0001", "must have 0 to 10 elements, got 11"),
        (
            "/description",
            Some(json!("d".repeat(256))),
            "iMetal.0001",
            "description: must be 0 to 255 characters long, got 256",
        ),
        ("/placement/server_id", Some(json!(1)), "iMetal.0001", "placement.server_id"),
    ];
    for (pointer, value, code, part) in cases {
        let mut b = create_body();
        edit(&mut b, pointer, value);
        let (status, body) = call(&sim, "POST", P, Some(b));
        assert_eq!((status, body["error_code"].as_str()), (400, Some(code)), "{part}: {body}");
        assert!(body["error_msg"].as_str().unwrap().contains(part), "{part}: {body}");
    }
    assert_eq!(call(&sim, "GET", P, None).1["count"], 0, "nothing was created");
}

#[test]
fn lifecycle_create_password_ip_delete() {
    let sim = sim();
    let (status, body) = call(&sim, "POST", P, Some(create_body()));
    assert_eq!(status, 202, "{body}");
    let id = body["instance_id"].as_str().unwrap().to_string();
    assert_eq!(call(&sim, "GET", &format!("{P}/{id}/status"), None).1["state"], "pending");
    wait(&sim);
    let status = call(&sim, "GET", &format!("{P}/{id}/status"), None).1;
    assert_eq!(status, json!({"state": "running", "operation_state": "install-succeed", "error": null}));
    let inst = listed(&sim, &id);
    assert_eq!(inst["network_interfaces"][0], json!({"subnet_id": "sub-1", "ipv4_address": "192.168.1.10"}));
    assert!(inst["network_interfaces"][1]["ipv4_address"].as_str().unwrap().starts_with("192.168."));
    assert_eq!((inst["server_id"].as_str(), inst["image"]["os_type"].as_str()), (Some("srv-1"), Some("Linux")));
    assert!(inst["launched_at"].is_string());

    // The server is in use, and so is the address.
    let (status, body) = call(&sim, "POST", P, Some(create_body()));
    assert_eq!((status, body["error_code"].as_str()), (400, Some("iMetal.0101")));
    let mut other = create_body();
    other["placement"]["server_id"] = json!("srv-2");
    assert_eq!(call(&sim, "POST", P, Some(other)).1["error_code"], "iMetal.0202");

    let pw = json!({"new_password": "Other-4567", "instance_id_set": [id]});
    let (status, body) = call(&sim, "PUT", &format!("{P}/password"), Some(pw));
    assert_eq!((status, body), (200, json!({"instances": [{"id": id}]})));
    let bad = json!({"new_password": "Other-4567", "instance_id_set": [id, "nope"]});
    assert_eq!(call(&sim, "PUT", &format!("{P}/password"), Some(bad)).0, 404);

    let ip = json!({"vpc_id": "vpc-1", "nics": [{"subnet_id": "sub-1", "ip_address": "192.168.1.20"}]});
    assert_eq!(call(&sim, "PUT", &format!("{P}/{id}/ip"), Some(ip.clone())).0, 200);
    assert_eq!(call(&sim, "GET", &format!("{P}/{id}/status"), None).1["operation_state"], "modify-ip-processing");
    assert_eq!(call(&sim, "PUT", &format!("{P}/{id}/ip"), Some(ip)).1["error_code"], "iMetal.0201");
    wait(&sim);
    assert_eq!(listed(&sim, &id)["network_interfaces"][0]["ipv4_address"], "192.168.1.20");
    let wrong_vpc = json!({"vpc_id": "vpc-2", "nics": [{"subnet_id": "sub-1"}]});
    assert_eq!(call(&sim, "PUT", &format!("{P}/{id}/ip"), Some(wrong_vpc)).1["error_code"], "iMetal.0001");

    assert_eq!(call(&sim, "DELETE", &format!("{P}/{id}"), None).0, 204);
    assert_eq!(call(&sim, "GET", &format!("{P}/{id}/status"), None).1["state"], "shutting-down");
    wait(&sim);
    assert_eq!(listed(&sim, &id)["state"], "terminated");
    assert_eq!(call(&sim, "DELETE", &format!("{P}/{id}"), None).0, 404);
    sim.advance_clock(DELAY * 10);
    for (method, path) in [("GET", format!("{P}/{id}/status")), ("DELETE", format!("{P}/{id}"))] {
        let (status, body) = call(&sim, method, &path, None);
        assert_eq!((status, body["error_code"].as_str()), (404, Some("iMetal.0200")), "{method} {path}");
    }
    assert_eq!(call(&sim, "GET", &format!("{P}?instance_id={id}"), None).1["count"], 0);
}

#[test]
fn failing_create_ends_in_error_with_detail() {
    let sim = sim();
    let failure = Failure { error_code: "iMetal.0300".into(), error_msg: "no capacity".into() };
    sim.fail_creates.lock().unwrap().entry("clouddc").or_default().push_back(failure);
    let id = call(&sim, "POST", P, Some(create_body())).1["instance_id"].as_str().unwrap().to_string();
    wait(&sim);
    let status = call(&sim, "GET", &format!("{P}/{id}/status"), None).1;
    assert_eq!(status["state"], "error");
    assert_eq!(status["error"]["error_code"], "iMetal.0300");
    assert_eq!(status["error"]["error_msg"], "no capacity");
    assert_eq!(call(&sim, "DELETE", &format!("{P}/{id}"), None).0, 204, "a failed instance can be deleted");
}

#[test]
fn list_filters_and_pages() {
    let sim = sim();
    let mut ids = Vec::new();
    for n in 0..12 {
        let mut b = create_body();
        b["placement"]["server_id"] = json!(format!("srv-{n}"));
        b["network_interfaces"] = json!([{"subnet_id": "sub-1"}]);
        ids.push(call(&sim, "POST", P, Some(b)).1["instance_id"].as_str().unwrap().to_string());
    }
    let page = call(&sim, "GET", &format!("{P}?limit=1"), None).1;
    assert_eq!((page["count"].as_u64(), page["page_info"]["current_count"].as_u64()), (Some(12), Some(10)));
    let next = page["page_info"]["next_marker"].as_str().unwrap();
    let rest = call(&sim, "GET", &format!("{P}?marker={next}"), None).1;
    assert_eq!(rest["instances"].as_array().unwrap().len(), 2);
    assert!(rest["page_info"]["next_marker"].is_null());
    let two = call(&sim, "GET", &format!("{P}?instance_id={},{}", ids[0], ids[5]), None).1;
    assert_eq!(two["count"], 2);
    assert_eq!(call(&sim, "GET", &format!("{P}?server_id=srv-3"), None).1["instances"][0]["id"], ids[3].as_str());
    assert_eq!(call(&sim, "GET", &format!("{P}?instance_state=running"), None).1["count"], 0);
    assert_eq!(call(&sim, "GET", &format!("{P}?instance_state=pending"), None).1["count"], 12);
    for bad in ["instance_state=gone", "limit=x", "name=bm", "marker=zzz", "instance_id=a&server_id=b"] {
        assert_eq!(call(&sim, "GET", &format!("{P}?{bad}"), None).1["error_code"], "iMetal.0001", "{bad}");
    }
    let missing = format!("{P}/0198170e-4ca7-7ee4-89a7-fa631843920b");
    let ip = json!({"vpc_id": "vpc-1", "nics": [{"subnet_id": "sub-1"}]});
    assert_eq!(call(&sim, "PUT", &format!("{missing}/ip"), Some(ip)).0, 404);
}

#[test]
fn reinstall_goes_through_pending_and_installs_the_image_and_password() {
    let sim = sim();
    let (_, created) = call(&sim, "POST", P, Some(create_body()));
    let id = created["instance_id"].as_str().unwrap().to_string();
    wait(&sim);
    let reinstall = |body: Value| call(&sim, "PUT", &format!("{P}/reinstall"), Some(body));
    let (status, body) =
        reinstall(json!({"image_id": "img-win-2", "password": "Another-456", "instance_id_set": [id]}));
    assert_eq!((status, body), (200, json!({"instances": [{"id": id}]})));
    let (_, s) = call(&sim, "GET", &format!("{P}/{id}/status"), None);
    assert_eq!((s["state"].as_str(), s["operation_state"].as_str()), (Some("pending"), Some("reinstall-processing")));
    let (status, body) = reinstall(json!({"password": "Another-456", "instance_id_set": [id]}));
    assert_eq!(
        (status, body["error_code"].as_str()),
        (409, Some(c::ERRORS.code(super::service::BAD_STATE).code)),
        "busy: {body}"
    );
    wait(&sim);
    let v = listed(&sim, &id);
    assert_eq!((v["state"].as_str(), v["image"]["id"].as_str()), (Some("running"), Some("img-win-2")));
    assert_eq!(v["image"]["os_type"], "Windows");
    assert_eq!(v["network_interfaces"][0]["ipv4_address"], "192.168.1.10", "addresses are kept");
    let state = sim.service.objects().unwrap().snapshot(sim.now());
    assert_eq!(state[0]["_sim"]["password"], "Another-456");

    let many: Vec<String> = (0..11).map(|_| id.clone()).collect();
    let (status, body) = reinstall(json!({"password": "Another-456", "instance_id_set": many}));
    assert!(status == 400 && body["error_msg"].as_str().unwrap().contains("instance_id_set"), "{body}");
    let (status, body) = reinstall(json!({"instance_id_set": [id]}));
    assert_eq!(
        (status, body["error_code"].as_str()),
        (400, Some(c::ERRORS.code(super::service::MISSING).code)),
        "{body}"
    );
    let (status, body) = reinstall(json!({"password": "weak", "instance_id_set": [id]}));
    assert_eq!((status, body["error_code"].as_str()), (400, Some(c::ERRORS.invalid.code)), "{body}");
}

/// The list's limit is checked against the SDK's range: at most 1000, and a limit under 10 serves 10;
/// 0, negative limits and limits over 1000 are refused rather than clamped.
#[test]
fn list_limit_follows_the_sdk_range() {
    let sim = sim();
    for bad in ["-1", "0", "1001", "100000", "ten", "1.5"] {
        let (status, body) = call(&sim, "GET", &format!("{P}?limit={bad}"), None);
        assert_eq!((status, body["error_code"].as_str()), (400, Some(c::ERRORS.invalid.code)), "limit={bad}: {body}");
        assert!(body["error_msg"].as_str().unwrap().contains("limit: "), "{body}");
    }
    for good in ["1", "10", "1000"] {
        assert_eq!(call(&sim, "GET", &format!("{P}?limit={good}"), None).0, 200, "limit={good}");
    }
}

/// Every state the lifecycle writes (create, fail-creates, IP change, reinstall, delete) is one the
/// contract knows, and the codes the service answers by meaning are in the contract's table.
#[test]
fn the_lifecycle_writes_only_states_of_the_contract() {
    let known = c::STATUSES.all();
    for state in ["pending", "running", "error", "shutting-down", "terminated"] {
        assert!(known.contains(&state), "{state} is not in the contract's STATUSES");
    }
    use super::service::{BAD_STATE, IP_IN_USE, MISSING, NOT_FOUND, SERVER_NOT_READY};
    for what in [MISSING, SERVER_NOT_READY, NOT_FOUND, BAD_STATE, IP_IN_USE] {
        assert!(c::ERRORS.other.iter().any(|(_, m)| *m == what), "{what:?} is not in the contract's ERRORS");
    }
}
