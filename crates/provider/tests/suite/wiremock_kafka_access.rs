//! Each Kafka user and topic access policy call pinned exactly: method, path, signed headers and body.

use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Hooks};
use hwprovider::resources::dms_kafka_permissions::DmsKafkaPermissions;
use hwprovider::resources::dms_kafka_user::DmsKafkaUser;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::api::{self, signed, tf, PID};

const INSTANCE: &str = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d";
const USER_ID: &str = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d/orders-app";
const TOPIC_ID: &str = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d/orders";

fn users() -> String {
    format!("/v2/{PID}/instances/{INSTANCE}/users")
}

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Dms, "cn-north-4")
}

#[tokio::test]
async fn user_create_sends_the_create_table_and_the_id_is_instance_slash_name() {
    let server = MockServer::start().await;
    signed(Mock::given(method("POST")).and(path(users())))
        .and(body_json(json!({"user_name": "orders-app", "user_passwd": "Orders@Pass-01", "user_desc": "orders"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let plan = tf(json!({"instance_id": INSTANCE, "name": "orders-app", "password": "Orders@Pass-01",
        "description": "orders", "role": null, "default_app": null, "created_time": null}));
    let created = DmsKafkaUser.create(&ctx(&server), &plan).await.unwrap();
    assert_eq!(created.id, USER_ID);
}

#[tokio::test]
async fn user_read_finds_the_user_in_the_list_and_a_missing_instance_is_gone() {
    let server = MockServer::start().await;
    signed(Mock::given(method("GET")).and(path(users())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"users": [
            {"user_name": "admin-user", "role": "admin", "default_app": true, "created_time": 1},
            {"user_name": "orders-app", "user_desc": "orders", "role": "guest", "default_app": false,
             "created_time": 1700000000000u64}
        ]})))
        .mount(&server)
        .await;
    let read = DmsKafkaUser.read(&ctx(&server), USER_ID).await.unwrap().unwrap();
    assert_eq!((read["role"].as_str(), read["instance_id"].as_str()), (Some("guest"), Some(INSTANCE)));
    assert!(DmsKafkaUser.read(&ctx(&server), &format!("{INSTANCE}/nobody")).await.unwrap().is_none());

    let gone = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"error_code": "DMS.00404022", "error_msg": "no instance"})),
        )
        .mount(&gone)
        .await;
    assert!(DmsKafkaUser.read(&ctx(&gone), USER_ID).await.unwrap().is_none());
}

#[tokio::test]
async fn user_password_reset_then_description_update_then_batch_delete() {
    let server = MockServer::start().await;
    signed(Mock::given(method("PUT")).and(path(format!("{}/orders-app", users()))))
        .and(body_json(json!({"new_password": "Orders@Pass-02"})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    signed(Mock::given(method("PUT")).and(path(format!("/v2/kafka/{PID}/instances/{INSTANCE}/users/orders-app"))))
        .and(body_json(json!({"user_desc": ""})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let prior = tf(json!({"password": "Orders@Pass-01", "description": "orders"}));
    let planned = tf(json!({"password": "Orders@Pass-02", "description": null}));
    hwprovider::engine::update(&DmsKafkaUser, &ctx(&server), USER_ID, &prior, &planned).await.unwrap();

    signed(Mock::given(method("PUT")).and(path(users())))
        .and(body_json(json!({"action": "delete", "users": ["orders-app"]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    DmsKafkaUser.delete(&ctx(&server), USER_ID, &tf(json!({}))).await.unwrap();
}

#[tokio::test]
async fn permissions_set_read_and_remove_exactly_their_policies() {
    let server = MockServer::start().await;
    let update = format!("/v1/{PID}/instances/{INSTANCE}/topics/accesspolicy");
    let show = format!("/v1/{PID}/instances/{INSTANCE}/topics/orders/accesspolicy");
    let policies = json!([{"user_name": "orders-app", "access_policy": "pub"}]);
    signed(Mock::given(method("POST")).and(path(update.clone())))
        .and(body_json(json!({"topics": [{"name": "orders", "policies": policies}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j1"})))
        .expect(1)
        .mount(&server)
        .await;
    let plan = tf(json!({"instance_id": INSTANCE, "topic_name": "orders", "policies": policies}));
    let created = DmsKafkaPermissions.create(&ctx(&server), &plan).await.unwrap();
    assert_eq!(created.id, TOPIC_ID);

    // Read: the topic's policies without the owner's, the instance id added.
    signed(Mock::given(method("GET")).and(path(show)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "orders", "topic_type": 0, "policies": [
            {"owner": true, "user_name": "admin-user", "access_policy": "all"},
            {"owner": false, "user_name": "orders-app", "access_policy": "pub"},
            {"owner": false, "user_name": "other-app", "access_policy": "sub"}
        ]})))
        .mount(&server)
        .await;
    let read = DmsKafkaPermissions.read(&ctx(&server), TOPIC_ID).await.unwrap().unwrap();
    assert_eq!(read["policies"].as_array().map(Vec::len), Some(2));
    assert_eq!(read["instance_id"], INSTANCE);

    // Delete: the topic's list without this resource's policy (the one added elsewhere stays).
    signed(Mock::given(method("POST")).and(path(update)))
        .and(body_json(json!({"topics": [{"name": "orders", "policies": [
            {"user_name": "other-app", "access_policy": "sub"}
        ]}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j2"})))
        .expect(1)
        .mount(&server)
        .await;
    DmsKafkaPermissions.delete(&ctx(&server), TOPIC_ID, &plan).await.unwrap();
}
