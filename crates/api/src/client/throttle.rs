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
mod tests;
