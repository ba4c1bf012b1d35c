//! IAM: the project lookup ("Querying Project Information Based on Specified Criteria", the SDK's
//! KeystoneListProjects) that turns the region into the project id, and the temporary credentials of
//! an agency ("Obtaining Temporary Access Keys and Security Tokens of an Agency", the SDK's
//! CreateTemporaryAccessKeyByAgency) that `assume_role` signs every other call with.

use super::check::Check;
use super::op::Op;
use super::param::{Given, Param, Ty};
use super::rule::BodyRule;
use crate::service::{Method, Service};

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op::new(name, Service::Iam, method, path)
}

/// GET: the projects of the account; the client asks for the one named after its region.
pub const LIST_PROJECTS: Op =
    op("KeystoneListProjects", Method::Get, "/v3/projects")
        .query(&[Param::opt("name", Ty::Str).checks(&[Check::Len(1, 64)])]);

/// The one authentication method of the agency call.
pub const ASSUME_ROLE_METHOD: &str = "assume_role";

/// How long the temporary credentials may be valid, in seconds: 15 minutes to 24 hours.
pub const DURATION_SECONDS: Check = Check::Range(900, 86_400);
/// What IAM grants when `duration_seconds` is left out: 15 minutes.
pub const DEFAULT_DURATION_SECONDS: i64 = 900;

/// `auth.identity.assume_role`: the delegating account (by id or by name, at least one) and its agency.
const ASSUME_ROLE: &[Param] = &[
    // An agency's name has at most 64 characters ("Creating an Agency").
    Param::req("agency_name", Ty::Str).checks(&[Check::Len(1, 64)]),
    Param::opt("domain_id", Ty::Str).checks(&[Check::Len(1, 64)]),
    Param::opt("domain_name", Ty::Str).checks(&[Check::Len(1, 64)]),
    Param::opt("duration_seconds", Ty::Int).checks(&[DURATION_SECONDS]).default(Given::Int(DEFAULT_DURATION_SECONDS)),
];

const METHOD: Param = Param::item(Ty::Str).checks(&[Check::OneOf(&[ASSUME_ROLE_METHOD])]);

const IDENTITY: &[Param] = &[
    Param::req("methods", Ty::List(&METHOD)).checks(&[Check::Items(1, 1)]),
    Param::req("assume_role", Ty::Obj(ASSUME_ROLE)),
];

const AUTH: &[Param] = &[Param::req("identity", Ty::Obj(IDENTITY))];

/// The members of `auth.identity.assume_role`, from the top of the body.
pub const DOMAIN_ID: &str = "auth.identity.assume_role.domain_id";
pub const DOMAIN_NAME: &str = "auth.identity.assume_role.domain_name";
pub const DURATION: &str = "auth.identity.assume_role.duration_seconds";

/// POST: temporary credentials of an agency, signed with the caller's own keys. Answered 201 with
/// `{"credential": {"access", "secret", "securitytoken", "expires_at"}}` (`expires_at` in UTC, e.g.
/// `2026-12-04T21:02:03.123000Z`), valid until then, which may be sooner than asked: the credentials
/// sign requests as any keys do, with the token in `X-Security-Token`.
pub const ASSUME_AGENCY: Op =
    op("CreateTemporaryAccessKeyByAgency", Method::Post, "/v3.0/OS-CREDENTIAL/securitytokens")
        .body(&[Param::req("auth", Ty::Obj(AUTH))])
        .rules(&[BodyRule::AnyOf(DOMAIN_ID, DOMAIN_NAME)]);

/// The members of the answer's `credential` object.
pub const CREDENTIAL: [&str; 4] = ["access", "secret", "securitytoken", "expires_at"];

/// Every operation of this file.
pub const OPS: &[&Op] = &[&LIST_PROJECTS, &ASSUME_AGENCY];
