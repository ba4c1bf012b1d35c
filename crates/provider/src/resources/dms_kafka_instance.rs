//! `huaweicloud_dms_kafka_instance`: a DMS for Kafka instance, in two shapes: the arguments of "Creating a
//! Pay-per-Use Instance" (POST /v2/{project_id}/instances, sized by `specification`), or, with `broker_num`,
//! those of the current create API (POST /v2/{project_id}/kafka/instances, sized by a flavor and a number
//! of brokers). Computed attributes are what a client needs from "Querying an Instance" to connect to it.
//! The calls of the current shape's in-place changes are in `dms_kafka_changes.rs`.

use serde_json::{Map, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::kafka::{self as c, INSTANCE_ID};

use super::dms_kafka_shape::{current_shape_problems, shaped, waiting};
use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::field::{Check, Rule, RuleProblem};
use crate::engine::instances::Instances;
use crate::engine::timeouts::Timeouts;
use crate::engine::value::get;
use crate::engine::{Health, ResourceDef, Shape};

/// One zone or at least three (the contract checks the count from one, each ID and no zone twice).
fn zones(config: &TfValue) -> Vec<RuleProblem> {
    match get(config, "available_zones") {
        TfValue::List(zones) if zones.len() == 2 => {
            vec![(vec!["available_zones"], "must list one availability zone or at least three, got 2".to_string())]
        }
        _ => vec![],
    }
}

static RULES: [Rule; 2] = [Rule::Custom(zones), Rule::Custom(current_shape_problems)];

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_instance",
    description: "Manages a DMS for Kafka instance: a Kafka cluster in a VPC, with optional SASL and public access. \
Created through one of two APIs: sized by `specification` (pay-per-use), or, with `broker_num`, by a flavor and a \
number of brokers (pay-per-use or yearly/monthly, access methods and broker parameters of its own).",
    fields: &super::dms_kafka_fields::FIELDS,
    rules: &RULES,
    timeouts: Timeouts::minutes(50, 50, 15),
    id_check: Check::Pattern("up to 64 letters, digits and hyphens", |id| {
        INSTANCE_ID.iter().all(|c| c.text(id).is_none())
    }),
    identity: "name",
    busy: c::ERRORS.busy,
    health: Health::of(&c::STATUSES),
    read_by: &c::SHOW,
    create: &c::CREATE,
    shapes: &[Shape {
        create: &c::CREATE_V2,
        selected_by: "broker_num",
        also: &["parameters"],
        // What the show answer says of each instance, whichever API created it.
        reported: &["specification", "partition_num", "public_bandwidth"],
        base_reported: &["kafka_security_protocol", "sasl_enabled_mechanisms"],
    }],
    ops: &[
        &c::CREATE,
        &c::CREATE_V2,
        &c::SHOW,
        &c::TAGS,
        &c::CONFIGS,
        &c::UPDATE,
        &c::TAGS_ACTION,
        &c::AUTOTOPIC,
        &c::PUBLIC_ACCESS,
        &c::PROTOCOL_SWITCH,
        &c::EXTEND,
        &c::CONFIGS_UPDATE,
        &c::RESET_MANAGER_PASSWORD,
        &c::RESET_PASSWORD,
        &c::DELETE,
        &c::LIST,
    ],
    noun: "Kafka instance",
    scope: &[],
    listing: Listing {
        op: &c::LIST,
        attribute: "instances",
        filters: &[
            Filter::new("name", FilterKind::Str, "Instance name (a fuzzy match unless `exact_match_name`)."),
            Filter::new("exact_match_name", FilterKind::Bool, "Match `name` exactly."),
            Filter::new("instance_id", FilterKind::Str, "Instance ID."),
            Filter::new("status", FilterKind::Str, "Status, e.g. `RUNNING`."),
            Filter::new("include_failure", FilterKind::Bool, "Also list instances whose creation failed."),
            Filter::new("enterprise_project_id", FilterKind::Str, "Enterprise project ID."),
        ],
    },
    changes: &[
        Change::new(
            &c::UPDATE,
            Send::Changed { together: &["maintain_begin", "maintain_end"], shape: Some(with_seconds), wait: false },
        ),
        Change::new(&c::TAGS_ACTION, Send::TagActions),
        Change::new(&c::AUTOTOPIC, Send::Changed { together: &[], shape: None, wait: true }),
        // Public access before the methods that need it; brokers, storage, then the flavor (a grown disk
        // never blocks a vertical change); the parameters once the brokers are as planned.
        Change::new(&c::PUBLIC_ACCESS, Send::Hook),
        Change::new(&c::PROTOCOL_SWITCH, Send::Hook),
        Change::new(&c::EXTEND_BROKERS, Send::Hook),
        Change::new(&c::EXTEND_STORAGE, Send::Hook),
        Change::new(&c::EXTEND_FLAVOR, Send::Hook),
        Change::new(&c::CONFIGS_UPDATE, Send::Hook),
        Change::changed(&c::RESET_MANAGER_PASSWORD),
        Change::changed(&c::RESET_PASSWORD),
    ],
    import_note: "Recording them neither resets a password nor replaces the instance. Which API created the instance \
is read from the service (`new_spec_billing_enable`): `port_protocol`, `parameters` (those not at their default) and \
a yearly/monthly `bss_param` are imported for instances created with `broker_num`.",
};

pub static INSTANCES: Instances = Instances {
    // The list serves every DMS engine.
    list_query: &[("engine", "kafka")],
    every: &[("include_failure", "true")],
    exact: &[("exact_match_name", "true")],
    completed_by: &[(&c::TAGS, "tags"), (&c::CONFIGS, "kafka_configs")],
    resizes: &[(&c::EXTEND_FLAVOR, "product_id")],
    shaped: Some(shaped),
    waiting: Some(waiting),
    ..Instances::new(&DEF, &c::STATUSES, &c::DELETE)
};

#[derive(Clone, Copy)]
pub struct DmsKafkaInstance;

/// The instance update takes the maintenance window as `HH:mm:ss`; the window is one setting, so a
/// change of either end sends both.
fn with_seconds(mut put: Map<String, Json>, _id: &str) -> Json {
    for name in ["maintain_begin", "maintain_end"] {
        if let Some(Json::String(t)) = put.get_mut(name).filter(|t| t.as_str().is_some_and(|t| t.len() == 5)) {
            t.push_str(":00");
        }
    }
    Json::Object(put)
}
