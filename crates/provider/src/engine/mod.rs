//! One generic implementation of Terraform's resource lifecycle, driven by a resource's field table
//! and a few typed hooks (the API calls).

pub mod change;
pub mod data;
pub mod field;
mod identity;
mod lifecycle;
mod protocol;
pub use lifecycle::update;
pub mod schema;
pub mod state;
pub use protocol::Val;
pub mod timeouts;
pub mod validate;
pub mod value;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use serde_json::Value as Json;
use tf_provider::value::ValueAny;
use tf_provider::{AttributePath, Diagnostic, Diagnostics};
use tokio::time::Instant;

use crate::client::{ApiError, Call, Client, Response};
use crate::waiter::WaitError;
use field::{Check, Field, Kind, Rule};
use hwapi::contract::Op;
use state::ProviderState;
use timeouts::Timeouts;
use value::{get, has_unknown, Obj, Reading};

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
    /// The call whose answer a read maps onto the attributes (named when an answer does not fit).
    pub read_by: &'static Op,
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

/// What the statuses (of the `status` attribute) mean.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    /// The instance can take a change (a change found it elsewhere waits for one of these first).
    pub ready: &'static [&'static str],
    /// The instance is being deleted: a refresh warns and the plan creates it again once it is gone.
    pub going: &'static [&'static str],
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
    /// The creation time as shown to users (RFC 3339 where the service's form could be read).
    pub created: String,
    pub created_at: Option<std::time::SystemTime>,
}

impl Existing {
    /// An instance as a list shows it; what the entry lacks reads "unknown". `created` is the service's
    /// creation time: RFC 3339 text, or milliseconds since the Unix epoch (as text or a number).
    pub fn listed(id: String, status: Option<String>, created: Option<&Json>) -> Existing {
        let created_at = created.and_then(parse_time);
        let created = match (created_at, created) {
            (Some(t), _) => rfc3339(t),
            (None, Some(Json::String(s))) => s.clone(),
            (None, Some(other)) if !other.is_null() => other.to_string(),
            _ => "unknown".to_string(),
        };
        Existing { id, status: status.unwrap_or_else(|| "unknown".to_string()), created, created_at }
    }
}

/// A creation time as the services give it: epoch milliseconds (a number or digits) or RFC 3339 text
/// (`2023-01-28T06:57:52Z`, `2025-03-20T02:48:06+00:00`, also with a space for the `T`).
pub fn parse_time(v: &Json) -> Option<std::time::SystemTime> {
    // Beyond year 9999 (a value in micro- or nanoseconds, a garbled one) is no creation time.
    let from_ms = |ms: u64| {
        let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
        (t.year() <= 9999).then(|| t.into())
    };
    match v {
        Json::Number(n) => from_ms(n.as_u64()?),
        Json::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => from_ms(s.parse().ok()?),
        Json::String(s) => {
            let rfc = time::format_description::well_known::Rfc3339;
            let t = time::OffsetDateTime::parse(s, &rfc)
                .or_else(|_| time::OffsetDateTime::parse(&s.replacen(' ', "T", 1), &rfc))
                .ok()?;
            (t.year() >= 1970).then(|| t.into())
        }
        _ => None,
    }
}

/// `2023-01-28T06:57:52Z` (a time out of the calendar's range reads as its seconds since the epoch).
pub fn rfc3339(t: std::time::SystemTime) -> String {
    let fmt = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    let secs = t.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let formatted = i64::try_from(secs)
        .ok()
        .and_then(|s| time::OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&fmt).ok());
    formatted.unwrap_or_else(|| format!("{secs} s after the epoch"))
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
            _ => Err(Error::Api(r.unexpected("the create call answered without an instance_id"))),
        }
    }

    /// Send a call that acts on an instance. While another operation keeps the instance busy (an
    /// answer listed in `busy`), wait with `settle` until it is ready again and resend, as long as the
    /// deadline allows.
    pub async fn send_when_idle<F, Fut>(&self, call: Call, busy: &[(u16, &str)], settle: F) -> Result<(), Error>
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
        busy: &[(u16, &str)],
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

/// Is `e` one of the answers that mean "busy with another operation" ((HTTP status, error_code; "" =
/// any code))?
pub fn is_busy(busy: &[(u16, &str)], e: &ApiError) -> bool {
    busy.iter().any(|(status, code)| e.status() == Some(*status) && (code.is_empty() || e.error_code() == Some(code)))
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
    pub(crate) async fn wait(
        &mut self,
        ctx: &Ctx,
        busy: &[(u16, &str)],
        e: &ApiError,
        what: impl FnOnce() -> String,
    ) -> bool {
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

/// An answer of `op` whose member does not fit its attribute, as an error naming the call.
pub(crate) fn garbled(op: &Op, g: value::Garbled) -> Error {
    Error::Message(format!("{}: {g}", op.label()))
}

/// The string member `key` of entry `i` of a list `op` answered; an entry without it is a garbled
/// answer, never an entry to skip.
pub fn listed_member(op: &Op, i: usize, item: &Json, key: &str) -> Result<String, Error> {
    match item.get(key).and_then(Json::as_str) {
        Some(v) => Ok(v.to_string()),
        None => Err(Error::Message(format!("{}: entry {i} of the list has no string {key}", op.label()))),
    }
}

impl ResourceDef {
    /// One object in messages and log lines, e.g. `Kafka instance 1a2b…`.
    pub fn label(&self, id: &str) -> String {
        format!("{} {id}", self.noun)
    }

    /// What the id of one object is, in words (`instance id`, or the id format a check describes).
    pub fn id_noun(&self) -> String {
        match self.id_check {
            Check::Pattern(what, _) if what.starts_with('`') => format!("id, {what}"),
            _ => "instance id".to_string(),
        }
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
    /// Is a change of the argument `name` (marked `Update::Judged`) from `prior` (the state) to
    /// `proposed` one that only records what already is, so that it needs no new instance (a CloudDC
    /// placement added for the server the instance runs on, or removed)? By default no: it replaces.
    fn recorded_change(&self, name: &str, prior: &ValueAny, proposed: &ValueAny) -> bool {
        let _ = (name, prior, proposed);
        false
    }
    /// What two creates of one run may not share: by default the identity's value.
    fn claim_key(&self, plan: &ValueAny) -> String {
        value::as_str(get(plan, self.def().identity)).unwrap_or_default().to_string()
    }
}

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
        failed(diags, &format!("{action} {what}"), err, note);
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

    /// The state built from an API answer of `source`, carrying over id and timeouts, and write-only
    /// values (and what the answer lacks of create-only ones) from `prior`. `reading` gathers what the
    /// answer did not give. An answer whose members do not fit their attributes is an error naming the
    /// call and the member.
    fn state_from(
        &self,
        id: &str,
        api: &Json,
        prior: &ValueAny,
        source: &Op,
        reading: &mut Reading,
    ) -> Result<ValueAny, Error> {
        let mut obj = value::read_state(self.def().fields, api, prior, reading).map_err(|g| {
            Error::Message(format!(
                "{}: {g}. Nothing was changed: an answer that does not fit is not read as \"no value\".",
                source.label()
            ))
        })?;
        obj.insert("id".into(), ValueAny::String(id.into()));
        obj.insert("timeouts".into(), get(prior, "timeouts").clone());
        Ok(ValueAny::Map(obj))
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

    /// The instance as the API shows it now, over `prior`; None when it is gone.
    async fn observe(&self, ctx: &Ctx, id: &str, prior: &ValueAny) -> Result<Option<ValueAny>, Error> {
        match self.hooks.read(ctx, id).await? {
            Some(api) => self.state_from(id, &api, prior, self.def().read_by, &mut Reading::default()).map(Some),
            None => Ok(None),
        }
    }

    /// The planned instance's identity value (e.g. its name), when known.
    fn identity<'a>(&self, planned: &'a ValueAny) -> Option<&'a str> {
        value::as_str(get(planned, self.def().identity))
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

    /// Is the instance of this state on its way out (being deleted)?
    fn going_away(&self, state: &ValueAny) -> bool {
        value::as_str(get(state, "status")).is_some_and(|s| self.def().health.going.contains(&s))
    }

    /// A warning when a refreshed instance is in a failure state or being deleted.
    fn warn_health(&self, diags: &mut Diagnostics, id: &str, state: &ValueAny) {
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

/// An error diagnostic for a failed step (`what`: "creating huaweicloud_x abc"), with a note after the
/// error's own text. A refused credential names the call that was refused in the first line, for
/// resources and data sources alike.
pub(crate) fn failed(diags: &mut Diagnostics, what: &str, err: &Error, note: &str) {
    let summary = match err {
        Error::Api(e) if e.is_auth_failure() => {
            let (method, path) = e.call().unwrap_or(("", ""));
            format!("Error {what}: {} refused the credentials on {method} {path}", e.service().unwrap_or("the service"))
        }
        _ => format!("Error {what}"),
    };
    let detail = if note.is_empty() { err.to_string() } else { format!("{err}\n{note}") };
    diag(diags, summary, detail, AttributePath::root());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creation_times_in_the_services_forms_read_as_rfc3339() {
        let at = |v: Json| Existing::listed("i".into(), None, Some(&v));
        for v in [
            serde_json::json!("1700000000000"),
            serde_json::json!(1_700_000_000_000u64),
            serde_json::json!("2023-11-14T22:13:20Z"),
            serde_json::json!("2023-11-14T22:13:20+00:00"),
            serde_json::json!("2023-11-14 22:13:20Z"),
        ] {
            let e = at(v.clone());
            assert_eq!(e.created, "2023-11-14T22:13:20Z", "{v}");
            let expected = std::time::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
            assert_eq!(e.created_at, Some(expected), "{v}");
        }
        // Microseconds, nanoseconds, garbage: no time (and no panic).
        for v in [
            serde_json::json!(1_700_000_000_000_000u64),
            serde_json::json!(u64::MAX),
            serde_json::json!("9".repeat(30)),
        ] {
            assert_eq!(at(v.clone()).created_at, None, "{v}");
        }
        let odd = at(serde_json::json!("yesterday"));
        assert_eq!((odd.created.as_str(), odd.created_at), ("yesterday", None));
        let none = Existing::listed("i".into(), None, None);
        assert_eq!((none.created.as_str(), none.status.as_str()), ("unknown", "unknown"));
    }
}
