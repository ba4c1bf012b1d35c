//! Which failures are retried, and how long to wait before the next try.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::client::error::ApiError;
use crate::service::Service;

/// What kind of failure one attempt ended with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailureClass {
    /// 429, or IoTDA's 403 `IOTDA.021101` / `IOTDA.021102`: the server did not act.
    Throttled,
    /// 500, 502, 503, 504: the server may have acted.
    Server,
    /// The connection could not be made: the request was surely not sent.
    Connect,
    /// Any other transport failure: the request may have been sent.
    Transport,
    /// Not worth retrying (400, 401, 404, bad response body, ...).
    Permanent,
}

/// Class of a non-2xx answer: throttled as the contract's error tables say (any 429, the gateway's,
/// and a service's own throttling codes), a server error, or permanent.
pub fn classify_status(status: u16, error_code: Option<&str>) -> FailureClass {
    let throttled = |s| crate::contract::errors(s).is_some_and(|e| e.is_throttled(status, error_code));
    match status {
        429 => FailureClass::Throttled,
        _ if Service::ALL.into_iter().any(throttled) => FailureClass::Throttled,
        500 | 502 | 503 | 504 => FailureClass::Server,
        _ => FailureClass::Permanent,
    }
}

/// Class of an error as returned by the client.
pub fn classify(error: &ApiError) -> FailureClass {
    match error {
        ApiError::Service { status, .. } => classify_status(*status, error.error_code()),
        ApiError::Transport { sent: true, .. } => FailureClass::Transport,
        ApiError::Transport { sent: false, .. } => FailureClass::Connect,
        _ => FailureClass::Permanent,
    }
}

/// May the service have acted on a call that ended with this error? Only when the request left and
/// its answer was lost or was a server error; never for throttling, refusals, or a request that was
/// never sent. A timeout judges by the last attempt's error (a call is only resent after failures
/// where the service did nothing).
pub fn may_have_acted(error: &ApiError) -> bool {
    match error {
        ApiError::Decode { .. } => true,
        ApiError::Timeout { last, .. } => last.as_deref().is_some_and(may_have_acted),
        other => matches!(classify(other), FailureClass::Server | FailureClass::Transport),
    }
}

/// May a failure of this class be retried? A non-idempotent call is retried only where the
/// server surely did not act on it.
pub fn should_retry(class: FailureClass, idempotent: bool) -> bool {
    match class {
        FailureClass::Throttled | FailureClass::Connect => true,
        FailureClass::Server | FailureClass::Transport => idempotent,
        FailureClass::Permanent => false,
    }
}

/// Capped exponential backoff with jitter: with `d = min(base * 2^attempt, cap)`,
/// a uniform wait in `[d/2, d]`. `attempt` is 0 for the first retry.
pub fn backoff(attempt: u32, base: Duration, cap: Duration) -> Duration {
    let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
    let d = base.checked_mul(factor).unwrap_or(cap).min(cap);
    let nanos = u64::try_from(d.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(nanos / 2..=nanos))
}

/// A `Retry-After` header in integer seconds (HTTP dates are not honoured).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Retry-After values above this are capped: waits stay in seconds, never minutes.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(30);

/// Retry limits and backoff.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub max_retries: u32,
    pub base: Duration,
    pub cap: Duration,
}

/// One failed attempt, as reported to [`run`].
#[derive(Debug)]
pub struct Failure {
    pub error: ApiError,
    pub class: FailureClass,
    /// The answer's `Retry-After`, if any.
    pub retry_after: Option<Duration>,
}

impl Failure {
    pub fn new(error: ApiError, class: FailureClass) -> Failure {
        Failure { error, class, retry_after: None }
    }
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Return the error as it is.
    GiveUp,
    /// Return `ApiError::Timeout` with the error as `last`.
    Timeout,
}

/// Decide what follows failed attempt number `attempt` (0 = the first try), at time `now`.
pub fn next(
    policy: &Policy,
    attempt: u32,
    failure: &Failure,
    idempotent: bool,
    now: Instant,
    deadline: Option<Instant>,
) -> Next {
    let retryable = failure.class != FailureClass::Permanent;
    if retryable && deadline.is_some_and(|d| now >= d) {
        return Next::Timeout;
    }
    if !should_retry(failure.class, idempotent) || attempt >= policy.max_retries {
        return Next::GiveUp;
    }
    let wait = match failure.retry_after {
        Some(after) => after.min(MAX_RETRY_AFTER),
        None => backoff(attempt, policy.base, policy.cap),
    };
    match deadline {
        Some(d) if now + wait >= d => Next::Timeout,
        _ => Next::Retry(wait),
    }
}

/// Run `attempt(n)` (n = 0, 1, ...) until it succeeds or [`next`] says to stop.
/// `call` (method, path) names the call in a `Timeout` error.
pub async fn run<T, F, Fut>(
    policy: &Policy,
    call: (&'static str, &str),
    idempotent: bool,
    deadline: Option<Instant>,
    mut attempt: F,
) -> Result<T, ApiError>
where
    F: FnMut(u32) -> Fut,
    Fut: Future<Output = Result<T, Failure>>,
{
    let timeout = |last: Option<ApiError>| ApiError::Timeout {
        method: call.0,
        path: call.1.to_string(),
        last: last.map(Box::new),
    };
    if deadline.is_some_and(|d| Instant::now() >= d) {
        return Err(timeout(None));
    }
    let mut n = 0;
    loop {
        let failure = match attempt(n).await {
            Ok(value) => return Ok(value),
            Err(failure) => failure,
        };
        match next(policy, n, &failure, idempotent, Instant::now(), deadline) {
            Next::GiveUp => return Err(failure.error),
            Next::Timeout => return Err(timeout(Some(failure.error))),
            Next::Retry(wait) => {
                tracing::debug!(
                    method = call.0,
                    path = call.1,
                    attempt = n + 1,
                    class = ?failure.class,
                    wait_ms = wait.as_millis() as u64,
                    reason = %failure.error,
                    "retrying Huawei Cloud API call"
                );
                tokio::select! {
                    biased;
                    // Ctrl-C: give the last answer back now rather than sleeping on.
                    _ = crate::stop::requested() => return Err(failure.error),
                    _ = tokio::time::sleep(wait) => {}
                }
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    return Err(timeout(Some(failure.error)));
                }
            }
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    use FailureClass::*;

    const MS: Duration = Duration::from_millis(1);

    fn policy(max_retries: u32) -> Policy {
        Policy { max_retries, base: 100 * MS, cap: 1000 * MS }
    }

    fn service(status: u16, code: Option<&str>) -> ApiError {
        ApiError::Service {
            service: crate::service::Service::Iotda,
            method: "GET",
            path: "/p".into(),
            status,
            error_code: code.map(str::to_string),
            error_msg: None,
            request_id: None,
        }
    }

    fn failing(status: u16) -> Failure {
        let error = service(status, None);
        Failure::new(error, classify_status(status, None))
    }

    #[test]
    fn classification_table() {
        let table = [
            (429, None, Throttled),
            (429, Some("APIGW.0308"), Throttled),
            (403, Some("IOTDA.021101"), Throttled),
            (403, Some("IOTDA.021102"), Throttled),
            (403, Some("IOTDA.001000"), Permanent),
            (403, None, Permanent),
            (500, None, Server),
            (502, None, Server),
            (503, None, Server),
            (504, None, Server),
            (501, None, Permanent),
            (400, Some("DMS.00400026"), Permanent),
            (401, Some("APIGW.0301"), Permanent),
            (404, None, Permanent),
            (409, None, Permanent),
        ];
        for (status, code, class) in table {
            assert_eq!(classify_status(status, code), class, "{status} {code:?}");
            assert_eq!(classify(&service(status, code)), class, "{status} {code:?}");
        }
        let transport = ApiError::Transport { method: "GET", path: "/".into(), message: "reset".into(), sent: true };
        assert_eq!(classify(&transport), Transport);
        let refused = ApiError::Transport { method: "GET", path: "/".into(), message: "refused".into(), sent: false };
        assert_eq!(classify(&refused), Connect);
        assert_eq!(classify(&ApiError::Config("x".into())), Permanent);
    }

    #[test]
    fn only_a_sent_request_with_a_lost_or_failed_answer_may_have_acted() {
        let t = |sent| ApiError::Transport { method: "POST", path: "/".into(), message: "x".into(), sent };
        let timeout =
            |last: Option<ApiError>| ApiError::Timeout { method: "POST", path: "/".into(), last: last.map(Box::new) };
        assert!(may_have_acted(&service(502, None)) && may_have_acted(&t(true)));
        assert!(!may_have_acted(&t(false)) && !may_have_acted(&service(429, None)));
        assert!(!may_have_acted(&service(400, None)) && !may_have_acted(&service(401, None)));
        assert!(may_have_acted(&timeout(Some(service(503, None)))));
        assert!(!may_have_acted(&timeout(None)) && !may_have_acted(&timeout(Some(service(429, None)))));
        assert!(!may_have_acted(&ApiError::Config("bad".into())));
    }

    #[test]
    fn retry_table() {
        let table = [
            (Throttled, true, true),
            (Throttled, false, true),
            (Connect, true, true),
            (Connect, false, true),
            (Server, true, true),
            (Server, false, false),
            (Transport, true, true),
            (Transport, false, false),
            (Permanent, true, false),
            (Permanent, false, false),
        ];
        for (class, idempotent, retry) in table {
            assert_eq!(should_retry(class, idempotent), retry, "{class:?} idempotent={idempotent}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        for _ in 0..200 {
            for (attempt, full) in [(0, 100), (1, 200), (2, 400), (3, 800), (4, 1000), (40, 1000)] {
                let d = backoff(attempt, 100 * MS, 1000 * MS);
                assert!(d >= full * MS / 2 && d <= full * MS, "attempt {attempt}: {d:?}");
            }
        }
        assert!(backoff(u32::MAX, Duration::MAX, Duration::from_secs(1)) <= Duration::from_secs(1));
    }

    #[test]
    fn retry_after_values() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
    }

    #[test]
    fn next_respects_limits_and_deadline() {
        let now = Instant::now();
        let p = policy(2);
        let mut f = failing(429);
        f.retry_after = Some(Duration::from_secs(7));
        assert_eq!(next(&p, 0, &f, false, now, None), Next::Retry(Duration::from_secs(7)));
        assert_eq!(next(&p, 2, &f, false, now, None), Next::GiveUp);
        assert_eq!(next(&p, 0, &f, false, now, Some(now + Duration::from_secs(5))), Next::Timeout);
        assert_eq!(next(&p, 0, &f, false, now, Some(now)), Next::Timeout);
        assert_eq!(next(&p, 0, &failing(503), false, now, None), Next::GiveUp);
        assert_eq!(next(&p, 0, &failing(404), true, now, Some(now)), Next::GiveUp);
        assert!(
            matches!(next(&p, 1, &failing(503), true, now, None), Next::Retry(d) if d >= 100 * MS && d <= 200 * MS)
        );
    }

    /// Runs `run` against answers given in order; returns the result and the number of attempts.
    async fn scripted(
        answers: &[u16],
        retry_after: Option<Duration>,
        idempotent: bool,
        max_retries: u32,
        deadline: Option<Duration>,
    ) -> (Result<u16, ApiError>, u32) {
        let count = Cell::new(0);
        let deadline = deadline.map(|d| Instant::now() + d);
        let result = run(&policy(max_retries), ("GET", "/p"), idempotent, deadline, |n| {
            count.set(count.get() + 1);
            let status = answers[(n as usize).min(answers.len() - 1)];
            async move {
                if status < 300 {
                    return Ok(status);
                }
                let mut f = failing(status);
                f.retry_after = retry_after;
                Err(f)
            }
        })
        .await;
        (result, count.get())
    }

    #[tokio::test(start_paused = true)]
    async fn retries_until_success() {
        let start = Instant::now();
        let (result, attempts) = scripted(&[503, 502, 200], None, true, 5, None).await;
        assert_eq!((result.unwrap(), attempts), (200, 3));
        let waited = start.elapsed();
        assert!(waited >= 150 * MS && waited <= 300 * MS, "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn honours_retry_after() {
        let start = Instant::now();
        let (result, attempts) = scripted(&[429, 200], Some(Duration::from_secs(3)), false, 5, None).await;
        assert_eq!((result.unwrap(), attempts), (200, 2));
        assert_eq!(start.elapsed(), Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn stops_after_max_retries_with_the_error() {
        let (result, attempts) = scripted(&[503], None, true, 3, None).await;
        assert_eq!(attempts, 4);
        assert_eq!(result.unwrap_err().status(), Some(503));
        let (result, attempts) = scripted(&[503], None, false, 3, None).await;
        assert_eq!(attempts, 1);
        assert_eq!(result.unwrap_err().status(), Some(503));
    }

    #[tokio::test(start_paused = true)]
    async fn never_sleeps_past_the_deadline() {
        let start = Instant::now();
        let (result, attempts) =
            scripted(&[429], Some(Duration::from_secs(2)), true, 100, Some(Duration::from_secs(5))).await;
        assert_eq!(attempts, 3);
        assert_eq!(start.elapsed(), Duration::from_secs(4));
        match result.unwrap_err() {
            ApiError::Timeout { method: "GET", path, last: Some(last) } => {
                assert_eq!(path, "/p");
                assert_eq!(last.status(), Some(429));
            }
            other => panic!("{other}"),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn past_deadline_means_no_attempt() {
        let (result, attempts) = scripted(&[200], None, true, 3, Some(Duration::ZERO)).await;
        assert_eq!(attempts, 0);
        assert!(matches!(result, Err(ApiError::Timeout { last: None, .. })));
    }
}
