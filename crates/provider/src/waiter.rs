//! Waiting for an instance to reach a status: status tables plus one poller.
//!
//! The first poll comes quickly, later ones back off exponentially up to a cap, and one last poll
//! happens at the deadline. Failure states end the wait at once with the status and its detail.
//! An interrupt (Ctrl-C) ends it too, so that Terraform can record what exists.

use std::time::Duration;

use tokio::time::Instant;

use crate::client::ApiError;

/// Which statuses end a wait, and how.
#[derive(Debug, Clone, Copy)]
pub struct StatusTable {
    /// Statuses that end the wait successfully.
    pub target: &'static [&'static str],
    /// Statuses that end the wait with an error, in classes (the failed ones, those of a failed
    /// creation). Any other status is transitional.
    pub failure: &'static [&'static [&'static str]],
    /// Whether the object disappearing is success (deletion) or an error.
    pub gone_is_success: bool,
}

impl StatusTable {
    /// Until the object is gone (or shows one of the contract's `gone` statuses).
    pub const fn gone(s: &'static hwapi::contract::Statuses) -> StatusTable {
        StatusTable { target: s.gone, failure: &[], gone_is_success: true }
    }
    /// Until the object is no longer listed (objects without statuses).
    pub const GONE: StatusTable = StatusTable { target: &[], failure: &[], gone_is_success: true };

    pub fn fails_on(&self, status: &str) -> bool {
        self.failure.iter().any(|class| class.contains(&status))
    }
}

/// What one poll saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    Status { status: String, detail: Option<String> },
    Gone,
}

impl Seen {
    pub fn status(status: impl Into<String>) -> Seen {
        Seen::Status { status: status.into(), detail: None }
    }
    fn label(&self) -> String {
        match self {
            Seen::Status { status, detail: Some(d) } => format!("{status:?} ({d})"),
            Seen::Status { status, .. } => format!("{status:?}"),
            Seen::Gone => "gone".into(),
        }
    }
}

/// Poll timing: the first poll `first` after the start; then each poll `percent` of the time waited so
/// far after the previous one, at least `min` and at most `cap`, less up to a tenth at random (so that
/// waiters started together do not poll in step). The time between readiness and the poll that sees it
/// is at most max(`min`, `percent`% of the wait), and a 30-minute wait takes about 56 polls.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub first: Duration,
    pub min: Duration,
    pub percent: u32,
    pub cap: Duration,
}

impl Schedule {
    pub const DEFAULT: Schedule = Schedule {
        first: Duration::from_millis(500),
        min: Duration::from_secs(1),
        percent: 13,
        cap: Duration::from_secs(300),
    };

    /// The schedule waits use: [`Schedule::DEFAULT`], unless `HUAWEICLOUD_POLL_SCHEDULE_MS=FIRST,CAP` (both in
    /// milliseconds, e.g. `50,500`) sets a faster one, for tests against the simulator whose instances
    /// change in milliseconds (its smallest step is then FIRST). Read once per process.
    pub fn configured() -> &'static Schedule {
        static SCHEDULE: std::sync::OnceLock<Schedule> = std::sync::OnceLock::new();
        SCHEDULE.get_or_init(|| {
            std::env::var("HUAWEICLOUD_POLL_SCHEDULE_MS")
                .ok()
                .and_then(|v| Schedule::parse(&v))
                .unwrap_or(Schedule::DEFAULT)
        })
    }

    /// `FIRST,CAP` in milliseconds, 1 ms to 10 min each, the first no larger than the cap.
    fn parse(v: &str) -> Option<Schedule> {
        let (first, cap) = v.split_once(',')?;
        let ms =
            |s: &str| s.trim().parse::<u64>().ok().filter(|n| (1..=600_000).contains(n)).map(Duration::from_millis);
        let (first, cap) = (ms(first)?, ms(cap)?);
        (first <= cap).then_some(Schedule { first, min: first, percent: Schedule::DEFAULT.percent, cap })
    }

    /// The delay before the next poll, `waited` into the wait, with `jitter` in [0, 1) taking off up to
    /// a tenth.
    pub fn next(&self, waited: Duration, jitter: f64) -> Duration {
        let d = (waited * self.percent / 100).clamp(self.min, self.cap);
        d.mul_f64(1.0 - 0.1 * jitter.clamp(0.0, 1.0))
    }
}

#[derive(Debug, Clone)]
pub enum WaitError {
    Failed { status: String, detail: Option<String>, expected: &'static [&'static str] },
    Timeout { last: Option<Seen>, waited: Duration, expected: &'static [&'static str] },
    Interrupted { last: Option<Seen>, expected: &'static [&'static str] },
    Gone { expected: &'static [&'static str] },
    Api(ApiError),
}

fn expected_label(expected: &[&str]) -> String {
    if expected.is_empty() {
        "deletion".into()
    } else {
        expected.join(" or ")
    }
}

impl std::fmt::Display for WaitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaitError::Failed { status, detail, expected } => {
                write!(f, "the instance entered status {status:?} while waiting for {}", expected_label(expected))?;
                if let Some(d) = detail {
                    write!(f, ": {d}")?;
                }
                Ok(())
            }
            WaitError::Timeout { last, waited, expected } => {
                write!(f, "timed out after {}s waiting for {}", waited.as_secs(), expected_label(expected))?;
                if let Some(l) = last {
                    write!(f, "; last status {}", l.label())?;
                }
                Ok(())
            }
            WaitError::Interrupted { last, expected } => {
                write!(f, "interrupted while waiting for {}", expected_label(expected))?;
                if let Some(l) = last {
                    write!(f, "; last status {}", l.label())?;
                }
                Ok(())
            }
            WaitError::Gone { expected } => {
                write!(f, "the instance disappeared while waiting for {}", expected_label(expected))
            }
            WaitError::Api(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WaitError {}

/// How many polls in a row may fail transiently (each after the client's own retries) before the wait
/// gives up.
const MISSED_POLLS: u32 = 3;

/// A failure a later poll may not meet: throttling, a server error, a lost answer.
fn transient(e: &ApiError) -> bool {
    use crate::client::retry::{classify, FailureClass};
    matches!(
        classify(e),
        FailureClass::Throttled | FailureClass::Server | FailureClass::Transport | FailureClass::Connect
    )
}

/// How long before the deadline the last poll is sent.
const FINAL_POLL_MARGIN: Duration = Duration::from_millis(500);

/// Poll with `poll` until the table says the wait is over, `deadline` passes, or a stop is requested.
/// `what` names the object in the log lines (`Kafka instance 1a2b…`).
pub async fn wait<F, Fut>(
    what: &str,
    table: &StatusTable,
    schedule: &Schedule,
    deadline: Instant,
    mut poll: F,
) -> Result<Seen, WaitError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<Seen, ApiError>>,
{
    let start = Instant::now();
    let stop = crate::stop::requested();
    tokio::pin!(stop);
    let mut delay = schedule.first;
    let mut last: Option<Seen> = None;
    let mut failed_polls = 0;
    loop {
        let now = Instant::now();
        // The last poll comes a little before the deadline, so that it still has time to be answered.
        let last_chance = deadline.checked_sub(FINAL_POLL_MARGIN).unwrap_or(deadline).max(now);
        let final_poll = now + delay >= last_chance;
        let wake = if final_poll { last_chance } else { now + delay };
        tokio::select! {
            biased;
            _ = &mut stop => return Err(WaitError::Interrupted { last, expected: table.target }),
            _ = tokio::time::sleep_until(wake) => {}
        }
        let seen = match poll().await {
            Ok(seen) => {
                failed_polls = 0;
                seen
            }
            // A poll cut off by the deadline is the wait timing out, not an API failure.
            Err(ApiError::Timeout { .. }) => {
                return Err(WaitError::Timeout { last, waited: start.elapsed(), expected: table.target })
            }
            // A poll that failed after its own retries (throttled, a server error, no answer) is a poll
            // missed: the next one may see the status. Only several in a row end the wait.
            Err(e) if transient(&e) && failed_polls < MISSED_POLLS && !final_poll => {
                failed_polls += 1;
                tracing::debug!("waiting for {what}: a poll failed ({e}); polling again");
                delay = schedule.next(start.elapsed(), fastrand::f64());
                continue;
            }
            Err(e) => return Err(WaitError::Api(e)),
        };
        tracing::debug!(
            seen = ?seen,
            elapsed_ms = start.elapsed().as_millis() as u64,
            "waiting for {what} to reach {}",
            expected_label(table.target)
        );
        match &seen {
            Seen::Gone if table.gone_is_success => return Ok(seen),
            Seen::Gone => return Err(WaitError::Gone { expected: table.target }),
            Seen::Status { status, .. } if table.target.contains(&status.as_str()) => return Ok(seen),
            Seen::Status { status, detail } if table.fails_on(status) => {
                return Err(WaitError::Failed {
                    status: status.clone(),
                    detail: detail.clone(),
                    expected: table.target,
                })
            }
            Seen::Status { .. } => {}
        }
        last = Some(seen);
        if final_poll {
            return Err(WaitError::Timeout { last, waited: start.elapsed(), expected: table.target });
        }
        delay = schedule.next(start.elapsed(), fastrand::f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    const ACTIVE: StatusTable = StatusTable { target: &["ACTIVE"], failure: &[&["FAILED"]], gone_is_success: false };

    /// Polls that answer `script` in order, recording when each poll happened.
    type PollTimes = Arc<Mutex<Vec<Duration>>>;

    fn scripted(script: Vec<Seen>) -> (impl FnMut() -> std::future::Ready<Result<Seen, ApiError>>, PollTimes) {
        let start = Instant::now();
        let times = Arc::new(Mutex::new(Vec::new()));
        let t = times.clone();
        let mut it = script.into_iter();
        let last = Seen::status("CREATING");
        let f = move || {
            t.lock().unwrap().push(start.elapsed());
            std::future::ready(Ok(it.next().unwrap_or_else(|| last.clone())))
        };
        (f, times)
    }

    #[tokio::test(start_paused = true)]
    async fn first_poll_quick_then_a_share_of_the_wait_so_far() {
        let mut script = vec![Seen::status("CREATING"); 9];
        script.push(Seen::status("ACTIVE"));
        let (poll, times) = scripted(script);
        let got = wait("x", &ACTIVE, &Schedule::DEFAULT, Instant::now() + Duration::from_secs(600), poll).await;
        assert_eq!(got.unwrap(), Seen::status("ACTIVE"));
        let times = times.lock().unwrap().clone();
        assert_eq!(times.len(), 10);
        assert!(times[0].as_millis().abs_diff(500) <= 10, "{times:?}");
        // Then at least 0.9 s apart, at most 1 s or 13% of the time waited so far.
        for pair in times.windows(2) {
            let gap = pair[1] - pair[0];
            let most = Duration::from_secs(1).max(pair[0] * 13 / 100) + Duration::from_millis(10);
            assert!(gap >= Duration::from_millis(890) && gap <= most, "{times:?}");
        }
    }

    /// Polls and the overshoot after readiness, for instances ready after `t` (virtual time).
    async fn polls_and_overshoot(t: Duration) -> (usize, Duration) {
        let start = Instant::now();
        let polls = Arc::new(Mutex::new(0usize));
        let p = polls.clone();
        let poll = move || {
            *p.lock().unwrap() += 1;
            let ready = Instant::now().duration_since(start) >= t;
            std::future::ready(Ok(Seen::status(if ready { "ACTIVE" } else { "CREATING" })))
        };
        wait("x", &ACTIVE, &Schedule::DEFAULT, start + Duration::from_secs(7200), poll).await.unwrap();
        let overshoot = Instant::now().duration_since(start) - t;
        let n = *polls.lock().unwrap();
        (n, overshoot)
    }

    #[tokio::test(start_paused = true)]
    async fn polls_and_overshoot_stay_bounded_from_seconds_to_half_an_hour() {
        fastrand::seed(7);
        for secs in [2, 30, 300, 1800] {
            let t = Duration::from_secs(secs);
            let (polls, overshoot) = polls_and_overshoot(t).await;
            assert!(overshoot <= Duration::from_secs(1).max(t * 13 / 100), "{secs} s: overshoot {overshoot:?}");
            eprintln!("ready after {secs} s: {polls} polls, {overshoot:?} after readiness");
            if secs == 1800 {
                assert!(polls <= 60, "{polls} polls for 30 minutes");
            }
        }
    }

    #[test]
    fn a_schedule_override_is_two_bounded_millisecond_values() {
        let s = Schedule::parse("50, 500").unwrap();
        assert_eq!((s.first, s.cap), (Duration::from_millis(50), Duration::from_millis(500)));
        for bad in ["", "50", "0,500", "500,50", "x,1", "1,600001"] {
            assert!(Schedule::parse(bad).is_none(), "{bad}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn failure_status_fails_fast_with_detail() {
        let (poll, times) = scripted(vec![
            Seen::status("CREATING"),
            Seen::Status { status: "FAILED".into(), detail: Some("quota exceeded".into()) },
        ]);
        let err =
            wait("x", &ACTIVE, &Schedule::DEFAULT, Instant::now() + Duration::from_secs(600), poll).await.unwrap_err();
        assert_eq!(times.lock().unwrap().len(), 2);
        assert_eq!(err.to_string(), "the instance entered status \"FAILED\" while waiting for ACTIVE: quota exceeded");
    }

    #[tokio::test(start_paused = true)]
    async fn deadline_gets_a_final_poll_then_times_out() {
        let (poll, times) = scripted(vec![]);
        let err =
            wait("x", &ACTIVE, &Schedule::DEFAULT, Instant::now() + Duration::from_secs(3), poll).await.unwrap_err();
        let ms: Vec<u128> = times.lock().unwrap().iter().map(|d| d.as_millis()).collect();
        // 0.5 s, then about a second apart, and a last poll just before the deadline.
        assert!(ms.len() == 4 && ms[0].abs_diff(500) <= 10 && ms[3].abs_diff(2500) <= 10, "{ms:?}");
        assert!(matches!(err, WaitError::Timeout { .. }));
        assert!(err.to_string().contains("last status \"CREATING\""), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_few_failed_polls_are_polls_missed_more_end_the_wait() {
        let failing = |n: usize| {
            let calls = Arc::new(Mutex::new(0usize));
            let c = calls.clone();
            let poll = move || {
                let mut k = c.lock().unwrap();
                *k += 1;
                let answer = if *k <= n {
                    Err(ApiError::Service {
                        service: crate::client::Service::Dms,
                        method: "GET",
                        path: "/p".into(),
                        status: 503,
                        error_code: None,
                        error_msg: None,
                        request_id: None,
                    })
                } else {
                    Ok(Seen::status("ACTIVE"))
                };
                std::future::ready(answer)
            };
            (poll, calls)
        };
        let deadline = || Instant::now() + Duration::from_secs(600);
        let (poll, calls) = failing(3);
        assert_eq!(wait("x", &ACTIVE, &Schedule::DEFAULT, deadline(), poll).await.unwrap(), Seen::status("ACTIVE"));
        assert_eq!(*calls.lock().unwrap(), 4);
        let (poll, calls) = failing(4);
        let err = wait("x", &ACTIVE, &Schedule::DEFAULT, deadline(), poll).await.unwrap_err();
        assert!(matches!(err, WaitError::Api(ApiError::Service { status: 503, .. })), "{err}");
        assert_eq!(*calls.lock().unwrap(), 4);
    }

    #[tokio::test(start_paused = true)]
    async fn gone_is_success_for_deletion_and_an_error_otherwise() {
        const DELETED: StatusTable = StatusTable { target: &[], failure: &[], gone_is_success: true };
        let (poll, _) = scripted(vec![Seen::status("ERROR"), Seen::Gone]);
        assert_eq!(
            wait("x", &DELETED, &Schedule::DEFAULT, Instant::now() + Duration::from_secs(60), poll).await.unwrap(),
            Seen::Gone
        );
        let (poll, _) = scripted(vec![Seen::Gone]);
        let err =
            wait("x", &ACTIVE, &Schedule::DEFAULT, Instant::now() + Duration::from_secs(60), poll).await.unwrap_err();
        assert!(matches!(err, WaitError::Gone { .. }));
    }
}
