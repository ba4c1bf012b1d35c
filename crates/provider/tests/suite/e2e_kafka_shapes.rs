//! The two shapes of huaweicloud_dms_kafka_instance at plan, through real Terraform against the
//! simulator: `broker_num` selects the current create API, and a configuration that mixes the two
//! shapes' arguments, or lacks what its shape requires, fails naming the attributes, before any request.

use crate::common;

/// The seed's required arguments (sized by `specification`), then `extra` lines.
fn seed(extra: &str) -> String {
    common::hcl::kafka("a", "tf-kafka-shape", extra)
}

#[test]
fn mixed_or_missing_shape_arguments_fail_at_plan_naming_them() {
    let Some(env) = common::env() else { return };
    let without_specification = seed("").replace("  specification          = \"100MB\"\n", "");
    assert!(!without_specification.contains("specification"), "{without_specification}");
    let cases: Vec<(String, &[&str])> = vec![
        // Both: `broker_num` selects the current API, which has no specification nor Kafka Manager user.
        (
            seed("broker_num = 3"),
            &[
                "specification is an argument of `POST /v2/{project_id}/instances` only",
                "`broker_num` selects `POST /v2/{project_id}/kafka/instances`",
                "kafka_manager_user is an argument of",
                "remove `broker_num`",
            ],
        ),
        // Neither: the seed's create requires the specification, or `broker_num` selects the other.
        (
            without_specification,
            &[
                "specification is required",
                "without `broker_num` it creates through `POST /v2/{project_id}/instances`",
                "set `broker_num` to create through `POST /v2/{project_id}/kafka/instances`",
            ],
        ),
        // The current shape's broker parameters and access methods without `broker_num`.
        (
            seed("parameters {\n    name  = \"message.max.bytes\"\n    value = \"2097152\"\n  }"),
            &["parameters is an argument of `POST /v2/{project_id}/kafka/instances` only"],
        ),
        (
            seed("port_protocol {\n    private_plain_enable = true\n  }"),
            &[
                "port_protocol is an argument of `POST /v2/{project_id}/kafka/instances` only",
                "without `broker_num` it creates through `POST /v2/{project_id}/instances`",
            ],
        ),
    ];
    env.fail_at_plan_together("huaweicloud_dms_kafka_instance", &cases);
}
