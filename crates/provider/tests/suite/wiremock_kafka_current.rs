//! The calls of a Kafka instance of the current shape (created with `broker_num`) pinned exactly against a
//! scripted server: the create through the current API, more brokers, the public access switch, the
//! access-method switch and the broker parameters; and the changes of that shape refused at plan.

use crate::common;

use common::api::{self, signed, tf, PID};
use hwprovider::client::Service;
use hwprovider::engine::{Ctx, Hooks};
use hwprovider::resources::dms_kafka_instance::DmsKafkaInstance;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ID: &str = "4c2b7f40-93a1-4f3e-8a55-0b6f7e2d9c11";
const ZONES: [&str; 3] =
    ["d573142f24894ef3bd3664de068b44b0", "effdcbc7d4d64a02aa1fa26b42f56533", "9f1c5806706d4c1fb0eb72f0a9b18c77"];

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Dms, "cn-north-4")
}

fn inst() -> String {
    format!("/v2/{PID}/instances/{ID}")
}

/// `base` with the members of `more` (both objects).
fn merged(mut base: Value, more: Value) -> Value {
    base.as_object_mut().unwrap().extend(more.as_object().unwrap().clone());
    base
}

/// A show answer of a running pay-per-use instance of the current shape, with `more`; its tags and
/// parameters are in it (no completing call).
fn shown(more: Value) -> ResponseTemplate {
    let base = json!({"instance_id": ID, "status": "RUNNING", "new_spec_billing_enable": true, "charging_mode": 1,
        "tags": [], "kafka_configs": []});
    ResponseTemplate::new(200).set_body_json(merged(base, more))
}

/// Mounts the show answers in turn, each `n` times (the last for every later read).
async fn show_in_turn(server: &MockServer, answers: Vec<(u64, Value)>) {
    let last = answers.len() - 1;
    for (i, (n, more)) in answers.into_iter().enumerate() {
        let m = Mock::given(method("GET")).and(path(inst())).respond_with(shown(more));
        if i == last {
            m.mount(server).await
        } else {
            m.up_to_n_times(n).expect(n).mount(server).await
        }
    }
}

/// A state of the current shape: three brokers of 100 GB, with `more`.
fn state(more: Value) -> Value {
    merged(
        json!({"new_spec_billing_enable": true, "charging_mode": 1, "broker_num": 3, "storage_space": 300,
            "product_id": "c6.2u4g.cluster", "specification": "100MB", "status": "RUNNING"}),
        more,
    )
}

/// The requests other than reads, as `METHOD last-path-segment body`.
async fn writes(server: &MockServer) -> Vec<String> {
    let requests = server.received_requests().await.unwrap();
    requests
        .iter()
        .filter(|r| r.method.as_str() != "GET")
        .map(|r| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or(Value::Null);
            format!("{} {} {body}", r.method, r.url.path().rsplit('/').next().unwrap())
        })
        .collect()
}

async fn update(server: &MockServer, prior: Value, planned: Value) {
    let (prior, planned) = (tf(prior), tf(planned));
    hwprovider::engine::update(&DmsKafkaInstance, &ctx(server), ID, &prior, &planned).await.unwrap();
}

/// A plan of the current shape with the access methods, billing, broker addresses and architecture.
fn current_plan() -> Value {
    json!({
        "name": "kafka-current", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 300,
        "vpc_id": "vpc-1", "security_group_id": "sg-1", "subnet_id": "subnet-1", "available_zones": ZONES,
        "product_id": "c6.2u4g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
        "tenant_ips": ["192.168.0.11", "192.168.0.12", "192.168.0.13"], "arch_type": "X86",
        "port_protocol": [{"private_plain_enable": true, "private_sasl_ssl_enable": false,
            "private_sasl_plaintext_enable": null, "public_plain_enable": null, "public_sasl_ssl_enable": null,
            "public_sasl_plaintext_enable": null}],
        "bss_param": [{"charging_mode": "prePaid", "period_type": "month", "period_num": 2, "is_auto_renew": true,
            "is_auto_pay": true}],
        // Set by the configuration call after the create, never in its body.
        "parameters": [{"name": "message.max.bytes", "value": "2097152"}],
        "description": null, "password": null, "tags": null, "status": null, "id": null, "timeouts": null
    })
}

#[tokio::test]
async fn broker_num_creates_through_the_current_api_and_its_absence_through_the_seed() {
    let server = MockServer::start().await;
    let expected = json!({
        "name": "kafka-current", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 300,
        "vpc_id": "vpc-1", "security_group_id": "sg-1", "subnet_id": "subnet-1", "available_zones": ZONES,
        "product_id": "c6.2u4g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
        "tenant_ips": ["192.168.0.11", "192.168.0.12", "192.168.0.13"], "arch_type": "X86",
        "port_protocol": {"private_plain_enable": true, "private_sasl_ssl_enable": false},
        "bss_param": {"charging_mode": "prePaid", "period_type": "month", "period_num": 2, "is_auto_renew": true,
            "is_auto_pay": true},
    });
    signed(Mock::given(method("POST")).and(path(format!("/v2/{PID}/kafka/instances"))).and(body_json(expected)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID})))
        .expect(1)
        .mount(&server)
        .await;
    assert_eq!(DmsKafkaInstance.create(&ctx(&server), &tf(current_plan())).await.unwrap().id, ID);

    // Without broker_num: the seed's create call, with the seed's arguments.
    let server = MockServer::start().await;
    let seed = json!({
        "name": "kafka-seed", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
        "storage_space": 600, "vpc_id": "vpc-1", "security_group_id": "sg-1", "subnet_id": "subnet-1",
        "available_zones": ZONES, "product_id": "00300-30308-0--0", "kafka_manager_user": "manager",
        "kafka_manager_password": "Manager@123", "storage_spec_code": "dms.physical.storage.ultra",
    });
    signed(Mock::given(method("POST")).and(path(format!("/v2/{PID}/instances"))).and(body_json(seed.clone())))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"instance_id": ID})))
        .expect(1)
        .mount(&server)
        .await;
    let plan = merged(seed, json!({"broker_num": null, "port_protocol": [], "bss_param": [], "status": null}));
    DmsKafkaInstance.create(&ctx(&server), &tf(plan)).await.unwrap();
    let paths: Vec<String> =
        server.received_requests().await.unwrap().iter().map(|r| r.url.path().to_string()).collect();
    assert_eq!(paths, [format!("/v2/{PID}/instances")]);
}

/// More brokers: one horizontal resize with the total storage they bring and only the addresses and
/// EIPs appended for them, waited for until the instance shows them; no storage resize besides.
#[tokio::test]
async fn more_brokers_extend_horizontally_with_their_storage_and_only_the_appended_addresses() {
    let server = MockServer::start().await;
    let body = json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 500,
        "tenant_ips": ["192.168.0.14", "192.168.0.15"], "publicip_id": "eip-4,eip-5"});
    signed(Mock::given(method("POST")).and(path(format!("/v2/{PID}/kafka/instances/{ID}/extend"))))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j1"})))
        .expect(1)
        .mount(&server)
        .await;
    let public = json!({"enable_publicip": true, "public_bandwidth": 5});
    show_in_turn(
        &server,
        vec![
            (1, merged(json!({"status": "EXTENDING", "broker_num": 3, "storage_space": 300}), public.clone())),
            (1, merged(json!({"broker_num": 5, "storage_space": 500}), public.clone())),
        ],
    )
    .await;
    let ips = |n: usize| json!((11..11 + n).map(|i| format!("192.168.0.{i}")).collect::<Vec<_>>());
    let eips = |n: usize| json!((1..=n).map(|i| format!("eip-{i}")).collect::<Vec<_>>().join(","));
    let with = |brokers: usize| {
        state(json!({"broker_num": brokers, "storage_space": brokers * 100, "tenant_ips": ips(brokers),
            "enable_publicip": true, "public_bandwidth": 5, "publicip_id": eips(brokers)}))
    };
    update(&server, with(3), with(5)).await;
    assert_eq!(writes(&server).await.len(), 1, "{:?}", writes(&server).await);
}

#[tokio::test]
async fn public_access_switches_on_with_the_eips_and_off_without_them_then_waits_for_the_show() {
    let server = MockServer::start().await;
    let switch = format!("/v1/{PID}/instances/{ID}/public-boundwidth");
    signed(Mock::given(method("POST")).and(path(switch.as_str())))
        .and(body_json(json!({"publicip_id": "eip-1,eip-2,eip-3", "public_boundwidth": 10})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    // The switch shows once it is over: off at first, then on.
    show_in_turn(
        &server,
        vec![(1, json!({"enable_publicip": false})), (1, json!({"enable_publicip": true, "public_bandwidth": 10}))],
    )
    .await;
    let off = state(json!({"enable_publicip": false, "public_bandwidth": null, "publicip_id": null}));
    let on = state(json!({"enable_publicip": true, "public_bandwidth": 10, "publicip_id": "eip-1,eip-2,eip-3"}));
    update(&server, off.clone(), on.clone()).await;
    assert_eq!(writes(&server).await.len(), 1);
    let reads = server.received_requests().await.unwrap().iter().filter(|r| r.method.as_str() == "GET").count();
    assert_eq!(reads, 2, "polled until the show has public access on");

    let server = MockServer::start().await;
    signed(Mock::given(method("POST")).and(path(switch.as_str())))
        .and(body_json(json!({"public_boundwidth": 0})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    show_in_turn(
        &server,
        vec![(1, json!({"enable_publicip": true, "public_bandwidth": 10})), (1, json!({"enable_publicip": false}))],
    )
    .await;
    update(&server, on, off).await;
    assert_eq!(writes(&server).await.len(), 1);
}

/// Only the methods whose planned value differs from the instance's (read just before, not the state),
/// those switched on first, each waited for; the first SASL method on an instance without SASL creates
/// the user with its password and mechanisms.
#[tokio::test]
async fn access_methods_switch_where_the_instance_differs_enabling_first_with_the_first_sasl_user() {
    let server = MockServer::start().await;
    let switch = format!("/v2/{PID}/kafka/instances/{ID}/plain-ssl-switch");
    let sasl_on = json!({"protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "app-user",
        "pass_word": "Sasl@Pass-01", "sasl_enabled_mechanisms": ["SCRAM-SHA-512"]});
    let plain_off = json!({"protocol": "private_plain_enable", "enable": false});
    for body in [sasl_on.clone(), plain_off.clone()] {
        signed(Mock::given(method("POST")).and(path(switch.as_str())).and(body_json(body)))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j"})))
            .expect(1)
            .mount(&server)
            .await;
    }
    let methods = |plain: bool, sasl: bool| {
        json!({"ssl_enable": sasl, "port_protocols": {"private_plain_enable": plain, "private_sasl_ssl_enable": sasl,
            "private_sasl_plaintext_enable": false, "public_plain_enable": true, "public_sasl_ssl_enable": false,
            "public_sasl_plaintext_enable": false}})
    };
    // The read before the switches and the first wait's first poll; the SASL method on; the plain one off.
    show_in_turn(&server, vec![(2, methods(true, false)), (1, methods(true, true)), (1, methods(false, true))]).await;
    let block = |plain: bool, sasl: bool, public_plain: bool| {
        json!([{"private_plain_enable": plain, "private_sasl_ssl_enable": sasl, "private_sasl_plaintext_enable": false,
            "public_plain_enable": public_plain, "public_sasl_ssl_enable": false, "public_sasl_plaintext_enable": false}])
    };
    // The state says public PLAINTEXT is off, the instance has it on, as planned: nothing is sent for it.
    let prior = state(json!({"port_protocol": block(true, false, false), "ssl_enable": false, "access_user": null,
        "password": null, "sasl_enabled_mechanisms": [], "enable_publicip": true}));
    let planned = state(json!({"port_protocol": block(false, true, true), "ssl_enable": true,
        "access_user": "app-user", "password": "Sasl@Pass-01", "sasl_enabled_mechanisms": ["SCRAM-SHA-512"],
        "enable_publicip": true}));
    update(&server, prior, planned).await;
    let sent = writes(&server).await;
    assert_eq!(sent, [format!("POST plain-ssl-switch {sasl_on}"), format!("POST plain-ssl-switch {plain_off}")]);
}

/// The parameters the plan changes (a removed one back to its default from the configuration query; one
/// the instance already has is not sent) in one call, then the query polled until it shows them; the
/// static one among them named in a warning.
#[tokio::test]
async fn changed_parameters_are_put_with_removed_ones_at_their_default_then_polled_until_applied() {
    let server = MockServer::start().await;
    let configs = format!("{}/configs", inst());
    let body = json!({"kafka_configs": [{"name": "message.max.bytes", "value": "2097152"},
        {"name": "log.retention.hours", "value": "72"}]});
    signed(Mock::given(method("PUT")).and(path(configs.as_str())).and(body_json(body)))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"job_id": "j", "dynamic_config": 1})))
        .expect(1)
        .mount(&server)
        .await;
    let listed = |max_bytes: &str, hours: &str| {
        let p = |name: &str, value: &str, default: &str, kind: &str| json!({"name": name, "value": value, "default_value": default, "config_type": kind});
        json!({"kafka_configs": [p("message.max.bytes", max_bytes, "10485760", "dynamic"),
            p("min.insync.replicas", "1", "1", "dynamic"), p("log.retention.hours", hours, "72", "static")]})
    };
    // The query before the call and the first poll show the old values, the next the new ones.
    signed(Mock::given(method("GET")).and(path(configs.as_str())))
        .respond_with(ResponseTemplate::new(200).set_body_json(listed("1048576", "100")))
        .up_to_n_times(2)
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(configs.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(listed("2097152", "72")))
        .expect(1)
        .mount(&server)
        .await;
    let param = |name: &str, value: &str| json!({"name": name, "value": value});
    let prior =
        state(json!({"parameters": [param("message.max.bytes", "1048576"), param("log.retention.hours", "100")]}));
    let planned =
        state(json!({"parameters": [param("message.max.bytes", "2097152"), param("min.insync.replicas", "1")]}));
    let ctx = ctx(&server);
    hwprovider::engine::update(&DmsKafkaInstance, &ctx, ID, &tf(prior), &tf(planned)).await.unwrap();
    let notes = ctx.take_notes();
    assert!(notes.len() == 1 && notes[0].1.starts_with("log.retention.hours is static"), "{notes:?}");
    assert_eq!(writes(&server).await.len(), 1);
}

/// `path: message` of each change problem.
fn problems(prior: &Value, proposed: Value, config: Value) -> Vec<String> {
    DmsKafkaInstance
        .change_problems(&tf(prior.clone()), &tf(proposed), &tf(config))
        .into_iter()
        .map(|(p, m)| format!("{}: {m}", p.join(".")))
        .collect()
}

#[test]
fn more_brokers_take_the_storage_of_the_others() {
    let prior = state(json!({}));
    let grown = |brokers: usize, storage: usize| state(json!({"broker_num": brokers, "storage_space": storage}));
    let config = json!({"broker_num": 5});
    let found = problems(&prior, grown(5, 300), config.clone());
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("storage_space: must be 500 with 5 brokers"), "{found:?}");
    assert!(found[0].contains("(100 GB)") && found[0].contains("from 300 to 500"), "{found:?}");
    assert_eq!(problems(&prior, grown(5, 600), config.clone()).len(), 1, "a larger total waits for a later apply");
    assert!(problems(&prior, grown(5, 500), config).is_empty());
    // The same brokers: the storage grows on its own.
    assert!(problems(&prior, grown(3, 600), json!({"broker_num": 3})).is_empty());
}

#[test]
fn broker_addresses_and_eips_are_only_appended_for_new_brokers() {
    let ips = |list: &[&str]| json!(list);
    let with = |brokers: usize, tenant: Value, eips: &str| {
        state(json!({"broker_num": brokers, "storage_space": brokers * 100, "tenant_ips": tenant,
            "enable_publicip": true, "publicip_id": eips}))
    };
    let prior = with(3, ips(&["10.0.0.1", "10.0.0.2", "10.0.0.3"]), "e1,e2,e3");
    let five = json!({"broker_num": 5});
    let appended = with(5, ips(&["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]), "e1,e2,e3,e4,e5");
    assert!(problems(&prior, appended, five.clone()).is_empty());
    let cases = [
        // An existing broker's address changed.
        (with(5, ips(&["10.0.0.9", "10.0.0.2", "10.0.0.3", "10.0.0.4"]), "e1,e2,e3,e4,e5"), five.clone(), "tenant_ips"),
        // An existing broker's EIP changed.
        (with(5, ips(&["10.0.0.1", "10.0.0.2", "10.0.0.3"]), "e9,e2,e3,e4,e5"), five.clone(), "publicip_id"),
        // An address appended without a new broker.
        (
            with(3, ips(&["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]), "e1,e2,e3"),
            json!({"broker_num": 3}),
            "tenant_ips",
        ),
        // More addresses than new brokers.
        (
            with(5, ips(&["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6"]), "e1,e2,e3,e4,e5"),
            five,
            "tenant_ips",
        ),
    ];
    for (proposed, config, name) in cases {
        let found = problems(&prior, proposed.clone(), config);
        assert_eq!(found.len(), 1, "{proposed}: {found:?}");
        assert!(found[0].starts_with(&format!("{name}: may only gain entries at the end")), "{found:?}");
    }
}

#[test]
fn the_billing_mode_of_an_instance_does_not_change() {
    let billing = |mode: &str| json!([{"charging_mode": mode}]);
    let postpaid = state(json!({"charging_mode": 1}));
    let found = problems(&postpaid, state(json!({"charging_mode": 1, "bss_param": billing("prePaid")})), json!({}));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("bss_param.charging_mode: cannot be prePaid: the instance is postPaid"), "{found:?}");
    let prepaid = state(json!({"charging_mode": 0}));
    let found = problems(&prepaid, state(json!({"charging_mode": 0, "bss_param": billing("postPaid")})), json!({}));
    assert!(found.len() == 1 && found[0].contains("cannot be postPaid: the instance is prePaid"), "{found:?}");
    assert!(
        problems(&prepaid, state(json!({"charging_mode": 0, "bss_param": billing("prePaid")})), json!({})).is_empty()
    );
}
