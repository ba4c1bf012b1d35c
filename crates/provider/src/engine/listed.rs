//! The lists of top-level instances, as their list operation declares them (the member that holds
//! its items, its paging, the query parameters it takes): every page of a data source's list, the
//! refresh of many from one list, and the look for live instances by name before a create.

use std::collections::HashMap;
use std::future::Future;

use serde_json::Value as Json;
use tfplugin::framework::TfValue;

use hwapi::contract::{Op, Statuses};

use super::ctx::Ctx;
use super::def::ResourceDef;
use super::defaults::{created, identity_key};
use super::error::{listed_member, Error};
use super::instance::Existing;
use super::pages::{list_all, named};
use super::polling::status_of;
use super::value::{as_str, get, get_path};
use crate::client::Call;

/// Where a look by name finds what it compares in the entries of a list.
pub struct Lookup {
    /// The list. The name is sent when it takes the identity as a query parameter (a fuzzy filter:
    /// the names are compared exactly afterwards), a scope's value when it takes that.
    pub op: &'static Op,
    /// The member of an entry that holds the instance's id.
    pub id: &'static str,
    /// The member of an entry that holds its creation time ("": `created_at` or `created_time`).
    pub created: &'static str,
    /// The statuses: an entry being deleted (`going`) or deleted (`gone`) is not live.
    pub statuses: &'static Statuses,
    /// Arguments that place an instance (paths in the plan), each with the member of an entry that
    /// must hold the same value when the argument is set.
    pub scope: &'static [(&'static [&'static str], &'static str)],
}

/// The query of `op` for a data source's `filters`: every query parameter it takes (besides the
/// paging ones) whose filter is set, once per value of a list.
pub fn query_of(op: &Op, filters: &TfValue) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for p in op.query.iter().filter(|p| !["limit", "marker", "offset"].contains(&p.name)) {
        match get(filters, p.name) {
            TfValue::String(s) => out.push((p.name, s.clone())),
            TfValue::List(values) => out.extend(values.iter().filter_map(as_str).map(|v| (p.name, v.to_string()))),
            _ => {}
        }
    }
    out
}

/// Every entry of the list `op` with `query`, page after page ([`list_all`]).
pub async fn pages(ctx: &Ctx, op: &'static Op, query: &[(&'static str, String)]) -> Result<Vec<Json>, Error> {
    list_all(ctx, op, query.iter().fold(Call::to(op), |c, (k, v)| c.query(*k, v.clone()))).await
}

/// Every entry of the list `op` with the data source's `filters`, each with its id (the member
/// `id`) and as `complete` shows it (None: gone since, left out).
pub async fn list_with<F, Fut>(
    ctx: &Ctx,
    op: &'static Op,
    id: &str,
    filters: &TfValue,
    complete: F,
) -> Result<Vec<(String, Json)>, Error>
where
    F: Fn(String, Json) -> Fut,
    Fut: Future<Output = Result<Option<Json>, Error>>,
{
    let items = pages(ctx, op, &query_of(op, filters)).await?;
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let key = listed_member(op, i, &item, id)?;
        if let Some(shown) = complete(key.clone(), item).await? {
            out.push((key, shown));
        }
    }
    Ok(out)
}

/// Every entry of the whole list `op` that shows a status and is not deleted (`gone`), by its id
/// (the member `id`): a refresh of many, when the entries are whole instances. One without a
/// status, or deleted, is left to its own read.
pub async fn live_by_id(
    ctx: &Ctx,
    op: &'static Op,
    id: &str,
    statuses: &Statuses,
) -> Result<HashMap<String, Json>, Error> {
    let items = pages(ctx, op, &[]).await?;
    let mut live = HashMap::new();
    for (i, item) in items.into_iter().enumerate() {
        let key = listed_member(op, i, &item, id)?;
        if item.get(statuses.member).and_then(Json::as_str).is_some_and(|s| !statuses.gone.contains(&s)) {
            live.insert(key, item);
        }
    }
    Ok(live)
}

/// The live instances with the planned identity (and in the planned scope): every page of the
/// list with `fixed` (query parameters of every call of the lookup), the names compared exactly.
pub async fn find_named(
    ctx: &Ctx,
    def: &ResourceDef,
    lookup: &Lookup,
    plan: &TfValue,
    fixed: Vec<(&'static str, String)>,
) -> Result<Vec<Existing>, Error> {
    let Some(query) = lookup_query(def, lookup, plan, fixed) else { return Ok(vec![]) };
    named_existing(def, lookup, plan, &pages(ctx, lookup.op, &query).await?)
}

/// The query of a look for the planned identity: `fixed`, then the name and the planned scope where
/// the list takes them (a name filter may be fuzzy: [`named_existing`] compares exactly). None when
/// the plan has no name.
pub fn lookup_query(
    def: &ResourceDef,
    lookup: &Lookup,
    plan: &TfValue,
    fixed: Vec<(&'static str, String)>,
) -> Option<Vec<(&'static str, String)>> {
    let name = as_str(get(plan, def.identity))?;
    let sent = [(identity_key(def), name)].into_iter().chain(scope(lookup, plan));
    let sent = sent.filter(|(k, _)| lookup.op.takes_query(k)).map(|(k, v)| (k, v.to_string()));
    Some(fixed.into_iter().chain(sent).collect())
}

/// What two creates of one run may not share: the planned name, with the planned scope's values (the
/// same name may live in another scope, as [`named_existing`] judges).
pub fn claim_key(def: &ResourceDef, lookup: &Lookup, plan: &TfValue) -> String {
    let name = as_str(get(plan, def.identity)).unwrap_or_default();
    scope(lookup, plan).iter().fold(name.to_string(), |key, (_, v)| format!("{key}@{v}"))
}

/// An instance whose list shows it only in part, filtered to its id (the query parameter `id_query`), or
/// its `entry` already listed: the entry with the
/// members of the answer of its status call merged in (`status`, see [`status_of`]); None when the
/// status call answers "not found", the entry is not listed, or the status is a `gone` one.
pub async fn with_status(
    ctx: &Ctx,
    def: &ResourceDef,
    lookup: &Lookup,
    status: (&'static Op, &'static Statuses),
    (id_query, id): (&'static str, &str),
    entry: Option<Json>,
) -> Result<Option<Json>, Error> {
    let Some((state, answer)) = status_of(ctx, def, status, id).await? else { return Ok(None) };
    let entry = match entry {
        Some(e) => e,
        None => {
            let call = Call::to(lookup.op).query(id_query, id);
            let listed: Vec<Json> = ctx.send(call).await?.parse_list(lookup.op.items)?;
            let Some(e) = listed.into_iter().find(|i| i[lookup.id] == id) else { return Ok(None) };
            e
        }
    };
    let Json::Object(mut merged) = entry else { return Ok(None) };
    if let Json::Object(extra) = answer {
        merged.extend(extra);
    }
    Ok((!status.1.gone.contains(&state.as_str())).then_some(Json::Object(merged)))
}

/// The planned scope: each member of an entry with the value it must hold.
fn scope<'a>(lookup: &Lookup, plan: &'a TfValue) -> Vec<(&'static str, &'a str)> {
    lookup.scope.iter().filter_map(|(path, member)| Some((*member, as_str(get_path(plan, path))?))).collect()
}

/// The live entries of `items` (of `lookup.op`) with the planned identity, exactly, in the planned scope.
pub fn named_existing(
    def: &ResourceDef,
    lookup: &Lookup,
    plan: &TfValue,
    items: &[Json],
) -> Result<Vec<Existing>, Error> {
    let Some(name) = as_str(get(plan, def.identity)) else { return Ok(vec![]) };
    let statuses = Some(lookup.statuses);
    let mut out = Vec::new();
    for (i, item, status) in named(lookup.op, items, (identity_key(def), name), statuses, &scope(lookup, plan))? {
        let id = listed_member(lookup.op, i, item, lookup.id)?;
        let created = if lookup.created.is_empty() { created(item) } else { item.get(lookup.created) };
        out.push(Existing::listed(id, status, created));
    }
    Ok(out)
}
