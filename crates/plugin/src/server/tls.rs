//! AutoMTLS as go-plugin does it: the plugin makes itself a fresh self-signed certificate for
//! "localhost", hands it to Terraform in the handshake line, and accepts only the client certificate
//! Terraform put in `PLUGIN_CLIENT_CERT`.

use std::sync::Arc;

use super::p521::with_p521;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};

/// How long the server certificate is valid: it is made anew by every plugin process, and Terraform
/// connects right after the handshake.
const CERT_LIFETIME: time::Duration = time::Duration::days(1);
/// Validity starts this much in the past, for clocks a little apart.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// The server's TLS setup and the certificate that goes into the handshake line.
pub struct ServerTls {
    pub config: Arc<rustls::ServerConfig>,
    /// The server certificate's DER.
    pub cert_der: Vec<u8>,
}

/// A fresh server certificate and the TLS config requiring exactly the client certificate `client_pem`.
pub fn server_tls(client_pem: &str) -> Result<ServerTls, String> {
    let client = CertificateDer::from_pem_slice(client_pem.as_bytes())
        .map_err(|e| format!("{}: not a PEM certificate: {e}", super::handshake::CLIENT_CERT_KEY))?;

    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).map_err(|e| e.to_string())?;
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).map_err(|e| e.to_string())?;
    params.distinguished_name.push(rcgen::DnType::CommonName, "localhost");
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - CLOCK_SKEW;
    params.not_after = now + CERT_LIFETIME;
    params.key_usages = vec![rcgen::KeyUsagePurpose::DigitalSignature];
    params.extended_key_usages = vec![rcgen::ExtendedKeyUsagePurpose::ServerAuth];
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    let cert_der = cert.der().to_vec();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let algorithms = with_p521(provider.signature_verification_algorithms);
    let verifier = Arc::new(PinnedClientCert { cert: client, algorithms });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(cert_der.clone())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| e.to_string())?;
    // gRPC runs on HTTP/2, and grpc-go (Terraform's client) refuses a TLS server that negotiates no ALPN.
    config.alpn_protocols = vec![b"h2".to_vec()];
    Ok(ServerTls { config: Arc::new(config), cert_der })
}

/// Accepts one client certificate, byte for byte, and the handshake signatures made with its key.
///
/// go-plugin's client certificate is self-signed with the CA flag set, so a chain check (webpki) would
/// refuse it as an end entity; Terraform handed over the certificate itself, so equality is the check.
#[derive(Debug)]
struct PinnedClientCert {
    cert: CertificateDer<'static>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientCert {
    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        // No hints: the client has one certificate and sends it.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_ref() {
            Ok(ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(CertificateError::ApplicationVerificationFailure))
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
