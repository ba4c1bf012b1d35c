//! The public access switch (ModifyKafkaPublicIpAccessSwitch) and the access-method switch
//! (UpdateKafkaPortProtocol). Both need a RUNNING instance with no change in flight; the instance
//! stays RUNNING and the change shows after the update delay, every other change meanwhile getting
//! the busy answer (the status table has no status for it).
//!
//! Public access: a body with `publicip_id` (one EIP per broker) turns it on, or changes the bandwidth
//! (`public_boundwidth`, 0 when absent) when it is on; a body without `publicip_id` turns it off (the
//! documents do not say how the switch turns access off: this is the simulator's reading), refused
//! when it is off. `eip_address` is taken and not used. On: `enable_publicip`, the bandwidth, the
//! brokers' public addresses, `kafka_public_status` and `public_access_enabled` "true"; a seed
//! instance gets the public method its create would have given it (PLAINTEXT, or SASL_SSL with
//! SASL), an instance of the current API keeps its methods (the access-method switch turns them on).
//! Off: every public method off, no public address, `kafka_public_status` "closed",
//! `public_access_enabled` "false", bandwidth 0.
//!
//! Access methods: `protocol` names one method; enabling a public one needs public access; SASL_SSL
//! and SASL_PLAINTEXT of one network exclude each other; one private method stays on; a switch to the
//! value the method has is refused. The first SASL method of an instance that never had SASL needs
//! `user_name` and `pass_word`: that user becomes the instance's administrator (listed at once),
//! `ssl_enable` turns true and `sasl_enabled_mechanisms` takes the given ones (PLAIN by default); later
//! switches ignore the user, password and mechanisms, as the documents say. `ssl_enable` stays true
//! while a SASL method is on; `kafka_security_protocol` follows the private SASL method that is on.

use std::time::{SystemTime, UNIX_EPOCH};

use hwapi::contract::kafka::PROTOCOLS;
use serde_json::{json, Value};

use super::access::{self, Methods};
use super::errors::invalid;
use super::model::Store;
use crate::request::{ApiRequest, Reply};
use crate::state::Shared;
use crate::store::Stored;
use crate::util;

pub fn public_access(
    sim: &Shared,
    store: &mut Store,
    req: &ApiRequest,
    id: &str,
    now: SystemTime,
) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    inst.ready()?;
    let on = inst.view.get("enable_publicip") == Some(&json!(true));
    let brokers = inst.int("broker_num");
    let private = access::private_ips(&inst.view);
    let mut methods = access::of_view(&inst.view);
    let changes = match b["publicip_id"].as_str() {
        Some(ids) => {
            let eips = ids.split(',').count() as i64;
            if eips != brokers {
                return Err(invalid(format!(
                    "publicip_id: {eips} EIP IDs given; the instance has {brokers} brokers and needs one EIP per broker"
                )));
            }
            let bandwidth = b["public_boundwidth"].as_i64().unwrap_or(0);
            if on && inst.int("public_bandwidth") == bandwidth {
                return Err(invalid(format!("public access is already on with a bandwidth of {bandwidth}")));
            }
            let public = if on { access::public_ips(&inst.view) } else { access::new_public_ips(brokers as usize) };
            if !inst.is_v2() {
                let sasl = inst.view.get("ssl_enable") == Some(&json!(true));
                methods[3..].copy_from_slice(&access::derived(sasl, false, true)[3..]);
            }
            let mut changes = access::addressing(&private, &public, methods);
            let more = json!({
                "enable_publicip": true, "public_bandwidth": bandwidth, "public_boundwidth": bandwidth,
                "kafka_public_status": "true", "public_access_enabled": "true",
            });
            changes.extend(more.as_object().cloned().unwrap_or_default());
            changes
        }
        None if !on => {
            return Err(invalid("publicip_id: public access is already off (give publicip_id to turn it on)"))
        }
        None => {
            methods[3..].fill(false);
            let mut changes = access::addressing(&private, &[], methods);
            let more = json!({
                "enable_publicip": false, "public_bandwidth": 0, "public_boundwidth": 0,
                "kafka_public_status": "closed", "public_access_enabled": "false",
            });
            changes.extend(more.as_object().cloned().unwrap_or_default());
            changes
        }
    };
    inst.change(now, sim.delays().update, changes);
    Ok(Reply::empty(204))
}

/// Why switching method `i` to `enable` is refused, if it is.
fn refusal(methods: Methods, i: usize, enable: bool, public_on: bool) -> Option<String> {
    let name = PROTOCOLS[i];
    if methods[i] == enable {
        return Some(format!("protocol: {name} is already {}", if enable { "on" } else { "off" }));
    }
    if enable && access::is_public(i) && !public_on {
        return Some(format!("protocol: {name} needs public access (turn it on first)"));
    }
    if let Some(p) = access::partner(i).filter(|&p| enable && methods[p]) {
        return Some(format!(
            "protocol: {name} and {} may not both be on; turn {} off first",
            PROTOCOLS[p], PROTOCOLS[p]
        ));
    }
    if !enable && !access::is_public(i) && !(0..3).any(|j| j != i && methods[j]) {
        return Some(format!("protocol: {name} is the last private access method; one must stay on"));
    }
    None
}

pub fn protocol(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    inst.ready()?;
    let name = b["protocol"].as_str().unwrap_or("");
    let enable = b["enable"].as_bool().unwrap_or(false);
    let i = access::index(name).ok_or_else(|| invalid(format!("protocol: unknown access method {name:?}")))?;
    let mut methods = access::of_view(&inst.view);
    let public_on = inst.view.get("enable_publicip") == Some(&json!(true));
    if let Some(why) = refusal(methods, i, enable, public_on) {
        return Err(invalid(why));
    }
    let had_sasl = inst.view.get("ssl_enable") == Some(&json!(true)) || !inst.users.is_empty();
    let first_sasl = enable && access::is_sasl(i) && !had_sasl;
    if first_sasl {
        let (Some(user), Some(_)) = (b["user_name"].as_str(), b["pass_word"].as_str()) else {
            return Err(invalid("user_name, pass_word: are required the first time SASL is enabled on the instance"));
        };
        let created = now.duration_since(UNIX_EPOCH).unwrap_or_default().as_millis() as u64;
        inst.users.push(
            json!({"user_name": user, "user_desc": "", "role": "admin", "default_app": true, "created_time": created}),
        );
        inst.set("access_user", json!(user));
    }
    methods[i] = enable;
    let (private, public) = (access::private_ips(&inst.view), access::public_ips(&inst.view));
    let mut changes = access::addressing(&private, &public, methods);
    let sasl_on = (0..6).any(|j| methods[j] && access::is_sasl(j));
    changes.insert("ssl_enable".into(), json!(sasl_on));
    if first_sasl {
        let given = b["sasl_enabled_mechanisms"].as_array().filter(|m| !m.is_empty()).cloned();
        changes.insert("sasl_enabled_mechanisms".into(), given.map_or(json!(["PLAIN"]), Value::Array));
    }
    inst.change(now, sim.delays().update, changes);
    Ok(Reply::json(200, json!({"job_id": util::uuid(), "protocol": name, "enable": enable})))
}
