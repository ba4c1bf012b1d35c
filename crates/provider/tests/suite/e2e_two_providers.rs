//! The example of one configuration that uses this provider next to Huawei's Go provider
//! (`examples/with_huaweicloud_provider`), run as it is written: Huawei's provider keeps the local name
//! `huaweicloud` and makes the network, this one (`huaweicloud-rs`) the Kafka instance, topic and user in
//! it, and a security group rule of Huawei's takes the instance's port. Both providers read the region
//! and keys from the same `HW_*` variables.
//!
//! Huawei's provider cannot be installed here: its address is served by a stand-in built from this
//! crate's examples (`go_provider_stand_in`, which keeps its objects in the state only), this provider's
//! by its binary, and this provider's endpoints point at the simulator through an override file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{self, go_state, Env, Out};

const GO_ADDRESS: &str = "registry.terraform.io/huaweicloud/huaweicloud";
const STAND_IN: &str = "go_provider_stand_in";
/// The version the stand-in has in a filesystem mirror.
const STAND_IN_VERSION: &str = "0.0.1";

/// The stand-in's binary, built for this test.
fn stand_in_binary() -> PathBuf {
    tfplugin::testing::example_binary(env!("CARGO_PKG_NAME"), STAND_IN)
}

/// Serves Huawei's provider's address with the stand-in, next to this provider's dev override.
fn install_stand_in(env: &Env) {
    let dir = env.path().join("go-plugin");
    std::fs::create_dir(&dir).unwrap();
    std::fs::copy(stand_in_binary(), dir.join("terraform-provider-huaweicloud")).unwrap();
    let path = env.path().join("cli.tfrc");
    let rc = std::fs::read_to_string(&path).unwrap();
    let rc = rc.replacen(
        "dev_overrides {",
        &format!("dev_overrides {{\n    \"huaweicloud/huaweicloud\" = \"{}\"", dir.display()),
        1,
    );
    std::fs::write(path, rc).unwrap();
}

/// The example's files, and an override file pointing this provider's endpoints at the simulator.
fn copy_example(env: &Env) {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/with_huaweicloud_provider");
    for entry in std::fs::read_dir(&example).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            std::fs::copy(&path, env.path().join(path.file_name().unwrap())).unwrap();
        }
    }
    let url = env.sim_url();
    std::fs::write(
        env.path().join("simulator_override.tf"),
        format!(
            "provider \"huaweicloud-rs\" {{\n  endpoints = {{\n    iam     = \"{url}\"\n    iotda   = \"{url}\"\n    \
             clouddc = \"{url}\"\n    dms     = \"{url}\"\n  }}\n}}\n"
        ),
    )
    .unwrap();
}

/// Runs terraform with the region and keys in the environment only (both providers read them there) and
/// the example's passwords.
fn tf(env: &Env, args: &[&str]) -> Out {
    env.tf_with(
        args,
        &[
            ("HW_REGION_NAME", "cn-north-4"),
            ("HW_ACCESS_KEY", "SIMULATORACCESSKEY01"),
            ("HW_SECRET_KEY", "simulator-secret-key-0123456789"),
            ("TF_VAR_kafka_password", "Kafka-Admin-2024"),
            ("TF_VAR_kafka_manager_password", "Manager-Pass-2024"),
            ("TF_VAR_kafka_user_password", "Orders-Pass-2024"),
        ],
    )
}

/// The planned change of `address` in `terraform show -json` of a plan.
fn change<'a>(plan: &'a Value, address: &str) -> &'a Value {
    let changes = plan["resource_changes"].as_array().expect("resource changes");
    changes.iter().find(|c| c["address"] == address).unwrap_or_else(|| panic!("no change of {address}: {plan:#}"))
}

/// The attributes of a resource in the stored state.
fn attributes<'a>(state: &'a Value, kind: &str, name: &str) -> &'a Value {
    &go_state::find(state, kind, name)["instances"][0]["attributes"]
}

#[test]
fn the_two_provider_example_plans_applies_and_destroys() {
    let Some(env) = common::env() else { return };
    install_stand_in(&env);
    copy_example(&env);
    let ours = format!("registry.terraform.io/{}", hwprovider::PROVIDER_ADDRESS);

    let validate = tf(&env, &["validate", "-no-color"]);
    assert_eq!(validate.code, 0, "{}", validate.all());

    // The plan: the network under Huawei's provider, Kafka under this one, the IDs it takes unknown.
    env.clear_requests();
    let plan = tf(&env, &["plan", "-out=tfplan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 2, "{}", plan.all());
    assert!(plan.stdout.contains("Plan: 7 to add, 0 to change, 0 to destroy."), "{}", plan.stdout);
    assert!(env.writes().is_empty(), "the plan wrote: {:?}", env.writes());
    let shown = env.tf(&["show", "-json", "-no-color", "tfplan"]);
    assert_eq!(shown.code, 0, "{}", shown.all());
    let planned: Value = serde_json::from_str(&shown.stdout).unwrap();
    for (address, provider) in [
        ("huaweicloud_vpc.main", GO_ADDRESS),
        ("huaweicloud_vpc_subnet.kafka", GO_ADDRESS),
        ("huaweicloud_networking_secgroup.kafka", GO_ADDRESS),
        ("huaweicloud_networking_secgroup_rule.kafka_clients", GO_ADDRESS),
        ("huaweicloud_dms_kafka_instance.main", ours.as_str()),
        ("huaweicloud_dms_kafka_topic.orders", ours.as_str()),
        ("huaweicloud_dms_kafka_user.orders_service", ours.as_str()),
    ] {
        assert_eq!(change(&planned, address)["provider_name"], provider, "{address}");
    }
    let kafka = &change(&planned, "huaweicloud_dms_kafka_instance.main")["change"];
    for id in ["vpc_id", "subnet_id", "security_group_id"] {
        assert_eq!(kafka["after_unknown"][id], true, "{id} is known before the network exists: {kafka:#}");
    }
    let rule = &change(&planned, "huaweicloud_networking_secgroup_rule.kafka_clients")["change"];
    assert_eq!(rule["after_unknown"]["port_range_min"], true, "{rule:#}");
    // Huawei's provider took its region from HW_REGION_NAME, as this one did.
    assert_eq!(change(&planned, "huaweicloud_vpc.main")["change"]["after"]["region"], "cn-north-4");

    // The apply: this provider's instance is created in the network the other one made.
    env.clear_requests();
    let apply = tf(&env, &["apply", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(apply.code, 0, "{}", apply.all());
    let state = go_state::pull(&env);
    for r in state["resources"].as_array().unwrap() {
        let expected =
            if r["type"].as_str().unwrap().starts_with("huaweicloud_dms_kafka") { &ours } else { GO_ADDRESS };
        assert_eq!(r["provider"], format!("provider[\"{expected}\"]"), "{}.{}", r["type"], r["name"]);
    }
    let id = |kind: &str, name: &str| attributes(&state, kind, name)["id"].as_str().unwrap().to_string();
    let creates: Vec<Value> = env
        .requests_matching("POST", "/instances")
        .into_iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/instances"))
        .collect();
    assert_eq!(creates.len(), 1, "{creates:#?}");
    let body = &creates[0]["body"];
    assert_eq!(body["vpc_id"], id("huaweicloud_vpc", "main"), "{body:#}");
    assert_eq!(body["subnet_id"], id("huaweicloud_vpc_subnet", "kafka"), "{body:#}");
    assert_eq!(body["security_group_id"], id("huaweicloud_networking_secgroup", "kafka"), "{body:#}");
    let instance = attributes(&state, "huaweicloud_dms_kafka_instance", "main");
    let rule = attributes(&state, "huaweicloud_networking_secgroup_rule", "kafka_clients");
    assert!(instance["port"].as_i64().is_some(), "{instance:#}");
    assert_eq!((&rule["port_range_min"], &rule["port_range_max"]), (&instance["port"], &instance["port"]));
    assert_eq!(env.requests_matching("POST", "/users").len(), 1, "the user was created");
    assert_eq!(env.requests_matching("POST", "/topics").len(), 1, "the topic was created");

    // Nothing left to change; then both providers destroy what they made.
    let again = tf(&env, &["plan", "-detailed-exitcode", "-input=false", "-no-color"]);
    assert_eq!(again.code, 0, "expected an empty plan:\n{}", again.all());
    let destroy = tf(&env, &["destroy", "-auto-approve", "-input=false", "-no-color"]);
    assert_eq!(destroy.code, 0, "{}", destroy.all());
    assert!(destroy.stdout.contains("Destroy complete! Resources: 7 destroyed."), "{}", destroy.stdout);
    let live: Vec<Value> = env.sim_state("kafka").into_iter().filter(|i| i["status"] != "DELETED").collect();
    assert!(live.is_empty(), "{live:#?}");
}

/// The directory of one provider in a filesystem mirror's unpacked layout, for this platform.
fn mirror_dir(mirror: &Path, address: &str, version: &str) -> PathBuf {
    let os = match std::env::consts::OS {
        "macos" => "darwin",
        os => os,
    };
    let arch = match std::env::consts::ARCH {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        arch => arch,
    };
    let dir = mirror.join(address).join(version).join(format!("{os}_{arch}"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn terraform_init_installs_both_providers_and_locks_both() {
    let Some(env) = common::env() else { return };
    copy_example(&env);
    // Both from one filesystem mirror (Huawei's stand-in under its address), as a release of this provider
    // is installed next to Huawei's from the registry; no development overrides.
    let mirror = env.path().join("mirror");
    let version = env!("CARGO_PKG_VERSION");
    let ours = mirror_dir(&mirror, &format!("registry.terraform.io/{}", hwprovider::PROVIDER_ADDRESS), version);
    std::fs::copy(env!("CARGO_BIN_EXE_terraform-provider-huaweicloud"), ours.join("terraform-provider-huaweicloud"))
        .unwrap();
    let go = mirror_dir(&mirror, GO_ADDRESS, STAND_IN_VERSION);
    std::fs::copy(stand_in_binary(), go.join("terraform-provider-huaweicloud")).unwrap();
    let rc =
        format!("provider_installation {{\n  filesystem_mirror {{\n    path = \"{}\"\n  }}\n}}\n", mirror.display());
    std::fs::write(env.path().join("cli.tfrc"), rc).unwrap();

    let init = env.tf(&["init", "-input=false", "-no-color"]);
    assert_eq!(init.code, 0, "{}", init.all());
    let go_installed = format!("Installed huaweicloud/huaweicloud v{STAND_IN_VERSION}");
    for installed in [format!("Installed {} v{version}", hwprovider::PROVIDER_ADDRESS), go_installed] {
        assert!(init.stdout.contains(&installed), "{installed} in:\n{}", init.stdout);
    }
    let lock = std::fs::read_to_string(env.path().join(".terraform.lock.hcl")).unwrap();
    for address in [format!("registry.terraform.io/{}", hwprovider::PROVIDER_ADDRESS), GO_ADDRESS.to_string()] {
        assert!(lock.contains(&format!("provider \"{address}\"")), "{address} not locked:\n{lock}");
    }
    let validate = env.tf(&["validate", "-no-color"]);
    assert_eq!(validate.code, 0, "{}", validate.all());
}
