//! `terraform-provider-huaweicloud`: serves the provider to Terraform over tfplugin6.
//! `terraform-provider-huaweicloud docs DIR` writes the registry docs; `inventory` prints every API call;
//! `--version` prints the version. Run by hand (without Terraform's plugin handshake variable), it says
//! what it is and exits instead of waiting for a connection that never comes.

use anyhow::Context;
use tfplugin::framework::ProviderServer;
use tfplugin::server::{serve, ServeOptions};

/// The level Terraform shows the provider's lines at, read as Terraform reads it: the provider's own
/// variable, then `TF_LOG_PROVIDER`, then `TF_LOG`; a value that is no level (`JSON`, `1`) means TRACE.
fn log_level() -> Option<tracing::Level> {
    let var = ["TF_LOG_PROVIDER_HUAWEICLOUD", "TF_LOG_PROVIDER", "TF_LOG"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()));
    let Some(var) = var else { return Some(tracing::Level::WARN) };
    match var.to_ascii_lowercase().as_str() {
        "off" => None,
        "error" => Some(tracing::Level::ERROR),
        "warn" => Some(tracing::Level::WARN),
        "info" => Some(tracing::Level::INFO),
        "debug" => Some(tracing::Level::DEBUG),
        _ => Some(tracing::Level::TRACE),
    }
}

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build()?.block_on(run())
}

async fn run() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("docs") => {
            let dir = args.get(1).map(String::as_str).unwrap_or("docs");
            return hwprovider::docs::write(std::path::Path::new(dir)).context("writing the docs");
        }
        Some("inventory") => {
            print!("{}", hwprovider::docs::inventory());
            return Ok(());
        }
        Some("--version" | "-v" | "version") => {
            println!("terraform-provider-huaweicloud {}", env!("CARGO_PKG_VERSION"));
            return Ok(());
        }
        _ => {}
    }
    // Terraform sets this variable for every plugin it starts (the go-plugin handshake).
    if std::env::var_os("TF_PLUGIN_MAGIC_COOKIE").is_none() {
        eprintln!(
            "terraform-provider-huaweicloud {}: this is a Terraform plugin. Terraform starts it when a \
configuration uses the huaweicloud provider; it is not run by hand. (`--version` prints the version, `docs DIR` \
writes the docs.)",
            env!("CARGO_PKG_VERSION")
        );
        std::process::exit(1);
    }
    // Terraform reads plugin logs from stderr, as hclog JSON lines it shows at their level; stdout
    // carries the handshake line.
    {
        use tracing_subscriber::{filter, prelude::*};
        // The provider's own events at the chosen level; the HTTP and gRPC libraries' only from WARN up,
        // as their trace output is not ours to vouch for (it could show headers).
        let level = log_level();
        let ours = move |meta: &tracing::Metadata<'_>| {
            let own = ["hwprovider", "hwapi", "terraform_provider_huaweicloud", "tfplugin"]
                .iter()
                .any(|t| meta.target().starts_with(t));
            match level {
                None => false,
                Some(level) => meta.level() <= &if own { level } else { tracing::Level::WARN.min(level) },
            }
        };
        tracing_subscriber::registry().with(hwprovider::hclog::HclogLayer.with_filter(filter::filter_fn(ours))).init();
    }
    // Ctrl-C reaches the provider too: end running waits so that Terraform records what exists.
    #[cfg(unix)]
    tokio::spawn(async {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut int), Ok(mut term)) = (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) else {
            return;
        };
        loop {
            tokio::select! { _ = int.recv() => {}, _ = term.recv() => {} }
            hwprovider::stop::request();
        }
    });
    #[cfg(not(unix))]
    tokio::spawn(async {
        while tokio::signal::ctrl_c().await.is_ok() {
            hwprovider::stop::request();
        }
    });
    // HUAWEICLOUD_PROVIDER_NODELAY=0 keeps Nagle's algorithm on (for benchmarks only).
    let nodelay = std::env::var("HUAWEICLOUD_PROVIDER_NODELAY").as_deref() != Ok("0");
    let server = ProviderServer::new(hwprovider::provider::HuaweiCloudProvider::default());
    serve(server, ServeOptions::default().tcp_nodelay(nodelay)).await.context("serving the provider")
}
