//! A provider with a schema (an empty provider block, one resource with a string attribute) and no
//! other RPC but StopProvider, which it answers with the marker "stopped": what a client needs to see that
//! it reached the provider. Implementing the generated trait, it compiles only with every RPC of protocol 6.8.

use tfplugin::proto::tfplugin6::provider_server::Provider;
use tfplugin::proto::tfplugin6::*;
use tfplugin::value::Type;
use tonic::{Request, Response, Status};

type Answer<T> = Result<Response<T>, Status>;

pub struct SchemaProvider;

fn unimplemented(rpc: &str) -> Status {
    Status::unimplemented(rpc)
}

#[tonic::async_trait]
impl Provider for SchemaProvider {
    async fn get_metadata(&self, _: Request<get_metadata::Request>) -> Answer<get_metadata::Response> {
        Err(unimplemented("GetMetadata"))
    }
    async fn get_provider_schema(
        &self,
        _: Request<get_provider_schema::Request>,
    ) -> Answer<get_provider_schema::Response> {
        let name = schema::Attribute {
            name: "name".into(),
            r#type: Type::String.to_json(),
            required: true,
            ..Default::default()
        };
        let block = |attributes| Schema { version: 0, block: Some(schema::Block { attributes, ..Default::default() }) };
        Ok(Response::new(get_provider_schema::Response {
            provider: Some(block(Vec::new())),
            resource_schemas: [("test_thing".to_string(), block(vec![name]))].into(),
            ..Default::default()
        }))
    }
    async fn validate_provider_config(
        &self,
        _: Request<validate_provider_config::Request>,
    ) -> Answer<validate_provider_config::Response> {
        Err(unimplemented("ValidateProviderConfig"))
    }
    async fn validate_resource_config(
        &self,
        _: Request<validate_resource_config::Request>,
    ) -> Answer<validate_resource_config::Response> {
        Err(unimplemented("ValidateResourceConfig"))
    }
    async fn validate_data_resource_config(
        &self,
        _: Request<validate_data_resource_config::Request>,
    ) -> Answer<validate_data_resource_config::Response> {
        Err(unimplemented("ValidateDataResourceConfig"))
    }
    async fn upgrade_resource_state(
        &self,
        _: Request<upgrade_resource_state::Request>,
    ) -> Answer<upgrade_resource_state::Response> {
        Err(unimplemented("UpgradeResourceState"))
    }
    async fn configure_provider(
        &self,
        _: Request<configure_provider::Request>,
    ) -> Answer<configure_provider::Response> {
        Err(unimplemented("ConfigureProvider"))
    }
    async fn read_resource(&self, _: Request<read_resource::Request>) -> Answer<read_resource::Response> {
        Err(unimplemented("ReadResource"))
    }
    async fn plan_resource_change(
        &self,
        _: Request<plan_resource_change::Request>,
    ) -> Answer<plan_resource_change::Response> {
        Err(unimplemented("PlanResourceChange"))
    }
    async fn apply_resource_change(
        &self,
        _: Request<apply_resource_change::Request>,
    ) -> Answer<apply_resource_change::Response> {
        Err(unimplemented("ApplyResourceChange"))
    }
    async fn import_resource_state(
        &self,
        _: Request<import_resource_state::Request>,
    ) -> Answer<import_resource_state::Response> {
        Err(unimplemented("ImportResourceState"))
    }
    async fn move_resource_state(
        &self,
        _: Request<move_resource_state::Request>,
    ) -> Answer<move_resource_state::Response> {
        Err(unimplemented("MoveResourceState"))
    }
    async fn read_data_source(&self, _: Request<read_data_source::Request>) -> Answer<read_data_source::Response> {
        Err(unimplemented("ReadDataSource"))
    }
    async fn validate_ephemeral_resource_config(
        &self,
        _: Request<validate_ephemeral_resource_config::Request>,
    ) -> Answer<validate_ephemeral_resource_config::Response> {
        Err(unimplemented("ValidateEphemeralResourceConfig"))
    }
    async fn open_ephemeral_resource(
        &self,
        _: Request<open_ephemeral_resource::Request>,
    ) -> Answer<open_ephemeral_resource::Response> {
        Err(unimplemented("OpenEphemeralResource"))
    }
    async fn renew_ephemeral_resource(
        &self,
        _: Request<renew_ephemeral_resource::Request>,
    ) -> Answer<renew_ephemeral_resource::Response> {
        Err(unimplemented("RenewEphemeralResource"))
    }
    async fn close_ephemeral_resource(
        &self,
        _: Request<close_ephemeral_resource::Request>,
    ) -> Answer<close_ephemeral_resource::Response> {
        Err(unimplemented("CloseEphemeralResource"))
    }
    async fn get_functions(&self, _: Request<get_functions::Request>) -> Answer<get_functions::Response> {
        Err(unimplemented("GetFunctions"))
    }
    async fn call_function(&self, _: Request<call_function::Request>) -> Answer<call_function::Response> {
        Err(unimplemented("CallFunction"))
    }
    async fn stop_provider(&self, _: Request<stop_provider::Request>) -> Answer<stop_provider::Response> {
        Ok(Response::new(stop_provider::Response { error: "stopped".into() }))
    }
}
