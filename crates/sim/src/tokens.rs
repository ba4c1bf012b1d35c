//! Temporary credentials IAM issues for an agency (`iam::ASSUME_AGENCY`): random keys and a security
//! token, valid until an expiry on the simulated clock. A lifetime cap (`--token-lifetime-cap-ms`,
//! `token_lifetime_cap_ms`) grants less than asked, as IAM may, so that tests can make them short.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use time::macros::format_description;
use time::OffsetDateTime;

use crate::util::lock;

/// One set of temporary credentials.
#[derive(Clone)]
pub struct Issued {
    pub secret: String,
    pub token: String,
    pub expires: SystemTime,
}

/// Every temporary credential issued, by access key, and the lifetime cap.
#[derive(Default)]
pub struct Tokens {
    issued: Mutex<HashMap<String, Issued>>,
    /// The longest lifetime granted, in milliseconds (0: what is asked).
    cap_ms: AtomicU64,
}

/// What a temporary access key may do now.
pub enum Standing {
    /// Not a temporary access key.
    Unknown,
    Valid(Issued),
    /// Issued, and expired: still checked for its token and signature before it is called expired.
    Expired(Issued),
}

/// `n` random characters of `alphabet`.
fn random(alphabet: &[u8], n: usize) -> String {
    (0..n).map(|_| alphabet[fastrand::usize(..alphabet.len())] as char).collect()
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const MIXED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Tokens {
    pub fn new(cap: Option<Duration>) -> Tokens {
        let tokens = Tokens::default();
        tokens.set_cap(cap.unwrap_or_default());
        tokens
    }

    pub fn cap(&self) -> Duration {
        Duration::from_millis(self.cap_ms.load(Ordering::Relaxed))
    }

    /// Grant at most `cap` from now on (zero: what is asked).
    pub fn set_cap(&self, cap: Duration) {
        self.cap_ms.store(u64::try_from(cap.as_millis()).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// New credentials valid for `asked` (or the cap, if shorter) from `now`: (access key, credentials).
    pub fn issue(&self, now: SystemTime, asked: Duration) -> (String, Issued) {
        let cap = self.cap();
        let lifetime = if cap.is_zero() { asked } else { asked.min(cap) };
        let access = random(UPPER, 20);
        let issued = Issued { secret: random(MIXED, 40), token: random(MIXED, 160), expires: now + lifetime };
        lock(&self.issued).insert(access.clone(), issued.clone());
        (access, issued)
    }

    /// Every credential issued, oldest expiry first: access key, expiry, and its secret key and token
    /// as the admin API shows a secret.
    pub fn list(&self) -> Vec<serde_json::Value> {
        let issued = lock(&self.issued);
        let mut all: Vec<(&String, &Issued)> = issued.iter().collect();
        all.sort_by_key(|(ak, i)| (i.expires, ak.to_string()));
        let shown = |(ak, i): (&String, &Issued)| {
            serde_json::json!({
                "access_key": ak, "expires_at": expires_at(i.expires),
                "secret": crate::redact::redacted(&i.secret), "securitytoken": crate::redact::redacted(&i.token),
            })
        };
        all.into_iter().map(shown).collect()
    }

    /// The standing of `access` at `now`.
    pub fn standing(&self, access: &str, now: SystemTime) -> Standing {
        match lock(&self.issued).get(access) {
            None => Standing::Unknown,
            Some(i) if now >= i.expires => Standing::Expired(i.clone()),
            Some(i) => Standing::Valid(i.clone()),
        }
    }
}

/// `2026-12-04T21:02:03.123000Z`, as IAM writes `expires_at`.
pub fn expires_at(t: SystemTime) -> String {
    let fmt = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");
    OffsetDateTime::from(t).format(&fmt).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_expire_at_the_asked_or_capped_lifetime() {
        let tokens = Tokens::new(None);
        let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let (ak, issued) = tokens.issue(t0, Duration::from_secs(900));
        assert_eq!((ak.len(), issued.secret.len()), (20, 40));
        assert!(matches!(tokens.standing(&ak, t0 + Duration::from_secs(899)), Standing::Valid(_)));
        assert!(matches!(tokens.standing(&ak, t0 + Duration::from_secs(900)), Standing::Expired(_)));
        assert!(matches!(tokens.standing("OTHER", t0), Standing::Unknown));
        tokens.set_cap(Duration::from_secs(5));
        let (_, short) = tokens.issue(t0, Duration::from_secs(900));
        assert_eq!(short.expires, t0 + Duration::from_secs(5));
        assert_eq!(expires_at(t0 + Duration::from_millis(123)), "2027-01-15T08:00:00.123000Z");
    }
}
