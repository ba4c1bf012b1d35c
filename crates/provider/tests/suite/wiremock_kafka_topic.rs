//! Each topic call pinned exactly: method, path, signed headers and body.

use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Hooks};
use hwprovider::resources::dms_kafka_topic::DmsKafkaTopic;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::api::{self, signed, tf, PID};

const INSTANCE: &str = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d";

fn topics() -> String {
    format!("/v2/{PID}/instances/{INSTANCE}/topics")
}

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Dms, "cn-north-4")
}

#[tokio::test]
async fn create_read_update_and_delete_send_the_sdk_bodies() {
    let server = MockServer::start().await;
    let plan = tf(json!({"instance_id": INSTANCE, "name": "orders", "partition": 6, "replication": 3,
        "retention_time": 48, "sync_replication": null, "sync_message_flush": null, "topic_desc": null,
        "topic_other_configs": [{"name": "max.message.bytes", "value": "10485760"}]}));
    signed(Mock::given(method("POST")).and(path(topics())))
        .and(body_json(json!({"id": "orders", "partition": 6, "replication": 3, "retention_time": 48,
            "topic_other_configs": [{"name": "max.message.bytes", "value": "10485760"}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "orders"})))
        .expect(1)
        .mount(&server)
        .await;
    let created = DmsKafkaTopic.create(&ctx(&server), &plan).await.unwrap();
    assert_eq!(created.id, format!("{INSTANCE}/orders"));

    // Read: every page of the list, the topic found by name, the instance id added.
    let entry = |n: usize| json!({"name": format!("t{n}"), "partition": 3, "replication": 3});
    let first: Vec<_> = (0..50).map(entry).collect();
    signed(Mock::given(method("GET")).and(path(topics())).and(query_param("offset", "0")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 51, "topics": first})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(topics()))
        .and(query_param("offset", "50"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": 51, "topics": [
            {"name": "orders", "partition": 6, "replication": 3, "retention_time": 48}
        ]})))
        .mount(&server)
        .await;
    let read = DmsKafkaTopic.read(&ctx(&server), &created.id).await.unwrap().unwrap();
    assert_eq!((read["instance_id"].as_str(), read["partition"].as_i64()), (Some(INSTANCE), Some(6)));

    // Update: one PUT naming the topic, partitions as new_partition_numbers, a cleared description sent empty.
    signed(Mock::given(method("PUT")).and(path(topics())))
        .and(body_json(
            json!({"topics": [{"id": "orders", "new_partition_numbers": 8, "retention_time": 24, "topic_desc": ""}]}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let prior = tf(json!({"partition": 6, "retention_time": 48, "topic_desc": "orders"}));
    let planned = tf(json!({"partition": 8, "retention_time": 24, "topic_desc": null}));
    hwprovider::engine::update(&DmsKafkaTopic, &ctx(&server), &created.id, &prior, &planned).await.unwrap();

    // Delete: the batch delete with the one name, then a wait until the list no longer shows it; a refusal
    // for a topic that is gone anyway is not an error, one for a topic still listed is.
    for (success, listed_after) in [(true, false), (false, false), (false, true)] {
        let server = MockServer::start().await;
        signed(Mock::given(method("POST")).and(path(format!("{}/delete", topics()))))
            .and(body_json(json!({"topics": ["orders"]})))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(json!({"topics": [{"id": "orders", "success": success}]})),
            )
            .expect(1)
            .mount(&server)
            .await;
        let listed = if listed_after { json!([{"name": "orders"}]) } else { json!([]) };
        let total = if listed_after { 1 } else { 0 };
        Mock::given(method("GET"))
            .and(path(topics()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"total": total, "topics": listed})))
            .mount(&server)
            .await;
        let mut ctx = ctx(&server);
        ctx.deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(2);
        let result = DmsKafkaTopic.delete(&ctx, &created.id, &plan).await;
        match (success, listed_after) {
            (_, false) => result.unwrap(),
            _ => assert!(result.unwrap_err().to_string().contains("did not delete topic \"orders\"")),
        }
    }
}
