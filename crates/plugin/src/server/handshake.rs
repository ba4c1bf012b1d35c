//! go-plugin's handshake as Terraform runs it: the magic cookie in the environment, the client's
//! certificate for AutoMTLS, and the line the plugin prints on stdout to say where it listens.

use std::fmt;
use std::net::SocketAddr;

use base64::Engine;

/// The magic cookie's variable, which Terraform sets for every provider it starts.
pub const MAGIC_COOKIE_KEY: &str = "TF_PLUGIN_MAGIC_COOKIE";
/// Its value (Terraform's handshake config for provider plugins).
pub const MAGIC_COOKIE_VALUE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// The variable holding Terraform's client certificate (PEM) when it asks for AutoMTLS.
pub const CLIENT_CERT_KEY: &str = "PLUGIN_CLIENT_CERT";
/// go-plugin's own protocol version, the first field of the handshake line.
pub const CORE_PROTOCOL_VERSION: u32 = 1;
/// The provider protocol served, the second field.
pub const APP_PROTOCOL_VERSION: u32 = 6;

/// What the handshake reads from the environment; [`PluginEnv::from_process`] for a real plugin, a
/// literal in tests (which must not share process-wide variables).
#[derive(Clone, Debug, Default)]
pub struct PluginEnv {
    /// `TF_PLUGIN_MAGIC_COOKIE`.
    pub magic_cookie: Option<String>,
    /// `PLUGIN_CLIENT_CERT`, the PEM of the only client certificate to accept; none or empty: plain TCP.
    pub client_cert: Option<String>,
}

impl PluginEnv {
    /// The variables of this process.
    pub fn from_process() -> Self {
        PluginEnv {
            magic_cookie: std::env::var(MAGIC_COOKIE_KEY).ok(),
            client_cert: std::env::var(CLIENT_CERT_KEY).ok().filter(|pem| !pem.trim().is_empty()),
        }
    }

    /// The environment Terraform gives a provider (the cookie set), with the given client certificate.
    pub fn terraform(client_cert: Option<String>) -> Self {
        PluginEnv { magic_cookie: Some(MAGIC_COOKIE_VALUE.to_string()), client_cert }
    }

    /// Whether Terraform started this process.
    pub fn started_by_terraform(&self) -> bool {
        self.magic_cookie.as_deref() == Some(MAGIC_COOKIE_VALUE)
    }
}

/// The line that tells Terraform where to connect:
/// `1|6|tcp|127.0.0.1:PORT|grpc` and, with AutoMTLS, `|` and the server certificate's DER in standard
/// base64 without padding (go-plugin decodes it with `RawStdEncoding`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandshakeLine {
    pub address: SocketAddr,
    /// The server certificate (DER), when serving TLS.
    pub server_cert: Option<Vec<u8>>,
}

impl fmt::Display for HandshakeLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{CORE_PROTOCOL_VERSION}|{APP_PROTOCOL_VERSION}|tcp|{}|grpc", self.address)?;
        if let Some(der) = &self.server_cert {
            write!(f, "|{}", base64::engine::general_purpose::STANDARD_NO_PAD.encode(der))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_has_five_fields_in_plain_tcp_and_six_with_tls() {
        let address: SocketAddr = "127.0.0.1:41234".parse().expect("an address");
        let plain = HandshakeLine { address, server_cert: None };
        assert_eq!(plain.to_string(), "1|6|tcp|127.0.0.1:41234|grpc");
        // 0xfb 0xff is "+/8" in the standard alphabet; 2 bytes take no padding here ("+/8=" padded).
        let tls = HandshakeLine { address, server_cert: Some(vec![0xfb, 0xff]) };
        assert_eq!(tls.to_string(), "1|6|tcp|127.0.0.1:41234|grpc|+/8");
    }

    #[test]
    fn only_the_exact_cookie_counts() {
        assert!(PluginEnv::terraform(None).started_by_terraform());
        assert!(!PluginEnv::default().started_by_terraform());
        let wrong = PluginEnv { magic_cookie: Some("d602bf8f".into()), client_cert: None };
        assert!(!wrong.started_by_terraform());
    }
}
