//! A stop signal: set once, seen by every clone, awaitable.

use std::sync::Arc;

use tokio::sync::watch;

/// A flag that is set once and can be awaited by any number of tasks, from any clone.
///
/// [`serve`](super::serve) ends when its shutdown signal is set (by go-plugin's `Shutdown` or by SIGTERM).
/// A provider can keep its own signal for `StopProvider`, which Terraform sends on Ctrl-C to cancel
/// operations in flight, and await [`StopSignal::stopped`] in its long waits.
#[derive(Clone, Debug)]
pub struct StopSignal {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for StopSignal {
    fn default() -> Self {
        StopSignal::new()
    }
}

impl StopSignal {
    /// A signal not yet set.
    pub fn new() -> Self {
        StopSignal { sender: Arc::new(watch::channel(false).0) }
    }

    /// Sets the signal; every waiter wakes. Setting it again changes nothing.
    pub fn stop(&self) {
        self.sender.send_replace(true);
    }

    pub fn is_stopped(&self) -> bool {
        *self.sender.borrow()
    }

    /// Resolves once the signal is set (at once if it already is).
    pub async fn stopped(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so the channel cannot close while this waits.
        let _ = receiver.wait_for(|stopped| *stopped).await;
    }
}

#[cfg(test)]
mod tests {
    use super::StopSignal;

    #[tokio::test]
    async fn every_clone_sees_the_stop_and_waiters_wake() {
        let signal = StopSignal::new();
        let clone = signal.clone();
        assert!(!clone.is_stopped());
        let waiter = tokio::spawn(async move { clone.stopped().await });
        signal.stop();
        waiter.await.expect("the waiter wakes");
        assert!(signal.is_stopped());
        // Already set: resolves at once, and stopping twice is harmless.
        signal.stop();
        signal.stopped().await;
    }
}
