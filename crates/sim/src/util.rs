//! Small helpers: identifiers and timestamps.

use std::sync::{Mutex, MutexGuard};
use std::time::SystemTime;

use time::macros::format_description;
use time::OffsetDateTime;

/// `n` random lowercase hex digits.
pub fn hex(n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdef";
    (0..n).map(|_| DIGITS[fastrand::usize(..16)] as char).collect()
}

/// A random request id (32 hex digits), as sent in `X-Request-Id`.
pub fn request_id() -> String {
    hex(32)
}

/// A random UUID-shaped id (8-4-4-4-12 lowercase hex).
pub fn uuid() -> String {
    format!("{}-{}-4{}-{}{}-{}", hex(8), hex(4), hex(3), ["8", "9", "a", "b"][fastrand::usize(..4)], hex(3), hex(12))
}

/// `2023-01-28T06:57:52Z`-style UTC time.
pub fn utc(t: SystemTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    OffsetDateTime::from(t).format(&fmt).unwrap_or_default()
}

/// `2023-01-28T06:57:52.123Z`-style UTC time (task timestamps).
pub fn utc_millis(t: SystemTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    OffsetDateTime::from(t).format(&fmt).unwrap_or_default()
}

/// A billing order id such as `CS2501021430ABCDE`.
pub fn order_id(t: SystemTime) -> String {
    let fmt = format_description!("[year repr:last_two][month][day][hour][minute]");
    let stamp = OffsetDateTime::from(t).format(&fmt).unwrap_or_default();
    let tail: String = (0..5).map(|_| fastrand::uppercase()).collect();
    format!("CS{stamp}{tail}")
}

/// Lock a mutex, ignoring poisoning (a panicked handler must not wedge the simulator).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn formats() {
        let t = UNIX_EPOCH + Duration::from_millis(1_674_888_872_123);
        assert_eq!(utc(t), "2023-01-28T06:54:32Z");
        assert_eq!(utc_millis(t), "2023-01-28T06:54:32.123Z");
        assert!(order_id(t).starts_with("CS2301280654"));
        let id = uuid();
        assert_eq!(id.len(), 36);
        assert!(id.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }
}
