//! The contract of every call the provider makes, written once: operations (method, path template,
//! typed query parameters, body tables with their checks, defaults and "only grows" flags, the
//! members an action always sends, the rules that tie members together, paging) and what the
//! answers mean (status tables, error codes). The provider's schema, plan-time validation, waiters,
//! retry classes and docs read these tables, and so does the simulator: its routing, request
//! validation, lifecycles and error answers. A rule changed here changes on both sides.
//!
//! What stays outside: service-side catalogs (which versions or flavors exist), which the simulator
//! keeps.

pub mod check;
pub mod clouddc;
pub mod facts;
pub mod iam;
pub mod iotda;
pub mod kafka;
pub mod op;
pub mod param;
pub mod rule;
pub mod text;

pub use check::Check;
pub use facts::{Code, Errors, Statuses};
pub use op::{Op, Paging, PLACEHOLDERS};
pub use param::{at, describe, find, find_path, validate, Given, Invalid, Param, Ty};
pub use rule::{BodyRule, Is};

/// The error codes of a service (None for IAM, whose answers the client only reads on success).
pub fn errors(service: crate::service::Service) -> Option<&'static Errors> {
    use crate::service::Service;
    match service {
        Service::Iotda => Some(&iotda::ERRORS),
        Service::Dms => Some(&kafka::ERRORS),
        Service::Clouddc => Some(&clouddc::ERRORS),
        Service::Iam => None,
    }
}

/// Every declared operation of every service.
pub fn all_ops() -> impl Iterator<Item = &'static Op> {
    [iam::OPS, iotda::OPS, kafka::OPS, clouddc::OPS].into_iter().flatten().copied()
}
