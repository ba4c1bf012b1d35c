//! How the simulator is set up.

use std::time::Duration;

/// How the simulator is set up.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// TCP port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    pub access_key: String,
    pub secret_key: String,
    pub project_id: String,
    pub region: String,
    /// How long a create takes (IoTDA CREATING -> ACTIVE, Kafka CREATING -> RUNNING, CloudDC pending -> running).
    pub create_delay: Duration,
    /// How long an asynchronous update takes (IoTDA resize, Kafka resize, auto-topic or access change, CloudDC IP change).
    pub update_delay: Duration,
    /// How long a delete takes before the object is gone (or, for CloudDC, terminated).
    pub delete_delay: Duration,
    /// Requests per second each service's API gateway accepts (None: no limit); beyond it, 429
    /// `APIGW.0308` as the real gateway answers.
    pub rate_limit: Option<u32>,
    /// Network latency each way: every API request waits this long before it is processed and again
    /// before its answer is sent.
    pub latency: Duration,
    /// How many entries the request log keeps (the newest).
    pub request_log_limit: usize,
    /// The longest lifetime of the temporary credentials IAM issues for an agency (None: what is asked).
    pub token_lifetime_cap: Option<Duration>,
}

impl Default for SimConfig {
    fn default() -> SimConfig {
        SimConfig {
            port: 0,
            access_key: "SIMULATORACCESSKEY01".into(),
            secret_key: "simulator-secret-key-0123456789".into(),
            project_id: "0123456789abcdef0123456789abcdef".into(),
            region: "cn-north-4".into(),
            create_delay: Duration::from_secs(1),
            update_delay: Duration::from_secs(1),
            delete_delay: Duration::from_secs(1),
            rate_limit: None,
            latency: Duration::ZERO,
            request_log_limit: 10_000,
            token_lifetime_cap: None,
        }
    }
}
