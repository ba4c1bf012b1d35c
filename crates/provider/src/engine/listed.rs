//! The lists of top-level instances, as their list operation declares them (the member that holds
//! its items, its marker paging, the query parameters it takes): every page of a data source's
//! list, the refresh of many from one list, and the look for live instances by name before a create.

use std::collections::HashMap;
use std::future::Future;

use serde::de::DeserializeOwned;
use serde_json::Value as Json;
use tf_provider::value::ValueAny;

use hwapi::contract::{at, Op, Paging, Statuses};

use super::ctx::Ctx;
use super::def::ResourceDef;
use super::defaults::identity_key;
use super::error::{listed_member, Error};
use super::instance::Existing;
use super::value::{as_str, get, get_path};
use crate::client::Call;

/// Where a look by name finds what it compares in the entries of a list.
pub struct Lookup {
    /// The list. The name is sent when it takes the identity as a query parameter (a fuzzy filter:
    /// the names are compared exactly afterwards), a scope's value when it takes that.
    pub op: &'static Op,
    /// The member of an entry that holds the instance's id.
    pub id: &'static str,
    /// The member of an entry that holds its creation time.
    pub created: &'static str,
    /// The statuses: an entry being deleted (`going`) or deleted (`gone`) is not live.
    pub statuses: &'static Statuses,
    /// Arguments that place an instance (paths in the plan), each with the member of an entry that
    /// must hold the same value when the argument is set.
    pub scope: &'static [(&'static [&'static str], &'static str)],
}

/// The query of `op` for a data source's `filters`: every query parameter it takes (besides the
/// paging ones) whose filter is set, once per value of a list.
pub fn query_of(op: &Op, filters: &ValueAny) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for p in op.query.iter().filter(|p| !["limit", "marker", "offset"].contains(&p.name)) {
        match get(filters, p.name) {
            ValueAny::String(s) => out.push((p.name, s.clone())),
            ValueAny::List(values) => out.extend(values.iter().filter_map(as_str).map(|v| (p.name, v.to_string()))),
            _ => {}
        }
    }
    out
}

/// Every entry of the list `op` (paged by marker) with `query`: each page as large as its paging
/// declares, the next one at the marker its answer holds where declared, until a page comes back
/// empty or without a marker. A page asked again and a list that never ends are errors
/// ([`Ctx::list_all`]), never a shorter list.
pub async fn pages<T: DeserializeOwned>(
    ctx: &Ctx,
    op: &'static Op,
    query: &[(&'static str, String)],
) -> Result<Vec<T>, Error> {
    let Paging::Marker { limit, next } = op.paging else {
        return Err(Error::Message(format!("{}: not a list paged by marker", op.label())));
    };
    let call = |marker: Option<&str>| {
        let call =
            query.iter().fold(Call::to(op), |c, (k, v)| c.query(*k, v.clone())).query("limit", limit.to_string());
        match marker {
            Some(m) => call.query("marker", m),
            None => call,
        }
    };
    let next =
        |answer: &Json, _| at(answer, next).and_then(Json::as_str).filter(|m| !m.is_empty()).map(|m| call(Some(m)));
    ctx.list_all(call(None), op.items, next).await
}

/// Every entry of the list `op` with the data source's `filters`, each with its id (the member
/// `id`) and as `complete` shows it (None: gone since, left out).
pub async fn list_with<F, Fut>(
    ctx: &Ctx,
    op: &'static Op,
    id: &str,
    filters: &ValueAny,
    complete: F,
) -> Result<Vec<(String, Json)>, Error>
where
    F: Fn(String, Json) -> Fut,
    Fut: Future<Output = Result<Option<Json>, Error>>,
{
    let items: Vec<Json> = pages(ctx, op, &query_of(op, filters)).await?;
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
    let items: Vec<Json> = pages(ctx, op, &[]).await?;
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
/// list, the names compared exactly.
pub async fn find_named(
    ctx: &Ctx,
    def: &ResourceDef,
    lookup: &Lookup,
    plan: &ValueAny,
) -> Result<Vec<Existing>, Error> {
    let Some(name) = as_str(get(plan, def.identity)) else { return Ok(vec![]) };
    let key = identity_key(def);
    let scope: Vec<(&'static str, &str)> =
        lookup.scope.iter().filter_map(|(path, member)| Some((*member, as_str(get_path(plan, path))?))).collect();
    let query: Vec<(&'static str, String)> = [(key, name)]
        .into_iter()
        .chain(scope.iter().copied())
        .filter(|(k, _)| lookup.op.takes_query(k))
        .map(|(k, v)| (k, v.to_string()))
        .collect();
    let items: Vec<Json> = pages(ctx, lookup.op, &query).await?;
    let (going, gone) = (lookup.statuses.going, lookup.statuses.gone);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let status = item.get(lookup.statuses.member).and_then(Json::as_str);
        let live = status.is_none_or(|s| !going.contains(&s) && !gone.contains(&s));
        let placed = scope.iter().all(|(m, v)| item.get(*m).and_then(Json::as_str) == Some(*v));
        if listed_member(lookup.op, i, item, key)? == name && placed && live {
            let id = listed_member(lookup.op, i, item, lookup.id)?;
            out.push(Existing::listed(id, status.map(str::to_string), item.get(lookup.created)));
        }
    }
    Ok(out)
}
