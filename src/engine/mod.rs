//! One generic implementation of Terraform's resource lifecycle, driven by a resource's field table
//! and a few typed hooks (the API calls).

pub mod field;
mod protocol;
pub mod schema;
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
use crate::provider::ProviderState;
use crate::waiter::WaitError;
use field::{Check, Field, Kind, Mode, Read, Rule, Update};
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
    /// Every API call the resource makes, as `METHOD path` (the API inventory).
    pub calls: &'static [&'static str],
    /// Markdown notes for the import section of the docs.
    pub import_note: &'static str,
    /// What a valid instance id looks like (checked on import, before it goes into a URL).
    pub id_check: Check,
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

    /// Send a create call and return the new instance's id (the answer's `instance_id`).
    pub async fn create_instance(&self, call: Call) -> Result<String, Error> {
        let r = self.send(call).await?;
        match r.body.get("instance_id").and_then(Json::as_str) {
            Some(id) if !id.is_empty() => Ok(id.to_string()),
            _ => Err(Error::Message(format!(
                "the create call answered without an instance_id (request id {:?})",
                r.request_id
            ))),
        }
    }
}

/// The API calls of one resource.
#[async_trait]
pub trait Hooks: Send + Sync + 'static {
    fn def(&self) -> &'static ResourceDef;
    /// Send the create call and return the new instance's id (nothing else).
    async fn create(&self, ctx: &Ctx, plan: &ValueAny) -> Result<String, Error>;
    /// Wait until a new instance is ready.
    async fn wait_ready(&self, ctx: &Ctx, id: &str) -> Result<(), Error>;
    /// The instance as the API shows it (the shape the field table reads), or None when it is gone.
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error>;
    /// Apply the in-place changes between `prior` and `plan`, waiting as needed.
    async fn update(&self, ctx: &Ctx, id: &str, prior: &ValueAny, plan: &ValueAny) -> Result<(), Error>;
    /// Delete and wait until gone; an instance that is already gone is not an error.
    async fn delete(&self, ctx: &Ctx, id: &str, state: &ValueAny) -> Result<(), Error>;
    /// After a create call that failed in a way where the service may still have acted (5xx, lost
    /// connection, unreadable answer): one line per existing instance that could be the one created.
    /// None when the API offers no way to look such an instance up.
    async fn find_created(&self, ctx: &Ctx, plan: &ValueAny) -> Result<Option<Vec<String>>, Error> {
        let _ = (ctx, plan);
        Ok(None)
    }
    /// Why this instance cannot be destroyed by Terraform, if it cannot.
    fn destroy_blocker(&self, state: &ValueAny) -> Option<String> {
        let _ = state;
        None
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
            Some(client) => Some(Ctx { client, deadline: Instant::now() + timeout }),
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

    fn fail(&self, diags: &mut Diagnostics, action: &str, id: Option<&str>, err: &Error) {
        let what = match id {
            Some(id) => format!("{} {id}", self.type_name()),
            None => self.type_name(),
        };
        diag(diags, format!("Error {action} {what}"), err.to_string(), AttributePath::root());
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

    /// Adds to a create error what now exists that the failed call may have created.
    async fn with_candidates(&self, e: Error, planned: &ValueAny) -> Error {
        let Some(client) = self.provider.client() else { return e };
        let ctx = Ctx { client, deadline: Instant::now() + SALVAGE_TIMEOUT };
        let what = self.type_name();
        let advice = match self.hooks.find_created(&ctx, planned).await {
            Ok(None) => "The service may have created the instance anyway, and its API offers no way to look it up: \
                check the console before applying again."
                .to_string(),
            Ok(Some(found)) if found.is_empty() => {
                "No instance matching this configuration exists now: running apply again is safe.".to_string()
            }
            Ok(Some(found)) => format!(
                "The service may have created the instance anyway. Instances that match this configuration now:\n  {}\n\
                 If one of them is the instance this apply created, adopt it with `terraform import {what}.<name> <id>` instead of applying again.",
                found.join("\n  ")
            ),
            Err(lookup) => format!("The service may have created the instance anyway, and looking for it failed ({lookup}): check before applying again."),
        };
        Error::Message(format!("{e}\n{advice}"))
    }

    async fn salvage(&self, id: &str, prior: &ValueAny) -> Option<ValueAny> {
        let ctx = Ctx { client: self.provider.client()?, deadline: Instant::now() + SALVAGE_TIMEOUT };
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
    pub(crate) async fn do_validate(&self, diags: &mut Diagnostics, config: ValueAny) -> Option<()> {
        let def = self.def();
        for p in validate::validate(def.fields, def.rules, &config) {
            diag(diags, "Invalid argument", format!("{} {}", path_label(&p.path), p.message), p.path);
        }
        if let ValueAny::Map(t) = value::single(get(&config, "timeouts")) {
            for (op, v) in t {
                if let ValueAny::String(s) = v {
                    if let Err(e) = timeouts::parse_duration(s) {
                        let path = schema::timeouts_path(&config).attribute(op.clone());
                        diag(diags, "Invalid timeout", format!("timeouts.{op}: {e}"), path);
                    }
                }
            }
        }
        Some(())
    }

    pub(crate) async fn do_read(
        &self,
        diags: &mut Diagnostics,
        state: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let Some(id) = Self::id_of(&state) else {
            return Some((state, private));
        };
        let ctx = self.ctx(diags, READ_TIMEOUT)?;
        match self.observe(&ctx, &id, &state).await {
            Ok(Some(new)) => Some((new, private)),
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
        _config: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        mark_unknown(self.def().fields, &mut planned);
        planned.insert("id".into(), ValueAny::Unknown);
        Some((ValueAny::Map(planned), ValueAny::Null))
    }

    pub(crate) async fn do_plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        proposed: ValueAny,
        _config: ValueAny,
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
        let replace: Vec<AttributePath> =
            changes.iter().filter(|(_, c)| *c == Change::Replace).map(|(f, _)| AttributePath::new(f.name)).collect();
        if !replace.is_empty() {
            if let Some(why) = self.hooks.destroy_blocker(&prior) {
                let names: Vec<&str> =
                    changes.iter().filter(|(_, c)| *c == Change::Replace).map(|(f, _)| f.name).collect();
                diag(
                    diags,
                    format!("{} cannot be replaced", self.type_name()),
                    format!("Changing {} requires replacing the instance, but {why}", names.join(", ")),
                    replace[0].clone(),
                );
                return None;
            }
        }
        let mut planned = match proposed {
            ValueAny::Map(m) => m,
            _ => Obj::new(),
        };
        if !changes.is_empty() && replace.is_empty() {
            for f in self.def().fields.iter().filter(|f| f.volatile) {
                planned.insert(f.name.to_string(), ValueAny::Unknown);
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
        _config: ValueAny,
        _private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let timeout = self.def().timeouts.for_op(&planned, "create");
        let ctx = self.ctx(diags, timeout)?;
        let id = match self.hooks.create(&ctx, &planned).await {
            Ok(id) => id,
            Err(e) => {
                let e = if maybe_acted(&e) { self.with_candidates(e, &planned).await } else { e };
                self.fail(diags, "creating", None, &e);
                return None;
            }
        };
        tracing::info!("created {} {id}", self.type_name());
        // From here on the id must reach the state, whatever happens.
        let waited = self.hooks.wait_ready(&ctx, &id).await;
        let observed = match &waited {
            Ok(()) => self.observe(&ctx, &id, &planned).await.ok().flatten(),
            Err(_) => self.salvage(&id, &planned).await,
        };
        let state = self.settle(&planned, observed.as_ref(), &id);
        if let Err(e) = waited {
            self.fail(diags, "waiting for", Some(&id), &with_timeout_hint(e, "create", timeout));
            diag(diags, format!("{} {id} was created but is not ready", self.type_name()),
                "It is recorded in the state and marked as tainted: the next apply replaces it and a destroy deletes it.",
                AttributePath::root());
        }
        Some((state, ValueAny::Null))
    }

    pub(crate) async fn do_update(
        &self,
        diags: &mut Diagnostics,
        prior: ValueAny,
        planned: ValueAny,
        _config: ValueAny,
        private: ValueAny,
        _meta: ValueAny,
    ) -> Option<(ValueAny, ValueAny)> {
        let id = Self::id_of(&prior)?;
        let timeout = self.def().timeouts.for_op(&planned, "update");
        let ctx = self.ctx(diags, timeout)?;
        match self.hooks.update(&ctx, &id, &prior, &planned).await {
            Ok(()) => {
                let observed = self.observe(&ctx, &id, &planned).await.ok().flatten();
                Some((self.settle(&planned, observed.as_ref(), &id), ValueAny::Null))
            }
            Err(e) => {
                self.fail(diags, "updating", Some(&id), &with_timeout_hint(e, "update", timeout));
                // Record what the API now says, so that a partial update is not lost; write-only values
                // come from the plan (recording them needs no call), and the private state is kept.
                let state = self.salvage(&id, &planned).await.unwrap_or(prior);
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
        let id = Self::id_of(&prior)?;
        let timeout = self.def().timeouts.for_op(&prior, "delete");
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

/// Did a create call fail in a way where the service may have acted on it?
fn maybe_acted(e: &Error) -> bool {
    use crate::client::retry::{classify, FailureClass};
    match e {
        Error::Api(ApiError::Decode { .. } | ApiError::Timeout { .. }) | Error::Message(_) => true,
        Error::Api(api) => matches!(classify(api), FailureClass::Server | FailureClass::Transport),
        Error::Wait(_) => false,
    }
}

/// A timed-out wait says which timeout ran out and how to raise it.
fn with_timeout_hint(e: Error, op: &str, timeout: Duration) -> Error {
    match e {
        Error::Wait(w @ WaitError::Timeout { .. }) => Error::Message(format!(
            "{w}; the {op} timeout is {}s: raise it with timeouts {{ {op} = \"...\" }}",
            timeout.as_secs()
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
