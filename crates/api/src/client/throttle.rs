//! One request-rate limiter per service, shared by every call of a client (so by every resource of
//! one Terraform run): a generic cell rate (a token bucket: a burst of [`BURST`] calls, then one call
//! every 1/rate seconds) whose rate is learnt from the gateway's 429s.
//!
//! Until the gateway throttles, a slow start whose rate doubles every 100 ms holds calls back for a
//! second at most, so that the first refusals are the few requests that
//! cross the gateway's limit rather than every request Terraform starts at once. A throttled answer
//! (429) sets the rate to just under what the gateway accepted before it: between the last two
//! refusals when they are close (its bucket was empty at both), else over the last one or two
//! seconds, counted by the time each request left, so that answers still on their way when the 429
//! arrives are counted as they come in. Each call the pace held back and the gateway accepted then
//! raises the rate by 3% a second, so that it settles at the gateway's limit instead of every call
//! backing off on its own.
//!
//! Written by hand: the rate-limiting crates offer fixed quotas configured up front, not one that
//! learns the limit from the 429s.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The lowest rate the limiter falls to, requests per second.
const MIN_RATE: f64 = 1.0;
/// Calls that may leave at once once paced.
pub const BURST: f64 = 5.0;
/// A cut paces calls at this share of the rate the gateway accepted just before it.
const MARGIN: f64 = 0.95;
/// A cut keeps at least this share of the rate (a burst refused at a low pace says little about the limit).
const DEEPEST_CUT: f64 = 0.5;
/// A cut keeps at most this share of the rate.
const SHALLOWEST_CUT: f64 = 0.9;
/// Each accepted call that waited for its slot adds this to the rate (requests per second): 3% more
/// each second while the pace holds the service back, nothing while it does not.
const INCREASE: f64 = 0.03;
/// Until the gateway first throttles, a slow start: a burst of [`BURST`] requests, then a rate that
/// starts at [`SLOW_START_RATE`] and doubles every [`SLOW_START_DOUBLING`], so that after one second
/// it no longer holds anything back, while the gateway's first refusals come when this service sends
/// a few requests too many rather than every request Terraform starts at once.
const SLOW_START_RATE: f64 = 10.0;
const SLOW_START_DOUBLING: Duration = Duration::from_millis(100);
/// Past this rate the slow start is over (unpaced).
const SLOW_START_END: f64 = 10_000.0;
/// The windows over which the rate the gateway accepted is measured.
const FIRST_WINDOW: Duration = Duration::from_secs(1);
const WINDOW: Duration = Duration::from_secs(2);
/// The shortest time between two refusals over which the rate accepted in between is measured.
const SINCE_CUT_MIN: Duration = Duration::from_millis(200);

/// The last cut: what it measured, so that late answers can still be counted.
#[derive(Debug, Clone, Copy)]
struct Cut {
    at: Instant,
    /// When the refused request that caused it left.
    sent: Instant,
    /// The window it measured: requests that left within it and were accepted count towards it.
    from: Instant,
    to: Instant,
    /// What one accepted request of the window adds to the rate.
    per_call: f64,
    /// The rate it may not exceed by counting late answers.
    ceiling: f64,
}

#[derive(Debug)]
struct State {
    /// Requests per second; None until the first 429 (the slow start).
    rate: Option<f64>,
    /// The theoretical arrival time of the next request (a request may leave up to `BURST` intervals
    /// before it).
    tat: Instant,
    cut: Option<Cut>,
    /// When the accepted requests of the last [`WINDOW`] left (and since the last cut's refused
    /// request, which the next cut may measure from, for at most a request's timeout more).
    accepted: VecDeque<Instant>,
    throttled: u64,
    /// Counts the cuts: a slot reserved before a cut is reserved again at the new rate.
    epoch: u64,
    /// Until the first 429: when the slow start began, and how many requests have been reserved since.
    first: Option<Instant>,
    reserved: u64,
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
            cut: None,
            accepted: VecDeque::new(),
            throttled: 0,
            epoch: 0,
            first: None,
            reserved: 0,
        };
        Throttle { state: Mutex::new(state) }
    }
}

/// The time the next request may leave during the slow start: the n-th request since it began leaves
/// when the allowance `BURST + r0 d / ln 2 (2^(t/d) - 1)` (the integral of the doubling rate) reaches n,
/// and none later than when the rate reaches [`SLOW_START_END`].
fn slow_start_slot(s: &mut State, now: Instant) -> Instant {
    // Once per run: starting slowly again after a quiet spell cost an unthrottled apply of 201
    // instances 0.5 to 1 s (services idle while Terraform works through a run of another kind) and
    // did not lower the share of throttled requests measurably.
    let first = *s.first.get_or_insert(now);
    s.reserved += 1;
    let doubling = SLOW_START_DOUBLING.as_secs_f64();
    let beyond_burst = s.reserved as f64 - BURST;
    if beyond_burst <= 0.0 {
        return now;
    }
    let at = doubling * (1.0 + beyond_burst * std::f64::consts::LN_2 / (SLOW_START_RATE * doubling)).log2();
    let end = doubling * (SLOW_START_END / SLOW_START_RATE).log2();
    (first + Duration::from_secs_f64(at.min(end))).max(now)
}

impl Throttle {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The time the caller's request may leave (now, within a burst or once the slow start is over),
    /// reserving that slot.
    pub fn reserve(&self) -> Instant {
        self.reserve_in_epoch().0
    }

    /// [`Throttle::reserve`], with the epoch the slot belongs to (see [`Throttle::epoch`]).
    pub fn reserve_in_epoch(&self) -> (Instant, u64) {
        let mut s = self.lock();
        let now = Instant::now();
        let Some(rate) = s.rate else {
            let slot = slow_start_slot(&mut s, now);
            return (slot, s.epoch);
        };
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

    /// The gateway refused a request that left at `sent`: pace this service's calls just under what it
    /// accepted before (unless the request left before the last cut: that cut already answered it).
    pub fn throttled(&self, sent: Instant) {
        let mut s = self.lock();
        let now = Instant::now();
        s.throttled += 1;
        if s.cut.is_some_and(|c| sent < c.at) {
            return;
        }
        // The gateway's bucket was empty when the request that caused the last cut left, and is empty
        // again now: what it accepted in between is its rate (within one request, so half a request is
        // added). Otherwise, over the last one and two seconds, the window where it accepted more: a
        // second counts a burst the gateway had saved up as rate (the next cuts correct it); two
        // seconds count time this service had nothing to send as time the gateway was idle.
        let since_cut = s.cut.map(|c| (c.sent, sent.saturating_duration_since(c.sent)));
        let (from, to, per_call, measured) = match since_cut {
            Some((from, span)) if (SINCE_CUT_MIN..=WINDOW).contains(&span) => {
                let per_call = MARGIN / span.as_secs_f64();
                let accepted = s.accepted.iter().filter(|t| **t >= from && **t < sent).count();
                (from, sent, per_call, (accepted as f64 + 0.5) * per_call)
            }
            _ => [FIRST_WINDOW, WINDOW]
                .into_iter()
                .map(|window| {
                    // (Only within `window` of the clock's origin is there no such instant: then all count.)
                    let from = now.checked_sub(window);
                    let per_call = MARGIN / window.as_secs_f64();
                    let accepted = s.accepted.iter().filter(|t| from.is_none_or(|from| **t >= from)).count();
                    (from.unwrap_or(now), now, per_call, accepted as f64 * per_call)
                })
                .max_by(|a, b| a.3.total_cmp(&b.3))
                .expect("two windows"),
        };
        let (rate, ceiling) = match s.rate {
            Some(rate) => (measured.clamp(rate * DEEPEST_CUT, rate * SHALLOWEST_CUT), rate * SHALLOWEST_CUT),
            None => (measured, f64::INFINITY),
        };
        let rate = rate.max(MIN_RATE);
        s.rate = Some(rate);
        s.cut = Some(Cut { at: now, sent, from, to, per_call, ceiling });
        s.epoch += 1;
        // The burst is spent: the next request waits a whole interval.
        s.tat = now + Duration::from_secs_f64(BURST / rate);
        let shown = (rate * 10.0).round() / 10.0;
        tracing::info!(rate_per_s = shown, "the API gateway throttles: slowing this service's calls down");
    }

    /// A request that left at `sent` (after waiting for its slot, if `waited`) was accepted: count it;
    /// if it left within the window the last cut measured, count it towards that measure (an answer
    /// still on its way at the cut), else speed up a little if the pace held it back.
    pub fn accepted(&self, sent: Instant, waited: bool) {
        let mut s = self.lock();
        let now = Instant::now();
        if let Some(rate) = s.rate {
            let late = s.cut.filter(|c| sent >= c.from && sent < c.to);
            s.rate = Some(match late {
                Some(cut) => (rate + cut.per_call).min(cut.ceiling.max(rate)),
                None if waited => rate + INCREASE,
                None => rate,
            });
        }
        // Kept: the last two seconds, and everything since the refused request the next cut may measure
        // from, as long as an answer to a request sent within the window after it may still come.
        let keep_from = now.checked_sub(WINDOW).map(|t| {
            let oldest_measured = t.checked_sub(crate::client::transport::REQUEST_TIMEOUT).unwrap_or(t);
            s.cut.map_or(t, |c| t.min(c.sent.max(oldest_measured)))
        });
        while s.accepted.front().is_some_and(|t| keep_from.is_some_and(|k| *t < k)) {
            s.accepted.pop_front();
        }
        s.accepted.push_back(sent);
    }

    /// The current rate (None: the slow start) and the number of throttled answers seen.
    pub fn snapshot(&self) -> (Option<f64>, u64) {
        let s = self.lock();
        (s.rate, s.throttled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

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
    async fn a_slow_start_until_the_first_429_that_is_over_within_a_second() {
        let t = Throttle::default();
        let start = Instant::now();
        let slots: Vec<u128> = (0..1500).map(|_| t.reserve().duration_since(start).as_millis()).collect();
        // A burst of 5, then 10 a second doubling every 100 ms.
        assert_eq!(&slots[..8], &[0, 0, 0, 0, 0, 75, 125, 162]);
        assert_eq!((slots[19], slots[39], slots[99], slots[999]), (351, 465, 606, 943));
        // In the order reserved, none later than when the rate reaches 10,000 a second.
        assert!(slots.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(slots[1499], 996);
        // Past that, nothing is held back.
        tokio::time::advance(Duration::from_millis(999)).await;
        assert_eq!(span(&t, 1000).await, Duration::ZERO);
    }

    fn rate(t: &Throttle) -> Option<f64> {
        t.snapshot().0.map(|r| (r * 100.0).round() / 100.0)
    }

    #[tokio::test(start_paused = true)]
    async fn after_the_first_429_paced_at_what_the_gateway_accepted() {
        let t = Throttle::default();
        assert_eq!(span(&t, 40).await.as_millis(), 465);
        // 20 requests left in the last second and were accepted (one 1.5 s ago does not count); then two
        // requests that left together are refused: one cut.
        let old = Instant::now();
        tokio::time::advance(Duration::from_millis(1500)).await;
        t.accepted(old, false);
        for _ in 0..20 {
            t.accepted(Instant::now(), false);
            tokio::time::advance(Duration::from_millis(10)).await;
        }
        let sent = Instant::now();
        tokio::time::advance(Duration::from_millis(10)).await;
        t.throttled(sent);
        t.throttled(sent);
        assert_eq!((rate(&t), t.snapshot().1), (Some(19.0), 2));
        // Paced: after the cut the burst is spent, so calls leave 1/19 s apart.
        assert_eq!(span(&t, 19).await.as_millis(), 1000);
        // A request that left after the cut is refused too soon after the last refusal to measure between
        // them: a cut to 90%, as the last second's 20 accepted requests say the limit is higher.
        t.throttled(Instant::now());
        assert_eq!(rate(&t), Some(17.1));
    }

    #[tokio::test(start_paused = true)]
    async fn between_two_refusals_the_accepted_requests_are_the_gateways_rate() {
        let t = Throttle::default();
        for _ in 0..20 {
            t.accepted(Instant::now(), false);
            tokio::time::advance(Duration::from_millis(10)).await;
        }
        let first_refused = Instant::now();
        tokio::time::advance(Duration::from_millis(10)).await;
        t.throttled(first_refused);
        assert_eq!(rate(&t), Some(19.0));
        // 30 requests leave over the next 1.9 s and are accepted, answered 0.5 s after the last left;
        // then the one that left 1.9 s after the first refused one is refused, its answer 0.5 s later.
        let mut sent = Vec::new();
        for _ in 0..30 {
            tokio::time::advance(Duration::from_millis(60)).await;
            sent.push(Instant::now());
        }
        tokio::time::advance(Duration::from_millis(90)).await;
        let refused = Instant::now();
        assert_eq!(refused.duration_since(first_refused).as_millis(), 1900);
        tokio::time::advance(Duration::from_millis(500)).await;
        for s in sent {
            t.accepted(s, true);
        }
        assert_eq!(rate(&t), Some(19.9));
        t.throttled(refused);
        // (30 + 0.5) / 1.9 s, less 5%.
        assert_eq!(rate(&t), Some(15.25));
    }

    #[tokio::test(start_paused = true)]
    async fn the_accepted_requests_kept_are_bounded_long_after_a_cut() {
        let t = Throttle::default();
        t.accepted(Instant::now(), false);
        t.throttled(Instant::now());
        // Ten minutes at 10 accepted a second after the cut: kept are the last two seconds plus a
        // request's timeout (answers to requests the next cut may measure), not all 6,000.
        for _ in 0..6000 {
            tokio::time::advance(Duration::from_millis(100)).await;
            t.accepted(Instant::now(), true);
        }
        let kept = t.lock().accepted.len();
        assert_eq!(kept, 10 * (WINDOW + crate::client::transport::REQUEST_TIMEOUT).as_secs() as usize + 1);
    }

    #[tokio::test(start_paused = true)]
    async fn answers_still_on_their_way_at_the_cut_count_towards_it() {
        let t = Throttle::default();
        let old = Instant::now();
        tokio::time::advance(Duration::from_millis(1500)).await;
        let sent = Instant::now();
        for _ in 0..10 {
            t.accepted(sent, false);
        }
        tokio::time::advance(Duration::from_millis(100)).await;
        t.throttled(sent);
        assert_eq!(rate(&t), Some(9.5));
        // Five more requests that left with those ten are answered after the 429: 15 were accepted.
        for _ in 0..5 {
            t.accepted(sent, false);
        }
        assert_eq!(rate(&t), Some(14.25));
        // A request the pace held back that left after the cut, or before the window it measured, only
        // raises the rate a little; one the pace did not hold back, not at all.
        t.accepted(Instant::now(), true);
        assert_eq!(rate(&t), Some(14.28));
        t.accepted(old, true);
        assert_eq!(rate(&t), Some(14.31));
        for _ in 0..100 {
            t.accepted(Instant::now(), false);
        }
        assert_eq!(rate(&t), Some(14.31));
    }

    #[tokio::test(start_paused = true)]
    async fn later_cuts_measure_two_seconds_within_bounds_and_never_below_the_floor() {
        let t = Throttle::default();
        t.accepted(Instant::now(), false);
        t.throttled(Instant::now());
        assert_eq!(rate(&t), Some(MIN_RATE));
        tokio::time::advance(Duration::from_secs(1)).await;
        for _ in 0..300 {
            t.accepted(Instant::now(), true);
        }
        assert_eq!(rate(&t), Some(10.0));
        // 20 accepted over the last two seconds, none in the last one (nothing to send): 9.5 a second.
        tokio::time::advance(Duration::from_secs(3)).await;
        for _ in 0..20 {
            tokio::time::advance(Duration::from_millis(50)).await;
            t.accepted(Instant::now(), true);
        }
        tokio::time::advance(Duration::from_millis(1001)).await;
        assert_eq!(rate(&t), Some(10.6));
        t.throttled(Instant::now());
        assert_eq!(rate(&t), Some(9.5));
        // 40 accepted over two seconds (19 a second): a cut still keeps at most 90% of the rate.
        tokio::time::advance(Duration::from_secs(3)).await;
        for _ in 0..40 {
            tokio::time::advance(Duration::from_millis(50)).await;
            t.accepted(Instant::now(), true);
        }
        assert_eq!(rate(&t), Some(10.7));
        t.throttled(Instant::now());
        assert_eq!(rate(&t), Some(9.63));
        // Nothing accepted lately: at most halved, and never below the floor.
        tokio::time::advance(Duration::from_secs(3)).await;
        t.throttled(Instant::now());
        assert_eq!(rate(&t), Some(4.81));
        for _ in 0..10 {
            tokio::time::advance(Duration::from_secs(3)).await;
            t.throttled(Instant::now());
        }
        assert_eq!(rate(&t), Some(MIN_RATE));
    }

    /// A gateway's token bucket: `limit` a second, as many at most.
    struct Gateway {
        limit: f64,
        bucket: Mutex<(f64, Instant)>,
    }

    impl Gateway {
        fn admit(&self) -> bool {
            let mut b = self.bucket.lock().unwrap();
            let now = Instant::now();
            b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * self.limit).min(self.limit);
            b.1 = now;
            let ok = b.0 >= 1.0;
            if ok {
                b.0 -= 1.0;
            }
            ok
        }
    }

    /// 20 callers sending back to back (40 ms round trips) against a 10 a second gateway for a minute of
    /// virtual time settle at its limit, with few refusals.
    #[tokio::test(start_paused = true)]
    async fn settles_at_the_gateways_limit() {
        let t = Arc::new(Throttle::default());
        let gateway = Arc::new(Gateway { limit: 10.0, bucket: Mutex::new((10.0, Instant::now())) });
        let start = Instant::now();
        let end = start + Duration::from_secs(60);
        let mut callers = Vec::new();
        for i in 0..20 {
            let (t, gateway) = (t.clone(), gateway.clone());
            // Round trips of 30 to 68 ms.
            let half_trip = Duration::from_millis(15 + i);
            callers.push(tokio::spawn(async move {
                let (mut accepted, mut refused) = (Vec::new(), Vec::new());
                while Instant::now() < end {
                    let mut waited = false;
                    loop {
                        let (slot, epoch) = t.reserve_in_epoch();
                        waited |= slot > Instant::now();
                        tokio::time::sleep_until(slot).await;
                        if t.epoch() == epoch {
                            break;
                        }
                    }
                    let sent = Instant::now();
                    tokio::time::sleep(half_trip).await;
                    let ok = gateway.admit();
                    tokio::time::sleep(half_trip).await;
                    if ok {
                        t.accepted(sent, waited);
                        accepted.push(sent);
                    } else {
                        t.throttled(sent);
                        refused.push(sent);
                    }
                }
                (accepted, refused)
            }));
        }
        let (mut accepted, mut refused) = (Vec::new(), Vec::new());
        for c in callers {
            let (a, r) = c.await.unwrap();
            accepted.extend(a);
            refused.extend(r);
        }
        // The ideal: the first second's burst of 10, then 10 a second. The slow start finds the limit
        // with 5 refusals at most (sent together, the first 20 requests would meet 10, and with round
        // trips this long, their answers 4 more).
        let first_second =
            |sent: &Vec<Instant>| sent.iter().filter(|s| s.duration_since(start) < Duration::from_secs(1)).count();
        let refused_at_first = first_second(&refused);
        let (accepted, refused) = (accepted.len() - first_second(&accepted), refused.len() - refused_at_first);
        assert!(refused_at_first <= 5, "{refused_at_first} refused in the first second");
        assert!(accepted >= 565, "{accepted} accepted in 59 s (the limit allows 590)");
        assert!(refused * 100 < 2 * (accepted + refused), "{refused} refused of {}", accepted + refused);
    }
}
