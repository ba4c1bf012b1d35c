//! One request-rate limiter per service, shared by every call of a client (so by every resource of
//! one Terraform run): additive increase, multiplicative decrease over a generic cell rate (a token
//! bucket: a burst of [`BURST`] calls, then one call every 1/rate seconds). It starts at
//! [`INITIAL_RATE`]; each accepted call raises the rate a little, and a throttled answer (429) cuts it,
//! so that it settles just under the gateway's limit instead of every call backing off on its own.
//! Written by hand: the rate-limiting crates offer fixed quotas configured up front, not one that
//! learns the limit from the 429s.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The lowest rate the limiter falls to, requests per second.
const MIN_RATE: f64 = 0.5;
/// The rate a service starts at, requests per second (Huawei Cloud's gateways commonly allow more; the
/// rate grows from here with every accepted call).
pub const INITIAL_RATE: f64 = 10.0;
/// Calls that may leave at once, before pacing applies.
pub const BURST: f64 = 5.0;
/// After a cut, further 429s within this window (answers to requests already on their way) do not cut again.
const CUT_COOLDOWN: Duration = Duration::from_secs(1);
/// A cut keeps this share of the rate.
const DECREASE: f64 = 0.7;
/// Each accepted call adds this to the rate (requests per second).
const INCREASE: f64 = 0.02;

#[derive(Debug)]
struct State {
    /// Requests per second.
    rate: f64,
    /// The theoretical arrival time of the next request (a request may leave up to `BURST` intervals
    /// before it).
    tat: Instant,
    last_cut: Option<Instant>,
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
        Throttle {
            state: Mutex::new(State {
                rate: INITIAL_RATE,
                tat: Instant::now(),
                last_cut: None,
                throttled: 0,
                epoch: 0,
            }),
        }
    }
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The time the caller's request may leave (now, within the burst), reserving that slot.
    pub fn reserve(&self) -> Instant {
        self.reserve_in_epoch().0
    }

    /// [`Throttle::reserve`], with the epoch the slot belongs to (see [`Throttle::epoch`]).
    pub fn reserve_in_epoch(&self) -> (Instant, u64) {
        let mut s = self.lock();
        let now = Instant::now();
        let interval = Duration::from_secs_f64(1.0 / s.rate);
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

    /// Wait for a slot.
    pub async fn acquire(&self) {
        let slot = self.reserve();
        tokio::time::sleep_until(slot).await;
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
        s.rate = (s.rate * DECREASE).max(MIN_RATE);
        s.last_cut = Some(now);
        s.epoch += 1;
        // The burst is spent: the next request waits a whole interval.
        s.tat = now + Duration::from_secs_f64(BURST / s.rate);
        let rate = (s.rate * 10.0).round() / 10.0;
        tracing::info!(rate_per_s = rate, "the API gateway throttles: slowing this service's calls down");
    }

    /// A request was accepted: speed up a little.
    pub fn accepted(&self) {
        let mut s = self.lock();
        s.rate += INCREASE;
    }

    /// The current rate and the number of throttled answers seen.
    pub fn snapshot(&self) -> (f64, u64) {
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
    async fn a_burst_then_paced_cut_by_429s_and_recovering() {
        let t = Throttle::default();
        // The burst leaves at once, then one call a tenth of a second.
        assert_eq!(span(&t, 5).await, Duration::ZERO);
        assert_eq!(span(&t, 10).await.as_millis(), 1000);
        // A 429 cuts the rate to 7 a second; more 429s within the cooldown do not cut again.
        t.throttled();
        t.throttled();
        let (rate, throttled) = t.snapshot();
        assert_eq!(((rate * 10.0).round() as i64, throttled), (70, 2));
        // Accepted calls raise it again.
        for _ in 0..20 {
            t.accepted();
        }
        assert_eq!((t.snapshot().0 * 10.0).round() as i64, 74);
        // Repeated cuts stop at the floor.
        for _ in 0..30 {
            tokio::time::advance(CUT_COOLDOWN).await;
            t.throttled();
        }
        assert_eq!(t.snapshot().0, MIN_RATE);
    }
}
