//! The `timeouts { create, update, delete }` block every resource gets.

use std::time::Duration;

use tf_provider::value::ValueAny;

use super::value::{get, single};

/// Default operation timeouts of a resource.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub create: Duration,
    pub update: Duration,
    pub delete: Duration,
}

pub const OPERATIONS: [&str; 3] = ["create", "update", "delete"];

impl Timeouts {
    pub const fn minutes(create: u64, update: u64, delete: u64) -> Timeouts {
        Timeouts {
            create: Duration::from_secs(create * 60),
            update: Duration::from_secs(update * 60),
            delete: Duration::from_secs(delete * 60),
        }
    }

    /// The timeout of `op` for a resource whose state (or config) is `obj`.
    pub fn for_op(&self, obj: &ValueAny, op: &str) -> Duration {
        let default = match op {
            "create" => self.create,
            "update" => self.update,
            _ => self.delete,
        };
        match get(single(get(obj, "timeouts")), op) {
            ValueAny::String(s) => parse_duration(s).unwrap_or(default),
            _ => default,
        }
    }
}

/// Parses Go-style durations: a sequence of `<number><unit>` with units h, m, s (e.g. `1h30m`, `90s`).
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let err = || format!("{s:?} is not a duration such as \"30s\", \"10m\" or \"1h30m\"");
    if s.is_empty() {
        return Err(err());
    }
    let mut total = 0u64;
    let mut digits = String::new();
    for ch in s.chars() {
        if ch.is_ascii_digit() {
            digits.push(ch);
            continue;
        }
        let n: u64 = digits.parse().map_err(|_| err())?;
        digits.clear();
        total += n * match ch {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(err()),
        };
    }
    if !digits.is_empty() || total == 0 {
        return Err(err());
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        for bad in ["", "10", "5x", "m", "0s", "1.5h"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}
