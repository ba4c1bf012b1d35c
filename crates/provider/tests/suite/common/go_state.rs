//! A Terraform state written by Huawei's Go provider (`huaweicloud/huaweicloud`) for a DMS for Kafka
//! instance and its topics: its attribute names and value forms (after its published schema and what
//! its read stores from each answer), its private data (the Go plugin SDK's timeouts) and its provider
//! address, in a state file of format version 4. The values come from the service's own answers (read
//! out of band, as the Go provider reads them), so that a refresh finds the same objects.

use hwapi::client::Call;
use hwapi::contract::kafka as c;
use serde_json::{json, Map, Value};

use super::Env;

/// The Go provider's address, as its users' state files name it.
pub const GO_PROVIDER: &str = "registry.terraform.io/huaweicloud/huaweicloud";
/// This provider's address, as state files name it.
pub const THIS_PROVIDER: &str = "registry.terraform.io/huaweicloud-rs/huaweicloud";

/// Where the Go plugin SDK keeps a resource's timeouts in its private data.
const SDK_TIMEOUTS_KEY: &str = "e2bfb730-ecaa-11e6-8f88-34363bc7c4c0";

/// The Go provider's default timeouts of each type, in minutes (its resources declare only these).
pub const INSTANCE_TIMEOUTS: &[(&str, u64)] = &[("create", 50), ("update", 50), ("delete", 15)];
pub const TOPIC_TIMEOUTS: &[(&str, u64)] = &[("create", 10)];

/// The attributes the Go provider's instance schema marks sensitive (Terraform records their paths).
pub const INSTANCE_SENSITIVE: &[&str] = &["kms_encrypted_password", "manager_password", "password"];

/// The region the harness's provider block names, which the Go provider stores in every object.
const REGION: &str = "cn-north-4";

/// A Unix time in milliseconds (as the service gives it, a number or a string) as the Go provider
/// stores it: RFC 3339, in seconds.
fn rfc3339(ms: &Value) -> Value {
    let ms = ms.as_i64().or_else(|| ms.as_str().and_then(|s| s.parse().ok())).unwrap_or(0);
    let at = time::OffsetDateTime::from_unix_timestamp(ms / 1000).expect("a time");
    json!(at.format(&time::format_description::well_known::Rfc3339).unwrap())
}

/// Standard base64 with padding (the state file's `private`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The private data the Go plugin SDK stores for a resource: its timeouts in nanoseconds under the
/// SDK's key (no `schema_version`: the SDK records it only above 0), as JSON, in base64.
pub fn sdk_private(timeouts: &[(&str, u64)]) -> String {
    let ns: Map<String, Value> =
        timeouts.iter().map(|(op, minutes)| (op.to_string(), json!(minutes * 60 * 1_000_000_000))).collect();
    base64(json!({ SDK_TIMEOUTS_KEY: ns }).to_string().as_bytes())
}

/// The attributes the Go provider's read copies from the show answer as they are: (its name, the
/// answer's member).
const FROM_SHOW: &[(&str, &str)] = &[
    ("name", "name"),
    ("description", "description"),
    ("engine", "engine"),
    ("engine_version", "engine_version"),
    ("bandwidth", "specification"),
    ("storage_space", "total_storage_space"),
    ("storage_spec_code", "storage_spec_code"),
    ("broker_num", "broker_num"),
    ("vpc_id", "vpc_id"),
    ("network_id", "subnet_id"),
    ("security_group_id", "security_group_id"),
    ("ipv6_enable", "ipv6_enable"),
    ("vpc_client_plain", "vpc_client_plain"),
    ("maintain_begin", "maintain_begin"),
    ("maintain_end", "maintain_end"),
    ("ssl_enable", "ssl_enable"),
    ("access_user", "access_user"),
    ("retention_policy", "retention_policy"),
    ("dumping", "connector_enable"),
    ("enable_auto_topic", "enable_auto_topic"),
    ("enterprise_project_id", "enterprise_project_id"),
    ("management_connect_address", "management_connect_address"),
    ("enable_public_ip", "enable_publicip"),
    ("public_bandwidth", "public_bandwidth"),
    ("disk_encrypted_enable", "disk_encrypted"),
    ("disk_encrypted_key", "disk_encrypted_key"),
    ("used_storage_space", "used_storage_space"),
    ("connect_address", "connect_address"),
    ("port", "port"),
    ("status", "status"),
    ("type", "type"),
    ("resource_spec_code", "resource_spec_code"),
    ("node_num", "node_num"),
    ("user_id", "user_id"),
    ("user_name", "user_name"),
    ("extend_times", "extend_times"),
    ("ipv6_connect_addresses", "ipv6_connect_addresses"),
    ("connector_id", "connector_id"),
    ("connector_node_num", "connector_node_num"),
    ("storage_resource_id", "storage_resource_id"),
    ("storage_type", "storage_type"),
    ("cert_replaced", "cert_replaced"),
    ("is_logical_volume", "is_logical_volume"),
    ("message_query_inst_enable", "message_query_inst_enable"),
    ("pod_connect_address", "pod_connect_address"),
    ("ssl_two_way_enable", "ssl_two_way_enable"),
];

/// The product ID of an instance created with one (digits and hyphens); any other is a flavor's.
fn is_product_id(id: &str) -> bool {
    id.len() > 1 && id.bytes().all(|b| b.is_ascii_digit() || b == b'-') && id.as_bytes()[0].is_ascii_digit()
}

/// The instance `id` as the Go provider's state holds it after a refresh: what its read takes from the
/// show answer, the tags and the zone list, and `configured`, the arguments of its configuration that
/// no answer carries (e.g. `manager_user`, `manager_password`); the others of those are unset (null, as
/// the Go plugin SDK stores an optional argument neither configured nor read).
pub fn instance(env: &Env, id: &str, configured: &Value) -> Value {
    let s = env.api_call(Call::to(&c::SHOW).arg("instance_id", id));
    let tags = env.api_call(Call::to(&c::TAGS).arg("instance_id", id));
    let zones = env.api_call(Call::to(&c::ZONES));
    let code_of = |zone: &Value| {
        let all = zones["available_zones"].as_array().cloned().unwrap_or_default();
        all.into_iter().find(|z| &z["id"] == zone).map_or(Value::Null, |z| z["code"].clone())
    };
    let zone_ids = s["available_zones"].as_array().cloned().unwrap_or_default();
    let tag_map: Map<String, Value> = tags["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| (t["key"].as_str().unwrap_or("").to_string(), t["value"].clone()))
        .collect();
    let product = s["product_id"].as_str().unwrap_or("");
    let (flavor_id, product_id) = if is_product_id(product) { (None, Some(product)) } else { (Some(product), None) };
    let partitions = s["partition_num"].as_str().and_then(|p| p.parse::<i64>().ok()).unwrap_or(0);
    let mut go: Map<String, Value> =
        FROM_SHOW.iter().map(|(attribute, member)| (attribute.to_string(), s[*member].clone())).collect();
    let methods = json!([s["port_protocols"].clone()]);
    let rest = json!({
        "id": id,
        "region": REGION,
        // Which API created it: a product ID (digits and hyphens) or a flavor.
        "flavor_id": flavor_id, "product_id": product_id,
        "partition_num": partitions,
        // The deprecated attribute holds the IDs; the current one the zones' codes, as a set.
        "available_zones": zone_ids.clone(),
        "availability_zones": zone_ids.iter().map(code_of).collect::<Vec<_>>(),
        "manegement_connect_address": s["management_connect_address"],
        "charging_mode": if s["charging_mode"] == 0 { "prePaid" } else { "postPaid" },
        // No cross-VPC access and no public access (no EIPs to look up); no broker list (the cluster
        // call is not served: the Go provider then leaves it unset).
        "cross_vpc_accesses": [], "public_ip_ids": null, "public_ip_address": [], "cluster": null,
        "port_protocol": methods.clone(), "port_protocols": methods,
        "created_at": rfc3339(&s["created_at"]),
        "tags": tag_map,
        // Arguments no answer carries: as configured, else unset.
        "manager_user": null, "manager_password": null, "password": null, "kms_encrypted_password": null,
        "new_tenant_ips": null, "arch_type": null, "security_protocol": null, "enabled_mechanisms": null,
        "parameters": [], "period_unit": null, "period": null, "auto_renew": null,
        "timeouts": null,
    });
    go.extend(rest.as_object().unwrap().clone());
    for (k, v) in configured.as_object().expect("an object of arguments") {
        assert!(go.contains_key(k), "{k} is not an attribute of the Go provider's instance");
        go.insert(k.clone(), v.clone());
    }
    Value::Object(go)
}

/// The topics of instance `id` as the Go provider's state holds them after a refresh, by name: its id is
/// the topic name, and `configs` every configuration the topic list shows, with its value.
pub fn topics(env: &Env, id: &str) -> Map<String, Value> {
    let list = env.api_call(Call::to(&c::TOPIC_LIST).arg("instance_id", id).query("limit", "200"));
    let mut out = Map::new();
    for t in list["topics"].as_array().into_iter().flatten() {
        let configs: Vec<Value> = t["topic_other_configs"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| json!({"name": c["name"], "value": c["value"]}))
            .collect();
        let name = t["name"].as_str().expect("a topic name").to_string();
        let topic = json!({
            "id": name,
            "region": REGION,
            "instance_id": id,
            "name": name,
            "partitions": t["partition"],
            "new_partition_brokers": null,
            "replicas": t["replication"],
            "aging_time": t["retention_time"],
            "sync_replication": t["sync_replication"],
            "sync_flushing": t["sync_message_flush"],
            "description": t["topic_desc"],
            "configs": configs,
            "policies_only": t["policiesOnly"],
            "type": if t["topic_type"] == 1 { "system topic" } else { "common topic" },
            "created_at": rfc3339(&t["created_at"]),
            "enable_force_new": null,
            "timeouts": null,
        });
        out.insert(name, topic);
    }
    out
}

/// One resource of a state file: one object of `kind` named `name` under `provider`, with its private
/// data, sensitive attributes and dependencies.
pub fn resource(
    provider: &str,
    kind: &str,
    name: &str,
    attributes: Value,
    timeouts: &[(&str, u64)],
    sensitive: &[&str],
    dependencies: &[String],
) -> Value {
    let sensitive: Vec<Value> = sensitive.iter().map(|a| json!([{"type": "get_attr", "value": a}])).collect();
    let mut object = json!({
        "schema_version": 0,
        "attributes": attributes,
        "sensitive_attributes": sensitive,
        "private": sdk_private(timeouts),
    });
    if !dependencies.is_empty() {
        object["dependencies"] = json!(dependencies);
    }
    json!({
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider": format!("provider[\"{provider}\"]"),
        "instances": [object],
    })
}

/// A state file (format version 4) of an earlier Terraform 1.11 run holding `resources`.
pub fn state_file(resources: Vec<Value>) -> Value {
    json!({
        "version": 4,
        "terraform_version": "1.11.0",
        "serial": 7,
        "lineage": "4b1d6f0e-2c8a-4e57-9d3b-6a0f1c2e8b94",
        "outputs": {},
        "resources": resources,
        "check_results": null,
    })
}

/// `state` as the working directory's state (any earlier one and its backup discarded).
pub fn write(env: &Env, state: &Value) {
    let dir = env.path();
    let _ = std::fs::remove_file(dir.join("terraform.tfstate.backup"));
    std::fs::write(dir.join("terraform.tfstate"), serde_json::to_string_pretty(state).unwrap()).unwrap();
}

/// The state as `terraform state pull` prints it (the stored form, not decoded through a schema).
pub fn pull(env: &Env) -> Value {
    let out = env.tf(&["state", "pull"]);
    assert_eq!(out.code, 0, "{}", out.all());
    serde_json::from_str(&out.stdout).unwrap()
}

/// The resource of `kind` named `name` in a pulled state, which must be there.
pub fn find<'a>(state: &'a Value, kind: &str, name: &str) -> &'a Value {
    let resources = state["resources"].as_array().expect("resources");
    resources
        .iter()
        .find(|r| r["type"] == kind && r["name"] == name)
        .unwrap_or_else(|| panic!("no {kind}.{name} in the state: {state:#}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_data_is_the_sdks_timeouts_in_base64() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        let expected = r#"{"e2bfb730-ecaa-11e6-8f88-34363bc7c4c0":{"create":600000000000}}"#;
        assert_eq!(sdk_private(TOPIC_TIMEOUTS), base64(expected.as_bytes()));
    }

    #[test]
    fn product_ids_are_digits_and_hyphens() {
        assert!(is_product_id("00300-30308-0--0"));
        assert!(!is_product_id("c6.2u4g.cluster") && !is_product_id(""));
    }
}
