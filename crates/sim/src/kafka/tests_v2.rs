//! The current Kafka API on its own: the catalogs, the create by flavor, yearly/monthly orders, the
//! resizes of such instances, and the broker parameters. The access switches are in `tests_access`.

use std::time::Duration;

use hwapi::contract::kafka::ERRORS;
use serde_json::{json, Value};

use super::Kafka;
use crate::service::Service;
use crate::state::Shared;
use crate::testing::call_to;

pub const PID: &str = "0123456789abcdef0123456789abcdef";
pub const INVALID: &str = ERRORS.invalid.code;
pub const BUSY: &str = ERRORS.busy[0].code;
pub const AZ: [&str; 4] = [
    "d573142f24894ef3bd3664de068b44b0",
    "effdcbc7d4d64a02aa1fa26b42f56533",
    "9f1c5806706d4c1fb0eb72f0a9b18c77",
    "4b2e6f0c8a1d4e7f9b3c5d7e9f1a2b3c",
];
pub const TICK: Duration = Duration::from_millis(100);

pub struct K {
    pub kafka: Kafka,
    pub sim: Shared,
}

impl K {
    pub fn new() -> K {
        K { kafka: Kafka::default(), sim: crate::testing::shared(TICK) }
    }
    /// (status, body) of a request; a path starting with `~` is taken as it is, others get `/v2/{project}`.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let path = path.strip_prefix('~').map_or_else(|| format!("/v2/{PID}{path}"), String::from);
        call_to(&self.sim, &self.kafka, method, &path, body)
    }
    pub fn show(&self, id: &str) -> Value {
        self.call("GET", &format!("/instances/{id}"), None).1
    }
    pub fn tick(&self) {
        self.sim.advance_clock(TICK + Duration::from_millis(10));
    }
    /// Creates through the current API; the instance id.
    pub fn create(&self, body: Value) -> String {
        let (status, answer) = self.call("POST", "/kafka/instances", Some(body));
        assert_eq!(status, 200, "{answer}");
        answer["instance_id"].as_str().unwrap().to_string()
    }
    /// Creates and lets the creation finish.
    pub fn running(&self, body: Value) -> String {
        let id = self.create(body);
        self.tick();
        assert_eq!(self.show(&id)["status"], "RUNNING");
        id
    }
    /// Asserts a 400 with `code` whose message contains `expected`.
    pub fn refused(&self, method: &str, path: &str, body: Value, code: &str, expected: &str) {
        let (status, answer) = self.call(method, path, Some(body.clone()).filter(|b| !b.is_null()));
        assert_eq!((status, answer["error_code"].as_str()), (400, Some(code)), "{body}: {answer}");
        assert!(answer["error_msg"].as_str().unwrap().contains(expected), "{body}: {answer}");
    }
}

pub fn v2_body() -> Value {
    json!({
        "name": "kafka-v2", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 300,
        "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet", "available_zones": [AZ[0]],
        "product_id": "c6.2u4g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
    })
}

pub fn with(mut body: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    body
}

#[test]
fn products_and_zones_are_the_catalog() {
    let k = K::new();
    let (status, all) = k.call("GET", "~/v2/kafka/products", None);
    assert_eq!(status, 200, "{all}");
    assert_eq!((all["engine"].as_str(), all["versions"].clone()), (Some("kafka"), json!(["2.7", "3.x"])));
    let products = all["products"].as_array().unwrap();
    assert_eq!(products.len(), 5);
    let first = &products[0];
    assert_eq!(first["product_id"], "c6.2u4g.cluster");
    assert_eq!(first["properties"]["max_broker"], "30");
    assert_eq!(first["properties"]["max_storage_per_node"], "10000");
    assert_eq!(first["properties"]["product_alias"], "kafka.2u4g.cluster");
    assert_eq!(products[4]["properties"]["max_partition_per_broker"], "2000");
    let extreme = first["ios"].as_array().unwrap().iter().find(|io| io["io_spec"] == "dms.physical.storage.extreme");
    assert_eq!(extreme.unwrap()["unavailable_zones"], json!([AZ[2], AZ[3]]));
    assert_eq!(products[1]["ios"][3]["unavailable_zones"], json!([AZ[3]]), "sold out for one flavor only");

    let (_, one) = k.call("GET", "~/v2/kafka/products?product_id=c6.8u16g.cluster", None);
    assert_eq!(one["products"].as_array().map(Vec::len), Some(1));
    assert_eq!(one["products"][0]["properties"]["max_broker"], "50");
    let (status, none) = k.call("GET", "~/v2/kafka/products?product_id=c9.huge", None);
    assert_eq!((status, none["products"].clone()), (200, json!([])));

    let (status, zones) = k.call("GET", "~/v2/available-zones", None);
    assert_eq!((status, zones["region_id"].as_str()), (200, Some("cn-north-4")), "{zones}");
    let list = zones["available_zones"].as_array().unwrap();
    let ids: Vec<&str> = list.iter().map(|z| z["id"].as_str().unwrap()).collect();
    assert_eq!(ids, AZ);
    assert_eq!((list[0]["code"].as_str(), list[0]["default_az"].as_bool()), (Some("cn-north-4a"), Some(true)));
    let sold: Vec<bool> = list.iter().map(|z| z["soldOut"].as_bool().unwrap()).collect();
    assert_eq!(sold, [false, false, false, true]);
    assert_eq!(list[3]["resource_availability"], "false");
}

#[test]
fn a_create_is_checked_against_the_flavor() {
    let k = K::new();
    let cases = [
        (json!({"product_id": "c9.huge"}), "product_id: \"c9.huge\" is not offered"),
        (json!({"broker_num": 2}), "broker_num: c6.2u4g.cluster takes 3 to 30 brokers, got 2"),
        (json!({"broker_num": 31, "storage_space": 3100}), "takes 3 to 30 brokers, got 31"),
        (json!({"storage_space": 400}), "400 GB over 3 brokers is not a whole multiple of 100 GB per broker"),
        (json!({"storage_space": 30300}), "10100 GB per broker is outside c6.2u4g.cluster's 100 to 10000 GB"),
        (json!({"storage_space": 350}), "storage_space: must be a multiple of 100"),
        (json!({"available_zones": ["az1"]}), "available_zones[0]: \"az1\" is not a zone ID"),
        (json!({"available_zones": [AZ[3]]}), format!("sold out in {}", AZ[3]).leak()),
        (
            json!({"available_zones": [AZ[0], AZ[1], AZ[2]], "storage_spec_code": "dms.physical.storage.extreme"}),
            "available_zones[2]: dms.physical.storage.extreme of c6.2u4g.cluster is sold out",
        ),
        (json!({"storage_spec_code": "dms.physical.storage.high"}), "storage_spec_code: \"dms.physical.storage.high\""),
        (json!({"engine_version": "1.1.0"}), "engine_version: \"1.1.0\" is not offered with c6.2u4g.cluster"),
        (json!({"arch_type": "ARM"}), "arch_type: ARM is not offered"),
        (json!({"tenant_ips": ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"]}), "tenant_ips: 4 IPs given for 3"),
        (json!({"enable_publicip": true, "publicip_id": "e1,e2"}), "needs one EIP per broker"),
        (json!({"available_zones": [AZ[0], AZ[1]]}), "1 AZ or in at least 3 AZs"),
        (
            json!({"ssl_enable": true, "access_user": "admin", "password": "Sasl@45678",
                   "port_protocol": {"private_sasl_ssl_enable": true, "private_sasl_plaintext_enable": true}}),
            "port_protocol.private_sasl_plaintext_enable: may not be true together with private_sasl_ssl_enable",
        ),
        (
            json!({"port_protocol": {"private_plain_enable": true, "public_plain_enable": true}}),
            "port_protocol.public_plain_enable: a public access method needs enable_publicip true",
        ),
        (
            json!({"port_protocol": {"private_sasl_ssl_enable": true}}),
            "port_protocol.private_sasl_ssl_enable: a SASL access method needs ssl_enable true",
        ),
        (json!({"port_protocol": {"private_plain_enable": false}}), "at least one private access method"),
    ];
    for (changes, expected) in cases {
        k.refused("POST", "/kafka/instances", with(v2_body(), changes), INVALID, expected);
    }
    let big = with(v2_body(), json!({"product_id": "c6.8u16g.cluster", "broker_num": 50, "storage_space": 1_500_000}));
    assert_eq!(k.call("POST", "/kafka/instances", Some(big)).0, 200);
}

/// The SDK's body with every member the show answer reflects.
#[test]
fn the_show_answer_of_a_current_create() {
    let k = K::new();
    let sdk = with(
        v2_body(),
        json!({
            "available_zones": [AZ[0], AZ[1], AZ[2]], "broker_num": 4, "storage_space": 800,
            "tenant_ips": ["192.168.5.10", "192.168.5.11"], "ssl_enable": true, "access_user": "admin",
            "password": "Secret@123", "kafka_security_protocol": "SASL_SSL",
            "sasl_enabled_mechanisms": ["SCRAM-SHA-512"], "enable_publicip": true, "publicip_id": "e1,e2,e3,e4",
            "port_protocol": {"private_plain_enable": true, "private_sasl_ssl_enable": true, "public_sasl_ssl_enable": true},
            "arch_type": "X86", "ipv6_enable": true, "disk_encrypted_enable": true, "disk_encrypted_key": "key-1",
            "vpc_client_plain": true, "tags": [{"key": "team", "value": "data"}], "bss_param": {"charging_mode": "postPaid"},
        }),
    );
    let id = k.running(sdk);
    let v = k.show(&id);
    let pairs = [
        ("new_spec_billing_enable", json!(true)),
        ("broker_num", json!(4)),
        ("node_num", json!(4)),
        ("storage_space", json!(800)),
        ("total_storage_space", json!(800)),
        ("product_id", json!("c6.2u4g.cluster")),
        ("specification", json!("100MB")),
        ("partition_num", json!("1000")),
        ("resource_spec_code", json!("dms.instance.kafka.cluster.c6.2u4g")),
        ("kafka_security_protocol", json!("SASL_SSL")),
        ("sasl_enabled_mechanisms", json!(["SCRAM-SHA-512"])),
        ("ipv6_enable", json!(true)),
        ("disk_encrypted", json!(true)),
        ("disk_encrypted_key", json!("key-1")),
        ("vpc_client_plain", json!(true)),
        ("enable_publicip", json!(true)),
        ("public_bandwidth", json!(0)),
        ("charging_mode", json!(1)),
        ("order_id", json!("")),
        ("available_zone_names", json!(["AZ1", "AZ2", "AZ3"])),
    ];
    for (key, want) in pairs {
        assert_eq!(v[key], want, "{key}: {v}");
    }
    assert!(v.get("kafka_manager_user").is_none(), "{v}");
    let ips: Vec<&str> = v["connect_address"].as_str().unwrap().split(',').collect();
    assert_eq!((ips.len(), ips[0], ips[1]), (4, "192.168.5.10", "192.168.5.11"));
    let pp = &v["port_protocols"];
    assert!(pp["private_plain_address"].as_str().unwrap().starts_with("192.168.5.10:9092,"), "{pp}");
    assert!(pp["private_sasl_ssl_address"].as_str().unwrap().contains("192.168.5.11:9093"), "{pp}");
    assert_eq!(pp["public_sasl_ssl_address"].as_str().unwrap().matches(":9095").count(), 4, "{pp}");
    assert_eq!((pp["public_plain_enable"].as_bool(), pp["public_plain_address"].as_str()), (Some(false), Some("")));

    // Without port_protocol, the methods follow ssl_enable and the security protocol.
    let plaintext = with(
        v2_body(),
        json!({"ssl_enable": true, "access_user": "admin", "password": "Secret@123", "kafka_security_protocol": "SASL_PLAINTEXT"}),
    );
    let v = k.show(&k.running(plaintext));
    assert_eq!(v["port_protocols"]["private_sasl_plaintext_enable"], true, "{v}");
    assert_eq!((v["kafka_security_protocol"].as_str(), v["port"].as_i64()), (Some("SASL_PLAINTEXT"), Some(9093)));
    assert_eq!(v["sasl_enabled_mechanisms"], json!(["PLAIN"]));
}

#[test]
fn a_yearly_instance_waits_for_its_order() {
    let k = K::new();
    let bss = json!({"charging_mode": "prePaid", "period_type": "month", "period_num": 1});
    let id = k.create(with(v2_body(), json!({"bss_param": bss})));
    k.tick();
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["status"].as_str(), v["charging_mode"].as_i64()), (Some("CREATING"), Some(0)), "{v}");
    assert!(v["order_id"].as_str().is_some_and(|o| !o.is_empty()), "{v}");
    let paid = k.kafka.action(&k.sim, &id, "pay").unwrap();
    assert_eq!(paid.map(|r| r.status).unwrap_or(0), 200);
    assert!(k.kafka.action(&k.sim, &id, "pay").unwrap().is_err(), "paid twice");
    assert_eq!(k.show(&id)["status"], "CREATING");
    k.tick();
    assert_eq!(k.show(&id)["status"], "RUNNING");
    let path = format!("/instances/{id}");
    k.refused("DELETE", &path, json!(null), INVALID, "the Billing Center unsubscribes it");
    let extend = json!({"oper_type": "storage", "new_storage_space": 600});
    k.refused("POST", &format!("/kafka{path}/extend"), extend, INVALID, "only pay-per-use instances");

    let mut auto = bss.clone();
    auto["is_auto_pay"] = json!(true);
    let id = k.running(with(v2_body(), json!({"bss_param": auto})));
    assert!(k.kafka.action(&k.sim, &id, "pay").unwrap().is_err(), "nothing to pay");
}

#[test]
fn resizes_of_a_current_instance() {
    let k = K::new();
    let id = k.running(v2_body());
    let extend = format!("/kafka/instances/{id}/extend");
    let no = |body: Value, expected: &str| k.refused("POST", &extend, body, INVALID, expected);
    no(json!({"oper_type": "storage", "new_storage_space": 400}), "not a whole multiple of 100 GB per broker");
    no(json!({"oper_type": "storage", "new_storage_space": 30_300}), "10100 GB per broker is outside");
    no(json!({"oper_type": "horizontal", "new_broker_num": 31, "new_storage_space": 3100}), "at most 30 brokers");
    no(json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 600}), "make 500 GB, got 600");
    no(
        json!({"oper_type": "horizontal", "new_broker_num": 3, "new_storage_space": 300}),
        "not more than the current 3",
    );
    let ips = json!(["10.1.0.1", "10.1.0.2", "10.1.0.3"]);
    no(
        json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 500, "tenant_ips": ips}),
        "3 IPs given for 2",
    );
    no(
        json!({"oper_type": "horizontal", "new_broker_num": 4, "new_storage_space": 400, "publicip_id": "e4"}),
        "public access is off",
    );
    no(json!({"oper_type": "vertical", "new_product_id": "c6.2u4g.cluster"}), "already has this product");
    no(json!({"oper_type": "vertical", "new_product_id": "00300-30310-0--0"}), "unknown product");

    let body =
        json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 500, "tenant_ips": ["10.1.0.9"]});
    assert_eq!(k.call("POST", &extend, Some(body)).0, 200);
    let v = k.show(&id);
    assert_eq!((v["status"].as_str(), v["broker_num"].as_i64()), (Some("EXTENDING"), Some(3)));
    k.refused("POST", &extend, json!({"oper_type": "storage", "new_storage_space": 1000}), BUSY, "EXTENDING");
    k.tick();
    let v = k.show(&id);
    assert_eq!(
        (v["status"].as_str(), v["broker_num"].as_i64(), v["node_num"].as_i64()),
        (Some("RUNNING"), Some(5), Some(5))
    );
    assert_eq!((v["storage_space"].as_i64(), v["partition_num"].as_str()), (Some(500), Some("1250")));
    let ips: Vec<&str> = v["connect_address"].as_str().unwrap().split(',').collect();
    assert_eq!((ips.len(), ips[3]), (5, "10.1.0.9"));
    assert_eq!(v["port_protocols"]["private_plain_address"].as_str().unwrap().matches(":9092").count(), 5);

    no(json!({"oper_type": "storage", "new_storage_space": 900}), "not a whole multiple of 100 GB per broker");
    no(json!({"oper_type": "storage", "new_storage_space": 500}), "not more than the current 500 GB");
    assert_eq!(k.call("POST", &extend, Some(json!({"oper_type": "storage", "new_storage_space": 1000}))).0, 200);
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["storage_space"].as_i64(), v["total_storage_space"].as_i64()), (Some(1000), Some(1000)));

    assert_eq!(
        k.call("POST", &extend, Some(json!({"oper_type": "vertical", "new_product_id": "c6.4u8g.cluster"}))).0,
        200
    );
    assert_eq!(k.show(&id)["status"], "EXTENDING");
    k.tick();
    let v = k.show(&id);
    assert_eq!((v["product_id"].as_str(), v["specification"].as_str()), (Some("c6.4u8g.cluster"), Some("300MB")));
    assert_eq!((v["partition_num"].as_str(), v["extend_times"].as_i64()), (Some("2500"), Some(3)));
    assert_eq!(v["resource_spec_code"], "dms.instance.kafka.cluster.c6.4u8g");

    // Brokers whose storage another flavor cannot hold.
    let big = k.running(with(v2_body(), json!({"product_id": "c6.8u16g.cluster", "storage_space": 90_000})));
    let to_small = json!({"oper_type": "vertical", "new_product_id": "c6.2u4g.cluster"});
    k.refused(
        "POST",
        &format!("/kafka/instances/{big}/extend"),
        to_small,
        INVALID,
        "new_product_id: 30000 GB per broker",
    );
}

#[test]
fn broker_parameters() {
    let k = K::new();
    let id = k.create(v2_body());
    let path = format!("/instances/{id}/configs");
    let set = |name: &str, value: &str| json!({"kafka_configs": [{"name": name, "value": value}]});
    k.refused("PUT", &path, set("min.insync.replicas", "2"), BUSY, "CREATING");
    k.tick();
    let (status, listed) = k.call("GET", &path, None);
    assert_eq!(status, 200, "{listed}");
    let configs = listed["kafka_configs"].as_array().unwrap();
    assert!(configs.len() >= 6);
    let find = |configs: &[Value], name: &str| configs.iter().find(|c| c["name"] == name).cloned().unwrap();
    let min = find(configs, "min.insync.replicas");
    assert_eq!(
        min,
        json!({"name": "min.insync.replicas", "valid_values": "1~3", "default_value": "1", "config_type": "dynamic", "value": "1", "value_type": "integer"})
    );
    assert_eq!(find(configs, "log.retention.hours")["config_type"], "static");
    assert_eq!(find(configs, "auto.create.groups.enable")["value_type"], "enum");

    k.refused(
        "PUT",
        &path,
        set("no.such.thing", "1"),
        INVALID,
        "kafka_configs[0].name: \"no.such.thing\" is not a parameter",
    );
    k.refused(
        "PUT",
        &path,
        set("min.insync.replicas", "4"),
        INVALID,
        "kafka_configs[0].value: min.insync.replicas takes 1~3",
    );
    k.refused("PUT", &path, set("auto.create.groups.enable", "yes"), INVALID, "takes true,false");
    let twice =
        json!({"kafka_configs": [{"name": "num.partitions", "value": "3"}, {"name": "num.partitions", "value": "4"}]});
    k.refused("PUT", &path, twice, INVALID, "kafka_configs");
    let body = json!({"kafka_configs": [
        {"name": "min.insync.replicas", "value": "2"}, {"name": "log.retention.hours", "value": "24"},
        {"name": "auto.create.groups.enable", "value": "false"},
    ]});
    let (status, answer) = k.call("PUT", &path, Some(body));
    assert_eq!((status, answer["dynamic_config"].as_i64(), answer["static_config"].as_i64()), (200, Some(1), Some(2)));
    assert!(answer["job_id"].is_string());
    let listed = k.call("GET", &path, None).1["kafka_configs"].as_array().unwrap().clone();
    assert_eq!(find(&listed, "min.insync.replicas")["value"], "2");
    assert_eq!(find(&listed, "log.retention.hours")["value"], "24");
    assert_eq!(find(&listed, "log.retention.hours")["default_value"], "72");
    // A refused batch changes nothing.
    k.refused(
        "PUT",
        &path,
        json!({"kafka_configs": [{"name": "num.partitions", "value": "5"}, {"name": "x", "value": "1"}]}),
        INVALID,
        "x",
    );
    assert_eq!(
        find(&k.call("GET", &path, None).1["kafka_configs"].as_array().unwrap().clone(), "num.partitions")["value"],
        "3"
    );
}
