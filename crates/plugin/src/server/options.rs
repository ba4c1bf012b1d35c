//! How [`serve`](super::serve) runs: where the handshake goes, which environment it reads, TCP_NODELAY,
//! signals, and the shutdown signal.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::net::TcpStream;

use super::handshake::PluginEnv;
use super::stop::StopSignal;

/// Called with every accepted TCP connection, after its options are set and before TLS.
pub type AcceptHook = Arc<dyn Fn(&TcpStream) + Send + Sync>;

/// Options of [`serve`](super::serve); `ServeOptions::default()` is what a provider binary wants.
pub struct ServeOptions {
    pub(super) env: PluginEnv,
    pub(super) handshake: Mutex<Box<dyn Write + Send>>,
    pub(super) tcp_nodelay: bool,
    pub(super) handle_signals: bool,
    pub(super) shutdown: StopSignal,
    pub(super) on_accept: Option<AcceptHook>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            env: PluginEnv::from_process(),
            handshake: Mutex::new(Box::new(std::io::stdout())),
            tcp_nodelay: true,
            handle_signals: true,
            shutdown: StopSignal::new(),
            on_accept: None,
        }
    }
}

impl ServeOptions {
    /// The handshake's environment instead of this process's variables.
    pub fn env(mut self, env: PluginEnv) -> Self {
        self.env = env;
        self
    }

    /// Where the handshake line is written (stdout by default, where Terraform reads it).
    pub fn handshake_to(mut self, out: impl Write + Send + 'static) -> Self {
        self.handshake = Mutex::new(Box::new(out));
        self
    }

    /// TCP_NODELAY on every accepted connection (on by default): the protocol is small request/response
    /// round trips, which Nagle's algorithm would hold back for delayed ACKs.
    pub fn tcp_nodelay(mut self, on: bool) -> Self {
        self.tcp_nodelay = on;
        self
    }

    /// Whether `serve` handles SIGINT and SIGTERM (on by default; off for a server inside a test).
    pub fn handle_signals(mut self, on: bool) -> Self {
        self.handle_signals = on;
        self
    }

    /// The signal that ends `serve`; go-plugin's `Shutdown` and SIGTERM set it. Keep a clone to stop the
    /// server from outside or to learn that it is stopping.
    pub fn shutdown(mut self, signal: StopSignal) -> Self {
        self.shutdown = signal;
        self
    }

    /// A hook called with every accepted connection (e.g. to check its socket options).
    pub fn on_accept(mut self, hook: impl Fn(&TcpStream) + Send + Sync + 'static) -> Self {
        self.on_accept = Some(Arc::new(hook));
        self
    }
}
