//! The generated services have the published RPCs: a provider implementing the generated trait must have
//! every method of protocol 6.8, the descriptor set names exactly the published methods, and a served stub
//! answers at the paths Terraform's client calls.

mod common;

use common::schema_provider::SchemaProvider;
use prost::Message;
use prost_types::{FileDescriptorProto, FileDescriptorSet, ServiceDescriptorProto};
use tfplugin::proto::health::health_client::HealthClient;
use tfplugin::proto::health::health_server::{Health, HealthServer};
use tfplugin::proto::health::{health_check_response::ServingStatus, HealthCheckRequest, HealthCheckResponse};
use tfplugin::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tfplugin::proto::plugin::grpc_controller_server::{GrpcController, GrpcControllerServer};
use tfplugin::proto::plugin::Empty;
use tfplugin::proto::tfplugin6::provider_client::ProviderClient;
use tfplugin::proto::tfplugin6::provider_server::ProviderServer;
use tfplugin::proto::tfplugin6::*;
use tokio::sync::oneshot;
use tonic::{Request, Response, Status};

/// The RPCs of `tfplugin6.Provider` in protocol 6.8, in the published order.
const PROVIDER_RPCS: [&str; 20] = [
    "GetMetadata",
    "GetProviderSchema",
    "ValidateProviderConfig",
    "ValidateResourceConfig",
    "ValidateDataResourceConfig",
    "UpgradeResourceState",
    "ConfigureProvider",
    "ReadResource",
    "PlanResourceChange",
    "ApplyResourceChange",
    "ImportResourceState",
    "MoveResourceState",
    "ReadDataSource",
    "ValidateEphemeralResourceConfig",
    "OpenEphemeralResource",
    "RenewEphemeralResource",
    "CloseEphemeralResource",
    "GetFunctions",
    "CallFunction",
    "StopProvider",
];

type Answer<T> = Result<Response<T>, Status>;

/// The go-plugin controller and health services of the served stub.
struct Stub;

#[tonic::async_trait]
impl GrpcController for Stub {
    async fn shutdown(&self, _: Request<Empty>) -> Answer<Empty> {
        Ok(Response::new(Empty {}))
    }
}

#[tonic::async_trait]
impl Health for Stub {
    async fn check(&self, request: Request<HealthCheckRequest>) -> Answer<HealthCheckResponse> {
        let status = match request.into_inner().service.as_str() {
            "plugin" => ServingStatus::Serving,
            _ => ServingStatus::ServiceUnknown,
        };
        Ok(Response::new(HealthCheckResponse { status: status as i32 }))
    }
    type WatchStream = tonic::codegen::tokio_stream::Empty<Result<HealthCheckResponse, Status>>;
    async fn watch(&self, _: Request<HealthCheckRequest>) -> Answer<Self::WatchStream> {
        Err(Status::unimplemented("Watch"))
    }
}

fn descriptors() -> FileDescriptorSet {
    FileDescriptorSet::decode(tfplugin::proto::FILE_DESCRIPTOR_SET).expect("the descriptor set decodes")
}

fn file<'a>(set: &'a FileDescriptorSet, package: &str) -> &'a FileDescriptorProto {
    set.file.iter().find(|f| f.package() == package).unwrap_or_else(|| panic!("no file for {package}"))
}

fn service<'a>(file: &'a FileDescriptorProto, name: &str) -> &'a ServiceDescriptorProto {
    file.service.iter().find(|s| s.name() == name).unwrap_or_else(|| panic!("no service {name}"))
}

fn method_names(service: &ServiceDescriptorProto) -> Vec<&str> {
    service.method.iter().map(|m| m.name()).collect()
}

#[test]
fn the_provider_service_has_exactly_the_published_rpcs() {
    let set = descriptors();
    let provider = service(file(&set, "tfplugin6"), "Provider");
    assert_eq!(method_names(provider), PROVIDER_RPCS);
    for method in &provider.method {
        assert_eq!(method.input_type(), format!(".tfplugin6.{}.Request", method.name()));
        assert_eq!(method.output_type(), format!(".tfplugin6.{}.Response", method.name()));
        assert!(!method.client_streaming() && !method.server_streaming(), "{} is unary", method.name());
    }
    assert_eq!(tfplugin::proto::tfplugin6::provider_server::SERVICE_NAME, "tfplugin6.Provider");
    assert_eq!(tfplugin::proto::PROTOCOL_VERSION, (6, 8));
}

#[test]
fn write_only_is_field_eleven_of_an_attribute() {
    use prost_types::field_descriptor_proto::Type;
    let set = descriptors();
    let schema = file(&set, "tfplugin6").message_type.iter().find(|m| m.name() == "Schema").expect("Schema");
    let attribute = schema.nested_type.iter().find(|m| m.name() == "Attribute").expect("Attribute");
    let write_only = attribute.field.iter().find(|f| f.name() == "write_only").expect("write_only");
    assert_eq!((write_only.number(), write_only.r#type()), (11, Type::Bool));
}

#[test]
fn the_go_plugin_and_health_services_have_their_rpcs() {
    let set = descriptors();
    let plugin = file(&set, "plugin");
    assert_eq!(method_names(service(plugin, "GRPCController")), ["Shutdown"]);
    assert_eq!(method_names(service(plugin, "GRPCStdio")), ["StreamStdio"]);
    assert_eq!(method_names(service(plugin, "GRPCBroker")), ["StartStream"]);
    let stdio = &service(plugin, "GRPCStdio").method[0];
    assert_eq!((stdio.input_type(), stdio.server_streaming()), (".google.protobuf.Empty", true));
    let health = service(file(&set, "grpc.health.v1"), "Health");
    assert_eq!(method_names(health), ["Check", "Watch"]);
    assert_eq!(tfplugin::proto::plugin::grpc_controller_server::SERVICE_NAME, "plugin.GRPCController");
    assert_eq!(tfplugin::proto::plugin::grpc_stdio_server::SERVICE_NAME, "plugin.GRPCStdio");
    assert_eq!(tfplugin::proto::health::health_server::SERVICE_NAME, "grpc.health.v1.Health");
}

#[tokio::test]
async fn a_served_stub_answers_at_the_protocols_paths() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds on loopback");
    let address = listener.local_addr().expect("has an address");
    let incoming = tonic::transport::server::TcpIncoming::from_listener(listener, true, None).expect("incoming");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(ProviderServer::new(SchemaProvider))
            .add_service(GrpcControllerServer::new(Stub))
            .add_service(HealthServer::new(Stub))
            .serve_with_incoming_shutdown(incoming, async {
                stopped.await.ok();
            }),
    );

    let endpoint = format!("http://{address}");
    let mut provider = ProviderClient::connect(endpoint.clone()).await.expect("connects");
    let stop_answer = provider.stop_provider(stop_provider::Request {}).await.expect("StopProvider answers");
    assert_eq!(stop_answer.into_inner().error, "stopped");
    // The stub's own Unimplemented (named) rather than the router's (unnamed): the path reached the stub.
    let metadata = provider.get_metadata(get_metadata::Request {}).await.expect_err("stub refuses");
    assert_eq!((metadata.code(), metadata.message()), (tonic::Code::Unimplemented, "GetMetadata"));

    let mut health = HealthClient::connect(endpoint.clone()).await.expect("connects");
    let ping = health.check(HealthCheckRequest { service: "plugin".into() }).await.expect("Check answers");
    assert_eq!(ping.into_inner().status, ServingStatus::Serving as i32);

    let mut controller = GrpcControllerClient::connect(endpoint).await.expect("connects");
    controller.shutdown(Empty {}).await.expect("Shutdown answers");

    stop.send(()).expect("server still running");
    server.await.expect("server task").expect("server ends cleanly");
}
