//! Each DMS for Kafka call pinned exactly: method, path, signed headers and body, against a scripted server.

use crate::common;

use common::api::{self, signed, tf, PID};
use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Hooks};
use hwprovider::resources::dms_kafka_instance::DmsKafkaInstance;
use serde_json::{json, Value};
use tfplugin::framework::TfValue;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d";
/// The table example's three EIPs, one per broker.
const EIPS: &str =
    "6db1129f-16af-455d-8d54-d7ab9f277393,bb200202-423f-49e4-bae7-8ab3c36cdc3e,ca8801e8-6620-42af-b506-a5c9ee395466";

fn inst() -> String {
    format!("/v2/{PID}/instances/{ID}")
}

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Dms, "cn-north-4")
}

/// Every argument set, as Terraform plans it (computed attributes unknown are simply absent here).
fn full_plan() -> Value {
    json!({
        "name": "kafka-test", "description": "", "engine": "kafka", "engine_version": "1.1.0",
        "specification": "300MB", "storage_space": 300, "partition_num": 900,
        "access_user": "root", "password": "Secret@123",
        "vpc_id": "23921d2a-0000-4000-8000-5f2fa5327a48", "security_group_id": "2e888928-0000-4000-8000-e36c6520d473",
        "subnet_id": "37bb12c9-0000-4000-8000-ae8f7d336ab6", "available_zones": ["a0865121f83b41cbafce65930a22a6e8"],
        "product_id": "00300-30310-0--0", "kafka_manager_user": "root", "kafka_manager_password": "Manager@123",
        "maintain_begin": "22:00", "maintain_end": "02:00", "enable_publicip": true, "public_bandwidth": 3,
        "publicip_id": EIPS,
        "ssl_enable": true, "retention_policy": "time_base", "connector_enable": false, "enable_auto_topic": true,
        "storage_spec_code": "dms.physical.storage.ultra", "enterprise_project_id": "0",
        "tags": {"key1": "value1", "key2": "value2"},
        "status": null, "id": null, "timeouts": null
    })
}

/// The table's example request, with `public_bandwidth` as the table names it (the example's
/// `public_boundwidth` is a typo) and the JSON types of the table.
fn expected_full_body() -> Value {
    let mut b = full_plan();
    let obj = b.as_object_mut().unwrap();
    for computed in ["status", "id", "timeouts"] {
        obj.remove(computed);
    }
    obj.insert("tags".into(), json!([{"key": "key1", "value": "value1"}, {"key": "key2", "value": "value2"}]));
    b
}

fn show(status: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": status, "tags": []}))
}

fn dms_error(status: u16, code: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({"error_code": code, "error_msg": "from the service"}))
}

#[tokio::test]
async fn create_sends_every_argument_with_its_table_type() {
    let server = MockServer::start().await;
    signed(Mock::given(method("POST")).and(path(format!("/v2/{PID}/instances"))).and(body_json(expected_full_body())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(DmsKafkaInstance.create(&ctx(&server), &tf(full_plan())).await.unwrap().id, ID);
}

#[tokio::test]
async fn create_omits_unset_and_computed_arguments() {
    let server = MockServer::start().await;
    let required = json!({
        "name": "kafka-min", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "v", "security_group_id": "g", "subnet_id": "s",
        "available_zones": ["az1", "az2", "az3"], "product_id": "p", "kafka_manager_user": "admin",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.high",
    });
    let mut plan = required.clone();
    for unset in ["description", "access_user", "password", "publicip_id", "tags"] {
        plan[unset] = Value::Null;
    }
    let plan = tf(plan);
    // What the API fills in is unknown in the plan of a create.
    let mut plan = match plan {
        TfValue::Map(m) => m,
        _ => unreachable!(),
    };
    for computed in ["partition_num", "maintain_begin", "maintain_end", "enable_publicip", "retention_policy", "status"]
    {
        plan.insert(computed.into(), TfValue::Unknown);
    }
    signed(Mock::given(method("POST")).and(path(format!("/v2/{PID}/instances"))).and(body_json(required)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID})))
        .expect(1)
        .mount(&server)
        .await;
    DmsKafkaInstance.create(&ctx(&server), &TfValue::Map(plan)).await.unwrap();
}

#[tokio::test]
async fn wait_ready_polls_until_running_and_fails_fast_on_createfailed() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(inst())).respond_with(show("CREATING")).up_to_n_times(2).mount(&server).await;
    signed(Mock::given(method("GET")).and(path(inst()))).respond_with(show("RUNNING")).expect(1).mount(&server).await;
    DmsKafkaInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap();

    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(inst())).respond_with(show("CREATEFAILED")).expect(1).mount(&server).await;
    let err = DmsKafkaInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap_err().to_string();
    assert_eq!(err, "the instance entered status \"CREATEFAILED\" while waiting for RUNNING");
}

#[tokio::test]
async fn read_adds_the_tags_when_the_show_lacks_them_and_404_is_gone() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(inst()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"instance_id": ID, "status": "RUNNING", "partition_num": "300"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("GET")).and(path(format!("/v2/{PID}/kafka/{ID}/tags"))))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"tags": [{"key": "k", "value": "v"}]})))
        .expect(1)
        .mount(&server)
        .await;
    let got = DmsKafkaInstance.read(&ctx(&server), ID).await.unwrap().unwrap();
    assert_eq!(got["tags"], json!([{"key": "k", "value": "v"}]));

    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(inst())).respond_with(dms_error(404, "DMS.00404022")).mount(&server).await;
    assert!(DmsKafkaInstance.read(&ctx(&server), ID).await.unwrap().is_none());
}

#[tokio::test]
async fn update_sends_only_the_changed_fields_then_tags_then_autotopic() {
    let server = MockServer::start().await;
    let calls = [
        (
            "PUT",
            inst(),
            json!({"name": "renamed", "description": "", "retention_policy": "produce_reject",
                   "maintain_begin": "02:00:00", "maintain_end": "06:00:00"}),
        ),
        (
            "POST",
            format!("/v2/{PID}/kafka/{ID}/tags/action"),
            json!({"action": "delete", "tags": [{"key": "a", "value": "1"}, {"key": "gone", "value": "x"}]}),
        ),
        (
            "POST",
            format!("/v2/{PID}/kafka/{ID}/tags/action"),
            json!({"action": "create", "tags": [{"key": "a", "value": "2"}, {"key": "new", "value": ""}]}),
        ),
        ("POST", format!("{}/autotopic", inst()), json!({"enable_auto_topic": false})),
    ];
    for (verb, url, body) in calls {
        signed(Mock::given(method(verb)).and(path(url)).and(body_json(body)))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    // After the auto-topic switch the instance restarts, then runs again.
    Mock::given(method("GET")).and(path(inst())).respond_with(show("RESTARTING")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path(inst())).respond_with(show("RUNNING")).expect(1).mount(&server).await;
    let prior = tf(json!({"name": "old", "description": "d", "retention_policy": "time_base",
        "maintain_begin": "22:00", "maintain_end": "02:00", "security_group_id": "sg", "enterprise_project_id": "0",
        "tags": {"a": "1", "keep": "k", "gone": "x"}, "enable_auto_topic": true, "password": "Secret@123"}));
    let planned = tf(json!({"name": "renamed", "description": null, "retention_policy": "produce_reject",
        "maintain_begin": "02:00", "maintain_end": "06:00", "security_group_id": "sg", "enterprise_project_id": "0",
        "tags": {"a": "2", "keep": "k", "new": ""}, "enable_auto_topic": false, "password": "Secret@123"}));
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
}

#[tokio::test]
async fn a_busy_instance_is_waited_for_and_the_call_resent() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(inst()))
        .respond_with(dms_error(400, "DMS.00400026"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("PUT")).and(path(inst())).and(body_json(json!({"security_group_id": "sg-new"}))))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // The settle poll, then the read that decides what is still to send.
    Mock::given(method("GET")).and(path(inst())).respond_with(show("RUNNING")).expect(2).mount(&server).await;
    let prior = tf(json!({"security_group_id": "sg-old"}));
    let planned = tf(json!({"security_group_id": "sg-new"}));
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();

    // A change that reached the instance meanwhile (an interrupted apply's call) is not sent again.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(inst()))
        .respond_with(dms_error(400, "DMS.00400026"))
        .expect(1)
        .mount(&server)
        .await;
    let done = json!({"instance_id": ID, "status": "RUNNING", "tags": [], "security_group_id": "sg-new"});
    Mock::given(method("GET"))
        .and(path(inst()))
        .respond_with(ResponseTemplate::new(200).set_body_json(done))
        .expect(2)
        .mount(&server)
        .await;
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();

    // Another 400 is not retried.
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(inst()))
        .respond_with(dms_error(400, "DMS.00400000"))
        .expect(1)
        .mount(&server)
        .await;
    let err = hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned)
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("HTTP 400, error_code DMS.00400000"), "{err}");
}

#[tokio::test]
async fn delete_then_wait_until_404_through_a_passing_error_status() {
    let server = MockServer::start().await;
    signed(Mock::given(method("DELETE")).and(path(inst())))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).and(path(inst())).respond_with(show("DELETING")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path(inst())).respond_with(show("ERROR")).up_to_n_times(1).mount(&server).await;
    Mock::given(method("GET")).and(path(inst())).respond_with(dms_error(404, "DMS.00404022")).mount(&server).await;
    DmsKafkaInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
    let gets = server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(gets, 3);

    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path(inst()))
        .respond_with(dms_error(404, "DMS.00404022"))
        .expect(1)
        .mount(&server)
        .await;
    DmsKafkaInstance.delete(&ctx(&server), ID, &TfValue::Null).await.unwrap();
}

#[tokio::test]
async fn find_existing_lists_exact_names_with_failures_on_every_page_and_skips_deletions() {
    let server = MockServer::start().await;
    let listed = |n: usize, status: &str| json!({"instance_id": format!("id-{n}"), "name": "kafka-test", "status": status, "created_at": "1700000000000"});
    let first: Vec<Value> = (0..50).map(|n| listed(n, if n == 0 { "RUNNING" } else { "DELETING" })).collect();
    signed(Mock::given(method("GET")).and(path(format!("/v2/{PID}/instances"))))
        .and(query_param("offset", "0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_num": 51, "instances": first})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PID}/instances")))
        .and(query_param("offset", "50"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"instance_num": 51, "instances": [listed(50, "CREATEFAILED")]})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let found = DmsKafkaInstance.find_existing(&ctx(&server), &tf(full_plan())).await.unwrap();
    let ids: Vec<(&str, &str)> = found.iter().map(|e| (e.id.as_str(), e.status.as_str())).collect();
    assert_eq!(ids, [("id-0", "RUNNING"), ("id-50", "CREATEFAILED")]);
    assert_eq!(found[0].created, "2023-11-14T22:13:20Z");
    let url = &server.received_requests().await.unwrap()[0].url;
    assert_eq!(
        url.query(),
        Some("engine=kafka&exact_match_name=true&include_failure=true&limit=50&name=kafka-test&offset=0")
    );
}

/// Storage first, then the product, each waited for until RUNNING with the new value, then both
/// passwords; a password never known (after an import) is not sent.
#[tokio::test]
async fn resize_storage_then_product_then_reset_both_passwords() {
    let server = MockServer::start().await;
    let extend = format!("/v2/{PID}/kafka/instances/{ID}/extend");
    signed(Mock::given(method("POST")).and(path(extend.as_str())))
        .and(body_json(json!({"oper_type": "storage", "new_storage_space": 900})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j1"})))
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("POST")).and(path(extend.as_str())))
        .and(body_json(json!({"oper_type": "vertical", "new_product_id": "00300-30310-0--0"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j2"})))
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("PUT")).and(path(format!("{}/kafka-manager-password", inst()))))
        .and(body_json(json!({"new_password": "Manager@456"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("POST")).and(path(format!("{}/password", inst()))))
        .and(body_json(json!({"new_password": "Secret@456"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // RUNNING with the old size first (the resize not started yet), then EXTENDING, then the new values.
    let show_with = |status: &str, size: i64, product: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"instance_id": ID, "status": status, "storage_space": size, "product_id": product}))
    };
    let old = "00300-30308-0--0";
    for (status, size, product) in [("RUNNING", 600, old), ("EXTENDING", 600, old), ("RUNNING", 900, old)] {
        Mock::given(method("GET"))
            .and(path(inst()))
            .respond_with(show_with(status, size, product))
            .up_to_n_times(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path(inst()))
        .respond_with(show_with("RUNNING", 900, "00300-30310-0--0"))
        .mount(&server)
        .await;
    let prior = tf(json!({"storage_space": 600, "product_id": old, "specification": "100MB",
        "kafka_manager_password": "Manager@123", "password": "Secret@123"}));
    let planned = tf(json!({"storage_space": 900, "product_id": "00300-30310-0--0", "specification": "300MB",
        "kafka_manager_password": "Manager@456", "password": "Secret@456"}));
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
    let order: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .map(|r| format!("{} {}", r.method, r.url.path().rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(order, ["POST extend", "POST extend", "PUT kafka-manager-password", "POST password"]);

    // After an import the passwords are unknown: they are adopted, nothing is sent.
    let server = MockServer::start().await;
    let prior = tf(json!({"kafka_manager_password": null, "password": null}));
    let planned = tf(json!({"kafka_manager_password": "Manager@456", "password": "Secret@456"}));
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(&server), ID, &prior, &planned).await.unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// What no API can change is refused at plan: a smaller disk, a product without its specification (or
/// the reverse), a configured partition count across a product change.
#[test]
fn shrinking_storage_or_changing_product_and_specification_apart_is_refused() {
    let prior = tf(json!({"storage_space": 900, "product_id": "p1", "specification": "100MB", "partition_num": 300}));
    let unset = tf(json!({"partition_num": null}));
    let problems = |planned: Value, config: &TfValue| {
        DmsKafkaInstance
            .change_problems(&prior, &tf(planned), config)
            .into_iter()
            .map(|(p, m)| format!("{} {m}", p.join(".")))
            .collect::<Vec<_>>()
    };
    let shrink = problems(json!({"storage_space": 600, "product_id": "p1", "specification": "100MB"}), &unset);
    assert_eq!(shrink.len(), 1);
    assert!(shrink[0].starts_with("storage_space cannot shrink from 900 to 600"), "{shrink:?}");
    assert!(shrink[0].contains("terraform destroy -refresh=false -target=ADDRESS"), "{shrink:?}");
    let spec = problems(json!({"storage_space": 900, "product_id": "p1", "specification": "300MB"}), &unset);
    assert!(spec.len() == 1 && spec[0].starts_with("specification changes only together with product_id"), "{spec:?}");
    let product = problems(json!({"storage_space": 900, "product_id": "p2", "specification": "100MB"}), &unset);
    assert!(product.len() == 1 && product[0].starts_with("product_id changes only together with specification"));
    let both = json!({"storage_space": 1000, "product_id": "p2", "specification": "300MB"});
    assert!(problems(both.clone(), &unset).is_empty());
    let pinned = problems(both, &tf(json!({"partition_num": 300})));
    assert!(pinned.len() == 1 && pinned[0].starts_with("partition_num is decided by the product"), "{pinned:?}");
    // A value unknown at plan is judged at apply.
    let unknown = TfValue::Map(
        [
            ("storage_space".to_string(), TfValue::Number(900)),
            ("product_id".to_string(), TfValue::Unknown),
            ("specification".to_string(), TfValue::String("300MB".into())),
        ]
        .into(),
    );
    assert!(DmsKafkaInstance.change_problems(&prior, &unknown, &unset).is_empty());
}

/// Answers are read into typed structs: one that does not fit is an error naming the call and the field,
/// never a silent default.
#[tokio::test]
async fn an_answer_that_does_not_fit_names_the_call_and_the_field() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(inst()))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID, "status": 7})))
        .mount(&server)
        .await;
    let err = DmsKafkaInstance.wait_ready(&ctx(&server), &api::created(ID)).await.unwrap_err().to_string();
    assert!(err.starts_with(&format!("GET {}: HTTP 200, unexpected response body: invalid type", inst())), "{err}");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/{PID}/instances")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"instance_num": 1, "instances": [{"name": "kafka-test"}]})),
        )
        .mount(&server)
        .await;
    let err = DmsKafkaInstance.find_existing(&ctx(&server), &tf(full_plan())).await.unwrap_err().to_string();
    assert!(err.contains("unexpected response body: instances: missing field `instance_id`"), "{err}");
}

/// The list data source reads every page (offset by the entries so far, until `instance_num`) with the
/// filters as query parameters, and fetches the tags of an entry that lacks them.
#[tokio::test]
async fn list_follows_every_page_with_the_filters() {
    let server = MockServer::start().await;
    let entry = |i: usize| json!({"instance_id": format!("id-{i:03}"), "name": format!("k-{i}"), "status": "RUNNING", "tags": []});
    for (offset, range) in [("0", 0..50), ("50", 50..51)] {
        signed(Mock::given(method("GET")).and(path(format!("/v2/{PID}/instances"))))
            .and(query_param("engine", "kafka"))
            .and(query_param("status", "RUNNING"))
            .and(query_param("exact_match_name", "false"))
            .and(query_param("limit", "50"))
            .and(query_param("offset", offset))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "instances": range.map(entry).collect::<Vec<_>>(), "instance_num": 51
            })))
            .expect(1)
            .mount(&server)
            .await;
    }
    let filters = tf(json!({"status": "RUNNING", "exact_match_name": false, "name": null}));
    let found = DmsKafkaInstance.list(&ctx(&server), &filters).await.unwrap();
    assert_eq!(found.len(), 51);
    assert_eq!((found[0].0.as_str(), found[50].0.as_str()), ("id-000", "id-050"));
}
