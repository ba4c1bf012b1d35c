//! The data sources through real Terraform against the simulator: one object by id and by exact name
//! (with clear errors for none and for several), and the list data sources with the list APIs' filters.

use serde_json::{json, Value};

use crate::common::{self, hcl};

fn resources() -> String {
    format!(
        r#"{}{}{}{}
resource "huaweicloud_dms_kafka_topic" "t" {{
  instance_id = huaweicloud_dms_kafka_instance.k1.id
  name        = "orders"
  partition   = 6
  replication = 3
}}

resource "huaweicloud_clouddc_instance" "c" {{
  name     = "bm-data"
  image_id = "5d1a9d5c-0f1b-4a61-9bd5-0c3b5e1e6c2a"
  vpc_id   = "vpc-e2e"
  password = "Secret-123"
  network_interfaces {{
    subnet_id = "subnet-a"
  }}
}}
"#,
        hcl::iotda("i1", "\"iot-one\"", ""),
        hcl::iotda("i2", "\"iot-two\"", ""),
        hcl::kafka("k1", "kafka-one", ""),
        hcl::kafka("k2", "kafka-two", ""),
    )
}

const LOOKUPS: &str = r#"
data "huaweicloud_iotda_instance" "by_name" {
  name = "iot-one"
}
data "huaweicloud_iotda_instance" "by_id" {
  id = huaweicloud_iotda_instance.i2.id
}
data "huaweicloud_iotda_instances" "all" {}
data "huaweicloud_iotda_instances" "fuzzy" {
  name = "two"
}
data "huaweicloud_iotda_instances" "enterprise" {
  instance_type = "enterprise"
}
data "huaweicloud_dms_kafka_instance" "by_name" {
  name = "kafka-two"
}
data "huaweicloud_dms_kafka_instances" "exact" {
  name             = "kafka-one"
  exact_match_name = true
}
data "huaweicloud_dms_kafka_instances" "running" {
  status = "RUNNING"
}
data "huaweicloud_dms_kafka_topic" "by_name" {
  instance_id = huaweicloud_dms_kafka_instance.k1.id
  name        = "orders"
}
data "huaweicloud_dms_kafka_topics" "all" {
  instance_id = huaweicloud_dms_kafka_instance.k1.id
}
data "huaweicloud_clouddc_instance" "by_name" {
  name = "bm-data"
}
data "huaweicloud_clouddc_instances" "by_id" {
  instance_id = [huaweicloud_clouddc_instance.c.id]
}
data "huaweicloud_clouddc_instances" "stopped" {
  instance_state = "stopped"
}

output "o" {
  value = {
    iot_by_name      = data.huaweicloud_iotda_instance.by_name
    iot_by_id        = data.huaweicloud_iotda_instance.by_id
    iot_all          = [for i in data.huaweicloud_iotda_instances.all.instances : i.name]
    iot_fuzzy        = [for i in data.huaweicloud_iotda_instances.fuzzy.instances : i.id]
    iot_enterprise   = length(data.huaweicloud_iotda_instances.enterprise.instances)
    kafka_by_name    = data.huaweicloud_dms_kafka_instance.by_name
    kafka_exact      = [for i in data.huaweicloud_dms_kafka_instances.exact.instances : i.name]
    kafka_running    = length(data.huaweicloud_dms_kafka_instances.running.instances)
    topic            = data.huaweicloud_dms_kafka_topic.by_name
    topics           = data.huaweicloud_dms_kafka_topics.all.topics
    cdc_by_name      = data.huaweicloud_clouddc_instance.by_name
    cdc_by_id        = [for i in data.huaweicloud_clouddc_instances.by_id.instances : i.id]
    cdc_stopped      = length(data.huaweicloud_clouddc_instances.stopped.instances)
  }
}
"#;

#[test]
fn data_sources_by_id_by_name_and_lists_with_filters() {
    let Some(env) = common::env() else { return };
    env.write(&resources());
    env.apply();
    let id = |addr: &str| env.id_of(addr);
    let (i1, i2, k1, k2, c) = (
        id("huaweicloud_iotda_instance.i1"),
        id("huaweicloud_iotda_instance.i2"),
        id("huaweicloud_dms_kafka_instance.k1"),
        id("huaweicloud_dms_kafka_instance.k2"),
        id("huaweicloud_clouddc_instance.c"),
    );

    env.write(&format!("{}{LOOKUPS}", resources()));
    env.clear_requests();
    env.apply();
    assert!(env.writes().is_empty(), "reading data sources wrote: {:?}", env.writes());
    let out = env.tf(&["output", "-json", "o"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let o: Value = serde_json::from_str(&out.stdout).unwrap();

    assert_eq!(
        (o["iot_by_name"]["id"].as_str(), o["iot_by_name"]["status"].as_str()),
        (Some(i1.as_str()), Some("ACTIVE"))
    );
    assert_eq!(o["iot_by_name"]["flavor"]["type"], "iotda.standard.s1");
    assert_eq!(o["iot_by_id"]["name"], "iot-two");
    assert_eq!(o["iot_all"].as_array().map(Vec::len), Some(2));
    assert_eq!(o["iot_fuzzy"], json!([i2]));
    assert_eq!(o["iot_enterprise"], 0);
    assert_eq!(
        (o["kafka_by_name"]["id"].as_str(), o["kafka_by_name"]["status"].as_str()),
        (Some(k2.as_str()), Some("RUNNING"))
    );
    assert!(o["kafka_by_name"].get("kafka_manager_password").is_none(), "write-only arguments are not shown");
    assert_eq!(o["kafka_exact"], json!(["kafka-one"]));
    assert_eq!(o["kafka_running"], 2);
    assert_eq!(
        (o["topic"]["id"].as_str(), o["topic"]["partition"].as_i64()),
        (Some(format!("{k1}/orders").as_str()), Some(6))
    );
    assert_eq!(o["topics"].as_array().map(Vec::len), Some(1));
    assert_eq!(o["topics"][0]["name"], "orders");
    assert_eq!(
        (o["cdc_by_name"]["id"].as_str(), o["cdc_by_name"]["status"].as_str()),
        (Some(c.as_str()), Some("running"))
    );
    assert_eq!(o["cdc_by_id"], json!([c]));
    assert_eq!(o["cdc_stopped"], 0);
    // The list filters reached the API as its query parameters.
    let queries: Vec<Value> = env.requests().iter().map(|r| r["query"].clone()).collect();
    for (k, v) in [
        ("instance_type", "enterprise"),
        ("exact_match_name", "true"),
        ("status", "RUNNING"),
        ("instance_state", "stopped"),
    ] {
        assert!(queries.iter().any(|q| q[k] == v), "no list call with {k}={v}: {queries:?}");
    }
    env.assert_no_changes();

    // None and several by name are clear errors on the name; a lookup needs id or name.
    let failing = |hcl: &str, expected: &[&str]| {
        env.write(&format!("{}{hcl}", resources()));
        let out = env.plan();
        assert_eq!(out.code, 1, "{}", out.all());
        for part in expected {
            assert!(out.err().contains(part), "{part:?} missing from:\n{}", out.stderr);
        }
    };
    failing(
        "data \"huaweicloud_iotda_instance\" \"x\" {\n name = \"iot-none\"\n}\n",
        &["No huaweicloud_iotda_instance found", "No IoTDA instance is named \"iot-none\""],
    );
    env.patch("iotda", &i2, json!({"name": "iot-one"}));
    failing(
        "data \"huaweicloud_iotda_instance\" \"x\" {\n name = \"iot-one\"\n}\n",
        &["Several huaweicloud_iotda_instance found", "2 IoTDA instances are named \"iot-one\"", &i1, &i2],
    );
    env.patch("iotda", &i2, json!({"name": "iot-two"}));
    failing("data \"huaweicloud_dms_kafka_instance\" \"x\" {}\n", &["Set `id` or `name`"]);
    failing(
        "data \"huaweicloud_dms_kafka_topic\" \"x\" {\n name = \"orders\"\n}\n",
        &["A lookup by `name` needs `instance_id`"],
    );
    failing(
        "data \"huaweicloud_clouddc_instance\" \"x\" {\n id = \"../status\"\n}\n",
        &["Invalid huaweicloud_clouddc_instance id"],
    );

    env.write(&resources());
    env.destroy();
}

#[test]
fn list_filters_are_held_to_the_list_apis_query_parameters_at_plan() {
    let Some(env) = common::env() else { return };
    let out = env.fails_at_plan_without_requests(
        r#"
data "huaweicloud_clouddc_instances" "bad" {
  instance_state = "sleeping"
}

data "huaweicloud_dms_kafka_instances" "bad" {
  status = "ASLEEP"
}
"#,
        &["instance_state must be one of \"running\"", "status must be one of \"RUNNING\""],
    );
    assert!(out.err().contains("query parameter"), "{}", out.all());
}
