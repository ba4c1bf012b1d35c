//! CloudDC iMetal instances (`/v1/{project_id}/instances...`).
//!
//! Lifecycle: create -> `pending` (operation_state `install-processing`) -> `running` after the create delay
//! (`install-succeed`), or `error` (`install-failed`) with `error{error_code, error_msg, error_type}` when a
//! failing create was ordered. An IP change goes through `pending` (`modify-ip-processing`, then
//! `modify-ip-succeed`) for the update delay. Delete -> `shutting-down` (`uninstall-processing`) ->
//! `terminated` (`uninstall-succeed`) after the delete delay; a terminated instance stays visible (status and
//! list) for ten more delete delays, then disappears (404). operation_state values are those of the SDK's
//! InstanceOperationStatus enum: the last operation and how it ended.
//!
//! A reinstall goes through `pending` (`reinstall-processing`) for the update delay, then `running` with the
//! new image and password (`reinstall-succeed`).
//!
//! Errors: 400 `iMetal.0001` invalid value, 400 `iMetal.0002` missing parameter, 400 `iMetal.0101` the placement
//! server is not ready (in use), 404 `iMetal.0200` no such instance, 409 `iMetal.0201` the instance's state does
//! not allow the operation now (busy), 400 `iMetal.0202` IP address already in use.

mod model;
mod service;
#[cfg(test)]
mod tests;

pub use service::Clouddc;
