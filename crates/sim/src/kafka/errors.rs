//! The Kafka service's error answers, with the codes of the contract (`hwapi::contract::kafka::ERRORS`).

use std::fmt::Display;

use hwapi::contract::kafka::ERRORS;

use crate::request::Reply;

pub fn invalid(e: impl Display) -> Reply {
    Reply::error(ERRORS.invalid.status, ERRORS.invalid.code, format!("Invalid request parameters: {e}"))
}

pub fn not_found() -> Reply {
    missing("The instance")
}

/// 404: the object of the path (the instance, a user, a topic) does not exist.
pub fn missing(what: impl Display) -> Reply {
    let code = ERRORS.not_found[0];
    Reply::error(code.status, code.code, format!("{what} does not exist."))
}

/// An operation refused while another is in flight (`status` is the instance's).
pub fn busy(status: &str) -> Reply {
    let code = ERRORS.busy[0];
    Reply::error(code.status, code.code, format!("The instance status {status} does not allow this operation now."))
}

/// A change refused while another change of a RUNNING instance (an access switch) takes effect.
pub fn changing() -> Reply {
    let code = ERRORS.busy[0];
    Reply::error(
        code.status,
        code.code,
        "A change of the instance is still in progress; retry when it is done.".to_string(),
    )
}
