//! The engine of one resource (`Engine<H>`): its hooks and the shared provider state, with the helpers
//! every lifecycle step uses (contexts, timeouts, failures, the state built from an answer, health).

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value as Json;
use tfplugin::framework::TfValue;
use tfplugin::framework::{AttributePath, Diagnostics};

use super::ctx::{deadline_in, Ctx};
use super::def::ResourceDef;
use super::diag::{diag, failed, path_label, warn};
use super::error::Error;
use super::field::Kind;
use super::hooks::Hooks;
use super::reading::{self, Reading};
use super::state::ProviderState;
use super::value::{self, get, has_unknown, Obj};
use super::{schema, tags, validate};
use hwapi::contract::Op;

/// After a failed wait, how long the engine may spend reading what exists.
pub(super) const SALVAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// One resource's implementation of Terraform's lifecycle: its hooks and what the resources share.
pub struct Engine<H: Hooks> {
    pub(super) hooks: H,
    pub(super) provider: Arc<ProviderState>,
}

impl<H: Hooks> Engine<H> {
    pub fn new(hooks: H, provider: Arc<ProviderState>) -> Self {
        Engine { hooks, provider }
    }

    pub(super) fn def(&self) -> &'static ResourceDef {
        self.hooks.def()
    }

    pub(super) fn type_name(&self) -> String {
        format!("huaweicloud_{}", self.def().name)
    }

    pub(super) fn ctx(&self, diags: &mut Diagnostics, timeout: Duration) -> Option<Ctx> {
        match self.provider.client() {
            Some(client) => Some(Ctx::new(client, deadline_in(timeout))),
            None => {
                diag(
                    diags,
                    "Provider not configured",
                    "The huaweicloud provider was used before it was configured.",
                    AttributePath::root(),
                );
                None
            }
        }
    }

    /// The timeout of `op`, or an error on the `timeouts` block (a value unknown at plan is checked here).
    pub(super) fn timeout(&self, diags: &mut Diagnostics, obj: &TfValue, op: &str) -> Option<Duration> {
        match self.def().timeouts.for_op(obj, op) {
            Ok(t) => Some(t),
            Err(e) => {
                let path = schema::timeouts_path(obj).attribute(op.to_string());
                diag(diags, "Invalid timeout", format!("{e}. Nothing was sent to the API."), path);
                None
            }
        }
    }

    pub(super) fn fail(&self, diags: &mut Diagnostics, action: &str, id: Option<&str>, err: &Error) {
        self.fail_with(diags, action, id, err, "");
    }

    /// `fail` with a note after the error's own text.
    pub(super) fn fail_with(&self, diags: &mut Diagnostics, action: &str, id: Option<&str>, err: &Error, note: &str) {
        let what = match id {
            Some(id) => format!("{} {id}", self.type_name()),
            None => self.type_name(),
        };
        failed(diags, &format!("{action} {what}"), err, note);
    }

    /// The id in `state`, checked against the resource's id format before it can reach a URL.
    /// `Err` is an error diagnostic already added: nothing may be sent for this resource.
    pub(super) fn checked_id(&self, diags: &mut Diagnostics, state: &TfValue) -> Result<Option<String>, ()> {
        let Some(id) = Self::id_of(state) else { return Ok(None) };
        match validate::check_value(&self.def().id_check, &TfValue::String(id.clone())) {
            None => Ok(Some(id)),
            Some(problem) => {
                let detail = format!(
                    "The state holds the id {id:?} for this {}, but the id {problem}. No request was sent. \
If the state was edited by hand, restore it; otherwise remove the entry with `terraform state rm` and import \
the instance by its real id.",
                    self.type_name()
                );
                diag(diags, format!("Invalid {} id in state", self.type_name()), detail, AttributePath::new("id"));
                Err(())
            }
        }
    }

    /// The state built from an API answer of `source`, carrying over id and timeouts, and write-only
    /// values (and what the answer lacks of create-only ones) from `prior`. `reading` gathers what the
    /// answer did not give. An answer whose members do not fit their attributes is an error naming the
    /// call and the member.
    pub(super) fn state_from(
        &self,
        id: &str,
        api: &Json,
        prior: &TfValue,
        source: &Op,
        reading: &mut Reading,
    ) -> Result<TfValue, Error> {
        let mut obj = reading::read_state(self.def().fields, api, prior, reading).map_err(|g| {
            Error::Message(format!(
                "{}: {g}. Nothing was changed: an answer that does not fit is not read as \"no value\".",
                source.label()
            ))
        })?;
        tags::read(self.def().fields, &mut obj, prior, reading.imported, &self.provider.default_tags());
        obj.insert("id".into(), TfValue::String(id.into()));
        obj.insert("timeouts".into(), get(prior, "timeouts").clone());
        Ok(TfValue::Map(obj))
    }

    /// `v` as the API sees it: `tags` are every tag, the provider's defaults with the instance's own
    /// ([`tags::wire`]).
    pub(super) fn wire(&self, v: &TfValue) -> TfValue {
        tags::wire(self.def().fields, v, &self.provider.default_tags())
    }

    /// After an apply: known planned values stand; what the plan left unknown comes from the API.
    pub(super) fn settle(&self, planned: &TfValue, observed: Option<&TfValue>, id: &str) -> TfValue {
        let mut out = match planned {
            TfValue::Map(m) => m.clone(),
            _ => Obj::new(),
        };
        for (name, v) in out.iter_mut() {
            if has_unknown(v) {
                *v = observed.map(|o| get(o, name).clone()).unwrap_or(TfValue::Null);
                if has_unknown(v) {
                    *v = TfValue::Null;
                }
            }
        }
        out.insert("id".into(), TfValue::String(id.into()));
        TfValue::Map(out)
    }

    /// The instance as the API shows it now, over `prior`; None when it is gone.
    pub(super) async fn observe(&self, ctx: &Ctx, id: &str, prior: &TfValue) -> Result<Option<TfValue>, Error> {
        match self.hooks.read(ctx, id).await? {
            Some(api) => self.state_from(id, &api, prior, self.def().read_by, &mut Reading::default()).map(Some),
            None => Ok(None),
        }
    }

    /// The planned instance's identity value (e.g. its name), when known.
    pub(super) fn identity<'a>(&self, planned: &'a TfValue) -> Option<&'a str> {
        value::as_str(get(planned, self.def().identity))
    }

    pub(super) async fn salvage(&self, id: &str, prior: &TfValue) -> Option<TfValue> {
        let ctx = Ctx::new(self.provider.client()?, deadline_in(SALVAGE_TIMEOUT));
        self.observe(&ctx, id, prior).await.ok().flatten()
    }

    pub(super) fn id_of(state: &TfValue) -> Option<String> {
        value::as_str(get(state, "id")).map(str::to_string)
    }

    /// A state with every attribute present and null (blocks empty): the shape import starts from.
    pub(super) fn blank(&self, id: &str) -> TfValue {
        let mut obj: Obj = self
            .def()
            .fields
            .iter()
            .map(|f| {
                let v = match f.kind {
                    Kind::Block { .. } if !f.is_single_block() => TfValue::List(vec![]),
                    _ => TfValue::Null,
                };
                (f.name.to_string(), v)
            })
            .collect();
        obj.insert("id".into(), TfValue::String(id.into()));
        obj.insert("timeouts".into(), TfValue::Null);
        TfValue::Map(obj)
    }

    /// Adds an error for each change no API can make; true when there was one.
    pub(super) fn refuse_changes(
        &self,
        diags: &mut Diagnostics,
        prior: &TfValue,
        proposed: &TfValue,
        config: &TfValue,
    ) -> bool {
        let problems = self.hooks.change_problems(prior, proposed, config);
        for (names, message) in &problems {
            let path = validate::rule_path(proposed, names);
            diag(diags, "Change not possible in place", format!("{} {message}", path_label(&path)), path);
        }
        !problems.is_empty()
    }

    /// Is the instance of this state on its way out (being deleted)?
    pub(super) fn going_away(&self, state: &TfValue) -> bool {
        value::as_str(get(state, "status")).is_some_and(|s| self.def().health.going.contains(&s))
    }

    /// A warning when a refreshed instance is in a failure state or being deleted.
    pub(super) fn warn_health(&self, diags: &mut Diagnostics, id: &str, state: &TfValue) {
        let Some(status) = value::as_str(get(state, "status")) else { return };
        let health = &self.def().health;
        let t = self.type_name();
        let replace = "To replace it, run `terraform apply -replace=ADDRESS` with this resource's address (shown \
below after \"with\").";
        let (summary, detail) = if self.going_away(state) {
            let next = match self.hooks.destroy_blocker(state) {
                None => "The plan replaces it: the apply waits until it is gone, then creates it again.".to_string(),
                Some(why) => format!("Terraform cannot replace it, as {why}"),
            };
            (
                format!("{t} {id} is being deleted (status {status:?})"),
                format!(
                    "The service reports status {status:?}: the instance is going away (an interrupted destroy, or a \
deletion made elsewhere). {next}"
                ),
            )
        } else if self.hooks.creation_failed(state) {
            let next = match self.hooks.destroy_blocker(state) {
                None => format!("The plan replaces it (deletes it and creates it again). {replace}"),
                Some(why) => format!("Terraform cannot replace it, as {why}"),
            };
            (
                format!("{t} {id} never came up (status {status:?})"),
                format!("The service reports status {status:?}: the instance's creation failed. {next}"),
            )
        } else if health.failed.contains(&status) {
            (
                format!("{t} {id} is in status {status:?}"),
                format!(
                    "The service reports status {status:?}: the instance does not work as it should. Terraform \
leaves it as it is. {replace}"
                ),
            )
        } else {
            return;
        };
        warn(diags, summary, detail, AttributePath::new("status"));
    }
}
