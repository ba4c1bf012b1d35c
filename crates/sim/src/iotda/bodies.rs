//! IoTDA request bodies: the create contract (Create an IoTDA Instance, request Tables 3-8)
//! and the update, resize and tag bodies of the instance management SDK models.

use serde_json::Value;

use crate::spec::{self as s, Field, Invalid, Type, BOOL};
use crate::tags;

pub const INSTANCE_TYPES: &[&str] = &["standard", "enterprise"];
pub const ACCESS_TYPES: &[&str] = &["APP_HTTPS", "APP_AMQP", "APP_MQTT", "DEVICE_COAP", "DEVICE_MQTT", "DEVICE_HTTPS"];
/// Most tags one instance may carry.
pub const MAX_TAGS: usize = 20;

const NAME: Type = s::pattern(1, 64, s::name_chars);
const DESCRIPTION: Type = s::pattern(0, 256, description_chars);
const PORT: Type = s::int(1, 65535);
const ID: Type = s::string(1, 64);

const FLAVOR: &[Field] = &[Field::req("type", s::string(1, 64)), Field::opt("size", s::int(1, i64::MAX))];

const CHARGE_INFO: &[Field] = &[
    Field::req("charge_mode", s::one_of(&["prePaid", "postPaid"])),
    Field::opt("period_type", s::one_of(&["month", "year"])),
    Field::opt("period_num", s::int(1, 9)),
    Field::opt("is_auto_renew", BOOL),
    Field::opt("is_auto_pay", BOOL),
];

const TAG_FIELDS: &[Field] =
    &[Field::req("key", s::pattern(1, 128, tag_key)), Field::opt("value", s::pattern(0, 255, tag_value)).nullable()];
const TAG: Type = s::obj(TAG_FIELDS);

const PORT_INFO: &[Field] = &[
    Field::opt("app_https_port", PORT),
    Field::opt("app_amqps_port", PORT),
    Field::opt("device_coap_port", PORT),
    Field::opt("device_coaps_port", PORT),
    Field::opt("device_mqtt_port", PORT),
    Field::opt("device_mqtts_port", PORT),
    Field::opt("device_https_port", PORT),
];

const ADDITIONAL_PARAMS: &[Field] = &[
    Field::req("vpc_id", ID),
    Field::req("subnet_id", ID),
    Field::req("security_group_id", ID),
    Field::opt("smn_topic_urn", s::string(1, 512)),
    Field::opt("ciphering_algorithm", s::one_of(&["COMMON_ALGORITHM", "SM_ALGORITHM"])),
    Field::req("port_info", s::obj(PORT_INFO)),
];

/// POST /v5/iot/{project_id}/iotda-instances
pub const CREATE: &[Field] = &[
    Field::req("instance_type", s::one_of(INSTANCE_TYPES)),
    Field::req("flavor", s::obj(FLAVOR)),
    Field::req("name", NAME),
    Field::req("charge_info", s::obj(CHARGE_INFO)),
    Field::opt("description", DESCRIPTION),
    Field::opt("enterprise_project_id", s::pattern(1, 36, s::lower_hex_dash)),
    Field::opt("tags", s::array(&TAG, 0, MAX_TAGS)),
    Field::opt("additional_params", s::obj(ADDITIONAL_PARAMS)),
];

const OPERATE_WINDOW: &[Field] =
    &[Field::req("start_time", s::pattern(5, 5, s::hh_mm)), Field::req("end_time", s::pattern(5, 5, s::hh_mm))];

const ALLOW_ENTRY: Type =
    s::obj(&[Field::req("address", s::string(1, 64)), Field::opt("description", s::string(0, 128))]);

const ACCESS_INFO: &[Field] = &[
    Field::req("access_type", s::one_of(ACCESS_TYPES)),
    Field::opt("domain_name", s::string(1, 255)),
    Field::opt("public_addresses_enable", BOOL),
    Field::opt(
        "ip_whitelist",
        s::obj(&[Field::opt("enable", BOOL), Field::opt("allow_list", s::array(&ALLOW_ENTRY, 0, 100))]),
    ),
];

/// PUT /v5/iot/{project_id}/iotda-instances/{instance_id}
pub const UPDATE: &[Field] = &[
    Field::opt("name", NAME),
    Field::opt("description", DESCRIPTION),
    Field::opt("operate_window", s::obj(OPERATE_WINDOW)),
    Field::opt("forwarding_info", s::obj(&[Field::req("enable_snat", BOOL)])),
    Field::opt("access_info", s::obj(ACCESS_INFO)),
];

/// POST .../{instance_id}/resize
pub const RESIZE: &[Field] =
    &[Field::req("flavor", s::obj(FLAVOR)), Field::opt("is_auto_pay", BOOL), Field::opt("delay", BOOL)];

/// POST .../{instance_id}/bind-tags and .../unbind-tags
pub const TAGS: &[Field] = &[Field::req("tags", s::array(&TAG, 1, MAX_TAGS))];

/// The rules of the create tables that depend on other fields.
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    match s::at(body, "instance_type").and_then(Value::as_str) {
        Some("standard") => {
            s::require(body, "flavor.size", "when instance_type is standard")?;
            s::forbid(body, "additional_params", "when instance_type is standard (enterprise edition only)")?;
        }
        _ => s::require(body, "additional_params", "when instance_type is enterprise")?,
    }
    match s::at(body, "charge_info.charge_mode").and_then(Value::as_str) {
        Some("prePaid") => {
            s::require(body, "charge_info.period_type", "when charge_mode is prePaid")?;
            s::require(body, "charge_info.period_num", "when charge_mode is prePaid")?;
            let year = s::at(body, "charge_info.period_type").and_then(Value::as_str) == Some("year");
            let num = s::at(body, "charge_info.period_num").and_then(Value::as_i64).unwrap_or(0);
            if year && num > 3 {
                return Err(Invalid::new(
                    "charge_info.period_num",
                    format!("{num} is outside 1..3 (period_type is year)"),
                ));
            }
        }
        _ => {
            s::forbid(body, "charge_info.period_type", "when charge_mode is postPaid")?;
            s::forbid(body, "charge_info.period_num", "when charge_mode is postPaid")?;
        }
    }
    tags::unique_keys(body)
}

fn description_chars(v: &str) -> Result<(), String> {
    s::chars_all(v, |c| c.is_alphanumeric() || " _,.&-，。、".contains(c), "letters, digits, spaces and _ , . & -")
}

fn tag_value(v: &str) -> Result<(), String> {
    s::chars_all(v, |c| c.is_alphanumeric() || " _.:=+-@".contains(c), "letters, digits, spaces and _ . : = + - @")
}

fn tag_key(v: &str) -> Result<(), String> {
    tag_value(v)?;
    if v.starts_with(' ') || v.ends_with(' ') {
        return Err("must not start or end with a space".into());
    }
    Ok(())
}
