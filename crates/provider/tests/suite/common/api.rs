//! What the call-pinning tests share: a provider client aimed at a scripted (wiremock) server,
//! Terraform values from JSON, and the headers of a signed call.

use std::collections::BTreeMap;
use std::time::Duration;

use hwprovider::client::{Client, ClientConfig, Service};
use hwprovider::engine::{Created, Ctx};
use serde_json::Value;
use tfplugin::framework::TfValue;
use wiremock::matchers::{header, header_exists};
use wiremock::{MockBuilder, MockServer};

/// The project of the client's credentials.
pub const PID: &str = "0123456789abcdef0123456789abcdef";

const USER_AGENT: &str = "terraform-provider-huaweicloud/test";

/// A context whose client sends `service` calls for `region` to `server`, with no retries.
pub fn ctx(server: &MockServer, service: Service, region: &str) -> Ctx {
    let config = ClientConfig {
        region: region.into(),
        project_id: Some(PID.into()),
        access_key: "HPUAEXAMPLEAK0000001".into(),
        secret_key: "exampleSecretKey0123456789abcdefghijklmnopqrstu".into(),
        security_token: None,
        assume_role: None,
        max_retries: 0,
        endpoints: BTreeMap::from([(service, server.uri())]),
        user_agent: USER_AGENT.into(),
        ca_bundle: None,
        insecure: false,
        backoff_base: Duration::from_millis(10),
        backoff_cap: Duration::from_millis(50),
    };
    Ctx::new(Client::new(config).unwrap(), tokio::time::Instant::now() + Duration::from_secs(30))
}

/// A Terraform value from JSON (objects become Terraform objects, arrays lists).
pub fn tf(v: Value) -> TfValue {
    TfValue::from_json(&v)
}

/// The headers every signed call carries.
pub fn signed(m: MockBuilder) -> MockBuilder {
    m.and(header("content-type", "application/json"))
        .and(header("x-project-id", PID))
        .and(header("user-agent", USER_AGENT))
        .and(header_exists("x-sdk-date"))
        .and(header_exists("authorization"))
}

/// A new instance as the create call reports it (the wait only needs its id).
pub fn created(id: &str) -> Created {
    Created { id: id.to_string(), answer: serde_json::json!({ "instance_id": id }) }
}
