//! The field table of `huaweicloud_dms_kafka_instance`: the arguments of both create tables (the seed's,
//! POST /v2/{project_id}/instances, and the current one's, which `broker_num` selects), the calls that
//! change each in place, and what a client needs from "Querying an Instance" to connect.

use hwapi::contract::kafka as c;
use hwapi::contract::Op;

use crate::engine::field::{Codec, Field, Read};
use crate::engine::tags::tags_all;

/// The operations that change arguments in place (`Field::via` and the inventory).
const VIA_PUT: &[&Op] = &[&c::UPDATE];
const VIA_EXTEND: &[&Op] = &[&c::EXTEND];
const VIA_PUBLIC: &[&Op] = &[&c::PUBLIC_ACCESS];
const VIA_SWITCH: &[&Op] = &[&c::PROTOCOL_SWITCH];

/// An access method: on or off, the service's choice when unset.
const fn method(name: &'static str, desc: &'static str) -> Field {
    Field::bool(name, desc).optional_computed()
}
static PORT_PROTOCOL: [Field; 6] = [
    method("private_plain_enable", "PLAINTEXT in the VPC (port 9092)."),
    method("private_sasl_ssl_enable", "SASL_SSL in the VPC (port 9093); not with `private_sasl_plaintext_enable`."),
    method(
        "private_sasl_plaintext_enable",
        "SASL_PLAINTEXT in the VPC (port 9093); not with `private_sasl_ssl_enable`.",
    ),
    method("public_plain_enable", "PLAINTEXT over public access (port 9094); needs `enable_publicip`."),
    method("public_sasl_ssl_enable", "SASL_SSL over public access (port 9095); needs `enable_publicip`."),
    method("public_sasl_plaintext_enable", "SASL_PLAINTEXT over public access (port 9095); needs `enable_publicip`."),
];

/// A setting that only shapes the order placed at creation: a later change is only recorded.
const fn at_creation(f: Field) -> Field {
    f.write_only().in_place()
}
static BSS_PARAM: [Field; 5] = [
    Field::string(
        "charging_mode",
        "`prePaid` (yearly/monthly) or `postPaid` (pay-per-use, the default). No API \
call changes it: a change is refused at plan.",
    ),
    at_creation(Field::string("period_type", "`month` or `year`; required for `prePaid`.")),
    at_creation(Field::int("period_num", "Number of periods: 1-9 months or 1-3 years; required for `prePaid`.")),
    at_creation(Field::bool("is_auto_renew", "Whether the subscription renews automatically (default false).")),
    at_creation(Field::bool(
        "is_auto_pay",
        "Whether the order is paid from the account balance (default false). \
Without it the instance stays `CREATING` until its order is paid in the Billing Center: the apply waits for that \
within the create timeout, and names the order.",
    )),
];

static PARAMETER: [Field; 2] = [
    Field::string("name", "Parameter name, e.g. `message.max.bytes`.").required(),
    Field::string("value", "Its value, as text.").required(),
];
pub static FIELDS: [Field; 59] = [
    Field::string("name", "Instance name, starting with a letter.").required().in_place_by(VIA_PUT),
    Field::string("description", "Description.").in_place_by(VIA_PUT).codec(Codec::EmptyIsNull),
    Field::string("engine", "Message engine.").required(),
    Field::string("engine_version", "Kafka version, e.g. `2.7` or `3.x`; the API judges which exist.").required(),
    Field::string("specification", "Bandwidth, e.g. `100MB` (instances created without `broker_num`; the API \
judges which exist). It belongs to `product_id`: the two change only together (vertical scaling). With `broker_num` \
it is the service's label of the flavor.")
        .optional_computed()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_product_id")
        .follows(&["product_id"]),
    Field::int("storage_space", "Message storage space in GB, the total of all brokers (the API checks the range \
of the specification or flavor); a larger value extends the storage in place (status `EXTENDING`, then `RUNNING`). \
With more brokers it grows by theirs (each gets the storage of the others): state the new total.")
        .required()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_storage_space"),
    Field::int("broker_num", "Number of brokers: setting it creates through the current API (with `product_id` a \
flavor such as `c6.2u4g.cluster`; see the `huaweicloud_dms_kafka_flavors` data source for each flavor's range). A \
larger value adds brokers in place (status `EXTENDING`, then `RUNNING`).")
        .optional_computed()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_broker_num"),
    Field::int("partition_num", "Maximum number of partitions (the specification's by default). Leave it unset to \
change `product_id` in place: the new product decides it.")
        .optional_computed()
        .follows(&["product_id", "broker_num"]),
    Field::string("access_user", "SASL username. Required with, and only valid with, `ssl_enable`. With \
`broker_num`, the first SASL method switched on in `port_protocol` creates this user, which the service keeps when \
SASL is switched off (leave it out then).")
        .optional_computed()
        .codec(Codec::EmptyIsNull)
        .in_place_by(VIA_SWITCH)
        .sent_as("user_name")
        .judged(),
    Field::string("password", "SASL password. Required with, and only valid with, `ssl_enable`.")
        .sensitive()
        .write_only()
        .in_place_by(&[&c::RESET_PASSWORD])
        .sent_as("new_password"),
    Field::write_only_twin("password_wo", "password"),
    Field::twin_version("password_wo_version", "password"),
    Field::string("vpc_id", "VPC ID.").required(),
    Field::string("security_group_id", "Security group ID.").required().in_place_by(VIA_PUT),
    Field::string("subnet_id", "Subnet (network) ID.").required(),
    Field::list("available_zones", "IDs of the brokers' availability zones: one, or at least three (see the \
`huaweicloud_dms_kafka_availability_zones` data source).")
        .required(),
    Field::string("product_id", "Product ID of the specification, or (with `broker_num`) the flavor. A change \
scales the brokers vertically in place (status `EXTENDING`, then `RUNNING`), with `specification` set to the new \
product's.")
        .required()
        .in_place_by(VIA_EXTEND)
        .sent_as("new_product_id"),
    Field::string("kafka_manager_user", "Kafka Manager username (instances created without `broker_num`).")
        .codec(Codec::KeepIfAbsent),
    Field::string("kafka_manager_password", "Kafka Manager password (instances created without `broker_num`).")
        .sensitive()
        .write_only()
        .in_place_by(&[&c::RESET_MANAGER_PASSWORD])
        .sent_as("new_password"),
    Field::write_only_twin("kafka_manager_password_wo", "kafka_manager_password"),
    Field::twin_version("kafka_manager_password_wo_version", "kafka_manager_password"),
    Field::string("maintain_begin", "Start of the maintenance window, `HH:mm`, set together with `maintain_end` (the API chooses one when unset).")
        .optional_computed()
        .in_place_by(VIA_PUT)
        .codec(Codec::HourMinute),
    Field::string("maintain_end", "End of the maintenance window, `HH:mm`, set together with `maintain_begin`.")
        .optional_computed()
        .in_place_by(VIA_PUT)
        .codec(Codec::HourMinute),
    Field::bool("enable_publicip", "Whether public access is enabled (default false); switched in place (the \
switch turns it on with the EIPs of `publicip_id`, off without them).")
        .optional_computed()
        .in_place_by(VIA_PUBLIC)
        .sent_as("publicip_id"),
    Field::int("public_bandwidth", "Public bandwidth, Mbit/s; only valid with `enable_publicip`. `0`, as the API shows \
an instance without public access, means unset.")
        .optional_computed()
        .codec(Codec::ZeroIsUnset)
        .in_place_by(VIA_PUBLIC)
        .follows(&["enable_publicip"])
        .sent_as("public_boundwidth"),
    Field::string("publicip_id", "Comma-separated IDs of the EIPs, one per broker. Required with, and only valid with, \
`enable_publicip`. More brokers take the EIPs added at the end.")
        .write_only()
        .in_place_by(&[&c::PUBLIC_ACCESS, &c::EXTEND]),
    Field::bool("ssl_enable", "Whether SASL access is enabled (default false). With `broker_num` it follows the SASL \
methods of `port_protocol` (switched in place with them); otherwise a change replaces the instance.")
        .optional_computed()
        .in_place_by(VIA_SWITCH)
        .judged()
        .follows(&["port_protocol"]),
    Field::string("retention_policy", "When the disk is full: `produce_reject` (reject new messages) or `time_base` (delete the oldest); the API's default when unset.")
        .optional_computed()
        .in_place_by(VIA_PUT),
    Field::bool("connector_enable", "Whether Smart Connect (message dumping) is on (default false).")
        .optional_computed(),
    Field::bool("enable_auto_topic", "Whether a topic a client uses is created automatically (3 partitions, 3 replicas; default false). A change restarts the brokers.")
        .optional_computed()
        .in_place_by(&[&c::AUTOTOPIC]),
    Field::string("storage_spec_code", "Storage I/O spec, e.g. `dms.physical.storage.ultra`.").required(),
    Field::string("enterprise_project_id", "Enterprise project ID (default `0`).").optional_computed().in_place_by(VIA_PUT),
    Field::map("tags", "Tags. A key or value must suit both the create table and the tag API that changes them later.")
        .in_place_by(&[&c::TAGS_ACTION])
        .codec(Codec::TagList),
    tags_all(),
    Field::list("tenant_ips", "Private IPv4 addresses of the brokers, in order (the service picks the rest). More \
brokers take the addresses added at the end.")
        .write_only()
        .in_place_by(VIA_EXTEND),
    Field::string("arch_type", "CPU architecture, e.g. `X86`.").write_only(),
    Field::string("kafka_security_protocol", "Security protocol of SASL access, `SASL_SSL` (the default) or \
`SASL_PLAINTEXT`; with `port_protocol` the private SASL method set there decides it. With `broker_num` the \
service shows it through `port_protocol`: it is not read back.")
        .optional_computed()
        .codec(Codec::KeepIfAbsent)
        .follows(&["port_protocol"]),
    Field::list("sasl_enabled_mechanisms", "SASL mechanisms, `PLAIN` and/or `SCRAM-SHA-512`. With `broker_num` they \
are sent with the first SASL method switched on; no call changes them later.")
        .optional_computed()
        .in_place_by(VIA_SWITCH)
        .judged()
        .follows(&["port_protocol"]),
    Field::block("port_protocol", &PORT_PROTOCOL, "The access methods (with `broker_num`), each switched on or off \
in place, those switched on first. Left out, the service's are kept.")
        .read(Read::Path("port_protocols"))
        .in_place_by(VIA_SWITCH)
        .sent_as("protocol")
        .codec(Codec::WhereSet),
    Field::block("bss_param", &BSS_PARAM, "Billing (with `broker_num`): pay-per-use unless `charging_mode` is \
`prePaid`. A yearly/monthly instance cannot be deleted through the API.")
        .in_place()
        .codec(Codec::WhereSet),
    Field::bool("ipv6_enable", "Whether IPv6 is on (default false; only where the VPC supports it).").optional_computed(),
    Field::bool("disk_encrypted_enable", "Whether the disks are encrypted (default false).")
        .optional_computed()
        .read(Read::Path("disk_encrypted")),
    Field::string("disk_encrypted_key", "KMS key of the disk encryption; with `disk_encrypted_enable`.")
        .codec(Codec::EmptyIsNull),
    Field::bool("vpc_client_plain", "Whether clients in the VPC may connect in plain text.").optional_computed(),
    Field::blocks("parameters", &PARAMETER, 100, "Broker parameters (with `broker_num`), each changed in place \
through the configuration call. A static one (the service's `config_type`) takes effect only after a restart: \
the apply warns, naming it. Removing one sets its default again; leaving the block out leaves them to the \
service (nothing is sent). Imported: those whose value is not the default.")
        .api("kafka_configs")
        .not_in_body()
        .in_place_by(&[&c::CONFIGS_UPDATE])
        .codec(Codec::NamedSet),
    Field::string("status", "Status, e.g. CREATING, RUNNING, CREATEFAILED, ERROR, RESTARTING, EXTENDING, DELETING.")
        .computed(),
    Field::string("type", "Instance type: `single` or `cluster`.").computed(),
    Field::string("connect_address", "Private IP addresses of the brokers, comma-separated.")
        .computed()
        .follows(&["broker_num"]),
    Field::int("port", "Private access port: 9092, or 9093 with SASL_SSL.").computed().follows(&["port_protocol"]),
    Field::string("public_connect_address", "Public broker addresses (`ip:port`, comma-separated).")
        .computed()
        .follows(&["enable_publicip", "broker_num", "port_protocol"]),
    Field::string("management_connect_address", "Kafka Manager address.").computed(),
    Field::string("public_management_connect_address", "Public Kafka Manager address.")
        .computed()
        .follows(&["enable_publicip"]),
    Field::int("used_storage_space", "Used message storage space in GB.").computed(),
    Field::string("created_at", "Creation time, milliseconds since the Unix epoch (as the API gives it).").computed(),
    Field::string("resource_spec_code", "Resource spec code, e.g. `dms.instance.kafka.cluster.c3.mini`.")
        .computed()
        .follows(&["product_id"]),
    Field::int("node_num", "Number of nodes.").computed().follows(&["product_id", "broker_num"]),
    Field::int("charging_mode", "Billing mode: 1 pay-per-use, 0 yearly/monthly.").computed(),
    Field::string("order_id", "Order of a yearly/monthly instance.").computed(),
    Field::bool("new_spec_billing_enable", "Whether the instance was created through the current API (sized by \
flavor and brokers).")
        .computed(),
];
