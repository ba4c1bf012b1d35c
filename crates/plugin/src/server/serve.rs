//! [`serve`]: the provider and go-plugin's services on a loopback port, with the handshake Terraform reads.

use std::fmt;
use std::future::Future;
use std::net::{Ipv4Addr, SocketAddr};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::transport::Server;

use super::handshake::{HandshakeLine, MAGIC_COOKIE_KEY};
use super::options::{AcceptHook, ServeOptions};
use super::services::GoPluginServices;
use super::stop::StopSignal;
use super::tls::server_tls;
use crate::proto::health::health_server::HealthServer;
use crate::proto::plugin::grpc_broker_server::GrpcBrokerServer;
use crate::proto::plugin::grpc_controller_server::GrpcControllerServer;
use crate::proto::plugin::grpc_stdio_server::GrpcStdioServer;
use crate::proto::tfplugin6::provider_server::{Provider, ProviderServer};

/// The largest message either side sends: Terraform's own limit for provider messages (256 MiB), far
/// above tonic's default of 4 MiB, which a large schema or state would pass.
pub const MAX_MESSAGE_SIZE: usize = 256 << 20;

/// Why [`serve`] did not start or did not end cleanly.
#[derive(Debug)]
pub enum ServeError {
    /// The magic cookie is missing or wrong: a person ran the binary, not Terraform.
    NotRunByTerraform,
    /// `PLUGIN_CLIENT_CERT` could not be used, or the server certificate could not be made.
    Tls(String),
    /// Binding the port or writing the handshake line failed.
    Io(std::io::Error),
    /// The gRPC server failed.
    Transport(tonic::transport::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NotRunByTerraform => write!(
                f,
                "this is a Terraform plugin, run by terraform: it is started by Terraform when a configuration \
                 uses it, not by hand ({MAGIC_COOKIE_KEY} is not set as Terraform sets it)"
            ),
            ServeError::Tls(message) => write!(f, "AutoMTLS: {message}"),
            ServeError::Io(e) => write!(f, "{e}"),
            ServeError::Transport(e) => write!(f, "gRPC server: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

impl From<std::io::Error> for ServeError {
    fn from(e: std::io::Error) -> Self {
        ServeError::Io(e)
    }
}

/// Serves `provider` to Terraform until go-plugin's `Shutdown` (or SIGTERM, or the options' shutdown
/// signal): checks the magic cookie, listens on 127.0.0.1 on a free port, serves TLS pinned to
/// Terraform's client certificate when `PLUGIN_CLIENT_CERT` is set, and prints the handshake line.
pub async fn serve<P: Provider>(provider: P, options: ServeOptions) -> Result<(), ServeError> {
    if !options.env.started_by_terraform() {
        eprintln!("{}", ServeError::NotRunByTerraform);
        return Err(ServeError::NotRunByTerraform);
    }
    let tls = match options.env.client_cert.as_deref() {
        Some(pem) => Some(server_tls(pem).map_err(ServeError::Tls)?),
        None => None,
    };
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
    let address = listener.local_addr()?;
    let shutdown = options.shutdown.clone();
    if options.handle_signals {
        handle_signals(shutdown.clone())?;
    }

    let services = GoPluginServices { shutdown: shutdown.clone() };
    let router = Server::builder()
        .add_service(
            ProviderServer::new(provider)
                .max_decoding_message_size(MAX_MESSAGE_SIZE)
                .max_encoding_message_size(MAX_MESSAGE_SIZE),
        )
        .add_service(GrpcControllerServer::new(services.clone()))
        .add_service(GrpcStdioServer::new(services.clone()))
        .add_service(GrpcBrokerServer::new(services.clone()))
        .add_service(HealthServer::new(services));
    let accept = Accept { listener, nodelay: options.tcp_nodelay, hook: options.on_accept.clone(), shutdown };
    let stopped = options.shutdown.clone();
    let result = match tls {
        Some(tls) => {
            let incoming = accept.spawn(move |stream| {
                let acceptor = tokio_rustls::TlsAcceptor::from(tls.config.clone());
                async move {
                    match acceptor.accept(stream).await {
                        Ok(stream) => Some(stream),
                        Err(e) => {
                            eprintln!("TLS handshake with Terraform failed: {e}");
                            None
                        }
                    }
                }
            });
            handshake(&options, address, Some(tls.cert_der))?;
            router.serve_with_incoming_shutdown(incoming, async move { stopped.stopped().await }).await
        }
        None => {
            let incoming = accept.spawn(|stream| async move { Some(stream) });
            handshake(&options, address, None)?;
            router.serve_with_incoming_shutdown(incoming, async move { stopped.stopped().await }).await
        }
    };
    result.map_err(ServeError::Transport)
}

fn handshake(options: &ServeOptions, address: SocketAddr, server_cert: Option<Vec<u8>>) -> std::io::Result<()> {
    let line = HandshakeLine { address, server_cert };
    let mut out = options.handshake.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    // One write: the line reaches the pipe whole.
    out.write_all(format!("{line}\n").as_bytes())?;
    out.flush()
}

/// The accept loop: socket options and the hook on every connection, then its wrapping (TLS) in a
/// task of its own so that one slow handshake holds up no other connection.
struct Accept {
    listener: TcpListener,
    nodelay: bool,
    hook: Option<AcceptHook>,
    shutdown: StopSignal,
}

impl Accept {
    fn spawn<IO, W, F>(self, wrap: W) -> ReceiverStream<Result<IO, std::io::Error>>
    where
        IO: Send + 'static,
        W: Fn(TcpStream) -> F + Send + 'static,
        F: Future<Output = Option<IO>> + Send + 'static,
    {
        let (sender, receiver) = mpsc::channel(16);
        tokio::spawn(async move {
            loop {
                let accepted = tokio::select! {
                    accepted = self.listener.accept() => accepted,
                    () = self.shutdown.stopped() => break,
                };
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // A failed accept (e.g. out of descriptors) concerns that connection only.
                    Err(e) => {
                        eprintln!("accepting a connection failed: {e}");
                        continue;
                    }
                };
                if self.nodelay {
                    if let Err(e) = stream.set_nodelay(true) {
                        eprintln!("setting TCP_NODELAY failed: {e}");
                    }
                }
                if let Some(hook) = &self.hook {
                    hook(&stream);
                }
                let connection = wrap(stream);
                let sender = sender.clone();
                tokio::spawn(async move {
                    if let Some(io) = connection.await {
                        let _ = sender.send(Ok(io)).await;
                    }
                });
            }
        });
        ReceiverStream::new(receiver)
    }
}

/// SIGTERM shuts the server down. SIGINT is taken and ignored, as go-plugin's servers do: Ctrl-C in a
/// terminal reaches the whole process group, and Terraform answers it itself (StopProvider, then
/// Shutdown), which a provider killed by the same signal could not take part in.
#[cfg(unix)]
fn handle_signals(shutdown: StopSignal) -> std::io::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(()) = interrupt.recv() => {}
                Some(()) = terminate.recv() => shutdown.stop(),
                else => break,
            }
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn handle_signals(_shutdown: StopSignal) -> std::io::Result<()> {
    Ok(())
}
