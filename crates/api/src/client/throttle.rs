//! One request-rate limiter per service, shared by every call of a client (so by every resource of
//! one Terraform run): additive increase, multiplicative decrease over a generic cell rate (a token
//! bucket: a burst of [`BURST`] calls, then one call every 1/rate seconds). Until the gateway
//! throttles, calls go out unpaced (a plan of hundreds of instances is not slowed down). The first
//! throttled answer (429) sets the rate to 90% of what the gateway accepted over the last second (its
//! limit, as far as one second shows it); later ones cut it to 70% (once a second), and each accepted
//! call raises it a little, so that it settles just under the gateway's limit instead of every call
//! backing off on its own. Written by hand: the rate-limiting
//! crates offer fixed quotas configured up front, not one that learns the limit from the 429s.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The lowest rate the limiter falls to, requests per second.
const MIN_RATE: f64 = 1.0;
/// Calls that may leave at once once paced.
pub const BURST: f64 = 5.0;
/// After a cut, further 429s within this window (answers to requests already on their way) do not cut again.
const CUT_COOLDOWN: Duration = Duration::from_secs(1);
/// The first cut keeps this share of the rate accepted over the last second.
const FIRST_CUT: f64 = 0.9;
/// A later cut keeps this share of the rate.
const DECREASE: f64 = 0.7;
/// Each accepted call adds this to the rate (requests per second).
const INCREASE: f64 = 0.05;
/// The window over which the rate sent before the first cut is measured.
const WINDOW: Duration = Duration::from_secs(1);

#[derive(Debug)]
struct State {
    /// Requests per second; None until the first 429 (unpaced).
    rate: Option<f64>,
    /// The theoretical arrival time of the next request (a request may leave up to `BURST` intervals
    /// before it).
    tat: Instant,
    last_cut: Option<Instant>,
    /// When the requests of the last second were accepted (until the first cut).
    accepted: VecDeque<Instant>,
    throttled: u64,
    /// Counts the cuts: a slot reserved before a cut is reserved again at the new rate.
    epoch: u64,
}

/// The limiter of one service.
#[derive(Debug)]
pub struct Throttle {
    state: Mutex<State>,
}

impl Default for Throttle {
    fn default() -> Self {
        let state = State {
            rate: None,
            tat: Instant::now(),
            last_cut: None,
            accepted: VecDeque::new(),
            throttled: 0,
            epoch: 0,
        };
        Throttle { state: Mutex::new(state) }
    }
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The time the caller's request may leave (now, while unpaced or within the burst), reserving that slot.
    pub fn reserve(&self) -> Instant {
        self.reserve_in_epoch().0
    }

    /// [`Throttle::reserve`], with the epoch the slot belongs to (see [`Throttle::epoch`]).
    pub fn reserve_in_epoch(&self) -> (Instant, u64) {
        let mut s = self.lock();
        let now = Instant::now();
        let Some(rate) = s.rate else { return (now, s.epoch) };
        let interval = Duration::from_secs_f64(1.0 / rate);
        let tat = s.tat.max(now);
        let tolerance = interval.mul_f64(BURST - 1.0);
        let slot = tat.checked_sub(tolerance).unwrap_or(now).max(now);
        s.tat = tat + interval;
        (slot, s.epoch)
    }

    /// The current epoch: it changes with every cut, and a slot of an older epoch is void.
    pub fn epoch(&self) -> u64 {
        self.lock().epoch
    }

    /// The gateway throttled a request: slow down (once per cooldown: the answers to requests already
    /// on their way do not cut again).
    pub fn throttled(&self) {
        let mut s = self.lock();
        let now = Instant::now();
        s.throttled += 1;
        if s.last_cut.is_some_and(|t| now.duration_since(t) < CUT_COOLDOWN) {
            return;
        }
        let rate = match s.rate {
            Some(rate) => rate * DECREASE,
            None => {
                let accepted = s.accepted.iter().filter(|t| now.duration_since(**t) <= WINDOW).count().max(1);
                s.accepted.clear();
                accepted as f64 * FIRST_CUT
            }
        }
        .max(MIN_RATE);
        s.rate = Some(rate);
        s.last_cut = Some(now);
        s.epoch += 1;
        // The burst is spent: the next request waits a whole interval.
        s.tat = now + Duration::from_secs_f64(BURST / rate);
        let shown = (rate * 10.0).round() / 10.0;
        tracing::info!(rate_per_s = shown, "the API gateway throttles: slowing this service's calls down");
    }

    /// A request was accepted: speed up a little.
    pub fn accepted(&self) {
        let mut s = self.lock();
        match s.rate {
            Some(rate) => s.rate = Some(rate + INCREASE),
            None => {
                let now = Instant::now();
                while s.accepted.front().is_some_and(|t| now.duration_since(*t) > WINDOW) {
                    s.accepted.pop_front();
                }
                s.accepted.push_back(now);
            }
        }
    }

    /// The current rate (None: unpaced) and the number of throttled answers seen.
    pub fn snapshot(&self) -> (Option<f64>, u64) {
        let s = self.lock();
        (s.rate, s.throttled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// How long `n` reservations take to leave, from now.
    async fn span(t: &Throttle, n: usize) -> Duration {
        let start = Instant::now();
        let mut last = start;
        for _ in 0..n {
            last = t.reserve();
        }
        last.duration_since(start)
    }

    #[tokio::test(start_paused = true)]
    async fn unpaced_until_throttled_then_paced_cut_and_recovering() {
        let t = Throttle::default();
        // Unpaced before any 429.
        assert_eq!(span(&t, 40).await, Duration::ZERO);
        // The gateway accepted 20 in the last second, then throttled: 18 a second.
        for _ in 0..20 {
            t.accepted();
        }
        t.throttled();
        t.throttled();
        let (rate, throttled) = t.snapshot();
        assert_eq!((rate.map(|r| r.round() as i64), throttled), (Some(18), 2));
        // Paced: after the cut the burst is spent, so calls leave 1/18 s apart.
        assert_eq!(span(&t, 19).await.as_millis(), 1055);
        // Accepted calls raise it; later cuts keep 70%, never below the floor.
        for _ in 0..20 {
            t.accepted();
        }
        assert_eq!(t.snapshot().0.map(|r| r.round() as i64), Some(19));
        tokio::time::advance(CUT_COOLDOWN).await;
        t.throttled();
        assert_eq!(
            t.snapshot().0.map(|r| (r * 100.0).round() as i64),
            Some((19.0 * DECREASE * 100.0_f64).round() as i64)
        );
        for _ in 0..30 {
            tokio::time::advance(CUT_COOLDOWN).await;
            t.throttled();
        }
        assert_eq!(t.snapshot().0, Some(MIN_RATE));
    }
}
