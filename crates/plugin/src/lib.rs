//! Terraform's plugin protocol 6, as this project serves it: its definitions at minor 8 (`proto`, generated
//! by tonic and prost from the project's own `.proto` files), the dynamic-value codec (`value`), the
//! plugin side of go-plugin's handshake and services (`server`), diagnostics (`diagnostics`), and the
//! provider framework the provider implements (`framework`: providers, resources and data sources over
//! plain values, served as `tfplugin6.Provider`), and what providers' end-to-end tests share (`testing`).

pub mod diagnostics;
pub mod framework;
pub mod proto;
pub mod server;
pub mod testing;
pub mod value;
