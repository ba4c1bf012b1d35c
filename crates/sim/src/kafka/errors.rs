//! The Kafka service's error answers.

use std::fmt::Display;

use crate::request::{ApiRequest, Reply};

pub const INVALID: &str = "DMS.00400000";
pub const NOT_FOUND: &str = "DMS.00404022";
pub const BUSY: &str = "DMS.00400026";

pub fn invalid(e: impl Display) -> Reply {
    Reply::error(400, INVALID, format!("Invalid request parameters: {e}"))
}

pub fn not_found() -> Reply {
    Reply::error(404, NOT_FOUND, "The instance does not exist.")
}

/// 404: the object of the path (a user, a topic) does not exist on the instance.
pub fn missing(what: impl Display) -> Reply {
    Reply::error(404, NOT_FOUND, format!("{what} does not exist."))
}

/// An operation refused while another is in flight (`status` is the instance's).
pub fn busy(status: &str) -> Reply {
    Reply::error(400, BUSY, format!("The instance status {status} does not allow this operation now."))
}

/// Only the listed query parameters are accepted.
pub fn check_query(req: &ApiRequest, allowed: &[&str]) -> Result<(), Reply> {
    req.check_query(allowed).map_err(invalid)
}
