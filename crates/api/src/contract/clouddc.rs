//! CloudDC iMetal instances: "Creating an Instance" and the SDK's change-IP, password and reinstall models.

use super::check::Check;
use super::facts::{Code, Errors, Statuses};
use super::op::{Op, Paging};
use super::param::{Given, Param, Ty};
use super::rule::BodyRule;
use crate::service::{Method, Service};

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op::new(name, Service::Clouddc, method, path)
}

/// Characters besides letters and digits a password may contain.
pub const PASSWORD_SPECIALS: &str = "!@$%^-_=+[{}]:,./?";
/// Administrator accounts (Linux, Windows): a password may contain neither, nor either reversed.
const ADMIN_USERS: [&str; 2] = ["root", "administrator"];
pub const MAX_METADATA: usize = 10;

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_-.".contains(c)
}
fn metadata_key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " -_:.".contains(c)
}
fn is_ipv4(s: &str) -> bool {
    s.parse::<std::net::Ipv4Addr>().is_ok()
}
/// A lowercase UUID such as `0198170e-4ca7-7ee4-89a7-fa631843920b` (instance ids).
pub fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)))
}

/// Why a password breaks the documented rules, every reason, never echoing the password.
pub fn password_problem(password: &str) -> Option<String> {
    let mut out = Vec::new();
    let n = password.chars().count();
    if !(8..=26).contains(&n) {
        out.push(format!("must be 8 to 26 characters long, got {n}"));
    }
    if password.chars().any(|c| !c.is_ascii_alphanumeric() && !PASSWORD_SPECIALS.contains(c)) {
        out.push(format!("may only contain letters, digits and {PASSWORD_SPECIALS}; it contains another character"));
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| PASSWORD_SPECIALS.contains(c)),
    ];
    if classes.iter().filter(|c| **c).count() < 3 {
        let kinds = "uppercase letters, lowercase letters, digits, special characters";
        out.push(format!("must contain at least three of: {kinds} ({PASSWORD_SPECIALS})"));
    }
    let lower = password.to_lowercase();
    for user in ADMIN_USERS {
        let reversed: String = user.chars().rev().collect();
        if lower.contains(user) || lower.contains(&reversed) {
            out.push(format!("must not contain the administrator name {user:?} or {reversed:?} (in any letter case)"));
        }
    }
    (!out.is_empty()).then(|| out.join("; "))
}

pub const ID: &[Check] = &[Check::Len(1, 64)];
const PASSWORD: &[Check] = &[Check::Rule(
    "8 to 26 characters with at least three of uppercase letters, lowercase letters, digits and the special \
characters `!@$%^-_=+[{}]:,./?`, containing neither administrator name (`root`, `administrator`) nor either reversed \
(in any letter case)",
    password_problem,
)];
const IPV4: &[Check] = &[Check::Pattern("an IPv4 address such as 192.168.0.10", is_ipv4)];
/// An instance id, as it appears in paths.
pub const INSTANCE_ID: &[Check] =
    &[Check::Pattern("a lowercase UUID such as 0198170e-4ca7-7ee4-89a7-fa631843920b", is_uuid)];

const NIC: Param = Param::item(Ty::Obj(&[
    Param::req("subnet_id", Ty::Str).checks(ID),
    Param::opt("ipv4_address", Ty::Str).checks(IPV4),
]));

pub const CREATE: Op = op("CreateInstance", Method::Post, "/v1/{project_id}/instances")
    .rules(&[BodyRule::Distinct("network_interfaces", "ipv4_address")])
    .body(&[
        Param::req("name", Ty::Str).checks(&[
            Check::Len(1, 63),
            Check::Chars("letters, digits, underscores (_), hyphens (-) and periods (.)", name_char),
        ]),
        Param::req("image_id", Ty::Str).checks(ID),
        Param::req("vpc_id", Ty::Str).checks(ID),
        Param::req("network_interfaces", Ty::List(&NIC)).checks(&[Check::Items(1, 2)]),
        Param::req("password", Ty::Str).checks(PASSWORD),
        Param::opt(
            "metadata",
            Ty::Map {
                keys: &[Check::Len(1, 255), Check::Chars("letters, digits, spaces and -_:.", metadata_key_char)],
                values: &[Check::Len(0, 255)],
            },
        )
        .checks(&[Check::Items(0, MAX_METADATA)]),
        Param::opt("description", Ty::Str).checks(&[Check::Len(0, 255)]),
        Param::opt("placement", Ty::Obj(&[Param::req("server_id", Ty::Str).checks(ID)])),
    ]);

/// The states of an instance (the list's and ShowInstanceStatus's `state`). A terminated instance
/// stays listed for a while: it is as good as gone.
pub const STATUSES: Statuses = Statuses {
    member: "state",
    ready: &["running", "stopped"],
    busy: &["pending", "stopping", "reinstalling"],
    failed: &["error", "failed"],
    create_failed: &[],
    going: &["shutting-down"],
    gone: &["terminated"],
};

/// The error codes of the CloudDC API. The documents give no code for "busy": any 409 is taken as it.
pub const ERRORS: Errors = Errors {
    invalid: Code::new(400, "iMetal.0001"),
    not_found: &[Code::new(404, "")],
    busy: &[Code::new(409, "")],
    throttled: &[],
    other: &[
        (Code::new(400, "iMetal.0002"), "a mandatory parameter is missing"),
        (Code::new(400, "iMetal.0101"), "the placement server is not ready"),
        (Code::new(404, "iMetal.0200"), "the instance does not exist"),
        (Code::new(409, "iMetal.0201"), "the instance's state does not allow the operation now"),
        (Code::new(400, "iMetal.0202"), "the IP address is already in use"),
    ],
};

/// GET: the list (filters: state, instance_id, server_id; paged by marker): limit 1 to 1000
/// (default 10), as the SDK's ListInstancesRequest states it.
pub const LIST: Op = op("ListInstances", Method::Get, "/v1/{project_id}/instances")
    .query(&[
        Param::opt("limit", Ty::Int).checks(&[Check::Range(1, 1000)]).default(Given::Int(10)),
        Param::opt("instance_state", Ty::Str)
            .checks(&[Check::Rule("a state of the status table", |s| STATUSES.refuse(s))]),
        Param::opt("server_id", Ty::Str).checks(ID),
        // One id, or several separated by commas.
        Param::opt("instance_id", Ty::Str).checks(&[Check::Len(1, 4096)]),
        Param::opt("marker", Ty::Str).checks(ID),
    ])
    .list("instances", Paging::Marker { limit: 1000, next: "page_info.next_marker" });

pub const STATUS: Op = op("ShowInstanceStatus", Method::Get, "/v1/{project_id}/instances/{instance_id}/status");
pub const DELETE: Op = op("DeleteInstance", Method::Delete, "/v1/{project_id}/instances/{instance_id}");

fn ipv4_or_empty(s: &str) -> bool {
    s.is_empty() || is_ipv4(s)
}
const IP_NIC: Param = Param::item(Ty::Obj(&[
    Param::req("subnet_id", Ty::Str).checks(ID),
    Param::opt("ip_address", Ty::Str).checks(&[Check::Pattern("an IPv4 address or empty", ipv4_or_empty)]),
]));
pub const CHANGE_IP: Op = op("ChangeInstanceIp", Method::Put, "/v1/{project_id}/instances/{instance_id}/ip").body(&[
    Param::req("vpc_id", Ty::Str).checks(ID),
    Param::req("nics", Ty::List(&IP_NIC)).checks(&[Check::Items(1, 2)]),
]);

const INSTANCE_ID_ITEM: Param = Param::item(Ty::Str).checks(ID);
pub const CHANGE_PASSWORD: Op =
    op("ChangeInstancesPassword", Method::Put, "/v1/{project_id}/instances/password").batch("instance_id_set").body(&[
        Param::req("new_password", Ty::Str).checks(PASSWORD),
        Param::req("instance_id_set", Ty::List(&INSTANCE_ID_ITEM)).checks(&[Check::Items(1, 100)]),
    ]);

/// The SDK's ReinstallOSOptions: at most 10 instances.
pub const REINSTALL: Op =
    op("ReinstallInstances", Method::Put, "/v1/{project_id}/instances/reinstall").batch("instance_id_set").body(&[
        Param::opt("image_id", Ty::Str).checks(ID),
        Param::req("password", Ty::Str).checks(PASSWORD),
        Param::req("instance_id_set", Ty::List(&INSTANCE_ID_ITEM)).checks(&[Check::Items(1, 10)]),
    ]);

/// Every operation of this file.
pub const OPS: &[&Op] = &[&CREATE, &LIST, &STATUS, &DELETE, &CHANGE_IP, &CHANGE_PASSWORD, &REINSTALL];
