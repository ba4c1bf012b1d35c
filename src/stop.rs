//! A process-wide "stop now" flag: set on SIGINT/SIGTERM or when Terraform asks the provider to stop,
//! it ends status waits and retry sleeps early, so that Terraform gets control back quickly and
//! records what exists.

use std::sync::OnceLock;

use tokio::sync::watch;

fn channel() -> &'static watch::Sender<bool> {
    static STOP: OnceLock<watch::Sender<bool>> = OnceLock::new();
    STOP.get_or_init(|| watch::channel(false).0)
}

/// Ask every wait and retry sleep to end now.
pub fn request() {
    channel().send_replace(true);
}

/// Resolves once a stop has been requested (at once if it already was).
pub async fn requested() {
    let mut rx = channel().subscribe();
    // An error means the sender is gone, which cannot happen for a static; treat it as "never".
    if rx.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Terraform asks a provider to stop (StopProvider) when it is interrupted, for example when a CI runner
/// signals terraform alone. The plugin framework handles that call itself without telling the provider,
/// but it traces every gRPC call it serves with a `request` span carrying the call's URI. This layer
/// watches those spans and requests a stop when the StopProvider call arrives.
pub struct StopProviderWatch;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StopProviderWatch {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _id: &tracing::span::Id,
        _ctx: tracing_subscriber::layer::Context<'_, S>,
    ) {
        struct Uri(bool);
        impl tracing::field::Visit for Uri {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "uri" && format!("{value:?}").ends_with("/StopProvider") {
                    self.0 = true;
                }
            }
        }
        let mut uri = Uri(false);
        attrs.record(&mut uri);
        if uri.0 {
            tracing::debug!("Terraform asked the provider to stop: ending running waits");
            request();
        }
    }
}

/// Only the framework's per-request spans concern [`StopProviderWatch`].
pub fn is_grpc_request_span(meta: &tracing::Metadata<'_>) -> bool {
    meta.is_span() && meta.name() == "request" && meta.target().starts_with("tower_http")
}
