//! What a hook gets (the client and the deadline), with the ways of sending its calls: once, and
//! until the instance is no longer busy.

use std::time::Duration;

use tokio::time::Instant;

use super::error::Error;
use super::instance::Created;
use super::timeouts;
use crate::client::{ApiError, Call, Client, Response};
use hwapi::contract::Code;

/// What a hook gets: the configured client and the operation's deadline.
pub struct Ctx {
    pub client: Client,
    pub deadline: Instant,
    /// Warnings a hook has for the user (summary, detail), shown with the step's result.
    pub notes: std::sync::Mutex<Vec<(String, String)>>,
}

impl Ctx {
    pub fn new(client: Client, deadline: Instant) -> Ctx {
        Ctx { client, deadline, notes: Default::default() }
    }

    /// A warning for the user, shown when the step ends (whatever its result).
    pub fn note(&self, summary: impl Into<String>, detail: impl Into<String>) {
        if let Ok(mut n) = self.notes.lock() {
            n.push((summary.into(), detail.into()));
        }
    }

    /// The warnings noted so far (taken).
    pub fn take_notes(&self) -> Vec<(String, String)> {
        self.notes.lock().map(|mut n| std::mem::take(&mut *n)).unwrap_or_default()
    }

    pub async fn send(&self, call: Call) -> Result<Response, ApiError> {
        self.client.send(&call, Some(self.deadline)).await
    }

    /// Send a call about one instance where "not found" means the instance is gone: `None` then.
    pub async fn send_or_gone(&self, call: Call) -> Result<Option<Response>, ApiError> {
        match self.send(call).await {
            Ok(r) => Ok(Some(r)),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Send a create call and return the new instance (the answer's `instance_id`).
    pub async fn create_instance(&self, call: Call) -> Result<Created, Error> {
        #[derive(serde::Deserialize)]
        struct Answer {
            instance_id: Option<String>,
        }
        let r = self.send(call).await?;
        match r.parse::<Answer>()?.instance_id {
            Some(id) if !id.is_empty() => Ok(Created { id, answer: r.body.clone() }),
            _ => Err(Error::Api(r.unexpected("the create call answered without an instance_id"))),
        }
    }

    /// Send a call that acts on an instance. While another operation keeps the instance busy (an
    /// answer listed in `busy`), wait with `settle` until it is ready again and resend, as long as the
    /// deadline allows.
    pub async fn send_when_idle<F, Fut>(&self, call: Call, busy: &[Code], settle: F) -> Result<(), Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<(), Error>>,
    {
        let settled = || async { settle().await.map(|()| false) };
        self.send_when_idle_unless(call, busy, settled).await.map(|_| ())
    }

    /// [`Ctx::send_when_idle`], where `settle` also says, once the instance has settled, whether the
    /// call is no longer needed (the instance already is as the call would make it, e.g. after an
    /// interrupted apply's resize): then nothing is resent and the answer is None.
    pub async fn send_when_idle_unless<F, Fut>(
        &self,
        call: Call,
        busy: &[Code],
        settle: F,
    ) -> Result<Option<Response>, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<bool, Error>>,
    {
        let (method, path) = (call.method.as_str(), call.path);
        let mut pause = BusyPause::new();
        loop {
            let e = match self.send(call.clone()).await {
                Ok(r) => return Ok(Some(r)),
                Err(e) => e,
            };
            let what = || format!("{method} {path}: the instance is busy; waiting for it to settle to resend");
            if !pause.wait(self, busy, &e, what).await {
                return Err(e.into());
            }
            if settle().await? {
                tracing::info!("{method} {path}: no longer needed once the instance settled");
                return Ok(None);
            }
        }
    }
}

/// Is `e` one of the answers that mean "busy with another operation" (codes of the contract's error
/// table)?
pub fn is_busy(busy: &[Code], e: &ApiError) -> bool {
    e.status().is_some_and(|status| busy.iter().any(|c| c.matches(status, e.error_code())))
}

/// The pause between resends of a call an instance answered "busy": 0.5 s, doubling up to 10 s.
pub(crate) struct BusyPause(Duration);

impl BusyPause {
    pub(crate) fn new() -> BusyPause {
        BusyPause(Duration::from_millis(500))
    }

    /// When `e` means busy (one of `busy`) and the deadline leaves room for the pause: log `what`, wait
    /// the pause and double it, and say true (the caller settles and tries again). False when the error
    /// stands: not busy, no time left, or a stop requested during the pause.
    pub(crate) async fn wait(&mut self, ctx: &Ctx, busy: &[Code], e: &ApiError, what: impl FnOnce() -> String) -> bool {
        if !is_busy(busy, e) || Instant::now() + self.0 >= ctx.deadline {
            return false;
        }
        tracing::info!("{}", what());
        tokio::select! {
            biased;
            _ = crate::stop::requested() => return false,
            _ = tokio::time::sleep(self.0) => {}
        }
        self.0 = (self.0 * 2).min(Duration::from_secs(10));
        true
    }
}

/// `now + d`, never overflowing (a far deadline is as good as none).
pub fn deadline_in(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).unwrap_or_else(|| now + timeouts::MAX_TIMEOUT)
}
