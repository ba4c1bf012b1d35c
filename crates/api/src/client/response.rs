//! A successful answer and its decoding into typed values.

use crate::client::error::ApiError;

/// A successful (2xx) answer.
#[derive(Clone, Debug)]
pub struct Response {
    /// The call answered: method and path as sent.
    pub method: &'static str,
    pub path: String,
    pub status: u16,
    /// The decoded JSON body; `Null` when the body was empty.
    pub body: serde_json::Value,
    pub request_id: Option<String>,
}

impl Response {
    /// The body as `T`: an answer that does not fit is a `Decode` error naming the call and the field.
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ApiError> {
        self.decode(self.body.clone(), "")
    }

    /// The body's member `key` as a list of `T`. An answer without that list (absent, null, not an
    /// array: an error body answered with 200, or `{}`) is a `Decode` error naming the call and the
    /// member, never an empty list: "nothing there" must be said by the service, not guessed.
    pub fn parse_list<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Vec<T>, ApiError> {
        match self.body.get(key) {
            Some(v @ serde_json::Value::Array(_)) => self.decode(v.clone(), key),
            other => {
                let found = match other {
                    None => "no such member".to_string(),
                    Some(v) => crate::contract::describe(v),
                };
                Err(self.unexpected(format!("expected the list {key:?}, found {found}")))
            }
        }
    }

    /// A `Decode` error for this answer; an error body answered with a 2xx status is quoted.
    pub fn unexpected(&self, what: impl std::fmt::Display) -> ApiError {
        let code = |k: &str| self.body.get(k).and_then(serde_json::Value::as_str).filter(|s| !s.is_empty());
        let quoted = match (code("error_code"), code("error_msg")) {
            (None, None) => String::new(),
            (c, m) => format!(" (the answer reads error_code {}, error_msg {:?})", c.unwrap_or("-"), m.unwrap_or("")),
        };
        ApiError::Decode {
            method: self.method,
            path: self.path.clone(),
            status: self.status,
            message: format!("{what}{quoted}"),
            request_id: self.request_id.clone(),
        }
    }

    fn decode<T: serde::de::DeserializeOwned>(&self, v: serde_json::Value, at: &str) -> Result<T, ApiError> {
        serde_json::from_value(v).map_err(|e| ApiError::Decode {
            method: self.method,
            path: self.path.clone(),
            status: self.status,
            message: if at.is_empty() { e.to_string() } else { format!("{at}: {e}") },
            request_id: self.request_id.clone(),
        })
    }
}
