//! huaweicloud_dms_kafka_topic through real Terraform against the simulator.

use serde_json::{json, Value};

use crate::common;

const ADDR: &str = "huaweicloud_dms_kafka_topic.t";

fn topic(extra: &str) -> String {
    let instance = common::hcl::kafka("k", "tf-kafka-topics", "");
    format!(
        r#"{instance}
resource "huaweicloud_dms_kafka_topic" "t" {{
  instance_id = huaweicloud_dms_kafka_instance.k.id
  name        = "orders"
  replication = 3
  {extra}
}}
"#
    )
}

fn sim_topics(env: &common::Env) -> Vec<Value> {
    env.sim_state("kafka")[0]["_sim"]["topics"].as_array().cloned().unwrap_or_default()
}

#[test]
fn topic_lifecycle_in_place_import_and_destroy() {
    let Some(env) = common::env() else { return };
    let config = |partition: u32, retention: u32, desc: &str, bytes: &str| {
        topic(&format!(
            "partition = {partition}\n  retention_time = {retention}\n  topic_desc = \"{desc}\"\n  \
             topic_other_configs {{\n    name = \"max.message.bytes\"\n    value = \"{bytes}\"\n  }}"
        ))
    };
    env.write(&config(6, 48, "orders", "10485760"));
    env.apply();
    let instance = env.id_of("huaweicloud_dms_kafka_instance.k");
    assert_eq!(env.id_of(ADDR), format!("{instance}/orders"));
    let create = env.requests_matching("POST", "/topics");
    assert_eq!(create.len(), 1);
    assert_eq!(
        create[0]["body"],
        json!({"id": "orders", "partition": 6, "replication": 3, "retention_time": 48, "topic_desc": "orders",
               "topic_other_configs": [{"name": "max.message.bytes", "value": "10485760"}]})
    );
    let t = &sim_topics(&env)[0];
    assert_eq!((t["partition"].as_i64(), t["retention_time"].as_i64()), (Some(6), Some(48)));
    env.assert_no_changes();

    // In place: one PUT with the changed fields; partitions grow.
    env.clear_requests();
    env.write(&config(8, 24, "all orders", "2097152"));
    env.plans_in_place();
    env.apply();
    let puts = env.requests_matching("PUT", "/topics");
    assert_eq!(puts.len(), 1, "{puts:?}");
    assert_eq!(
        puts[0]["body"],
        json!({"topics": [{"id": "orders", "new_partition_numbers": 8, "retention_time": 24, "topic_desc": "all orders",
                           "topic_other_configs": [{"name": "max.message.bytes", "value": "2097152"}]}]})
    );
    assert_eq!(sim_topics(&env)[0]["partition"], 8);
    env.assert_no_changes();

    // Configurations cleared, then added again: each change is sent (an empty list, then the list).
    for (extra, sent) in [
        ("", json!([])),
        (
            "topic_other_configs {\n name = \"retention.bytes\"\n value = \"1024\"\n }",
            json!([{"name": "retention.bytes", "value": "1024"}]),
        ),
    ] {
        env.clear_requests();
        env.write(&topic(&format!("partition = 8\n  retention_time = 24\n  topic_desc = \"all orders\"\n  {extra}")));
        env.apply();
        let puts = env.requests_matching("PUT", "/topics");
        assert_eq!(puts.len(), 1, "{puts:?}");
        assert_eq!(puts[0]["body"]["topics"][0]["topic_other_configs"], sent);
    }

    // Fewer partitions are refused at plan, with nothing sent.
    env.clear_requests();
    env.write(&config(4, 24, "all orders", "2097152"));
    let plan = env.plan();
    assert!(plan.code == 1 && plan.err().contains("partition cannot shrink from 8 to 4"), "{}", plan.all());
    assert!(env.writes().is_empty());

    // Import by `<instance_id>/<name>`: the configurations that are not at their default come with it
    // (the cleared list above changed nothing on the service), so the plan is empty.
    let both = format!(
        "{}\n  topic_other_configs {{\n    name = \"retention.bytes\"\n    value = \"1024\"\n  }}",
        "partition = 8\n  retention_time = 24\n  topic_desc = \"all orders\"\n  \
         topic_other_configs {\n    name = \"max.message.bytes\"\n    value = \"2097152\"\n  }"
    );
    env.write(&topic(&both));
    assert_eq!(env.tf(&["state", "rm", "-no-color", ADDR]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", ADDR, &format!("{instance}/orders")]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.assert_no_changes();

    // A configuration changed out of band is drift: the plan sets it back in place.
    let change =
        json!({"topics": [{"id": "orders", "topic_other_configs": [{"name": "retention.bytes", "value": "4096"}]}]});
    let call = hwapi::client::Call::to(&hwapi::contract::kafka::TOPIC_UPDATE).arg("instance_id", instance.as_str());
    env.api_call(call.body(change));
    env.clear_requests();
    let plan = env.plan();
    assert!(plan.code == 2 && plan.stdout.contains("\"4096\" -> \"1024\""), "{}", plan.all());
    env.apply();
    let puts = env.requests_matching("PUT", "/topics");
    assert_eq!(puts.len(), 1, "{puts:?}");
    let configs = sim_topics(&env)[0]["topic_other_configs"].clone();
    let value = |n: &str| configs.as_array().unwrap().iter().find(|c| c["name"] == n).unwrap()["value"].clone();
    assert_eq!((value("retention.bytes"), value("max.message.bytes")), (json!("1024"), json!("2097152")));
    env.assert_no_changes();

    // Another topic of that name cannot be created twice.
    let twin = r#"
resource "huaweicloud_dms_kafka_topic" "u" {
  instance_id = huaweicloud_dms_kafka_instance.k.id
  name        = "orders"
  partition   = 3
  replication = 3
}
"#;
    env.write(&format!("{}\n{twin}", topic(&both)));
    let out = env.apply_fails();
    assert!(out.err().contains("huaweicloud_dms_kafka_topic \"orders\" already exists"), "{}", out.stderr);
    assert_eq!(sim_topics(&env).len(), 1);

    // Destroy: the topic through the batch delete, then the instance.
    env.write(&topic(&both));
    env.clear_requests();
    env.destroy();
    let deletes = env.requests_matching("POST", "/topics/delete");
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0]["body"], json!({"topics": ["orders"]}));
    assert!(env.sim_state("kafka").is_empty());
}
