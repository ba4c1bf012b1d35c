//! Routing by the contract: every declared operation is served, and nothing else is.

use hwapi::contract::{self, clouddc, iam, iotda, kafka, Op};
use hwapi::service::Service;

use super::*;

fn kafka_body() -> Value {
    json!({
        "name": "kafka-routes", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
        "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "root",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    })
}

fn clouddc_body() -> Value {
    json!({
        "name": "bm-routes", "image_id": "img-1", "vpc_id": "vpc-1", "password": "Secret-123",
        "network_interfaces": [{"subnet_id": "sub-1"}],
    })
}

/// A minimal body for every operation that takes one, valid against its table (so the request reaches
/// the service; what the service then answers does not matter here).
fn sample(op: &Op) -> Option<Value> {
    let tags = json!({"tags": [{"key": "k", "value": "v"}]});
    let samples = [
        (&iotda::CREATE, standard()),
        (&iotda::UPDATE, json!({"description": "routes"})),
        (&iotda::RESIZE, json!({"flavor": {"type": "iotda.standard.s1", "size": 2}})),
        (&iotda::BIND_TAGS, tags.clone()),
        (&iotda::UNBIND_TAGS, tags.clone()),
        (&kafka::CREATE, kafka_body()),
        (
            &kafka::CREATE_V2,
            json!({
                "name": "kafka-v2", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 300,
                "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
                "available_zones": ["d573142f24894ef3bd3664de068b44b0"], "product_id": "c6.2u4g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
            }),
        ),
        (&kafka::UPDATE, json!({"description": "routes"})),
        (&kafka::EXTEND, json!({"oper_type": "storage", "new_storage_space": 700})),
        (&kafka::PUBLIC_ACCESS, json!({"publicip_id": "eip-1,eip-2,eip-3", "public_boundwidth": 5})),
        (
            &kafka::PROTOCOL_SWITCH,
            json!({"protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "root", "pass_word": "Sasl@45678"}),
        ),
        (&kafka::CONFIGS_UPDATE, json!({"kafka_configs": [{"name": "min.insync.replicas", "value": "2"}]})),
        (&kafka::RESET_MANAGER_PASSWORD, json!({"new_password": "Manager@456"})),
        (&kafka::RESET_PASSWORD, json!({"new_password": "Sasl@45678"})),
        (&kafka::AUTOTOPIC, json!({"enable_auto_topic": true})),
        (&kafka::TAGS_ACTION, json!({"action": "create", "tags": tags["tags"]})),
        (&kafka::TOPIC_CREATE, json!({"id": "topic-a"})),
        (&kafka::TOPIC_UPDATE, json!({"topics": [{"id": "topic-a", "topic_desc": "d"}]})),
        (&kafka::TOPIC_DELETE, json!({"topics": ["topic-a"]})),
        (&kafka::USER_CREATE, json!({"user_name": "user-a", "user_desc": "routes", "user_passwd": "Secret@123"})),
        (&kafka::USER_DELETE, json!({"action": "delete", "users": ["user-a"]})),
        (&kafka::USER_RESET_PASSWORD, json!({"new_password": "Secret@456"})),
        (&kafka::USER_UPDATE, json!({"user_desc": "routes"})),
        (
            &kafka::POLICY_UPDATE,
            json!({"topics": [{"name": "topic-a", "policies": [{"user_name": "user-a", "access_policy": "all"}]}]}),
        ),
        (&clouddc::CREATE, clouddc_body()),
        (&clouddc::CHANGE_IP, json!({"vpc_id": "vpc-1", "nics": [{"subnet_id": "sub-1"}]})),
        (&clouddc::CHANGE_PASSWORD, json!({"new_password": "Secret-456", "instance_id_set": ["i-1"]})),
        (&clouddc::REINSTALL, json!({"password": "Secret-456", "instance_id_set": ["i-1"]})),
        (
            &iam::ASSUME_AGENCY,
            json!({"auth": {"identity": {"methods": ["assume_role"], "assume_role": {"agency_name": "ops", "domain_name": "d"}}}}),
        ),
    ];
    samples.into_iter().find(|(o, _)| *o == op).map(|(_, body)| body)
}

/// The error code each service answers invalid input with.
fn invalid_code(service: Service) -> &'static str {
    match service {
        Service::Iotda => "IOTDA.000006",
        Service::Dms => "DMS.00400000",
        Service::Clouddc => "iMetal.0001",
        Service::Iam => "",
    }
}

/// The path of `op` with its placeholders filled: the project, an instance of its service, and the
/// engine, user and topic of the samples.
fn path_of(op: &Op, project: &str, instance: &str) -> String {
    op.path
        .replace("{project_id}", project)
        .replace("{instance_id}", instance)
        .replace("{engine}", "kafka")
        .replace("{user_name}", "user-a")
        .replace("{topic_name}", "topic-a")
}

/// Every operation of every `OPS` list is sent (one with a body table twice: an invalid body, then a
/// valid sample); none may be answered as an undeclared API (`APIGW.0101`), and an invalid body gets
/// its service's own code.
#[tokio::test]
async fn every_declared_operation_is_served() {
    let api = start().await;
    let mut ids = Vec::new();
    for (service, create) in
        [(Service::Iotda, &iotda::CREATE), (Service::Dms, &kafka::CREATE), (Service::Clouddc, &clouddc::CREATE)]
    {
        let a = api.call("POST", &path_of(create, &api.project, ""), sample(create).as_ref()).await;
        assert!(a.status < 300, "{}: {}", create.label(), a.body);
        ids.push((service, a.body["instance_id"].as_str().unwrap().to_string()));
    }
    let lists: [&[&Op]; 4] = [iam::OPS, iotda::OPS, kafka::OPS, clouddc::OPS];
    let mut sent = 0;
    for op in lists.into_iter().flatten() {
        let instance = ids.iter().find(|(s, _)| *s == op.service).map_or("", |(_, id)| id.as_str());
        let path = path_of(op, &api.project, instance);
        assert!(!path.contains('{'), "{}: a placeholder this test does not fill", op.label());
        let method = op.method.as_str();
        if op.body.is_empty() {
            let a = api.call(method, &path, None).await;
            assert_ne!(a.code(), "APIGW.0101", "{} is declared but not served: {}", op.label(), a.body);
            sent += 1;
            continue;
        }
        // An invalid body is refused by the router with the service's own code.
        let a = api.call(method, &path, Some(&json!({"not_a_member": true}))).await;
        assert_eq!((a.status, a.code()), (400, invalid_code(op.service)), "{}: {}", op.label(), a.body);
        // IAM answers with Keystone's error document.
        let msg = a.body["error"]["message"].as_str().unwrap_or(a.msg());
        assert!(msg.contains("not_a_member: unknown field"), "{}: {}", op.label(), a.body);
        // A valid one reaches the service.
        let body = sample(op).unwrap_or_else(|| panic!("{}: this test has no sample body for it", op.label()));
        op.validate(&body).unwrap_or_else(|e| panic!("{}: the sample body is invalid: {e}", op.label()));
        let a = api.call(method, &path, Some(&body)).await;
        assert_ne!(a.code(), "APIGW.0101", "{} is declared but not served: {}", op.label(), a.body);
        assert!(a.status < 500, "{}: {}", op.label(), a.body);
        sent += 1;
    }
    let declared: usize = [iam::OPS, iotda::OPS, kafka::OPS, clouddc::OPS].iter().map(|l| l.len()).sum();
    assert_eq!(sent, declared);
    let filled = ["project_id", "instance_id", "engine", "user_name", "topic_name"];
    assert!(contract::PLACEHOLDERS.iter().all(|p| filled.contains(p)));
}

/// A path no operation declares, and a declared path with a method it does not declare, are answered
/// as the gateway answers an unpublished API; an operation without a body refuses one.
#[tokio::test]
async fn undeclared_paths_and_methods_are_404() {
    let api = start().await;
    let id = api.create(&standard()).await;
    let p = &api.project;
    for (method, path) in [
        ("GET", format!("/v2/{p}/nothing")),
        ("GET", "/v9/unknown".to_string()),
        ("GET", format!("{BASE}/{id}/tasks/some-task")),
        ("PATCH", format!("/v2/{p}/instances")),
        ("DELETE", format!("/v2/{p}/instances/{id}/topics")),
        ("POST", "/v3/projects".to_string()),
        ("PUT", format!("{BASE}/{id}/resize")),
        ("GET", format!("{BASE}/")),
    ] {
        let a = api.call(method, &path, None).await;
        assert_eq!((a.status, a.code()), (404, "APIGW.0101"), "{method} {path}: {}", a.body);
    }
    let a = api.call("GET", &format!("{BASE}/{id}"), Some(&json!({}))).await;
    assert_eq!((a.status, a.code()), (400, "IOTDA.000006"), "{}", a.body);
    let wrong = format!("/v2/{}/instances", "f".repeat(32));
    let a = api.call("GET", &wrong, None).await;
    assert_eq!((a.status, a.code()), (403, "APIGW.0302"), "{}", a.body);
}
