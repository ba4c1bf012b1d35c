//! `huaweicloud_dms_kafka_instance` as the Go provider (`huaweicloud/huaweicloud`) stores it, attribute by
//! attribute, after its published schema (docs/resources/dms_kafka_instance.md and the resource's schema,
//! deprecated attributes included). Its instances come in our two shapes: one with `flavor_id` was
//! created through the current API (our `broker_num` shape), one with `product_id` through the first.

use serde_json::{Map, Value as Json};

use super::table::{has_value, Conv, Facts, Mapping, Only, Row};

/// Whether a cross-VPC access advertises an address of the user's own (the service's default is the
/// listener's own address).
fn own_advertised(v: &Json) -> bool {
    v.as_array().is_some_and(|accesses| {
        accesses.iter().any(|a| {
            let advertised = a.get("advertised_ip").and_then(Json::as_str).unwrap_or("");
            let listener = a.get("listener_ip").or_else(|| a.get("lisenter_ip")).and_then(Json::as_str);
            !advertised.is_empty() && Some(advertised) != listener
        })
    })
}

static ROWS: &[Row] = &[
    Row::region(),
    Row::same("name"),
    Row::same("description"),
    Row::same("engine"),
    Row::same("engine_version"),
    // Which API created it: `flavor_id` for the current one, `product_id` for the first.
    Row::to("flavor_id", "product_id"),
    Row::to("flavor_id", "new_spec_billing_enable").conv(Conv::IsSet),
    Row::same("product_id"),
    Row::to("bandwidth", "specification"),
    Row::same("storage_space"),
    Row::same("storage_spec_code"),
    Row::same("broker_num").only(Only::Current),
    Row::same("partition_num"),
    Row::same("vpc_id"),
    Row::to("network_id", "subnet_id"),
    Row::same("security_group_id"),
    // The deprecated `available_zones` holds the IDs the service reports; `availability_zones` the
    // codes or names configured.
    Row::same("available_zones").conv(Conv::ZoneIds),
    Row::to("availability_zones", "available_zones").conv(Conv::ZoneIds),
    Row::same("access_user"),
    Row::same("password"),
    Row::go_only("kms_encrypted_password").conv(Conv::GoOnlySecret),
    Row::to("manager_user", "kafka_manager_user"),
    Row::to("manager_password", "kafka_manager_password"),
    Row::same("maintain_begin").conv(Conv::HourMinute),
    Row::same("maintain_end").conv(Conv::HourMinute),
    Row::to("enable_public_ip", "enable_publicip"),
    Row::same("public_bandwidth"),
    Row::to("public_ip_ids", "publicip_id").conv(Conv::Joined),
    Row::same("ssl_enable"),
    Row::to("security_protocol", "kafka_security_protocol"),
    Row::to("enabled_mechanisms", "sasl_enabled_mechanisms"),
    Row::same("retention_policy"),
    Row::to("dumping", "connector_enable"),
    Row::same("enable_auto_topic"),
    Row::same("enterprise_project_id"),
    Row::same("tags"),
    Row::to("new_tenant_ips", "tenant_ips"),
    Row::same("arch_type"),
    Row::same("port_protocol").only(Only::Current),
    Row::same("parameters").only(Only::CurrentOrWarn),
    Row::same("ipv6_enable").only(Only::Current),
    Row::same("vpc_client_plain").only(Only::Current),
    Row::same("disk_encrypted_enable").only(Only::Current),
    Row::same("disk_encrypted_key"),
    // Billing: arguments of a yearly/monthly instance, and the service's code of either.
    Row::to("charging_mode", "bss_param.charging_mode").only(Only::Prepaid),
    Row::to("period_unit", "bss_param.period_type").only(Only::Prepaid),
    Row::to("period", "bss_param.period_num").only(Only::Prepaid),
    Row::to("auto_renew", "bss_param.is_auto_renew").conv(Conv::BoolText).only(Only::Prepaid),
    Row::to("charging_mode", "charging_mode").conv(Conv::ChargingCode),
    Row::go_only("cross_vpc_accesses").conv(Conv::GoOnly(
        own_advertised,
        "advertised addresses of cross-VPC access are not managed by this provider",
    )),
    // What the service reports.
    Row::same("status"),
    Row::same("type"),
    Row::same("connect_address"),
    Row::same("port"),
    Row::same("used_storage_space"),
    Row::same("resource_spec_code"),
    Row::same("node_num"),
    Row::same("management_connect_address"),
    Row::to("manegement_connect_address", "management_connect_address"),
    // Facts this provider does not keep (or keeps in another form: `created_at` is read back as the
    // service gives it).
    Row::drop("created_at"),
    Row::drop("public_ip_address"),
    Row::drop("user_id"),
    Row::drop("user_name"),
    Row::drop("extend_times"),
    Row::drop("ipv6_connect_addresses"),
    Row::drop("connector_id"),
    Row::drop("connector_node_num"),
    Row::drop("storage_resource_id"),
    Row::drop("storage_type"),
    Row::drop("cert_replaced"),
    Row::drop("is_logical_volume"),
    Row::drop("message_query_inst_enable"),
    Row::drop("pod_connect_address"),
    Row::drop("ssl_two_way_enable"),
    Row::drop("cluster"),
    Row::drop("port_protocols"),
];

/// Created through the current API (with a flavor), and billed yearly/monthly.
fn facts(obj: &Map<String, Json>) -> Facts {
    Facts {
        current: obj.get("flavor_id").is_some_and(has_value),
        prepaid: obj.get("charging_mode").and_then(Json::as_str) == Some("prePaid"),
    }
}

/// Nothing is left to do once the rows are carried: the id is the instance's.
fn finish(_go: &Map<String, Json>, _ours: &mut Map<String, Json>) {}

pub static MAPPING: Mapping = Mapping { name: "dms_kafka_instance", rows: ROWS, facts, finish };
