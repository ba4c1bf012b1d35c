//! Data sources that read what a service offers (the flavors on sale, the zones) rather than objects a
//! resource manages. Each is a static table: its call, its filters (each a query parameter of the call
//! or a rule matched here on the attributes read) and its attributes, read from the answer by the field
//! tables' machinery. The schema, the docs and the read all come from that one table.

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use serde_json::Value as Json;
use tfplugin::framework::TfValue;
use tfplugin::framework::{AttributeConstraint, AttributeType, Schema};
use tfplugin::framework::{AttributePath, DataSource, Diagnostics};

use hwapi::contract::Op;

use super::ctx::{deadline_in, Ctx};
use super::data_source::{attribute, data_schema};
use super::diag::{diag, failed};
use super::error::{garbled, Error};
use super::field::{Field, Read};
use super::lifecycle::timeouts_problems;
use super::reading::{state_from_api, Garbled};
use super::schema::{attr_type, timeouts_path};
use super::state::ProviderState;
use super::timeouts::Timeouts;
use super::validate::check_value;
use super::value::{as_str, get, Obj, NULL};
use crate::client::Call;

/// One catalog data source.
#[derive(Debug)]
pub struct Catalog {
    /// The type name without the provider prefix (`dms_kafka_flavors`).
    pub name: &'static str,
    /// What one item is, in words (`Kafka flavor`).
    pub noun: &'static str,
    pub description: &'static str,
    /// The call: a list (`Op::items` names the answer's member that holds the items).
    pub op: &'static Op,
    pub filters: &'static [Filter],
    /// The attribute that lists the items (an object list): each item is read on its own, so the
    /// `Read::Path`s of its fields start at the item.
    pub items: Field,
    /// Further attributes, read from the whole answer.
    pub fields: &'static [Field],
    /// Item attributes (lists) the answer gives as comma-separated text (`"2.7,3.x"`).
    pub comma_lists: &'static [&'static str],
}

/// One filter: an optional string argument.
#[derive(Debug)]
pub struct Filter {
    pub name: &'static str,
    pub desc: &'static str,
    pub rule: Match,
}

/// How a filter picks items.
#[derive(Debug, Clone, Copy)]
pub enum Match {
    /// Sent as the call's query parameter of the same name (the service picks).
    Query,
    /// An item that passes the test.
    Item(Test),
    /// An item with an element of its object list attribute (named here) that passes the test; the
    /// filters on one list are met by one element together.
    Element(&'static str, Test),
}

/// A test of one attribute of an object (an item, or an element of one of its lists).
#[derive(Debug, Clone, Copy)]
pub enum Test {
    /// The string attribute is the value.
    Equals(&'static str),
    /// The list attribute contains the value.
    Contains(&'static str),
}

/// A catalog's reads take the data sources' default read timeout.
const TIMEOUTS: Timeouts = Timeouts::minutes(0, 0, 0);

impl Filter {
    /// The description with how the filter picks, in words.
    pub fn description(&self, catalog: &Catalog) -> String {
        let test = |t: &Test| match t {
            Test::Equals(a) => format!("whose `{a}` is this value"),
            Test::Contains(a) => format!("whose `{a}` contains this value"),
        };
        let how = match &self.rule {
            Match::Query => format!("Sent as the query parameter `{}` of `{}`.", self.name, catalog.op.label()),
            Match::Item(t) => format!("Keeps the {}s {}.", catalog.noun, test(t)),
            Match::Element(list, t) => format!(
                "Keeps the {}s with an element of `{list}` {} (filters on `{list}` must hold for the same element).",
                catalog.noun,
                test(t)
            ),
        };
        format!("{} {how}", self.desc)
    }
}

fn passes(test: &Test, obj: &TfValue, value: &str) -> bool {
    match test {
        Test::Equals(a) => as_str(get(obj, a)) == Some(value),
        Test::Contains(a) => matches!(get(obj, a), TfValue::List(l) if l.iter().any(|x| as_str(x) == Some(value))),
    }
}

/// Does `item` (its attributes as read) meet every filter given, (filter, value)? Query filters were
/// the service's to apply.
pub fn matches(given: &[(&Filter, &str)], item: &TfValue) -> bool {
    let on_item = given.iter().all(|(f, v)| match &f.rule {
        Match::Item(t) => passes(t, item, v),
        _ => true,
    });
    let mut lists: Vec<&str> = given
        .iter()
        .filter_map(|(f, _)| match f.rule {
            Match::Element(list, _) => Some(list),
            _ => None,
        })
        .collect();
    lists.sort_unstable();
    lists.dedup();
    on_item
        && lists.iter().all(|list| {
            let elements = match get(item, list) {
                TfValue::List(l) => l.as_slice(),
                _ => &[],
            };
            elements.iter().any(|e| {
                given.iter().all(|(f, v)| match &f.rule {
                    Match::Element(l, t) if l == list => passes(t, e, v),
                    _ => true,
                })
            })
        })
}

/// The filters the configuration sets, with their values.
fn given<'c>(catalog: &'static Catalog, config: &'c TfValue) -> Vec<(&'static Filter, &'c str)> {
    catalog.filters.iter().filter_map(|f| Some((f, as_str(get(config, f.name))?))).collect()
}

/// The place in an item of a field that reads at `Read::Path` or at its API name.
fn api_path(f: &Field) -> String {
    match f.read {
        Read::Path(p) => p.to_string(),
        _ => f.api_name().to_string(),
    }
}

/// `item` with each of the comma-separated lists turned into a JSON list (other values are left for
/// the reading to judge).
fn split_lists(catalog: &Catalog, mut item: Json) -> Json {
    let nested = catalog.items.nested().unwrap_or_default();
    for f in nested.iter().filter(|f| catalog.comma_lists.contains(&f.name)) {
        let path = api_path(f);
        let member = path.split('.').try_fold(&mut item, |cur, step| cur.get_mut(step));
        if let Some(v) = member {
            if let Some(text) = v.as_str() {
                let parts = text.split(',').map(str::trim).filter(|p| !p.is_empty()).map(Json::from).collect();
                *v = Json::Array(parts);
            }
        }
    }
    item
}

/// Every attribute of a catalog from the call's answer, with all its items (before the filters).
/// What does not fit is an error naming the call and the member (`products[1].properties.max_broker`).
pub fn attributes(catalog: &Catalog, answer: &Json) -> Result<Obj, Error> {
    let op = catalog.op;
    let mut out = state_from_api(catalog.fields, answer, &NULL).map_err(|g| garbled(op, g))?;
    let Some(Json::Array(listed)) = answer.get(op.items) else {
        let found = answer.get(op.items).map_or("no such member".into(), hwapi::contract::describe);
        return Err(Error::Message(format!("{}: expected the list {:?}, found {found}", op.label(), op.items)));
    };
    let nested = catalog.items.nested().unwrap_or_default();
    let mut items = Vec::new();
    for (i, item) in listed.iter().enumerate() {
        let at = |g: Garbled| Garbled { member: format!("{}[{i}].{}", op.items, g.member), ..g };
        if !item.is_object() {
            let found = hwapi::contract::describe(item);
            let member = format!("{}[{i}]", op.items);
            return Err(garbled(op, Garbled { member, found, expected: "an object" }));
        }
        let obj = state_from_api(nested, &split_lists(catalog, item.clone()), &NULL).map_err(|g| garbled(op, at(g)))?;
        items.push(TfValue::Map(obj));
    }
    out.insert(catalog.items.name.to_string(), TfValue::List(items));
    Ok(out)
}

/// The catalog as the configuration's filters pick it: the call (with the query filters), its
/// attributes, the items that meet the other filters, and the data source's `id`.
pub async fn read(catalog: &'static Catalog, ctx: &Ctx, config: &TfValue) -> Result<Obj, Error> {
    let given = given(catalog, config);
    let mut call = Call::to(catalog.op);
    for (f, v) in given.iter().filter(|(f, _)| matches!(f.rule, Match::Query)) {
        call = call.query(f.name, *v);
    }
    let answer = ctx.send(call).await?.body;
    let mut out = attributes(catalog, &answer)?;
    if let Some(TfValue::List(items)) = out.get_mut(catalog.items.name) {
        items.retain(|item| matches(&given, item));
    }
    let digest: Vec<String> =
        catalog.filters.iter().map(|f| format!("{}={}", f.name, get(config, f.name).to_json())).collect();
    out.insert("id".into(), TfValue::String(format!("{}:{}", catalog.name, digest.join("&"))));
    Ok(out)
}

/// The data source's schema: the filters, the attributes read, `id` and `timeouts { read }`.
pub fn schema(catalog: &Catalog) -> Schema {
    let mut attributes: HashMap<_, _> = catalog
        .filters
        .iter()
        .map(|f| {
            (
                f.name.to_string(),
                attribute(AttributeType::String, &f.description(catalog), AttributeConstraint::Optional),
            )
        })
        .collect();
    for f in std::iter::once(&catalog.items).chain(catalog.fields) {
        attributes.insert(f.name.to_string(), attribute(attr_type(f), f.desc, AttributeConstraint::Computed));
    }
    let id = match catalog.filters.first() {
        Some(f) => format!(
            "The data source's name followed by its filters as text, e.g. `{}:{}=\"...\"&...`.",
            catalog.name, f.name
        ),
        None => format!("The data source's name, `{}:`.", catalog.name),
    };
    attributes.insert("id".into(), attribute(AttributeType::String, &id, AttributeConstraint::Computed));
    data_schema(attributes, catalog.description.to_string(), &TIMEOUTS)
}

/// A catalog data source of a provider.
pub struct CatalogSource {
    pub catalog: &'static Catalog,
    pub state: Arc<ProviderState>,
}

impl CatalogSource {
    fn ctx(&self, diags: &mut Diagnostics, config: &TfValue) -> Option<Ctx> {
        let timeout = match TIMEOUTS.for_op(config, "read") {
            Ok(t) => t,
            Err(e) => {
                let path = timeouts_path(config).attribute("read".to_string());
                diag(diags, "Invalid timeout", format!("{e}. Nothing was sent to the API."), path);
                return None;
            }
        };
        let Some(client) = self.state.client() else {
            let detail = "The huaweicloud provider was used before it was configured.";
            diag(diags, "Provider not configured", detail, AttributePath::root());
            return None;
        };
        Some(Ctx::new(client, deadline_in(timeout)))
    }
}

#[async_trait]
impl DataSource for CatalogSource {
    fn schema(&self) -> Schema {
        schema(self.catalog)
    }

    /// A filter sent as a query parameter is held to that parameter's checks at plan.
    async fn validate(&self, diags: &mut Diagnostics, config: TfValue) -> Option<()> {
        let op = self.catalog.op;
        for f in self.catalog.filters.iter().filter(|f| matches!(f.rule, Match::Query)) {
            let Some(param) = op.query.iter().find(|p| p.name == f.name) else { continue };
            for problem in param.checks.iter().filter_map(|c| check_value(c, get(&config, f.name))) {
                let detail = format!("{} {problem} (the query parameter {} of {}).", f.name, param.name, op.label());
                diag(diags, "Invalid filter", detail, AttributePath::new(f.name));
            }
        }
        timeouts_problems(diags, &config);
        Some(())
    }

    async fn read(&self, diags: &mut Diagnostics, config: TfValue) -> Option<TfValue> {
        let ctx = self.ctx(diags, &config)?;
        match read(self.catalog, &ctx, &config).await {
            Ok(read) => {
                let mut out = match config {
                    TfValue::Map(m) => m,
                    _ => Obj::new(),
                };
                out.extend(read);
                Some(TfValue::Map(out))
            }
            Err(e) => {
                failed(diags, &format!("reading huaweicloud_{}", self.catalog.name), &e, "");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests;
