//! What the engine does when a resource's definition says enough, so that its file holds only its
//! table and its exceptions: the create call, the read (a show call, or the entry of a list), the
//! data source's list, the look for a live
//! object by name before a create, and the refusal to shrink what the contract says only grows.
//!
//! An object that lives inside an instance (`ResourceDef::scope` names the argument that holds the
//! instance's id, e.g. a topic's `instance_id`) has the id `<instance id>/<name>`.

use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::Op;

use super::ctx::Ctx;
use super::def::ResourceDef;
use super::error::{listed_member, Error};
use super::field::{Read, RuleProblem};
use super::instance::{Created, Existing};
use super::pages::{list_all, named};
use super::value::{as_str, body, get};
use crate::client::Call;

/// (instance id, name) of the id of an object inside an instance.
pub fn parts(id: &str) -> (&str, &str) {
    id.split_once('/').unwrap_or((id, ""))
}

/// The argument that holds the id of the instance an object lives in, if it lives in one.
fn parent(def: &ResourceDef) -> Option<&'static str> {
    def.scope.first().copied()
}

/// The member of a list entry that holds an object's identity (its name).
pub fn identity_key(def: &ResourceDef) -> &'static str {
    match def.fields.iter().find(|f| f.name == def.identity) {
        Some(f) => match f.read {
            Read::Path(p) => p,
            _ => f.api_name(),
        },
        None => def.identity,
    }
}

/// The id of the planned object: its name, prefixed by its instance's id when it lives in one.
pub fn planned_id(def: &ResourceDef, plan: &TfValue) -> String {
    let name = as_str(get(plan, def.identity)).unwrap_or_default();
    match parent(def) {
        Some(p) => format!("{}/{name}", as_str(get(plan, p)).unwrap_or_default()),
        None => name.to_string(),
    }
}

/// The value of `{instance_id}` in the calls about the object `id`.
pub fn instance_of<'a>(def: &ResourceDef, id: &'a str) -> &'a str {
    match parent(def) {
        Some(_) => parts(id).0,
        None => id,
    }
}

/// A call of `op` about the object `id`: `{instance_id}` its instance's id, and any other placeholder
/// the operation does not fix (`{user_name}`, `{topic_name}`) the object's name.
pub fn call_for(def: &ResourceDef, op: &'static Op, id: &str) -> Call {
    let fixed: Vec<&str> = op.fixed.iter().map(|(n, _)| *n).collect();
    let call = if op.batch.is_empty() { Call::to(op) } else { Call::to(op).object(instance_of(def, id)) };
    op.placeholders().into_iter().filter(|p| *p != "project_id" && !fixed.contains(p)).fold(call, |call, p| match p {
        "instance_id" => call.arg(p, instance_of(def, id)),
        _ => call.arg(p, parts(id).1),
    })
}

/// The id check of an object inside an instance: `<instance id>/<name>`, each part held to its checks.
macro_rules! member_id_check {
    ($what:expr, $instance:expr, $name:expr) => {
        $crate::engine::field::Check::Pattern($what, |id| match id.split_once('/') {
            Some((i, n)) => $instance.iter().all(|c| c.text(i).is_none()) && $name.iter().all(|c| c.text(n).is_none()),
            None => false,
        })
    };
}
pub(crate) use member_id_check;

/// Send the create call: the body from the field table (the fixed members the operation adds); the
/// new id is the answer's `instance_id`, or, for an object inside an instance, `<instance>/<name>`.
pub async fn create(ctx: &Ctx, def: &ResourceDef, plan: &TfValue) -> Result<Created, Error> {
    let op = def.create_for_plan(plan);
    let mut sent = body(def.fields, plan);
    // An argument of another shape's table (one an instance reports) is not this table's to send.
    if let (false, Json::Object(members)) = (def.shapes.is_empty(), &mut sent) {
        members.retain(|name, _| op.object_table().iter().any(|p| p.name == name));
    }
    let call = Call::to(op).body(sent);
    match parent(def) {
        None => ctx.create_instance(call).await,
        Some(p) => {
            let instance = as_str(get(plan, p)).unwrap_or_default();
            let r = ctx.send(call.arg("instance_id", instance)).await?;
            Ok(Created { id: planned_id(def, plan), answer: r.body })
        }
    }
}

/// Every entry of the list `def.read_by` answers for the instance of an object inside one, each
/// with the instance's id added under the parent argument's name; None when the instance is gone.
async fn members(ctx: &Ctx, def: &ResourceDef, instance: &str) -> Result<Option<Vec<Json>>, Error> {
    let items: Vec<Json> = match list_all(ctx, def.read_by, Call::to(def.read_by).arg("instance_id", instance)).await {
        Err(Error::Api(e)) if e.is_not_found() => return Ok(None),
        listed => listed?,
    };
    let p = parent(def).unwrap_or("instance_id");
    Ok(Some(
        items
            .into_iter()
            .map(|mut item| {
                item[p] = json!(instance);
                item
            })
            .collect(),
    ))
}

/// The object as the API shows it: the show call's answer, or its entry in the list `read_by`
/// (an operation with `items`); None when it is gone.
pub async fn read(ctx: &Ctx, def: &ResourceDef, id: &str) -> Result<Option<Json>, Error> {
    if def.read_by.items.is_empty() {
        let call = Call::to(def.read_by).arg("instance_id", instance_of(def, id));
        return Ok(ctx.send_or_gone(call).await?.map(|r| r.body));
    }
    let (instance, name) = parts(id);
    let key = identity_key(def);
    let Some(items) = members(ctx, def, instance).await? else { return Ok(None) };
    Ok(items.into_iter().find(|t| t.get(key).and_then(Json::as_str) == Some(name)))
}

/// Every object of the list data source: for objects inside an instance, every entry of the list of
/// the instance the filter names.
pub async fn list(ctx: &Ctx, def: &ResourceDef, filters: &TfValue) -> Result<Vec<(String, Json)>, Error> {
    let Some(p) = parent(def) else {
        return Err(Error::Message(format!("{} declares no list of its own", def.noun)));
    };
    let instance = as_str(get(filters, p)).unwrap_or_default();
    let Some(items) = members(ctx, def, instance).await? else {
        return Err(Error::Message(format!("there is no instance {instance:?} to list the {}s of", def.noun)));
    };
    let key = identity_key(def);
    let mut out = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let name = listed_member(def.read_by, i, &item, key)?;
        out.push((format!("{instance}/{name}"), item));
    }
    Ok(out)
}

/// The live objects inside the planned object's instance that carry its name.
pub async fn find_existing(ctx: &Ctx, def: &ResourceDef, plan: &TfValue) -> Result<Vec<Existing>, Error> {
    let Some(p) = parent(def) else {
        return Err(Error::Message(format!("{} declares no lookup by name", def.noun)));
    };
    let (Some(instance), Some(name)) = (as_str(get(plan, p)), as_str(get(plan, def.identity))) else {
        return Ok(vec![]);
    };
    let Some(items) = members(ctx, def, instance).await? else { return Ok(vec![]) };
    let named = named(def.read_by, &items, (identity_key(def), name), None, &[])?;
    let existing = |(_, item, _): (usize, &Json, _)| {
        Existing::listed(format!("{instance}/{name}"), Some("present".into()), created(item))
    };
    Ok(named.into_iter().map(existing).collect())
}

/// The creation time a list entry shows (its `created_at` or `created_time`).
pub fn created(item: &Json) -> Option<&Json> {
    ["created_at", "created_time"].iter().find_map(|k| item.get(*k))
}

/// What two creates of one run may not share: the object's id.
pub fn claim_key(def: &ResourceDef, plan: &TfValue) -> String {
    planned_id(def, plan)
}

/// A smaller value of an argument the contract marks as only growing (`Param::grows` in the create
/// table) cannot be applied in place: an error at plan that says how to replace deliberately.
pub fn shrinking(def: &ResourceDef, prior: &TfValue, proposed: &TfValue) -> Vec<RuleProblem> {
    let mut out = Vec::new();
    for f in def.fields.iter().filter(|f| f.in_body) {
        let grows = def.create_tables().iter().flat_map(|t| t.iter()).any(|p| p.name == f.api_name() && p.grows);
        if let (true, TfValue::Number(old), TfValue::Number(new)) = (grows, get(prior, f.name), get(proposed, f.name)) {
            if new < old {
                out.push((
                    vec![f.name],
                    format!(
                        "cannot shrink from {old} to {new}: the service only grows it. A smaller one means a new {}: \
destroy this one deliberately (`terraform destroy -refresh=false -target=ADDRESS`, losing what it holds), then apply.",
                        def.noun
                    ),
                ));
            }
        }
    }
    out
}
