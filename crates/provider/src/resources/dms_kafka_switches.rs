//! The calls that switch the access methods and set the broker parameters of a Kafka instance created
//! with `broker_num`, each judged against what the instance has now (read just before), not against the
//! state: a block added to a configuration later, or a parameter changed elsewhere, sends only what differs.

use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::kafka as c;

use super::dms_kafka_instance::{DEF, INSTANCES};
use super::dms_kafka_shape::list;
use crate::engine::defaults::call_for;
use crate::engine::value::{as_str, get, single};
use crate::engine::{Ctx, Error};
use crate::waiter::{self, Schedule, Seen, StatusTable};

/// Each access method the plan sets to a value the instance does not have, switched one call at a time
/// (those switched on first, so that an instance never loses its last way in), each waited for until the
/// instance shows it. The first SASL method switched on sends the user, its password and the mechanisms.
pub async fn methods(ctx: &Ctx, id: &str, _prior: &TfValue, plan: &TfValue) -> Result<(), Error> {
    let wanted = single(get(plan, "port_protocol"));
    if !matches!(wanted, TfValue::Map(_)) {
        return Ok(());
    }
    let Some(now) = INSTANCES.read(ctx, id).await? else {
        return Err(Error::Message(format!("{} no longer exists", DEF.label(id))));
    };
    let switches: Vec<(&str, bool)> = c::PROTOCOLS
        .iter()
        .filter_map(|m| match get(wanted, m) {
            TfValue::Bool(b) if now["port_protocols"][m].as_bool() != Some(*b) => Some((*m, *b)),
            _ => None,
        })
        .collect();
    // Those switched on first, so that the instance keeps a way in; but a method whose partner on the same
    // network (SASL_SSL and SASL_PLAINTEXT exclude each other) goes off goes on after it.
    let partner = |m: &str| match m {
        _ if m.contains("sasl_ssl") => Some(m.replace("sasl_ssl", "sasl_plaintext")),
        _ if m.contains("sasl_plaintext") => Some(m.replace("sasl_plaintext", "sasl_ssl")),
        _ => None,
    };
    let waits = |(m, on): &(&str, bool)| *on && partner(m).is_some_and(|p| switches.contains(&(p.as_str(), false)));
    let order: Vec<u8> = switches
        .iter()
        .map(|s| {
            if !s.1 {
                1
            } else if waits(s) {
                2
            } else {
                0
            }
        })
        .collect();
    let mut switches: Vec<((&str, bool), u8)> = switches.iter().copied().zip(order).collect();
    switches.sort_by_key(|(_, rank)| *rank);
    // The service takes the user and the mechanisms only with the first SASL method an instance ever has.
    let user = now.get("access_user").and_then(Json::as_str).is_some_and(|u| !u.is_empty());
    let mut sasl = now["ssl_enable"] == json!(true) || user;
    for ((method, on), _) in switches {
        let mut body = json!({"protocol": method, "enable": on});
        if on && method.contains("sasl") && !sasl {
            let (Some(user), Some(password)) = (as_str(get(plan, "access_user")), as_str(get(plan, "password"))) else {
                return Err(Error::Message(format!(
                    "port_protocol.{method} switches SASL on for the first time: set access_user and password (the \
user it creates)"
                )));
            };
            body["user_name"] = json!(user);
            body["pass_word"] = json!(password);
            if let Some(mechanisms) = list(get(plan, "sasl_enabled_mechanisms")).filter(|m| !m.is_empty()) {
                body["sasl_enabled_mechanisms"] = json!(mechanisms);
            }
            sasl = true;
        }
        let call = call_for(&DEF, &c::PROTOCOL_SWITCH, id).body(body);
        ctx.send_when_idle(call, DEF.busy, || INSTANCES.settle(ctx, id)).await?;
        let shown = move |v: &Json| v["port_protocols"][method].as_bool() == Some(on);
        INSTANCES.wait_until(ctx, id, "access method switch", shown).await?;
    }
    Ok(())
}

/// The parameters of `v` as (name, value), by name (a set has no order).
fn named(v: &TfValue) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = match get(v, "parameters") {
        TfValue::List(items) => {
            items.iter().filter_map(|p| Some((as_str(get(p, "name"))?, as_str(get(p, "value"))?))).collect()
        }
        _ => vec![],
    };
    out.sort();
    out
}

/// The instance's parameters as the configuration query lists them.
async fn configs(ctx: &Ctx, id: &str) -> Result<Vec<Json>, Error> {
    Ok(ctx.send(call_for(&DEF, &c::CONFIGS, id)).await?.parse_list(c::CONFIGS.items)?)
}

/// The parameters whose values the plan changes (a parameter removed from the configuration goes back
/// to its default), in one call; the static ones among them are named in a warning (they take effect
/// after a restart); waited for until the query shows the new values.
pub async fn parameters(ctx: &Ctx, id: &str, prior: &TfValue, plan: &TfValue) -> Result<(), Error> {
    // The state reads the parameters it names with their current values: equal lists leave nothing to send;
    // a configuration without any leaves them to the service.
    if named(prior) == named(plan) || named(plan).is_empty() {
        return Ok(());
    }
    let live = configs(ctx, id).await?;
    let entry = |name: &str| live.iter().find(|c| c["name"] == name);
    let value_of = |name: &str| entry(name).and_then(|c| c["value"].as_str());
    let wanted = named(plan);
    let mut send: Vec<(String, String)> =
        wanted.iter().filter(|(n, v)| value_of(n) != Some(*v)).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    for (name, _) in named(prior).into_iter().filter(|(n, _)| !wanted.iter().any(|(w, _)| w == n)) {
        if let Some(default) = entry(name).and_then(|c| c["default_value"].as_str()) {
            if value_of(name) != Some(default) {
                send.push((name.to_string(), default.to_string()));
            }
        }
    }
    if send.is_empty() {
        return Ok(());
    }
    let body = json!({"kafka_configs": send.iter().map(|(n, v)| json!({"name": n, "value": v})).collect::<Vec<_>>()});
    let call = call_for(&DEF, &c::CONFIGS_UPDATE, id).body(body);
    ctx.send_when_idle(call, DEF.busy, || INSTANCES.settle(ctx, id)).await?;
    let statics: Vec<&str> = send
        .iter()
        .map(|(n, _)| n.as_str())
        .filter(|n| entry(n).is_some_and(|c| c["config_type"] == "static"))
        .collect();
    if !statics.is_empty() {
        ctx.note(
            format!("{}: static broker parameters changed", DEF.label(id)),
            format!(
                "{} {} static: the new value takes effect only after the instance restarts (restart it in the \
console, or with its restart API).",
                statics.join(", "),
                if statics.len() == 1 { "is" } else { "are" }
            ),
        );
    }
    let poll = || async {
        let live: Vec<Json> = ctx.send(call_for(&DEF, &c::CONFIGS, id)).await?.parse_list(c::CONFIGS.items)?;
        Ok(send.iter().all(|(n, v)| live.iter().any(|c| c["name"] == n.as_str() && c["value"] == v.as_str())))
    };
    wait_on(&format!("{}: broker parameters", DEF.label(id)), poll, ctx).await
}

/// Until `poll` says done, within the operation's deadline (a wait on a call other than the show call).
async fn wait_on<F, Fut>(what: &str, poll: F, ctx: &Ctx) -> Result<(), Error>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<bool, crate::client::ApiError>>,
{
    const TABLE: StatusTable = StatusTable { target: &["applied"], failure: &[], gone_is_success: false };
    let poll = || async {
        let done = poll().await?;
        Ok(Seen::status(if done { "applied" } else { "not applied yet" }.to_string()))
    };
    waiter::wait(what, &TABLE, Schedule::configured(), ctx.deadline, poll).await?;
    Ok(())
}
