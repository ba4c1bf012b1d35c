//! Kafka request bodies: the create contract (Creating a Pay-per-Use Instance, request table) and the
//! update, auto-topic and tag bodies of the SDK models; plus the catalogs the service judges.

use serde_json::Value;

use crate::spec::{self as s, Field, Invalid, Type, BOOL};
use crate::tags;

pub const ENGINE_VERSIONS: &[&str] = &["1.1.0", "2.3.0", "2.7", "3.x"];
pub const SPEC_NAMES: &[&str] = &["100MB", "300MB", "600MB", "1200MB"];
pub const STORAGE_SPEC_CODES: &[&str] = &[
    "dms.physical.storage.high",
    "dms.physical.storage.ultra",
    "dms.physical.storage.high.v2",
    "dms.physical.storage.ultra.v2",
    "dms.physical.storage.general",
    "dms.physical.storage.extreme",
];
pub const RETENTION: &[&str] = &["produce_reject", "time_base"];
pub const MAX_TAGS: usize = 20;

/// What a bandwidth specification implies: (name, partitions, brokers, resource_spec_code).
pub const SPECS: &[(&str, u32, u32, &str)] = &[
    ("100MB", 300, 3, "dms.instance.kafka.cluster.c3.mini"),
    ("300MB", 900, 3, "dms.instance.kafka.cluster.c3.small.2"),
    ("600MB", 1800, 4, "dms.instance.kafka.cluster.c3.middle.2"),
    ("1200MB", 1800, 8, "dms.instance.kafka.cluster.c3.high.2"),
];

pub fn spec_of(name: &str) -> (&'static str, u32, u32, &'static str) {
    SPECS.iter().copied().find(|s| s.0 == name).unwrap_or(SPECS[0])
}

const NAME: Type = s::pattern(4, 64, name);
const USER: Type = s::pattern(4, 64, user);
const ID: Type = s::string(1, 64);
const TIME: Type = s::pattern(5, 5, s::hh_mm);

const CREATE_TAG: Type = s::obj(&[
    Field::req("key", s::pattern(1, 36, create_tag_text)),
    Field::opt("value", s::pattern(0, 43, create_tag_text)),
]);

/// POST /v2/{project_id}/instances
pub const CREATE: &[Field] = &[
    Field::req("name", NAME),
    Field::opt("description", s::string(0, 1024)),
    Field::req("engine", s::one_of(&["kafka"])),
    Field::req("engine_version", s::one_of(ENGINE_VERSIONS)),
    Field::req("specification", s::one_of(SPEC_NAMES)),
    Field::req("storage_space", s::int(100, 1_500_000)),
    Field::opt("partition_num", s::int(1, 100_000)),
    Field::opt("access_user", USER),
    Field::opt("password", s::pattern(8, 32, sasl_password)),
    Field::req("vpc_id", ID),
    Field::req("security_group_id", ID),
    Field::req("subnet_id", ID),
    // The documents give no largest number of zones (one, or at least three).
    Field::req("available_zones", s::array(&ID, 1, usize::MAX)),
    Field::req("product_id", ID),
    Field::req("kafka_manager_user", USER),
    Field::req("kafka_manager_password", s::pattern(8, 32, manager_password)),
    Field::opt("maintain_begin", TIME),
    Field::opt("maintain_end", TIME),
    Field::opt("enable_publicip", BOOL),
    Field::opt("public_bandwidth", s::int(1, 2000)),
    Field::opt("publicip_id", s::string(1, 1024)),
    Field::opt("ssl_enable", BOOL),
    Field::opt("retention_policy", s::one_of(RETENTION)),
    Field::opt("connector_enable", BOOL),
    Field::opt("enable_auto_topic", BOOL),
    Field::req("storage_spec_code", s::one_of(STORAGE_SPEC_CODES)),
    Field::opt("enterprise_project_id", s::pattern(1, 36, s::lower_hex_dash)),
    Field::opt("tags", s::array(&CREATE_TAG, 0, MAX_TAGS)),
];

/// PUT /v2/{project_id}/instances/{instance_id} (times as `HH:mm:ss`; `HH:mm` is accepted too).
pub const UPDATE: &[Field] = &[
    Field::opt("name", NAME),
    Field::opt("description", s::string(0, 1024)),
    Field::opt("maintain_begin", s::pattern(5, 8, time_of_day)),
    Field::opt("maintain_end", s::pattern(5, 8, time_of_day)),
    Field::opt("security_group_id", ID),
    Field::opt("retention_policy", s::one_of(RETENTION)),
    Field::opt("enterprise_project_id", s::pattern(1, 36, s::lower_hex_dash)),
];

/// POST /v2/{project_id}/kafka/instances/{instance_id}/extend (the SDK's ResizeEngineInstanceReq)
pub const EXTEND: &[Field] = &[
    Field::req("oper_type", s::one_of(&["storage", "horizontal", "vertical"])),
    Field::opt("new_storage_space", s::int(100, 1_500_000)),
    Field::opt("new_broker_num", s::int(1, 50)),
    Field::opt("new_product_id", ID),
    Field::opt("publicip_id", s::string(1, 1024)),
    Field::opt("tenant_ips", s::array(&ID, 0, 50)),
    Field::opt("second_tenant_subnet_id", ID),
];

/// PUT .../kafka-manager-password
pub const MANAGER_PASSWORD: &[Field] = &[Field::req("new_password", s::pattern(8, 32, manager_password))];
/// POST .../password (SASL_SSL instances only)
pub const SASL_PASSWORD: &[Field] = &[Field::req("new_password", s::pattern(8, 32, sasl_password))];

/// The products a vertical resize can move to, and their bandwidth specification. The API documents
/// give no catalog: these ids follow the seed's example (`00300-30310-0--0`, 300MB).
pub const PRODUCTS: &[(&str, &str)] = &[
    ("00300-30308-0--0", "100MB"),
    ("00300-30310-0--0", "300MB"),
    ("00300-30312-0--0", "600MB"),
    ("00300-30314-0--0", "1200MB"),
];

const TOPIC_CONFIG: Type = s::obj(&[Field::req("name", s::string(1, 128)), Field::req("value", s::string(0, 1024))]);
const TOPIC_NAME: Type = s::string(1, 200);
const BROKER: Type = s::int(0, 50);

/// POST /v2/{project_id}/instances/{instance_id}/topics (the SDK's CreateInstanceTopicReq)
pub const TOPIC_CREATE: &[Field] = &[
    Field::req("id", s::pattern(3, 200, topic_name)),
    Field::opt("replication", s::int(1, 3)),
    Field::opt("sync_message_flush", BOOL),
    Field::opt("partition", s::int(1, 200)),
    Field::opt("sync_replication", BOOL),
    Field::opt("retention_time", s::int(1, 720)),
    Field::opt("topic_other_configs", s::array(&TOPIC_CONFIG, 0, 100)),
    Field::opt("topic_desc", s::string(0, 200)),
];

const TOPIC_CHANGE: Type = s::obj(&[
    Field::req("id", TOPIC_NAME),
    Field::opt("retention_time", s::int(0, 720)),
    Field::opt("sync_replication", BOOL),
    Field::opt("sync_message_flush", BOOL),
    Field::opt("new_partition_numbers", s::int(1, 200)),
    Field::opt("new_partition_brokers", s::array(&BROKER, 0, 50)),
    Field::opt("topic_other_configs", s::array(&TOPIC_CONFIG, 0, 100)),
    Field::opt("topic_desc", s::string(0, 200)),
]);

/// PUT /v2/{project_id}/instances/{instance_id}/topics (UpdateInstanceTopicReq)
pub const TOPIC_UPDATE: &[Field] = &[Field::req("topics", s::array(&TOPIC_CHANGE, 1, 100))];

/// POST /v2/{project_id}/instances/{instance_id}/topics/delete (BatchDeleteInstanceTopicReq)
pub const TOPIC_DELETE: &[Field] = &[Field::req("topics", s::array(&TOPIC_NAME, 1, 100))];

/// A topic name: starts with a letter; letters, digits, `-`, `_` and `.`.
fn topic_name(v: &str) -> Result<(), String> {
    if !v.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    s::chars_all(v, |c| c.is_ascii_alphanumeric() || "-_.".contains(c), "letters, digits, -, _ and .")
}

/// POST /v2/{project_id}/instances/{instance_id}/autotopic
pub const AUTOTOPIC: &[Field] = &[Field::req("enable_auto_topic", BOOL)];

const SDK_TAG: Type = s::obj(&[
    Field::req("key", s::pattern(1, 128, sdk_tag_key)),
    Field::opt("value", s::pattern(0, 255, sdk_tag_value)),
]);

/// POST /v2/{project_id}/kafka/{instance_id}/tags/action
pub const TAGS_ACTION: &[Field] =
    &[Field::req("action", s::one_of(&["create", "delete"])), Field::req("tags", s::array(&SDK_TAG, 1, MAX_TAGS))];

/// The rules of the create table that tie fields together or depend on the specification.
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    let on = |k: &str| s::at(body, k).and_then(Value::as_bool) == Some(true);
    if on("ssl_enable") {
        s::require(body, "access_user", "when ssl_enable is true")?;
        s::require(body, "password", "when ssl_enable is true")?;
    } else {
        s::forbid(body, "access_user", "when ssl_enable is false")?;
        s::forbid(body, "password", "when ssl_enable is false")?;
    }
    let (spec, partitions, brokers, _) = spec_of(s::at(body, "specification").and_then(Value::as_str).unwrap_or(""));
    if on("enable_publicip") {
        s::require(body, "publicip_id", "when enable_publicip is true")?;
        let eips = s::at(body, "publicip_id").and_then(Value::as_str).unwrap_or("").split(',').count();
        if eips != brokers as usize {
            return Err(Invalid::new(
                "publicip_id",
                format!("{eips} EIP IDs given; a {spec} instance has {brokers} brokers and needs one EIP per broker"),
            ));
        }
    } else {
        s::forbid(body, "publicip_id", "when enable_publicip is false")?;
        s::forbid(body, "public_bandwidth", "when enable_publicip is false")?;
    }
    let zones = s::at(body, "available_zones").and_then(Value::as_array).map_or(0, Vec::len);
    if zones == 2 {
        return Err(Invalid::new("available_zones", "a Kafka instance is deployed in 1 AZ or in at least 3 AZs"));
    }
    match (s::at(body, "maintain_begin"), s::at(body, "maintain_end")) {
        (Some(_), None) => s::require(body, "maintain_end", "when maintain_begin is given")?,
        (None, Some(_)) => s::require(body, "maintain_begin", "when maintain_end is given")?,
        _ => {}
    }
    let storage = s::at(body, "storage_space").and_then(Value::as_i64).unwrap_or(0);
    if storage % 100 != 0 {
        return Err(Invalid::new("storage_space", format!("{storage} is not a multiple of 100 GB")));
    }
    if let Some(n) = s::at(body, "partition_num").and_then(Value::as_i64) {
        if n != i64::from(partitions) {
            return Err(Invalid::new(
                "partition_num",
                format!("a {spec} instance has {partitions} partitions, got {n}"),
            ));
        }
    }
    tags::unique_keys(body)
}

fn name(v: &str) -> Result<(), String> {
    if !v.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err("must start with a letter".into());
    }
    s::chars_all(v, |c| c.is_ascii_alphanumeric() || c == '_' || c == '-', "letters, digits, _ and -")
}

fn user(v: &str) -> Result<(), String> {
    s::chars_all(v, |c| c.is_ascii_alphanumeric() || c == '-', "letters, digits and -")
}

/// 8-32 characters, three of four kinds, not starting with `-` (the value is never echoed).
fn complexity(v: &str, specials: &str) -> Result<(), String> {
    let special = |c: char| specials.contains(c) || c == ' ';
    if v.starts_with('-') {
        return Err("must not start with -".into());
    }
    if v.chars().any(|c| !c.is_ascii_alphanumeric() && !special(c)) {
        return Err(format!("contains a character other than letters, digits, spaces and {specials}"));
    }
    let kinds = [v.chars().any(|c| c.is_ascii_lowercase()), v.chars().any(|c| c.is_ascii_uppercase())]
        .into_iter()
        .chain([v.chars().any(|c| c.is_ascii_digit()), v.chars().any(special)])
        .filter(|k| *k)
        .count();
    if kinds < 3 {
        return Err("must contain three of: lowercase letters, uppercase letters, digits, special characters".into());
    }
    Ok(())
}

fn sasl_password(v: &str) -> Result<(), String> {
    complexity(v, "`~!@#$%^&*()-_=+\\|[{}]:'\",<.>/?")
}

fn manager_password(v: &str) -> Result<(), String> {
    complexity(v, "`~!@#$%^&*()-_=+\\|[{}];:'\",<.>/?")
}

/// `HH:mm` or `HH:mm:ss`.
fn time_of_day(v: &str) -> Result<(), String> {
    let bad = || format!("{v:?} is not a time of day in HH:mm:ss format");
    if !v.is_ascii() {
        return Err(bad());
    }
    let (hm, secs) = if v.len() == 8 { v.split_at(5) } else { (v, "") };
    let secs_ok = secs.is_empty() || (secs.starts_with(':') && secs[1..].parse::<u8>().is_ok_and(|n| n < 60));
    if !secs_ok || secs.contains('+') {
        return Err(bad());
    }
    s::hh_mm(hm).map_err(|_| bad())
}

/// The create table: no control characters and none of `=*<>,|/`.
fn create_tag_text(v: &str) -> Result<(), String> {
    match v.chars().find(|c| c.is_control() || "=*<>,|/".contains(*c)) {
        Some(c) => Err(format!("character {c:?} is not allowed (not allowed: control characters and =*<>,|/)")),
        None => Ok(()),
    }
}

/// The tag API: letters, digits, spaces and `_.:=+-@`.
fn sdk_tag_value(v: &str) -> Result<(), String> {
    s::chars_all(v, |c| c.is_alphanumeric() || " _.:=+-@".contains(c), "letters, digits, spaces and _ . : = + - @")
}

fn sdk_tag_key(v: &str) -> Result<(), String> {
    sdk_tag_value(v)?;
    if v.starts_with(' ') || v.ends_with(' ') || v.starts_with("_sys_") {
        return Err("must not start with _sys_ or start or end with a space".into());
    }
    Ok(())
}
