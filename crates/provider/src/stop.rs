//! Stopping early: the flag (from the API crate) that ends waits and retry sleeps, set on SIGINT/SIGTERM
//! or when Terraform asks the provider to stop.

pub use hwapi::stop::{request, requested};

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
