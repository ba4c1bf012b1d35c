//! Signed HTTP access to Huawei Cloud APIs: endpoints, SDK-HMAC-SHA256 signing, retries and typed errors.

pub mod error;
pub mod retry;
pub mod signer;
pub mod throttle;

mod agency;
mod call;
mod config;
mod credentials;
mod endpoint;
mod handle;
mod project;
mod response;
mod send;
mod transport;

pub use crate::service::{Method, Service};
pub use call::Call;
pub use config::{AgencyDomain, AssumeRole, ClientConfig};
pub use credentials::{renewal_due, RENEW_MARGIN};
pub use endpoint::{check_project_id, without_credentials};
pub use error::ApiError;
pub use handle::Client;
pub use response::Response;
pub use transport::MAX_ANSWER_BYTES;
