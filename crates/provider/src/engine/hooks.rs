//! The API calls of one resource: the trait the engine drives it through.

use async_trait::async_trait;
use serde_json::Value as Json;
use tfplugin::framework::TfValue;

use super::change::Change;
use super::ctx::Ctx;
use super::def::ResourceDef;
use super::defaults;
use super::error::Error;
use super::field::RuleProblem;
use super::instance::{Created, Existing};
use super::value::{self, get};

/// The API calls of one resource.
#[async_trait]
pub trait Hooks: Send + Sync + 'static {
    fn def(&self) -> &'static ResourceDef;
    /// Send the create call and return the new instance (nothing else). By default the create
    /// operation with the body from the field table ([`defaults::create`]).
    async fn create(&self, ctx: &Ctx, plan: &TfValue) -> Result<Created, Error> {
        defaults::create(ctx, self.def(), plan).await
    }
    /// Wait until a new instance is ready. Returns the instance as `read` would, when the poll that saw
    /// it ready read the whole object (then no read follows); None to have it read. By default an
    /// object without statuses is ready once created; one with statuses has to say how it waits.
    async fn wait_ready(&self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        let _ = (ctx, created);
        match self.def().health.ready {
            [] => Ok(None),
            _ => Err(Error::Message(format!("{} declares statuses but no wait", self.def().name))),
        }
    }
    /// The instance as the API shows it (the shape the field table reads), or None when it is gone. By
    /// default the answer of `read_by`, or the object's entry in it when it is a list ([`defaults::read`]).
    async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        defaults::read(ctx, self.def(), id).await
    }
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
        prior: &TfValue,
        plan: &TfValue,
    ) -> Result<(), Error> {
        let _ = (ctx, id, prior, plan);
        Err(Error::Message(format!("{} has no hook for {}", self.def().name, change.op.label())))
    }
    /// Wait until the instance can take another change (after a busy answer, or a change that waits).
    async fn settle(&self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        let _ = (ctx, id);
        Ok(())
    }
    /// The value of `{instance_id}` in the resource's calls (by default its id, or the instance part of
    /// the id of an object inside an instance).
    fn instance_id<'a>(&self, id: &'a str) -> &'a str {
        defaults::instance_of(self.def(), id)
    }
    /// Delete and wait until gone; an instance that is already gone is not an error.
    async fn delete(&self, ctx: &Ctx, id: &str, state: &TfValue) -> Result<(), Error>;
    /// Every object the list API returns for the list data source's `filters` (its configuration),
    /// following pagination to the end: (id, the object in the shape `read` returns). By default the
    /// list of the instance an object lives in ([`defaults::list`]).
    async fn list(&self, ctx: &Ctx, filters: &TfValue) -> Result<Vec<(String, Json)>, Error> {
        defaults::list(ctx, self.def(), filters).await
    }
    /// The live instances (not being deleted) that carry the planned instance's identity
    /// (`ResourceDef::identity`), looked up before every create and after a lost create answer. By
    /// default the entries of its instance's list with its name ([`defaults::find_existing`]).
    async fn find_existing(&self, ctx: &Ctx, plan: &TfValue) -> Result<Vec<Existing>, Error> {
        defaults::find_existing(ctx, self.def(), plan).await
    }
    /// Did this instance's creation fail (so that it never came up)? By default: its status is one
    /// of `Health::create_failed`.
    fn creation_failed(&self, state: &TfValue) -> bool {
        value::as_str(get(state, "status")).is_some_and(|s| self.def().health.create_failed.contains(&s))
    }
    /// Why this instance cannot be destroyed by Terraform, if it cannot.
    fn destroy_blocker(&self, state: &TfValue) -> Option<String> {
        let _ = state;
        None
    }
    /// Problems of an in-place change from `prior` to `proposed` (with `config`, the configuration as
    /// written) that no API call could make, as (attribute path, message); e.g. shrinking what only grows.
    /// Checked at plan and again at apply, before any call. By default: what the contract says only
    /// grows may not shrink ([`defaults::shrinking`]).
    fn change_problems(&self, prior: &TfValue, proposed: &TfValue, config: &TfValue) -> Vec<RuleProblem> {
        let _ = config;
        defaults::shrinking(self.def(), prior, proposed)
    }
    /// Is a change of the argument `name` (marked `Update::Judged`) from `prior` (the state) to
    /// `proposed` one that only records what already is, so that it needs no new instance (a CloudDC
    /// placement added for the server the instance runs on, or removed)? By default no: it replaces.
    fn recorded_change(&self, name: &str, prior: &TfValue, proposed: &TfValue) -> bool {
        let _ = (name, prior, proposed);
        false
    }
    /// What two creates of one run may not share: by default the planned id (the identity's value,
    /// under its instance for an object inside one).
    fn claim_key(&self, plan: &TfValue) -> String {
        defaults::claim_key(self.def(), plan)
    }
}
