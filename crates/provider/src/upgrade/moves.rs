//! What a `moved {}` block may bring to one of this provider's types (Terraform's MoveResourceState):
//! the Go provider's object of the same type under another address, converted as a state upgrade
//! converts it; or a `terraform_data` whose `input` holds the object's import ID, read as an import.

use serde_json::Value as Json;

use super::{mapping, upgrade, Upgraded, PREFIX};

/// The provider address of Huawei's Go provider ends so, whatever its registry host.
const GO_PROVIDER: &str = "huaweicloud/huaweicloud";

/// What a move becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Moved {
    /// The object converted into this schema.
    State(Upgraded),
    /// The import ID to read the object by.
    Import(String),
}

/// The object of `source_type` (of the provider `source_provider`, stored as `state`) as `target_type`,
/// or why it cannot be moved there.
pub fn moved(target_type: &str, source_provider: &str, source_type: &str, state: &Json) -> Result<Moved, String> {
    let target = target_type.strip_prefix(PREFIX).unwrap_or(target_type);
    if source_type == "terraform_data" {
        let held = |k: &str| state.get(k).and_then(|v| v.get("value")).and_then(Json::as_str).map(str::trim);
        return match held("input").or_else(|| held("output")).filter(|id| !id.is_empty()) {
            Some(id) => Ok(Moved::Import(id.to_string())),
            None => Err(format!(
                "terraform_data cannot be moved to {target_type}: its input holds no string. A move from \
terraform_data reads the {target_type} whose import ID is the terraform_data's input."
            )),
        };
    }
    let from_go = source_provider.trim_end_matches('/').ends_with(GO_PROVIDER);
    if from_go && source_type == target_type && mapping(target).is_some() {
        return Ok(Moved::State(upgrade(target_type, state)));
    }
    Err(format!(
        "{source_type} of {source_provider} cannot be moved to {target_type}: this provider takes moves from the \
same type of {GO_PROVIDER} ({}) and from a terraform_data whose input is the import ID.",
        convertible().join(", ")
    ))
}

/// The Go provider's types this provider converts.
fn convertible() -> Vec<String> {
    super::MAPPINGS.iter().map(|m| format!("{PREFIX}{}", m.name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
        let Ok(Moved::State(u)) = moved("huaweicloud_dms_kafka_topic", source, "huaweicloud_dms_kafka_topic", &go)
        else {
            panic!("not converted")
        };
        assert_eq!((u.state["id"].as_str(), u.state["partition"].as_i64()), (Some("inst-1/orders"), Some(3)));
        let err = moved("huaweicloud_dms_kafka_topic", source, "huaweicloud_dms_kafka_instance", &go).unwrap_err();
        assert!(err.starts_with("huaweicloud_dms_kafka_instance of registry.terraform.io/huaweicloud/huaweicloud cannot be moved to huaweicloud_dms_kafka_topic"), "{err}");
        assert!(err.contains("huaweicloud_dms_kafka_instance, huaweicloud_dms_kafka_topic"), "{err}");
        let err = moved("huaweicloud_dms_kafka_topic", "registry.terraform.io/hashicorp/null", "null_resource", &go);
        assert!(err.unwrap_err().starts_with("null_resource of registry.terraform.io/hashicorp/null cannot be moved"));
    }
}
