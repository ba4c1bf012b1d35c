//! A TEST STAND-IN, NOT HUAWEI'S PROVIDER: the end-to-end test of a configuration that uses this provider
//! next to Huawei's Go provider (`huaweicloud/huaweicloud`, which cannot be installed offline) serves it
//! under that provider's address with this binary. It has the Go provider's names for the four resource
//! types the example uses (`huaweicloud_vpc`, `huaweicloud_vpc_subnet`, `huaweicloud_networking_secgroup`,
//! `huaweicloud_networking_secgroup_rule`) and for the few of their attributes the example sets or reads,
//! and reads `region`, `access_key` and `secret_key` from its block or from `HW_REGION_NAME`,
//! `HW_ACCESS_KEY` and `HW_SECRET_KEY`, as that provider documents.
//!
//! It calls no API: an object lives only in Terraform's state. Its IDs are UUID-shaped and derived from the
//! type, the attribute and the object's `name` (or, for a rule, its group and port), so every run gives the
//! same ones. It is built by the test (`cargo build --example go_provider_stand_in`) and never released.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use tfplugin::framework::{
    Attribute, AttributeConstraint as C, AttributePath, Block, DataSource, Description, Diagnostics, Provider,
    ProviderServer, Resource, Schema, TfValue,
};
use tfplugin::server::{serve, ServeOptions};
use tfplugin::value::Type;

/// One attribute of a stand-in type: name, type, who sets it, and whether a change replaces the object.
type Attr = (&'static str, Type, C, bool);

fn vpc() -> Vec<Attr> {
    vec![("name", Type::String, C::Required, false), ("cidr", Type::String, C::Required, false)]
}

fn subnet() -> Vec<Attr> {
    vec![
        ("name", Type::String, C::Required, false),
        ("cidr", Type::String, C::Required, true),
        ("gateway_ip", Type::String, C::Required, true),
        ("vpc_id", Type::String, C::Required, true),
        // The subnet's ID in the OpenStack API; `id` is the one Kafka (and most services) take.
        ("ipv4_subnet_id", Type::String, C::Computed, false),
    ]
}

fn secgroup() -> Vec<Attr> {
    vec![("name", Type::String, C::Required, false), ("description", Type::String, C::Optional, false)]
}

fn secgroup_rule() -> Vec<Attr> {
    vec![
        ("security_group_id", Type::String, C::Required, true),
        ("direction", Type::String, C::Required, true),
        ("ethertype", Type::String, C::Required, true),
        ("protocol", Type::String, C::Optional, true),
        ("port_range_min", Type::Number, C::Optional, true),
        ("port_range_max", Type::Number, C::Optional, true),
        ("remote_ip_prefix", Type::String, C::Optional, true),
        ("description", Type::String, C::Optional, true),
    ]
}

/// The provider's region once configured, which objects take when their own `region` is unset.
type Region = Arc<Mutex<Option<String>>>;

struct StandIn {
    type_name: &'static str,
    attrs: Vec<Attr>,
    region: Region,
}

fn attribute(ty: Type, constraint: C) -> Attribute {
    Attribute::new(ty, constraint, Description::plain(""))
}

fn fields(v: TfValue) -> BTreeMap<String, TfValue> {
    match v {
        TfValue::Map(m) => m,
        _ => BTreeMap::new(),
    }
}

/// A UUID-shaped ID from `parts` (FNV-1a, twice with different seeds): the same parts, the same ID.
fn uuid(parts: &[&str]) -> String {
    let hash = |seed: u64| {
        parts
            .iter()
            .flat_map(|p| p.bytes().chain([0]))
            .fold(seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
    };
    let hex = format!("{:016x}{:016x}", hash(0xcbf29ce484222325), hash(0x84222325cbf29ce4));
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

fn text(v: Option<&TfValue>) -> String {
    match v {
        Some(TfValue::String(s)) => s.clone(),
        Some(TfValue::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

impl StandIn {
    /// What names the object in its IDs: its name, or a rule's group, direction and ports.
    fn key(&self, m: &BTreeMap<String, TfValue>) -> Vec<String> {
        let keys: &[&str] = if m.contains_key("name") {
            &["name"]
        } else {
            &["security_group_id", "direction", "protocol", "port_range_min", "port_range_max", "remote_ip_prefix"]
        };
        keys.iter().map(|k| text(m.get(*k))).collect()
    }
}

#[async_trait]
impl Resource for StandIn {
    fn schema(&self) -> Schema {
        let mut block = Block::default();
        for (name, ty, constraint, _) in &self.attrs {
            block.attributes.insert(name.to_string(), attribute(ty.clone(), *constraint));
        }
        block.attributes.insert("id".into(), attribute(Type::String, C::Computed));
        block.attributes.insert("region".into(), attribute(Type::String, C::OptionalComputed));
        Schema { version: 0, block }
    }

    async fn validate(&self, _d: &mut Diagnostics, _config: TfValue) -> Option<()> {
        Some(())
    }

    async fn read(&self, _d: &mut Diagnostics, state: TfValue, private: TfValue) -> Option<(TfValue, TfValue)> {
        Some((state, private))
    }

    async fn plan_create(&self, _d: &mut Diagnostics, proposed: TfValue, _c: TfValue) -> Option<(TfValue, TfValue)> {
        let mut m = fields(proposed);
        for (name, _, constraint, _) in &self.attrs {
            if *constraint == C::Computed {
                m.insert(name.to_string(), TfValue::Unknown);
            }
        }
        m.insert("id".into(), TfValue::Unknown);
        if m.get("region").is_none_or(TfValue::is_null) {
            let region = self.region.lock().unwrap().clone();
            m.insert("region".into(), region.map_or(TfValue::Unknown, TfValue::String));
        }
        Some((TfValue::Map(m), TfValue::Null))
    }

    async fn plan_update(
        &self,
        _d: &mut Diagnostics,
        prior: TfValue,
        proposed: TfValue,
        _c: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)> {
        let (prior, proposed) = (fields(prior), fields(proposed));
        let replaces = self.attrs.iter().filter(|a| a.3).map(|a| a.0).chain(["region"]);
        let changed = replaces.filter(|n| prior.get(*n) != proposed.get(*n)).map(AttributePath::new).collect();
        Some((TfValue::Map(proposed), private, changed))
    }

    async fn plan_destroy(&self, _d: &mut Diagnostics, _prior: TfValue, private: TfValue) -> Option<TfValue> {
        Some(private)
    }

    async fn create(
        &self,
        _d: &mut Diagnostics,
        planned: TfValue,
        _c: TfValue,
        _p: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        let mut m = fields(planned);
        let key = self.key(&m);
        let id = |attribute: &str| {
            let mut parts = vec![self.type_name, attribute];
            parts.extend(key.iter().map(String::as_str));
            TfValue::String(uuid(&parts))
        };
        for (name, _, constraint, _) in &self.attrs {
            if *constraint == C::Computed {
                m.insert(name.to_string(), id(name));
            }
        }
        m.insert("id".into(), id("id"));
        if m.get("region") == Some(&TfValue::Unknown) {
            let region = self.region.lock().unwrap().clone();
            m.insert("region".into(), region.map_or(TfValue::Null, TfValue::String));
        }
        Some((TfValue::Map(m), TfValue::Null))
    }

    async fn update(
        &self,
        _d: &mut Diagnostics,
        _prior: TfValue,
        planned: TfValue,
        _c: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        Some((planned, private))
    }

    async fn destroy(&self, _d: &mut Diagnostics, _prior: TfValue, _p: TfValue) -> Option<()> {
        Some(())
    }
}

struct GoProviderStandIn {
    region: Region,
}

#[async_trait]
impl Provider for GoProviderStandIn {
    fn schema(&self) -> Schema {
        let mut block = Block::default();
        for name in ["region", "access_key", "secret_key"] {
            let a = Attribute { sensitive: name == "secret_key", ..attribute(Type::String, C::Optional) };
            block.attributes.insert(name.into(), a);
        }
        Schema { version: 0, block }
    }

    async fn validate(&self, _d: &mut Diagnostics, _config: TfValue) {}

    async fn configure(&self, diags: &mut Diagnostics, _v: String, config: TfValue) {
        let config = fields(config);
        let mut missing = vec![];
        let mut region = None;
        for (name, var) in
            [("region", "HW_REGION_NAME"), ("access_key", "HW_ACCESS_KEY"), ("secret_key", "HW_SECRET_KEY")]
        {
            let value = match config.get(name) {
                Some(TfValue::String(s)) if !s.is_empty() => Some(s.clone()),
                Some(TfValue::Unknown) => Some(String::new()),
                _ => std::env::var(var).ok().filter(|v| !v.is_empty()),
            };
            match value {
                None => missing.push(format!("{name} (or {var})")),
                Some(v) if name == "region" && !v.is_empty() => region = Some(v),
                Some(_) => {}
            }
        }
        if !missing.is_empty() {
            diags.root_error(
                "The stand-in for huaweicloud/huaweicloud is not configured",
                format!("Set {}, as Huawei's provider requires.", missing.join(", ")),
            );
        }
        *self.region.lock().unwrap() = region;
    }

    fn resources(&self) -> Vec<(String, Arc<dyn Resource>)> {
        let types: [(&'static str, Vec<Attr>); 4] = [
            ("huaweicloud_vpc", vpc()),
            ("huaweicloud_vpc_subnet", subnet()),
            ("huaweicloud_networking_secgroup", secgroup()),
            ("huaweicloud_networking_secgroup_rule", secgroup_rule()),
        ];
        types
            .into_iter()
            .map(|(type_name, attrs)| {
                let r = StandIn { type_name, attrs, region: self.region.clone() };
                (type_name.to_string(), Arc::new(r) as Arc<dyn Resource>)
            })
            .collect()
    }

    fn data_sources(&self) -> Vec<(String, Arc<dyn DataSource>)> {
        vec![]
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let provider = GoProviderStandIn { region: Arc::default() };
    Ok(serve(ProviderServer::new(provider), ServeOptions::default()).await?)
}
