//! The `timeouts { create, update, delete }` block every resource gets.

use std::time::Duration;

use tfplugin::framework::TfValue;

use super::value::{get, single};

/// Default operation timeouts of a resource.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub create: Duration,
    /// A refresh, or a data source's read.
    pub read: Duration,
    pub update: Duration,
    pub delete: Duration,
}

/// The operations of a resource's `timeouts` block, in the order the docs show them.
pub const OPERATIONS: [&str; 4] = ["create", "read", "update", "delete"];

/// How long a read (a refresh of one resource, a data source) may take unless `timeouts { read }` says.
pub const DEFAULT_READ: Duration = Duration::from_secs(300);

/// The longest timeout accepted: no operation of these services takes a week.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(7 * 24 * 3600);

impl Timeouts {
    /// Create, update and delete timeouts in minutes; reads get [`DEFAULT_READ`].
    pub const fn minutes(create: u64, update: u64, delete: u64) -> Timeouts {
        Timeouts {
            create: Duration::from_secs(create * 60),
            read: DEFAULT_READ,
            update: Duration::from_secs(update * 60),
            delete: Duration::from_secs(delete * 60),
        }
    }

    /// The default of `op`.
    pub fn default_of(&self, op: &str) -> Duration {
        match op {
            "create" => self.create,
            "read" => self.read,
            "update" => self.update,
            _ => self.delete,
        }
    }

    /// The timeout of `op` for a resource whose state (or config) is `obj`; `Err` says why the
    /// configured value is not a valid timeout.
    pub fn for_op(&self, obj: &TfValue, op: &str) -> Result<Duration, String> {
        match get(single(get(obj, "timeouts")), op) {
            TfValue::String(s) => parse_duration(s).map_err(|e| format!("timeouts.{op}: {e}")),
            _ => Ok(self.default_of(op)),
        }
    }
}

/// Parses Terraform's (Go's) duration syntax: an optional sign, then one or more `<decimal><unit>`
/// with units `ns`, `us` (`µs`), `ms`, `s`, `m`, `h`, e.g. `1h30m`, `1.5h`, `300ms`, `45s`.
/// Negative, zero and values over [`MAX_TIMEOUT`] are refused; no arithmetic here can overflow.
/// (Written by hand: the common crates read `1h 30m` but not Go's fractions such as `1.5h`.)
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let syntax = || format!("{s:?} is not a duration such as \"45s\", \"10m\", \"1h30m\" or \"1.5h\"");
    let (negative, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest.is_empty() {
        return Err(syntax());
    }
    // Nanoseconds, capped: anything past the cap is refused anyway.
    const CAP: u128 = MAX_TIMEOUT.as_nanos() + 1;
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_len);
        let unit_len = after.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return Err(syntax());
        }
        let unit_nanos: u128 = match unit {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return Err(syntax()),
        };
        // Digits beyond these carry nothing a timeout could use.
        let whole = whole.trim_start_matches('0');
        let whole: u128 = whole.chars().take(24).fold(0, |n, d| n * 10 + u128::from(d as u8 - b'0'));
        let mut value = whole.saturating_mul(unit_nanos);
        let mut scale = unit_nanos;
        for d in fraction.chars().take(24) {
            scale /= 10;
            value = value.saturating_add(u128::from(d as u8 - b'0') * scale);
        }
        total = total.saturating_add(value).min(CAP);
        rest = next;
    }
    if negative && total > 0 {
        return Err(format!("{s:?} is negative; a timeout must be positive"));
    }
    if total == 0 {
        return Err(format!("{s:?} is zero; a timeout must be positive"));
    }
    if total >= CAP {
        return Err(format!("{s:?} is more than {} days, the longest timeout accepted", MAX_TIMEOUT.as_secs() / 86400));
    }
    Ok(Duration::from_nanos(total as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_duration_syntax() {
        let ok = [
            ("90s", 90_000),
            ("1h30m", 5_400_000),
            ("10m", 600_000),
            ("1.5h", 5_400_000),
            ("300ms", 300),
            ("45s", 45_000),
            ("+2m", 120_000),
            ("1m0.5s", 60_500),
            (".5s", 500),
            ("2.s", 2_000),
            ("1500us", 1),
            ("168h", 604_800_000),
            ("0000000000000000000000000000001h", 3_600_000),
        ];
        for (text, ms) in ok {
            assert_eq!(parse_duration(text).map(|d| d.as_millis()), Ok(ms), "{text}");
        }
        assert_eq!(parse_duration("1µs"), Ok(Duration::from_micros(1)));
    }

    #[test]
    fn refuses_bad_syntax_zero_negative_and_absurd_values_without_overflow() {
        for (bad, why) in [
            ("", "not a duration"),
            ("10", "not a duration"),
            ("5x", "not a duration"),
            ("m", "not a duration"),
            ("1..5h", "not a duration"),
            ("1h 30m", "not a duration"),
            (".h", "not a duration"),
            ("0s", "zero"),
            ("0.0h", "zero"),
            ("-5m", "negative"),
            ("168h1ns", "more than 7 days"),
            ("18446744073709551615s", "more than 7 days"),
            ("9999999999999999h", "more than 7 days"),
            ("99999999999999999999999999999999999999999999999999h", "more than 7 days"),
            ("1e3s", "not a duration"),
        ] {
            let err = parse_duration(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
    }

    #[test]
    fn an_invalid_configured_timeout_is_an_error_naming_the_operation() {
        let t = Timeouts::minutes(30, 20, 10);
        let obj = |v: &str| {
            let timeouts = TfValue::Map([("delete".to_string(), TfValue::String(v.into()))].into());
            TfValue::Map([("timeouts".to_string(), timeouts)].into())
        };
        assert_eq!(t.for_op(&obj("1.5h"), "delete"), Ok(Duration::from_secs(5400)));
        assert_eq!(t.for_op(&obj("1.5h"), "create"), Ok(Duration::from_secs(1800)));
        assert!(t.for_op(&obj("-1s"), "delete").unwrap_err().starts_with("timeouts.delete: "));
    }
}
