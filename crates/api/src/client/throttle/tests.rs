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
