//! The in-place changes of an update: the declared changes in order, resent while the instance is busy.

use serde_json::json;
use tfplugin::framework::TfValue;

use super::change::{self, Change};
use super::ctx::{BusyPause, Ctx};
use super::error::{garbled, Error};
use super::field::{Codec, Field, Read};
use super::hooks::Hooks;
use super::reading;
use super::value::{as_str, get};
use crate::client::ApiError;
use crate::waiter::{self, Schedule, Seen, StatusTable};

/// Apply the in-place changes from `prior` to `plan`: the declared changes in order, each call whose
/// arguments changed (the engine's update; public for the wiremock tests). A call answered "busy"
/// waits for the instance to settle, reads it again and sends what is then still different.
pub async fn update<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    prior: &TfValue,
    plan: &TfValue,
) -> Result<(), Error> {
    let def = hooks.def();
    let mut prior = prior.clone();
    for ch in def.changes {
        let mut pause = BusyPause::new();
        loop {
            let carried = change::carried(def.fields, ch.op);
            if !carried.iter().any(|f| change::differs(&prior, plan, f.name)) {
                break;
            }
            let sent = send_change(hooks, ctx, id, ch, &carried, &prior, plan).await;
            let what = || {
                format!(
                    "{}: {} is busy; waiting for it to settle, then sending what is still different",
                    ch.op.label(),
                    def.label(id)
                )
            };
            match &sent {
                Err(Error::Api(e)) if pause.wait(ctx, def.busy, e, what).await => {}
                _ => {
                    sent?;
                    // What a declared call sent is now as planned: a later call of the update that carries
                    // the same argument (a password a reinstall already set) has nothing left to send. (Tag
                    // calls and hooks each send a part: the next call sends the rest.)
                    if matches!(ch.send, change::Send::Changed { .. }) {
                        let sent = carried.iter().map(|f| f.name).chain(change::together(ch).iter().copied());
                        record(&mut prior, plan, sent);
                    }
                    break;
                }
            }
            hooks.settle(ctx, id).await?;
            let Some(api) = hooks.read(ctx, id).await? else {
                return Err(Error::Message(format!("{} no longer exists", def.label(id))));
            };
            let current = reading::state_from_api(def.fields, &api, &prior).map_err(|g| garbled(def.read_by, g))?;
            prior = TfValue::Map(current);
        }
    }
    Ok(())
}

/// `prior` takes the planned values of `names`.
fn record<'a>(prior: &mut TfValue, plan: &TfValue, names: impl Iterator<Item = &'a str>) {
    if let TfValue::Map(m) = prior {
        for n in names {
            m.insert(n.to_string(), get(plan, n).clone());
        }
    }
}

/// After a change that waits: until the instance reads back with the planned values of what the call
/// carried (arguments the API shows) and, for a resource with statuses, in a ready status; a failure
/// status ends the wait. A status alone cannot say it: an instance may still show `running` before the
/// change has started.
async fn wait_applied<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    carried: &[&'static Field],
    prior: &TfValue,
    plan: &TfValue,
) -> Result<(), Error> {
    let def = hooks.def();
    let shown: Vec<&Field> = carried.iter().copied().filter(|f| f.read != Read::Keep).collect();
    let health = def.health;
    const TABLE: StatusTable = StatusTable { target: &["applied"], failure: &[&["failed"]], gone_is_success: false };
    let poll = || async {
        let api = match hooks.read(ctx, id).await {
            Ok(Some(api)) => api,
            Ok(None) => return Ok(Seen::Gone),
            Err(Error::Api(e)) => return Err(e),
            Err(e) => return Err(ApiError::Config(e.to_string())),
        };
        let now = reading::state_from_api(def.fields, &api, prior).map_err(|g| ApiError::Config(g.to_string()))?;
        let now = TfValue::Map(now);
        let status = as_str(get(&now, "status")).unwrap_or_default().to_string();
        if health.failed.contains(&status.as_str()) || health.create_failed.contains(&status.as_str()) {
            return Ok(Seen::Status { status: "failed".into(), detail: Some(format!("status {status}")) });
        }
        let ready = health.ready.is_empty() || health.ready.contains(&status.as_str());
        // A member the answer does not show is not judged (never from a value the API did not return).
        let answered = |f: &Field| hwapi::contract::at(&api, if let Read::Path(p) = f.read { p } else { f.api_name() });
        let applied = shown.iter().all(|f| answered(f).is_none() || get(&now, f.name) == get(plan, f.name));
        Ok(Seen::status(if ready && applied { "applied".to_string() } else { format!("{status} (not applied yet)") }))
    };
    waiter::wait(&def.label(id), &TABLE, Schedule::configured(), ctx.deadline, poll).await?;
    Ok(())
}

/// One declared change's calls, sent once each.
async fn send_change<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    ch: &Change,
    carried: &[&'static Field],
    prior: &TfValue,
    plan: &TfValue,
) -> Result<(), Error> {
    use change::Send;
    let def = hooks.def();
    let call = || super::defaults::call_for(def, ch.op, id).idempotent(true);
    match ch.send {
        Send::Hook => hooks.apply_change(ctx, id, ch, prior, plan).await,
        Send::Changed { wait, .. } => {
            if let Some(body) = change::changed_body(ch, def.fields, id, prior, plan) {
                ctx.send(call().body(body)).await?;
                if wait {
                    wait_applied(hooks, ctx, id, carried, prior, plan).await?;
                }
            }
            Ok(())
        }
        Send::TagsRemoved | Send::TagsAdded | Send::TagActions => {
            let Some(f) = carried.iter().find(|f| f.codec == Codec::TagList) else { return Ok(()) };
            let (removed, added) = change::tag_changes(get(prior, f.name), get(plan, f.name));
            let bodies = match ch.send {
                Send::TagsRemoved => vec![json!({ "tags": removed })],
                Send::TagsAdded => vec![json!({ "tags": added })],
                _ => vec![json!({"action": "delete", "tags": removed}), json!({"action": "create", "tags": added})],
            };
            for body in bodies.into_iter().filter(|b| b["tags"].as_array().is_some_and(|t| !t.is_empty())) {
                ctx.send(call().body(body)).await?;
            }
            Ok(())
        }
    }
}
