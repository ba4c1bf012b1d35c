//! The hooks of `huaweicloud_dms_kafka_instance`: the engine's calls for its instances, with its own
//! plan-time refusals, and the calls of the current shape's in-place changes that no declaration
//! expresses (public access, more brokers with the storage they bring; the access methods and the
//! broker parameters in `dms_kafka_switches.rs`).

use serde_json::{json, Value as Json};
use tfplugin::framework::TfValue;

use hwapi::contract::kafka as c;

use super::dms_kafka_instance::{DmsKafkaInstance, DEF, INSTANCES};
use super::dms_kafka_shape::{change_problems, eips, int, is_current, judged_by_switch, list};
use crate::engine::change::Change;
use crate::engine::defaults::{call_for, shrinking};
use crate::engine::field::RuleProblem;
use crate::engine::instances::instance_hooks;
use crate::engine::value::{as_str, get};
use crate::engine::{Ctx, Error};

instance_hooks!(DmsKafkaInstance, INSTANCES, changes: changes, {
    /// Plan-time refusals of what no API changes in place: the product apart from its bandwidth
    /// specification, a partition count the new product decides (unknown values are judged at apply),
    /// and those of the current shape (`dms_kafka_changes.rs`). Only shrinking is declared (by the
    /// contract); these tie arguments the contract knows nothing of.
    fn change_problems(&self, prior: &TfValue, proposed: &TfValue, config: &TfValue) -> Vec<RuleProblem> {
        let mut out = shrinking(&DEF, prior, proposed);
        let known = |name: &str| !matches!(get(proposed, name), TfValue::Unknown);
        let changed = |name: &str| get(prior, name) != get(proposed, name);
        // With `broker_num` the specification is the flavor's label, which follows it.
        if !is_current(prior) {
            for (name, other) in [("specification", "product_id"), ("product_id", "specification")] {
                if known(name) && known(other) && changed(name) && !changed(other) {
                    let why = format!(
                        "changes only together with {other}: set both to the new product and its \
specification (the change scales the brokers in place)"
                    );
                    out.push((vec![name], why));
                }
            }
        }
        if changed("product_id") && get(config, "partition_num") != &TfValue::Null {
            let why = "is decided by the product: remove it from the configuration to change product_id in place \
(the new product's value is read back)";
            out.push((vec!["partition_num"], why.into()));
        }
        out.extend(change_problems(prior, proposed, config));
        out
    }

    /// A change of SASL settings is made by the access-method switch where it switches SASL on or off.
    fn recorded_change(&self, name: &str, prior: &TfValue, proposed: &TfValue) -> bool {
        judged_by_switch(name, prior, proposed)
    }

    /// No declaration says what the delete call cannot remove: a yearly/monthly instance.
    fn destroy_blocker(&self, state: &TfValue) -> Option<String> {
        (get(state, "charging_mode") == &TfValue::Number(0)).then(|| {
            "it is a yearly/monthly instance, which the delete API does not remove. Unsubscribe it in the Billing Center, \
then remove it from the state with `terraform state rm`."
                .to_string()
        })
    }
});

/// The changes of `DEF.changes` marked `Send::Hook` that are not one of the declared resizes.
pub async fn changes(ctx: &Ctx, id: &str, ch: &Change, prior: &TfValue, plan: &TfValue) -> Result<(), Error> {
    let differs = |name: &str| get(prior, name) != get(plan, name);
    match ch.op {
        op if *op == c::PUBLIC_ACCESS => public_access(ctx, id, prior, plan).await,
        op if *op == c::PROTOCOL_SWITCH => super::dms_kafka_switches::methods(ctx, id, prior, plan).await,
        op if *op == c::CONFIGS_UPDATE => super::dms_kafka_switches::parameters(ctx, id, prior, plan).await,
        op if op.fixed == c::EXTEND_BROKERS.fixed => brokers(ctx, id, prior, plan).await,
        // The storage more brokers bring came with them (the plan holds the total to it).
        op if op.fixed == c::EXTEND_STORAGE.fixed && differs("broker_num") => Ok(()),
        op if op.fixed == c::EXTEND_STORAGE.fixed => {
            INSTANCES.resize(ctx, id, &c::EXTEND_STORAGE, "storage_space", prior, plan).await
        }
        op => Err(Error::Message(format!("{} has no hook for {}", DEF.name, op.label()))),
    }
}

/// Public access on (with the EIPs and the bandwidth) or off, then waited for until the instance shows it.
async fn public_access(ctx: &Ctx, id: &str, prior: &TfValue, plan: &TfValue) -> Result<(), Error> {
    let on = get(plan, "enable_publicip") == &TfValue::Bool(true);
    let was = get(prior, "enable_publicip") == &TfValue::Bool(true);
    let bandwidth = int(get(plan, "public_bandwidth")).unwrap_or(0);
    if on == was && (!on || bandwidth == int(get(prior, "public_bandwidth")).unwrap_or(0)) {
        return Ok(());
    }
    let body = match (on, as_str(get(plan, "publicip_id"))) {
        (true, Some(ids)) => json!({"publicip_id": ids, "public_boundwidth": bandwidth}),
        (true, None) => return Err(Error::Message("enable_publicip needs publicip_id, one EIP per broker".into())),
        // No EIP is public access off.
        (false, _) => json!({"public_boundwidth": 0}),
    };
    let call = call_for(&DEF, &c::PUBLIC_ACCESS, id).body(body);
    ctx.send_when_idle(call, DEF.busy, || INSTANCES.settle(ctx, id)).await?;
    let shown = move |v: &Json| v.get("enable_publicip") == Some(&json!(on));
    INSTANCES.wait_until(ctx, id, "public access switch", shown).await
}

/// More brokers: the new number with the total storage they bring, and the new brokers' addresses and
/// EIPs (those added at the end of `tenant_ips` and `publicip_id`), waited for until the instance has them.
async fn brokers(ctx: &Ctx, id: &str, prior: &TfValue, plan: &TfValue) -> Result<(), Error> {
    let (Some(old), Some(new)) = (int(get(prior, "broker_num")), int(get(plan, "broker_num"))) else { return Ok(()) };
    if new <= old {
        return Ok(());
    }
    let mut body = json!({"new_broker_num": new});
    if let Some(total) = int(get(plan, "storage_space")) {
        body["new_storage_space"] = json!(total);
    }
    // One address and one EIP per broker, in broker order: the new brokers' are those past the brokers there
    // are (whether or not the state knew the earlier ones, which no answer shows).
    let old_count = old as usize;
    if let Some(ips) = list(get(plan, "tenant_ips")).filter(|ips| ips.len() > old_count) {
        body["tenant_ips"] = json!(ips[old_count..]);
    }
    let public = get(prior, "enable_publicip") == &TfValue::Bool(true);
    if let Some(ids) = eips(get(plan, "publicip_id")).filter(|ids| public && ids.len() > old_count) {
        body["publicip_id"] = json!(ids[old_count..].join(","));
    }
    let call = call_for(&DEF, &c::EXTEND_BROKERS, id).body(body);
    let done = move |v: &Json| v.get("broker_num").and_then(Json::as_i64) == Some(new);
    INSTANCES.change(ctx, id, call, "broker addition", done).await
}
