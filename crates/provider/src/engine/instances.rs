//! A top-level instance with statuses (the create call's answer names it by its `instance_id`), driven
//! from its definition and the contract's status table: the show call read through the status member,
//! the waits for a status, a resize of one argument waited for until the show answer has it, the
//! delete, and its paged list (the data source's list, every instance for a refresh, the lookup by
//! name before a create). A resource whose instances it drives declares an [`Instances`] and writes
//! only its exceptions into [`instance_hooks`].

use std::collections::HashMap;

use serde_json::{Map, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::{Op, Statuses};

use super::change::Change;
use super::ctx::Ctx;
use super::data::FilterKind;
use super::def::ResourceDef;
use super::defaults::call_for;
use super::error::Error;
use super::instance::{Created, Existing};
use super::listed::{lookup_query, named_existing, Lookup};
use super::pages::{is_live, list_all};
use super::polling::{delete_then, status_of, wait_status, warn_once};
use super::reading::state_from_api;
use super::value::{as_str, get, to_api};
use crate::client::{ApiError, Call};
use crate::waiter::{Seen, StatusTable};

/// Query parameters sent with every call of a list.
pub type Query = &'static [(&'static str, &'static str)];

/// How the engine drives the instances of one resource: a `static` (its waits borrow its tables) built
/// from [`Instances::new`] and what its list and resizes need; [`instance_hooks`] makes its hooks.
pub struct Instances {
    pub def: &'static ResourceDef,
    /// What the status member of the show (and list) answer says; a status in `gone` is an instance
    /// deleted but still shown.
    pub statuses: &'static Statuses,
    /// The statuses that end a wait for a ready instance badly.
    pub failure: [&'static [&'static str]; 2],
    /// Until a deleted instance is gone (any status until then is transitional: a deleted instance
    /// may pass through a failure status before it disappears).
    pub gone: StatusTable,
    pub delete: &'static Op,
    /// Query parameters of every call of the list (`def.listing.op`), e.g. the engine a shared list serves.
    pub list_query: Query,
    /// Query parameters that make the list show every instance, failed creations included.
    pub every: Query,
    /// Query parameters that make the list's name filter an exact match.
    pub exact: Query,
    /// Members a show or list answer may lack, each with the call about the instance that lists them
    /// (under the same member), e.g. the tags.
    pub completed_by: &'static [(&'static Op, &'static str)],
    /// The resizes, each a fixed use of an operation (e.g. its `oper_type`) and the one argument it
    /// carries, made by [`Instances::resize`] for a [`Send::Hook`](super::change::Send::Hook) change of
    /// that use. No declared change expresses them: the uses of one operation are one to the field
    /// table (it cannot tell which argument each carries), and a resize is done only once the show
    /// answer has the new value (the instance is ready before the resize starts).
    pub resizes: &'static [(&'static Op, &'static str)],
    /// Rewrites a show (or list) answer before anything reads it: what the answer means for the
    /// arguments that the field table cannot say by name (which shape an instance has).
    pub shaped: Option<fn(&mut Json)>,
    /// Why a wait goes on, from a status and the answer that shows it (an order awaiting payment).
    pub waiting: Option<fn(&str, &Json) -> Option<String>>,
}

/// A list entry: an instance is named by its `instance_id` (an entry without one is a garbled answer).
#[derive(serde::Deserialize, PartialEq)]
struct Entry {
    instance_id: String,
    #[serde(flatten)]
    rest: Map<String, Json>,
}

impl Instances {
    /// The instances of `def`, whose statuses `statuses` declares, deleted by `delete`; a list without
    /// parameters of its own.
    pub const fn new(def: &'static ResourceDef, statuses: &'static Statuses, delete: &'static Op) -> Instances {
        Instances {
            def,
            statuses,
            failure: [statuses.failed, statuses.create_failed],
            gone: StatusTable::gone(statuses),
            delete,
            list_query: &[],
            every: &[],
            exact: &[],
            completed_by: &[],
            resizes: &[],
            shaped: None,
            waiting: None,
        }
    }

    /// Until the instance takes changes: a new one, or one busy with another operation.
    fn ready(&'static self) -> StatusTable {
        StatusTable { target: self.statuses.ready, failure: &self.failure, gone_is_success: false }
    }

    fn is_gone(&self, status: &str) -> bool {
        self.statuses.gone.contains(&status)
    }

    /// The show answer and its status; None when the instance does not exist.
    async fn shown(&self, ctx: &Ctx, id: &str) -> Result<Option<(String, Json)>, ApiError> {
        status_of(ctx, self.def, (self.def.read_by, self.statuses), id).await
    }

    /// The show answer with the members it lacks from the calls that list them.
    async fn complete(&self, ctx: &Ctx, id: &str, mut shown: Json) -> Result<Json, Error> {
        if let Some(shaped) = self.shaped {
            shaped(&mut shown);
        }
        for (op, member) in self.completed_by {
            if let Some(obj) = shown.as_object_mut().filter(|o| o.get(*member).is_none_or(Json::is_null)) {
                let items: Vec<Json> = ctx.send(call_for(self.def, op, id)).await?.parse_list(member)?;
                obj.insert(member.to_string(), Json::Array(items));
            }
        }
        Ok(shown)
    }

    /// The instance as the show call answers it (completed), or None when it is gone.
    pub async fn read(&self, ctx: &Ctx, id: &str) -> Result<Option<Json>, Error> {
        match self.shown(ctx, id).await? {
            Some((status, body)) if !self.is_gone(&status) => Ok(Some(self.complete(ctx, id, body).await?)),
            _ => Ok(None),
        }
    }

    /// Poll the show call until `table` says the wait is over (a status in `gone` is the instance
    /// gone); the last answer seen, if any.
    pub async fn wait(&self, ctx: &Ctx, id: &str, table: &StatusTable) -> Result<Option<Json>, Error> {
        let judge = |status: String, shown: Json| async move {
            if self.is_gone(&status) {
                return Ok(Seen::Gone);
            }
            let detail = self.waiting.and_then(|why| why(&status, &shown));
            if let Some(d) = &detail {
                warn_once(&self.def.label(id), d);
            }
            Ok(Seen::Status { status, detail })
        };
        wait_status(ctx, self.def, (self.def.read_by, self.statuses), id, table, judge).await
    }

    /// Until a new instance is ready; the last poll's show answer is the instance (no read repeats it).
    pub async fn wait_ready(&'static self, ctx: &Ctx, created: &Created) -> Result<Option<Json>, Error> {
        match self.wait(ctx, &created.id, &self.ready()).await? {
            Some(body) => Ok(Some(self.complete(ctx, &created.id, body).await?)),
            None => Ok(None),
        }
    }

    /// Until the instance takes changes.
    pub async fn settle(&'static self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        self.wait(ctx, id, &self.ready()).await.map(|_| ())
    }

    /// Delete (waiting while the instance is busy), then wait until it is gone; an instance already
    /// gone is no error.
    pub async fn delete(&'static self, ctx: &Ctx, id: &str) -> Result<(), Error> {
        let call = call_for(self.def, self.delete, id);
        delete_then(ctx, call, self.def.busy, || self.settle(ctx, id), || self.wait(ctx, id, &self.gone)).await
    }

    /// The declared resize of the change `ch` (one of `resizes`, the same use of the same operation).
    pub async fn apply_change(
        &'static self,
        ctx: &Ctx,
        id: &str,
        ch: &Change,
        prior: &TfValue,
        plan: &TfValue,
    ) -> Result<(), Error> {
        match self.resizes.iter().find(|(op, _)| **op == *ch.op && op.fixed == ch.op.fixed) {
            Some((op, arg)) => self.resize(ctx, id, op, arg, prior, plan).await,
            None => Err(Error::Message(format!("{} has no hook for {}", self.def.name, ch.op.label()))),
        }
    }

    /// A resize of the argument `arg` through `op` (a fixed use of an operation, e.g. with its
    /// `oper_type`) when it changed, then a wait until the instance is ready with the planned value.
    /// While the instance is busy the call waits; an instance that has meanwhile reached the planned
    /// value (an interrupted apply's resize finishing) is not resized again.
    pub async fn resize(
        &'static self,
        ctx: &Ctx,
        id: &str,
        op: &'static Op,
        arg: &str,
        prior: &TfValue,
        plan: &TfValue,
    ) -> Result<(), Error> {
        let Some(f) = self.def.fields.iter().find(|f| f.name == arg) else {
            return Err(Error::Message(format!("{} has no argument {arg}", self.def.name)));
        };
        let Some(value) = to_api(f, get(plan, arg)).filter(|_| get(prior, arg) != get(plan, arg)) else {
            return Ok(());
        };
        let param = f.via_params().into_iter().find(|(o, _)| *o == op).and_then(|(_, p)| p);
        let body = Json::Object([(param.map_or(f.api_name(), |p| p.name).to_string(), value)].into_iter().collect());
        // Does the show answer have the planned value (read as a refresh reads it)?
        let done = |shown: &Json| match state_from_api(std::slice::from_ref(f), shown, &TfValue::Null) {
            Ok(state) => state.get(arg) == Some(get(plan, arg)),
            Err(_) => false,
        };
        self.change(ctx, id, call_for(self.def, op, id).body(body), "resize", done).await
    }

    /// A call that changes the instance through a background task, then a wait until the show answer
    /// says `done`. While the instance is busy the call waits; an instance that has meanwhile become as
    /// the call would make it (an interrupted apply's call finishing) is not sent the call again.
    pub async fn change(
        &'static self,
        ctx: &Ctx,
        id: &str,
        call: Call,
        what: &str,
        done: impl Fn(&Json) -> bool,
    ) -> Result<(), Error> {
        let settled = || async {
            self.settle(ctx, id).await?;
            Ok(self.shown(ctx, id).await?.is_some_and(|(_, shown)| done(&shown)))
        };
        if ctx.send_when_idle_unless(call, self.def.busy, settled).await?.is_none() {
            return Ok(());
        }
        self.wait_until(ctx, id, what, done).await
    }

    /// Until the instance is ready and its show answer says `done` (a change made by a background task
    /// shows only once it is over: ready before that is the change not having started yet).
    pub async fn wait_until(
        &'static self,
        ctx: &Ctx,
        id: &str,
        what: &str,
        done: impl Fn(&Json) -> bool,
    ) -> Result<(), Error> {
        let (done, what) = (&done, what);
        let judge = |status: String, shown| async move {
            Ok(match status {
                s if self.is_gone(&s) => Seen::Gone,
                s if self.statuses.is_ready(&s) && !done(&shown) => {
                    Seen::status(format!("{s} ({what} not applied yet)"))
                }
                s => Seen::status(s),
            })
        };
        wait_status(ctx, self.def, (self.def.read_by, self.statuses), id, &self.ready(), judge).await.map(drop)
    }

    /// Every entry of the list with its `list_query` and `extra`, page after page ([`list_all`]), as
    /// (instance id, entry).
    async fn entries(&self, ctx: &Ctx, extra: Vec<(&'static str, String)>) -> Result<Vec<(String, Json)>, Error> {
        let op = self.def.listing.op;
        let query = self.list_query.iter().map(|(k, v)| (*k, v.to_string())).chain(extra);
        let items: Vec<Entry> = list_all(ctx, op, query.fold(Call::to(op), |c, (k, v)| c.query(k, v))).await?;
        Ok(items
            .into_iter()
            .map(|mut e| {
                e.rest.insert("instance_id".into(), Json::String(e.instance_id.clone()));
                (e.instance_id, Json::Object(e.rest))
            })
            .collect())
    }

    /// The entries completed as a read shows them; one deleted since it was listed is left out.
    async fn completed(&self, ctx: &Ctx, listed: Vec<(String, Json)>) -> Result<Vec<(String, Json)>, Error> {
        let mut out = Vec::new();
        for (id, item) in listed {
            match self.complete(ctx, &id, item).await {
                Ok(instance) => out.push((id, instance)),
                Err(Error::Api(e)) if e.is_not_found() => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Every instance the list shows for the data source's filters (those the list takes as query
    /// parameters); its entries are whole instances.
    pub async fn list(&self, ctx: &Ctx, filters: &TfValue) -> Result<Vec<(String, Json)>, Error> {
        let op = self.def.listing.op;
        let mut query = Vec::new();
        for f in self.def.listing.filters.iter().filter(|f| op.takes_query(f.name)) {
            match (f.kind, get(filters, f.name)) {
                (FilterKind::Str, v) => query.extend(as_str(v).map(|s| (f.name, s.to_string()))),
                (FilterKind::Bool, TfValue::Bool(b)) => query.push((f.name, b.to_string())),
                (FilterKind::StrList, TfValue::List(l)) => {
                    query.extend(l.iter().filter_map(as_str).map(|s| (f.name, s.to_string())))
                }
                _ => {}
            }
        }
        let listed = self.entries(ctx, query).await?;
        self.completed(ctx, listed).await
    }

    /// Every live instance (failed creations included; one being deleted is left to its own read).
    pub async fn read_all(&self, ctx: &Ctx) -> Result<HashMap<String, Json>, Error> {
        let every = self.every.iter().map(|(k, v)| (*k, v.to_string())).collect();
        let listed = self.completed(ctx, self.entries(ctx, every).await?).await?;
        let live = |v: &Json| is_live(self.statuses, v.get(self.statuses.member).and_then(Json::as_str));
        Ok(listed.into_iter().filter(|(_, v)| live(v)).collect())
    }

    /// The live instances (failed creations included) named as planned, from every page of the list.
    pub async fn find_existing(&self, ctx: &Ctx, plan: &TfValue) -> Result<Vec<Existing>, Error> {
        let op = self.def.listing.op;
        let lookup = Lookup { op, id: "instance_id", created: "", statuses: self.statuses, scope: &[] };
        let fixed = self.every.iter().chain(self.exact).map(|(k, v)| (*k, v.to_string())).collect();
        let Some(query) = lookup_query(self.def, &lookup, plan, fixed) else { return Ok(vec![]) };
        let items: Vec<Json> = self.entries(ctx, query).await?.into_iter().map(|(_, item)| item).collect();
        named_existing(self.def, &lookup, plan, &items)
    }
}

/// `impl Hooks for $resource`: every call is the engine's, through the `static` [`Instances`]
/// `$instances` (its definition, waits, resizes, delete and list); the braces hold the resource's own
/// hooks (its exceptions: plan-time refusals, a destroy blocker).
macro_rules! instance_hooks {
    (@other none, $instances:expr, $ctx:ident, $id:ident, $change:ident, $prior:ident, $plan:ident) => {
        $instances.apply_change($ctx, $id, $change, $prior, $plan).await
    };
    (@other $changes:ident, $instances:expr, $ctx:ident, $id:ident, $change:ident, $prior:ident, $plan:ident) => {
        $changes($ctx, $id, $change, $prior, $plan).await
    };
    ($resource:ty, $instances:expr, { $($own:tt)* }) => {
        $crate::engine::instances::instance_hooks!($resource, $instances, changes: none, { $($own)* });
    };
    // `changes`: the async fn that makes the `Send::Hook` changes that are not one of the declared
    // resizes (`none`: there are none).
    ($resource:ty, $instances:expr, changes: $changes:ident, { $($own:tt)* }) => {
        #[::async_trait::async_trait]
        impl $crate::engine::Hooks for $resource {
            fn def(&self) -> &'static $crate::engine::ResourceDef {
                $instances.def
            }
            async fn wait_ready(
                &self,
                ctx: &$crate::engine::Ctx,
                created: &$crate::engine::Created,
            ) -> Result<Option<::serde_json::Value>, $crate::engine::Error> {
                $instances.wait_ready(ctx, created).await
            }
            async fn read(
                &self,
                ctx: &$crate::engine::Ctx,
                id: &str,
            ) -> Result<Option<::serde_json::Value>, $crate::engine::Error> {
                $instances.read(ctx, id).await
            }
            async fn read_all(
                &self,
                ctx: &$crate::engine::Ctx,
            ) -> Result<Option<::std::collections::HashMap<String, ::serde_json::Value>>, $crate::engine::Error> {
                $instances.read_all(ctx).await.map(Some)
            }
            async fn list(
                &self,
                ctx: &$crate::engine::Ctx,
                filters: &::tfplugin::framework::TfValue,
            ) -> Result<Vec<(String, ::serde_json::Value)>, $crate::engine::Error> {
                $instances.list(ctx, filters).await
            }
            async fn settle(&self, ctx: &$crate::engine::Ctx, id: &str) -> Result<(), $crate::engine::Error> {
                $instances.settle(ctx, id).await
            }
            async fn delete(
                &self,
                ctx: &$crate::engine::Ctx,
                id: &str,
                _state: &::tfplugin::framework::TfValue,
            ) -> Result<(), $crate::engine::Error> {
                $instances.delete(ctx, id).await
            }
            async fn find_existing(
                &self,
                ctx: &$crate::engine::Ctx,
                plan: &::tfplugin::framework::TfValue,
            ) -> Result<Vec<$crate::engine::Existing>, $crate::engine::Error> {
                $instances.find_existing(ctx, plan).await
            }
            async fn apply_change(
                &self,
                ctx: &$crate::engine::Ctx,
                id: &str,
                change: &$crate::engine::change::Change,
                prior: &::tfplugin::framework::TfValue,
                plan: &::tfplugin::framework::TfValue,
            ) -> Result<(), $crate::engine::Error> {
                if $instances.resizes.iter().any(|(op, _)| **op == *change.op && op.fixed == change.op.fixed) {
                    return $instances.apply_change(ctx, id, change, prior, plan).await;
                }
                $crate::engine::instances::instance_hooks!(@other $changes, $instances, ctx, id, change, prior, plan)
            }
            $($own)*
        }
    };
}
pub(crate) use instance_hooks;
