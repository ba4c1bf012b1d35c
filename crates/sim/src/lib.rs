//! `huaweicloud-sim`: a local stand-in for the Huawei Cloud APIs the provider uses,
//! for demos and end-to-end tests. It listens on 127.0.0.1 only.
//!
//! Every API request must carry a valid SDK-HMAC-SHA256 signature made with the
//! configured AK/SK. Request bodies are validated strictly against the documented
//! contracts. Test controls live under `/_sim/` (unsigned):
//!
//! | call | effect |
//! |---|---|
//! | `GET /_sim/state` | all stored objects per service: `{"iotda":[...],"kafka":[...],"clouddc":[...]}` |
//! | `GET /_sim/requests`, `DELETE /_sim/requests` | the log of API requests; clear it |
//! | `DELETE /_sim/{service}/{id}` | delete an object out of band |
//! | `PATCH /_sim/{service}/{id}` | JSON-merge an object into a stored object |
//! | `POST /_sim/faults`, `GET`/`DELETE /_sim/faults` | inject errors into the next matching requests |
//! | `POST /_sim/fail-creates` | the next creates of a service end in a failed state |
//! | `GET`/`POST /_sim/config` | read or change the transition delays |
//! | `POST /_sim/iotda/{id}/pay` | pay the order of an IoTDA instance in TRADING (yearly/monthly, no auto-pay) |
//!
//! Services are independent modules implementing [`server::Service`]; adding one means
//! adding a module and listing it in [`services`].

mod admin;
mod auth;
mod clouddc;
mod iam;
mod iotda;
mod kafka;
mod server;
mod spec;
mod store;
mod tags;
mod util;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

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
    /// How long an asynchronous update takes (IoTDA resize, Kafka auto-topic change, CloudDC IP change).
    pub update_delay: Duration,
    /// How long a delete takes before the object is gone (or, for CloudDC, terminated).
    pub delete_delay: Duration,
    /// Requests per second each service's API gateway accepts (None: no limit); beyond it, 429
    /// `APIGW.0308` as the real gateway answers.
    pub rate_limit: Option<u32>,
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
        }
    }
}

/// A running simulator. Dropping the handle does not stop the server; [`Sim::shutdown`] does.
pub struct Sim {
    pub addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl Sim {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop accepting connections, let requests in flight finish, and wait for the server to end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match self.task.take() {
            Some(task) => task.await.unwrap_or(Ok(())),
            None => Ok(()),
        }
    }
}

/// Checks a create request body of `service` (`iotda`, `kafka`, `kafka_topic`, `clouddc`) exactly as the simulator's
/// create call does before it looks at its stored state: the contract table, then the cross-field
/// rules. `Err` is the message a 400 would carry. Consistency tests compare it with the provider's
/// plan-time validation.
pub fn check_create_body(service: &str, body: &serde_json::Value) -> Result<(), String> {
    let result = match service {
        "iotda" => iotda::CREATE.validate(body).and_then(|()| iotda::create_rules(body)),
        "kafka" => kafka::CREATE.validate(body).and_then(|()| kafka::create_rules(body)),
        "kafka_topic" => kafka::TOPIC_CREATE.validate(body),
        "clouddc" => clouddc::check_create(body),
        other => return Err(format!("unknown service {other:?}")),
    };
    result.map_err(|e| e.to_string())
}

/// The simulated services, in dispatch order.
fn services() -> Vec<Box<dyn server::Service>> {
    vec![
        Box::new(iam::Iam),
        Box::new(iotda::Iotda::default()),
        Box::new(kafka::Kafka::default()),
        Box::new(clouddc::Clouddc::default()),
    ]
}

/// Bind 127.0.0.1:`config.port`, spawn the server on the current tokio runtime and return at once.
pub async fn start(config: SimConfig) -> std::io::Result<Sim> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let addr = listener.local_addr()?;
    let shared = Arc::new(server::Shared::new(config, services()));
    let app = axum::Router::new().fallback(server::entry).with_state(shared);
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // Dropping the `Sim` handle leaves the server running (until the runtime ends).
                if rx.await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
    });
    Ok(Sim { addr, shutdown: Some(tx), task: Some(task) })
}
