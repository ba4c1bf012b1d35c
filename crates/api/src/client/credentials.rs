//! The keys that sign a call, and the temporary credentials of an IAM agency (`assume_role`) shared by
//! every caller: renewed when due, one renewal at a time, the other callers waiting for its answer.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

use crate::client::error::ApiError;

/// An access key, its secret key and the security token of temporary keys. `Debug` shows the
/// access key only.
pub(crate) struct Keys {
    pub access: String,
    pub secret: String,
    pub token: Option<String>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("access", &self.access)
            .field("secret", &"<redacted>")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// Credentials are renewed this long before they expire, or half their lifetime before when they
/// were granted for less than twice as long.
pub const RENEW_MARGIN: Duration = Duration::from_secs(5 * 60);

/// Are credentials obtained at `obtained` and valid until `valid_until` to be renewed at `now`? From
/// `RENEW_MARGIN` (or half their lifetime, when short) before they expire.
pub fn renewal_due(now: Instant, obtained: Instant, valid_until: Instant) -> bool {
    let lifetime = valid_until.saturating_duration_since(obtained);
    now + RENEW_MARGIN.min(lifetime / 2) >= valid_until
}

/// Credentials whose renewal failed still sign calls until this long before they expire: an IAM hiccup
/// in the renewal window does not fail calls that the current credentials can still make.
pub const EXPIRY_SAFETY: Duration = Duration::from_secs(30);

/// Temporary credentials and how long they serve, by the monotonic clock.
pub(crate) struct Issued {
    pub keys: Arc<Keys>,
    pub obtained: Instant,
    pub valid_until: Instant,
}

#[derive(Default)]
struct State {
    current: Option<Issued>,
    /// How many times credentials were asked for, and the last failure (kept for the callers that
    /// waited for that attempt).
    attempts: u64,
    failure: Option<ApiError>,
}

/// The shared temporary credentials of one client.
#[derive(Default)]
pub(crate) struct Assumed {
    state: Mutex<State>,
    renewing: tokio::sync::Mutex<()>,
}

impl Assumed {
    /// The current credentials, obtained first when there are none, they are due for renewal, or they
    /// are `stale` (refused by the gateway). One caller obtains them; the callers that waited meanwhile
    /// take its answer, a failure included.
    pub async fn get<F, Fut>(&self, stale: Option<&Arc<Keys>>, obtain: F) -> Result<Arc<Keys>, ApiError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Issued, ApiError>>,
    {
        let usable = |state: &State| {
            let c = state.current.as_ref()?;
            let fresh = !renewal_due(Instant::now(), c.obtained, c.valid_until);
            (fresh && stale.is_none_or(|s| !Arc::ptr_eq(s, &c.keys))).then(|| c.keys.clone())
        };
        let seen = {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(keys) = usable(&state) {
                return Ok(keys);
            }
            state.attempts
        };
        let _renewing = self.renewing.lock().await;
        {
            let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(keys) = usable(&state) {
                return Ok(keys);
            }
            if let (true, Some(e)) = (state.attempts != seen, &state.failure) {
                return still_valid(&state, stale).ok_or_else(|| e.clone());
            }
        }
        let result = obtain().await;
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        state.attempts += 1;
        match result {
            Ok(issued) => {
                let keys = issued.keys.clone();
                (state.current, state.failure) = (Some(issued), None);
                Ok(keys)
            }
            Err(e) => {
                state.failure = Some(e.clone());
                still_valid(&state, stale).ok_or(e)
            }
        }
    }
}

/// The current credentials, when their renewal failed but they can still sign for a while (and they were
/// not refused by the gateway).
fn still_valid(state: &State, stale: Option<&Arc<Keys>>) -> Option<Arc<Keys>> {
    let c = state.current.as_ref()?;
    let valid = Instant::now() + EXPIRY_SAFETY < c.valid_until && stale.is_none_or(|s| !Arc::ptr_eq(s, &c.keys));
    if valid {
        tracing::warn!(
            "renewing the agency's credentials failed; the current ones sign until they are about to expire"
        );
    }
    valid.then(|| c.keys.clone())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn renewal_is_due_a_margin_before_expiry() {
        let t0 = Instant::now();
        // Fifteen minutes: renewed five minutes before they expire.
        let until = t0 + 900 * S;
        assert!(!renewal_due(t0, t0, until));
        assert!(!renewal_due(t0 + 599 * S, t0, until));
        assert!(renewal_due(t0 + 600 * S, t0, until));
        // Granted less than asked, four seconds: renewed after two.
        let until = t0 + 4 * S;
        assert!(!renewal_due(t0 + S, t0, until));
        assert!(renewal_due(t0 + 2 * S, t0, until));
        // Expired, or granted no time at all.
        assert!(renewal_due(t0 + 5 * S, t0, until));
        assert!(renewal_due(t0, t0, t0));
    }

    fn issued(n: usize, lifetime: Duration) -> Issued {
        let keys = Arc::new(Keys { access: format!("AK{n}"), secret: format!("SK{n}"), token: Some("T".into()) });
        let obtained = Instant::now();
        Issued { keys, obtained, valid_until: obtained + lifetime }
    }

    /// Credentials of `lifetime` from a counting source that answers after a second.
    async fn fetch(assumed: &Assumed, count: &AtomicUsize, lifetime: Duration) -> Result<Arc<Keys>, ApiError> {
        assumed
            .get(None, || async {
                let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                tokio::time::sleep(S).await;
                Ok(issued(n, lifetime))
            })
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn callers_share_one_renewal_before_expiry() {
        let (assumed, count) = (Assumed::default(), AtomicUsize::new(0));
        let lifetime = 900 * S;
        let first: Vec<_> = futures_join(&assumed, &count, lifetime).await;
        assert!(first.iter().all(|k| k.access == "AK1"), "{first:?}");
        assert_eq!(count.load(Ordering::SeqCst), 1, "concurrent callers waited for one call");
        tokio::time::advance(590 * S).await;
        assert_eq!(fetch(&assumed, &count, lifetime).await.unwrap().access, "AK1");
        // Five minutes before they expire: renewed once, however many ask.
        tokio::time::advance(20 * S).await;
        let renewed = futures_join(&assumed, &count, lifetime).await;
        assert!(renewed.iter().all(|k| k.access == "AK2"), "{renewed:?}");
        assert_eq!(count.load(Ordering::SeqCst), 2);
    }

    async fn futures_join(assumed: &Assumed, count: &AtomicUsize, lifetime: Duration) -> Vec<Arc<Keys>> {
        let (a, b, c) = tokio::join!(
            fetch(assumed, count, lifetime),
            fetch(assumed, count, lifetime),
            fetch(assumed, count, lifetime)
        );
        vec![a.unwrap(), b.unwrap(), c.unwrap()]
    }

    #[tokio::test(start_paused = true)]
    async fn refused_keys_are_renewed_once_and_failures_reach_the_waiters() {
        let (assumed, count) = (Assumed::default(), AtomicUsize::new(0));
        let first = fetch(&assumed, &count, 900 * S).await.unwrap();
        let ok = |n| async move { Ok(issued(n, 900 * S)) };
        // Two callers refused with the same keys: the second takes the first one's renewal.
        let again = assumed.get(Some(&first), || ok(2)).await.unwrap();
        assert_eq!(again.access, "AK2");
        let same = assumed.get(Some(&first), || ok(3)).await.unwrap();
        assert_eq!(same.access, "AK2");
        // A failed renewal while the credentials still have more than EXPIRY_SAFETY left: they go on
        // signing, and the next caller tries to renew again.
        tokio::time::advance(700 * S).await;
        let flaky = || async { Err(ApiError::Config("IAM unavailable".into())) };
        assert_eq!(assumed.get(None, flaky).await.unwrap().access, "AK2");
        assert_eq!(assumed.get(None, || ok(5)).await.unwrap().access, "AK5");
        // A failed renewal is every waiting caller's answer once the credentials are about to expire; a
        // later caller tries again.
        tokio::time::advance(900 * S).await;
        let tries = AtomicUsize::new(0);
        let failing = || async {
            tries.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(S).await;
            Err(ApiError::Config("IAM refused".into()))
        };
        let (a, b) = tokio::join!(assumed.get(None, failing), assumed.get(None, failing));
        assert!(a.is_err() && b.is_err());
        assert_eq!(tries.load(Ordering::SeqCst), 1, "the waiting caller took the failure");
        assert_eq!(assumed.get(None, || ok(4)).await.unwrap().access, "AK4");
    }

    #[test]
    fn keys_debug_hides_the_secret_and_token() {
        let keys = Keys { access: "AK".into(), secret: "very-secret".into(), token: Some("very-token".into()) };
        let shown = format!("{keys:?}");
        assert!(shown.contains("AK") && !shown.contains("very-secret") && !shown.contains("very-token"), "{shown}");
    }
}
