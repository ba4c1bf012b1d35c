//! One generic implementation of Terraform's resource lifecycle, driven by a resource's field table
//! and a few typed hooks (the API calls).

pub mod change;
pub mod data;
pub mod field;
mod protocol;
pub mod schema;
pub use protocol::Val;
pub mod timeouts;
pub mod validate;
pub mod value;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::{json, Value as Json};
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostic, Diagnostics};
use tokio::time::Instant;

use crate::client::{ApiError, Call, Client, Response};
use crate::provider::ProviderState;
use crate::waiter::WaitError;
use field::{Check, Field, Kind, Mode, Read, Rule, Update};
use hwapi::contract::Op;
use timeouts::Timeouts;
use value::{get, has_unknown, Obj};

/// Everything about a resource that is data.
pub struct ResourceDef {
    /// Type name without the provider prefix, e.g. `iotda_instance`.
    pub name: &'static str,
    /// Markdown description (the first paragraph of its doc page).
    pub description: &'static str,
    pub fields: &'static [Field],
    pub rules: &'static [Rule],
    pub timeouts: Timeouts,
    /// The create operation: its body table is the contract of the arguments sent in it.
    pub create: &'static Op,
    /// Every operation the resource sends (the API inventory in the docs; the consistency test holds
    /// every `via` of a field to it).
    pub ops: &'static [&'static Op],
    /// How each operation that changes arguments in place is called, in the order of the calls.
    pub changes: &'static [change::Change],
    /// What one object is called in messages and docs, e.g. "IoTDA instance".
    pub noun: &'static str,
    /// Arguments that say where an object is, besides its name, for a lookup by name (a topic's
    /// `instance_id`); empty for top-level objects.
    pub scope: &'static [&'static str],
    /// The list data source's attribute and filters.
    pub listing: data::Listing,
    /// Markdown notes for the import section of the docs.
    pub import_note: &'static str,
    /// What a valid instance id looks like: checked on every id from import, the state or an API
    /// answer before it goes into a URL.
    pub id_check: Check,
    /// The argument that identifies an instance (its name): no instance is created while a live one
    /// with the same value exists.
    pub identity: &'static str,
    /// Which values of the `status` attribute mean the instance is broken.
    pub health: Health,
    /// Answers that mean "busy with another operation": (HTTP status, error_code; "" = any code).
    /// A call that gets one waits for the instance to settle and is sent again.
    pub busy: &'static [(u16, &'static str)],
}

/// Statuses (of the `status` attribute) in which an instance does not work.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    /// The instance exists but is in a failure state: refresh warns.
    pub failed: &'static [&'static str],
    /// The instance never came up (its creation failed): it is planned for replacement.
    pub create_failed: &'static [&'static str],
    /// Markdown for the docs where `Hooks::creation_failed` decides more than `create_failed` says.
    pub note: &'static str,
}

/// A new instance: its id and the create call's whole answer.
#[derive(Debug, Clone)]
pub struct Created {
    pub id: String,
    pub answer: Json,
}

/// A live instance found by its identity.
#[derive(Debug, Clone, PartialEq)]
pub struct Existing {
    pub id: String,
    pub status: String,
    pub created: String,
}

impl Existing {
    /// An instance as a list shows it; what the entry lacks reads "unknown".
    pub fn listed(id: String, status: Option<String>, created: Option<String>) -> Existing {
        let unknown = || "unknown".to_string();
        Existing { id, status: status.unwrap_or_else(unknown), created: created.unwrap_or_else(unknown) }
    }
}

impl std::fmt::Display for Existing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (status {}, created {})", self.id, self.status, self.created)
    }
}

/// Failures of a lifecycle step.
#[derive(Debug)]
pub enum Error {
    Api(ApiError),
    Wait(WaitError),
    Message(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Api(e) => write!(f, "{e}"),
            Error::Wait(e) => write!(f, "{e}"),
            Error::Message(m) => f.write_str(m),
        }
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Error::Api(e)
    }
}

impl From<WaitError> for Error {
    fn from(e: WaitError) -> Self {
        match e {
            WaitError::Api(e) => Error::Api(e),
            other => Error::Wait(other),
        }
    }
}

/// What a hook gets: the configured client and the operation's deadline.
pub struct Ctx {
    pub client: Client,
    pub deadline: Instant,
}

impl Ctx {
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
            _ => Err(Error::Message(format!(
                "the create call answered without an instance_id (request id {:?})",
                r.request_id
            ))),
        }
    }

    /// Send a call that acts on an instance. While another operation keeps the instance busy (an
    /// answer listed in `busy`), wait with `settle` until it is ready again and resend, as long as the
    /// deadline allows.
    pub async fn send_when_idle<F, Fut>(&self, call: Call, busy: &[(u16, &str)], settle: F) -> Result<Response, Error>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<(), Error>>,
    {
        let is_busy = |e: &ApiError| {
            busy.iter()
                .any(|(status, code)| e.status() == Some(*status) && (code.is_empty() || e.error_code() == Some(code)))
        };
        let mut pause = Duration::from_millis(500);
        loop {
            match self.send(call.clone()).await {
                Ok(r) => return Ok(r),
                Err(e) if is_busy(&e) && Instant::now() + pause < self.deadline => {
                    tracing::info!(
                        "{} {}: the instance is busy; waiting for it to settle to resend",
                        call.method.as_str(),
                        call.path
                    );
                    tokio::select! {
                        biased;
                        _ = crate::stop::requested() => return Err(e.into()),
                        _ = tokio::time::sleep(pause) => {}
                    }
                    pause = (pause * 2).min(Duration::from_secs(10));
                    settle().await?;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Every item of a paged list: `first` is sent, the items are the array at `key` of each answer,
    /// and `next` builds the call for the following page from the answer and the items so far (None
    /// at the end). At most `MAX_PAGES` pages are read: a service that never ends its pages is an error.
    pub async fn list_all<T: serde::de::DeserializeOwned>(
        &self,
        first: Call,
        key: &str,
        next: impl Fn(&Json, usize) -> Option<Call>,
    ) -> Result<Vec<T>, Error> {
        const MAX_PAGES: usize = 1000;
        let mut items = Vec::new();
        let mut call = Some(first);
        for _ in 0..MAX_PAGES {
            let Some(c) = call.take() else { return Ok(items) };
            let query = c.query.clone();
            let r = self.send(c).await?;
            let page: Vec<T> = r.parse_list(key)?;
            let empty = page.is_empty();
            items.extend(page);
            if empty {
                return Ok(items);
            }
            call = next(&r.body, items.len());
            if call.as_ref().is_some_and(|c| c.query == query) {
                return Err(Error::Message("the list answered the same page again; its paging is broken".into()));
            }
        }
        Err(Error::Message(format!("the list did not end after {MAX_PAGES} pages")))
    }
}

/// The API calls of one resource.
#[async_trait]
pub trait Hooks: Send + Sync + 'static {
    fn def(&self) -> &'static ResourceDef;
    /// Send the create call and return the new instance (nothing else).
    async fn create(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Created, Error>;
    /// Wait until a new instance is ready. Returns the instance as `read` would, when the poll that saw
    /// it ready read the whole object (then no read follows); None to have it read.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error>;
    /// The instance as the API shows it (the shape the field table reads), or None when it is gone.
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error>;
    /// Every live object of the resource as `read` shows it, in a few list calls, for a refresh of many
    /// (the engine shares one such read among the reads of a refresh); None when the lists do not show
    /// whole objects (each is then read on its own).
    async fn read_all(&self, ctx: &Ctx) -> Result<Option<std::collections::HashMap<String, Json>>, Error> {
        let _ = ctx;
        Ok(None)
    }
    /// Make the call of a [`change::Send::Hook`] change between `prior` and `plan` (the engine has
    /// checked that something it carries changed), waiting as needed.
    async fn apply_change(
        &self,
        ctx: &Ctx,
        id: &str,
        change: &change::Change,
        prior: &ValueAny,
        plan: &ValueAny,
    ) -> Result<(), Error> {
        let _ = (ctx, id, prior, plan);
        Err(Error::Message(format!("{} has no hook for {}", self.def().name, change.op.label())))
    }
    /// Wait until the instance can take another change (after a busy answer, or a change that waits).
    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        let _ = (ctx, id);
        Ok(())
    }
    /// The value of `{instance_id}` in the resource's calls (by default its id).
    fn instance_id<'a>(&self, id: &'a str) -> &'a str {
        id
    }
    /// Delete and wait until gone; an instance that is already gone is not an error.
    async fn delete(&self, ctx: &Ctx, id: &str, state: &ValueAny) -> Result<(), Error>;
    /// Every object the list API returns for the list data source's `filters` (its configuration),
    /// following pagination to the end: (id, the object in the shape `read` returns).
    async fn list(&self, ctx: &Ctx, filters: &ValueAny) -> Result<Vec<(String, Json)>, Error>;
    /// The live instances (not being deleted) that carry the planned instance's identity
    /// (`ResourceDef::identity`), looked up before every create and after a lost create answer.
    async fn find_existing(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Vec<Existing>, Error>;
    /// Did this instance's creation fail (so that it never came up)? By default: its status is one
    /// of `Health::create_failed`.
    fn creation_failed(&self, state: &ValueAny) -> bool {
        value::as_str(get(state, "status")).is_some_and(|s| self.def().health.create_failed.contains(&s))
    }
    /// Why this instance cannot be destroyed by Terraform, if it cannot.
    fn destroy_blocker(&self, state: &ValueAny) -> Option<String> {
        let _ = state;
        None
    }
    /// Problems of an in-place change from `prior` to `proposed` (with `config`, the configuration as
    /// written) that no API call could make, as (attribute path, message); e.g. shrinking what only grows.
    /// Checked at plan and again at apply, before any call.
    fn change_problems(&self, prior: &ValueAny, proposed: &ValueAny, config: &ValueAny) -> Vec<field::RuleProblem> {
        let _ = (prior, proposed, config);
        vec![]
    }
    /// What two creates of one run may not share: by default the identity's value.
    fn claim_key(&self, plan: &ValueAny) -> String {
        value::as_str(get(plan, self.def().identity)).unwrap_or_default().to_string()
    }
}

/// How long a refresh may take.
const READ_TIMEOUT: Duration = Duration::from_secs(300);
/// After a failed wait, how long the engine may spend reading what exists.
const SALVAGE_TIMEOUT: Duration = Duration::from_secs(60);

/// A diagnostic without the backtrace `Diagnostic::new` would attach.
pub fn diag(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>, path: AttributePath) {
    diags.add_error(Diagnostic { summary: summary.into().into(), detail: detail.into().into(), attribute: path });
}

/// A warning without a backtrace.
pub fn warn(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>, path: AttributePath) {
    diags.add_warning(Diagnostic { summary: summary.into().into(), detail: detail.into().into(), attribute: path });
}

/// `now + d`, never overflowing (a far deadline is as good as none).
pub fn deadline_in(d: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(d).unwrap_or_else(|| now + timeouts::MAX_TIMEOUT)
}

pub struct Engine<H: Hooks> {
    hooks: H,
    provider: Arc<ProviderState>,
}

impl<H: Hooks> Engine<H> {
    pub fn new(hooks: H, provider: Arc<ProviderState>) -> Self {
        Engine { hooks, provider }
    }

    fn def(&self) -> &'static ResourceDef {
        self.hooks.def()
    }

    fn type_name(&self) -> String {
        format!("huaweicloud_{}", self.def().name)
    }

    fn ctx(&self, diags: &mut Diagnostics, timeout: Duration) -> Option<Ctx> {
        match self.provider.client() {
            Some(client) => Some(Ctx { client, deadline: deadline_in(timeout) }),
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
    fn timeout(&self, diags: &mut Diagnostics, obj: &ValueAny, op: &str) -> Option<Duration> {
        match self.def().timeouts.for_op(obj, op) {
            Ok(t) => Some(t),
            Err(e) => {
                let path = schema::timeouts_path(obj).attribute(op.to_string());
                diag(diags, "Invalid timeout", format!("{e}. Nothing was sent to the API."), path);
                None
            }
        }
    }

    fn fail(&self, diags: &mut Diagnostics, action: &str, id: Option<&str>, err: &Error) {
        self.fail_with(diags, action, id, err, "");
    }

    /// `fail` with a note after the error's own text.
    fn fail_with(&self, diags: &mut Diagnostics, action: &str, id: Option<&str>, err: &Error, note: &str) {
        let what = match id {
            Some(id) => format!("{} {id}", self.type_name()),
            None => self.type_name(),
        };
        // A refused credential names the call that was refused in the first line.
        let summary = match err {
            Error::Api(e) if e.is_auth_failure() => {
                let (method, path) = e.call().unwrap_or(("", ""));
                format!(
                    "Error {action} {what}: {} refused the credentials on {method} {path}",
                    e.service().unwrap_or("the service")
                )
            }
            _ => format!("Error {action} {what}"),
        };
        let detail = if note.is_empty() { err.to_string() } else { format!("{err}\n{note}") };
        diag(diags, summary, detail, AttributePath::root());
    }

    /// The id in `state`, checked against the resource's id format before it can reach a URL.
    /// `Err` is an error diagnostic already added: nothing may be sent for this resource.
    fn checked_id(&self, diags: &mut Diagnostics, state: &ValueAny) -> Result<Option<String>, ()> {
        let Some(id) = Self::id_of(state) else { return Ok(None) };
        match validate::check_value(&self.def().id_check, &ValueAny::String(id.clone())) {
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

    /// The state built from an API object, carrying over id and timeouts, write-only values from `prior`.
    fn state_from(&self, id: &str, api: &Json, prior: &ValueAny) -> ValueAny {
        let mut obj = value::state_from_api(self.def().fields, api, prior);
        obj.insert("id".into(), ValueAny::String(id.into()));
        obj.insert("timeouts".into(), get(prior, "timeouts").clone());
        ValueAny::Map(obj)
    }

    /// After an apply: known planned values stand; what the plan left unknown comes from the API.
    fn settle(&self, planned: &ValueAny, observed: Option<&ValueAny>, id: &str) -> ValueAny {
        let mut out = match planned {
            ValueAny::Map(m) => m.clone(),
            _ => Obj::new(),
        };
        for (name, v) in out.iter_mut() {
            if has_unknown(v) {
                *v = observed.map(|o| get(o, name).clone()).unwrap_or(ValueAny::Null);
                if has_unknown(v) {
                    *v = ValueAny::Null;
                }
            }
        }
        out.insert("id".into(), ValueAny::String(id.into()));
        ValueAny::Map(out)
    }

    async fn observe(&self, ctx: &Ctx, id: &str, prior: &ValueAny) -> Result<Option<ValueAny>, Error> {
        Ok(self.hooks.read(ctx, id).await?.map(|api| self.state_from(id, &api, prior)))
    }

    /// The planned instance's identity value (e.g. its name), when known.
    fn identity<'a>(&self, planned: &'a ValueAny) -> Option<&'a str> {
        value::as_str(get(planned, self.def().identity))
    }

    /// How to adopt an existing instance instead of creating one.
    fn import_advice(&self, found: &[Existing]) -> String {
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
    async fn identity_free(&self, diags: &mut Diagnostics, ctx: &Ctx, planned: &ValueAny, own: Option<&str>) -> bool {
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
        match self.hooks.find_existing(ctx, planned).await {
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

    /// What now exists that a create call whose answer was lost may have created, and what to do.
    async fn candidates(&self, planned: &ValueAny) -> String {
        let Some(client) = self.provider.client() else { return String::new() };
        let ctx = Ctx { client, deadline: deadline_in(SALVAGE_TIMEOUT) };
        let (key, name) = (self.def().identity, self.identity(planned).unwrap_or("?"));
        match self.hooks.find_existing(&ctx, planned).await {
            Ok(found) if found.is_empty() => format!(
                "The request was sent, and the service failed or its answer was lost, but no instance with \
{key} {name:?} exists now: running apply again is safe."
            ),
            Ok(found) => format!(
                "The request was sent, and the service failed or its answer was lost: the service may have \
created the instance anyway. Instances with {key} {name:?} now:\n{}\nIf one of them is the instance this apply created, adopt it instead of \
applying again (a new apply stops at the same check and creates nothing).\n\n{}",
                found.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"),
                self.import_advice(&found)
            ),
            Err(lookup) => format!(
                "The request was sent, and the service failed or its answer was lost: the service may have \
created the instance anyway, and looking for it failed ({lookup}). The next apply looks again before it creates \
anything."
            ),
        }
    }

    async fn salvage(&self, id: &str, prior: &ValueAny) -> Option<ValueAny> {
        let ctx = Ctx { client: self.provider.client()?, deadline: deadline_in(SALVAGE_TIMEOUT) };
        self.observe(&ctx, id, prior).await.ok().flatten()
    }

    fn id_of(state: &ValueAny) -> Option<String> {
        value::as_str(get(state, "id")).map(str::to_string)
    }

    /// A state with every attribute present and null (blocks empty): the shape import starts from.
    fn blank(&self, id: &str) -> ValueAny {
        let mut obj: Obj = self
            .def()
            .fields
            .iter()
            .map(|f| {
                let v = match f.kind {
                    Kind::Block { .. } if !f.is_single_block() => ValueAny::List(vec![]),
                    _ => ValueAny::Null,
                };
                (f.name.to_string(), v)
            })
            .collect();
        obj.insert("id".into(), ValueAny::String(id.into()));
        obj.insert("timeouts".into(), ValueAny::Null);
        ValueAny::Map(obj)
    }

    /// Adds an error for each change no API can make; true when there was one.
    fn refuse_changes(
        &self,
        diags: &mut Diagnostics,
        prior: &ValueAny,
        proposed: &ValueAny,
        config: &ValueAny,
    ) -> bool {
        let problems = self.hooks.change_problems(prior, proposed, config);
        for (names, message) in &problems {
            let path = validate::rule_path(proposed, names);
            diag(diags, "Change not possible in place", format!("{} {message}", path_label(&path)), path);
        }
        !problems.is_empty()
    }

    /// A warning when a refreshed instance is in a failure state.
    fn warn_health(&self, diags: &mut Diagnostics, id: &str, state: &ValueAny) {
        let Some(status) = value::as_str(get(state, "status")) else { return };
        let health = &self.def().health;
        let t = self.type_name();
        if self.hooks.creation_failed(state) {
            warn(
                diags,
                format!("{t} {id} never came up (status {status:?})"),
                format!(
                    "The service reports status {status:?}: the instance's creation failed. The plan replaces it \
(deletes it and creates it again)."
                ),
                AttributePath::new("status"),
            );
        } else if health.failed.contains(&status) {
            warn(
                diags,
                format!("{t} {id} is in status {status:?}"),
                format!(
                    "The service reports status {status:?}: the instance does not work as it should. Terraform \
leaves it as it is; to replace it, run `terraform apply -replace=ADDRESS` with this resource's address (shown \
below after \"with\")."
                ),
                AttributePath::new("status"),
            );
        }
    }
}

/// What the API decides at creation becomes unknown in the plan: computed attributes, and optional
/// ones left unset, at any depth of nested blocks.
fn mark_unknown(fields: &[Field], obj: &mut Obj) {
    for f in fields {
        let Some(v) = obj.get_mut(f.name) else { continue };
        if f.mode == Mode::Computed || (f.mode == Mode::OptionalComputed && matches!(v, ValueAny::Null)) {
            *v = ValueAny::Unknown;
        } else if let (Kind::Block { fields: nested, .. }, _) = (f.kind, &v) {
            match v {
                ValueAny::List(items) => items.iter_mut().for_each(|i| {
                    if let ValueAny::Map(m) = i {
                        mark_unknown(nested, m)
                    }
                }),
                ValueAny::Map(m) => mark_unknown(nested, m),
                _ => {}
            }
        }
    }
}

/// How an argument changes between prior and proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    None,
    InPlace,
    Replace,
}

/// With `adopt`, a write-only value that was never known (null, or no blocks, after import) is taken over
/// from the configuration without counting as a change. Inside a block, each nested field's own update mode
/// decides; a block that may not be updated in place is replaced when elements are added or removed.
fn change(f: &Field, prior: &ValueAny, proposed: &ValueAny, adopt: bool) -> Change {
    if adopt && f.read == Read::Keep && !value::is_set(prior) {
        return Change::None;
    }
    let own = if f.update == Update::Replace { Change::Replace } else { Change::InPlace };
    let Kind::Block { fields, .. } = f.kind else {
        return if prior == proposed { Change::None } else { own };
    };
    let items = |v: &ValueAny| -> Vec<ValueAny> {
        match v {
            ValueAny::List(l) => l.clone(),
            m @ ValueAny::Map(_) => vec![m.clone()],
            _ => vec![],
        }
    };
    let (a, b) = (items(prior), items(proposed));
    if a.len() != b.len() {
        return own;
    }
    let nested = a
        .iter()
        .zip(&b)
        .flat_map(|(x, y)| {
            fields.iter().filter(|n| n.is_argument()).map(move |n| change(n, get(x, n.name), get(y, n.name), adopt))
        })
        .max()
        .unwrap_or(Change::None);
    // A block updated in place never forces replacement, whatever its fields say.
    if f.update == Update::InPlace {
        nested.min(Change::InPlace)
    } else {
        nested
    }
}

fn imported(private: &ValueAny) -> bool {
    get(private, "imported") == &ValueAny::Bool(true)
}

/// The lifecycle steps on plain values; the `Resource` impl in `protocol.rs` adapts them to tf-provider.
impl<H: Hooks> Engine<H> {
    /// Plan-time checks of the table, the rules and the timeouts, with the attribute named.
    fn problems(&self, diags: &mut Diagnostics, config: &ValueAny) {
        let def = self.def();
        for p in validate::validate(def.fields, def.create.body, def.rules, config) {
            diag(diags, "Invalid argument", format!("{} {}", path_label(&p.path), p.message), p.path);
        }
        if let ValueAny::Map(t) = value::single(get(config, "timeouts")) {
            for (op, v) in t {
                if let ValueAny::String(s) = v {
                    if let Err(e) = timeouts::parse_duration(s) {
                        let path = schema::timeouts_path(config).attribute(op.clone());
                        diag(diags, "Invalid timeout", format!("timeouts.{op}: {e}"), path);
                    }
                }
            }
        }
    }

    pub(crate) async fn do_validate(&self, diags: &mut Diagnostics, config: ValueAny) -> Option<()> {
        self.problems(diags, &config);
        Some(())
    }

    pub(crate) async fn do_read(
        &self,
        diags: &mut Diagnostics,
        state: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let id = match self.checked_id(diags, &state) {
            Ok(Some(id)) => id,
            Ok(None) => return Some((state, private)),
            Err(()) => return Some((state, private)),
        };
        let ctx = self.ctx(diags, READ_TIMEOUT)?;
        // A refresh of many reads the objects in a few list calls, shared; an object the lists do not
        // show (gone, or created since) is read on its own.
        // (HUAWEICLOUD_REFRESH_BATCH=0 reads each on its own, for benchmarks.)
        static BATCHED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let batched = *BATCHED.get_or_init(|| std::env::var("HUAWEICLOUD_REFRESH_BATCH").as_deref() != Ok("0"));
        let batch = self.provider.refresh_batch(self.def().name);
        let all = match batched {
            true => batch.objects.get_or_init(|| async { self.hooks.read_all(&ctx).await.ok().flatten() }).await,
            false => &None,
        };
        let read = match all.as_ref().and_then(|all| all.get(&id)) {
            Some(api) => Ok(Some(self.state_from(&id, api, &state))),
            None => self.observe(&ctx, &id, &state).await,
        };
        match read {
            Ok(Some(new)) => {
                self.warn_health(diags, &id, &new);
                Some((new, private))
            }
            Ok(None) => {
                tracing::info!("{} {id} no longer exists; removing it from state", self.type_name());
                None
            }
            Err(e) => {
                self.fail(diags, "reading", Some(&id), &e);
                Some((state, private))
            }
        }
    }

    pub(crate) async fn do_plan_create(
        &self,
        _diags: &mut Diagnostics,
        proposed: ValueAny,
        config: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        mark_unknown(self.def().fields, &mut planned);
        // The provider's default enterprise project for an instance whose configuration sets none.
        let eps = "enterprise_project_id";
        if self.def().fields.iter().any(|f| f.name == eps && f.is_argument()) && get(&config, eps) == &ValueAny::Null {
            if let Some(default) = self.provider.default_enterprise_project() {
                planned.insert(eps.into(), ValueAny::String(default));
            }
        }
        planned.insert("id".into(), ValueAny::Unknown);
        Some((ValueAny::Map(planned), ValueAny::Null))
    }

    pub(crate) async fn do_plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        proposed: ValueAny,
        config: ValueAny,
        prior_private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny, Vec<AttributePath>)> {
        let adopt = imported(&prior_private);
        let changes: Vec<(&Field, Change)> = self
            .def()
            .fields
            .iter()
            .filter(|f| f.is_argument())
            .map(|f| (f, change(f, get(&prior, f.name), get(&proposed, f.name), adopt)))
            .filter(|(_, c)| *c != Change::None)
            .collect();
        let mut replace: Vec<AttributePath> =
            changes.iter().filter(|(_, c)| *c == Change::Replace).map(|(f, _)| AttributePath::new(f.name)).collect();
        let mut reasons: Vec<String> = changes
            .iter()
            .filter(|(_, c)| *c == Change::Replace)
            .map(|(f, _)| format!("changing {}", f.name))
            .collect();
        // An instance whose creation failed never works: it is replaced, shown on its status (unless
        // Terraform cannot delete it, e.g. a yearly/monthly one: then the refresh's warning stands alone).
        let never_came_up = self.hooks.creation_failed(&prior) && self.hooks.destroy_blocker(&prior).is_none();
        if never_came_up {
            replace.push(AttributePath::new("status"));
            reasons.push("its creation failed, so it".into());
        }
        // What cannot change in place fails at plan, unless the instance is replaced anyway.
        if replace.is_empty() && self.refuse_changes(diags, &prior, &proposed, &config) {
            return None;
        }
        if !replace.is_empty() {
            if let Some(why) = self.hooks.destroy_blocker(&prior) {
                diag(
                    diags,
                    format!("{} cannot be replaced", self.type_name()),
                    format!("{} requires replacing the instance, but {why}", reasons.join(" and ")),
                    replace[0].clone(),
                );
                return None;
            }
        }
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        if never_came_up {
            planned.insert("status".into(), ValueAny::Unknown);
        }
        if !changes.is_empty() && replace.is_empty() {
            for f in self.def().fields.iter().filter(|f| f.volatile) {
                planned.insert(f.name.to_string(), ValueAny::Unknown);
            }
            // What the service derives from a changed argument is known after the change, unless written.
            let changed = |name: &str| changes.iter().any(|(c, _)| c.name == name);
            for f in self.def().fields.iter().filter(|f| f.follows.iter().any(|n| changed(n))) {
                if f.mode == Mode::Computed || get(&config, f.name) == &ValueAny::Null {
                    planned.insert(f.name.to_string(), ValueAny::Unknown);
                }
            }
        }
        Some((ValueAny::Map(planned), prior_private, replace))
    }

    pub(crate) async fn do_plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        prior_private: ValueAny,
        _meta: ValueAny,
    ) -> Option<ValueAny> {
        if let Some(why) = self.hooks.destroy_blocker(&prior) {
            diag(diags, format!("{} cannot be destroyed by Terraform", self.type_name()), why, AttributePath::root());
            return None;
        }
        Some(prior_private)
    }

    pub(crate) async fn do_create(
        &self,
        diags: &mut Diagnostics,
        planned: ValueAny,
        config: ValueAny,
        _private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        // Values unknown at plan time are checked now, before any request.
        self.problems(diags, &config);
        if !diags.errors.is_empty() {
            return None;
        }
        self.provider.forget_batch(self.def().name);
        let timeout = self.timeout(diags, &planned, "create")?;
        let ctx = self.ctx(diags, timeout)?;
        let t = self.type_name();
        // Never a duplicate: an instance with this identity that is not in this resource's state is adopted
        // by import, not created again (after a kill -9, a lost answer, or a create made elsewhere).
        if !self.identity_free(diags, &ctx, &planned, None).await {
            return None;
        }
        let created = match self.hooks.create(&ctx, &planned).await {
            Ok(created) => created,
            Err(e) => {
                let note = if maybe_acted(&e) { self.candidates(&planned).await } else { nothing_created(&e) };
                self.fail_with(diags, "creating", None, &e, &note);
                return None;
            }
        };
        let id = created.id.clone();
        // An id from the API goes into URLs and the state only once it is known to be one.
        if let Some(problem) = validate::check_value(&self.def().id_check, &ValueAny::String(id.clone())) {
            let e = Error::Message(format!(
                "The create call answered with the instance id {id:?}, but the id {problem}. It is not recorded or \
polled; look the instance up in the console."
            ));
            self.fail(diags, "creating", None, &e);
            return None;
        }
        tracing::info!("created {t} {id}");
        // From here on the id must reach the state, whatever happens.
        let waited = self.hooks.wait_ready(&ctx, &created).await;
        let observed = match &waited {
            // The last poll read the whole instance: no read repeats it.
            Ok(Some(api)) => Some(self.state_from(&id, api, &planned)),
            Ok(None) => self.observe(&ctx, &id, &planned).await.ok().flatten(),
            Err(_) => self.salvage(&id, &planned).await,
        };
        let state = self.settle(&planned, observed.as_ref(), &id);
        if let Err(e) = waited {
            self.fail(diags, "waiting for", Some(&id), &with_timeout_hint(e, "create", timeout));
            let next = match self.hooks.destroy_blocker(&state) {
                None => "the next apply replaces it and a destroy deletes it.".to_string(),
                Some(why) => format!(
                    "Terraform cannot delete it, as {why} Once it is ready (for an order awaiting payment: once the \
order is paid), run `terraform untaint ADDRESS` with this resource's address."
                ),
            };
            diag(
                diags,
                format!("{t} {id} was created but is not ready"),
                format!("It is recorded in the state and marked as tainted: {next}"),
                AttributePath::root(),
            );
        }
        Some((state, ValueAny::Null))
    }

    pub(crate) async fn do_update(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        planned: ValueAny,
        config: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let id = self.checked_id(diags, &prior).ok()??;
        self.provider.forget_batch(self.def().name);
        self.problems(diags, &config);
        if !diags.errors.is_empty() || self.refuse_changes(diags, &prior, &planned, &config) {
            return None;
        }
        let timeout = self.timeout(diags, &planned, "update")?;
        let ctx = self.ctx(diags, timeout)?;
        // A rename may not take another live instance's identity either.
        let key = self.def().identity;
        if get(&prior, key) != get(&planned, key) && !self.identity_free(diags, &ctx, &planned, Some(&id)).await {
            return None;
        }
        // After an import, a write-only value never known is taken over from the plan: the hooks see no
        // change for it and send nothing (a value known before, or set after creation, is sent as usual).
        let mut prior = prior;
        if imported(&private) {
            if let (ValueAny::Map(p), ValueAny::Map(n)) = (&mut prior, &planned) {
                for f in self.def().fields.iter().filter(|f| f.read == Read::Keep && f.is_argument()) {
                    if !value::is_set(p.get(f.name).unwrap_or(&value::NULL)) {
                        p.insert(f.name.to_string(), n.get(f.name).cloned().unwrap_or(ValueAny::Null));
                    }
                }
            }
        }
        match update(&self.hooks, &ctx, &id, &prior, &planned).await {
            Ok(()) => {
                let observed = self.observe(&ctx, &id, &planned).await.ok().flatten();
                Some((self.settle(&planned, observed.as_ref(), &id), ValueAny::Null))
            }
            Err(e) => {
                self.fail(diags, "updating", Some(&id), &with_timeout_hint(e, "update", timeout));
                // Record what the API now says, so that a partial update is not lost; write-only values
                // come from the plan where recording them needs no call, from the prior state where a call
                // sets them (it may not have been sent: the next apply sends it), and the private state is kept.
                let mut base = planned.clone();
                if let ValueAny::Map(m) = &mut base {
                    for f in self.def().fields.iter().filter(|f| f.read == Read::Keep && !f.via.is_empty()) {
                        m.insert(f.name.to_string(), get(&prior, f.name).clone());
                    }
                }
                let state = self.salvage(&id, &base).await.unwrap_or(prior);
                Some((state, private))
            }
        }
    }

    pub(crate) async fn do_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        _private: ValueAny,
        _meta: ValueAny,
    ) -> Option<()> {
        let id = self.checked_id(diags, &prior).ok()??;
        self.provider.forget_batch(self.def().name);
        let timeout = self.timeout(diags, &prior, "delete")?;
        let ctx = self.ctx(diags, timeout)?;
        if let Err(e) = self.hooks.delete(&ctx, &id, &prior).await {
            self.fail(diags, "deleting", Some(&id), &with_timeout_hint(e, "delete", timeout));
            return None;
        }
        Some(())
    }

    pub(crate) async fn do_import(&self, diags: &mut Diagnostics, id: String) -> Option<(ValueAny, ValueAny)> {
        let id = id.trim().to_string();
        if let Some(problem) = validate::check_value(&self.def().id_check, &ValueAny::String(id.clone())) {
            let detail = format!("Import {} by its instance id: the id {problem}.", self.type_name());
            diag(diags, "Invalid import id", detail, AttributePath::root());
            return None;
        }
        let private = ValueAny::Map([("imported".to_string(), ValueAny::Bool(true))].into());
        Some((self.blank(&id), private))
    }
}

/// Did a create call fail in a way where the service may have acted on it? Only when the request was
/// sent and its answer lost or failed on the server side, or a success answer could not be used.
fn maybe_acted(e: &Error) -> bool {
    match e {
        Error::Message(_) => true,
        Error::Api(api) => crate::client::retry::may_have_acted(api),
        Error::Wait(_) => false,
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

/// A timed-out wait says which timeout ran out and how to raise it.
fn with_timeout_hint(e: Error, op: &str, timeout: Duration) -> Error {
    match e {
        Error::Wait(w @ WaitError::Timeout { .. }) => Error::Message(format!(
            "{w}; the {op} timeout is {}s: raise it with timeouts {{ {op} = \"...\" }}",
            timeout.as_secs_f64()
        )),
        other => other,
    }
}

/// `flavor.size`-style label of an attribute path, for messages.
pub fn path_label(path: &AttributePath) -> String {
    use tf_provider::AttributePathStep as S;
    let mut out = String::new();
    for step in &path.steps {
        match step {
            S::Attribute(a) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(a);
            }
            S::Key(k) => out.push_str(&format!("[{k:?}]")),
            S::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Apply the in-place changes from `prior` to `plan`: the declared changes in order, each call whose
/// arguments changed (the engine's update; public for the wiremock tests).
pub async fn update<H: Hooks + ?Sized>(
    hooks: &H,
    ctx: &Ctx,
    id: &str,
    prior: &ValueAny,
    plan: &ValueAny,
) -> Result<(), Error> {
    use change::Send;
    let def = hooks.def();
    let settle = || hooks.settle(ctx, id);
    for ch in def.changes {
        let carried = change::carried(def.fields, ch.op);
        if !carried.iter().any(|f| change::differs(prior, plan, f.name)) {
            continue;
        }
        let call = || Call::to(ch.op).arg("instance_id", hooks.instance_id(id)).idempotent(true);
        match ch.send {
            Send::Hook => hooks.apply_change(ctx, id, ch, prior, plan).await?,
            Send::Changed { wait, .. } => {
                if let Some(body) = change::changed_body(ch, def.fields, id, prior, plan) {
                    ctx.send_when_idle(call().body(body), def.busy, settle).await?;
                    if wait {
                        settle().await?;
                    }
                }
            }
            Send::TagsRemoved | Send::TagsAdded | Send::TagActions => {
                let Some(f) = carried.iter().find(|f| f.codec == field::Codec::TagList) else { continue };
                let (removed, added) = change::tag_changes(get(prior, f.name), get(plan, f.name));
                let bodies = match ch.send {
                    Send::TagsRemoved => vec![json!({ "tags": removed })],
                    Send::TagsAdded => vec![json!({ "tags": added })],
                    _ => vec![json!({"action": "delete", "tags": removed}), json!({"action": "create", "tags": added})],
                };
                for body in bodies.into_iter().filter(|b| b["tags"].as_array().is_some_and(|t| !t.is_empty())) {
                    ctx.send_when_idle(call().body(body), def.busy, settle).await?;
                }
            }
        }
    }
    Ok(())
}
