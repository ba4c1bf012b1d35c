//! What a simulated service is to the rest of the simulator.

use hwapi::contract::{Invalid, Op};
use hwapi::service::Service as Api;

use crate::request::{ApiRequest, Args, Reply};
use crate::state::Shared;
use crate::store::Objects;

/// A simulated cloud service. Each service keeps its own objects behind its own lock.
pub trait Service: Send + Sync {
    /// Short name used by the admin API (`/_sim/{name}/...`, `/_sim/state`).
    fn name(&self) -> &'static str;
    /// The API whose declared operations this service serves.
    fn api(&self) -> Api;
    /// Answer a request the router matched to `op`, one of this service's declared operations, with the
    /// placeholder values of its path in `args`. The router has checked the project and, for an operation
    /// with a body table, the body (and that it takes no query parameter it does not declare).
    fn handle(&self, sim: &Shared, op: &'static Op, args: &Args, req: &ApiRequest) -> Result<Reply, Reply>;
    /// The service's answer to invalid input (its own error code), for a problem the router found.
    fn invalid(&self, problem: &Invalid) -> Reply;
    /// The stored objects for the admin API, or `None` for a service without state.
    fn objects(&self) -> Option<&dyn Objects> {
        None
    }
    /// An out-of-band action on one object (`POST /_sim/{service}/{id}/{action}`), or `None` when the
    /// service has no such action.
    fn action(&self, sim: &Shared, id: &str, action: &str) -> Option<Result<Reply, Reply>> {
        let _ = (sim, id, action);
        None
    }
}
