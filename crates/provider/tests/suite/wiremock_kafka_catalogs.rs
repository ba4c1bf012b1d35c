//! The Kafka catalog data sources' calls pinned exactly (method, path, query, signed headers) and
//! their answers' mapping: limits as numbers, `soldOut` as `sold_out`, each filter applied here.

use std::sync::Arc;

use hwprovider::client::Service;
use hwprovider::engine::catalog::{self, CatalogSource};
use hwprovider::engine::state::ProviderState;
use hwprovider::engine::Ctx;
use hwprovider::resources::dms_kafka_catalogs::{FLAVORS, ZONES};
use serde_json::{json, Value};
use tfplugin::framework::TfValue;
use tfplugin::framework::{DataSource, Diagnostics};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::api::{self, signed, tf};

const ULTRA: &str = "dms.physical.storage.ultra.v2";
const HIGH: &str = "dms.physical.storage.high.v2";
const ZONE_A: &str = "effdcbc7d4d64a02aa1fa26b42f56533";
const ZONE_B: &str = "ae04cf9d61544df3806a3feeb401b204";

fn ctx(server: &MockServer) -> Ctx {
    api::ctx(server, Service::Dms, "cn-north-4")
}

/// A product as the API lists it, its limits as text.
fn product(id: &str, kind: &str, arch: &str, charging: &[&str], ios: Value) -> Value {
    json!({"type": kind, "product_id": id, "ecs_flavor_id": "c6.large.2", "billing_code": "dms.platinum.c6",
        "arch_types": [arch], "charging_mode": charging, "ios": ios,
        "support_features": [{"name": "connector_obs", "properties": {"max_task": "10", "min_task": "1"}}],
        "properties": {"max_partition_per_broker": "250", "max_broker": "30", "max_storage_per_node": "10000",
            "max_consumer_per_broker": "4000", "min_broker": "3", "max_bandwidth_per_broker": "100",
            "min_storage_per_node": "100", "max_tps_per_broker": "30000", "engine_versions": "2.7,3.x",
            "product_alias": format!("kafka.{id}")}})
}

fn io(spec: &str, zones: &[&str]) -> Value {
    json!({"io_spec": spec, "type": "evs", "available_zones": zones, "unavailable_zones": []})
}

/// The flavor every filter below keeps, and one each filter drops (the last has the storage type and the
/// zone, but not in one storage entry).
fn products() -> Value {
    let all = ["monthly", "yearly", "hourly"];
    json!({"engine": "kafka", "versions": ["2.7", "3.x"], "products": [
        product("c6.2u4g.cluster", "cluster", "X86", &all, json!([io(ULTRA, &[ZONE_A]), io(HIGH, &[ZONE_B])])),
        product("s6.2u4g.single", "single", "X86", &all, json!([io(ULTRA, &[ZONE_A])])),
        product("c6.2u4g.cluster.arm", "cluster", "ARM", &all, json!([io(ULTRA, &[ZONE_A])])),
        product("c6.4u8g.cluster.monthly", "cluster", "X86", &["monthly"], json!([io(ULTRA, &[ZONE_A])])),
        product("c6.8u16g.cluster.high", "cluster", "X86", &all, json!([io(HIGH, &[ZONE_A])])),
        product("c6.12u24g.cluster.b", "cluster", "X86", &all, json!([io(ULTRA, &[ZONE_B])])),
        product("c6.16u32g.cluster.split", "cluster", "X86", &all, json!([io(ULTRA, &[ZONE_B]), io(HIGH, &[ZONE_A])])),
    ]})
}

/// A configuration of the flavors data source with these filters set (the others null).
fn config(set: &[(&str, &str)]) -> TfValue {
    let mut c = serde_json::Map::new();
    for f in FLAVORS.filters {
        c.insert(f.name.into(), Value::Null);
    }
    for (k, v) in set {
        c.insert(k.to_string(), json!(v));
    }
    tf(Value::Object(c))
}

fn ids(out: &hwprovider::engine::value::Obj) -> Vec<String> {
    match &out["flavors"] {
        TfValue::List(items) => items.iter().map(|f| json(f)["product_id"].as_str().unwrap().to_string()).collect(),
        other => panic!("flavors is {other:?}"),
    }
}

fn json(v: &TfValue) -> Value {
    v.to_json()
}

async fn products_server(body: Value) -> MockServer {
    let server = MockServer::start().await;
    signed(Mock::given(method("GET")).and(path("/v2/kafka/products")))
        .and(query_param_is_missing("product_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn flavors_read_the_products_call_with_limits_as_numbers() {
    let server = MockServer::start().await;
    signed(Mock::given(method("GET")).and(path("/v2/kafka/products")))
        .and(query_param_is_missing("product_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(products()))
        .expect(1)
        .mount(&server)
        .await;
    let out = catalog::read(&FLAVORS, &ctx(&server), &config(&[])).await.unwrap();
    assert_eq!(ids(&out).len(), 7, "no filter keeps every flavor");
    assert_eq!(json(&out["versions"]), json!(["2.7", "3.x"]));
    assert!(json(&out["id"]).as_str().unwrap().starts_with("dms_kafka_flavors:product_id=null&type=null"));
    let TfValue::List(flavors) = &out["flavors"] else { unreachable!() };
    assert_eq!(
        json(&flavors[0]),
        json!({"product_id": "c6.2u4g.cluster", "type": "cluster", "arch_types": ["X86"],
            "charging_modes": ["monthly", "yearly", "hourly"],
            "ios": [{"io_spec": ULTRA, "available_zones": [ZONE_A], "unavailable_zones": []},
                    {"io_spec": HIGH, "available_zones": [ZONE_B], "unavailable_zones": []}],
            "engine_versions": ["2.7", "3.x"], "min_broker": 3, "max_broker": 30, "min_storage_per_node": 100,
            "max_storage_per_node": 10000, "max_partition_per_broker": 250, "max_tps_per_broker": 30000})
    );
}

#[tokio::test]
async fn the_product_id_filter_is_the_query_parameter() {
    let server = MockServer::start().await;
    let one = json!({"engine": "kafka", "versions": ["3.x"], "products": [products()["products"][0].clone()]});
    signed(Mock::given(method("GET")).and(path("/v2/kafka/products")))
        .and(query_param("product_id", "c6.2u4g.cluster"))
        .respond_with(ResponseTemplate::new(200).set_body_json(one))
        .expect(1)
        .mount(&server)
        .await;
    let out = catalog::read(&FLAVORS, &ctx(&server), &config(&[("product_id", "c6.2u4g.cluster")])).await.unwrap();
    assert_eq!(ids(&out), ["c6.2u4g.cluster"]);
}

#[tokio::test]
async fn each_filter_drops_the_flavors_that_do_not_match() {
    let server = products_server(products()).await;
    let every = [
        ("type", "cluster"),
        ("arch_type", "X86"),
        ("charging_mode", "hourly"),
        ("storage_spec_code", ULTRA),
        ("availability_zone", ZONE_A),
    ];
    let out = catalog::read(&FLAVORS, &ctx(&server), &config(&every)).await.unwrap();
    assert_eq!(ids(&out), ["c6.2u4g.cluster"]);
    // Each filter alone drops the flavor built to fail it (and only flavors that fail it).
    let cases: [(&str, &str, &[&str]); 6] = [
        ("type", "cluster", &["s6.2u4g.single"]),
        ("arch_type", "X86", &["c6.2u4g.cluster.arm"]),
        ("charging_mode", "hourly", &["c6.4u8g.cluster.monthly"]),
        ("storage_spec_code", ULTRA, &["c6.8u16g.cluster.high"]),
        ("availability_zone", ZONE_A, &["c6.12u24g.cluster.b"]),
        (
            "availability_zone",
            ZONE_B,
            &["s6.2u4g.single", "c6.2u4g.cluster.arm", "c6.4u8g.cluster.monthly", "c6.8u16g.cluster.high"],
        ),
    ];
    let all = ids(&catalog::read(&FLAVORS, &ctx(&server), &config(&[])).await.unwrap());
    for (name, value, dropped) in cases {
        let kept = ids(&catalog::read(&FLAVORS, &ctx(&server), &config(&[(name, value)])).await.unwrap());
        let expected: Vec<String> = all.iter().filter(|id| !dropped.contains(&id.as_str())).cloned().collect();
        assert_eq!(kept, expected, "{name} = {value}");
    }
    // The storage type and the zone must meet in one storage entry: the split flavor has both, apart.
    let both = [("storage_spec_code", ULTRA), ("availability_zone", ZONE_A)];
    let kept = ids(&catalog::read(&FLAVORS, &ctx(&server), &config(&both)).await.unwrap());
    assert!(!kept.contains(&"c6.16u32g.cluster.split".to_string()), "{kept:?}");
    assert!(kept.contains(&"c6.2u4g.cluster".to_string()), "{kept:?}");
}

#[tokio::test]
async fn a_limit_that_is_no_number_is_an_error_naming_the_member() {
    let mut body = products();
    body["products"][2]["properties"]["max_storage_per_node"] = json!("10 TB");
    let server = products_server(body).await;
    let e = catalog::read(&FLAVORS, &ctx(&server), &config(&[])).await.unwrap_err().to_string();
    assert!(e.contains("GET /v2/{engine}/products"), "{e}");
    assert!(e.contains("products[2].properties.max_storage_per_node is the String \"10 TB\""), "{e}");
    assert!(e.contains("a whole number"), "{e}");

    // Through the data source: an error diagnostic naming it, and no state.
    let state = Arc::new(ProviderState::default());
    state.configure(ctx(&server).client, None).unwrap();
    let source = CatalogSource { catalog: &FLAVORS, state };
    let mut diags = Diagnostics::default();
    assert!(source.read(&mut diags, config(&[])).await.is_none());
    let text = format!("{:?}", diags.errors);
    assert!(text.contains("reading huaweicloud_dms_kafka_flavors") && text.contains("max_storage_per_node"), "{text}");
}

#[tokio::test]
async fn zones_read_the_zones_call_with_sold_out_from_sold_out() {
    let server = MockServer::start().await;
    let zone = |id: &str, code: &str, sold_out: bool, default: bool| {
        json!({"soldOut": sold_out, "id": id, "code": code, "name": format!("AZ {code}"), "port": "8002",
            "resource_availability": "true", "default_az": default, "remain_time": 1, "ipv6_enable": !sold_out})
    };
    signed(Mock::given(method("GET")).and(path("/v2/available-zones")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"region_id": "cn-north-4", "available_zones": [
            zone(ZONE_A, "cn-north-4a", false, true), zone(ZONE_B, "cn-north-4b", true, false)]})))
        .expect(2)
        .mount(&server)
        .await;
    let out = catalog::read(&ZONES, &ctx(&server), &tf(json!({}))).await.unwrap();
    assert_eq!(
        json(&out["availability_zones"]),
        json!([
            {"id": ZONE_A, "code": "cn-north-4a", "name": "AZ cn-north-4a", "sold_out": false, "ipv6_enable": true,
             "default_az": true},
            {"id": ZONE_B, "code": "cn-north-4b", "name": "AZ cn-north-4b", "sold_out": true, "ipv6_enable": false,
             "default_az": false},
        ])
    );

    // Through the data source: the configuration with the attributes read and the id.
    let state = Arc::new(ProviderState::default());
    state.configure(ctx(&server).client, None).unwrap();
    let source = CatalogSource { catalog: &ZONES, state };
    let mut diags = Diagnostics::default();
    let read = source.read(&mut diags, tf(json!({"timeouts": null}))).await.unwrap();
    let read = json(&read);
    assert_eq!(
        (read["id"].as_str(), read["availability_zones"][1]["sold_out"].as_bool()),
        (Some("dms_kafka_availability_zones:"), Some(true))
    );
    assert!(read.as_object().unwrap().contains_key("timeouts"));
}
