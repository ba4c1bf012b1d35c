//! TLS trust against a local HTTPS server whose certificate a private certificate authority signed: the
//! configured CA bundle makes it trusted, without it the call fails on the certificate, `insecure`
//! skips the check, and a bundle that holds no certificate is a configuration error.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use hwapi::client::{ApiError, Call, Client, ClientConfig, Method, Service};
use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const PID: &str = "0123456789abcdef0123456789abcdef";

/// A CA (its PEM) and an HTTPS server on 127.0.0.1 with a certificate it signed; the server's URL.
async fn private_ca_server() -> (String, String) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca, &ca_key)
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://127.0.0.1:{}", listener.local_addr().unwrap().port());
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else { return };
                let mut buf = vec![0u8; 8192];
                let _ = tls.read(&mut buf).await;
                let body = r#"{"instances":[],"instance_num":0}"#;
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(answer.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (ca.pem(), url)
}

fn config(url: &str, ca_bundle: Option<String>, insecure: bool) -> ClientConfig {
    ClientConfig {
        region: "cn-north-4".into(),
        project_id: Some(PID.into()),
        access_key: "AK".into(),
        secret_key: "SK".into(),
        security_token: None,
        assume_role: None,
        max_retries: 0,
        endpoints: Service::ALL.into_iter().map(|s| (s, url.to_string())).collect::<BTreeMap<_, _>>(),
        user_agent: "test".into(),
        ca_bundle,
        insecure,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(50),
    }
}

fn list() -> Call {
    Call::new(Service::Dms, Method::Get, "/v2/{project_id}/instances")
}

#[tokio::test]
async fn a_private_ca_is_trusted_only_when_configured() {
    let (ca, url) = private_ca_server().await;

    let trusted = Client::new(config(&url, Some(ca.clone()), false)).unwrap();
    let answer = trusted.send(&list(), None).await.expect("the CA bundle makes the server trusted");
    assert_eq!(answer.status, 200);

    let untrusted = Client::new(config(&url, None, false)).unwrap();
    let err = untrusted.send(&list(), None).await.expect_err("an unknown CA is refused");
    assert!(matches!(err, ApiError::Transport { sent: false, .. }), "{err}");
    assert!(err.to_string().to_lowercase().contains("certificate"), "{err}");

    let insecure = Client::new(config(&url, None, true)).unwrap();
    assert_eq!(insecure.send(&list(), None).await.expect("insecure skips the check").status, 200);

    // A bundle of several certificates (another CA first) works too.
    let (other_ca, _) = private_ca_server().await;
    let bundle = format!("{other_ca}{ca}");
    let both = Client::new(config(&url, Some(bundle), false)).unwrap();
    assert_eq!(both.send(&list(), None).await.unwrap().status, 200);
}

#[test]
fn a_bundle_without_certificates_is_a_configuration_error() {
    let err = Client::new(config("https://127.0.0.1:1", Some("not a certificate".into()), false)).unwrap_err();
    assert!(matches!(err, ApiError::Config(_)), "{err}");
    assert!(err.to_string().contains("CA bundle"), "{err}");
}
