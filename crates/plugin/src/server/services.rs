//! The services go-plugin's client calls besides the provider: the controller (Shutdown), stdio, the
//! broker and gRPC's health check.

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};

use super::stop::StopSignal;
use crate::proto::health::health_check_response::ServingStatus;
use crate::proto::health::health_server::Health;
use crate::proto::health::{HealthCheckRequest, HealthCheckResponse};
use crate::proto::plugin::grpc_broker_server::GrpcBroker;
use crate::proto::plugin::grpc_controller_server::GrpcController;
use crate::proto::plugin::grpc_stdio_server::GrpcStdio;
use crate::proto::plugin::{ConnInfo, Empty, StdioData};

/// The service name go-plugin's ping asks the health service about.
pub const HEALTH_SERVICE: &str = "plugin";

/// A stream that sends nothing and ends when the server shuts down, so that graceful shutdown, which
/// waits for open streams, is not held up by it.
pub struct UntilShutdown<T> {
    stopped: Pin<Box<dyn Future<Output = ()> + Send>>,
    item: PhantomData<fn() -> T>,
}

fn until_shutdown<T>(shutdown: StopSignal) -> UntilShutdown<T> {
    UntilShutdown { stopped: Box::pin(async move { shutdown.stopped().await }), item: PhantomData }
}

impl<T> Stream for UntilShutdown<T> {
    type Item = Result<T, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.stopped.as_mut().poll(cx).map(|()| None)
    }
}

/// `plugin.GRPCController`, `plugin.GRPCStdio`, `plugin.GRPCBroker` and `grpc.health.v1.Health`.
#[derive(Clone)]
pub struct GoPluginServices {
    pub shutdown: StopSignal,
}

#[tonic::async_trait]
impl GrpcController for GoPluginServices {
    /// Terraform's client calls this when it is done with the plugin (and kills the process if it does
    /// not exit soon after): the server stops and `serve` returns.
    async fn shutdown(&self, _: Request<Empty>) -> Result<Response<Empty>, Status> {
        self.shutdown.stop();
        Ok(Response::new(Empty {}))
    }
}

#[tonic::async_trait]
impl GrpcStdio for GoPluginServices {
    type StreamStdioStream = UntilShutdown<StdioData>;

    /// The provider writes its logs to stderr itself, which Terraform reads; nothing is forwarded here.
    async fn stream_stdio(&self, _: Request<()>) -> Result<Response<Self::StreamStdioStream>, Status> {
        Ok(Response::new(until_shutdown(self.shutdown.clone())))
    }
}

#[tonic::async_trait]
impl GrpcBroker for GoPluginServices {
    type StartStreamStream = UntilShutdown<ConnInfo>;

    /// Terraform opens the broker's stream but never brokers a connection to a provider: the stream
    /// is accepted, its messages read and dropped.
    async fn start_stream(
        &self,
        request: Request<Streaming<ConnInfo>>,
    ) -> Result<Response<Self::StartStreamStream>, Status> {
        let mut incoming = request.into_inner();
        let shutdown = self.shutdown.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    message = incoming.message() => if !matches!(message, Ok(Some(_))) { break },
                    () = shutdown.stopped() => break,
                }
            }
        });
        Ok(Response::new(until_shutdown(self.shutdown.clone())))
    }
}

#[tonic::async_trait]
impl Health for GoPluginServices {
    async fn check(&self, request: Request<HealthCheckRequest>) -> Result<Response<HealthCheckResponse>, Status> {
        match request.into_inner().service.as_str() {
            // "" asks about the server as a whole, which gRPC's health protocol also answers.
            HEALTH_SERVICE | "" => Ok(Response::new(HealthCheckResponse { status: ServingStatus::Serving as i32 })),
            other => Err(Status::not_found(format!("unknown service {other:?}"))),
        }
    }

    type WatchStream = UntilShutdown<HealthCheckResponse>;

    async fn watch(&self, _: Request<HealthCheckRequest>) -> Result<Response<Self::WatchStream>, Status> {
        Err(Status::unimplemented("go-plugin only calls Check"))
    }
}
