//! `serve` in this process, reached as Terraform reaches it: the handshake line read from the writer,
//! a gRPC client with the client certificate Terraform would have put in `PLUGIN_CLIENT_CERT`, trusting
//! the server certificate from the handshake line; then Shutdown, which ends `serve`.

mod common;

use std::sync::{Arc, Mutex};

use base64::Engine;
use common::schema_provider::SchemaProvider;
use tfplugin::proto::health::health_check_response::ServingStatus;
use tfplugin::proto::health::health_client::HealthClient;
use tfplugin::proto::health::HealthCheckRequest;
use tfplugin::proto::plugin::grpc_controller_client::GrpcControllerClient;
use tfplugin::proto::plugin::Empty;
use tfplugin::proto::tfplugin6::get_provider_schema;
use tfplugin::proto::tfplugin6::provider_client::ProviderClient;
use tfplugin::server::{serve, PluginEnv, ServeError, ServeOptions};
use tokio::sync::mpsc;
use tonic::transport::{Certificate, Channel, ClientTlsConfig, Endpoint, Identity};

/// The handshake writer: every write goes to the test as text.
struct Lines(mpsc::UnboundedSender<String>);

impl std::io::Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let _ = self.0.send(String::from_utf8_lossy(bytes).into_owned());
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A client certificate shaped like go-plugin's: self-signed, for "localhost", with the CA flag set.
fn client_cert() -> (String, String) {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("a key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.extended_key_usages =
        vec![rcgen::ExtendedKeyUsagePurpose::ClientAuth, rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).expect("a certificate");
    (cert.pem(), key.serialize_pem())
}

fn pem_of(der: &[u8]) -> String {
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = text.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("ascii")).collect();
    format!("-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n", lines.join("\n"))
}

/// A running `serve`: its handshake fields, the `nodelay` of every connection it accepted, its task.
struct Running {
    fields: Vec<String>,
    nodelay: Arc<Mutex<Vec<bool>>>,
    task: tokio::task::JoinHandle<Result<(), ServeError>>,
}

async fn start(env: PluginEnv, options: ServeOptions) -> Running {
    let (sender, mut lines) = mpsc::unbounded_channel();
    let nodelay = Arc::new(Mutex::new(Vec::new()));
    let seen = nodelay.clone();
    let options = options.env(env).handle_signals(false).handshake_to(Lines(sender)).on_accept(move |stream| {
        seen.lock().expect("not poisoned").push(stream.nodelay().expect("the socket option reads"));
    });
    let task = tokio::spawn(serve(SchemaProvider, options));
    let mut line = String::new();
    while !line.ends_with('\n') {
        line.push_str(&lines.recv().await.expect("a whole handshake line"));
    }
    let fields = line.trim_end().split('|').map(str::to_string).collect();
    Running { fields, nodelay, task }
}

async fn connect(address: &str, tls: Option<ClientTlsConfig>) -> Result<Channel, tonic::transport::Error> {
    match tls {
        Some(tls) => Endpoint::from_shared(format!("https://{address}"))?.tls_config(tls)?.connect().await,
        None => Endpoint::from_shared(format!("http://{address}"))?.connect().await,
    }
}

async fn check_schema_and_health(channel: Channel) {
    let schema = ProviderClient::new(channel.clone())
        .get_provider_schema(get_provider_schema::Request {})
        .await
        .expect("GetProviderSchema answers")
        .into_inner();
    assert!(schema.provider.is_some(), "the provider block");
    let resource = schema.resource_schemas.get("test_thing").expect("the resource").block.as_ref().expect("a block");
    assert_eq!(resource.attributes[0].name, "name");

    let health = HealthClient::new(channel)
        .check(HealthCheckRequest { service: "plugin".into() })
        .await
        .expect("Check answers")
        .into_inner();
    assert_eq!(health.status, ServingStatus::Serving as i32);
}

#[tokio::test]
async fn with_autotls_the_pinned_client_reaches_the_provider_and_shutdown_ends_serve() {
    let (cert_pem, key_pem) = client_cert();
    let running = start(PluginEnv::terraform(Some(cert_pem.clone())), ServeOptions::default()).await;
    let [core, app, network, address, protocol, server_cert] = &running.fields[..] else {
        panic!("six fields: {:?}", running.fields);
    };
    assert_eq!([core, app, network, protocol], ["1", "6", "tcp", "grpc"]);
    assert!(address.starts_with("127.0.0.1:"), "{address}");
    assert!(!server_cert.ends_with('='), "no padding: {server_cert}");
    let der = base64::engine::general_purpose::STANDARD_NO_PAD.decode(server_cert).expect("standard base64");

    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(pem_of(&der)))
        .identity(Identity::from_pem(&cert_pem, &key_pem))
        .domain_name("localhost");
    let channel = connect(address, Some(tls)).await.expect("the TLS handshake succeeds");
    check_schema_and_health(channel.clone()).await;

    // Another certificate, even one of the same shape, is not Terraform's.
    let (other_pem, other_key) = client_cert();
    let stranger = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(pem_of(&der)))
        .identity(Identity::from_pem(other_pem, other_key))
        .domain_name("localhost");
    let refused = match connect(address, Some(stranger)).await {
        Err(_) => true,
        Ok(channel) => HealthClient::new(channel).check(HealthCheckRequest { service: "plugin".into() }).await.is_err(),
    };
    assert!(refused, "a client with another certificate is refused");

    GrpcControllerClient::new(channel).shutdown(Empty {}).await.expect("Shutdown answers");
    running.task.await.expect("the serve task").expect("serve ends cleanly");
    let nodelay = running.nodelay.lock().expect("not poisoned").clone();
    assert!(nodelay.len() >= 2, "both clients' connections were accepted: {nodelay:?}");
    assert!(nodelay.iter().all(|on| *on), "TCP_NODELAY on every accepted connection: {nodelay:?}");
}

#[tokio::test]
async fn without_a_client_certificate_it_serves_plain_tcp_with_five_fields() {
    let running = start(PluginEnv::terraform(None), ServeOptions::default().tcp_nodelay(false)).await;
    assert_eq!(running.fields.len(), 5, "{:?}", running.fields);
    let channel = connect(&running.fields[3], None).await.expect("connects in plain TCP");
    check_schema_and_health(channel.clone()).await;
    GrpcControllerClient::new(channel).shutdown(Empty {}).await.expect("Shutdown answers");
    running.task.await.expect("the serve task").expect("serve ends cleanly");
    // The option turned off: Nagle's algorithm stays on.
    assert_eq!(*running.nodelay.lock().expect("not poisoned"), [false]);
}

#[tokio::test]
async fn without_the_magic_cookie_it_refuses_to_run() {
    let (sender, mut lines) = mpsc::unbounded_channel();
    let options = ServeOptions::default().env(PluginEnv::default()).handle_signals(false).handshake_to(Lines(sender));
    let result = serve(SchemaProvider, options).await;
    let error = result.expect_err("refuses");
    assert!(matches!(error, ServeError::NotRunByTerraform));
    assert!(error.to_string().contains("this is a Terraform plugin, run by terraform"), "{error}");
    assert!(lines.try_recv().is_err(), "no handshake line");
}

#[tokio::test]
async fn a_client_certificate_that_is_not_pem_is_an_error() {
    let env = PluginEnv::terraform(Some("not a certificate".into()));
    let result = serve(SchemaProvider, ServeOptions::default().env(env).handle_signals(false)).await;
    assert!(matches!(result, Err(ServeError::Tls(_))), "{result:?}");
}
