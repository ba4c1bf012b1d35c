//! The service over a small provider: what Terraform gets back from each call.

use std::sync::Arc;

use serde_json::Value as Json;
use tonic::Request;

use super::codec::decode;
use super::diags::{AttributePath, Diagnostics};
use super::schema::{Attribute, AttributeConstraint as C, AttributeType as T, Block, Description, Schema};
use super::service::ProviderServer;
use super::traits::{DataSource, Provider, Resource};
use super::value::TfValue;
use crate::proto::tfplugin6::provider_server::Provider as _;
use crate::proto::tfplugin6::*;
use crate::value::{to_msgpack, Type, Value};

struct Thing;

fn m(pairs: &[(&str, TfValue)]) -> TfValue {
    TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn s(v: &str) -> TfValue {
    TfValue::String(v.into())
}

#[tonic::async_trait]
impl Resource for Thing {
    fn schema(&self) -> Schema {
        let mut block = Block::default();
        block.attributes.insert("id".into(), Attribute::new(T::String, C::Computed, Description::plain("id")));
        block.attributes.insert("name".into(), Attribute::new(T::String, C::Required, Description::plain("n")));
        let secret = Attribute { write_only: true, ..Attribute::new(T::String, C::Optional, Description::plain("s")) };
        block.attributes.insert("secret_wo".into(), secret);
        Schema { version: 1, block }
    }
    async fn validate(&self, _: &mut Diagnostics, _: TfValue) -> Option<()> {
        Some(())
    }
    /// "gone" is gone; anything else is read back with the secret it was given (which must not leave).
    async fn read(&self, _: &mut Diagnostics, state: TfValue, _: TfValue) -> Option<(TfValue, TfValue)> {
        let TfValue::Map(mut o) = state else { return None };
        if o.get("name") == Some(&s("gone")) {
            return None;
        }
        o.insert("secret_wo".into(), s("leaked?"));
        Some((TfValue::Map(o), m(&[("imported", TfValue::Bool(true))])))
    }
    async fn plan_create(&self, _: &mut Diagnostics, p: TfValue, _: TfValue) -> Option<(TfValue, TfValue)> {
        Some((p, TfValue::Null))
    }
    async fn plan_update(
        &self,
        _: &mut Diagnostics,
        _: TfValue,
        p: TfValue,
        _: TfValue,
        private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)> {
        Some((p, private, vec![AttributePath::new("name")]))
    }
    async fn plan_destroy(&self, _: &mut Diagnostics, _: TfValue, p: TfValue) -> Option<TfValue> {
        Some(p)
    }
    /// A name "misfit" creates an object whose state does not fit the schema.
    async fn create(
        &self,
        _: &mut Diagnostics,
        planned: TfValue,
        _: TfValue,
        _: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        let TfValue::Map(mut o) = planned else { return None };
        o.insert("id".into(), s("t-1"));
        if o.get("name") == Some(&s("misfit")) {
            o.insert("not_in_schema".into(), s("x"));
        }
        Some((TfValue::Map(o), TfValue::Null))
    }
    async fn update(
        &self,
        _: &mut Diagnostics,
        _: TfValue,
        p: TfValue,
        _: TfValue,
        q: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        Some((p, q))
    }
    async fn destroy(&self, d: &mut Diagnostics, _: TfValue, _: TfValue) -> Option<()> {
        d.root_error("Busy", "cannot delete now");
        None
    }
    async fn upgrade(&self, _: &mut Diagnostics, _: i64, mut raw: Json) -> Option<Json> {
        raw["name"] = Json::from("upgraded");
        Some(raw)
    }
}

struct Prov;

#[tonic::async_trait]
impl Provider for Prov {
    fn schema(&self) -> Schema {
        Schema::default()
    }
    async fn validate(&self, _: &mut Diagnostics, _: TfValue) {}
    async fn configure(&self, _: &mut Diagnostics, _: String, _: TfValue) {}
    fn resources(&self) -> Vec<(String, Arc<dyn Resource>)> {
        vec![("x_thing".into(), Arc::new(Thing))]
    }
    fn data_sources(&self) -> Vec<(String, Arc<dyn DataSource>)> {
        vec![]
    }
}

fn ty() -> Type {
    Thing.schema().block.to_type()
}

fn dv(v: Value) -> Option<DynamicValue> {
    Some(DynamicValue { msgpack: to_msgpack(&v, &ty()).unwrap(), json: vec![] })
}

fn obj(id: Value, name: &str, secret: Value) -> Value {
    Value::object([("id", id), ("name", Value::String(name.into())), ("secret_wo", secret)])
}

fn back(v: &Option<DynamicValue>) -> TfValue {
    decode(v.as_ref(), &ty()).unwrap()
}

#[tokio::test]
async fn write_only_values_never_come_back_and_a_gone_object_is_null() {
    let server = ProviderServer::new(Prov);
    let state = obj(Value::String("t-1".into()), "a", Value::Null);
    let read = server
        .read_resource(Request::new(read_resource::Request {
            type_name: "x_thing".into(),
            current_state: dv(state),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(back(&read.new_state), m(&[("id", s("t-1")), ("name", s("a")), ("secret_wo", TfValue::Null)]));
    assert_eq!(read.private, br#"{"imported":true}"#);
    let gone = obj(Value::String("t-1".into()), "gone", Value::Null);
    let request = read_resource::Request { type_name: "x_thing".into(), current_state: dv(gone), ..Default::default() };
    let read = server.read_resource(Request::new(request)).await.unwrap().into_inner();
    assert_eq!((back(&read.new_state), read.diagnostics.len()), (TfValue::Null, 0));

    // A plan never holds the write-only value Terraform proposed; the replace path is the attribute's.
    let plan = server
        .plan_resource_change(Request::new(plan_resource_change::Request {
            type_name: "x_thing".into(),
            prior_state: dv(obj(Value::String("t-1".into()), "a", Value::Null)),
            proposed_new_state: dv(obj(Value::String("t-1".into()), "b", Value::String("p".into()))),
            config: dv(obj(Value::Null, "b", Value::String("p".into()))),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(back(&plan.planned_state), m(&[("id", s("t-1")), ("name", s("b")), ("secret_wo", TfValue::Null)]));
    assert_eq!(plan.requires_replace.len(), 1);
}

#[tokio::test]
async fn a_created_object_that_does_not_fit_is_still_recorded_and_a_failed_destroy_keeps_it() {
    let server = ProviderServer::new(Prov);
    let apply = |prior: Value, planned: Value| apply_resource_change::Request {
        type_name: "x_thing".into(),
        prior_state: dv(prior),
        planned_state: dv(planned.clone()),
        config: dv(planned),
        ..Default::default()
    };
    let created = server
        .apply_resource_change(Request::new(apply(Value::Null, obj(Value::Unknown, "misfit", Value::Null))))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(back(&created.new_state), m(&[("id", s("t-1")), ("name", TfValue::Null), ("secret_wo", TfValue::Null)]));
    assert!(created.diagnostics[0].detail.contains("not_in_schema"), "{:?}", created.diagnostics);
    let kept = obj(Value::String("t-1".into()), "a", Value::Null);
    let destroyed = server.apply_resource_change(Request::new(apply(kept, Value::Null))).await.unwrap().into_inner();
    assert_eq!(back(&destroyed.new_state), m(&[("id", s("t-1")), ("name", s("a")), ("secret_wo", TfValue::Null)]));
    assert_eq!(destroyed.diagnostics[0].summary, "Busy");
}

/// The server's answer to UpgradeResourceState of a stored `x_thing` at `version`.
async fn upgrade(server: &ProviderServer<Prov>, version: i64, state: RawState) -> upgrade_resource_state::Response {
    let request = upgrade_resource_state::Request { type_name: "x_thing".into(), version, raw_state: Some(state) };
    server.upgrade_resource_state(Request::new(request)).await.unwrap().into_inner()
}

fn json(raw: &[u8]) -> RawState {
    RawState { json: raw.to_vec(), flatmap: Default::default() }
}

#[tokio::test]
async fn stored_objects_are_upgraded_without_the_attributes_of_removed_fields() {
    let server = ProviderServer::new(Prov);
    let raw = br#"{"id": "t-1", "name": "old", "removed_long_ago": 3, "secret_wo": "never"}"#;
    let up = upgrade(&server, 0, json(raw)).await;
    assert_eq!(back(&up.upgraded_state), m(&[("id", s("t-1")), ("name", s("upgraded")), ("secret_wo", TfValue::Null)]));
    // Today's version is decoded as it is, without the resource's upgrade.
    let current = br#"{"id": "t-1", "name": "kept", "secret_wo": "never"}"#;
    let up = upgrade(&server, 1, json(current)).await;
    assert_eq!(back(&up.upgraded_state), m(&[("id", s("t-1")), ("name", s("kept")), ("secret_wo", TfValue::Null)]));
    let flatmap = [("id".to_string(), "t-1".to_string())].into();
    let flat = upgrade(&server, 0, RawState { json: vec![], flatmap }).await;
    assert!(flat.upgraded_state.is_none() && flat.diagnostics[0].summary.contains("does not read"));
    // A move is refused by default, naming the source.
    let moved = server
        .move_resource_state(Request::new(move_resource_state::Request {
            source_provider_address: "registry.terraform.io/hashicorp/null".into(),
            source_type_name: "null_resource".into(),
            source_state: Some(json(b"{}")),
            target_type_name: "x_thing".into(),
            ..Default::default()
        }))
        .await
        .unwrap()
        .into_inner();
    assert!(moved.target_state.is_none() && moved.diagnostics[0].detail.contains("null_resource"));
}
