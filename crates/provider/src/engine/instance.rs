//! Instances as the hooks report them: a new one, and a live one found by its identity (with the
//! services' creation times read as RFC 3339).

use serde_json::Value as Json;

/// A new instance: its id and the create call's whole answer.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub answer: Json,
}

/// A live instance found by its identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: String,
    pub status: String,
    /// The creation time as shown to users (RFC 3339 where the service's form could be read).
    pub created: String,
    pub created_at: Option<std::time::SystemTime>,
}

impl Existing {
    /// An instance as a list shows it; what the entry lacks reads "unknown". `created` is the service's
    /// creation time: RFC 3339 text, or milliseconds since the Unix epoch (as text or a number).
    pub fn listed(id: String, status: Option<String>, created: Option<&Json>) -> Existing {
        let created_at = created.and_then(parse_time);
        let created = match (created_at, created) {
            (Some(t), _) => rfc3339(t),
            (None, Some(Json::String(s))) => s.clone(),
            (None, Some(other)) if !other.is_null() => other.to_string(),
            _ => "unknown".to_string(),
        };
        Existing { id, status: status.unwrap_or_else(|| "unknown".to_string()), created, created_at }
    }
}

/// A creation time as the services give it: epoch milliseconds (a number or digits) or RFC 3339 text
/// (`2023-01-28T06:57:52Z`, `2025-03-20T02:48:06+00:00`, also with a space for the `T`).
pub fn parse_time(v: &Json) -> Option<std::time::SystemTime> {
    // Beyond year 9999 (a value in micro- or nanoseconds, a garbled one) is no creation time.
    let from_ms = |ms: u64| {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
        (t.year() <= 9999).then(|| t.into())
    };
    match v {
        Json::Number(n) => from_ms(n.as_u64()?),
        Json::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => from_ms(s.parse().ok()?),
        Json::String(s) => {
            let rfc = time::format_description::well_known::Rfc3339;
            let t = time::OffsetDateTime::parse(s, &rfc)
                .or_else(|_| time::OffsetDateTime::parse(&s.replacen(' ', "T", 1), &rfc))
                .ok()?;
            (t.year() >= 1970).then(|| t.into())
        }
        _ => None,
    }
}

/// `2023-01-28T06:57:52Z` (a time out of the calendar's range reads as its seconds since the epoch).
pub fn rfc3339(t: std::time::SystemTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let secs = t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let formatted = i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&fmt).ok());
    formatted.unwrap_or_else(|| format!("{secs} s after the epoch"))
}

impl std::fmt::Display for Existing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (status {}, created {})", self.id, self.status, self.created)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn creation_times_in_the_services_forms_read_as_rfc3339() {
        let at = |v: Json| Existing::listed("i".into(), None, Some(&v));
        for v in [
            serde_json::json!("1700000000000"),
            serde_json::json!(1_700_000_000_000u64),
            serde_json::json!("2023-11-14T22:13:20Z"),
            serde_json::json!("2023-11-14T22:13:20+00:00"),
            serde_json::json!("2023-11-14 22:13:20Z"),
        ] {
            let e = at(v.clone());
            assert_eq!(e.created, "2023-11-14T22:13:20Z", "{v}");
            let expected = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            assert_eq!(e.created_at, Some(expected), "{v}");
        }
        // Microseconds, nanoseconds, garbage: no time (and no panic).
        for v in [
            serde_json::json!(1_700_000_000_000_000u64),
            serde_json::json!(u64::MAX),
            serde_json::json!("9".repeat(30)),
        ] {
            assert_eq!(at(v.clone()).created_at, None, "{v}");
        }
        let odd = at(serde_json::json!("yesterday"));
        assert_eq!((odd.created.as_str(), odd.created_at), ("yesterday", None));
        let none = Existing::listed("i".into(), None, None);
        assert_eq!((none.created.as_str(), none.status.as_str()), ("unknown", "unknown"));
    }
}
