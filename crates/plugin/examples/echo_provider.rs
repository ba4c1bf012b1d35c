//! A minimal provider on this crate, for trying the server with the real Terraform: one resource,
//! `echo_thing`, with a required string `value` and a computed `id`, kept only in Terraform's state.
//!
//! Install it with `dev_overrides` for a provider source such as "local/echo", under the binary name
//! `terraform-provider-echo`.

// The helpers fail with the RPC's own error, tonic's `Status`, which every method returns anyway.
#![allow(clippy::result_large_err)]

use tfplugin::diagnostics;
use tfplugin::proto::tfplugin6::provider_server::Provider;
use tfplugin::proto::tfplugin6::*;
use tfplugin::server::{serve, ServeOptions, StopSignal};
use tfplugin::value::{from_json, from_msgpack, to_msgpack, Type, Value};
use tonic::{Request, Response, Status};

const RESOURCE: &str = "echo_thing";

type Answer<T> = Result<Response<T>, Status>;

fn resource_type() -> Type {
    Type::object([("id", Type::String), ("value", Type::String)])
}

fn attribute(name: &str, required: bool, computed: bool) -> schema::Attribute {
    schema::Attribute { name: name.into(), r#type: Type::String.to_json(), required, computed, ..Default::default() }
}

fn schema(attributes: Vec<schema::Attribute>) -> Schema {
    Schema { version: 0, block: Some(schema::Block { attributes, ..Default::default() }) }
}

/// The value of a `DynamicValue` of the resource's type (msgpack, or JSON where Terraform sends that).
fn decode(value: Option<DynamicValue>) -> Result<Value, Status> {
    let value = value.unwrap_or_default();
    let decoded = if value.msgpack.is_empty() && !value.json.is_empty() {
        from_json(&value.json, &resource_type())
    } else {
        from_msgpack(&value.msgpack, &resource_type())
    };
    decoded.map_err(|e| Status::invalid_argument(e.to_string()))
}

fn encode(value: &Value) -> Result<Option<DynamicValue>, Status> {
    let msgpack = to_msgpack(value, &resource_type()).map_err(|e| Status::internal(e.to_string()))?;
    Ok(Some(DynamicValue { msgpack, json: Vec::new() }))
}

fn unknown_resource(type_name: &str) -> Status {
    Status::invalid_argument(format!("this provider has no resource {type_name:?}"))
}

struct Echo {
    /// Set by StopProvider; nothing here runs long enough to need it, but it is where a provider would.
    stop: StopSignal,
}

#[tonic::async_trait]
impl Provider for Echo {
    async fn get_metadata(&self, _: Request<get_metadata::Request>) -> Answer<get_metadata::Response> {
        Ok(Response::new(get_metadata::Response {
            resources: vec![get_metadata::ResourceMetadata { type_name: RESOURCE.into() }],
            ..Default::default()
        }))
    }
    async fn get_provider_schema(
        &self,
        _: Request<get_provider_schema::Request>,
    ) -> Answer<get_provider_schema::Response> {
        let resource = schema(vec![attribute("id", false, true), attribute("value", true, false)]);
        Ok(Response::new(get_provider_schema::Response {
            provider: Some(schema(Vec::new())),
            resource_schemas: [(RESOURCE.to_string(), resource)].into(),
            ..Default::default()
        }))
    }
    async fn validate_provider_config(
        &self,
        _: Request<validate_provider_config::Request>,
    ) -> Answer<validate_provider_config::Response> {
        Ok(Response::new(Default::default()))
    }
    async fn validate_resource_config(
        &self,
        request: Request<validate_resource_config::Request>,
    ) -> Answer<validate_resource_config::Response> {
        let request = request.into_inner();
        if request.type_name != RESOURCE {
            return Err(unknown_resource(&request.type_name));
        }
        let config = decode(request.config)?;
        let mut diagnostics = Vec::new();
        if config.attr("value").and_then(Value::as_str) == Some("") {
            use diagnostics::AtAttribute;
            diagnostics
                .push(diagnostics::error("Empty value", "value must not be empty").at(diagnostics::attribute("value")));
        }
        Ok(Response::new(validate_resource_config::Response { diagnostics }))
    }
    async fn validate_data_resource_config(
        &self,
        request: Request<validate_data_resource_config::Request>,
    ) -> Answer<validate_data_resource_config::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn upgrade_resource_state(
        &self,
        request: Request<upgrade_resource_state::Request>,
    ) -> Answer<upgrade_resource_state::Response> {
        let raw = request.into_inner().raw_state.unwrap_or_default();
        let state = from_json(&raw.json, &resource_type()).map_err(|e| Status::invalid_argument(e.to_string()))?;
        Ok(Response::new(upgrade_resource_state::Response { upgraded_state: encode(&state)?, diagnostics: vec![] }))
    }
    async fn configure_provider(
        &self,
        _: Request<configure_provider::Request>,
    ) -> Answer<configure_provider::Response> {
        Ok(Response::new(Default::default()))
    }
    async fn read_resource(&self, request: Request<read_resource::Request>) -> Answer<read_resource::Response> {
        let request = request.into_inner();
        Ok(Response::new(read_resource::Response {
            new_state: encode(&decode(request.current_state)?)?,
            private: request.private,
            ..Default::default()
        }))
    }
    async fn plan_resource_change(
        &self,
        request: Request<plan_resource_change::Request>,
    ) -> Answer<plan_resource_change::Response> {
        let request = request.into_inner();
        let prior = decode(request.prior_state)?;
        let proposed = decode(request.proposed_new_state)?;
        let planned = match (&prior, &proposed) {
            (_, Value::Null) => Value::Null,
            // A new thing: its id is known after apply.
            (Value::Null, proposed) => Value::object([
                ("id", Value::Unknown),
                ("value", proposed.attr("value").cloned().unwrap_or(Value::Null)),
            ]),
            // The value changes in place; the id stays.
            (prior, proposed) => Value::object([
                ("id", prior.attr("id").cloned().unwrap_or(Value::Unknown)),
                ("value", proposed.attr("value").cloned().unwrap_or(Value::Null)),
            ]),
        };
        Ok(Response::new(plan_resource_change::Response { planned_state: encode(&planned)?, ..Default::default() }))
    }
    async fn apply_resource_change(
        &self,
        request: Request<apply_resource_change::Request>,
    ) -> Answer<apply_resource_change::Response> {
        let planned = decode(request.into_inner().planned_state)?;
        let new_state = match planned.attr("id") {
            None => Value::Null,
            Some(Value::Unknown) => {
                let value = planned.attr("value").and_then(Value::as_str).unwrap_or_default();
                Value::object([("id", Value::String(format!("echo-{value}"))), ("value", Value::String(value.into()))])
            }
            Some(_) => planned,
        };
        Ok(Response::new(apply_resource_change::Response { new_state: encode(&new_state)?, ..Default::default() }))
    }
    async fn import_resource_state(
        &self,
        _: Request<import_resource_state::Request>,
    ) -> Answer<import_resource_state::Response> {
        Err(Status::unimplemented("echo_thing cannot be imported"))
    }
    async fn move_resource_state(
        &self,
        _: Request<move_resource_state::Request>,
    ) -> Answer<move_resource_state::Response> {
        Err(Status::unimplemented("MoveResourceState"))
    }
    async fn read_data_source(
        &self,
        request: Request<read_data_source::Request>,
    ) -> Answer<read_data_source::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn validate_ephemeral_resource_config(
        &self,
        request: Request<validate_ephemeral_resource_config::Request>,
    ) -> Answer<validate_ephemeral_resource_config::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn open_ephemeral_resource(
        &self,
        request: Request<open_ephemeral_resource::Request>,
    ) -> Answer<open_ephemeral_resource::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn renew_ephemeral_resource(
        &self,
        request: Request<renew_ephemeral_resource::Request>,
    ) -> Answer<renew_ephemeral_resource::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn close_ephemeral_resource(
        &self,
        request: Request<close_ephemeral_resource::Request>,
    ) -> Answer<close_ephemeral_resource::Response> {
        Err(unknown_resource(&request.into_inner().type_name))
    }
    async fn get_functions(&self, _: Request<get_functions::Request>) -> Answer<get_functions::Response> {
        Ok(Response::new(Default::default()))
    }
    async fn call_function(&self, _: Request<call_function::Request>) -> Answer<call_function::Response> {
        Err(Status::unimplemented("this provider has no functions"))
    }
    async fn stop_provider(&self, _: Request<stop_provider::Request>) -> Answer<stop_provider::Response> {
        self.stop.stop();
        Ok(Response::new(stop_provider::Response { error: String::new() }))
    }
}

#[tokio::main]
async fn main() {
    if let Err(e) = serve(Echo { stop: StopSignal::new() }, ServeOptions::default()).await {
        eprintln!("terraform-provider-echo: {e}");
        std::process::exit(1);
    }
}
