//! DMS for Kafka: instances ("Creating a Pay-per-Use Instance" and the SDK's instance, resize, password,
//! auto-topic and tag models) and topics (CreateInstanceTopicReq, UpdateInstanceTopicReq,
//! BatchDeleteInstanceTopicReq).

use super::text::{eps_char, hh_mm, password_problem, starts_with_letter, tag_char, tag_key, time_of_day};
use super::{Check, Op, Param, Ty};
use crate::service::{Method, Service};

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op::new(name, Service::Dms, method, path)
}

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}
fn user_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}
/// The create table's tags: no control characters and none of `=*<>,|/`.
fn create_tag_char(c: char) -> bool {
    !c.is_control() && !"=*<>,|/".contains(c)
}
fn topic_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.".contains(c)
}

/// The SASL password's special characters.
pub const SASL_SPECIALS: &str = "`~!@#$%^&*()-_=+\\|[{}]:'\",<.>/?";
/// Kafka Manager's special characters (`;` as well).
pub const MANAGER_SPECIALS: &str = "`~!@#$%^&*()-_=+\\|[{}];:'\",<.>/?";

pub const NAME: &[Check] = &[
    Check::Len(4, 64),
    Check::Pattern("a name that starts with a letter", starts_with_letter),
    Check::Chars("letters, digits, underscores (_) and hyphens (-)", name_char),
];
pub const USER: &[Check] = &[Check::Len(4, 64), Check::Chars("letters, digits and hyphens (-)", user_char)];
pub const ID: &[Check] = &[Check::Len(1, 64)];
/// An instance id, as it appears in paths.
pub const INSTANCE_ID: &[Check] = &[Check::Len(1, 64), Check::Chars("letters, digits and hyphens", user_char)];
const TIME: &[Check] = &[Check::Pattern("a time of day in HH:mm format (00:00 to 23:59)", hh_mm)];
const TIME_SECONDS: &[Check] = &[Check::Pattern("a time of day in HH:mm:ss format", time_of_day)];
const EPS: &[Check] = &[Check::Len(1, 36), Check::Chars("lowercase letters a-f, digits and hyphens", eps_char)];
const RETENTION: &[Check] = &[Check::OneOf(&["produce_reject", "time_base"])];
const SASL_PASSWORD: &[Check] = &[Check::Rule(|p| password_problem(p, SASL_SPECIALS))];
const MANAGER_PASSWORD: &[Check] = &[Check::Rule(|p| password_problem(p, MANAGER_SPECIALS))];
const STORAGE: &[Check] = &[Check::Range(100, 1_500_000), Check::MultipleOf(100)];
pub const MAX_TAGS: usize = 20;

const ZONE: Param = Param::item(Ty::Str).checks(ID);
const CREATE_TAG: &[Param] = &[
    Param::req("key", Ty::Str)
        .checks(&[Check::Len(1, 36), Check::Chars("characters other than =*<>,|/", create_tag_char)]),
    Param::opt("value", Ty::Str)
        .checks(&[Check::Len(0, 43), Check::Chars("characters other than =*<>,|/", create_tag_char)]),
];
const CREATE_TAG_ITEM: Param = Param::item(Ty::Obj(CREATE_TAG));

/// POST /v2/{project_id}/instances: the create table. Which engine versions, specifications and
/// storage codes exist is the service's catalog, not part of the table.
pub const CREATE: Op = op("CreatePostPaidInstance", Method::Post, "/v2/{project_id}/instances").body(&[
    Param::req("name", Ty::Str).checks(NAME),
    Param::opt("description", Ty::Str).checks(&[Check::Len(0, 1024)]),
    Param::req("engine", Ty::Str).checks(&[Check::OneOf(&["kafka"])]),
    Param::req("engine_version", Ty::Str).checks(ID),
    Param::req("specification", Ty::Str).checks(ID),
    Param::req("storage_space", Ty::Int).checks(STORAGE),
    Param::opt("partition_num", Ty::Int).checks(&[Check::Range(1, 100_000)]),
    Param::opt("access_user", Ty::Str).checks(USER),
    Param::opt("password", Ty::Str).checks(SASL_PASSWORD),
    Param::req("vpc_id", Ty::Str).checks(ID),
    Param::req("security_group_id", Ty::Str).checks(ID),
    Param::req("subnet_id", Ty::Str).checks(ID),
    // The documents give no largest number of zones (one, or at least three).
    Param::req("available_zones", Ty::List(&ZONE)).checks(&[Check::Items(1, usize::MAX)]),
    Param::req("product_id", Ty::Str).checks(ID),
    Param::req("kafka_manager_user", Ty::Str).checks(USER),
    Param::req("kafka_manager_password", Ty::Str).checks(MANAGER_PASSWORD),
    Param::opt("maintain_begin", Ty::Str).checks(TIME),
    Param::opt("maintain_end", Ty::Str).checks(TIME),
    Param::opt("enable_publicip", Ty::Bool),
    Param::opt("public_bandwidth", Ty::Int).checks(&[Check::Range(1, 2000)]),
    // The document's own example sends the bandwidth under this older spelling, which the SDK still
    // shows (as "to be deleted"): accepted, never sent by the provider.
    Param::opt("public_boundwidth", Ty::Int).checks(&[Check::Range(1, 2000)]),
    Param::opt("publicip_id", Ty::Str).checks(&[Check::Len(1, 1024)]),
    Param::opt("ssl_enable", Ty::Bool),
    Param::opt("retention_policy", Ty::Str).checks(RETENTION),
    Param::opt("connector_enable", Ty::Bool),
    Param::opt("enable_auto_topic", Ty::Bool),
    Param::req("storage_spec_code", Ty::Str).checks(ID),
    Param::opt("enterprise_project_id", Ty::Str).checks(EPS),
    Param::opt("tags", Ty::List(&CREATE_TAG_ITEM)).checks(&[Check::Items(0, MAX_TAGS)]),
]);

const PORT_PROTOCOL: &[Param] = &[
    Param::opt("private_plain_enable", Ty::Bool),
    Param::opt("private_sasl_ssl_enable", Ty::Bool),
    Param::opt("private_sasl_plaintext_enable", Ty::Bool),
    Param::opt("public_plain_enable", Ty::Bool),
    Param::opt("public_sasl_ssl_enable", Ty::Bool),
    Param::opt("public_sasl_plaintext_enable", Ty::Bool),
];
const BSS_PARAM: &[Param] = &[
    Param::opt("is_auto_renew", Ty::Bool),
    Param::opt("charging_mode", Ty::Str).checks(&[Check::OneOf(&["prePaid", "postPaid"])]),
    Param::opt("is_auto_pay", Ty::Bool),
    Param::opt("period_type", Ty::Str).checks(&[Check::OneOf(&["month", "year"])]),
    Param::opt("period_num", Ty::Int).checks(&[Check::Range(1, 9)]),
];
const SDK_TAG: &[Param] = &[
    Param::req("key", Ty::Str).checks(&[
        Check::Len(1, 128),
        Check::Chars("letters, digits, spaces and _.:=+-@", tag_char),
        Check::Pattern("a key that does not start with _sys_ nor start or end with a space", tag_key),
    ]),
    Param::opt("value", Ty::Str)
        .checks(&[Check::Len(0, 255), Check::Chars("letters, digits, spaces and _.:=+-@", tag_char)]),
];
const SDK_TAG_ITEM: Param = Param::item(Ty::Obj(SDK_TAG));
const IPV4_ITEM: Param = Param::item(Ty::Str).checks(&[Check::Len(7, 15)]);
const MECHANISM: Param = Param::item(Ty::Str).checks(&[Check::OneOf(&["PLAIN", "SCRAM-SHA-512"])]);

/// POST /v2/{project_id}/kafka/instances: the current create API (the SDK's CreateInstanceByEngineReq),
/// which the simulator serves for SDK users; the provider creates through [`CREATE`].
pub const CREATE_V2: Op = op("CreatePostPaidKafkaInstance", Method::Post, "/v2/{project_id}/kafka/instances").body(&[
    Param::req("name", Ty::Str).checks(NAME),
    Param::opt("description", Ty::Str).checks(&[Check::Len(0, 1024)]),
    Param::req("engine", Ty::Str).checks(&[Check::OneOf(&["kafka"])]),
    Param::req("engine_version", Ty::Str).checks(ID),
    Param::req("broker_num", Ty::Int).checks(&[Check::Range(1, 50)]),
    Param::req("storage_space", Ty::Int).checks(STORAGE),
    Param::opt("access_user", Ty::Str).checks(USER),
    Param::opt("password", Ty::Str).checks(SASL_PASSWORD),
    Param::req("vpc_id", Ty::Str).checks(ID),
    Param::req("security_group_id", Ty::Str).checks(ID),
    Param::req("subnet_id", Ty::Str).checks(ID),
    Param::req("available_zones", Ty::List(&ZONE)).checks(&[Check::Items(1, usize::MAX)]),
    Param::req("product_id", Ty::Str).checks(ID),
    Param::opt("maintain_begin", Ty::Str).checks(TIME),
    Param::opt("maintain_end", Ty::Str).checks(TIME),
    Param::opt("enable_publicip", Ty::Bool),
    Param::opt("tenant_ips", Ty::List(&IPV4_ITEM)).checks(&[Check::Items(0, 50)]),
    Param::opt("publicip_id", Ty::Str).checks(&[Check::Len(1, 1024)]),
    Param::opt("ssl_enable", Ty::Bool),
    Param::opt("kafka_security_protocol", Ty::Str).checks(&[Check::OneOf(&["SASL_SSL", "SASL_PLAINTEXT"])]),
    Param::opt("sasl_enabled_mechanisms", Ty::List(&MECHANISM)).checks(&[Check::Items(0, 2)]),
    Param::opt("port_protocol", Ty::Obj(PORT_PROTOCOL)),
    Param::opt("retention_policy", Ty::Str).checks(RETENTION),
    Param::opt("ipv6_enable", Ty::Bool),
    Param::opt("disk_encrypted_enable", Ty::Bool),
    Param::opt("disk_encrypted_key", Ty::Str).checks(&[Check::Len(0, 64)]),
    Param::opt("connector_enable", Ty::Bool),
    Param::opt("enable_auto_topic", Ty::Bool),
    Param::req("storage_spec_code", Ty::Str).checks(ID),
    Param::opt("enterprise_project_id", Ty::Str).checks(EPS),
    Param::opt("tags", Ty::List(&SDK_TAG_ITEM)).checks(&[Check::Items(0, MAX_TAGS)]),
    Param::opt("arch_type", Ty::Str).checks(&[Check::OneOf(&["X86", "ARM"])]),
    Param::opt("vpc_client_plain", Ty::Bool),
    Param::opt("bss_param", Ty::Obj(BSS_PARAM)),
]);

/// GET: the list, filtered by engine and name.
pub const LIST: Op = op("ListInstances", Method::Get, "/v2/{project_id}/instances").query(&[
    "engine",
    "name",
    "instance_id",
    "status",
    "enterprise_project_id",
    "exact_match_name",
    "include_failure",
    "limit",
    "offset",
]);
pub const SHOW: Op = op("ShowInstance", Method::Get, "/v2/{project_id}/instances/{instance_id}");
pub const DELETE: Op = op("DeleteInstance", Method::Delete, "/v2/{project_id}/instances/{instance_id}");

/// PUT: name, description, maintenance window (`HH:mm:ss`; `HH:mm` is accepted too), security group,
/// retention policy, enterprise project.
pub const UPDATE: Op = op("UpdateInstance", Method::Put, "/v2/{project_id}/instances/{instance_id}").body(&[
    Param::opt("name", Ty::Str).checks(NAME),
    Param::opt("description", Ty::Str).checks(&[Check::Len(0, 1024)]),
    Param::opt("maintain_begin", Ty::Str).checks(TIME_SECONDS),
    Param::opt("maintain_end", Ty::Str).checks(TIME_SECONDS),
    Param::opt("security_group_id", Ty::Str).checks(ID),
    Param::opt("retention_policy", Ty::Str).checks(RETENTION),
    Param::opt("enterprise_project_id", Ty::Str).checks(EPS),
]);

const TENANT_IP: Param = Param::item(Ty::Str).checks(ID);

/// POST: the SDK's ResizeEngineInstanceReq (storage, horizontal or vertical).
pub const EXTEND: Op =
    op("ResizeEngineInstance", Method::Post, "/v2/{project_id}/kafka/instances/{instance_id}/extend").body(&[
        Param::req("oper_type", Ty::Str).checks(&[Check::OneOf(&["storage", "horizontal", "vertical"])]),
        Param::opt("new_storage_space", Ty::Int).checks(STORAGE),
        Param::opt("new_broker_num", Ty::Int).checks(&[Check::Range(1, 50)]),
        Param::opt("new_product_id", Ty::Str).checks(ID),
        Param::opt("publicip_id", Ty::Str).checks(&[Check::Len(1, 1024)]),
        Param::opt("tenant_ips", Ty::List(&TENANT_IP)).checks(&[Check::Items(0, 50)]),
        Param::opt("second_tenant_subnet_id", Ty::Str).checks(ID),
    ]);

pub const RESET_MANAGER_PASSWORD: Op =
    op("ResetManagerPassword", Method::Put, "/v2/{project_id}/instances/{instance_id}/kafka-manager-password")
        .body(&[Param::req("new_password", Ty::Str).checks(MANAGER_PASSWORD)]);

/// SASL_SSL instances only.
pub const RESET_PASSWORD: Op = op("ResetPassword", Method::Post, "/v2/{project_id}/instances/{instance_id}/password")
    .body(&[Param::req("new_password", Ty::Str).checks(SASL_PASSWORD)]);

pub const AUTOTOPIC: Op =
    op("UpdateInstanceAutoCreateTopic", Method::Post, "/v2/{project_id}/instances/{instance_id}/autotopic")
        .body(&[Param::req("enable_auto_topic", Ty::Bool)]);

pub const TAGS: Op = op("ShowKafkaTags", Method::Get, "/v2/{project_id}/kafka/{instance_id}/tags");
pub const TAGS_ACTION: Op =
    op("BatchCreateOrDeleteKafkaTag", Method::Post, "/v2/{project_id}/kafka/{instance_id}/tags/action").body(&[
        Param::req("action", Ty::Str).checks(&[Check::OneOf(&["create", "delete"])]),
        Param::req("tags", Ty::List(&SDK_TAG_ITEM)).checks(&[Check::Items(1, MAX_TAGS)]),
    ]);

// ---- topics ----

pub const TOPIC_NAME: &[Check] = &[
    Check::Len(3, 200),
    Check::Pattern("a name that starts with a letter", starts_with_letter),
    Check::Chars("letters, digits, hyphens (-), underscores (_) and periods (.)", topic_char),
];
const TOPIC_CONFIG: &[Param] = &[
    Param::req("name", Ty::Str).checks(&[Check::Len(1, 128)]),
    Param::req("value", Ty::Str).checks(&[Check::Len(0, 1024)]),
];
const TOPIC_CONFIG_ITEM: Param = Param::item(Ty::Obj(TOPIC_CONFIG));
const TOPIC_CONFIGS: &[Check] = &[Check::Items(0, 100)];
const TOPIC_DESC: &[Check] = &[Check::Len(0, 200)];

pub const TOPIC_CREATE: Op = op("CreateInstanceTopic", Method::Post, "/v2/{project_id}/instances/{instance_id}/topics")
    .body(&[
        Param::req("id", Ty::Str).checks(TOPIC_NAME),
        Param::opt("replication", Ty::Int).checks(&[Check::Range(1, 3)]),
        Param::opt("sync_message_flush", Ty::Bool),
        Param::opt("partition", Ty::Int).checks(&[Check::Range(1, 200)]),
        Param::opt("sync_replication", Ty::Bool),
        Param::opt("retention_time", Ty::Int).checks(&[Check::Range(1, 720)]),
        Param::opt("topic_other_configs", Ty::List(&TOPIC_CONFIG_ITEM)).checks(TOPIC_CONFIGS),
        Param::opt("topic_desc", Ty::Str).checks(TOPIC_DESC),
    ]);

pub const TOPIC_LIST: Op = op("ListInstanceTopics", Method::Get, "/v2/{project_id}/instances/{instance_id}/topics")
    .query(&["offset", "limit"]);

const BROKER: Param = Param::item(Ty::Int).checks(&[Check::Range(0, 50)]);
const TOPIC_CHANGE: Param = Param::item(Ty::Obj(&[
    Param::req("id", Ty::Str).checks(&[Check::Len(1, 200)]),
    Param::opt("retention_time", Ty::Int).checks(&[Check::Range(0, 720)]),
    Param::opt("sync_replication", Ty::Bool),
    Param::opt("sync_message_flush", Ty::Bool),
    Param::opt("new_partition_numbers", Ty::Int).checks(&[Check::Range(1, 200)]),
    Param::opt("new_partition_brokers", Ty::List(&BROKER)).checks(&[Check::Items(0, 50)]),
    Param::opt("topic_other_configs", Ty::List(&TOPIC_CONFIG_ITEM)).checks(TOPIC_CONFIGS),
    Param::opt("topic_desc", Ty::Str).checks(TOPIC_DESC),
]));

/// UpdateInstanceTopicReq: a list of topic changes.
pub const TOPIC_UPDATE: Op = op("UpdateInstanceTopic", Method::Put, "/v2/{project_id}/instances/{instance_id}/topics")
    .body(&[Param::req("topics", Ty::List(&TOPIC_CHANGE)).checks(&[Check::Items(1, 100)])]);

const TOPIC_NAME_ITEM: Param = Param::item(Ty::Str).checks(&[Check::Len(1, 200)]);

/// BatchDeleteInstanceTopicReq.
pub const TOPIC_DELETE: Op =
    op("BatchDeleteInstanceTopic", Method::Post, "/v2/{project_id}/instances/{instance_id}/topics/delete")
        .body(&[Param::req("topics", Ty::List(&TOPIC_NAME_ITEM)).checks(&[Check::Items(1, 100)])]);

/// Every operation of this file (the consistency tests walk them).
pub const OPS: &[&Op] = &[
    &CREATE,
    &CREATE_V2,
    &LIST,
    &SHOW,
    &DELETE,
    &UPDATE,
    &EXTEND,
    &RESET_MANAGER_PASSWORD,
    &RESET_PASSWORD,
    &AUTOTOPIC,
    &TAGS,
    &TAGS_ACTION,
    &TOPIC_CREATE,
    &TOPIC_LIST,
    &TOPIC_UPDATE,
    &TOPIC_DELETE,
];
