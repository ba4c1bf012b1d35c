//! The API calls of one resource: the trait the engine drives it through.

use async_trait::async_trait;
use serde_json::Value as Json;
use tf_provider::value::ValueAny;

use super::change::Change;
use super::ctx::Ctx;
use super::def::ResourceDef;
use super::error::Error;
use super::field::RuleProblem;
use super::instance::{Created, Existing};
use super::value::{self, get};

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
    /// Make the call of a [`Send::Hook`](super::change::Send::Hook) change between `prior` and `plan` (the engine has
    /// checked that something it carries changed), waiting as needed.
    async fn apply_change(
        &self,
        ctx: &Ctx,
        id: &str,
        change: &Change,
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
    fn change_problems(&self, prior: &ValueAny, proposed: &ValueAny, config: &ValueAny) -> Vec<RuleProblem> {
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
