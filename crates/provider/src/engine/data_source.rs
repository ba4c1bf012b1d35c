//! Data sources, derived from each resource's table: `huaweicloud_<x>` reads one object by id or by
//! exact name, `huaweicloud_<x>s` lists them with the list API's filters. Their attributes are the
//! resource's, computed; write-only arguments (which no API returns) are left out.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value as Json;
use tfplugin::framework::TfValue;
use tfplugin::framework::{Attribute, AttributeConstraint, AttributeType, Block, Description, NestedBlock, Schema};
use tfplugin::framework::{AttributePath, DataSource, Diagnostics};

use super::base::Engine;
use super::ctx::Ctx;
use super::data::FilterKind;
use super::def::ResourceDef;
use super::diag::{diag, failed};
use super::error::{garbled, Error};
use super::field::{Field, Kind, Read};
use super::hooks::Hooks;
use super::lifecycle::timeouts_problems;
use super::reading::{read_state, Reading};
use super::state::ProviderState;
use super::timeouts::Timeouts;
use super::value::{as_str, get, Obj};
use super::{schema, validate};
/// The attributes a data source shows: every field except the top-level write-only arguments and
/// `tags_all` (a data source shows the tags the API reports as `tags`; the provider's defaults play no part).
fn shown(def: &ResourceDef) -> impl Iterator<Item = &'static Field> {
    def.fields.iter().filter(|f| f.read != Read::Keep && f.name != super::tags::TAGS_ALL)
}

/// The type of a field as a computed attribute (a single block is an object, other blocks lists of
/// them), without the write-only fields nested in it.
fn computed_type(f: &Field) -> AttributeType {
    let members = |fields: &[Field]| {
        AttributeType::object(
            fields.iter().filter(|n| n.read != Read::Keep).map(|n| (n.name.to_string(), computed_type(n))),
        )
    };
    match f.kind {
        Kind::Block { fields, .. } if f.is_single_block() => members(fields),
        Kind::Block { fields, .. } => AttributeType::List(Box::new(members(fields))),
        _ => schema::attr_type(f),
    }
}

/// A state value without the write-only fields nested in blocks (as `computed_type` leaves them out).
fn without_write_only(f: &Field, v: TfValue) -> TfValue {
    let Kind::Block { fields, .. } = f.kind else { return v };
    let strip = |item: TfValue| match item {
        TfValue::Map(mut m) => {
            for n in fields {
                match m.remove(n.name) {
                    Some(_) if n.read == Read::Keep => {}
                    Some(value) => {
                        m.insert(n.name.to_string(), without_write_only(n, value));
                    }
                    None => {}
                }
            }
            TfValue::Map(m)
        }
        other => other,
    };
    match v {
        TfValue::List(items) => TfValue::List(items.into_iter().map(strip).collect()),
        other => strip(other),
    }
}

pub(super) fn attribute(t: AttributeType, desc: &str, constraint: AttributeConstraint) -> Attribute {
    Attribute::new(t, constraint, Description::markdown(desc))
}

/// The object type of one instance as the data sources show it (with its `id`).
fn object_type(def: &ResourceDef) -> AttributeType {
    let mut members: BTreeMap<String, AttributeType> =
        shown(def).map(|f| (f.name.to_string(), computed_type(f))).collect();
    members.insert("id".into(), AttributeType::String);
    AttributeType::object(members)
}

/// One instance as the data sources show it: the resource's read of the API answer (as an import reads
/// it: every setting that differs from its default), with its `id`. An answer that does not fit is an
/// error naming the call (`source`) and the member.
pub fn object(def: &ResourceDef, id: &str, api: &Json, source: &hwapi::contract::Op) -> Result<Obj, Error> {
    let mut reading = Reading { imported: true, unread: vec![] };
    let obj = read_state(def.fields, api, &TfValue::Null, &mut reading).map_err(|g| garbled(source, g))?;
    let mut obj: Obj = shown(def)
        .map(|f| (f.name.to_string(), without_write_only(f, obj.get(f.name).cloned().unwrap_or(TfValue::Null))))
        .collect();
    obj.insert("id".into(), TfValue::String(id.to_string()));
    Ok(obj)
}

/// A data source reads once: its `timeouts` block has `read` only.
const READ_ONLY: [&str; 1] = ["read"];

/// The schema of a data source: its attributes and the `timeouts { read }` block.
pub(super) fn data_schema(attributes: HashMap<String, Attribute>, description: String, timeouts: &Timeouts) -> Schema {
    let blocks = [("timeouts".to_string(), NestedBlock::Optional(schema::timeouts_block_of(timeouts, &READ_ONLY)))];
    Schema {
        version: 0,
        block: Block {
            version: 0,
            attributes,
            blocks: blocks.into_iter().collect(),
            description: Description::markdown(description),
            deprecated: false,
        },
    }
}

/// The arguments a single data source is looked up by: `id`, the identity (name) and, for an object
/// inside another, the arguments its lookup by name needs (e.g. a topic's `instance_id`).
fn lookup_args(def: &ResourceDef) -> Vec<&'static str> {
    let mut args = vec!["id", def.identity];
    args.extend(def.scope);
    args
}

pub fn single_schema(def: &ResourceDef) -> Schema {
    let lookups = lookup_args(def);
    let mut attributes: HashMap<String, Attribute> = shown(def)
        .filter(|f| !lookups.contains(&f.name))
        .map(|f| (f.name.to_string(), attribute(computed_type(f), f.desc, AttributeConstraint::Computed)))
        .collect();
    let scope = if def.scope.is_empty() { String::new() } else { format!(" (with `{}`)", def.scope.join("`, `")) };
    attributes.insert(
        "id".into(),
        attribute(
            AttributeType::String,
            &format!("The id to look up; set it or `{}`.", def.identity),
            AttributeConstraint::OptionalComputed,
        ),
    );
    let identity = def.fields.iter().find(|f| f.name == def.identity);
    attributes.insert(
        def.identity.into(),
        attribute(
            identity.map_or(AttributeType::String, computed_type),
            &format!("The exact {} to look up{scope}; exactly one object must carry it.", def.identity),
            AttributeConstraint::OptionalComputed,
        ),
    );
    for name in def.scope {
        attributes.insert(
            name.to_string(),
            attribute(
                AttributeType::String,
                "Where to look the object up by name (computed when looked up by id).",
                AttributeConstraint::OptionalComputed,
            ),
        );
    }
    let description = format!("Reads one {} by id or by exact {}.", def.noun, def.identity);
    data_schema(attributes, description, &def.timeouts)
}

pub fn list_schema(def: &ResourceDef) -> Schema {
    let mut attributes: HashMap<String, Attribute> = def
        .listing
        .filters
        .iter()
        .map(|f| {
            let t = match f.kind {
                FilterKind::Str => AttributeType::String,
                FilterKind::Bool => AttributeType::Bool,
                FilterKind::StrList => AttributeType::List(Box::new(AttributeType::String)),
            };
            let constraint = if f.required { AttributeConstraint::Required } else { AttributeConstraint::Optional };
            (f.name.to_string(), attribute(t, f.desc, constraint))
        })
        .collect();
    attributes.insert(
        def.listing.attribute.into(),
        attribute(
            AttributeType::List(Box::new(object_type(def))),
            &format!("The {}s that match, each with the attributes of `huaweicloud_{}`.", def.noun, def.name),
            AttributeConstraint::Computed,
        ),
    );
    attributes.insert(
        "id".into(),
        attribute(
            AttributeType::String,
            "The data source's name followed by its filters as text, e.g. `dms_kafka_instances:name=\"a\"&...`.",
            AttributeConstraint::Computed,
        ),
    );
    let description = format!("Lists {}s, every page, with the filters of the list API.", def.noun);
    data_schema(attributes, description, &def.timeouts)
}

/// `huaweicloud_<x>`: one object by id or by exact name.
pub struct Single<H: Hooks>(pub Arc<Engine<H>>);
/// `huaweicloud_<x>s`: every object that matches the filters.
pub struct List<H: Hooks>(pub Arc<Engine<H>>);

impl<H: Hooks> Engine<H> {
    /// A context whose deadline is the data source's `timeouts { read }` (or the default).
    fn data_ctx(&self, diags: &mut Diagnostics, config: &TfValue) -> Option<Ctx> {
        let timeout = self.timeout(diags, config, "read")?;
        self.ctx(diags, timeout)
    }

    /// The data source's type name: `huaweicloud_<x>`, or `huaweicloud_<x>s` for the list.
    fn data_type(&self, list: bool) -> String {
        if list {
            format!("{}s", self.type_name())
        } else {
            self.type_name()
        }
    }

    async fn read_one(&self, diags: &mut Diagnostics, config: &TfValue) -> Option<TfValue> {
        let def = self.def();
        let type_name = self.type_name();
        let ctx = self.data_ctx(diags, config)?;
        let id = match (as_str(get(config, "id")), as_str(get(config, def.identity))) {
            (Some(id), _) => {
                if let Some(problem) = validate::check_value(&def.id_check, &TfValue::String(id.into())) {
                    diag(
                        diags,
                        format!("Invalid {type_name} id"),
                        format!("The id {problem}."),
                        AttributePath::new("id"),
                    );
                    return None;
                }
                id.to_string()
            }
            (None, Some(name)) => {
                let found = match self.hooks.find_existing(&ctx, config).await {
                    Ok(found) => found,
                    Err(e) => return self.data_failed(diags, &e, false),
                };
                // An object whose creation failed is no answer to a lookup by name.
                let found: Vec<_> =
                    found.into_iter().filter(|e| !def.health.create_failed.contains(&e.status.as_str())).collect();
                match found.as_slice() {
                    [one] => one.id.clone(),
                    [] => {
                        let detail = format!("No {} is named {name:?}{}.", def.noun, scope_words(def, config));
                        diag(diags, format!("No {type_name} found"), detail, AttributePath::new(def.identity));
                        return None;
                    }
                    many => {
                        let ids: Vec<String> = many.iter().map(|e| format!("{} ({})", e.id, e.status)).collect();
                        let detail = format!(
                            "{} {}s are named {name:?}: {}. Look one up by `id` instead.",
                            many.len(),
                            def.noun,
                            ids.join(", ")
                        );
                        diag(diags, format!("Several {type_name} found"), detail, AttributePath::new(def.identity));
                        return None;
                    }
                }
            }
            (None, None) => {
                let detail = format!("Set `id` or `{}` to say which {} to read.", def.identity, def.noun);
                diag(diags, format!("{type_name}: nothing to look up"), detail, AttributePath::root());
                return None;
            }
        };
        match self.hooks.read(&ctx, &id).await {
            Ok(Some(api)) => match object(def, &id, &api, def.read_by) {
                Ok(mut obj) => {
                    obj.insert("timeouts".into(), get(config, "timeouts").clone());
                    Some(TfValue::Map(obj))
                }
                Err(e) => self.data_failed(diags, &e, false),
            },
            Ok(None) => {
                let detail = format!("No {} has the id {id:?}.", def.noun);
                diag(diags, format!("No {type_name} found"), detail, AttributePath::new("id"));
                None
            }
            Err(e) => self.data_failed(diags, &e, false),
        }
    }

    async fn read_list(&self, diags: &mut Diagnostics, config: &TfValue) -> Option<TfValue> {
        let def = self.def();
        let ctx = self.data_ctx(diags, config)?;
        let found = match self.hooks.list(&ctx, config).await {
            Ok(found) => found,
            Err(e) => return self.data_failed(diags, &e, true),
        };
        let mut items = Vec::new();
        for (id, api) in &found {
            match object(def, id, api, def.listing.op) {
                Ok(obj) => items.push(TfValue::Map(obj)),
                Err(e) => return self.data_failed(diags, &e, true),
            }
        }
        let mut out = match config {
            TfValue::Map(m) => m.clone(),
            _ => Obj::new(),
        };
        let digest: Vec<String> =
            def.listing.filters.iter().map(|f| format!("{}={}", f.name, get(config, f.name).to_json())).collect();
        out.insert("id".into(), TfValue::String(format!("{}:{}", def.name, digest.join("&"))));
        out.insert(def.listing.attribute.into(), TfValue::List(items));
        Some(TfValue::Map(out))
    }

    fn data_failed<T>(&self, diags: &mut Diagnostics, e: &Error, list: bool) -> Option<T> {
        failed(diags, &format!("reading {}", self.data_type(list)), e, "");
        None
    }
}

/// The arguments among `names` that are resource fields, checked as the resource checks them (before
/// they go into a URL or a query).
fn checked_arguments(diags: &mut Diagnostics, def: &ResourceDef, config: &TfValue, names: &[&str]) {
    for f in def.fields.iter().filter(|f| names.contains(&f.name)) {
        let table: Vec<&'static [hwapi::contract::Param]> = def.create_tables();
        for check in validate::checks_of(f, &table) {
            if let Some(problem) = validate::check_value(&check, get(config, f.name)) {
                diag(diags, "Invalid argument", format!("{} {problem}", f.name), AttributePath::new(f.name));
            }
        }
    }
}

/// Each filter sent as a query parameter of the list operation is held, at plan, to that parameter's
/// declared checks (an enumeration of states, a length), each element of a list filter on its own.
fn checked_filters(diags: &mut Diagnostics, def: &ResourceDef, config: &TfValue) {
    for f in def.listing.filters {
        let Some(param) = def.listing.op.query.iter().find(|p| p.name == f.name) else { continue };
        let values = match get(config, f.name) {
            TfValue::List(items) => items.iter().collect(),
            v => vec![v],
        };
        for v in values {
            for problem in param.checks.iter().filter_map(|c| validate::check_value(c, v)) {
                let detail = format!("{} {problem} (the list API's query parameter {}).", f.name, param.name);
                diag(diags, "Invalid filter", detail, AttributePath::new(f.name));
            }
        }
    }
}

fn scope_words(def: &ResourceDef, config: &TfValue) -> String {
    def.scope.iter().filter_map(|s| as_str(get(config, s)).map(|v| format!(" in {s} {v:?}"))).collect()
}

#[async_trait]
impl<H: Hooks> DataSource for Single<H> {
    fn schema(&self) -> Schema {
        single_schema(self.0.def())
    }

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()> {
        let def = self.0.def();
        let set = |n: &str| !matches!(get(&config, n), TfValue::Null);
        if set("id") && set(def.identity) {
            let detail = format!("Set either `id` or `{}`, not both.", def.identity);
            diag(diags, "Conflicting lookups", detail, AttributePath::new(def.identity));
        }
        for scope in def.scope {
            if set(def.identity) && !set(scope) {
                let detail = format!("A lookup by `{}` needs `{scope}`.", def.identity);
                diag(diags, format!("Missing {scope}"), detail, AttributePath::new(*scope));
            }
        }
        checked_arguments(diags, def, &config, &lookup_args(def));
        timeouts_problems(diags, &config);
        Some(())
    }

    async fn read(&self, diags: &mut Diagnostics, config: TfValue) -> Option<TfValue> {
        self.0.read_one(diags, &config).await
    }
}

#[async_trait]
impl<H: Hooks> DataSource for List<H> {
    fn schema(&self) -> Schema {
        list_schema(self.0.def())
    }

    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()> {
        let def = self.0.def();
        let names: Vec<&str> = def.listing.filters.iter().map(|f| f.name).collect();
        checked_arguments(diags, def, &config, &names);
        checked_filters(diags, def, &config);
        timeouts_problems(diags, &config);
        Some(())
    }

    async fn read(&self, diags: &mut Diagnostics, config: TfValue) -> Option<TfValue> {
        self.0.read_list(diags, &config).await
    }
}

/// The data sources of one resource, keyed by type name without the provider prefix.
pub fn sources<H: Hooks + Clone>(
    hooks: H,
    state: &Arc<ProviderState>,
) -> Vec<(String, Arc<dyn tfplugin::framework::DataSource>)> {
    let engine = Arc::new(Engine::new(hooks, state.clone()));
    let name = engine.def().name;
    // A resource without a list attribute has no data sources.
    if engine.def().listing.attribute.is_empty() {
        return vec![];
    }
    vec![
        (name.to_string(), Arc::new(Single(engine.clone())) as Arc<dyn tfplugin::framework::DataSource>),
        (format!("{name}s"), Arc::new(List(engine))),
    ]
}
