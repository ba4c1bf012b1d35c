//! huaweicloud_dms_kafka_instance created through the current API (`broker_num`) through real Terraform
//! against the simulator: a flavor chosen by the flavors data source, brokers, storage and flavor grown
//! in place, public access and an access method switched, broker parameters, import, destroy; and a
//! yearly/monthly cluster that waits for its order.

use serde_json::{json, Value};

use crate::common;

const ADDR: &str = "huaweicloud_dms_kafka_instance.a";

/// A cluster of the current API: its flavor the first ultra-high I/O cluster flavor the flavors data
/// source lists (or `product`), in the first three zones not sold out; `settings` go inside the resource.
fn current(product: &str, settings: &str) -> String {
    let product = if product.is_empty() { "local.flavor.product_id".to_string() } else { format!("\"{product}\"") };
    format!(
        r#"
data "huaweicloud_dms_kafka_flavors" "f" {{
  type              = "cluster"
  storage_spec_code = "dms.physical.storage.ultra.v2"
}}

data "huaweicloud_dms_kafka_availability_zones" "z" {{}}

locals {{
  flavor = data.huaweicloud_dms_kafka_flavors.f.flavors[0]
  zones  = [for z in data.huaweicloud_dms_kafka_availability_zones.z.availability_zones : z.id if !z.sold_out]
}}

resource "huaweicloud_dms_kafka_instance" "a" {{
  name              = "tf-current"
  engine            = "kafka"
  engine_version    = "3.x"
  product_id        = {product}
  storage_spec_code = "dms.physical.storage.ultra.v2"
  vpc_id            = "vpc-0001"
  security_group_id = "sg-0001"
  subnet_id         = "subnet-0001"
  available_zones   = slice(local.zones, 0, 3)
  {settings}
}}
"#
    )
}

fn extends(env: &common::Env) -> Vec<Value> {
    env.requests_matching("POST", "/extend").into_iter().map(|r| r["body"].clone()).collect()
}

#[test]
fn a_cluster_of_the_current_api_scales_switches_its_access_and_imports() {
    let Some(env) = common::env() else { return };
    let access = "port_protocol {\n    private_plain_enable = true\n  }";

    // Created through the current API with the flavor the data source chose.
    env.write(&current("", &format!("broker_num = 3\n  storage_space = 300\n  {access}")));
    env.apply();
    let creates = env.requests_matching("POST", "/kafka/instances");
    assert_eq!(creates.len(), 1, "one create through the current API");
    let body = &creates[0]["body"];
    assert_eq!(
        (&body["product_id"], &body["broker_num"], &body["storage_space"], &body["port_protocol"]),
        (&json!("c6.2u4g.cluster"), &json!(3), &json!(300), &json!({"private_plain_enable": true}))
    );
    assert!(body.get("specification").is_none() && body.get("kafka_manager_user").is_none(), "{body}");
    let seed_creates = env.requests_matching("POST", "/instances");
    assert_eq!(seed_creates.len(), 1, "no create through the seed API");
    let id = env.id_of(ADDR);
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!((v["new_spec_billing_enable"].as_bool(), v["broker_num"].as_i64()), (Some(true), Some(3)));
    assert_eq!(v["status"], "RUNNING");
    env.assert_no_changes();

    // Two more brokers: the new total storage is what they bring, or the plan names it.
    env.write(&current("", &format!("broker_num = 5\n  storage_space = 300\n  {access}")));
    let refused = env.plan();
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    let err = refused.err();
    assert!(err.contains("storage_space must be 500 with 5 brokers") && err.contains("(100 GB)"), "{err}");
    env.clear_requests();
    env.write(&current("", &format!("broker_num = 5\n  storage_space = 500\n  {access}")));
    let out = env.apply();
    assert!(out.stdout.contains("0 added, 1 changed, 0 destroyed"), "{}", out.stdout);
    assert_eq!(extends(&env), vec![json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 500})]);
    env.assert_no_changes();

    // More storage, then another flavor: each through its resize, the id unchanged.
    env.write(&current("", &format!("broker_num = 5\n  storage_space = 1000\n  {access}")));
    env.apply();
    env.write(&current("c6.4u8g.cluster", &format!("broker_num = 5\n  storage_space = 1000\n  {access}")));
    env.apply();
    assert_eq!(
        extends(&env),
        vec![
            json!({"oper_type": "horizontal", "new_broker_num": 5, "new_storage_space": 500}),
            json!({"oper_type": "storage", "new_storage_space": 1000}),
            json!({"oper_type": "vertical", "new_product_id": "c6.4u8g.cluster"}),
        ]
    );
    assert_eq!(env.id_of(ADDR), id);
    let sim = &env.sim_state("kafka")[0];
    assert_eq!((sim["broker_num"].as_i64(), sim["storage_space"].as_i64()), (Some(5), Some(1000)));
    assert_eq!(sim["product_id"], "c6.4u8g.cluster");
    env.assert_no_changes();

    // Public access on, and plain text over it: the switch first, then the access method.
    let flavor = "c6.4u8g.cluster";
    env.clear_requests();
    let public = "enable_publicip = true\n  publicip_id = \"eip-1,eip-2,eip-3,eip-4,eip-5\"\n  port_protocol {\n    \
private_plain_enable = true\n    public_plain_enable = true\n  }";
    env.write(&current(flavor, &format!("broker_num = 5\n  storage_space = 1000\n  {public}")));
    env.apply();
    let writes: Vec<(String, Value)> = env
        .writes()
        .into_iter()
        .map(|r| (r["path"].as_str().unwrap().rsplit('/').next().unwrap().to_string(), r["body"].clone()))
        .collect();
    assert_eq!(
        writes,
        vec![
            (
                "public-boundwidth".to_string(),
                json!({"publicip_id": "eip-1,eip-2,eip-3,eip-4,eip-5", "public_boundwidth": 0})
            ),
            ("plain-ssl-switch".to_string(), json!({"protocol": "public_plain_enable", "enable": true})),
        ]
    );
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!(v["enable_publicip"], true);
    assert!(v["public_connect_address"].as_str().unwrap().ends_with(":9094"), "{v}");
    assert_eq!(env.id_of(ADDR), id);
    env.assert_no_changes();

    // Public access off again: its methods go with it, so no access-method call is left to make.
    env.clear_requests();
    let private = "enable_publicip = false\n  port_protocol {\n    private_plain_enable = true\n    \
public_plain_enable = false\n  }";
    let settings = format!("broker_num = 5\n  storage_space = 1000\n  {private}");
    env.write(&current(flavor, &settings));
    env.apply();
    let paths: Vec<String> = env.writes().iter().map(|r| r["path"].as_str().unwrap().to_string()).collect();
    assert!(paths.len() == 1 && paths[0].ends_with("/public-boundwidth"), "{paths:?}");
    assert_eq!(env.writes()[0]["body"], json!({"public_boundwidth": 0}));
    env.assert_no_changes();

    // Two broker parameters, one static: one call, and a warning that names the static one.
    env.clear_requests();
    let parameters =
        "parameters {\n    name  = \"message.max.bytes\"\n    value = \"2097152\"\n  }\n  parameters {\n    \
name  = \"log.retention.hours\"\n    value = \"48\"\n  }";
    let settings = format!("{settings}\n  {parameters}");
    env.write(&current(flavor, &settings));
    let out = env.apply();
    let puts = env.requests_matching("PUT", "/configs");
    assert_eq!(puts.len(), 1);
    assert_eq!(
        puts[0]["body"],
        // A set: sent by name.
        json!({"kafka_configs": [{"name": "log.retention.hours", "value": "48"}, {"name": "message.max.bytes", "value": "2097152"}]})
    );
    let all = out.all().split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(all.contains("static broker parameters changed") && all.contains("log.retention.hours is static"), "{all}");
    assert!(!all.contains("message.max.bytes is"), "{all}");
    env.assert_no_changes();

    // Imported: the shape, the access methods and the parameters changed from their defaults are read
    // back, and the plan is empty.
    env.tf(&["state", "rm", ADDR]);
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &id]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    env.assert_no_changes();
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!(v["parameters"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(v["port_protocol"][0]["private_plain_enable"], true);

    // A configuration that leaves the access methods and parameters out leaves them to the service: after the
    // import the plan drops them from the state, and the apply sends nothing.
    env.clear_requests();
    env.write(&current(flavor, "broker_num = 5\n  storage_space = 1000\n  enable_publicip = false"));
    env.apply();
    assert!(env.writes().is_empty(), "{:?}", env.writes());
    env.assert_no_changes();

    // Configuration Terraform generates from the cluster is accepted as it is.
    env.tf(&["state", "rm", ADDR]);
    let data = current(flavor, &settings);
    let data = &data[..data.find("resource \"huaweicloud_dms_kafka_instance\"").unwrap()];
    env.write(&format!("{data}import {{\n  to = {ADDR}\n  id = \"{id}\"\n}}\n"));
    let generated = env.tf(&["plan", "-no-color", "-input=false", "-generate-config-out=generated.tf"]);
    let text = std::fs::read_to_string(env.path().join("generated.tf")).unwrap_or_default();
    assert!(text.contains("broker_num") && text.contains("port_protocol"), "{}\n{text}", generated.all());
    let plan = env.tf(&["plan", "-no-color", "-input=false"]);
    assert_eq!(plan.code, 0, "the generated configuration is refused:\n{}\n{text}", plan.all());
    env.apply();
    env.assert_no_changes();

    env.destroy();
    assert!(env.sim_state("kafka").is_empty());
}

#[test]
fn a_yearly_monthly_cluster_waits_for_its_order_and_is_not_destroyed() {
    let Some(env) = common::env() else { return };
    let bss = "bss_param {\n    charging_mode = \"prePaid\"\n    period_type = \"month\"\n    period_num = 1\n  }";
    env.write(&current(
        "",
        &format!("broker_num = 3\n  storage_space = 300\n  {bss}\n  timeouts {{\n    create = \"2m\"\n  }}"),
    ));
    let child = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    common::wait_for("the cluster waiting for its order", || {
        env.sim_state("kafka").first().is_some_and(|o| o["order_id"].as_str().is_some_and(|o| !o.is_empty()))
            && env.requests_matching("GET", "/instances/").len() >= 2
    });
    let id = env.sim_state("kafka")[0]["instance_id"].as_str().unwrap().to_string();
    env.action("kafka", &id, "pay");
    let out = common::wait_out(child, &["apply"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let post = &env.requests_matching("POST", "/kafka/instances")[0];
    assert_eq!(post["body"]["bss_param"], json!({"charging_mode": "prePaid", "period_type": "month", "period_num": 1}));
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!((v["charging_mode"].as_i64(), v["status"].as_str()), (Some(0), Some("RUNNING")));
    assert!(v["order_id"].as_str().is_some_and(|o| !o.is_empty()), "{v}");
    env.assert_no_changes();

    // Nor does the API resize it.
    env.write(&current("", &format!("broker_num = 3\n  storage_space = 600\n  {bss}")));
    let plan = env.plan();
    assert_eq!(plan.code, 1, "{}", plan.stdout);
    assert!(
        plan.err().contains("storage_space cannot change through the API on a yearly/monthly instance"),
        "{}",
        plan.stderr
    );
    env.write(&current("", &format!("broker_num = 3\n  storage_space = 300\n  {bss}")));

    // The delete API cannot remove it: the destroy says why, and sends nothing.
    env.clear_requests();
    let out = env.tf(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    assert_ne!(out.code, 0);
    assert!(out.err().contains("yearly/monthly"), "{}", out.stderr);
    assert!(env.writes().is_empty());
    env.tf(&["state", "rm", ADDR]);
}

/// What no call changes on a cluster of the current API plans a replacement, named; what the plan
/// cannot do in place is refused with the attribute named, before any write.
#[test]
fn create_only_arguments_replace_and_impossible_changes_fail_at_plan() {
    let Some(env) = common::env() else { return };
    let base = "broker_num = 3\n  storage_space = 300\n  arch_type = \"X86\"";
    env.write(&current("", base));
    env.apply();
    env.assert_no_changes();
    let replaced = [
        ("ipv6_enable = true", "ipv6_enable"),
        ("vpc_client_plain = true", "vpc_client_plain"),
        ("disk_encrypted_enable = true\n  disk_encrypted_key = \"kms-key-1\"", "disk_encrypted_enable"),
        ("kafka_security_protocol = \"SASL_PLAINTEXT\"", "kafka_security_protocol"),
        ("sasl_enabled_mechanisms = [\"SCRAM-SHA-512\"]", "sasl_enabled_mechanisms"),
        ("ssl_enable = true\n  access_user = \"kafka-user\"\n  password = \"Kafka@Pass-01\"", "ssl_enable"),
    ];
    for (extra, name) in replaced {
        env.write(&current("", &format!("{base}\n  {extra}")));
        let plan = env.plan();
        assert_ne!(plan.code, 1, "{}", plan.all());
        assert!(
            plan.stdout.contains("must be replaced") && plan.stdout.contains(&format!("{name} ")),
            "{extra}: {}",
            plan.stdout
        );
        let forced: Vec<&str> = plan.stdout.lines().filter(|l| l.contains("# forces replacement")).collect();
        assert!(forced.iter().any(|l| l.contains(name)), "{extra}: {forced:?}");
    }
    env.write(&current("", &base.replace("X86", "ARM")));
    assert!(env.plan().stdout.contains("forces replacement"), "arch_type");

    env.clear_requests();
    let refused: [(&str, &[&str]); 5] = [
        ("broker_num = 2\n  storage_space = 300", &["broker_num cannot shrink from 3 to 2"]),
        // What the service shows of the other shape's arguments is accepted only as it is.
        (
            "broker_num = 3\n  storage_space = 300\n  specification = \"300MB\"",
            &["specification is only what the service reports", "cannot be set"],
        ),
        (
            "broker_num = 3\n  storage_space = 300\n  bss_param {\n    charging_mode = \"prePaid\"\n    period_type = \"month\"\n    period_num = 1\n  }",
            &["bss_param[0].charging_mode cannot be prePaid: the instance is postPaid"],
        ),
        ("broker_num = 4\n  storage_space = 300\n  tenant_ips = [\"192.168.0.9\"]", &["storage_space must be 400 with 4 brokers"]),
        (
            "broker_num = 4\n  storage_space = 400\n  enable_publicip = true\n  publicip_id = \"e1,e2,e3,e4\"",
            &["enable_publicip cannot change in the apply that adds brokers"],
        ),
    ];
    for (settings, expected) in refused {
        env.write(&current("", &format!("{settings}\n  arch_type = \"X86\"")));
        let plan = env.plan();
        assert_eq!(plan.code, 1, "{settings}: {}", plan.stdout);
        let err = plan.err().split_whitespace().collect::<Vec<_>>().join(" ");
        for part in expected {
            assert!(err.contains(part), "{settings}: {part:?} missing from {err}");
        }
    }
    assert!(env.writes().is_empty(), "{:?}", env.writes());
    env.write(&current("", base));
    env.destroy();
}

/// An instance created without `broker_num`: public access is switched in place now (on, a new
/// bandwidth, off), and each create-only argument still plans a replacement, named.
#[test]
fn seed_shape_public_access_in_place_and_create_only_arguments_replace() {
    let Some(env) = common::env() else { return };
    let seed = |extra: &str| common::hcl::kafka("s", "tf-seed", extra);
    let addr = "huaweicloud_dms_kafka_instance.s";
    env.write(&seed(""));
    env.apply();
    let id = env.id_of(addr);
    let public = |bandwidth: u32| {
        format!("enable_publicip = true\n  publicip_id = \"eip-1,eip-2,eip-3\"\n  public_bandwidth = {bandwidth}")
    };
    env.clear_requests();
    for (extra, body) in [
        (public(100), json!({"publicip_id": "eip-1,eip-2,eip-3", "public_boundwidth": 100})),
        (public(200), json!({"publicip_id": "eip-1,eip-2,eip-3", "public_boundwidth": 200})),
        ("enable_publicip = false".to_string(), json!({"public_boundwidth": 0})),
    ] {
        env.write(&seed(&extra));
        let out = env.apply();
        assert!(out.stdout.contains("0 added, 1 changed, 0 destroyed"), "{}", out.stdout);
        assert_eq!(env.writes().last().unwrap()["body"], body);
        env.assert_no_changes();
    }
    let writes: Vec<String> = env.writes().iter().map(|r| r["path"].as_str().unwrap().to_string()).collect();
    assert!(writes.len() == 3 && writes.iter().all(|p| p.ends_with("/public-boundwidth")), "{writes:?}");
    assert_eq!(env.id_of(addr), id);

    let base = seed("enable_publicip = false");
    for (from, to, name) in [
        ("\"vpc-0001\"", "\"vpc-0002\"", "vpc_id"),
        ("\"subnet-0001\"", "\"subnet-0002\"", "subnet_id"),
        ("[\"az1\", \"az2\", \"az3\"]", "[\"az1\"]", "available_zones"),
        ("\"dms.physical.storage.ultra\"", "\"dms.physical.storage.high\"", "storage_spec_code"),
        ("\"manager\"", "\"manager-2\"", "kafka_manager_user"),
        ("enable_publicip = false", "enable_publicip = false\n  connector_enable = true", "connector_enable"),
        ("enable_publicip = false", "enable_publicip = false\n  partition_num = 900", "partition_num"),
        (
            "enable_publicip = false",
            "enable_publicip = false\n  ssl_enable = true\n  access_user = \"kafka-user\"\n  password = \"Kafka@Pass-01\"",
            "ssl_enable",
        ),
    ] {
        env.write(&base.replace(from, to));
        let plan = env.plan();
        assert_ne!(plan.code, 1, "{name}: {}", plan.all());
        let forced: Vec<&str> = plan.stdout.lines().filter(|l| l.contains("# forces replacement")).collect();
        assert!(forced.iter().any(|l| l.contains(name)), "{name}: {}", plan.stdout);
    }
    env.write(&base);
    env.destroy();
}

/// SASL on a cluster of the current API, through its access methods: switched on for the first time
/// (with the user, its password and the mechanisms), off (the service keeps the user; the password is
/// not reset), on again (nothing but the method), and from SASL_PLAINTEXT to SASL_SSL (the method going
/// off first); each in place, each followed by an empty plan.
#[test]
fn sasl_is_switched_on_off_and_across_in_place() {
    let Some(env) = common::env() else { return };
    let methods = |sasl_ssl: bool, sasl_plaintext: bool| {
        format!(
            "port_protocol {{\n    private_plain_enable = true\n    private_sasl_ssl_enable = {sasl_ssl}\n    \
private_sasl_plaintext_enable = {sasl_plaintext}\n  }}"
        )
    };
    let user = "ssl_enable = true\n  access_user = \"kafka-user\"\n  password = \"Kafka@Pass-01\"";
    let config = |extra: &str| current("", &format!("broker_num = 3\n  storage_space = 300\n  {extra}"));
    env.write(&config(&methods(false, false)));
    env.apply();
    let id = env.id_of(ADDR);
    let switches = |env: &common::Env| -> Vec<Value> {
        let writes = env.writes();
        assert!(writes.iter().all(|r| r["path"].as_str().unwrap().ends_with("/plain-ssl-switch")), "{writes:?}");
        writes.into_iter().map(|r| r["body"].clone()).collect()
    };
    let steps: [(String, Vec<Value>); 4] = [
        (
            format!("{user}\n  sasl_enabled_mechanisms = [\"SCRAM-SHA-512\"]\n  {}", methods(true, false)),
            vec![json!({"protocol": "private_sasl_ssl_enable", "enable": true, "user_name": "kafka-user",
                "pass_word": hwsim::redacted("Kafka@Pass-01"), "sasl_enabled_mechanisms": ["SCRAM-SHA-512"]})],
        ),
        (
            "ssl_enable = false\n  ".to_string() + &methods(false, false),
            vec![json!({"protocol": "private_sasl_ssl_enable", "enable": false})],
        ),
        (
            format!("{user}\n  {}", methods(false, true)),
            vec![json!({"protocol": "private_sasl_plaintext_enable", "enable": true})],
        ),
        (
            format!("{user}\n  {}", methods(true, false)),
            vec![
                json!({"protocol": "private_sasl_plaintext_enable", "enable": false}),
                json!({"protocol": "private_sasl_ssl_enable", "enable": true}),
            ],
        ),
    ];
    for (extra, expected) in steps {
        env.clear_requests();
        env.write(&config(&extra));
        let out = env.apply();
        assert!(out.stdout.contains("0 added, 1 changed, 0 destroyed"), "{extra}: {}", out.stdout);
        assert_eq!(switches(&env), expected, "{extra}");
        env.assert_no_changes();
    }
    assert_eq!(env.id_of(ADDR), id);
    let v = env.resource(ADDR)["values"].clone();
    assert_eq!((v["ssl_enable"].as_bool(), v["access_user"].as_str()), (Some(true), Some("kafka-user")));
    assert_eq!(v["sasl_enabled_mechanisms"], json!(["SCRAM-SHA-512"]));
    env.destroy();
}
