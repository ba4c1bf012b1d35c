//! The failures of a lifecycle step, and the errors built from an answer that does not fit.

use std::time::Duration;

use serde_json::Value as Json;

use super::reading::Garbled;
use crate::client::ApiError;
use crate::waiter::WaitError;
use hwapi::contract::Op;

/// Failures of a lifecycle step.
#[derive(Debug)]
pub enum Error {
    Api(ApiError),
    Wait(WaitError),
    Message(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::Wait(e) => write!(f, "{e}"),
            Error::Message(m) => f.write_str(m),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(e)
    }
}

impl From<WaitError> for Error {
    fn from(e: WaitError) -> Self {
        match e {
            WaitError::Api(e) => Error::Api(e),
            other => Error::Wait(other),
        }
    }
}

/// An answer of `op` whose member does not fit its attribute, as an error naming the call.
pub(crate) fn garbled(op: &Op, g: Garbled) -> Error {
    Error::Message(format!("{}: {g}", op.label()))
}

/// The string member `key` of entry `i` of a list `op` answered; an entry without it is a garbled
/// answer, never an entry to skip.
pub fn listed_member(op: &Op, i: usize, item: &Json, key: &str) -> Result<String, Error> {
    match item.get(key).and_then(Json::as_str) {
        Some(v) => Ok(v.to_string()),
        None => Err(Error::Message(format!("{}: entry {i} of the list has no string {key}", op.label()))),
    }
}

/// A timed-out wait says which timeout ran out and how to raise it.
pub(super) fn with_timeout_hint(e: Error, op: &str, timeout: Duration) -> Error {
    match e {
        Error::Wait(w @ WaitError::Timeout { .. }) => Error::Message(format!(
            "{w}; the {op} timeout is {}s: raise it with timeouts {{ {op} = \"...\" }}",
            timeout.as_secs_f64()
        )),
        other => other,
    }
}
