//! Waits for an instance's status: the resource's status table says which statuses end the wait;
//! each poll reads the status member (as the contract's status table names it) of the answer of a
//! call about the instance (its show or status call), and the resource may judge what it saw. Also
//! the delete followed by the wait until the instance is gone.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::Mutex;

use serde_json::Value as Json;

use hwapi::contract::{Code, Op, Statuses};

use super::ctx::Ctx;
use super::def::ResourceDef;
use super::defaults::call_for;
use super::error::Error;
use crate::client::{ApiError, Call};
use crate::waiter::{self, Schedule, Seen, StatusTable, WaitError};

/// The status of the instance `id` (the member `statuses.member` of the answer of `op`, its show or
/// status call) and the answer; None when the call answers "not found". A status that is not text
/// is a garbled answer.
pub async fn status_of(
    ctx: &Ctx,
    def: &ResourceDef,
    (op, statuses): (&'static Op, &Statuses),
    id: &str,
) -> Result<Option<(String, Json)>, ApiError> {
    let Some(r) = ctx.send_or_gone(call_for(def, op, id)).await? else { return Ok(None) };
    let member = statuses.member;
    match r.body.get(member) {
        None => Err(r.unexpected(format!("missing field `{member}`"))),
        Some(v) => match serde_json::from_value(v.clone()) {
            Ok(status) => Ok(Some((status, r.body))),
            Err(e) => Err(r.unexpected(e)),
        },
    }
}

/// What a poll saw, with no more than the status.
pub async fn seen(status: String, _answer: Json) -> Result<Seen, ApiError> {
    Ok(Seen::status(status))
}

/// What a poll saw: the status, with the answer's `error` object (`error_code`, `error_msg`, the
/// services' error shape), when it has one, as the detail.
pub fn seen_with_error(status: String, answer: &Json) -> Seen {
    let detail = answer.get("error").filter(|e| !e.is_null()).map(|e| {
        let text = |k: &str| e[k].as_str().filter(|s| !s.is_empty()).map_or(format!("no {k}"), str::to_string);
        format!("error_code {}, error_msg {:?}", text("error_code"), text("error_msg"))
    });
    Seen::Status { status, detail }
}

/// [`wait_status`] with the status and its `error` detail ([`seen_with_error`]) as what each poll saw.
pub async fn wait_for(
    ctx: &Ctx,
    def: &ResourceDef,
    status: (&'static Op, &Statuses),
    id: &str,
    table: &StatusTable,
) -> Result<(), Error> {
    wait_status(ctx, def, status, id, table, |s, answer| async move { Ok(seen_with_error(s, &answer)) }).await.map(drop)
}

/// Wait until the instance `id` is gone (or in a `gone` status of `table`): a failure status seen before
/// any other is the state the instance was in before the deletion started (an instance whose creation
/// failed), not the deletion failing.
pub async fn wait_deleted(
    ctx: &Ctx,
    def: &ResourceDef,
    status: (&'static Op, &Statuses),
    id: &str,
    table: &StatusTable,
) -> Result<(), Error> {
    let started = &std::sync::atomic::AtomicBool::new(false);
    let judge = move |state: String, answer: Json| async move {
        use std::sync::atomic::Ordering::Relaxed;
        if table.fails_on(&state) && !started.load(Relaxed) {
            return Ok(Seen::status(format!("{state} (deletion not started yet)")));
        }
        started.store(true, Relaxed);
        Ok(seen_with_error(state, &answer))
    };
    wait_status(ctx, def, status, id, table, judge).await.map(drop)
}

/// Wait until the instance `id` reaches a status `table` ends the wait with, polling `op`;
/// `judge` turns each status and answer into what the poll saw (a detail such as why it failed, or
/// a status the answer alone does not tell). Returns the last answer (the instance as `op` shows it).
pub async fn wait_status<J, Fut>(
    ctx: &Ctx,
    def: &ResourceDef,
    (op, statuses): (&'static Op, &Statuses),
    id: &str,
    table: &StatusTable,
    judge: J,
) -> Result<Option<Json>, Error>
where
    J: Fn(String, Json) -> Fut,
    Fut: Future<Output = Result<Seen, ApiError>>,
{
    let last = Mutex::new(None);
    let (kept, judge) = (&last, &judge);
    let poll = move || async move {
        let Some((status, answer)) = status_of(ctx, def, (op, statuses), id).await? else { return Ok(Seen::Gone) };
        *kept.lock().unwrap_or_else(|e| e.into_inner()) = Some(answer.clone());
        judge(status, answer).await
    };
    waiter::wait(&def.label(id), table, Schedule::configured(), ctx.deadline, poll).await?;
    Ok(last.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Send the delete `call`, resent while the instance answers one of `busy` once `settle` says it
/// settled, then `wait` until it is gone; an instance that is already gone is no error.
pub async fn delete_then<S, SFut, W, WFut, T>(
    ctx: &Ctx,
    call: Call,
    busy: &[Code],
    settle: S,
    wait: W,
) -> Result<(), Error>
where
    S: Fn() -> SFut,
    SFut: Future<Output = Result<(), Error>>,
    W: FnOnce() -> WFut,
    WFut: Future<Output = Result<T, Error>>,
{
    match ctx.send_when_idle(call, busy, settle).await {
        Ok(()) => wait().await.map(drop),
        Err(Error::Api(e)) if e.is_not_found() => Ok(()),
        Err(Error::Wait(WaitError::Gone { .. })) => Ok(()),
        Err(e) => Err(e),
    }
}

/// Log `message` at warn level the first time this process (one apply) says it about `what`, at
/// debug level afterwards: a wait polls up to every 10 s.
pub fn warn_once(what: &str, message: &str) {
    static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    if WARNED.lock().map(|mut w| w.insert(what.to_string())).unwrap_or(true) {
        tracing::warn!("{what}: {message}");
    } else {
        tracing::debug!("{what}: {message}");
    }
}

/// A wait until one of the `target` statuses, failing on those of `failure` (the instance
/// disappearing is an error).
pub const fn until(target: &'static [&'static str], failure: &'static [&'static [&'static str]]) -> StatusTable {
    StatusTable { target, failure, gone_is_success: false }
}
