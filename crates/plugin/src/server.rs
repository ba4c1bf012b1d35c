//! The plugin side of go-plugin as Terraform runs it: [`serve`] a `tfplugin6.Provider` with the
//! handshake, AutoMTLS, go-plugin's controller/stdio/broker services and gRPC's health check.

mod handshake;
mod options;
mod p521;
mod serve;
mod services;
mod stop;
mod tls;

pub use handshake::{
    HandshakeLine, PluginEnv, APP_PROTOCOL_VERSION, CLIENT_CERT_KEY, CORE_PROTOCOL_VERSION, MAGIC_COOKIE_KEY,
    MAGIC_COOKIE_VALUE,
};
pub use options::{AcceptHook, ServeOptions};
pub use serve::{serve, ServeError, MAX_MESSAGE_SIZE};
pub use services::HEALTH_SERVICE;
pub use stop::StopSignal;
