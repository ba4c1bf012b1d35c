//! The current create API (CreatePostPaidKafkaInstance, `POST /v2/{project_id}/kafka/instances`): a
//! body checked against the flavor catalog (`catalog`), and what its instance shows beyond what the
//! seed create's instance shows.
//!
//! Checks beyond the table: the flavor exists; `broker_num` is in its range; `storage_space` is
//! shared evenly by the brokers, each getting a whole multiple of 100 GB within the flavor's range per
//! broker (the documents give the total as brokers x per-broker storage; an uneven total is the
//! simulator's refusal); the disk (`storage_spec_code`) is one of the flavor's, sold in every zone
//! listed; every zone is one of the region's; the engine version is one of the flavor's; the
//! architecture is X86; at most one private IP (`tenant_ips`) per broker; one EIP per broker; and the
//! `port_protocol` rules (SSL and PLAINTEXT SASL exclude each other per network, a public method needs
//! public access, a SASL method needs `ssl_enable`, a private method stays on).

use hwapi::contract::kafka::PROTOCOLS;
use serde_json::{json, Value};

use super::access::{self, Methods};
use super::bodies::{self, Shape};
use super::catalog::{self, Flavor};
use super::model::Instance;
use crate::spec::{self as s, Invalid};
use crate::util;

/// A create body that passed every check.
pub struct Checked {
    pub flavor: &'static Flavor,
    pub brokers: u32,
    pub methods: Methods,
}

impl Checked {
    /// (specification, partitions, brokers, resource_spec_code) of the new instance.
    pub fn shape(&self) -> Shape {
        let f = self.flavor;
        (f.spec, f.partitions_per_broker * self.brokers, self.brokers, f.resource_spec_code)
    }
}

fn text<'a>(body: &'a Value, path: &str) -> Option<&'a str> {
    s::at(body, path).and_then(Value::as_str)
}

fn flag(body: &Value, path: &str) -> bool {
    s::at(body, path).and_then(Value::as_bool).unwrap_or(false)
}

pub fn check(body: &Value) -> Result<Checked, Invalid> {
    let product = text(body, "product_id").unwrap_or("");
    let Some(flavor) = catalog::flavor_of(product) else {
        let known = catalog::flavor_ids();
        return Err(Invalid::new("product_id", format!("{product:?} is not offered (known: {known})")));
    };
    let brokers = s::at(body, "broker_num").and_then(Value::as_i64).unwrap_or(0);
    let (min, max) = (catalog::MIN_BROKERS, flavor.max_brokers);
    if !(i64::from(min)..=i64::from(max)).contains(&brokers) {
        return Err(Invalid::new("broker_num", format!("{product} takes {min} to {max} brokers, got {brokers}")));
    }
    let brokers = brokers as u32;
    let storage = s::at(body, "storage_space").and_then(Value::as_i64).unwrap_or(0);
    storage_per_broker(flavor, storage, brokers)?;
    let with = format!(" with {product}");
    bodies::offered("engine_version", text(body, "engine_version").unwrap_or(""), catalog::ENGINE_VERSIONS, &with)?;
    if let Some(arch) = text(body, "arch_type").filter(|a| *a != "X86") {
        return Err(Invalid::new("arch_type", format!("{arch} is not offered with {product} (known: X86)")));
    }
    let io = text(body, "storage_spec_code").unwrap_or("");
    bodies::offered("storage_spec_code", io, catalog::IOS, &with)?;
    zones(body, product, io)?;
    let tenant_ips = s::at(body, "tenant_ips").and_then(Value::as_array).map_or(0, Vec::len);
    if tenant_ips > brokers as usize {
        return Err(Invalid::new(
            "tenant_ips",
            format!("{tenant_ips} IPs given for {brokers} brokers (at most one each)"),
        ));
    }
    let methods = match s::at(body, "port_protocol") {
        Some(p) => port_protocol(body, access::from_object(p))?,
        None => {
            let plaintext = text(body, "kafka_security_protocol") == Some("SASL_PLAINTEXT");
            access::derived(flag(body, "ssl_enable"), plaintext, flag(body, "enable_publicip"))
        }
    };
    bodies::shared_rules(body, brokers)?;
    Ok(Checked { flavor, brokers, methods })
}

/// The total storage shared by `brokers`: a whole multiple of 100 GB each, within the flavor's range.
pub fn storage_per_broker(flavor: &Flavor, storage: i64, brokers: u32) -> Result<i64, Invalid> {
    let (step, min, max) = (catalog::STORAGE_STEP, catalog::MIN_STORAGE_PER_BROKER, flavor.max_storage_per_broker);
    let brokers = i64::from(brokers.max(1));
    let per = storage / brokers;
    if storage % brokers != 0 || per % i64::from(step) != 0 {
        return Err(Invalid::new(
            "storage_space",
            format!("{storage} GB over {brokers} brokers is not a whole multiple of {step} GB per broker"),
        ));
    }
    if !(i64::from(min)..=i64::from(max)).contains(&per) {
        let (lo, hi) = (i64::from(min) * brokers, i64::from(max) * brokers);
        return Err(Invalid::new(
            "storage_space",
            format!(
                "{per} GB per broker is outside {}'s {min} to {max} GB per broker ({lo} to {hi} GB for {brokers} brokers)",
                flavor.id
            ),
        ));
    }
    Ok(per)
}

fn zones(body: &Value, product: &str, io: &str) -> Result<(), Invalid> {
    let unavailable = catalog::unavailable_zones(product, io);
    for (i, zone) in s::at(body, "available_zones").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let zone = zone.as_str().unwrap_or("");
        let at = format!("available_zones[{i}]");
        let Some(z) = catalog::zone_of(zone) else {
            return Err(Invalid::new(
                at,
                format!("{zone:?} is not a zone ID of the region (see GET /v2/available-zones)"),
            ));
        };
        if unavailable.contains(&z.id) {
            return Err(Invalid::new(at, format!("{io} of {product} is sold out in {zone}")));
        }
    }
    Ok(())
}

fn port_protocol(body: &Value, on: Methods) -> Result<Methods, Invalid> {
    let member = |i: usize| format!("port_protocol.{}", PROTOCOLS[i]);
    for i in (0..6).filter(|&i| on[i]) {
        if access::partner(i).is_some_and(|p| p > i && on[p]) {
            let p = access::partner(i).unwrap_or(i);
            return Err(Invalid::new(member(p), format!("may not be true together with {}", PROTOCOLS[i])));
        }
        if access::is_public(i) && !flag(body, "enable_publicip") {
            return Err(Invalid::new(member(i), "a public access method needs enable_publicip true"));
        }
        if access::is_sasl(i) && !flag(body, "ssl_enable") {
            return Err(Invalid::new(
                member(i),
                "a SASL access method needs ssl_enable true (with access_user and password)",
            ));
        }
    }
    if !on[..3].contains(&true) {
        return Err(Invalid::new("port_protocol", "at least one private access method must be on"));
    }
    Ok(on)
}

/// What the instance of a checked `body` shows beyond the seed create's instance: the flavor's broker
/// count, its access methods and addresses (`tenant_ips` first), its billing and disk settings. A
/// yearly/monthly one without `is_auto_pay` awaits payment, CREATING.
pub fn finish(inst: &mut Instance, body: &Value, c: &Checked) {
    let view = &mut inst.view;
    view.remove("kafka_manager_user");
    let tenant: Vec<String> = s::strings(&body["tenant_ips"]).into_iter().map(String::from).collect();
    let mut private = tenant.clone();
    private.extend(access::new_ips("192.168.0", &tenant, c.brokers as usize - tenant.len()));
    let public = access::public_ips(view);
    view.extend(access::addressing(&private, &public, c.methods));
    let sasl = flag(body, "ssl_enable");
    let mechanisms = match body.get("sasl_enabled_mechanisms") {
        Some(m) if sasl && m.as_array().is_some_and(|m| !m.is_empty()) => m.clone(),
        _ if sasl => json!(["PLAIN"]),
        _ => json!([]),
    };
    let zones: Vec<&str> = body["available_zones"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|z| catalog::zone_name(z.as_str().unwrap_or("")))
        .collect();
    let prepaid = text(body, "bss_param.charging_mode") == Some("prePaid");
    let more = json!({
        "new_spec_billing_enable": true, "sasl_enabled_mechanisms": mechanisms,
        "public_bandwidth": 0, "public_boundwidth": 0, "ipv6_enable": flag(body, "ipv6_enable"),
        "disk_encrypted": flag(body, "disk_encrypted_enable"),
        "disk_encrypted_key": text(body, "disk_encrypted_key").unwrap_or(""),
        "vpc_client_plain": flag(body, "vpc_client_plain"), "available_zone_names": zones,
        "charging_mode": if prepaid { 0 } else { 1 },
        "order_id": if prepaid { format!("CS{}", util::hex(16).to_uppercase()) } else { String::new() },
    });
    view.extend(more.as_object().cloned().unwrap_or_default());
    if prepaid && !flag(body, "bss_param.is_auto_pay") {
        inst.unpaid = true;
        inst.pending = None;
    }
}
