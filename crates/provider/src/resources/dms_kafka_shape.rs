//! The two shapes of `huaweicloud_dms_kafka_instance` (created without `broker_num`, or with it through the
//! current create API): what a show answer means for the arguments of each, and the plan-time rules that
//! tie the arguments of the current shape together.

use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use crate::engine::field::RuleProblem;
use crate::engine::value::{as_str, get, is_set, single};

/// The SASL methods among the access methods.
const SASL: [&str; 4] = [
    "private_sasl_ssl_enable",
    "private_sasl_plaintext_enable",
    "public_sasl_ssl_enable",
    "public_sasl_plaintext_enable",
];

/// The show answer as the field table reads it: an instance of the seed shape has no access methods,
/// brokers or parameters of its own (nothing to read or call); a yearly/monthly instance of the current shape
/// shows its billing as `bss_param` (a pay-per-use one, the default, shows none, so that a
/// configuration without `bss_param` plans nothing).
pub fn shaped(answer: &mut Json) {
    let current = answer.get("new_spec_billing_enable") == Some(&json!(true));
    let prepaid = answer.get("charging_mode") == Some(&json!(0));
    let Some(o) = answer.as_object_mut() else { return };
    if !current {
        // Nor arguments of the current API that its answer happens to show (a configuration generated
        // from it would otherwise select the current API).
        for member in ["port_protocols", "broker_num", "ipv6_enable", "disk_encrypted", "vpc_client_plain"] {
            o.remove(member);
        }
        o.insert("kafka_configs".into(), json!([]));
    } else {
        // Its access methods say what the security protocol says (the answer names a protocol, e.g.
        // PLAINTEXT, that no create body takes): a configured one stands.
        o.remove("kafka_security_protocol");
        if prepaid {
            o.insert("bss_param".into(), json!({"charging_mode": "prePaid"}));
        }
    }
}

/// Why a wait for a new yearly/monthly instance goes on: its order.
pub fn waiting(status: &str, shown: &Json) -> Option<String> {
    let order = shown.get("order_id").and_then(Json::as_str).filter(|o| !o.is_empty())?;
    (status == "CREATING" && shown.get("charging_mode") == Some(&json!(0))).then(|| {
        format!(
            "a yearly/monthly instance is created once its order {order} is paid: pay it in the Billing Center \
(Orders > My Orders) unless bss_param.is_auto_pay has it paid from the account balance"
        )
    })
}

/// Was the instance created through the current API (as its state says)?
pub fn is_current(state: &TfValue) -> bool {
    get(state, "new_spec_billing_enable") == &TfValue::Bool(true)
}

/// Whether `port_protocol` in `v` switches a SASL method on; None when it does not say (no block, or
/// a member still unknown).
fn sasl_on(v: &TfValue) -> Option<bool> {
    let block = single(get(v, "port_protocol"));
    if !matches!(block, TfValue::Map(_)) {
        return None;
    }
    let values: Vec<&TfValue> = SASL.iter().map(|m| get(block, m)).collect();
    if values.contains(&&TfValue::Bool(true)) {
        Some(true)
    } else {
        (!values.contains(&&TfValue::Unknown)).then_some(false)
    }
}

/// Is this change of a SASL setting made by the access-method switch? `ssl_enable` follows the SASL
/// methods on or off; the user and mechanisms go with the first SASL method an instance ever has (the
/// service keeps the user when SASL goes off, and ignores both when it comes back).
pub fn judged_by_switch(name: &str, prior: &TfValue, proposed: &TfValue) -> bool {
    if !is_current(prior) {
        return false;
    }
    let had = get(prior, "ssl_enable") == &TfValue::Bool(true);
    let ever = had || is_set(get(prior, "access_user"));
    match (name, sasl_on(proposed)) {
        ("ssl_enable", Some(on)) => on != had,
        ("access_user" | "sasl_enabled_mechanisms", Some(true)) => !ever,
        _ => false,
    }
}

/// What the configuration says of SASL through `port_protocol`: on when it switches a SASL method on,
/// off when it switches all of them off; None when it leaves one to the service.
fn sasl_configured(config: &TfValue) -> Option<bool> {
    let block = single(get(config, "port_protocol"));
    let values: Vec<&TfValue> = SASL.iter().map(|m| get(block, m)).collect();
    if values.contains(&&TfValue::Bool(true)) {
        Some(true)
    } else {
        values.iter().all(|v| **v == TfValue::Bool(false)).then_some(false)
    }
}

/// Rules of the configuration of the current shape that its table does not state.
pub fn current_shape_problems(config: &TfValue) -> Vec<RuleProblem> {
    let mut out = Vec::new();
    if get(config, "broker_num") == &TfValue::Null {
        return out;
    }
    match (sasl_configured(config), get(config, "ssl_enable")) {
        (Some(true), TfValue::Bool(false) | TfValue::Null) => {
            out.push((vec!["ssl_enable"], "must be true when port_protocol switches a SASL method on".into()))
        }
        (Some(false), TfValue::Bool(true)) => {
            out.push((vec!["ssl_enable"], "must be false when port_protocol switches every SASL method off".into()))
        }
        _ => {}
    }
    if get(config, "kafka_security_protocol") != &TfValue::Null
        && single(get(config, "port_protocol")) != &TfValue::Null
    {
        let why = "has no effect with port_protocol (the private SASL method set there decides it): remove it";
        out.push((vec!["kafka_security_protocol"], why.into()));
    }
    out
}

pub fn int(v: &TfValue) -> Option<i64> {
    match v {
        TfValue::Number(n) => Some(*n),
        _ => None,
    }
}

pub fn list(v: &TfValue) -> Option<Vec<&str>> {
    match v {
        TfValue::List(l) => l.iter().map(as_str).collect(),
        _ => None,
    }
}

pub fn eips(v: &TfValue) -> Option<Vec<&str>> {
    as_str(v).map(|s| s.split(',').map(str::trim).filter(|e| !e.is_empty()).collect())
}

/// Changes of the current shape no call can make: the billing mode; a total storage other than what
/// more brokers bring; addresses or EIPs of brokers that exist.
pub fn change_problems(prior: &TfValue, proposed: &TfValue, config: &TfValue) -> Vec<RuleProblem> {
    let mut out = Vec::new();
    // The billing mode is the instance's (its `charging_mode`: 0 yearly/monthly, 1 pay-per-use).
    let has = match get(prior, "charging_mode") {
        TfValue::Number(0) => Some("prePaid"),
        TfValue::Number(1) => Some("postPaid"),
        _ => None,
    };
    let wanted = as_str(get(single(get(proposed, "bss_param")), "charging_mode"));
    if let (Some(has), Some(wanted)) = (has, wanted) {
        if has != wanted {
            let why = format!(
                "cannot be {wanted}: the instance is {has}, and no API call changes the billing mode of an instance \
(the Billing Center does)"
            );
            out.push((vec!["bss_param", "charging_mode"], why));
        }
    }
    let (old, new) = (int(get(prior, "broker_num")), int(get(proposed, "broker_num")));
    let added = match (old, new) {
        (Some(o), Some(n)) if n > o && get(config, "broker_num") != &TfValue::Null => n - o,
        _ => 0,
    };
    if let (true, Some(o), Some(n), Some(total)) = (added > 0, old, new, int(get(prior, "storage_space"))) {
        let expected = total / o * n;
        if int(get(proposed, "storage_space")).is_some_and(|s| s != expected) {
            out.push((
                vec!["storage_space"],
                format!(
                    "must be {expected} with {n} brokers: each new broker gets the storage of the others ({} GB), so \
the total grows from {total} to {expected} (grow it further in a later apply)",
                    total / o
                ),
            ));
        }
    }
    // Only more brokers take more addresses and EIPs, appended.
    let appended = |name: &'static str, old: Option<Vec<&str>>, new: Option<Vec<&str>>, out: &mut Vec<RuleProblem>| {
        let (Some(old), Some(new)) = (old, new) else { return };
        if old == new {
            return;
        }
        let extra = new.len() as i64 - old.len() as i64;
        if !new.starts_with(&old) || extra > added || (added == 0 && extra > 0) {
            let why = "may only gain entries at the end, for the brokers that broker_num adds: those of the brokers \
that exist cannot change";
            out.push((vec![name], why.to_string()));
        }
    };
    appended("tenant_ips", list(get(prior, "tenant_ips")), list(get(proposed, "tenant_ips")), &mut out);
    let public = |v: &TfValue| get(v, "enable_publicip") == &TfValue::Bool(true);
    if public(prior) && public(proposed) {
        let ids = eips(get(proposed, "publicip_id"));
        appended("publicip_id", eips(get(prior, "publicip_id")), ids.clone(), &mut out);
        if let (true, Some(n), Some(ids)) = (added > 0, new, ids) {
            if ids.len() as i64 != n {
                let why = format!(
                    "must list one EIP per broker ({n}, public access being on): add the new brokers' EIPs at the end"
                );
                out.push((vec!["publicip_id"], why));
            }
        }
    }
    // The public access switch takes one EIP per broker there is: the two changes go in separate applies.
    if added > 0 && get(prior, "enable_publicip") != get(proposed, "enable_publicip") {
        let why =
            "cannot change in the apply that adds brokers (the switch takes one EIP per broker the instance has, \
the new brokers one each): change it in an apply of its own";
        out.push((vec!["enable_publicip"], why.into()));
    }
    // The API resizes pay-per-use instances only.
    if get(prior, "charging_mode") == &TfValue::Number(0) {
        for name in ["broker_num", "storage_space", "product_id"] {
            let (was, is) = (get(prior, name), get(proposed, name));
            if is_set(was) && !matches!(is, TfValue::Unknown) && was != is {
                let why = "cannot change through the API on a yearly/monthly instance (the API resizes pay-per-use \
instances only): change it in the console, then write the new value here";
                out.push((vec![name], why.into()));
            }
        }
    }
    // More brokers bring more partitions.
    if is_current(prior) && added > 0 && is_set(get(config, "partition_num")) {
        let why =
            "is the flavor's per broker times the brokers, shown by the service: remove it from the configuration \
to add brokers";
        out.push((vec!["partition_num"], why.into()));
    }
    // With another flavor the service shows another specification.
    if is_current(prior)
        && get(prior, "product_id") != get(proposed, "product_id")
        && is_set(get(config, "specification"))
    {
        let why =
            "is the flavor's, shown by the service: remove it from the configuration to change product_id in place";
        out.push((vec!["specification"], why.into()));
    }
    out
}
