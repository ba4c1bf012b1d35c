//! Plan-time validation of each resource, case by case, without Terraform: a configuration in
//! Terraform's shape (blocks as objects) is validated as the engine does at plan, and each case names
//! the attribute and the words its error must carry. The end-to-end files keep a few cases per resource
//! to prove the wiring through `terraform plan`.

use hwprovider::engine::{path_label, validate, ResourceDef};
use hwprovider::resources::defs;
use serde_json::{json, Value};

use crate::common::api::tf;
use crate::contract::base;

/// The base configuration of `resource` with `edits` merged in (a null removes the key; nested objects
/// are merged the same way).
fn with(resource: &str, edits: Value) -> Value {
    fn merge(into: &mut Value, edits: &Value) {
        let (Value::Object(into), Value::Object(edits)) = (into, edits) else { return };
        for (k, v) in edits {
            match (into.get_mut(k), v) {
                (_, Value::Null) => {
                    into.remove(k);
                }
                (Some(existing @ Value::Object(_)), Value::Object(_)) => merge(existing, v),
                _ => {
                    into.insert(k.clone(), v.clone());
                }
            }
        }
    }
    let mut config = base(resource);
    merge(&mut config, &edits);
    config
}

fn def(resource: &str) -> &'static ResourceDef {
    defs().into_iter().find(|d| d.name == resource).expect("a resource")
}

/// `path: message` of every problem of a configuration.
fn problems(resource: &str, config: Value) -> Vec<String> {
    let d = def(resource);
    validate::validate(d.fields, d.create, d.rules, &tf(config))
        .into_iter()
        .map(|p| format!("{}: {}", path_label(&p.path), p.message))
        .collect()
}

/// Each case fails with a problem at its path that carries each expected part; the base passes.
fn check(resource: &str, cases: Vec<(Value, &str, &[&str])>) {
    assert_eq!(problems(resource, base(resource)), Vec::<String>::new(), "the base of {resource} is refused");
    let mut failed = Vec::new();
    for (i, (edits, path, parts)) in cases.into_iter().enumerate() {
        let found = problems(resource, with(resource, edits.clone()));
        let at_path: Vec<&String> = found.iter().filter(|p| p.starts_with(&format!("{path}: "))).collect();
        if at_path.is_empty() || !parts.iter().all(|part| at_path.iter().any(|p| p.contains(part))) {
            failed.push(format!("case {i} {edits}: want {path} with {parts:?}, got {found:?}"));
        }
    }
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn iotda_instance() {
    let tags21: serde_json::Map<String, Value> = (0..21).map(|i| (format!("k{i}"), json!("v"))).collect();
    let prepaid = json!({"charge_info": {"charge_mode": "prePaid"}});
    check(
        "iotda_instance",
        vec![
            (json!({"name": "has space"}), "name", &["letters, digits, underscores", "' ' is not allowed"]),
            (json!({"name": "n".repeat(65)}), "name", &["1 to 64 characters long, got 65"]),
            (json!({"flavor": {"size": null}}), "flavor.size", &["is required when instance_type is \"standard\""]),
            (json!({"flavor": {"size": 0}}), "flavor.size", &["must be at least 1, got 0"]),
            (json!({"flavor": {"type": ""}}), "flavor.type", &["1 to 64 characters"]),
            (json!({"instance_type": "premium"}), "instance_type", &["\"standard\", \"enterprise\""]),
            (
                json!({"instance_type": "enterprise", "flavor": {"size": null}}),
                "additional_params",
                &["is required when instance_type is \"enterprise\""],
            ),
            (prepaid.clone(), "charge_info.period_type", &["is required when charge_info.charge_mode is \"prePaid\""]),
            (
                json!({"charge_info": {"charge_mode": "prePaid", "period_type": "year", "period_num": 5}}),
                "charge_info.period_num",
                &["at most 3 when charge_info.period_type is \"year\""],
            ),
            (
                json!({"charge_info": {"charge_mode": "prePaid", "period_type": "month", "period_num": 10}}),
                "charge_info.period_num",
                &["between 1 and 9, got 10"],
            ),
            (json!({"charge_info": {"period_type": "month"}}), "charge_info.period_type", &["may only be set when"]),
            (json!({"charge_info": {"is_auto_renew": true}}), "charge_info.is_auto_renew", &["may only be set when"]),
            (json!({"description": "d".repeat(257)}), "description", &["0 to 256"]),
            (json!({"description": "semi;colon"}), "description", &["';' is not allowed"]),
            (json!({"enterprise_project_id": "XYZ"}), "enterprise_project_id", &["a-f"]),
            (json!({"tags": {" lead": "v"}}), "tags", &["key \" lead\"", "does not start or end with a space"]),
            (json!({"tags": {"k": "bad/value"}}), "tags", &["value of \"k\"", "'/' is not allowed"]),
            (json!({"tags": tags21}), "tags", &["0 to 20 elements, got 21"]),
            (
                json!({"additional_params": [{"vpc_id": "v", "subnet_id": "s", "security_group_id": "g", "port_info": [{}]}]}),
                "additional_params",
                &["may only be set when instance_type is \"enterprise\""],
            ),
            (
                json!({"instance_type": "enterprise", "flavor": {"size": null},
                    "additional_params": [{"vpc_id": "v", "subnet_id": "s", "security_group_id": "g",
                        "port_info": {"app_mqtts_port": 70000}}]}),
                "additional_params[0].port_info.app_mqtts_port",
                &["between 1 and 65535, got 70000"],
            ),
        ],
    );
}

#[test]
fn dms_kafka_instance() {
    let ssl = |password: &str| json!({"ssl_enable": true, "access_user": "kafka-user", "password": password});
    let cases: Vec<(Value, &str, &[&str])> = vec![
        (json!({"name": "1kafka"}), "name", &["starts with a letter"]),
        (json!({"name": "kfk"}), "name", &["4 to 64 characters"]),
        (json!({"name": "kafka test"}), "name", &["' ' is not allowed"]),
        (json!({"description": "d".repeat(1025)}), "description", &["0 to 1024"]),
        (json!({"engine": "rabbitmq"}), "engine", &["must be one of \"kafka\""]),
        (json!({"retention_policy": "forever"}), "retention_policy", &["\"produce_reject\", \"time_base\""]),
        (json!({"ssl_enable": true}), "access_user", &["is required when ssl_enable is true"]),
        (json!({"ssl_enable": true}), "password", &["is required when ssl_enable is true"]),
        (json!({"access_user": "kafka-user"}), "access_user", &["may only be set when ssl_enable is true"]),
        (json!({"enable_publicip": true}), "publicip_id", &["is required when enable_publicip is true"]),
        (json!({"public_bandwidth": 100}), "public_bandwidth", &["may only be set when enable_publicip is true"]),
        (
            json!({"enable_publicip": true, "publicip_id": "e1", "public_bandwidth": 2001}),
            "public_bandwidth",
            &["1 and 2000"],
        ),
        (json!({"available_zones": ["az1", "az2"]}), "available_zones", &["one availability zone or at least three"]),
        (json!({"available_zones": []}), "available_zones", &["must have at least one element, got 0"]),
        (json!({"available_zones": ["az1", "az1", "az3"]}), "available_zones", &["lists \"az1\" twice"]),
        (json!({"available_zones": [""]}), "available_zones", &["element 0 must be 1 to 64 characters"]),
        (json!({"kafka_manager_user": "man_ager"}), "kafka_manager_user", &["'_' is not allowed"]),
        (json!({"kafka_manager_password": "manager-pass"}), "kafka_manager_password", &["at least three of"]),
        (
            json!({"kafka_manager_password": "-Manager@Pass"}),
            "kafka_manager_password",
            &["must not start with a hyphen"],
        ),
        (ssl("Ab1@"), "password", &["8 to 32 characters"]),
        (ssl("Secret;Pass-1"), "password", &["may only contain letters, digits, spaces and the special characters"]),
        (json!({"maintain_begin": "2200", "maintain_end": "02:00"}), "maintain_begin", &["HH:mm"]),
        (json!({"maintain_begin": "24:00", "maintain_end": "02:00"}), "maintain_begin", &["00:00 to 23:59"]),
        (json!({"maintain_begin": "22:00"}), "maintain_end", &["must be set together with maintain_begin"]),
        (json!({"tags": {"_sys_k": "v"}}), "tags", &["_sys_"]),
        (json!({"tags": {"k": "a=b"}}), "tags", &["'=' is not allowed"]),
        (json!({"tags": {"k": "v".repeat(44)}}), "tags", &["value of \"k\" must be 0 to 43 characters"]),
        (json!({"enterprise_project_id": "XYZ"}), "enterprise_project_id", &["a-f"]),
        (json!({"partition_num": 0}), "partition_num", &["must be between 1 and 100000, got 0"]),
        (json!({"storage_space": 650}), "storage_space", &["a multiple of 100, got 650"]),
        (json!({"storage_space": 0}), "storage_space", &["between 100 and 1500000, got 0"]),
    ];
    check("dms_kafka_instance", cases);
    // The messages never show a password.
    for secret in ["manager-pass", "-Manager@Pass", "Ab1@", "Secret;Pass-1"] {
        for edits in [json!({"kafka_manager_password": secret}), ssl(secret)] {
            for p in problems("dms_kafka_instance", with("dms_kafka_instance", edits)) {
                assert!(!p.contains(secret), "a password was echoed: {p}");
            }
        }
    }
}

#[test]
fn dms_kafka_topic() {
    let config = |name: &str, value: &str| json!({"name": name, "value": value});
    check(
        "dms_kafka_topic",
        vec![
            (json!({"name": "1orders"}), "name", &["starts with a letter"]),
            (json!({"name": "or"}), "name", &["3 to 200 characters"]),
            (json!({"name": "a/b-topic"}), "name", &["'/' is not allowed"]),
            (json!({"instance_id": "bad/id"}), "instance_id", &["letters, digits and hyphens", "'/'"]),
            (json!({"partition": 0}), "partition", &["between 1 and 200, got 0"]),
            (json!({"replication": 4}), "replication", &["between 1 and 3, got 4"]),
            (json!({"retention_time": 0}), "retention_time", &["between 1 and 720, got 0"]),
            (json!({"topic_desc": "d".repeat(201)}), "topic_desc", &["0 to 200 characters"]),
            (
                json!({"topic_other_configs": [config("a", "1"), config("a", "2")]}),
                "topic_other_configs",
                &["lists name \"a\" twice"],
            ),
            (
                json!({"topic_other_configs": [config("", "1")]}),
                "topic_other_configs[0].name",
                &["1 to 128 characters"],
            ),
        ],
    );
}

#[test]
fn clouddc_instance() {
    let nic = |subnet: &str, ip: Option<&str>| match ip {
        Some(ip) => json!({"subnet_id": subnet, "ipv4_address": ip}),
        None => json!({"subnet_id": subnet}),
    };
    let pairs = |n: usize| Value::Object((0..n).map(|i| (format!("k{i}"), json!("v"))).collect());
    let cases: Vec<(Value, &str, &[&str])> = vec![
        (json!({"name": "has space"}), "name", &["letters, digits, underscores"]),
        (json!({"name": "n".repeat(64)}), "name", &["1 to 63 characters"]),
        (
            json!({"network_interfaces": [nic("a", None), nic("b", None), nic("c", None)]}),
            "network_interfaces",
            &["1 to 2 elements, got 3"],
        ),
        (json!({"network_interfaces": []}), "network_interfaces", &["1 to 2 elements, got 0"]),
        (json!({"network_interfaces": [nic("", None)]}), "network_interfaces[0].subnet_id", &["1 to 64 characters"]),
        (
            json!({"network_interfaces": [nic("a", None), nic("b", Some("10.0.0.256"))]}),
            "network_interfaces[1].ipv4_address",
            &["an IPv4 address"],
        ),
        (
            json!({"network_interfaces": [nic("a", Some("10.0.0.5")), nic("b", Some("10.0.0.5"))]}),
            "network_interfaces",
            &["lists ipv4_address"],
        ),
        (json!({"password": "Sh0rt-"}), "password", &["8 to 26 characters"]),
        (json!({"password": "alllowercase"}), "password", &["at least three"]),
        (json!({"password": "Xroot-1234"}), "password", &["\"root\""]),
        (json!({"password": "Admin-rotartsinimda1"}), "password", &["\"administrator\""]),
        (json!({"password": "Secret#123"}), "password", &["another character"]),
        (json!({"metadata": pairs(11)}), "metadata", &["0 to 10 elements"]),
        (json!({"metadata": {"bad/key": "v"}}), "metadata", &["key \"bad/key\"", "'/'"]),
        (json!({"metadata": {"k": "v".repeat(256)}}), "metadata", &["value of \"k\" must be 0 to 255 characters"]),
        (json!({"description": "d".repeat(256)}), "description", &["0 to 255 characters"]),
        // An optional block of at most one element arrives as a one-element list.
        (json!({"placement": [{"server_id": ""}]}), "placement[0].server_id", &["1 to 64 characters"]),
    ];
    check("clouddc_instance", cases);
    for secret in ["Sh0rt-", "Xroot-1234", "Secret#123"] {
        for p in problems("clouddc_instance", with("clouddc_instance", json!({"password": secret}))) {
            assert!(!p.contains(secret), "a password was echoed: {p}");
        }
    }
}

#[test]
fn clouddc_password_rules() {
    let problem = hwapi::contract::clouddc::password_problem;
    assert!(problem("Abcdef12").is_none());
    assert!(problem("abc-def_12").is_none());
    for (bad, why) in [
        ("Ab1", "8 to 26"),
        ("Abcdefgh12#", "another character"),
        ("abcdefgh", "at least three"),
        ("Xroot-12", "\"root\""),
        ("XtOOr-12", "\"toor\""),
        ("Administrator1!", "\"administrator\""),
        ("1-rotartsinimdA", "\"rotartsinimda\""),
    ] {
        let problems = problem(bad).unwrap_or_default();
        assert!(problems.contains(why), "{bad}: {problems:?}");
        assert!(!problems.contains(bad), "the password is never echoed");
    }
}

#[test]
fn clouddc_instance_ids() {
    use hwapi::contract::clouddc::is_uuid;
    assert!(is_uuid("0198170e-4ca7-7ee4-89a7-fa631843920b"));
    assert!(!is_uuid("0198170E-4ca7-7ee4-89a7-fa631843920b") && !is_uuid("x") && !is_uuid("../status"));
}
