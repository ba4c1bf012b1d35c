//! IAM: the one call the client makes, the project lookup ("Querying Project Information Based on
//! Specified Criteria", the SDK's KeystoneListProjects) that turns the region into the project id.

use super::check::Check;
use super::op::Op;
use super::param::{Param, Ty};
use crate::service::{Method, Service};

const fn op(name: &'static str, method: Method, path: &'static str) -> Op {
    Op::new(name, Service::Iam, method, path)
}

/// GET: the projects of the account; the client asks for the one named after its region.
pub const LIST_PROJECTS: Op =
    op("KeystoneListProjects", Method::Get, "/v3/projects")
        .query(&[Param::opt("name", Ty::Str).checks(&[Check::Len(1, 64)])]);

/// Every operation of this file.
pub const OPS: &[&Op] = &[&LIST_PROJECTS];
