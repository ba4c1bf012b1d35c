//! `huaweicloud-sim`: a local Huawei Cloud (IAM project lookup, IoTDA, DMS for Kafka and CloudDC iMetal
//! instances) on 127.0.0.1.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use hwsim::{self as sim, SimConfig};

const USAGE: &str = "\
Usage: huaweicloud-sim [OPTIONS]

A local Huawei Cloud for demos and end-to-end tests, listening on 127.0.0.1.
Requests must be signed (SDK-HMAC-SHA256) with the configured access key and secret key.
Test controls are under /_sim/ (state, requests, faults, fail-creates, config, clock, and
POST /_sim/iotda/{id}/pay, which pays the order of an IoTDA instance in TRADING).
POST /_sim/clock {\"advance_ms\": N} moves the simulated clock forward: every pending status change
(creates, resizes, deletes) that falls due happens at once, so a 30-minute create can be tested
with --create-delay-ms 1800000 in no time. GET /_sim/clock shows the offset.

Where the API documents are silent, the simulator chooses, and says so here:
  - The Kafka create API POST /v2/{project_id}/kafka/instances takes the flavors c6.2u4g.cluster to
    c6.16u32g.cluster with 3 to 30 (3 to 50 from 8u16g) brokers; their partition counts per broker
    (250 to 2000) are the simulator's choice.
  - A yearly/monthly (prePaid) IoTDA instance created without is_auto_pay = true stays TRADING
    until its order is paid (/_sim/iotda/{id}/pay), then goes CREATING -> ACTIVE. A resize of such
    an instance is not held for payment: it goes MODIFYING -> ACTIVE whatever is_auto_pay says.

Options:
  --port N               TCP port (default 8900; 0 picks a free port)
  --access-key AK        access key (default SIMULATORACCESSKEY01)
  --secret-key SK        secret key (default simulator-secret-key-0123456789)
  --project-id ID        project id (default 0123456789abcdef0123456789abcdef)
  --region NAME          region (default cn-north-4)
  --create-delay-ms N    how long a create takes (CREATING/pending -> ACTIVE/RUNNING/running; default 1000)
  --update-delay-ms N    how long a resize, auto-topic change or IP change takes (default 1000)
  --delete-delay-ms N    how long a delete takes before the object is gone (default 1000)
  --rate-limit N         requests per second each service's API gateway accepts (default: no limit);
                         beyond it, 429 APIGW.0308 (a token bucket of N tokens a second, N at most)
  -h, --help             show this help
";

enum Parsed {
    Run(SimConfig),
    Help,
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut config = SimConfig { port: 8900, ..SimConfig::default() };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if matches!(flag, "-h" | "--help") {
            return Ok(Parsed::Help);
        }
        let mut value = || inline.clone().or_else(|| it.next().cloned()).ok_or(format!("{flag} needs a value"));
        let ms = |v: String| {
            v.parse::<u64>()
                .map(Duration::from_millis)
                .map_err(|_| format!("{flag}: {v:?} is not a number of milliseconds"))
        };
        match flag {
            "--port" => {
                let v = value()?;
                config.port = v.parse().map_err(|_| format!("--port: {v:?} is not a port number"))?;
            }
            "--access-key" => config.access_key = value()?,
            "--secret-key" => config.secret_key = value()?,
            "--project-id" => config.project_id = value()?,
            "--region" => config.region = value()?,
            "--create-delay-ms" => config.create_delay = ms(value()?)?,
            "--update-delay-ms" => config.update_delay = ms(value()?)?,
            "--delete-delay-ms" => config.delete_delay = ms(value()?)?,
            "--rate-limit" => {
                let v = value()?;
                let n = v.trim_end_matches("/s").parse::<u32>().ok().filter(|n| *n > 0);
                config.rate_limit =
                    Some(n.ok_or_else(|| format!("--rate-limit takes requests per second, e.g. 10, got {v:?}"))?);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Parsed::Run(config))
}

/// Ctrl-C or SIGTERM. The handlers are installed when this is called (before the simulator says it
/// listens), so that a signal sent right after that line is never missed.
fn terminated() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{signal, SignalKind};
        (signal(SignalKind::terminate()).ok(), signal(SignalKind::interrupt()).ok())
    };
    async move {
        #[cfg(unix)]
        if let (Some(mut term), Some(mut int)) = signals {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match parse(&args) {
        Ok(Parsed::Run(config)) => config,
        Ok(Parsed::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("huaweicloud-sim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let colour = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_writer(std::io::stderr).with_ansi(colour).with_target(false).init();
    let sim = match sim::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("huaweicloud-sim: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    let stop = terminated();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "huaweicloud-sim listening on {}", sim.url());
    let _ = out.flush();
    stop.await;
    if let Err(e) = sim.shutdown().await {
        eprintln!("huaweicloud-sim: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
