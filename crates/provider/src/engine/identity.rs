//! Never a duplicate: the identity (name) check before a create or rename, a create whose answer was
//! lost healed by looking for what it made, and the check after a create that tells a run when another
//! run created the same identity at the same moment.

use std::time::{Duration, SystemTime};

use tfplugin::framework::TfValue;
use tfplugin::framework::{AttributePath, Diagnostics};

use super::base::{Engine, SALVAGE_TIMEOUT};
use super::ctx::{deadline_in, Ctx};
use super::diag::{diag, warn};
use super::error::Error;
use super::hooks::Hooks;
use super::instance::{Created, Existing};
use crate::client::ApiError;
use crate::waiter::Schedule;

/// What the looks after a create whose answer was lost found.
enum Look {
    /// Exactly one live instance with the identity, created after the request left: this apply's.
    Ours(Existing),
    /// Nothing with the identity, after every look the list was given to settle.
    Nothing,
    /// Anything else: why the evidence does not allow adopting or resending.
    Unclear(String),
}

/// How much earlier than the request an instance's creation time may read and still be the request's:
/// the services give creation times to the second, and their clock may differ from this machine's (the
/// gateway accepts signatures up to 15 minutes off). The look before the create found no instance with
/// the identity, so one found now was made since; this only refuses one plainly older.
const CREATED_SLACK: Duration = Duration::from_secs(300);

/// How a create failed where the service may have acted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failed {
    /// It answered with a server error (5xx).
    ServerError,
    /// The request left and its answer was lost (a dropped connection, no answer in time).
    Lost,
    /// It answered with success, but the answer could not be used: it surely acted.
    Acted,
}

/// How a create that failed with `e` may have been acted on; None when the service surely did not act.
fn how_failed(e: &Error) -> Option<Failed> {
    fn of(api: &ApiError) -> Option<Failed> {
        match api {
            ApiError::Decode { .. } => Some(Failed::Acted),
            ApiError::Timeout { last: Some(last), .. } => of(last),
            ApiError::Service { status: 500..=599, .. } => Some(Failed::ServerError),
            other if crate::client::retry::may_have_acted(other) => Some(Failed::Lost),
            _ => None,
        }
    }
    match e {
        Error::Message(_) => Some(Failed::Acted),
        Error::Api(api) => of(api),
        Error::Wait(_) => None,
    }
}

impl<H: Hooks> Engine<H> {
    /// How to adopt an existing instance instead of creating one.
    pub(super) fn import_advice(&self, found: &[Existing]) -> String {
        let t = self.type_name();
        let id = found.first().map_or("<id>", |e| e.id.as_str());
        format!(
            "To manage {} with this resource, import it (ADDRESS is this resource's address, which Terraform \
shows below after \"with\", e.g. {t}.example):\n\n  import {{\n    to = ADDRESS\n    id = {id:?}\n  }}\n\n\
or run: terraform import ADDRESS {id:?}",
            if found.len() > 1 { "one of them" } else { "it" }
        )
    }

    /// Fails a create whose identity is taken: what exists, and how to import it.
    fn already_exists(&self, diags: &mut Diagnostics, name: &str, found: &[Existing]) {
        let key = self.def().identity;
        let list = found.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n");
        let detail = format!(
            "An instance with {key} {name:?} already exists, and this provider never creates a second one with the \
same {key}:\n{list}\n\n{}\n\nTo create a new instance instead, give it a {key} no live instance has (with \
create_before_destroy, a replacement needs a new {key} too). Nothing was created.",
            self.import_advice(found)
        );
        diag(diags, format!("{} {name:?} already exists", self.type_name()), detail, AttributePath::new(key));
    }

    /// Claims the planned identity for this run and checks that no live instance other than `own` (the
    /// instance being renamed; None for a create) carries it. False, with an error diagnostic, when the
    /// create or rename must not go ahead.
    pub(super) async fn identity_free(
        &self,
        diags: &mut Diagnostics,
        ctx: &Ctx,
        planned: &TfValue,
        own: Option<&str>,
    ) -> bool {
        let (t, key) = (self.type_name(), self.def().identity);
        let name = self.identity(planned).unwrap_or_default();
        // Two resources of one apply with the same identity would both find nothing and both go ahead.
        if !self.provider.claim(&format!("{t}/{}", self.hooks.claim_key(planned))) {
            let detail = match own {
                None => format!(
                    "Another {t} in this run already creates or created an instance with {key} {name:?}. This \
provider never creates two instances with the same {key}: give each resource its own {key}. Nothing was created."
                ),
                Some(_) => format!("Another {t} in this run already uses {key} {name:?}. Nothing was changed."),
            };
            diag(diags, format!("Duplicate {t} {key} {name:?}"), detail, AttributePath::new(key));
            return false;
        }
        match self.live_with_identity(ctx, planned).await {
            Ok(found) => {
                let others: Vec<Existing> = found.into_iter().filter(|e| Some(e.id.as_str()) != own).collect();
                if !others.is_empty() {
                    self.already_exists(diags, name, &others);
                    return false;
                }
                true
            }
            Err(e) => {
                let (what, done, action) = match own {
                    None => ("an existing", "created", "creating"),
                    Some(_) => ("another", "changed", "updating"),
                };
                let note = format!(
                    "Looking for {what} instance with {key} {name:?} failed, so nothing was {done}: the next apply \
looks again."
                );
                self.fail_with(diags, action, own, &e, &note);
                false
            }
        }
    }

    /// The live instances with the planned identity: those being deleted are on their way out.
    async fn live_with_identity(&self, ctx: &Ctx, planned: &TfValue) -> Result<Vec<Existing>, Error> {
        let going = self.def().health.going;
        let found = self.hooks.find_existing(ctx, planned).await?;
        Ok(found.into_iter().filter(|e| !going.contains(&e.status.as_str())).collect())
    }

    /// Send the create call. When the service may have acted on it (its answer a server error, lost, or
    /// a success that could not be used), look for the planned identity: exactly one live instance,
    /// created after the first request left, is this apply's and is adopted; none at all, the list given
    /// time to settle, means the call is sent again (only after a server error or a lost answer, counted
    /// against `max_retries`); anything else stops with what was found and how to import it. `Err`
    /// carries the note that explains the error.
    pub(super) async fn create_healing(&self, ctx: &Ctx, planned: &TfValue) -> Result<Created, (Error, String)> {
        let max = ctx.client.config().max_retries;
        let mut resent = 0;
        let first_left = SystemTime::now();
        loop {
            let e = match self.hooks.create(ctx, planned).await {
                Ok(created) => return Ok(created),
                Err(e) => e,
            };
            let Some(failed) = how_failed(&e) else {
                let note = nothing_created(&e);
                return Err((e, note));
            };
            let (key, name) = (self.def().identity, self.identity(planned).unwrap_or("?"));
            match self.look_after_lost_create(ctx, planned, first_left, failed).await {
                Look::Ours(found) => {
                    tracing::warn!(
                        "the create of {} {name:?} failed ({e}), but the service made it: adopting {}",
                        self.type_name(),
                        found.id
                    );
                    return Ok(Created { id: found.id, answer: serde_json::Value::Null });
                }
                Look::Nothing if failed == Failed::Acted => {
                    let note = format!(
                        "The service accepted the request but its answer could not be used, and no instance with \
{key} {name:?} is listed yet. Look it up in the console and import it; the next apply looks again before it \
creates anything."
                    );
                    return Err((e, note));
                }
                Look::Nothing if resent < max && tokio::time::Instant::now() < ctx.deadline => {
                    resent += 1;
                    tracing::info!(
                        "the create of {} {name:?} failed ({e}) and no instance with {key} {name:?} exists: \
sending it again ({resent} of at most {max})",
                        self.type_name()
                    );
                }
                Look::Nothing => {
                    let note = format!(
                        "The request was sent, and the service failed or its answer was lost, but no instance with \
{key} {name:?} exists now{}: running apply again is safe.",
                        if resent > 0 { format!(" (it was sent {} times)", resent + 1) } else { String::new() }
                    );
                    return Err((e, note));
                }
                Look::Unclear(note) => return Err((e, note)),
            }
        }
    }

    /// Looks for the instance a create may have made, the first request of which left at `left`: at
    /// once, then with growing pauses (a list may show a new instance late; a lost answer is given
    /// longer than a server error). A look that cannot be made, or is cut short (Ctrl-C, the deadline),
    /// never reads as "nothing there".
    async fn look_after_lost_create(&self, ctx: &Ctx, planned: &TfValue, left: SystemTime, failed: Failed) -> Look {
        let (key, name) = (self.def().identity, self.identity(planned).unwrap_or("?"));
        let first = Schedule::configured().first;
        let pauses: &[u32] = match failed {
            Failed::ServerError => &[0, 4, 8],
            Failed::Lost | Failed::Acted => &[0, 4, 8, 16, 32],
        };
        let cut_short = |why: &str| {
            Look::Unclear(format!(
                "The request was sent, and the service failed or its answer was lost: the service may have created \
the instance anyway, and the look for it was cut short ({why}). The next apply looks again before it creates \
anything."
            ))
        };
        for pause in pauses.iter().map(|n| first * *n) {
            if tokio::time::Instant::now() + pause >= ctx.deadline {
                return cut_short("the create timeout ran out");
            }
            tokio::select! {
                biased;
                _ = crate::stop::requested() => return cut_short("the run was interrupted"),
                _ = tokio::time::sleep(pause) => {}
            }
            let found = match self.live_with_identity(ctx, planned).await {
                Ok(found) => found,
                Err(lookup) => {
                    return Look::Unclear(format!(
                        "The request was sent, and the service failed or its answer was lost: the service may have \
created the instance anyway, and looking for it failed ({lookup}). The next apply looks again before it creates \
anything."
                    ))
                }
            };
            let after = |e: &Existing| e.created_at.is_some_and(|t| t + CREATED_SLACK >= left);
            match found.as_slice() {
                [] => continue,
                [one] if after(one) => return Look::Ours(one.clone()),
                many => {
                    let why = match many {
                        [one] if one.created_at.is_none() => "its creation time is unknown".to_string(),
                        [_] => "it was created before this request was sent".to_string(),
                        _ => format!("there are {}", many.len()),
                    };
                    return Look::Unclear(format!(
                        "The request was sent, and the service failed or its answer was lost: the service may have \
created the instance anyway. Instances with {key} {name:?} now ({why}, so none is adopted):\n{}\nIf one of them is the \
instance this apply created, adopt it instead of applying again (a new apply stops at the same check and creates \
nothing).\n\n{}",
                        many.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"),
                        self.import_advice(many)
                    ));
                }
            }
        }
        Look::Nothing
    }

    /// After a create: another live instance with the same identity means another run (another state)
    /// created it at the same moment. The apply says so on the resource, with both ids; the instance
    /// made here stays in this state.
    pub(super) async fn check_twins(&self, diags: &mut Diagnostics, ctx: &Ctx, planned: &TfValue, id: &str) {
        // Its own deadline: the wait may have used up the create's.
        let ctx = Ctx::new(ctx.client.clone(), deadline_in(SALVAGE_TIMEOUT));
        let (t, key, name) = (self.type_name(), self.def().identity, self.identity(planned).unwrap_or("?"));
        let found = match self.live_with_identity(&ctx, planned).await {
            Ok(found) => found,
            Err(e) => {
                warn(
                    diags,
                    format!("{t} {id}: could not check that it is the only one named {name:?}"),
                    format!(
                        "{e}\nAnother run creating the same {key} at the same moment would go unnoticed; list the \
instances named {name:?} to be sure."
                    ),
                    AttributePath::new(key),
                );
                return;
            }
        };
        let others: Vec<&Existing> = found.iter().filter(|e| e.id != id).collect();
        if others.is_empty() {
            return;
        }
        let ids: Vec<&str> = others.iter().map(|e| e.id.as_str()).collect();
        let detail = format!(
            "This apply created {id}, and meanwhile another live instance with {key} {name:?} appeared:\n{}\n\n\
The provider looks before every create, but two runs with separate states (two pipelines, two workspaces) that \
create the same {key} at the same moment both pass that look. {id} is recorded in this state; the other is not. \
Keep one: if the other belongs to another configuration, give one of the two another {key}; if it is left over, \
delete it, or import it where it belongs (terraform import ADDRESS {:?}).",
            others.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"),
            ids[0]
        );
        warn(diags, format!("Two {t} named {name:?}: {id} and {}", ids.join(", ")), detail, AttributePath::new(key));
    }
}

/// What a create error where the service surely did not act means.
fn nothing_created(e: &Error) -> String {
    fn why(api: &ApiError) -> &'static str {
        match api {
            ApiError::Transport { .. } | ApiError::Config(_) => "the request never reached the service",
            ApiError::Timeout { last: None, .. } => "the request was never sent",
            ApiError::Timeout { last: Some(last), .. } => why(last),
            e if e.status() == Some(429) => "the service throttled the request",
            _ => "the service refused the request",
        }
    }
    let why = match e {
        Error::Api(api) if api.call().is_some_and(|(m, _)| m != "POST") => "the create request was never sent",
        Error::Api(api) => why(api),
        _ => "the service refused the request",
    };
    format!("Nothing was created ({why}): fix the cause and apply again.")
}
