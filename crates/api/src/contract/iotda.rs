//! IoTDA instances: "Create an IoTDA Instance" (request Tables 3-8, completed by the SDK's models:
//! `port_info.app_mqtts_port`, `charge_info.promotion_infos`) and the SDK's update, resize and tag models.

use super::check::Check;
use super::facts::{Code, Errors, Statuses};
use super::op::{Op, Paging};
use super::param::{Given, Param, Ty};
use super::rule::{BodyRule, Is};
use super::text::{eps_char, hh_mm, hh_mm_end, tag_char};
use crate::service::{Method, Service};

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op::new(name, Service::Iotda, method, path)
}

fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}
fn description_char(c: char) -> bool {
    c.is_alphanumeric() || " _,.&-，。、".contains(c)
}

pub const INSTANCE_TYPES: &[&str] = &["standard", "enterprise"];
pub const ACCESS_TYPES: &[&str] = &["APP_HTTPS", "APP_AMQP", "APP_MQTT", "DEVICE_COAP", "DEVICE_MQTT", "DEVICE_HTTPS"];
/// Most tags one instance may carry.
pub const MAX_TAGS: usize = 20;

const NAME: &[Check] =
    &[Check::Len(1, 64), Check::Chars("letters, digits, underscores (_) and hyphens (-)", name_char)];
const DESCRIPTION: &[Check] =
    &[Check::Len(0, 256), Check::Chars("letters, digits, spaces and _,.&-", description_char)];
const PORT: &[Check] = &[Check::Range(1, 65535)];
const ID: &[Check] = &[Check::Len(1, 64)];
const TAG_CHARS: &str = "letters, digits, spaces and _.:=+-@";
/// A tag key must not start or end with a space.
fn trimmed(s: &str) -> bool {
    s.trim() == s
}

const FLAVOR: &[Param] =
    &[Param::req("type", Ty::Str).checks(ID), Param::opt("size", Ty::Int).checks(&[Check::Range(1, i64::MAX)])];

const CHARGE_INFO: &[Param] = &[
    Param::req("charge_mode", Ty::Str).checks(&[Check::OneOf(&["prePaid", "postPaid"])]),
    Param::opt("period_type", Ty::Str).checks(&[Check::OneOf(&["month", "year"])]),
    Param::opt("period_num", Ty::Int).checks(&[Check::Range(1, 9)]),
    Param::opt("is_auto_renew", Ty::Bool),
    Param::opt("is_auto_pay", Ty::Bool),
    Param::opt("promotion_infos", Ty::Str).checks(&[Check::Len(0, 1024)]),
];

const TAG: &[Param] = &[
    Param::req("key", Ty::Str).checks(&[
        Check::Len(1, 128),
        Check::Chars(TAG_CHARS, tag_char),
        Check::Pattern("a key that does not start or end with a space", trimmed),
    ]),
    Param::opt("value", Ty::Str).checks(&[Check::Len(0, 255), Check::Chars(TAG_CHARS, tag_char)]).nullable(),
];
const TAG_ITEM: Param = Param::item(Ty::Obj(TAG));

const PORT_INFO: &[Param] = &[
    Param::opt("app_https_port", Ty::Int).checks(PORT),
    Param::opt("app_amqps_port", Ty::Int).checks(PORT),
    Param::opt("app_mqtts_port", Ty::Int).checks(PORT),
    Param::opt("device_coap_port", Ty::Int).checks(PORT),
    Param::opt("device_coaps_port", Ty::Int).checks(PORT),
    Param::opt("device_mqtt_port", Ty::Int).checks(PORT),
    Param::opt("device_mqtts_port", Ty::Int).checks(PORT),
    Param::opt("device_https_port", Ty::Int).checks(PORT),
];

const ADDITIONAL_PARAMS: &[Param] = &[
    Param::req("vpc_id", Ty::Str).checks(ID),
    Param::req("subnet_id", Ty::Str).checks(ID),
    Param::req("security_group_id", Ty::Str).checks(ID),
    Param::opt("smn_topic_urn", Ty::Str).checks(&[Check::Len(1, 512)]),
    Param::opt("ciphering_algorithm", Ty::Str).checks(&[Check::OneOf(&["COMMON_ALGORITHM", "SM_ALGORITHM"])]),
    Param::req("port_info", Ty::Obj(PORT_INFO)),
];

/// An instance id, as it appears in paths.
pub const INSTANCE_ID: &[Check] =
    &[Check::Len(1, 36), Check::Chars("lowercase letters a-f, digits and hyphens", eps_char)];

/// The statuses of an instance (ShowInstance's `status`). An order awaiting payment (TRADING) takes
/// changes as they are, but a wait for a new instance goes on until it is paid. There is no DELETING
/// status: a deleted instance is gone.
pub const STATUSES: Statuses = Statuses {
    member: "status",
    ready: &["ACTIVE", "TRADING"],
    busy: &["CREATING", "MODIFYING"],
    failed: &["FROZEN", "MODIFY_FAILED"],
    create_failed: &["FAILED"],
    going: &[],
    gone: &[],
};

/// The error codes of the IoTDA API. A missing instance is answered 403 `IOTDA.001000`; the API
/// throttles with 403 `IOTDA.021101`/`IOTDA.021102` besides the gateway's 429.
pub const ERRORS: Errors = Errors {
    invalid: Code::new(400, "IOTDA.000006"),
    not_found: &[Code::new(403, "IOTDA.001000"), Code::new(404, "IOTDA.001000")],
    busy: &[Code::new(400, "IOTDA.000007")],
    throttled: &[Code::new(403, "IOTDA.021101"), Code::new(403, "IOTDA.021102")],
    other: &[
        (Code::new(400, "IOTDA.000010"), "the instance's status does not allow the operation"),
        (Code::new(400, "IOTDA.000011"), "a yearly/monthly instance cannot be deleted through the API"),
    ],
};

const PREPAID: Is = Is::Str("prePaid");
const STANDARD: Is = Is::Str("standard");
const ENTERPRISE: Is = Is::Str("enterprise");

/// The create table's rules (Table 3 and Table 5).
const CREATE_RULES: &[BodyRule] = &[
    BodyRule::required_when("flavor.size", "instance_type", STANDARD),
    BodyRule::only_when("additional_params", "instance_type", ENTERPRISE),
    BodyRule::required_when("additional_params", "instance_type", ENTERPRISE),
    BodyRule::only_when("charge_info.is_auto_renew", "charge_info.charge_mode", PREPAID),
    BodyRule::only_when("charge_info.is_auto_pay", "charge_info.charge_mode", PREPAID),
    BodyRule::required_when("charge_info.period_type", "charge_info.charge_mode", PREPAID),
    BodyRule::only_when("charge_info.period_type", "charge_info.charge_mode", PREPAID),
    BodyRule::required_when("charge_info.period_num", "charge_info.charge_mode", PREPAID),
    BodyRule::only_when("charge_info.period_num", "charge_info.charge_mode", PREPAID),
    BodyRule::MaxWhen { field: "charge_info.period_num", max: 3, when: "charge_info.period_type", is: Is::Str("year") },
];

pub const CREATE: Op =
    op("CreateInstance", Method::Post, "/v5/iot/{project_id}/iotda-instances").rules(CREATE_RULES).body(&[
        Param::req("instance_type", Ty::Str).checks(&[Check::OneOf(INSTANCE_TYPES)]),
        Param::req("flavor", Ty::Obj(FLAVOR)),
        Param::req("name", Ty::Str).checks(NAME),
        Param::req("charge_info", Ty::Obj(CHARGE_INFO)),
        Param::opt("description", Ty::Str).checks(DESCRIPTION),
        Param::opt("enterprise_project_id", Ty::Str)
            .checks(&[Check::Len(1, 36), Check::Chars("lowercase letters a-f, digits and hyphens", eps_char)]),
        Param::opt("tags", Ty::List(&TAG_ITEM)).checks(&[Check::Items(0, MAX_TAGS)]),
        Param::opt("additional_params", Ty::Obj(ADDITIONAL_PARAMS)),
    ]);

/// Paging as the SDK's ListInstancesRequest states it: limit 1 to 500 (default 500), offset 0 to 500
/// (default 0), counted after the marker.
const LIMIT: Param = Param::opt("limit", Ty::Int).checks(&[Check::Range(1, 500)]).default(Given::Int(500));
const MARKER: Param = Param::opt("marker", Ty::Str).checks(&[Check::Len(1, 128)]);
const OFFSET: Param = Param::opt("offset", Ty::Int).checks(&[Check::Range(0, 500)]).default(Given::Int(0));

pub const LIST: Op = op("ListInstances", Method::Get, "/v5/iot/{project_id}/iotda-instances")
    .query(&[
        Param::opt("name", Ty::Str).checks(&[Check::Len(1, 64)]),
        Param::opt("instance_type", Ty::Str).checks(&[Check::OneOf(INSTANCE_TYPES)]),
        LIMIT,
        MARKER,
        OFFSET,
    ])
    // Unlike the task list, the instance list answers its marker at the top (the SDK's ListInstancesResponse).
    .list("instances", Paging::Marker { limit: 500, next: "marker" });
pub const SHOW: Op = op("ShowInstance", Method::Get, "/v5/iot/{project_id}/iotda-instances/{instance_id}");
pub const DELETE: Op = op("DeleteInstance", Method::Delete, "/v5/iot/{project_id}/iotda-instances/{instance_id}");
pub const TASKS: Op = op("ListInstanceTasks", Method::Get, "/v5/iot/{project_id}/iotda-instances/{instance_id}/tasks")
    .query(&[LIMIT, MARKER, OFFSET])
    .list("tasks", Paging::Marker { limit: 500, next: "page.marker" });

const START: &[Check] = &[Check::Pattern("a time of day in HH:mm format (00:00 to 23:59)", hh_mm)];
/// The show-instance document answers `"end_time": "24:00"`: a window may end at the end of the day.
const END: &[Check] = &[Check::Pattern("a time of day in HH:mm format (00:00 to 24:00)", hh_mm_end)];
const OPERATE_WINDOW: &[Param] =
    &[Param::req("start_time", Ty::Str).checks(START), Param::req("end_time", Ty::Str).checks(END)];
const ALLOW_ENTRY: Param = Param::item(Ty::Obj(&[
    Param::req("address", Ty::Str).checks(ID),
    Param::opt("description", Ty::Str).checks(&[Check::Len(0, 128)]),
]));
const IP_WHITELIST: &[Param] =
    &[Param::opt("enable", Ty::Bool), Param::opt("allow_list", Ty::List(&ALLOW_ENTRY)).checks(&[Check::Items(0, 100)])];
const ACCESS_INFO: &[Param] = &[
    Param::req("access_type", Ty::Str).checks(&[Check::OneOf(ACCESS_TYPES)]),
    Param::opt("domain_name", Ty::Str).checks(&[Check::Len(1, 255)]),
    Param::opt("public_addresses_enable", Ty::Bool),
    Param::opt("ip_whitelist", Ty::Obj(IP_WHITELIST)),
];

/// UpdateInstance: name, description, change window, SNAT, access settings.
pub const UPDATE: Op = op("UpdateInstance", Method::Put, "/v5/iot/{project_id}/iotda-instances/{instance_id}").body(&[
    Param::opt("name", Ty::Str).checks(NAME),
    Param::opt("description", Ty::Str).checks(DESCRIPTION),
    Param::opt("operate_window", Ty::Obj(OPERATE_WINDOW)),
    Param::opt("forwarding_info", Ty::Obj(&[Param::req("enable_snat", Ty::Bool)])),
    Param::opt("access_info", Ty::Obj(ACCESS_INFO)),
]);

pub const RESIZE: Op = op("ResizeInstance", Method::Post, "/v5/iot/{project_id}/iotda-instances/{instance_id}/resize")
    .body(&[Param::req("flavor", Ty::Obj(FLAVOR)), Param::opt("is_auto_pay", Ty::Bool), Param::opt("delay", Ty::Bool)]);

const TAGS: &[Param] = &[Param::req("tags", Ty::List(&TAG_ITEM)).checks(&[Check::Items(1, MAX_TAGS)])];
pub const BIND_TAGS: Op =
    op("BindInstanceTags", Method::Post, "/v5/iot/{project_id}/iotda-instances/{instance_id}/bind-tags").body(TAGS);
pub const UNBIND_TAGS: Op =
    op("UnbindInstanceTags", Method::Post, "/v5/iot/{project_id}/iotda-instances/{instance_id}/unbind-tags").body(TAGS);

/// Every operation of this file.
pub const OPS: &[&Op] = &[&CREATE, &LIST, &SHOW, &DELETE, &TASKS, &UPDATE, &RESIZE, &BIND_TAGS, &UNBIND_TAGS];
