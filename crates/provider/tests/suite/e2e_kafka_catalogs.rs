//! The Kafka catalog data sources through real Terraform against the simulator: the zones, every
//! flavor, and the flavors each filter picks, chained as a configuration would chain them (a flavor's
//! own storage type and zone fed back as filters). The assertions hold for any catalog the simulator
//! serves: each filtered list is exactly the flavors of the whole list that meet the filter.
//!
//! This needs a simulator that serves `GET /v2/{engine}/products` and `GET /v2/available-zones`; it
//! is registered in `main.rs` (`mod e2e_kafka_catalogs;`) once the simulator does.

use serde_json::Value;

use crate::common;

const CATALOGS: &str = r#"
data "huaweicloud_dms_kafka_availability_zones" "all" {}

data "huaweicloud_dms_kafka_flavors" "all" {}

locals {
  first = data.huaweicloud_dms_kafka_flavors.all.flavors[0]
}

data "huaweicloud_dms_kafka_flavors" "one" {
  product_id = local.first.product_id
}

data "huaweicloud_dms_kafka_flavors" "cluster" {
  type = "cluster"
}

data "huaweicloud_dms_kafka_flavors" "placed" {
  storage_spec_code = local.first.ios[0].io_spec
  availability_zone = local.first.ios[0].available_zones[0]
}

data "huaweicloud_dms_kafka_flavors" "x86_hourly" {
  arch_type     = "X86"
  charging_mode = "hourly"
}

output "o" {
  value = {
    zones      = data.huaweicloud_dms_kafka_availability_zones.all.availability_zones
    versions   = data.huaweicloud_dms_kafka_flavors.all.versions
    all        = data.huaweicloud_dms_kafka_flavors.all.flavors
    one        = data.huaweicloud_dms_kafka_flavors.one.flavors
    cluster    = data.huaweicloud_dms_kafka_flavors.cluster.flavors
    placed     = data.huaweicloud_dms_kafka_flavors.placed.flavors
    x86_hourly = data.huaweicloud_dms_kafka_flavors.x86_hourly.flavors
  }
}
"#;

fn strings(v: &Value) -> Vec<&str> {
    v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect()).unwrap_or_default()
}

fn ids(flavors: &[&Value]) -> Vec<String> {
    flavors.iter().map(|f| f["product_id"].as_str().unwrap_or_default().to_string()).collect()
}

#[test]
fn flavors_and_zones_read_the_catalog_and_each_filter_picks_from_it() {
    let Some(env) = common::env() else { return };
    env.write(CATALOGS);
    env.clear_requests();
    let out = env.apply();
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(env.writes().is_empty(), "reading the catalogs wrote: {:?}", env.writes());
    let out = env.tf(&["output", "-json", "o"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let o: Value = serde_json::from_str(&out.stdout).unwrap();

    // The zones, with their flags as Booleans.
    let zones = o["zones"].as_array().expect("zones");
    assert!(!zones.is_empty(), "the region has no zone: {o}");
    for z in zones {
        assert!(z["id"].is_string() && z["code"].is_string(), "{z}");
        for flag in ["sold_out", "ipv6_enable", "default_az"] {
            assert!(z[flag].is_boolean(), "{flag} of {z}");
        }
    }
    let zone_ids: Vec<&str> = zones.iter().filter_map(|z| z["id"].as_str()).collect();

    // Every flavor, its limits as numbers that make sense, its zones among the region's.
    let all: Vec<&Value> = o["all"].as_array().expect("flavors").iter().collect();
    assert!(!all.is_empty() && !strings(&o["versions"]).is_empty(), "{o}");
    for f in &all {
        let n = |k: &str| f[k].as_i64().unwrap_or_else(|| panic!("{k} of {f} is no number"));
        assert!(n("min_broker") <= n("max_broker") && n("min_storage_per_node") <= n("max_storage_per_node"), "{f}");
        assert!(n("max_partition_per_broker") > 0 && n("max_tps_per_broker") > 0, "{f}");
        assert!(!strings(&f["engine_versions"]).is_empty(), "{f}");
        for io in f["ios"].as_array().expect("ios") {
            for z in strings(&io["available_zones"]) {
                assert!(zone_ids.contains(&z), "{z} of {} is no zone of the region", f["product_id"]);
            }
        }
    }

    // Each filtered list is exactly the flavors of the whole list that meet its filters.
    let first = all[0];
    let (spec, zone) =
        (first["ios"][0]["io_spec"].as_str().unwrap(), first["ios"][0]["available_zones"][0].as_str().unwrap());
    let picked = |name: &str, keep: &dyn Fn(&Value) -> bool| {
        let got: Vec<&Value> = o[name].as_array().expect(name).iter().collect();
        let expected: Vec<&Value> = all.iter().copied().filter(|f| keep(f)).collect();
        assert_eq!(ids(&got), ids(&expected), "{name}");
        assert!(!got.is_empty(), "{name} picked nothing");
    };
    picked("one", &|f| f["product_id"] == first["product_id"]);
    picked("cluster", &|f| f["type"] == "cluster");
    picked("placed", &|f| {
        f["ios"]
            .as_array()
            .unwrap()
            .iter()
            .any(|io| io["io_spec"] == spec && strings(&io["available_zones"]).contains(&zone))
    });
    picked("x86_hourly", &|f| {
        strings(&f["arch_types"]).contains(&"X86") && strings(&f["charging_modes"]).contains(&"hourly")
    });
    assert_eq!(o["one"][0], *first, "the flavor read by its id is the one listed");

    // One products call sent product_id (the lookup of one flavor); the others none.
    let products = env.requests_matching("GET", "/v2/kafka/products");
    let with_id: Vec<&Value> = products.iter().filter(|r| !r["query"]["product_id"].is_null()).collect();
    assert_eq!(with_id.len(), 1, "{products:?}");
    assert_eq!(with_id[0]["query"]["product_id"], first["product_id"]);
    assert!(!env.requests_matching("GET", "/v2/available-zones").is_empty());
    env.assert_no_changes();
}

#[test]
fn a_product_id_the_api_would_refuse_fails_at_plan() {
    let Some(env) = common::env() else { return };
    let hcl = format!("data \"huaweicloud_dms_kafka_flavors\" \"bad\" {{\n  product_id = \"{}\"\n}}\n", "c".repeat(65));
    env.fails_at_plan_without_requests(&hcl, &["Invalid filter", "product_id", "query parameter product_id"]);
}
