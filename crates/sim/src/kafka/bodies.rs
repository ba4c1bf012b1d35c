//! Kafka request bodies: the tables are the API contract (`hwapi::contract::kafka`); this file adds
//! the catalogs the seed create API judges (engine versions, specifications, storage codes, products)
//! and the rules of the create tables that no declaration expresses (the contract's `rules` are the
//! router's). The current create API's catalogs are in `catalog`, its rules in `v2`.

use serde_json::Value;

use hwapi::contract::kafka as c;
pub use hwapi::contract::kafka::MAX_TAGS;

use crate::spec::{self as s, Invalid, Op};
use crate::tags;

pub const CREATE: &Op = &c::CREATE;
pub const TOPIC_CREATE: &Op = &c::TOPIC_CREATE;

pub const ENGINE_VERSIONS: &[&str] = &["1.1.0", "2.3.0", "2.7", "3.x"];
pub const SPEC_NAMES: &[&str] = &["100MB", "300MB", "600MB", "1200MB"];
pub const STORAGE_SPEC_CODES: &[&str] = &[
    "dms.physical.storage.high",
    "dms.physical.storage.ultra",
    "dms.physical.storage.high.v2",
    "dms.physical.storage.ultra.v2",
    "dms.physical.storage.general",
    "dms.physical.storage.extreme",
];

/// What a bandwidth specification implies: (name, partitions, brokers, resource_spec_code).
pub const SPECS: &[(&str, u32, u32, &str)] = &[
    ("100MB", 300, 3, "dms.instance.kafka.cluster.c3.mini"),
    ("300MB", 900, 3, "dms.instance.kafka.cluster.c3.small.2"),
    ("600MB", 1800, 4, "dms.instance.kafka.cluster.c3.middle.2"),
    ("1200MB", 1800, 8, "dms.instance.kafka.cluster.c3.high.2"),
];

/// What an instance is: (specification, partitions, brokers, resource_spec_code).
pub type Shape = (&'static str, u32, u32, &'static str);

pub fn spec_of(name: &str) -> Shape {
    SPECS.iter().copied().find(|s| s.0 == name).unwrap_or(SPECS[0])
}

/// The products a vertical resize can move to, and their bandwidth specification. The API documents
/// give no catalog: these ids follow the seed's example (`00300-30310-0--0`, 300MB).
pub const PRODUCTS: &[(&str, &str)] = &[
    ("00300-30308-0--0", "100MB"),
    ("00300-30310-0--0", "300MB"),
    ("00300-30312-0--0", "600MB"),
    ("00300-30314-0--0", "1200MB"),
];

/// The catalog checks of a create body (after the table's): values the service knows.
pub fn catalogs(body: &Value) -> Result<(), Invalid> {
    for (field, known) in
        [("engine_version", ENGINE_VERSIONS), ("specification", SPEC_NAMES), ("storage_spec_code", STORAGE_SPEC_CODES)]
    {
        if let Some(v) = s::at(body, field).and_then(Value::as_str) {
            offered(field, v, known, "")?;
        }
    }
    Ok(())
}

/// The value `value` of `field` is one the service offers (`known`); `with` says what the offer depends
/// on, e.g. " with c6.2u4g.cluster".
pub fn offered(field: &str, value: &str, known: &[&str], with: &str) -> Result<(), Invalid> {
    if known.contains(&value) {
        return Ok(());
    }
    Err(Invalid::new(field, format!("{value:?} is not offered{with} (known: {})", known.join(", "))))
}

/// The catalogs of the create table, and its rules that depend on the specification or that no
/// declaration expresses.
pub fn create_rules(body: &Value) -> Result<(), Invalid> {
    catalogs(body)?;
    let (spec, partitions, brokers, _) = spec_of(s::at(body, "specification").and_then(Value::as_str).unwrap_or(""));
    shared_rules(body, brokers)?;
    if let Some(n) = s::at(body, "partition_num").and_then(Value::as_i64) {
        if n != i64::from(partitions) {
            return Err(Invalid::new(
                "partition_num",
                format!("a {spec} instance has {partitions} partitions, got {n}"),
            ));
        }
    }
    Ok(())
}

/// The rules of both create APIs that no declaration of the contract expresses (the contract's `rules`,
/// which the router checks first, tie `access_user`, `password`, `publicip_id`, the bandwidth and the
/// maintenance window to their switches): one EIP per broker, 1 or at least 3 zones, unique tag keys.
pub fn shared_rules(body: &Value, brokers: u32) -> Result<(), Invalid> {
    if let Some(ids) = s::at(body, "publicip_id").and_then(Value::as_str) {
        let eips = ids.split(',').count();
        if eips != brokers as usize {
            return Err(Invalid::new(
                "publicip_id",
                format!("{eips} EIP IDs given; the instance has {brokers} brokers and needs one EIP per broker"),
            ));
        }
    }
    let zones = s::at(body, "available_zones").and_then(Value::as_array).map_or(0, Vec::len);
    if zones == 2 {
        return Err(Invalid::new("available_zones", "a Kafka instance is deployed in 1 AZ or in at least 3 AZs"));
    }
    tags::unique_keys(body)
}
