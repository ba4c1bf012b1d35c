//! The SASL users of a Kafka instance: create, list, batch delete, password reset and update.
//!
//! Rules the documents state: users exist only on an instance with SASL (`ssl_enable`, shown as
//! `kafka_security_protocol` SASL_SSL or SASL_PLAINTEXT); a user name is unique on its instance; an
//! instance has at most [`MAX_USERS`] users, the SASL user given at creation (`access_user`) counted.
//! A change needs a RUNNING instance and is refused as busy otherwise. Passwords are never kept: the
//! admin state records that one was set (`passwords_changed`: `user:NAME`).
//!
//! Where the documents are silent, the simulator chooses:
//! - The SASL user given at creation is listed first with role `admin` and `default_app` true (created
//!   users: role `guest`, as the documents' example shows, `default_app` false); it cannot be deleted
//!   (400 `DMS.00400000`), but its description and password can be changed.
//! - Every call on an instance without SASL is refused with 400 `DMS.00400000`; the list is a read and
//!   is answered in any status, the changes need RUNNING.
//! - A batch delete is all or nothing; a name that is not a user is skipped (the user is gone
//!   either way, so a repeated delete succeeds), and deleting a user removes it from every topic's
//!   access policies. Created, deleted, reset and updated answer 204 without a body.
//! - A reset or an update of a user that does not exist answers 404 `DMS.00404022`.
//! - The update (`/v2/{engine}/...`) takes `kafka` as its engine only (400 otherwise); a `user_name`
//!   in its body must be the path's (a user is not renamed), and a body naming nothing is refused.

use std::time::{SystemTime, UNIX_EPOCH};

use hwapi::contract::kafka::MAX_USERS;
use serde_json::{json, Value};

use super::errors::{invalid, missing};
use super::model::{Instance, Store};
use crate::request::{ApiRequest, Args, Reply};
use crate::spec;

/// Does the instance authenticate its clients with SASL?
pub fn sasl(inst: &Instance) -> bool {
    let protocol = inst.view.get("kafka_security_protocol").and_then(Value::as_str).unwrap_or("");
    inst.view.get("ssl_enable") == Some(&json!(true)) || protocol.starts_with("SASL")
}

/// The instance `id` when it has SASL; `Err` refuses the call.
pub fn with_sasl<'a>(store: &'a mut Store, id: &str) -> Result<&'a mut Instance, Reply> {
    let inst = store.find(id)?;
    if !sasl(inst) {
        return Err(invalid("users and topic access policies need an instance with SASL enabled (ssl_enable)"));
    }
    Ok(inst)
}

/// The instance `id` when it has SASL and is RUNNING (a change); `Err` refuses the call.
pub fn changeable<'a>(store: &'a mut Store, id: &str) -> Result<&'a mut Instance, Reply> {
    let inst = with_sasl(store, id)?;
    inst.ready()?;
    Ok(inst)
}

fn name_of(user: &Value) -> &str {
    user["user_name"].as_str().unwrap_or("")
}

/// Is `name` a user of the instance?
pub fn is_user(inst: &Instance, name: &str) -> bool {
    inst.users.iter().any(|u| name_of(u) == name)
}

/// Room for `more` users besides the `count` there are.
pub fn room_for(count: usize, more: usize) -> Result<(), Reply> {
    if count + more > MAX_USERS {
        return Err(invalid(format!("an instance has at most {MAX_USERS} users (the SASL user included)")));
    }
    Ok(())
}

pub fn create(store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = changeable(store, id)?;
    let name = b["user_name"].as_str().unwrap_or("");
    if is_user(inst, name) {
        return Err(invalid(format!("user_name: the user {name:?} already exists")));
    }
    room_for(inst.users.len(), 1)?;
    let created = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
    let desc = b.get("user_desc").and_then(Value::as_str).unwrap_or("");
    inst.users.push(json!({
        "user_name": name, "user_desc": desc, "role": "guest", "default_app": false, "created_time": created,
    }));
    inst.passwords_changed.push(format!("user:{name}"));
    Ok(Reply::empty(204))
}

pub fn list(store: &mut Store, id: &str) -> Result<Reply, Reply> {
    let inst = with_sasl(store, id)?;
    Ok(Reply::json(200, json!({"users": inst.users})))
}

/// All or nothing: the SASL user given at creation refuses the whole batch; names that are not users
/// are skipped.
pub fn delete(store: &mut Store, req: &ApiRequest, id: &str) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = changeable(store, id)?;
    let names = spec::strings(&b["users"]);
    if let Some(admin) = inst.users.iter().find(|u| u["default_app"] == true && names.contains(&name_of(u))) {
        return Err(invalid(format!("users: {:?} is the instance's SASL user and cannot be deleted", name_of(admin))));
    }
    inst.users.retain(|u| !names.contains(&name_of(u)));
    for policies in inst.policies.values_mut() {
        policies.retain(|p| !names.contains(&name_of(p)));
    }
    Ok(Reply::empty(204))
}

/// The user of the path, on a SASL instance that is RUNNING.
fn user_of<'a>(store: &'a mut Store, args: &Args) -> Result<(&'a mut Instance, String), Reply> {
    let inst = changeable(store, args.get("instance_id"))?;
    let name = args.get("user_name").to_string();
    if !is_user(inst, &name) {
        return Err(missing(format!("The user {name:?}")));
    }
    Ok((inst, name))
}

pub fn reset_password(store: &mut Store, args: &Args) -> Result<Reply, Reply> {
    let (inst, name) = user_of(store, args)?;
    inst.passwords_changed.push(format!("user:{name}"));
    Ok(Reply::empty(204))
}

pub fn update(store: &mut Store, req: &ApiRequest, args: &Args) -> Result<Reply, Reply> {
    if args.get("engine") != "kafka" {
        return Err(invalid(format!("engine: must be kafka, got {:?}", args.get("engine"))));
    }
    let b = req.checked_body();
    let (inst, name) = user_of(store, args)?;
    if b.as_object().is_some_and(|o| o.is_empty()) {
        return Err(invalid("the body names no field to change"));
    }
    if b.get("user_name").is_some_and(|n| n != name.as_str()) {
        return Err(invalid(format!("user_name: must be the user of the path ({name}); a user is not renamed")));
    }
    if b.get("new_password").is_some() {
        inst.passwords_changed.push(format!("user:{name}"));
    }
    if let Some(desc) = b.get("user_desc") {
        let user = inst.users.iter_mut().find(|u| name_of(u) == name).expect("checked above");
        user["user_desc"] = desc.clone();
    }
    Ok(Reply::empty(204))
}
