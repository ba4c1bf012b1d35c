//! One contract, two readers: for every bound the provider's field tables declare (lengths, ranges,
//! enumerations, element counts), the provider's plan-time validation and the simulator's create-body
//! validation must agree on the values at and just beyond it. A disagreement means a configuration that
//! plans but is refused at apply, or one refused at plan that the API would take. An argument that only
//! a second create table has (a shape, `ResourceDef::shapes`) is probed in a configuration of that shape,
//! which the simulator judges as the create call it selects.

use hwapi::contract::{Op, Param};
use hwprovider::engine::field::{Check, Field, Kind};
use hwprovider::engine::{validate, value, ResourceDef, Shape};
use serde_json::{json, Value};

use crate::common::api::tf;
use crate::contract_facts_sim::{self as sim, Api, ZONES};

/// A configuration both sides accept, in Terraform's shape (blocks as objects or lists of objects).
pub fn base(resource: &str) -> Value {
    match resource {
        "iotda_instance" => json!({
            "instance_type": "standard", "name": "ok", "flavor": {"type": "iotda.standard.s1", "size": 1},
            "charge_info": {"charge_mode": "postPaid"}
        }),
        "dms_kafka_instance" => json!({
            "name": "kafka-ok", "engine": "kafka", "engine_version": "2.7", "specification": "100MB",
            "storage_space": 600, "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet",
            "available_zones": ["az1"], "product_id": "00300-30308-0--0", "kafka_manager_user": "manager",
            "kafka_manager_password": "Manager@Pass-02", "storage_spec_code": "dms.physical.storage.ultra"
        }),
        "dms_kafka_topic" => json!({
            "instance_id": "kafka-1", "name": "orders", "partition": 3, "replication": 3,
            "topic_other_configs": [{"name": "max.message.bytes", "value": "1024"}]
        }),
        "dms_kafka_user" => json!({
            "instance_id": "kafka-1", "name": "orders-app", "password": "Orders@Pass-01", "description": "orders"
        }),
        "dms_kafka_permissions" => json!({
            "instance_id": "kafka-1", "topic_name": "orders",
            "policies": [{"user_name": "orders-app", "access_policy": "pub"}]
        }),
        "clouddc_instance" => json!({
            "name": "bm", "image_id": "img", "vpc_id": "vpc", "password": "Secret-123",
            "network_interfaces": [{"subnet_id": "subnet-a"}]
        }),
        other => panic!("no base configuration for {other}"),
    }
}

/// A configuration of `shape` of `resource` both sides accept: the shape's `selected_by` argument and
/// the arguments its create table requires. The Kafka flavor takes 3 to 50 brokers of 100 to 30000 GB
/// each; 15000 GB make a whole multiple of 100 GB per broker for 3 brokers as for 50.
pub fn shape_base(resource: &str, shape: &Shape) -> Value {
    match (resource, shape.selected_by) {
        ("dms_kafka_instance", "broker_num") => json!({
            "name": "kafka-ok", "engine": "kafka", "engine_version": "3.x", "broker_num": 3, "storage_space": 15000,
            "vpc_id": "vpc", "security_group_id": "sg", "subnet_id": "subnet", "available_zones": [ZONES[0]],
            "product_id": "c6.8u16g.cluster", "storage_spec_code": "dms.physical.storage.ultra.v2",
            "bss_param": {"charging_mode": "postPaid"}
        }),
        (other, by) => panic!("no base configuration for {other} with {by}"),
    }
}

/// Bounds of a shape's argument that its create table states for every product, while the product in
/// the configuration decides a narrower one: (resource.argument, value, what the simulator's refusal
/// names; the value as JSON). The provider takes them at plan (it knows no catalog then); the simulator, which sells only
/// cluster flavors of X86, refuses them. Each is held to exactly that disagreement.
const DECIDED_BY_THE_PRODUCT: &[(&str, &str, &str)] = &[
    // Single-node flavors take one broker; the cluster flavors 3 to 30 or 50.
    ("dms_kafka_instance.broker_num", "1", "takes 3 to 50 brokers, got 1"),
    ("dms_kafka_instance.arch_type", "\"ARM\"", "ARM is not offered with c6.8u16g.cluster"),
];

fn service(resource: &str) -> &'static str {
    match resource {
        "iotda_instance" => "iotda",
        "dms_kafka_instance" => "kafka",
        "dms_kafka_topic" => "kafka_topic",
        "dms_kafka_user" => "kafka_user",
        "dms_kafka_permissions" => "kafka_permissions",
        _ => "clouddc",
    }
}

/// Arguments whose catalog the provider leaves to the API on purpose (new values appear over time;
/// a Kafka specification decides its partition count).
const LEFT_TO_THE_API: &[&str] = &["engine_version", "specification", "storage_spec_code", "partition_num"];

/// One probe: values set together, each at its path.
type Probe = Vec<(Vec<&'static str>, Value)>;

/// Where the provider is deliberately stricter than a create table: Kafka tags must also suit the tag
/// API that changes them later (no `_sys_` prefix, no leading or trailing space).
const STRICTER_ON_PURPOSE: &[&str] = &["dms_kafka_instance.tags"];

/// Values the checks cannot generate (patterns, rules across fields), probed as well.
fn extra_probes(resource: &str) -> Vec<Probe> {
    let zones = |n: usize| Value::Array((0..n).map(|i| json!(format!("az{}", i + 1))).collect());
    let window =
        |begin: &str, end: &str| vec![(vec!["maintain_begin"], json!(begin)), (vec!["maintain_end"], json!(end))];
    let mut out: Vec<Probe> = Vec::new();
    match resource {
        "dms_kafka_instance" => {
            for n in [0, 1, 2, 3, 10, 11, 30] {
                out.push(vec![(vec!["available_zones"], zones(n))]);
            }
            for (b, e) in
                [("24:00", "02:00"), ("23:59", "00:00"), ("22:00:00", "02:00"), ("2200", "02:00"), ("12:60", "02:00")]
            {
                out.push(window(b, e));
            }
            for p in ["Manager@Pass-02", "manager-pass", "-Manager@Pass", "Ab1@", "Manager;Pass-02", "Manager Pass 02"]
            {
                out.push(vec![(vec!["kafka_manager_password"], json!(p))]);
            }
            for u in ["manager", "man_ager", "abc", &"m".repeat(65)] {
                out.push(vec![(vec!["kafka_manager_user"], json!(u))]);
            }
            for t in [
                json!({"k": "v"}),
                json!({"_sys_k": "v"}),
                json!({"k": "a=b"}),
                json!({" k": "v"}),
                json!({"k": "v/w"}),
            ] {
                out.push(vec![(vec!["tags"], t)]);
            }
        }
        "clouddc_instance" => {
            for p in [
                "Secret-123",
                "Sh0rt-",
                "alllowercase",
                "Xroot-1234",
                "Secret#123",
                "Admin-rotartsinimda1",
                "ABCdef123",
            ] {
                out.push(vec![(vec!["password"], json!(p))]);
            }
            for n in ["bm.01", "has space", "bm_01-x", "bm/01"] {
                out.push(vec![(vec!["name"], json!(n))]);
            }
            out.push(vec![(vec!["metadata"], json!({"bad/key": "v"}))]);
            out.push(vec![(vec!["metadata"], json!({"ok key": "v"}))]);
        }
        "dms_kafka_topic" => {
            for n in ["orders", "Orders.v2_x-1", "1orders", "or", "has space", "a/b"] {
                out.push(vec![(vec!["name"], json!(n))]);
            }
        }
        _ => {
            for n in ["tf-ok_1", "has space", "名字", "a.b"] {
                out.push(vec![(vec!["name"], json!(n))]);
            }
            for t in [json!({"k": "v"}), json!({" k": "v"}), json!({"k": "bad/value"}), json!({"k=": "v"})] {
                out.push(vec![(vec!["tags"], t)]);
            }
            for d in ["plain text.", "semi;colon", "中文，。、"] {
                out.push(vec![(vec!["description"], json!(d))]);
            }
            for e in ["0", "0a1b2c3d-0000-4000-8000-00000000abcd", "XYZ"] {
                out.push(vec![(vec!["enterprise_project_id"], json!(e))]);
            }
        }
    }
    out
}

/// Values at and just beyond each bound of a check.
fn probes(f: &Field, check: &Check) -> Vec<Value> {
    let text = |n: usize| Value::String("a".repeat(n));
    let around = |min: usize, max: usize| {
        let mut n = vec![min, max.min(3000), max.min(3000) + 1];
        if min > 0 {
            n.push(min - 1);
        }
        n
    };
    match (f.kind, check) {
        (Kind::Str, Check::Len(min, max)) => around(*min, *max).into_iter().map(text).collect(),
        (Kind::Str, Check::OneOf(options)) => options.iter().map(|o| json!(o)).chain([json!("bogus")]).collect(),
        (Kind::Int, Check::Range(min, max)) => {
            let mut v = vec![json!(min), json!(min - 1)];
            if *max < i64::MAX {
                v.extend([json!(max), json!(max + 1)]);
            }
            v
        }
        (Kind::List, Check::Items(min, max)) => around(*min, *max)
            .into_iter()
            .map(|n| Value::Array((0..n).map(|i| json!(format!("az{}", i + 1))).collect()))
            .collect(),
        (Kind::Map, Check::Items(min, max)) => around(*min, *max)
            .into_iter()
            .map(|n| Value::Object((0..n).map(|i| (format!("k{i}"), json!("v"))).collect()))
            .collect(),
        _ => vec![],
    }
}

/// Sets `value` at `path` (attribute names; a list of blocks is entered at its first element).
fn set(config: &mut Value, path: &[&str], value: Value) {
    let mut cur = config;
    for step in &path[..path.len() - 1] {
        cur = cur.get_mut(*step).expect("the block is in the base configuration");
        if cur.is_array() {
            cur = &mut cur[0];
        }
    }
    cur[path[path.len() - 1]] = value;
}

/// An argument: its path, its field, and every check that governs it (its own and the contract's).
type Walked = (Vec<&'static str>, &'static Field, Vec<Check>);

fn walk(fields: &'static [Field], tables: &[&'static [Param]], at: Vec<&'static str>, out: &mut Vec<Walked>) {
    for f in fields.iter().filter(|f| f.is_argument()) {
        let mut path = at.clone();
        path.push(f.name);
        let params = validate::params_of(f, tables);
        if let Kind::Block { fields: nested, .. } = f.kind {
            let members: Vec<&'static [Param]> = params.iter().filter_map(|p| p.members()).collect();
            walk(nested, &members, path.clone(), out);
        }
        let checks = validate::checks_of(f, tables);
        out.push((path, f, checks));
    }
}

/// The simulator's verdict on the create body of `config`, sent as `op`: the seed's offline, another
/// shape's through the simulator's create call (its checks of the catalog are the service's, not the
/// router's).
async fn sim_verdict(
    api: &Api,
    def: &ResourceDef,
    op: &'static Op,
    config: &tfplugin::framework::TfValue,
) -> Result<(), String> {
    let body = value::body(def.fields, config);
    if *op == *def.create {
        return hwsim::check_create_body(service(def.name), &body);
    }
    let a = api.send(op, "", Some(&body)).await;
    match a.status {
        200..=299 => Ok(()),
        _ => Err(a.body["error_msg"].as_str().map_or_else(|| a.body.to_string(), str::to_string)),
    }
}

/// Is `f` an argument only another create table than `create` has?
fn of_another_shape(def: &ResourceDef, f: &Field) -> bool {
    let has = |op: &Op| op.object_table().iter().any(|p| p.name == f.api_name());
    !has(def.create) && def.shapes.iter().any(|s| has(s.create))
}

/// The probes of the arguments of one create table: those `keep` selects (by their top-level field),
/// nested ones only where `base` has their block.
fn table_probes(def: &ResourceDef, table: &'static [Param], base: &Value, keep: &dyn Fn(&Field) -> bool) -> Vec<Probe> {
    let mut fields = Vec::new();
    walk(def.fields, &[table], vec![], &mut fields);
    let top = |name: &str| def.fields.iter().find(|f| f.name == name).expect("a top-level field");
    let mut cases: Vec<Probe> = Vec::new();
    for (path, f, checks) in fields {
        if LEFT_TO_THE_API.contains(&f.name) || !f.in_body || !keep(top(path[0])) {
            continue;
        }
        // Nested fields are probed only where the base configuration has their block.
        if path.len() > 1 && base.get(path[0]).is_none() {
            continue;
        }
        for check in &checks {
            cases.extend(probes(f, check).into_iter().map(|p| vec![(path.clone(), p)]));
        }
    }
    cases
}

/// (probes checked, disagreements found) for one resource: its arguments in the base configuration,
/// those of another shape only in a configuration of that shape.
async fn disagreements(api: &Api, def: &'static ResourceDef) -> (usize, Vec<String>) {
    let base = base(def.name);
    let mut runs: Vec<(Value, Vec<Probe>)> = Vec::new();
    let mut cases = table_probes(def, def.create.object_table(), &base, &|f| !of_another_shape(def, f));
    cases.extend(extra_probes(def.name));
    runs.push((base, cases));
    for shape in def.shapes {
        let base = shape_base(def.name, shape);
        let config = tf(base.clone());
        assert!(
            *def.create_for(&config) == *shape.create,
            "the base of {} with {} selects another create",
            def.name,
            shape.selected_by
        );
        let table = shape.create.object_table();
        for p in table.iter().filter(|p| p.required) {
            assert!(base.get(p.name).is_some(), "the base of {} with {} lacks {}", def.name, shape.selected_by, p.name);
        }
        let cases = table_probes(def, table, &base, &|f| of_another_shape(def, f));
        runs.push((base, cases));
    }
    let mut checked = 0;
    let mut out = Vec::new();
    let mut met = Vec::new();
    for (base, cases) in runs {
        // The base itself must pass both, or every probe would "agree" by both refusing it.
        let config = tf(base.clone());
        let op = def.create_for(&config);
        let provider = validate::validate(def.fields, op, def.rules, &config);
        let sim = sim_verdict(api, def, op, &config).await;
        assert!(provider.is_empty() && sim.is_ok(), "the base {base} of {} is refused: {provider:?} {sim:?}", def.name);
        for probe in cases {
            let path = probe[0].0.clone();
            let argument = format!("{}.{}", def.name, path.join("."));
            if STRICTER_ON_PURPOSE.contains(&argument.as_str()) {
                continue;
            }
            let probe_value = probe[0].1.clone();
            checked += 1;
            let mut config = base.clone();
            for (at, v) in &probe {
                set(&mut config, at, v.clone());
            }
            let config = tf(config);
            let op = def.create_for(&config);
            let provider = validate::validate(def.fields, op, def.rules, &config);
            let sim = sim_verdict(api, def, op, &config).await;
            let is_probe = |v: &str| serde_json::from_str::<Value>(v).is_ok_and(|v| v == probe_value);
            let decided = DECIDED_BY_THE_PRODUCT.iter().find(|(a, v, _)| *a == argument && is_probe(v));
            if let Some(entry @ (_, _, refusal)) = decided {
                met.push(*entry);
                // The one disagreement the catalog makes, exactly: accepted at plan, refused naming it.
                let refused_so = sim.as_ref().err().is_some_and(|e| e.contains(refusal));
                if !provider.is_empty() || !refused_so {
                    out.push(format!(
                        "{argument} = {probe_value}: the provider should accept it ({provider:?}) and the simulator \
refuse it with {refusal:?} ({sim:?})"
                    ));
                }
                continue;
            }
            if provider.is_empty() != sim.is_ok() {
                let shown = match &probe_value {
                    Value::String(s) if s.len() > 12 => format!("{} characters", s.chars().count()),
                    Value::Array(a) => format!("{} elements", a.len()),
                    Value::Object(o) => format!("{} entries", o.len()),
                    other => other.to_string(),
                };
                let said = |ok: bool| if ok { "accepts" } else { "refuses" };
                out.push(format!(
                    "{argument} = {shown}: the provider {} it ({:?}), the simulator {} it ({:?})",
                    said(provider.is_empty()),
                    provider.first().map(|p| p.message.clone()),
                    said(sim.is_ok()),
                    sim.err()
                ));
            }
        }
    }
    // An entry no probe meets any more is stale.
    let ours = DECIDED_BY_THE_PRODUCT.iter().filter(|(a, ..)| a.split_once('.').is_some_and(|(r, _)| r == def.name));
    for entry in ours.filter(|e| !met.contains(e)) {
        out.push(format!("{} = {}: no probe has this value any more", entry.0, entry.1));
    }
    (checked, out)
}

#[tokio::test]
async fn provider_and_simulator_agree_on_every_declared_bound() {
    let api = sim::start().await;
    let mut all = Vec::new();
    for def in hwprovider::resources::defs() {
        let (checked, found) = disagreements(&api, def).await;
        // Every resource is really probed: a table without bounds would make this test pass vacuously.
        assert!(checked >= 20, "only {checked} probes for {}", def.name);
        eprintln!("huaweicloud_{}: {checked} probes, {} disagreements", def.name, found.len());
        all.extend(found);
    }
    assert!(all.is_empty(), "{} disagreements:\n{}", all.len(), all.join("\n"));
}
