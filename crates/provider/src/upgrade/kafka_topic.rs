//! `huaweicloud_dms_kafka_topic` as the Go provider (`huaweicloud/huaweicloud`) stores it, after its
//! published schema (docs/resources/dms_kafka_topic.md): its id is the topic name, ours
//! `<instance_id>/<name>`.

use serde_json::{Map, Value as Json};

use super::table::{Facts, Mapping, Row};

static ROWS: &[Row] = &[
    Row::region(),
    Row::same("instance_id"),
    Row::same("name"),
    Row::to("partitions", "partition"),
    Row::go_only("new_partition_brokers"),
    Row::to("replicas", "replication"),
    Row::to("aging_time", "retention_time"),
    Row::same("sync_replication"),
    Row::to("sync_flushing", "sync_message_flush"),
    Row::to("description", "topic_desc"),
    // The Go provider keeps every configuration the topic list shows, defaults included, so its list
    // cannot tell the user's own: the first refresh reads the ones whose value is not the default, as
    // an import does (the object still carries the Go provider's private data, which reads as imported).
    Row::drop("configs"),
    // What the service reports that this provider does not keep.
    Row::drop("policies_only"),
    Row::drop("type"),
    Row::drop("created_at"),
];

/// Every Go topic is of the one shape.
fn facts(_: &Map<String, Json>) -> Facts {
    Facts::default()
}

/// Our id, `<instance_id>/<name>` (the Go provider's is the name alone).
fn finish(_go: &Map<String, Json>, ours: &mut Map<String, Json>) {
    if let (Some(Json::String(instance)), Some(Json::String(name))) = (ours.get("instance_id"), ours.get("name")) {
        let id = format!("{instance}/{name}");
        ours.insert("id".into(), Json::String(id));
    }
}

pub static MAPPING: Mapping = Mapping { name: "dms_kafka_topic", rows: ROWS, facts, finish };
