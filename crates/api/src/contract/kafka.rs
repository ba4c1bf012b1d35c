//! DMS for Kafka: instances ("Creating a Pay-per-Use Instance" and the SDK's instance, resize, password,
//! auto-topic and tag models) and topics (CreateInstanceTopicReq, UpdateInstanceTopicReq,
//! BatchDeleteInstanceTopicReq).

use super::check::Check;
use super::facts::{Code, Errors, Statuses};
use super::op::{Op, Paging};
use super::param::{Given, Param, Ty};
use super::rule::{BodyRule, Is};
use super::text::{eps_char, hh_mm, password_problem, starts_with_letter, tag_char, tag_key, time_of_day};
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
const SASL_PASSWORD: &[Check] = &[Check::Rule(
    "8 to 32 characters, at least three of lowercase letters, uppercase letters, digits and special characters \
(`` `~!@#$%^&*()-_=+\\|[{}]:'\",<.>/? `` and space), not starting with `-`",
    |p| password_problem(p, SASL_SPECIALS),
)];
const MANAGER_PASSWORD: &[Check] = &[Check::Rule(
    "8 to 32 characters, at least three of lowercase letters, uppercase letters, digits and special characters \
(`` `~!@#$%^&*()-_=+\\|[{}];:'\",<.>/? `` and space), not starting with `-`",
    |p| password_problem(p, MANAGER_SPECIALS),
)];
const STORAGE: &[Check] = &[Check::Range(100, 1_500_000), Check::MultipleOf(100)];
const ENABLE: &[Check] = &[Check::OneOf(&["true", "false"])];
pub const MAX_TAGS: usize = 20;

const ZONE: Param = Param::item(Ty::Str).checks(ID);
const CREATE_TAG: &[Param] = &[
    Param::req("key", Ty::Str)
        .checks(&[Check::Len(1, 36), Check::Chars("characters other than =*<>,|/", create_tag_char)]),
    Param::opt("value", Ty::Str)
        .checks(&[Check::Len(0, 43), Check::Chars("characters other than =*<>,|/", create_tag_char)]),
];
const CREATE_TAG_ITEM: Param = Param::item(Ty::Obj(CREATE_TAG));

/// The statuses of an instance (ShowInstance's `status`). A delete shows DELETING, then ERROR while
/// the last resources go, so ERROR is no verdict on a deleted instance.
pub const STATUSES: Statuses = Statuses {
    member: "status",
    ready: &["RUNNING"],
    busy: &["CREATING", "RESTARTING", "STARTING", "EXTENDING", "FREEZING", "UPGRADING", "ROLLINGBACK"],
    failed: &["ERROR", "FROZEN", "EXTENDEDFAILED"],
    create_failed: &["CREATEFAILED"],
    going: &["DELETING"],
    gone: &["DELETED"],
};

/// The error codes of the DMS API.
pub const ERRORS: Errors = Errors {
    invalid: Code::new(400, "DMS.00400000"),
    not_found: &[Code::new(404, "DMS.00404022"), Code::new(404, "")],
    busy: &[Code::new(400, "DMS.00400026")],
    throttled: &[],
    other: &[],
};

const SSL: &str = "ssl_enable";
const PUBLIC: &str = "enable_publicip";
/// The rules both create tables state.
const SHARED_RULES: [BodyRule; 9] = [
    BodyRule::required_when("access_user", SSL, Is::True),
    BodyRule::only_when("access_user", SSL, Is::True),
    BodyRule::required_when("password", SSL, Is::True),
    BodyRule::only_when("password", SSL, Is::True),
    BodyRule::required_when("publicip_id", PUBLIC, Is::True),
    BodyRule::only_when("publicip_id", PUBLIC, Is::True),
    BodyRule::only_when("public_bandwidth", PUBLIC, Is::True),
    BodyRule::Together("maintain_begin", "maintain_end"),
    BodyRule::Distinct("available_zones", ""),
];
const CREATE_RULES: &[BodyRule] = &[
    SHARED_RULES[0],
    SHARED_RULES[1],
    SHARED_RULES[2],
    SHARED_RULES[3],
    SHARED_RULES[4],
    SHARED_RULES[5],
    SHARED_RULES[6],
    SHARED_RULES[7],
    SHARED_RULES[8],
    BodyRule::only_when("public_boundwidth", PUBLIC, Is::True),
    BodyRule::NotBoth("public_bandwidth", "public_boundwidth"),
];
const PREPAID: Is = Is::Str("prePaid");
const CREATE_V2_RULES: &[BodyRule] = &[
    SHARED_RULES[0],
    SHARED_RULES[1],
    SHARED_RULES[2],
    SHARED_RULES[3],
    SHARED_RULES[4],
    SHARED_RULES[5],
    SHARED_RULES[7],
    SHARED_RULES[8],
    BodyRule::only_when("bss_param.is_auto_pay", "bss_param.charging_mode", PREPAID),
    BodyRule::only_when("bss_param.is_auto_renew", "bss_param.charging_mode", PREPAID),
    BodyRule::required_when("bss_param.period_type", "bss_param.charging_mode", PREPAID),
    BodyRule::only_when("bss_param.period_type", "bss_param.charging_mode", PREPAID),
    BodyRule::required_when("bss_param.period_num", "bss_param.charging_mode", PREPAID),
    BodyRule::only_when("bss_param.period_num", "bss_param.charging_mode", PREPAID),
    BodyRule::required_when("disk_encrypted_key", "disk_encrypted_enable", Is::True),
    BodyRule::only_when("disk_encrypted_key", "disk_encrypted_enable", Is::True),
];

/// POST /v2/{project_id}/instances: the create table. Which engine versions, specifications and
/// storage codes exist is the service's catalog, not part of the table.
pub const CREATE: Op =
    op("CreatePostPaidInstance", Method::Post, "/v2/{project_id}/instances").rules(CREATE_RULES).body(&[
        Param::req("name", Ty::Str).checks(NAME),
        Param::opt("description", Ty::Str).checks(&[Check::Len(0, 1024)]),
        Param::req("engine", Ty::Str).checks(&[Check::OneOf(&["kafka"])]),
        Param::req("engine_version", Ty::Str).checks(ID),
        Param::req("specification", Ty::Str).checks(ID),
        Param::req("storage_space", Ty::Int).checks(STORAGE).grows(),
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

/// POST /v2/{project_id}/kafka/instances: the current create API (the SDK's CreateInstanceByEngineReq):
/// sized by a flavor (`product_id`) and `broker_num`, billed through `bss_param`.
pub const CREATE_V2: Op =
    op("CreatePostPaidKafkaInstance", Method::Post, "/v2/{project_id}/kafka/instances").rules(CREATE_V2_RULES).body(&[
        Param::req("name", Ty::Str).checks(NAME),
        Param::opt("description", Ty::Str).checks(&[Check::Len(0, 1024)]),
        Param::req("engine", Ty::Str).checks(&[Check::OneOf(&["kafka"])]),
        Param::req("engine_version", Ty::Str).checks(ID),
        Param::req("broker_num", Ty::Int).checks(&[Check::Range(1, 50)]).grows(),
        Param::req("storage_space", Ty::Int).checks(STORAGE).grows(),
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

/// GET: the list, filtered by engine and name; paged as the SDK's ListInstancesRequest states it: offset
/// at least 0 (its default is not stated: 0), limit 1 to 50 (default 10).
pub const LIST: Op = op("ListInstances", Method::Get, "/v2/{project_id}/instances")
    .query(&[
        Param::opt("engine", Ty::Str).checks(&[Check::OneOf(&["kafka"])]),
        Param::opt("name", Ty::Str).checks(&[Check::Len(1, 64)]),
        Param::opt("instance_id", Ty::Str).checks(INSTANCE_ID),
        Param::opt("status", Ty::Str).checks(&[Check::Rule("a status of the status table", |s| STATUSES.refuse(s))]),
        Param::opt("enterprise_project_id", Ty::Str).checks(EPS),
        Param::opt("exact_match_name", Ty::Str).checks(ENABLE),
        Param::opt("include_failure", Ty::Str).checks(ENABLE),
        Param::opt("limit", Ty::Int).checks(&[Check::Range(1, 50)]).default(Given::Int(10)),
        Param::opt("offset", Ty::Int).checks(&[Check::Range(0, i64::MAX)]).default(Given::Int(0)),
    ])
    .list("instances", Paging::Offset { limit: 50, total: "instance_num" });

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
    op("ResizeEngineInstance", Method::Post, "/v2/{project_id}/kafka/instances/{instance_id}/extend")
        .rules(&[
            BodyRule::required_when("new_storage_space", "oper_type", Is::Str("storage")),
            BodyRule::required_when("new_broker_num", "oper_type", Is::Str("horizontal")),
            // The total after the new brokers join (each gets the storage of the others).
            BodyRule::required_when("new_storage_space", "oper_type", Is::Str("horizontal")),
            BodyRule::required_when("new_product_id", "oper_type", Is::Str("vertical")),
        ])
        .body(&[
            Param::req("oper_type", Ty::Str).checks(&[Check::OneOf(&["storage", "horizontal", "vertical"])]),
            Param::opt("new_storage_space", Ty::Int).checks(STORAGE),
            Param::opt("new_broker_num", Ty::Int).checks(&[Check::Range(1, 50)]),
            Param::opt("new_product_id", Ty::Str).checks(ID),
            Param::opt("publicip_id", Ty::Str).checks(&[Check::Len(1, 1024)]),
            Param::opt("tenant_ips", Ty::List(&TENANT_IP)).checks(&[Check::Items(0, 50)]),
            Param::opt("second_tenant_subnet_id", Ty::Str).checks(ID),
        ]);

/// The resize that grows the storage (the instance's total, a multiple of 100 GB).
pub const EXTEND_STORAGE: Op = EXTEND.fixed(&[("oper_type", "storage")]);
/// The resize that adds brokers.
pub const EXTEND_BROKERS: Op = EXTEND.fixed(&[("oper_type", "horizontal")]);
/// The resize to another flavor.
pub const EXTEND_FLAVOR: Op = EXTEND.fixed(&[("oper_type", "vertical")]);

/// POST: public access on (`publicip_id`, one EIP per broker, with the bandwidth) or off (no
/// `publicip_id`). The table marks every member optional and says nothing of how the switch turns
/// public access off: a body without `publicip_id` does (the simulator's reading, in its help text).
pub const PUBLIC_ACCESS: Op =
    op("ModifyKafkaPublicIpAccessSwitch", Method::Post, "/v1/{project_id}/instances/{instance_id}/public-boundwidth")
        .body(&[
            Param::opt("eip_address", Ty::Str).checks(&[Check::Len(1, 1024)]),
            Param::opt("public_boundwidth", Ty::Int).checks(&[Check::Range(0, 2000)]),
            Param::opt("publicip_id", Ty::Str).checks(&[Check::Len(1, 1024)]),
        ]);

/// The access methods of an instance (`port_protocol` of the create table, `port_protocols` of the
/// show answer, `protocol` of the switch), each named by its member.
pub const PROTOCOLS: &[&str] = &[
    "private_plain_enable",
    "private_sasl_ssl_enable",
    "private_sasl_plaintext_enable",
    "public_plain_enable",
    "public_sasl_ssl_enable",
    "public_sasl_plaintext_enable",
];

/// POST: one access method on or off (PlainSslEnableRequest). The table marks `protocol` and `enable`
/// optional; a switch without them names nothing to switch, so they are required here. The first SASL
/// method enabled on an instance without SASL also takes the user, its password and the mechanisms.
pub const PROTOCOL_SWITCH: Op =
    op("UpdateKafkaPortProtocol", Method::Post, "/v2/{project_id}/{engine}/instances/{instance_id}/plain-ssl-switch")
        .fixed(&[("engine", "kafka")])
        .rules(&[BodyRule::Together("user_name", "pass_word")])
        .body(&[
            Param::req("protocol", Ty::Str).checks(&[Check::OneOf(PROTOCOLS)]),
            Param::req("enable", Ty::Bool),
            Param::opt("user_name", Ty::Str).checks(USER),
            Param::opt("pass_word", Ty::Str).checks(SASL_PASSWORD),
            Param::opt("sasl_enabled_mechanisms", Ty::List(&MECHANISM)).checks(&[Check::Items(1, 2)]),
        ]);

/// GET: every broker parameter with its value, `default_value` and `config_type` (`dynamic` or `static`:
/// a static one takes effect only after a restart).
pub const CONFIGS: Op = op("ShowInstanceConfigs", Method::Get, "/v2/{project_id}/instances/{instance_id}/configs")
    .list("kafka_configs", Paging::None);
const CONFIG_ITEM: Param = Param::item(Ty::Obj(&[
    Param::req("name", Ty::Str).checks(&[Check::Len(1, 128)]),
    Param::req("value", Ty::Str).checks(&[Check::Len(0, 1024)]),
]));
/// PUT: new values of some parameters (ModifyInstanceConfigsReq); the SDK gives no largest count.
pub const CONFIGS_UPDATE: Op =
    op("ModifyInstanceConfigs", Method::Put, "/v2/{project_id}/instances/{instance_id}/configs")
        .rules(&[BodyRule::Distinct("kafka_configs", "name")])
        .body(&[Param::req("kafka_configs", Ty::List(&CONFIG_ITEM)).checks(&[Check::Items(1, 100)])]);

/// GET: the flavors (ListEngineProducts), with their limits as strings; one flavor by `product_id`.
pub const PRODUCTS: Op = op("ListEngineProducts", Method::Get, "/v2/{engine}/products")
    .fixed(&[("engine", "kafka")])
    .query(&[Param::opt("product_id", Ty::Str).checks(ID)])
    .list("products", Paging::None);

/// GET: the availability zones of the region (ListAvailableZones), with their IDs for `available_zones`.
pub const ZONES: Op =
    op("ListAvailableZones", Method::Get, "/v2/available-zones").list("available_zones", Paging::None);

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
    .rules(&[BodyRule::Distinct("topic_other_configs", "name")])
    .body(&[
        Param::req("id", Ty::Str).checks(TOPIC_NAME),
        Param::opt("replication", Ty::Int).checks(&[Check::Range(1, 3)]).default(Given::Int(3)),
        Param::opt("sync_message_flush", Ty::Bool).default(Given::Bool(false)),
        Param::opt("partition", Ty::Int).checks(&[Check::Range(1, 200)]).default(Given::Int(3)).grows(),
        Param::opt("sync_replication", Ty::Bool).default(Given::Bool(false)),
        Param::opt("retention_time", Ty::Int).checks(&[Check::Range(1, 720)]).default(Given::Int(72)),
        Param::opt("topic_other_configs", Ty::List(&TOPIC_CONFIG_ITEM)).checks(TOPIC_CONFIGS),
        Param::opt("topic_desc", Ty::Str).checks(TOPIC_DESC),
    ]);

/// Paged as the SDK's ListInstanceTopicsRequest states it: offset at least 0 (its default is not
/// stated: 0), limit 0 to 200 (default 50).
pub const TOPIC_LIST: Op = op("ListInstanceTopics", Method::Get, "/v2/{project_id}/instances/{instance_id}/topics")
    .query(&[
        Param::opt("offset", Ty::Int).checks(&[Check::Range(0, i64::MAX)]).default(Given::Int(0)),
        Param::opt("limit", Ty::Int).checks(&[Check::Range(0, 200)]).default(Given::Int(50)),
    ])
    .list("topics", Paging::Offset { limit: 50, total: "total" });

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

// ---- users (SASL instances only) ----

fn kafka_user_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

/// A user name: 4 to 64 characters, starting with a letter; letters, digits, hyphens and underscores.
pub const USER_NAME: &[Check] = &[
    Check::Len(4, 64),
    Check::Pattern("a name that starts with a letter", starts_with_letter),
    Check::Chars("letters, digits, hyphens (-) and underscores (_)", kafka_user_char),
];
/// The documents give no length for a user's description: the simulator takes 200 characters, as a
/// topic's description.
const USER_DESC: &[Check] = &[Check::Len(0, 200)];
/// An instance created since 15 July 2023 takes 500 users (20 before).
pub const MAX_USERS: usize = 500;

pub const USER_CREATE: Op = op("CreateInstanceUser", Method::Post, "/v2/{project_id}/instances/{instance_id}/users")
    .rules(&[BodyRule::NotNameOf { field: "user_passwd", other: "user_name" }])
    .body(&[
        Param::req("user_name", Ty::Str).checks(USER_NAME),
        Param::opt("user_desc", Ty::Str).checks(USER_DESC),
        Param::req("user_passwd", Ty::Str).checks(SASL_PASSWORD),
    ]);
pub const USER_LIST: Op =
    op("ShowInstanceUsers", Method::Get, "/v2/{project_id}/instances/{instance_id}/users").list("users", Paging::None);
const USER_NAME_ITEM: Param = Param::item(Ty::Str).checks(USER_NAME);
/// BatchDeleteInstanceUsersReq: `action` is always `delete`.
pub const USER_DELETE: Op =
    op("BatchDeleteInstanceUsers", Method::Put, "/v2/{project_id}/instances/{instance_id}/users")
        .fixed(&[("action", "delete")])
        .body(&[
            Param::req("action", Ty::Str).checks(&[Check::OneOf(&["delete"])]),
            Param::req("users", Ty::List(&USER_NAME_ITEM)).checks(&[Check::Items(1, MAX_USERS)]),
        ]);
/// The new password may be neither the user's name nor it reversed.
pub const USER_RESET_PASSWORD: Op =
    op("ResetUserPasswrod", Method::Put, "/v2/{project_id}/instances/{instance_id}/users/{user_name}")
        .rules(&[BodyRule::NotNameOf { field: "new_password", other: "{user_name}" }])
        .body(&[Param::req("new_password", Ty::Str).checks(SASL_PASSWORD)]);
/// UpdateUserReq: the provider sends the description only (the password through the reset call).
pub const USER_UPDATE: Op =
    op("UpdateInstanceUser", Method::Put, "/v2/{engine}/{project_id}/instances/{instance_id}/users/{user_name}")
        .fixed(&[("engine", "kafka")])
        .rules(&[BodyRule::NotNameOf { field: "new_password", other: "{user_name}" }])
        .body(&[
            Param::opt("new_password", Ty::Str).checks(SASL_PASSWORD),
            Param::opt("user_name", Ty::Str).checks(USER_NAME),
            Param::opt("user_desc", Ty::Str).checks(USER_DESC),
        ]);

// ---- topic access policies (SASL instances only) ----

pub const ACCESS_POLICIES: &[&str] = &["all", "pub", "sub"];
const POLICY: Param = Param::item(Ty::Obj(&[
    Param::req("user_name", Ty::Str).checks(USER_NAME),
    Param::req("access_policy", Ty::Str).checks(&[Check::OneOf(ACCESS_POLICIES)]),
]));
const POLICY_TOPIC: Param = Param::item(Ty::Obj(&[
    Param::req("name", Ty::Str).checks(TOPIC_NAME),
    // The SDK states no requirement for the list itself (only for its members); an empty list takes every
    // policy of the topic away.
    Param::opt("policies", Ty::List(&POLICY)).checks(&[Check::Items(0, MAX_USERS)]),
]));
/// UpdateTopicAccessPolicyReq: each listed topic's policies become exactly the given list.
pub const POLICY_UPDATE: Op =
    op("UpdateTopicAccessPolicy", Method::Post, "/v1/{project_id}/instances/{instance_id}/topics/accesspolicy")
        .body(&[Param::req("topics", Ty::List(&POLICY_TOPIC)).checks(&[Check::Items(1, 100)])]);
/// The update for one topic's whole list: `{"topics": [{"name", "policies"}]}`.
pub const POLICY_SET: Op = POLICY_UPDATE.wrapped("topics");
pub const POLICY_SHOW: Op = op(
    "ShowTopicAccessPolicy",
    Method::Get,
    "/v1/{project_id}/instances/{instance_id}/topics/{topic_name}/accesspolicy",
)
.list("policies", Paging::None);

/// Every operation of this file (the consistency tests walk them).
pub const OPS: &[&Op] = &[
    &CREATE,
    &CREATE_V2,
    &LIST,
    &SHOW,
    &DELETE,
    &UPDATE,
    &EXTEND,
    &PUBLIC_ACCESS,
    &PROTOCOL_SWITCH,
    &CONFIGS,
    &CONFIGS_UPDATE,
    &PRODUCTS,
    &ZONES,
    &RESET_MANAGER_PASSWORD,
    &RESET_PASSWORD,
    &AUTOTOPIC,
    &TAGS,
    &TAGS_ACTION,
    &TOPIC_CREATE,
    &TOPIC_LIST,
    &TOPIC_UPDATE,
    &TOPIC_DELETE,
    &USER_CREATE,
    &USER_LIST,
    &USER_DELETE,
    &USER_RESET_PASSWORD,
    &USER_UPDATE,
    &POLICY_UPDATE,
    &POLICY_SHOW,
];
