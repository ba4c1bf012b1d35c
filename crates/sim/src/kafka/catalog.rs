//! The catalogs of the current Kafka API: the flavors (ListEngineProducts), the disk types each is sold
//! with, and the availability zones of the region (ListAvailableZones).
//!
//! From the documents: the five `c6.*.cluster` flavors, their broker ranges (3 to 30, 3 to 50 from
//! 8u16g), the total storage ranges of the create table (300 GB to 300000/600000/1500000 GB, which
//! is 100 GB to 10000/20000/30000 GB per broker), the four disk codes and the engine versions 2.7 and
//! 3.x. The simulator's choice: the partitions (250/500/1000/1500/2000), TPS
//! (30000/100000/150000/200000/250000), bandwidth (100/200/375/625/750 MB/s) and consumers (4000)
//! per broker, the ECS flavor and billing codes, and the zones: four zones whose IDs are stable (the
//! first three are the IDs the examples send), AZ4 sold out, and the extreme-SSD disk of
//! c6.2u4g.cluster sold out in AZ3 (so that a zone filter has something to find).

use serde_json::{json, Value};

/// A flavor of the current create API.
pub struct Flavor {
    pub id: &'static str,
    /// The bandwidth specification the show answer gives as `specification`.
    pub spec: &'static str,
    pub resource_spec_code: &'static str,
    pub max_brokers: u32,
    pub partitions_per_broker: u32,
    /// GB per broker (at least 100, in steps of 100).
    pub max_storage_per_broker: u32,
    pub tps_per_broker: u32,
    pub bandwidth_per_broker: u32,
    ecs_flavor_id: &'static str,
}

pub const MIN_BROKERS: u32 = 3;
pub const MIN_STORAGE_PER_BROKER: u32 = 100;
pub const STORAGE_STEP: u32 = 100;
pub const ENGINE_VERSIONS: &[&str] = &["2.7", "3.x"];
pub const IOS: &[&str] = &[
    "dms.physical.storage.high.v2",
    "dms.physical.storage.ultra.v2",
    "dms.physical.storage.general",
    "dms.physical.storage.extreme",
];
const CONSUMERS_PER_BROKER: u32 = 4000;

const fn flavor(
    id: &'static str,
    spec: &'static str,
    code: &'static str,
    ecs: &'static str,
    (max_brokers, partitions, storage): (u32, u32, u32),
    (tps, bandwidth): (u32, u32),
) -> Flavor {
    Flavor {
        id,
        spec,
        resource_spec_code: code,
        max_brokers,
        partitions_per_broker: partitions,
        max_storage_per_broker: storage,
        tps_per_broker: tps,
        bandwidth_per_broker: bandwidth,
        ecs_flavor_id: ecs,
    }
}

pub const FLAVORS: &[Flavor] = &[
    flavor(
        "c6.2u4g.cluster",
        "100MB",
        "dms.instance.kafka.cluster.c6.2u4g",
        "c6.large.2",
        (30, 250, 10_000),
        (30_000, 100),
    ),
    flavor(
        "c6.4u8g.cluster",
        "300MB",
        "dms.instance.kafka.cluster.c6.4u8g",
        "c6.xlarge.2",
        (30, 500, 20_000),
        (100_000, 200),
    ),
    flavor(
        "c6.8u16g.cluster",
        "600MB",
        "dms.instance.kafka.cluster.c6.8u16g",
        "c6.2xlarge.2",
        (50, 1000, 30_000),
        (150_000, 375),
    ),
    flavor(
        "c6.12u24g.cluster",
        "1200MB",
        "dms.instance.kafka.cluster.c6.12u24g",
        "c6.3xlarge.2",
        (50, 1500, 30_000),
        (200_000, 625),
    ),
    flavor(
        "c6.16u32g.cluster",
        "1200MB",
        "dms.instance.kafka.cluster.c6.16u32g",
        "c6.4xlarge.2",
        (50, 2000, 30_000),
        (250_000, 750),
    ),
];

pub fn flavor_of(id: &str) -> Option<&'static Flavor> {
    FLAVORS.iter().find(|f| f.id == id)
}

pub fn flavor_ids() -> String {
    FLAVORS.iter().map(|f| f.id).collect::<Vec<_>>().join(", ")
}

/// An availability zone: (id, code suffix after the region, name, sold out).
pub struct Zone {
    pub id: &'static str,
    suffix: &'static str,
    name: &'static str,
    pub sold_out: bool,
}

pub const ZONES: &[Zone] = &[
    Zone { id: "d573142f24894ef3bd3664de068b44b0", suffix: "a", name: "AZ1", sold_out: false },
    Zone { id: "effdcbc7d4d64a02aa1fa26b42f56533", suffix: "b", name: "AZ2", sold_out: false },
    Zone { id: "9f1c5806706d4c1fb0eb72f0a9b18c77", suffix: "c", name: "AZ3", sold_out: false },
    Zone { id: "4b2e6f0c8a1d4e7f9b3c5d7e9f1a2b3c", suffix: "d", name: "AZ4", sold_out: true },
];

/// The one disk type of one flavor that is sold out in one zone that is not: (flavor, io, zone id).
pub const SOLD_OUT_IO: (&str, &str, &str) =
    ("c6.2u4g.cluster", "dms.physical.storage.extreme", "9f1c5806706d4c1fb0eb72f0a9b18c77");

pub fn zone_of(id: &str) -> Option<&'static Zone> {
    ZONES.iter().find(|z| z.id == id)
}

/// The zones where `io` of `flavor` cannot be had: the sold-out zones, and the one sold-out disk.
pub fn unavailable_zones(flavor: &str, io: &str) -> Vec<&'static str> {
    ZONES.iter().filter(|z| z.sold_out || (flavor, io, z.id) == SOLD_OUT_IO).map(|z| z.id).collect()
}

/// The name of a zone as the show answer lists it (`available_zone_names`).
pub fn zone_name(id: &str) -> &'static str {
    zone_of(id).map_or("", |z| z.name)
}

/// The ListEngineProducts answer: every flavor, or only `product_id` (none when it is unknown).
pub fn products(product_id: Option<&str>) -> Value {
    let products: Vec<Value> = FLAVORS.iter().filter(|f| product_id.is_none_or(|p| p == f.id)).map(product).collect();
    json!({"engine": "kafka", "versions": ENGINE_VERSIONS, "products": products})
}

fn product(f: &Flavor) -> Value {
    let ios: Vec<Value> = IOS
        .iter()
        .map(|io| {
            let unavailable = unavailable_zones(f.id, io);
            let available: Vec<&str> = ZONES.iter().map(|z| z.id).filter(|z| !unavailable.contains(z)).collect();
            json!({"io_spec": io, "type": "evs", "available_zones": available, "unavailable_zones": unavailable})
        })
        .collect();
    let alias = format!("kafka.{}", f.id.trim_start_matches("c6."));
    json!({
        "type": "cluster", "product_id": f.id, "ecs_flavor_id": f.ecs_flavor_id,
        "billing_code": format!("dms.platinum.{}", f.id), "arch_types": ["X86"],
        "charging_mode": ["monthly", "yearly", "hourly"], "ios": ios,
        "support_features": [{
            "name": "connector",
            "properties": {"max_task": "32", "min_task": "1", "max_node": "16", "min_node": "2"},
        }],
        "properties": {
            "max_partition_per_broker": f.partitions_per_broker.to_string(),
            "max_broker": f.max_brokers.to_string(),
            "max_storage_per_node": f.max_storage_per_broker.to_string(),
            "max_consumer_per_broker": CONSUMERS_PER_BROKER.to_string(),
            "min_broker": MIN_BROKERS.to_string(),
            "max_bandwidth_per_broker": f.bandwidth_per_broker.to_string(),
            "min_storage_per_node": MIN_STORAGE_PER_BROKER.to_string(),
            "max_tps_per_broker": f.tps_per_broker.to_string(),
            "engine_versions": ENGINE_VERSIONS.join(","),
            "product_alias": alias,
        },
    })
}

/// The ListAvailableZones answer for `region`. `remain_time` (a Unix time the documents do not
/// explain) is 0.
pub fn zones(region: &str) -> Value {
    let zones: Vec<Value> = ZONES
        .iter()
        .enumerate()
        .map(|(i, z)| {
            json!({
                "soldOut": z.sold_out, "id": z.id, "code": format!("{region}{}", z.suffix), "name": z.name,
                "port": "8002", "resource_availability": if z.sold_out { "false" } else { "true" },
                "default_az": i == 0, "remain_time": 0, "ipv6_enable": true,
            })
        })
        .collect();
    json!({"region_id": region, "available_zones": zones})
}
