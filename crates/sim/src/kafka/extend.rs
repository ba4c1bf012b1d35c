//! Resizes (ResizeEngineInstance), pay-per-use instances only: EXTENDING for the update delay, then
//! RUNNING with the new values and `extend_times` one more.
//!
//! - storage: the total grows. For an instance of the current API the total stays a whole multiple
//!   of 100 GB per broker (so each broker grows by 100 GB at least), within the flavor's range.
//! - horizontal: brokers are added (up to the flavor's maximum; 50 for a seed instance), each with
//!   the storage of the others: `new_storage_space` must be that total. `tenant_ips` (at most one per
//!   new broker) become the new brokers' IPs; with public access on, `publicip_id` names one EIP per
//!   new broker (refused while public access is off).
//! - vertical: an instance of the current API moves to another flavor of the catalog whose broker and
//!   per-broker storage ranges hold the instance; a seed instance to another product of `PRODUCTS`.

use std::time::SystemTime;

use serde_json::{json, Map, Value};

use super::access;
use super::bodies;
use super::catalog::{self, Flavor};
use super::errors::invalid;
use super::model::{Instance, Store};
use super::v2;
use crate::request::{ApiRequest, Reply};
use crate::spec;
use crate::state::Shared;
use crate::store::Stored;

type Changes = Map<String, Value>;

pub fn extend(sim: &Shared, store: &mut Store, req: &ApiRequest, id: &str, now: SystemTime) -> Result<Reply, Reply> {
    let b = req.checked_body();
    let inst = store.find(id)?;
    inst.ready()?;
    if inst.view.get("charging_mode") != Some(&json!(1)) {
        return Err(invalid("only pay-per-use instances can be resized through the API"));
    }
    let changes = match b["oper_type"].as_str().unwrap_or("") {
        "storage" => storage(inst, &b)?,
        "vertical" => vertical(inst, &b)?,
        _ => horizontal(inst, &b)?,
    };
    inst.start_with("EXTENDING", now, sim.delays().update, changes);
    let extended = inst.int("extend_times") + 1;
    inst.set("extend_times", json!(extended));
    Ok(Reply::json(200, json!({"job_id": crate::util::uuid()})))
}

fn flavor(inst: &Instance) -> Option<&'static Flavor> {
    inst.is_v2().then(|| catalog::flavor_of(inst.get_str("product_id"))).flatten()
}

/// The per-broker check of the current API, its refusal naming `member`.
fn per_broker(f: &Flavor, storage: i64, brokers: i64, member: &str) -> Result<i64, Reply> {
    v2::storage_per_broker(f, storage, brokers as u32).map_err(|e| invalid(format!("{member}: {}", e.msg)))
}

fn storage(inst: &Instance, b: &Value) -> Result<Changes, Reply> {
    let new = b["new_storage_space"].as_i64().unwrap_or(0);
    let old = inst.int("storage_space");
    if new <= old {
        return Err(invalid(format!("new_storage_space: {new} GB is not more than the current {old} GB")));
    }
    if let Some(f) = flavor(inst) {
        let brokers = inst.int("broker_num").max(1);
        // A whole multiple of 100 GB per broker, more than before: each grows by 100 GB at least.
        per_broker(f, new, brokers, "new_storage_space")?;
    }
    let mut changes = Changes::new();
    changes.insert("storage_space".into(), json!(new));
    changes.insert("total_storage_space".into(), json!(new));
    Ok(changes)
}

fn vertical(inst: &Instance, b: &Value) -> Result<Changes, Reply> {
    let product = b["new_product_id"].as_str().unwrap_or("").to_string();
    if inst.get_str("product_id") == product {
        return Err(invalid("new_product_id: the instance already has this product"));
    }
    let mut changes = Changes::new();
    let (spec, partitions, code) = if inst.is_v2() {
        let Some(f) = catalog::flavor_of(&product) else {
            let known = catalog::flavor_ids();
            return Err(invalid(format!("new_product_id: unknown product {product:?} (known: {known})")));
        };
        let brokers = inst.int("broker_num");
        if brokers > i64::from(f.max_brokers) {
            return Err(invalid(format!(
                "new_product_id: {product} takes at most {} brokers, the instance has {brokers}",
                f.max_brokers
            )));
        }
        per_broker(f, inst.int("storage_space"), brokers, "new_product_id")?;
        (f.spec, f.partitions_per_broker * brokers as u32, f.resource_spec_code)
    } else {
        let Some((_, spec)) = bodies::PRODUCTS.iter().find(|(p, _)| *p == product) else {
            return Err(invalid(format!("new_product_id: unknown product {product:?}")));
        };
        let (spec, partitions, _, code) = bodies::spec_of(spec);
        (spec, partitions, code)
    };
    changes.insert("product_id".into(), json!(product));
    changes.insert("specification".into(), json!(spec));
    changes.insert("partition_num".into(), json!(partitions.to_string()));
    changes.insert("resource_spec_code".into(), json!(code));
    Ok(changes)
}

fn horizontal(inst: &Instance, b: &Value) -> Result<Changes, Reply> {
    let new = b["new_broker_num"].as_i64().unwrap_or(0);
    let old = inst.int("broker_num");
    if new <= old {
        return Err(invalid(format!("new_broker_num: {new} is not more than the current {old}")));
    }
    let f = flavor(inst);
    let max = f.map_or(50, |f| i64::from(f.max_brokers));
    if new > max {
        return Err(invalid(format!("new_broker_num: {} takes at most {max} brokers", inst.get_str("product_id"))));
    }
    let storage = inst.int("storage_space");
    let given = b["new_storage_space"].as_i64().unwrap_or(0);
    if given * old != storage * new {
        let per = storage / old.max(1);
        return Err(invalid(format!(
            "new_storage_space: {new} brokers of {per} GB each make {} GB, got {given}",
            storage * new / old.max(1)
        )));
    }
    let added = (new - old) as usize;
    let tenant: Vec<String> = spec::strings(&b["tenant_ips"]).into_iter().map(String::from).collect();
    if tenant.len() > added {
        return Err(invalid(format!(
            "tenant_ips: {} IPs given for {added} new brokers (at most one each)",
            tenant.len()
        )));
    }
    let public_on = inst.view.get("enable_publicip") == Some(&json!(true));
    let eips = b["publicip_id"].as_str().map(|ids| ids.split(',').count());
    match (public_on, eips) {
        (true, Some(n)) if n == added => {}
        (true, _) => {
            return Err(invalid(format!(
                "publicip_id: public access is on: one EIP per new broker ({added}) is required, got {}",
                eips.unwrap_or(0)
            )))
        }
        (false, Some(_)) => return Err(invalid("publicip_id: public access is off; the new brokers take no EIP")),
        (false, None) => {}
    }
    let mut private = access::private_ips(&inst.view);
    let taken: Vec<String> = private.iter().chain(&tenant).cloned().collect();
    private.extend(tenant);
    private.extend(access::new_ips("192.168.0", &taken, new as usize - private.len()));
    let mut public = access::public_ips(&inst.view);
    if public_on {
        public.extend(access::new_public_ips(added));
    }
    let mut changes = access::addressing(&private, &public, access::of_view(&inst.view));
    for key in ["broker_num", "node_num"] {
        changes.insert(key.into(), json!(new));
    }
    changes.insert("storage_space".into(), json!(given));
    changes.insert("total_storage_space".into(), json!(given));
    if let Some(f) = f {
        changes.insert("partition_num".into(), json!((f.partitions_per_broker * new as u32).to_string()));
    }
    Ok(changes)
}
