//! Each CloudDC call pinned exactly: method, path, query, signed headers and body, against a scripted server.

use crate::common;

use common::api::{self, signed, tf, PID};
use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Existing, Hooks};
use hwprovider::resources::clouddc_instance::ClouddcInstance;
use serde_json::{json, Value};
use tfplugin::framework::TfValue;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "0198170e-4ca7-7ee4-89a7-fa631843920b";

fn base() -> String {
    format!("/v1/{PID}/instances")
}

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Clouddc, "cn-east-3")
}

fn full_plan() -> TfValue {
    tf(json!({
        "name": "bm-web.01", "image_id": "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a", "vpc_id": "vpc-0a1b",
        "network_interfaces": [
            {"subnet_id": "subnet-a", "ipv4_address": "192.168.0.10"},
            {"subnet_id": "subnet-b", "ipv4_address": null}
        ],
        "password": "Secret-123", "metadata": {"env": "dev", "owner": "ops team"}, "description": "web tier",
        "placement": [{"server_id": "srv-01"}],
        "status": null, "operation_state": null, "server_id": null, "image_name": null, "os_type": null,
        "created_at": null, "updated_at": null, "launched_at": null, "id": null, "timeouts": null
    }))
}

#[tokio::test]
async fn create_sends_every_table_field_with_its_json_type() {
    let server = MockServer::start().await;
    let expected = json!({
        "name": "bm-web.01", "image_id": "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a", "vpc_id": "vpc-0a1b",
        "network_interfaces": [{"subnet_id": "subnet-a", "ipv4_address": "192.168.0.10"}, {"subnet_id": "subnet-b"}],
        "password": "Secret-123", "metadata": {"env": "dev", "owner": "ops team"}, "description": "web tier",
        "placement": {"server_id": "srv-01"}
    });
    signed(Mock::given(method("POST")).and(path(base())).and(body_json(expected)))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "instance_id": ID })))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(ClouddcInstance.create(&ctx(&server), &full_plan()).await.unwrap().id, ID);
}

#[tokio::test]
async fn create_omits_unset_fields() {
    let server = MockServer::start().await;
    let expected = json!({
        "name": "bm", "image_id": "img", "vpc_id": "vpc",
        "network_interfaces": [{"subnet_id": "subnet-a"}], "password": "Secret-123"
    });
    signed(Mock::given(method("POST")).and(path(base())).and(body_json(expected)))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({ "instance_id": ID })))
        .expect(1)
        .mount(&server)
        .await;
    let plan = tf(json!({
        "name": "bm", "image_id": "img", "vpc_id": "vpc",
        "network_interfaces": [{"subnet_id": "subnet-a", "ipv4_address": null}], "password": "Secret-123",
        "metadata": null, "description": null, "placement": [], "status": null, "id": null
    }));
    assert_eq!(ClouddcInstance.create(&ctx(&server), &plan).await.unwrap().id, ID);
}

fn status_path() -> String {
    format!("{}/{ID}/status", base())
}

fn status(state: &str) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"state": state, "operation_state": "install-succeed", "error": null}))
}

#[tokio::test]
async fn wait_polls_status_until_running() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(status("pending"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    signed(Mock::given(method("GET")).and(path(status_path())))
        .respond_with(status("running"))
        .expect(1)
        .mount(&server)
        .await;
    ClouddcInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap();
}

#[tokio::test]
async fn a_failed_create_reports_the_status_error() {
    let server = MockServer::start().await;
    let failed = json!({"state": "error", "operation_state": "install-succeed",
        "error": {"error_code": "iMetal.0300", "error_msg": "no idle server", "error_type": "create_instance_error"}});
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(ResponseTemplate::new(200).set_body_json(failed))
        .expect(1)
        .mount(&server)
        .await;
    let err = ClouddcInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap_err().to_string();
    let expected = "the instance entered status \"error\" while waiting for running: \
                    error_code iMetal.0300, error_msg \"no idle server\"";
    assert_eq!(err, expected);
}

fn listed(state: &str) -> Value {
    json!({
        "id": ID, "name": "bm", "vpc_id": "vpc",
        "network_interfaces": [{"subnet_id": "subnet-a", "ipv4_address": "192.168.0.10"}],
        "tags": [], "image": {"id": "img", "name": "EulerOS", "os_type": "Linux"}, "description": "", "state": state,
        "operation_state": "install-succeed", "metadata": {}, "server_id": "srv-01", "created_at": "2025-01-02T03:04:05Z",
        "updated_at": "2025-01-02T03:04:05Z", "launched_at": "2025-01-02T03:06:05Z", "error": null
    })
}

async fn mount_list(server: &MockServer, instances: Value) {
    signed(Mock::given(method("GET")).and(path(base())).and(query_param("instance_id", ID)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": instances, "count": 1})))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn read_merges_the_list_entry_and_the_status() {
    let server = MockServer::start().await;
    mount_list(&server, json!([listed("pending")])).await;
    signed(Mock::given(method("GET")).and(path(status_path())))
        .respond_with(status("running"))
        .expect(1)
        .mount(&server)
        .await;
    let got = ClouddcInstance.read(&ctx(&server), ID).await.unwrap().unwrap();
    assert_eq!(got["state"], "running", "the status call wins");
    assert_eq!(got["image"]["name"], "EulerOS");
    assert_eq!(got["network_interfaces"][0]["ipv4_address"], "192.168.0.10");
    let query = server.received_requests().await.unwrap().iter().find_map(|r| r.url.query().map(str::to_string));
    assert_eq!(query.as_deref(), Some(format!("instance_id={ID}").as_str()));
}

#[tokio::test]
async fn read_is_none_when_terminated_absent_or_not_found() {
    for (list, state) in [(json!([listed("terminated")]), "terminated"), (json!([]), "running")] {
        let server = MockServer::start().await;
        mount_list(&server, list).await;
        Mock::given(method("GET")).and(path(status_path())).respond_with(status(state)).mount(&server).await;
        assert!(ClouddcInstance.read(&ctx(&server), ID).await.unwrap().is_none(), "{state}");
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error_code": "iMetal.0200", "error_msg": "not found"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    assert!(ClouddcInstance.read(&ctx(&server), ID).await.unwrap().is_none());
}

fn state(password: Option<&str>, second_ip: &str) -> TfValue {
    tf(json!({
        "vpc_id": "vpc", "password": password,
        "network_interfaces": [
            {"subnet_id": "subnet-a", "ipv4_address": "192.168.0.10"},
            {"subnet_id": "subnet-b", "ipv4_address": second_ip}
        ]
    }))
}

#[tokio::test]
async fn update_changes_the_password_then_the_addresses_and_waits() {
    let server = MockServer::start().await;
    let calls = [
        (format!("{}/password", base()), json!({"new_password": "Newer-456", "instance_id_set": [ID]})),
        (
            format!("{}/{ID}/ip", base()),
            json!({"vpc_id": "vpc", "nics": [
                {"subnet_id": "subnet-a", "ip_address": "192.168.0.10"},
                {"subnet_id": "subnet-b", "ip_address": "192.168.1.30"}
            ]}),
        ),
    ];
    for (url, body) in calls {
        signed(Mock::given(method("PUT")).and(path(url)).and(body_json(body)))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
            .expect(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(status("pending"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(status_path())).respond_with(status("running")).expect(1).mount(&server).await;
    // The wait ends once the list shows the new addresses (and the status is running again).
    Mock::given(method("GET"))
        .and(path(base()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [{"id": ID, "name": "bm",
        "state": "running", "vpc_id": "vpc", "network_interfaces": [
            {"subnet_id": "subnet-a", "ipv4_address": "192.168.0.10"},
            {"subnet_id": "subnet-b", "ipv4_address": "192.168.1.30"}
        ]}]})))
        .mount(&server)
        .await;
    let prior = state(Some("Secret-123"), "192.168.1.20");
    let plan = state(Some("Newer-456"), "192.168.1.30");
    hwprovider::engine::update(&ClouddcInstance, &ctx(&server), ID, &prior, &plan).await.unwrap();
}

#[tokio::test]
async fn a_password_adopted_after_import_sends_nothing() {
    let server = MockServer::start().await;
    let (prior, plan) = (state(None, "192.168.1.20"), state(Some("Secret-123"), "192.168.1.20"));
    hwprovider::engine::update(&ClouddcInstance, &ctx(&server), ID, &prior, &plan).await.unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn delete_then_wait_for_terminated() {
    let server = MockServer::start().await;
    signed(Mock::given(method("DELETE")).and(path(format!("{}/{ID}", base()))))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // A failed instance still reports `error` until the deletion starts.
    for s in ["error", "shutting-down"] {
        Mock::given(method("GET"))
            .and(path(status_path()))
            .respond_with(status(s))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(status("terminated"))
        .expect(1)
        .mount(&server)
        .await;
    ClouddcInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
}

#[tokio::test]
async fn delete_fails_when_the_deletion_ends_in_error() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).mount(&server).await;
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(status("shutting-down"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(status_path())).respond_with(status("error")).mount(&server).await;
    let err = ClouddcInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap_err().to_string();
    assert!(err.contains("entered status \"error\" while waiting for terminated"), "{err}");
}

#[tokio::test]
async fn delete_succeeds_when_the_instance_is_or_becomes_not_found() {
    let not_found =
        || ResponseTemplate::new(404).set_body_json(json!({"error_code": "iMetal.0200", "error_msg": "not found"}));
    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(not_found()).expect(1).mount(&server).await;
    ClouddcInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "no wait after a 404");

    let server = MockServer::start().await;
    Mock::given(method("DELETE")).respond_with(ResponseTemplate::new(204)).expect(1).mount(&server).await;
    Mock::given(method("GET")).and(path(status_path())).respond_with(not_found()).expect(1).mount(&server).await;
    ClouddcInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
}

#[tokio::test]
async fn find_existing_reads_every_page_and_compares_names_and_the_planned_server() {
    let server = MockServer::start().await;
    let other = "00000000-0000-4000-8000-000000000000";
    signed(Mock::given(method("GET")))
        .and(path(format!("/v1/{PID}/instances")))
        .and(query_param("limit", "1000"))
        .and(query_param_is_missing("marker"))
        .and(query_param_is_missing("server_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [
            {"id": other, "name": "bm-1", "state": "shutting-down", "server_id": "srv-9"},
            {"id": other, "name": "bm-10", "state": "running", "server_id": "srv-8"}
        ], "page_info": {"next_marker": other, "current_count": 2}})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/{PID}/instances")))
        .and(query_param("marker", other))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [
            {"id": ID, "name": "bm-1", "state": "running", "server_id": "srv-1", "created_at": "2025-01-02T03:04:05Z"}
        ], "page_info": {"next_marker": null, "current_count": 1}})))
        .expect(1)
        .mount(&server)
        .await;
    let unplaced = tf(json!({"name": "bm-1", "placement": []}));
    let found = ClouddcInstance.find_existing(&ctx(&server), &unplaced).await.unwrap();
    let expected = Existing::listed(ID.into(), Some("running".into()), Some(&json!("2025-01-02T03:04:05Z")));
    assert_eq!(found, vec![expected]);

    // With a placement only that server's instances are listed, and a same-named one elsewhere does not count.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/{PID}/instances")))
        .and(query_param("server_id", "srv-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [
            {"id": ID, "name": "bm-1", "state": "pending", "server_id": "srv-2", "created_at": "t"},
            {"id": other, "name": "bm-1", "state": "running", "server_id": "srv-3"}
        ], "page_info": {"next_marker": null}})))
        .expect(1)
        .mount(&server)
        .await;
    let placed = tf(json!({"name": "bm-1", "placement": [{"server_id": "srv-2"}]}));
    let found = ClouddcInstance.find_existing(&ctx(&server), &placed).await.unwrap();
    assert_eq!(found, vec![Existing::listed(ID.into(), Some("pending".into()), Some(&json!("t")))]);
}

#[tokio::test]
async fn a_list_that_repeats_its_page_is_an_error_not_an_endless_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/{PID}/instances")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [
            {"id": ID, "name": "other", "state": "running"}
        ], "page_info": {"next_marker": ID}})))
        .mount(&server)
        .await;
    let plan = tf(json!({"name": "bm-1", "placement": []}));
    let err = ClouddcInstance.find_existing(&ctx(&server), &plan).await.unwrap_err();
    assert!(err.to_string().contains("the same page again"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

/// A new image is one reinstall call with the configured password (no separate password call), then
/// a wait until running with the new image listed; a busy (409) answer is waited for and resent.
#[tokio::test]
async fn a_new_image_reinstalls_in_place_with_the_configured_password() {
    let server = MockServer::start().await;
    let body = json!({"image_id": "img-2", "password": "Newer-4567", "instance_id_set": [ID]});
    Mock::given(method("PUT"))
        .and(path(format!("/v1/{PID}/instances/reinstall")))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"error_code": "iMetal.0201", "error_msg": "busy"})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("PUT")).and(path(format!("/v1/{PID}/instances/reinstall"))).and(body_json(body)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instances": [{"id": ID}]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(status_path()))
        .respond_with(status("pending"))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(status_path())).respond_with(status("running")).mount(&server).await;
    // The list shows the old image until the reinstall is accepted (read once after the busy answer).
    let listed = |image: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"instances": [{"id": ID, "name": "bm", "state": "running", "image": {"id": image}}]}))
    };
    Mock::given(method("GET")).and(path(base())).respond_with(listed("img-1")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path(base())).respond_with(listed("img-2")).mount(&server).await;
    let prior = tf(json!({"image_id": "img-1", "password": "Secret-123", "network_interfaces": []}));
    let planned = tf(json!({"image_id": "img-2", "password": "Newer-4567", "network_interfaces": []}));
    hwprovider::engine::update(&ClouddcInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
    let writes: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(writes.len(), 2, "the busy answer, then the resent reinstall, and no password call: {writes:?}");
}

/// A 409 on an instance that has settled elsewhere (stopped) ends at once instead of waiting out the
/// update timeout for a running state that will not come.
#[tokio::test]
async fn a_busy_answer_on_a_stopped_instance_fails_at_once() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(format!("/v1/{PID}/instances/{ID}/ip")))
        .respond_with(
            ResponseTemplate::new(409).set_body_json(json!({"error_code": "iMetal.0201", "error_msg": "stopped"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(status_path())).respond_with(status("stopped")).mount(&server).await;
    let prior = state(Some("Secret-123"), "192.168.2.20");
    let planned = state(Some("Secret-123"), "192.168.2.30");
    let started = tokio::time::Instant::now();
    let err = hwprovider::engine::update(&ClouddcInstance, &ctx(&server), ID, &prior, &planned)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("entered status \"stopped\" while waiting for running"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}
