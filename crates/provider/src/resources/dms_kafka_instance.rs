//! `huaweicloud_dms_kafka_instance`: a DMS for Kafka instance.
//! Arguments mirror "Creating a Pay-per-Use Instance" (the request table of POST /v2/{project_id}/instances);
//! computed attributes are what a client needs from "Querying an Instance" to connect to it.

use serde_json::{Map, Value as Json};
use tf_provider::value::ValueAny;

use hwapi::contract::kafka::{self as c, INSTANCE_ID};
use hwapi::contract::Op;

use crate::engine::change::{Change, Send};
use crate::engine::data::{Filter, FilterKind, Listing};
use crate::engine::defaults::shrinking;
use crate::engine::field::{Check, Codec, Field, Rule, RuleProblem};
use crate::engine::instances::{instance_hooks, Instances};
use crate::engine::timeouts::Timeouts;
use crate::engine::value::get;
use crate::engine::{Health, ResourceDef};

/// The operations that change arguments in place (`Field::via` and the inventory).
const VIA_PUT: &[&Op] = &[&c::UPDATE];
const VIA_EXTEND: &[&Op] = &[&c::EXTEND];

static FIELDS: [Field; 42] = [
    Field::string("name", "Instance name, starting with a letter.").required().in_place_by(VIA_PUT),
    Field::string("description", "Description.").in_place_by(VIA_PUT).codec(Codec::EmptyIsNull),
    Field::string("engine", "Message engine.").required(),
    Field::string("engine_version", "Kafka version, e.g. `2.7` or `3.x`; the API judges which exist.").required(),
    Field::string("specification", "Bandwidth, e.g. `100MB`; the API judges which exist. It belongs to `product_id`: the \
two change only together (vertical scaling).")
        .required()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_product_id"),
    Field::int("storage_space", "Message storage space in GB (the API checks the range of the specification); a larger value extends the \
storage in place (status `EXTENDING`, then `RUNNING`).")
        .required()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_storage_space"),
    Field::int("partition_num", "Maximum number of partitions (the specification's by default). Leave it unset to \
change `product_id` in place: the new product decides it.")
        .optional_computed()
        .follows(&["product_id"]),
    Field::string("access_user", "SASL username. Required with, and only valid with, `ssl_enable`.")
        .codec(Codec::EmptyIsNull),
    Field::string("password", "SASL password. Required with, and only valid with, `ssl_enable`.")
        .sensitive()
        .write_only()
        .in_place_by(&[&c::RESET_PASSWORD])
        .sent_as("new_password"),
    Field::string("vpc_id", "VPC ID.").required(),
    Field::string("security_group_id", "Security group ID.").required().in_place_by(VIA_PUT),
    Field::string("subnet_id", "Subnet (network) ID.").required(),
    Field::list("available_zones", "IDs of the brokers' availability zones: one, or at least three.").required(),
    Field::string("product_id", "Product ID of the specification. A change scales the brokers vertically in place \
(status `EXTENDING`, then `RUNNING`), with `specification` set to the new product's.")
        .required()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_product_id"),
    Field::string("kafka_manager_user", "Kafka Manager username.").required().codec(Codec::KeepIfAbsent),
    Field::string("kafka_manager_password", "Kafka Manager password.")
        .required()
        .sensitive()
        .write_only()
        .in_place_by(&[&c::RESET_MANAGER_PASSWORD])
        .sent_as("new_password"),
    Field::string("maintain_begin", "Start of the maintenance window, `HH:mm`, set together with `maintain_end` (the API chooses one when unset).")
        .optional_computed()
        .in_place_by(VIA_PUT)
        .codec(Codec::HourMinute),
    Field::string("maintain_end", "End of the maintenance window, `HH:mm`, set together with `maintain_begin`.")
        .optional_computed()
        .in_place_by(VIA_PUT)
        .codec(Codec::HourMinute),
    Field::bool("enable_publicip", "Whether public access is enabled (default false).").optional_computed(),
    Field::int("public_bandwidth", "Public bandwidth, Mbit/s; only valid with `enable_publicip`. `0`, as the API shows \
an instance without public access, means unset.")
        .optional_computed()
        .codec(Codec::ZeroIsUnset),
    Field::string("publicip_id", "Comma-separated IDs of the EIPs, one per broker. Required with, and only valid with, `enable_publicip`.")
        .write_only(),
    Field::bool("ssl_enable", "Whether SASL_SSL access is enabled (default false).").optional_computed(),
    Field::string("retention_policy", "When the disk is full: `produce_reject` (reject new messages) or `time_base` (delete the oldest); the API's default when unset.")
        .optional_computed()
        .in_place_by(VIA_PUT),
    Field::bool("connector_enable", "Whether Smart Connect (message dumping) is on (default false).")
        .optional_computed(),
    Field::bool("enable_auto_topic", "Whether a topic a client uses is created automatically (3 partitions, 3 replicas; default false). A change restarts the brokers.")
        .optional_computed()
        .in_place_by(&[&c::AUTOTOPIC]),
    Field::string("storage_spec_code", "Storage I/O spec, e.g. `dms.physical.storage.ultra`.").required(),
    Field::string("enterprise_project_id", "Enterprise project ID (default `0`).").optional_computed().in_place_by(VIA_PUT),
    Field::map("tags", "Tags. A key or value must suit both the create table and the tag API that changes them later.")
        .in_place_by(&[&c::TAGS_ACTION])
        .codec(Codec::TagList),
    Field::string("status", "Status, e.g. CREATING, RUNNING, CREATEFAILED, ERROR, RESTARTING, EXTENDING, DELETING.")
        .computed(),
    Field::string("type", "Instance type: `single` or `cluster`.").computed(),
    Field::string("connect_address", "Private IP addresses of the brokers, comma-separated.").computed(),
    Field::int("port", "Private access port: 9092, or 9093 with SASL_SSL.").computed(),
    Field::string("public_connect_address", "Public broker addresses (`ip:port`, comma-separated).").computed(),
    Field::string("management_connect_address", "Kafka Manager address.").computed(),
    Field::string("public_management_connect_address", "Public Kafka Manager address.").computed(),
    Field::string("kafka_security_protocol", "Security protocol of authenticated access, e.g. `SASL_SSL`.").computed(),
    Field::list("sasl_enabled_mechanisms", "SASL mechanisms, e.g. `PLAIN` or `SCRAM-SHA-512`.").computed(),
    Field::int("used_storage_space", "Used message storage space in GB.").computed(),
    Field::string("created_at", "Creation time, milliseconds since the Unix epoch (as the API gives it).").computed(),
    Field::string("resource_spec_code", "Resource spec code, e.g. `dms.instance.kafka.cluster.c3.mini`.")
        .computed()
        .follows(&["product_id"]),
    Field::int("node_num", "Number of nodes.").computed().follows(&["product_id"]),
    Field::int("charging_mode", "Billing mode: 1 pay-per-use, 0 yearly/monthly.").computed(),
];

/// One zone or at least three (the contract checks the count from one, each ID and no zone twice).
fn zones(config: &ValueAny) -> Vec<RuleProblem> {
    match get(config, "available_zones") {
        ValueAny::List(zones) if zones.len() == 2 => {
            vec![(vec!["available_zones"], "must list one availability zone or at least three, got 2".to_string())]
        }
        _ => vec![],
    }
}

static RULES: [Rule; 1] = [Rule::Custom(zones)];

pub static DEF: ResourceDef = ResourceDef {
    name: "dms_kafka_instance",
    description: "Manages a DMS for Kafka instance (pay-per-use): a Kafka cluster in a VPC, with optional SASL_SSL and public access.",
    fields: &FIELDS,
    rules: &RULES,
    timeouts: Timeouts::minutes(50, 50, 15),
    id_check: Check::Pattern("up to 64 letters, digits and hyphens", |id| INSTANCE_ID.iter().all(|c| c.text(id).is_none())),
    identity: "name",
    busy: c::ERRORS.busy,
    health: Health::of(&c::STATUSES),
    read_by: &c::SHOW,
    create: &c::CREATE,
    ops: &[
        &c::CREATE,
        &c::SHOW,
        &c::TAGS,
        &c::UPDATE,
        &c::TAGS_ACTION,
        &c::AUTOTOPIC,
        &c::EXTEND,
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
        // Storage before brokers: a grown disk never blocks a vertical change.
        Change::new(&c::EXTEND_STORAGE, Send::Hook),
        Change::new(&c::EXTEND_FLAVOR, Send::Hook),
        Change::changed(&c::RESET_MANAGER_PASSWORD),
        Change::changed(&c::RESET_PASSWORD),
    ],
    import_note: "Recording them neither resets a password nor replaces the instance.",
};

static INSTANCES: Instances = Instances {
    // The list serves every DMS engine.
    list_query: &[("engine", "kafka")],
    every: &[("include_failure", "true")],
    exact: &[("exact_match_name", "true")],
    completed_by: &[(&c::TAGS, "tags")],
    resizes: &[(&c::EXTEND_STORAGE, "storage_space"), (&c::EXTEND_FLAVOR, "product_id")],
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

instance_hooks!(DmsKafkaInstance, INSTANCES, {
    /// Plan-time refusals of what no API changes in place: the product apart from its bandwidth
    /// specification, a partition count the new product decides (unknown values are judged at apply).
    /// Only shrinking is declared (by the contract); these tie arguments the contract knows nothing of.
    fn change_problems(&self, prior: &ValueAny, proposed: &ValueAny, config: &ValueAny) -> Vec<RuleProblem> {
        let mut out = shrinking(&DEF, prior, proposed);
        let known = |name: &str| !matches!(get(proposed, name), ValueAny::Unknown);
        let changed = |name: &str| get(prior, name) != get(proposed, name);
        for (name, other) in [("specification", "product_id"), ("product_id", "specification")] {
            if known(name) && known(other) && changed(name) && !changed(other) {
                let why = format!(
                    "changes only together with {other}: set both to the new product and its \
specification (the change scales the brokers in place)"
                );
                out.push((vec![name], why));
            }
        }
        if changed("product_id") && get(config, "partition_num") != &ValueAny::Null {
            let why = "is decided by the product: remove it from the configuration to change product_id in place \
(the new product's value is read back)";
            out.push((vec!["partition_num"], why.into()));
        }
        out
    }

    /// No declaration says what the delete call cannot remove: a yearly/monthly instance.
    fn destroy_blocker(&self, state: &ValueAny) -> Option<String> {
        (get(state, "charging_mode") == &ValueAny::Number(0)).then(|| {
            "it is a yearly/monthly instance, which the delete API does not remove. Unsubscribe it in the Billing Center, \
then remove it from the state with `terraform state rm`."
                .to_string()
        })
    }
});
