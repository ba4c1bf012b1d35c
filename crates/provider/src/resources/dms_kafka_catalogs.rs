//! What DMS for Kafka offers, as data sources: the flavors (with their limits, storage types and zones)
//! and the availability zones of the region, to choose from instead of writing them down.

use hwapi::contract::kafka;

use crate::engine::catalog::{Catalog, Filter, Match, Test};
use crate::engine::field::{Field, Read};

const IOS: &[Field] = &[
    Field::string("io_spec", "The storage type's code, the instance's `storage_spec_code`.").computed(),
    Field::list("available_zones", "The zones (ids) where this storage type can be had.").computed(),
    Field::list("unavailable_zones", "The zones (ids) where it cannot be had now.").computed(),
];

/// A limit the answer gives as text in `properties`, read as a number.
const fn limit(name: &'static str, path: &'static str, desc: &'static str) -> Field {
    Field::int(name, desc).computed().read(Read::Path(path))
}

const FLAVOR: &[Field] = &[
    Field::string("product_id", "The flavor's id, the instance's `product_id`.").computed(),
    Field::string("type", "`single` (one broker) or `cluster`.").computed(),
    Field::list("arch_types", "The CPU architectures (`X86`, `ARM`).").computed(),
    Field::list("charging_modes", "How it can be paid for (`hourly`, `monthly`, `yearly`).")
        .computed()
        .api("charging_mode"),
    Field::object_list("ios", IOS, "The storage types, each with the zones where it can be had."),
    Field::list("engine_versions", "The Kafka versions it runs, the instance's `engine_version`.")
        .computed()
        .read(Read::Path("properties.engine_versions")),
    limit("min_broker", "properties.min_broker", "The fewest brokers an instance of it has."),
    limit("max_broker", "properties.max_broker", "The most brokers an instance of it has."),
    limit("min_storage_per_node", "properties.min_storage_per_node", "The least storage per broker, in GB."),
    limit("max_storage_per_node", "properties.max_storage_per_node", "The most storage per broker, in GB."),
    limit("max_partition_per_broker", "properties.max_partition_per_broker", "The most partitions per broker."),
    limit("max_tps_per_broker", "properties.max_tps_per_broker", "The most messages per second per broker."),
];

pub static FLAVORS: Catalog = Catalog {
    name: "dms_kafka_flavors",
    noun: "flavor",
    description: "Lists the DMS for Kafka flavors on sale, with their limits, storage types and zones.",
    op: &kafka::PRODUCTS,
    filters: &[
        Filter { name: "product_id", desc: "The flavor's id.", rule: Match::Query },
        Filter { name: "type", desc: "`single` or `cluster`.", rule: Match::Item(Test::Equals("type")) },
        Filter { name: "arch_type", desc: "A CPU architecture.", rule: Match::Item(Test::Contains("arch_types")) },
        Filter {
            name: "charging_mode",
            desc: "A way to pay, as the flavors list names it (`hourly`, `monthly` or `yearly`; not the instance's \
`postPaid`/`prePaid`).",
            rule: Match::Item(Test::Contains("charging_modes")),
        },
        Filter {
            name: "storage_spec_code",
            desc: "A storage type.",
            rule: Match::Element("ios", Test::Equals("io_spec")),
        },
        Filter {
            name: "availability_zone",
            desc: "A zone id (with `storage_spec_code`: where that storage type can be had).",
            rule: Match::Element("ios", Test::Contains("available_zones")),
        },
    ],
    items: Field::object_list("flavors", FLAVOR, "The flavors that match the filters."),
    fields: &[Field::list("versions", "The Kafka versions on sale.").computed()],
    comma_lists: &["engine_versions"],
};

const ZONE: &[Field] = &[
    Field::string("id", "The zone's id, as an instance's `available_zones` takes it.").computed(),
    Field::string("code", "The zone's code (`cn-north-4a`).").computed(),
    Field::string("name", "The zone's name.").computed(),
    Field::bool("sold_out", "Whether the zone is sold out.").computed().api("soldOut"),
    Field::bool("ipv6_enable", "Whether instances in the zone can have IPv6 addresses.").computed(),
    Field::bool("default_az", "Whether it is the region's default zone.").computed(),
];

pub static ZONES: Catalog = Catalog {
    name: "dms_kafka_availability_zones",
    noun: "zone",
    description: "Lists the availability zones of the region for DMS for Kafka instances.",
    op: &kafka::ZONES,
    filters: &[],
    items: Field::object_list("availability_zones", ZONE, "The zones of the region."),
    fields: &[],
    comma_lists: &[],
};

/// Both catalogs, for the registry.
pub static ALL: &[&Catalog] = &[&FLAVORS, &ZONES];
