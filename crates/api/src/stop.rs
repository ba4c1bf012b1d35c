//! A process-wide "stop now" flag: set on SIGINT/SIGTERM or when Terraform asks the provider to stop,
//! it ends status waits and retry sleeps early, so that Terraform gets control back quickly and
//! records what exists. The provider sets it; the client's retry sleeps watch it.

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
