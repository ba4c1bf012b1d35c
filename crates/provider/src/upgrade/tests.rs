//! Objects stored by the Go provider (fixtures written in the attribute names of its published docs,
//! docs/resources/dms_kafka_instance.md and dms_kafka_topic.md, with the values its SDK stores), and our own.

use std::collections::BTreeSet;

use serde_json::{json, Value as Json};

use super::kafka_instance::MAPPING as INSTANCE;
use super::kafka_topic::MAPPING as TOPIC;
use super::ours::field;
use super::table::{Source, Upgraded};
use super::{moved, unconvertible, upgrade, Moved};
use crate::engine::schema::resource_schema;
use crate::resources::defs;

const ZONE_A: &str = "ae04cf9d61544df3806a3feeb401b204";
const ZONE_B: &str = "d573142f24894ef3bd3664de068b44b0";
const ZONE_C: &str = "9f1c5806706d4c1fb0eb72f0a9b18c77";

/// The Go provider's instance created with a flavor, as its read stores it.
fn go_flavor_instance() -> Json {
    // Text, not `json!`: the object is larger than the macro's recursion allows.
    serde_json::from_str(
        r#"{
        "id": "8d3c7938-dc47-4937-a30f-c80de381c5e3",
        "region": "cn-north-4",
        "name": "kafka_test",
        "description": "",
        "flavor_id": "c6.2u4g.cluster",
        "product_id": "",
        "engine": "kafka",
        "engine_version": "2.7",
        "bandwidth": "100MB",
        "storage_space": 600,
        "storage_spec_code": "dms.physical.storage.ultra.v2",
        "broker_num": 3,
        "partition_num": 750,
        "vpc_id": "vpc-1",
        "network_id": "subnet-1",
        "security_group_id": "sg-1",
        "availability_zones": ["cn-north-4a", "cn-north-4b", "cn-north-4c"],
        "available_zones": ["ae04cf9d61544df3806a3feeb401b204", "d573142f24894ef3bd3664de068b44b0", "9f1c5806706d4c1fb0eb72f0a9b18c77"],
        "ipv6_enable": false,
        "arch_type": "X86",
        "new_tenant_ips": [],
        "access_user": "user",
        "password": "Kafkatest@123",
        "kms_encrypted_password": "",
        "manager_user": "",
        "manager_password": "",
        "maintain_begin": "02:00:00",
        "maintain_end": "06:00:00",
        "public_ip_ids": ["eip-1", "eip-2", "eip-3"],
        "enable_public_ip": true,
        "public_bandwidth": 3,
        "public_ip_address": ["1.2.3.4", "1.2.3.5", "1.2.3.6"],
        "security_protocol": "SASL_SSL",
        "enabled_mechanisms": ["SCRAM-SHA-512"],
        "retention_policy": "time_base",
        "dumping": false,
        "enable_auto_topic": true,
        "parameters": [{"name": "min.insync.replicas", "value": "2"}],
        "enterprise_project_id": "0",
        "ssl_enable": true,
        "vpc_client_plain": false,
        "tags": {"owner": "team-a"},
        "cross_vpc_accesses": [
            {"advertised_ip": "192.168.0.61", "listener_ip": "192.168.0.61", "lisenter_ip": "192.168.0.61",
             "port": 9011, "port_id": "p-1"}
        ],
        "port_protocol": [{
            "private_plain_enable": true, "private_sasl_ssl_enable": true, "private_sasl_plaintext_enable": false,
            "public_plain_enable": false, "public_sasl_ssl_enable": true, "public_sasl_plaintext_enable": false,
            "private_plain_address": "192.168.0.61:9092", "public_sasl_ssl_address": "1.2.3.4:9095"
        }],
        "disk_encrypted_enable": false,
        "disk_encrypted_key": "",
        "charging_mode": "prePaid",
        "period_unit": "month",
        "period": 1,
        "auto_renew": "true",
        "status": "RUNNING",
        "type": "cluster",
        "connect_address": "192.168.0.61,192.168.0.62,192.168.0.63",
        "port": 9093,
        "used_storage_space": 12,
        "resource_spec_code": "",
        "node_num": 3,
        "user_id": "u-1",
        "user_name": "someone",
        "extend_times": 0,
        "connector_id": "",
        "created_at": "2024-01-02T03:04:05+08:00",
        "management_connect_address": "",
        "manegement_connect_address": "",
        "timeouts": null
    }"#,
    )
    .unwrap()
}

/// The Go provider's instance created with a product ID (the first create API), pay-per-use.
fn go_product_instance() -> Json {
    json!({
        "id": "0e6a1c1d-6a3b-4c8e-9a0e-5b1d9c8f7a61",
        "region": "cn-north-4",
        "name": "instance_1",
        "description": "kafka instance demo",
        "flavor_id": "",
        "product_id": "00300-30308-0--0",
        "engine": "kafka",
        "engine_version": "2.3.0",
        "bandwidth": "100MB",
        "storage_space": 600,
        "storage_spec_code": "dms.physical.storage.ultra",
        "broker_num": 3,
        "vpc_id": "vpc-1",
        "network_id": "subnet-1",
        "security_group_id": "sg-1",
        "availability_zones": ["cn-north-4a"],
        "available_zones": [ZONE_A],
        "access_user": "",
        "password": "",
        "manager_user": "kafka-user",
        "manager_password": "Kafkatest@123",
        "maintain_begin": "22:00",
        "maintain_end": "02:00",
        "parameters": [],
        "port_protocol": [{"private_plain_enable": true, "private_plain_address": "192.168.0.5:9092"}],
        "ipv6_enable": false,
        "charging_mode": "postPaid",
        "period_unit": "",
        "period": 0,
        "auto_renew": "false",
        "management_connect_address": "https://192.168.0.5:9999",
        "status": "RUNNING",
        "timeouts": {"create": "60m", "update": null, "delete": null},
    })
}

/// The names of our schema's top-level attributes and blocks, from the engine's schema of the type.
fn schema_names(name: &str) -> BTreeSet<String> {
    let def = defs().into_iter().find(|d| d.name == name).unwrap();
    let block = resource_schema(def).block;
    block.attributes.keys().chain(block.blocks.keys()).cloned().collect()
}

fn names(state: &Json) -> BTreeSet<String> {
    state.as_object().unwrap().keys().cloned().collect()
}

fn one_warning(u: &Upgraded) -> &str {
    assert_eq!(u.warnings.len(), 1, "{:?}", u.warnings);
    &u.warnings[0]
}

#[test]
fn a_go_instance_created_with_a_flavor_is_of_our_current_shape() {
    let u = upgrade("huaweicloud_dms_kafka_instance", &go_flavor_instance());
    assert_eq!(u.from, Source::GoProvider);
    let s = &u.state;
    assert_eq!(names(s), schema_names("dms_kafka_instance"));
    assert_eq!(s["id"], "8d3c7938-dc47-4937-a30f-c80de381c5e3");
    assert_eq!(s["product_id"], "c6.2u4g.cluster");
    assert_eq!(s["new_spec_billing_enable"], true);
    assert_eq!(s["broker_num"], 3);
    assert_eq!(s["subnet_id"], "subnet-1");
    // The deprecated attribute holds the IDs: the zone codes are not needed.
    assert_eq!(s["available_zones"], json!([ZONE_A, ZONE_B, ZONE_C]));
    assert_eq!(s["specification"], "100MB");
    assert_eq!(s["maintain_begin"], "02:00");
    assert_eq!(s["maintain_end"], "06:00");
    assert_eq!(s["publicip_id"], "eip-1,eip-2,eip-3");
    assert_eq!(s["enable_publicip"], true);
    assert_eq!(s["kafka_security_protocol"], "SASL_SSL");
    assert_eq!(s["sasl_enabled_mechanisms"], json!(["SCRAM-SHA-512"]));
    assert_eq!(s["connector_enable"], false);
    assert_eq!(s["tags"], json!({"owner": "team-a"}));
    assert_eq!(s["parameters"], json!([{"name": "min.insync.replicas", "value": "2"}]));
    let methods = json!([{
        "private_plain_enable": true, "private_sasl_ssl_enable": true, "private_sasl_plaintext_enable": false,
        "public_plain_enable": false, "public_sasl_ssl_enable": true, "public_sasl_plaintext_enable": false
    }]);
    assert_eq!(s["port_protocol"], methods);
    let billing = json!([{
        "charging_mode": "prePaid", "period_type": "month", "period_num": 1, "is_auto_renew": true,
        "is_auto_pay": null
    }]);
    assert_eq!(s["bss_param"], billing);
    assert_eq!(s["charging_mode"], 0);
    // The SDK's empty strings and lists are unset values.
    for unset in ["description", "kafka_manager_user", "kafka_manager_password", "tenant_ips", "disk_encrypted_key"] {
        assert_eq!(s[unset], Json::Null, "{unset}");
    }
    assert_eq!(s["created_at"], Json::Null, "read back in the service's form");
    assert_eq!(s["timeouts"], Json::Null);
    // Only the region is named: the cross-VPC access advertises the listener's own address.
    let w = one_warning(&u);
    assert!(w.contains("region = \"cn-north-4\""), "{w}");
    assert!(!w.contains("cross_vpc_accesses") && !w.contains("Kafkatest"), "{w}");
}

#[test]
fn a_go_instance_created_with_a_product_id_is_of_our_first_shape() {
    let mut go = go_product_instance();
    go.as_object_mut().unwrap().remove("region");
    let u = upgrade("huaweicloud_dms_kafka_instance", &go);
    assert_eq!(u.from, Source::GoProvider);
    assert_eq!(u.warnings, Vec::<String>::new());
    let s = &u.state;
    assert_eq!(names(s), schema_names("dms_kafka_instance"));
    assert_eq!(s["product_id"], "00300-30308-0--0");
    assert_eq!(s["new_spec_billing_enable"], false);
    assert_eq!(s["specification"], "100MB");
    assert_eq!(s["kafka_manager_user"], "kafka-user");
    assert_eq!(s["kafka_manager_password"], "Kafkatest@123");
    assert_eq!(s["available_zones"], json!([ZONE_A]));
    assert_eq!(s["management_connect_address"], "https://192.168.0.5:9999");
    // What this shape does not have (as our read leaves it): no brokers, methods, parameters or billing.
    assert_eq!(s["broker_num"], Json::Null);
    assert_eq!(s["ipv6_enable"], Json::Null);
    for block in ["port_protocol", "parameters", "bss_param"] {
        assert_eq!(s[block], json!([]), "{block}");
    }
    assert_eq!(s["charging_mode"], 1);
    assert_eq!(s["maintain_begin"], "22:00");
    // The SDK's timeouts object is our block: a list of one, with every operation.
    assert_eq!(s["timeouts"], json!([{"create": "60m", "read": null, "update": null, "delete": null}]));
}

#[test]
fn a_go_topic_takes_our_names_and_an_id_of_instance_and_name() {
    let go = json!({
        "id": "topic_1",
        "region": "cn-north-4",
        "instance_id": "c8057fe5-23a8-46ef-ad83-c0055b4e0c5c",
        "name": "topic_1",
        "partitions": 20,
        "new_partition_brokers": [],
        "replicas": 3,
        "aging_time": 72,
        "sync_replication": false,
        "sync_flushing": true,
        "description": "orders",
        "configs": [{"name": "max.message.bytes", "value": "10485760"}],
        "policies_only": false,
        "type": "common",
        "created_at": "2024-01-02T03:04:05Z"
    });
    let u = upgrade("huaweicloud_dms_kafka_topic", &go);
    assert_eq!(u.from, Source::GoProvider);
    let expected = json!({
        "id": "c8057fe5-23a8-46ef-ad83-c0055b4e0c5c/topic_1",
        "instance_id": "c8057fe5-23a8-46ef-ad83-c0055b4e0c5c",
        "name": "topic_1",
        "partition": 20,
        "replication": 3,
        "retention_time": 72,
        "sync_replication": false,
        "sync_message_flush": true,
        "topic_desc": "orders",
        "topic_other_configs": [],
        "timeouts": null
    });
    assert_eq!(u.state, expected);
    assert_eq!(names(&u.state), schema_names("dms_kafka_topic"));
    let w = one_warning(&u);
    assert!(w.contains("region") && !w.contains("new_partition_brokers"), "{w}");
}

#[test]
fn our_own_state_keeps_its_values_in_todays_table() {
    let ours = json!({
        "id": "c8057fe5/orders",
        "instance_id": "c8057fe5",
        "name": "orders",
        "partition": 6,
        "replication": 3,
        "sync_replication": true,
        "retention_time": 48,
        "sync_message_flush": null,
        "topic_other_configs": [{"name": "max.message.bytes", "value": "1048576", "dropped_member": "x"}],
        "timeouts": [{"create": "20m", "update": null, "delete": null, "read": null}],
        "an_attribute_no_longer_in_the_table": "old"
    });
    let u = upgrade("huaweicloud_dms_kafka_topic", &ours);
    assert_eq!(u.from, Source::Ours);
    assert!(u.warnings.is_empty());
    let mut expected = ours.clone();
    let o = expected.as_object_mut().unwrap();
    o.remove("an_attribute_no_longer_in_the_table");
    o["topic_other_configs"][0].as_object_mut().unwrap().remove("dropped_member");
    // An attribute the table gained since the object was stored.
    o.insert("topic_desc".into(), Json::Null);
    assert_eq!(u.state, expected);

    // An instance of ours: its names are ours, though it has some the Go provider also has.
    let instance =
        json!({"id": "i-1", "name": "k", "subnet_id": "s", "kafka_manager_user": "m", "available_zones": [ZONE_A]});
    let u = upgrade("huaweicloud_dms_kafka_instance", &instance);
    assert_eq!(u.from, Source::Ours);
    assert_eq!((u.state["subnet_id"].clone(), u.state["product_id"].clone()), (json!("s"), Json::Null));
    assert_eq!(names(&u.state), schema_names("dms_kafka_instance"));
}

#[test]
fn values_that_cannot_be_converted_are_named_in_the_one_warning() {
    let mut go = go_flavor_instance();
    let o = go.as_object_mut().unwrap();
    o["cross_vpc_accesses"][0]["advertised_ip"] = json!("www.terraform-test.com");
    o["storage_space"] = json!("600GB");
    o["kms_encrypted_password"] = json!("a-secret-ciphertext");
    o["password"] = json!(42);
    let u = upgrade("huaweicloud_dms_kafka_instance", &go);
    let w = one_warning(&u);
    for named in ["cross_vpc_accesses", "www.terraform-test.com", "storage_space = \"600GB\"", "kms_encrypted_password"]
    {
        assert!(w.contains(named), "{named} in {w}");
    }
    assert!(
        w.contains("password = (sensitive value)") && !w.contains("a-secret-ciphertext") && !w.contains("42"),
        "{w}"
    );
    assert_eq!((&u.state["storage_space"], &u.state["password"]), (&Json::Null, &Json::Null));
    // The rest is converted all the same.
    assert_eq!(u.state["product_id"], "c6.2u4g.cluster");

    // Parameters of an instance of the first shape have no place here.
    let mut first = go_product_instance();
    first["parameters"] = json!([{"name": "auto.create.groups.enable", "value": "false"}]);
    let u = upgrade("huaweicloud_dms_kafka_instance", &first);
    assert!(one_warning(&u).contains("parameters = [{\"name\":\"auto.create.groups.enable\""), "{:?}", u.warnings);
    assert_eq!(u.state["parameters"], json!([]));
}

#[test]
fn zone_codes_leave_the_zone_ids_null_with_a_warning() {
    let mut go = go_product_instance();
    let o = go.as_object_mut().unwrap();
    o.remove("available_zones");
    o["availability_zones"] = json!(["cn-north-4a", "cn-north-4b", "cn-north-4c"]);
    let u = upgrade("huaweicloud_dms_kafka_instance", &go);
    assert_eq!(u.state["available_zones"], Json::Null);
    let w = one_warning(&u);
    assert!(w.contains("availability_zones = [\"cn-north-4a\",\"cn-north-4b\",\"cn-north-4c\"]"), "{w}");
    assert!(w.contains("zone IDs"), "{w}");

    // Zone IDs given as `availability_zones` are kept.
    go["availability_zones"] = json!([ZONE_B]);
    go.as_object_mut().unwrap().remove("region");
    let u = upgrade("huaweicloud_dms_kafka_instance", &go);
    assert_eq!((u.state["available_zones"].clone(), u.warnings.len()), (json!([ZONE_B]), 0));
}

#[test]
fn other_types_pass_through_unchanged() {
    let raw = json!({"id": "x", "name": "n", "anything": [1, 2]});
    let u = upgrade("huaweicloud_iotda_instance", &raw);
    assert_eq!((u.state, u.warnings, u.from), (raw, vec![], Source::Ours));
}

#[test]
fn every_row_names_an_attribute_of_our_table_and_each_side_has_names_of_its_own() {
    for mapping in [&INSTANCE, &TOPIC] {
        let def = defs().into_iter().find(|d| d.name == mapping.name).unwrap();
        for row in mapping.rows.iter().filter(|r| !r.ours.is_empty()) {
            let found = match row.ours.split_once('.') {
                None => field(def.fields, row.ours).is_some(),
                Some((block, member)) => field(def.fields, block)
                    .and_then(|b| b.nested())
                    .is_some_and(|nested| field(nested, member).is_some()),
            };
            assert!(found, "{}: {} -> {}", mapping.name, row.go, row.ours);
        }
        let go_only = mapping.rows.iter().filter(|r| field(def.fields, r.go).is_none()).count();
        let ours_only = def.fields.iter().filter(|f| !mapping.rows.iter().any(|r| r.go == f.name)).count();
        assert!(go_only > 0 && ours_only > 0, "{}", mapping.name);
    }
}

#[test]
fn a_terraform_data_input_is_the_import_id() {
    let state = json!({"id": "x", "input": {"value": "inst-1/orders", "type": "string"}, "output": null});
    let m = moved("huaweicloud_dms_kafka_topic", "terraform.io/builtin/terraform", "terraform_data", &state);
    assert_eq!(m, Ok(Moved::Import("inst-1/orders".into())));
    let empty = json!({"id": "x", "input": null, "output": null});
    let err = moved("huaweicloud_dms_kafka_topic", "terraform.io/builtin/terraform", "terraform_data", &empty);
    assert!(err.unwrap_err().contains("its input holds no string"));
}

#[test]
fn the_go_providers_object_of_the_same_type_is_converted_and_others_are_refused() {
    let go = json!({"id": "orders", "instance_id": "inst-1", "name": "orders", "partitions": 3, "replicas": 3});
    let source = "registry.terraform.io/huaweicloud/huaweicloud";
    let Ok(Moved::State(u)) = moved("huaweicloud_dms_kafka_topic", source, "huaweicloud_dms_kafka_topic", &go) else {
        panic!("not converted")
    };
    assert_eq!((u.state["id"].as_str(), u.state["partition"].as_i64()), (Some("inst-1/orders"), Some(3)));
    let err = moved("huaweicloud_dms_kafka_topic", source, "huaweicloud_dms_kafka_instance", &go).unwrap_err();
    assert!(err.starts_with("huaweicloud_dms_kafka_instance of registry.terraform.io/huaweicloud/huaweicloud cannot be moved to huaweicloud_dms_kafka_topic"), "{err}");
    assert!(err.contains("huaweicloud_dms_kafka_instance, huaweicloud_dms_kafka_topic"), "{err}");
    let err = moved("huaweicloud_dms_kafka_topic", "registry.terraform.io/hashicorp/null", "null_resource", &go);
    assert!(err.unwrap_err().starts_with("null_resource of registry.terraform.io/hashicorp/null cannot be moved"));
}

#[test]
fn a_go_object_of_a_type_without_a_mapping_is_refused_and_ours_are_not() {
    let go_user = json!({"id": "inst-1/app", "region": "cn-north-4", "instance_id": "inst-1", "name": "app"});
    let why = unconvertible("huaweicloud_dms_kafka_user", &go_user).unwrap();
    assert!(
        why.starts_with("huaweicloud_dms_kafka_user inst-1/app was stored by the huaweicloud/huaweicloud provider"),
        "{why}"
    );
    assert!(why.contains("huaweicloud_dms_kafka_instance and huaweicloud_dms_kafka_topic"), "{why}");
    let ours = json!({"id": "inst-1/app", "instance_id": "inst-1", "name": "app"});
    assert_eq!(unconvertible("huaweicloud_dms_kafka_user", &ours), None);
    // A mapped type is converted, not refused.
    assert_eq!(unconvertible("huaweicloud_dms_kafka_topic", &go_user), None);
}
