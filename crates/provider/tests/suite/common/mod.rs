//! End-to-end harness: the real `terraform` binary, the provider binary through dev_overrides,
//! and an in-process simulator, in a temporary working directory per test.
#![allow(dead_code)]

pub mod api;
pub mod go_state;
pub mod hcl;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use hwprovider::PROVIDER_ADDRESS;
use hwsim::{self as sim, Sim, SimConfig};
use serde_json::Value;

/// The longest one terraform command may run in a test.
const TF_RUN_LIMIT: Duration = Duration::from_secs(300);

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// stderr with Terraform's line wrapping undone (runs of white space become one space).
    pub fn err(&self) -> String {
        self.stderr.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

pub struct Env {
    pub rt: tokio::runtime::Runtime,
    pub sim: Sim,
    pub dir: tempfile::TempDir,
    http: reqwest::Client,
}

fn terraform_available() -> bool {
    Command::new("terraform").arg("version").output().map(|o| o.status.success()).unwrap_or(false)
}

/// None (after a loud warning) when terraform is missing outside CI; under CI=true a missing terraform fails.
pub fn env() -> Option<Env> {
    env_with(Duration::from_millis(200))
}

pub fn env_with(delay: Duration) -> Option<Env> {
    if !terraform_available() {
        if std::env::var("CI").map(|v| v == "true").unwrap_or(false) {
            panic!("terraform is not on PATH: the end-to-end tests cannot run, and CI requires them");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: terraform is not on PATH, the end-to-end test did not run !!!!!!!!!!\n");
        return None;
    }
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let config = SimConfig { create_delay: delay, update_delay: delay, delete_delay: delay, ..SimConfig::default() };
    let sim = rt.block_on(sim::start(config)).expect("simulator starts");
    let dir = tempfile::tempdir().unwrap();
    // A private copy of the provider, so that a concurrent cargo build cannot swap it mid-run.
    let provider_dir = dir.path().join("plugin");
    std::fs::create_dir(&provider_dir).unwrap();
    let exe = Path::new(env!("CARGO_BIN_EXE_terraform-provider-huaweicloud"));
    std::fs::copy(exe, provider_dir.join(exe.file_name().unwrap())).unwrap();
    std::fs::write(
        dir.path().join("cli.tfrc"),
        format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_ADDRESS}\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        ),
    )
    .unwrap();
    Some(Env { rt, sim, dir, http: reqwest::Client::new() })
}

impl Env {
    pub fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    /// The simulator's base URL.
    pub fn sim_url(&self) -> String {
        self.sim.url()
    }

    /// The provider block pointing every service at the simulator (no project_id: looked up via IAM).
    pub fn provider_block(&self) -> String {
        let url = self.sim.url();
        format!(
            r#"terraform {{
  required_providers {{
    huaweicloud = {{ source = "{PROVIDER_ADDRESS}" }}
  }}
}}

provider "huaweicloud" {{
  region     = "cn-north-4"
  access_key = "SIMULATORACCESSKEY01"
  secret_key = "simulator-secret-key-0123456789"
  max_retries = 3
  endpoints = {{
    iam     = "{url}"
    iotda   = "{url}"
    clouddc = "{url}"
    dms     = "{url}"
  }}
}}
"#
        )
    }

    /// The provider block with `max_retries` set to `n` instead of 3.
    pub fn provider_block_with_retries(&self, n: u32) -> String {
        self.provider_block().replace("max_retries = 3", &format!("max_retries = {n}"))
    }

    /// Another working directory on the same simulator and provider binary (a second pipeline with its
    /// own state): main.tf = provider block + `hcl`.
    pub fn sibling(&self, hcl: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(self.dir.path().join("cli.tfrc"), dir.path().join("cli.tfrc")).unwrap();
        std::fs::write(dir.path().join("main.tf"), format!("{}\n{hcl}", self.provider_block())).unwrap();
        dir
    }

    /// A call signed with the simulator's credentials, made out of band (as another tool would).
    pub fn api_call(&self, call: hwapi::client::Call) -> Value {
        let url = self.sim.url();
        let config = hwapi::client::ClientConfig {
            region: "cn-north-4".into(),
            project_id: Some("0123456789abcdef0123456789abcdef".into()),
            access_key: "SIMULATORACCESSKEY01".into(),
            secret_key: "simulator-secret-key-0123456789".into(),
            security_token: None,
            assume_role: None,
            max_retries: 0,
            endpoints: hwapi::client::Service::ALL.into_iter().map(|s| (s, url.clone())).collect(),
            user_agent: "out-of-band".into(),
            ca_bundle: None,
            insecure: false,
            backoff_base: Duration::from_millis(10),
            backoff_cap: Duration::from_millis(50),
        };
        let client = hwapi::client::Client::new(config).unwrap();
        self.rt.block_on(client.send(&call, None)).expect("out-of-band call").body
    }

    /// Writes main.tf = provider block + `hcl`.
    pub fn write(&self, hcl: &str) {
        self.write_raw(&format!("{}\n{hcl}", self.provider_block()));
    }

    pub fn write_raw(&self, content: &str) {
        std::fs::write(self.dir.path().join("main.tf"), content).unwrap();
    }

    /// Runs terraform; a run that takes longer than `TF_RUN_LIMIT` is killed and fails the test.
    pub fn tf(&self, args: &[&str]) -> Out {
        wait_out(self.spawn_tf(args), args)
    }

    /// `terraform apply`, which must succeed.
    pub fn apply(&self) -> Out {
        let out = self.tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, 0, "apply failed:\n{}", out.all());
        out
    }

    pub fn apply_fails(&self) -> Out {
        let out = self.tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
        assert_ne!(out.code, 0, "apply should fail:\n{}", out.all());
        out
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 1 = error, 2 = changes.
    pub fn plan(&self) -> Out {
        self.tf(&["plan", "-detailed-exitcode", "-input=false", "-no-color"])
    }

    pub fn assert_no_changes(&self) {
        let out = self.plan();
        assert_eq!(out.code, 0, "expected an empty plan:\n{}", out.all());
    }

    pub fn destroy(&self) -> Out {
        let out = self.tf(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
        assert_eq!(out.code, 0, "destroy failed:\n{}", out.all());
        out
    }

    /// The state as `terraform show -json` prints it.
    pub fn state(&self) -> Value {
        let out = self.tf(&["show", "-json", "-no-color"]);
        assert_eq!(out.code, 0, "{}", out.all());
        serde_json::from_str(&out.stdout).unwrap()
    }

    /// The state entry of one resource address (e.g. `huaweicloud_iotda_instance.a`), or Null.
    pub fn resource(&self, address: &str) -> Value {
        let state = self.state();
        let list =
            state.pointer("/values/root_module/resources").and_then(Value::as_array).cloned().unwrap_or_default();
        list.into_iter().find(|r| r["address"] == address).unwrap_or(Value::Null)
    }

    /// The id in state of the resource at `address`, which must be there.
    pub fn id_of(&self, address: &str) -> String {
        self.resource(address)["values"]["id"].as_str().expect("id in state").to_string()
    }

    /// The plan is one in-place change and no replacement.
    pub fn plans_in_place(&self) {
        let plan = self.plan();
        assert_eq!(plan.code, 2, "{}", plan.all());
        let summary = "0 to add, 1 to change, 0 to destroy";
        assert!(plan.stdout.contains(summary) && !plan.stdout.contains("forces replacement"), "{}", plan.stdout);
    }

    /// The pending change is an in-place update that only records values: applying it sends no call
    /// that changes anything, and leaves nothing to change.
    pub fn applies_in_place_without_api_writes(&self) {
        self.plans_in_place();
        self.clear_requests();
        self.apply();
        let writes = self.writes();
        assert!(writes.is_empty(), "{writes:?}");
        self.assert_no_changes();
    }

    /// Every case (a configuration after the provider block whose `type_name` resource is labelled "a") in
    /// one configuration, planned once (so only errors of Terraform's validation walk, where variables are
    /// still unknown): the errors Terraform shows for each
    /// case's resource (`with TYPE.cN`) name each of its expected parts, and no request reaches the API.
    /// Returns the plan's output.
    pub fn fail_at_plan_together(&self, type_name: &str, cases: &[(String, &[&str])]) -> Out {
        let hcl: String = cases
            .iter()
            .enumerate()
            .map(|(i, (hcl, _))| hcl.replace(&format!("\"{type_name}\" \"a\""), &format!("\"{type_name}\" \"c{i}\"")))
            .collect();
        self.clear_requests();
        self.write(&hcl);
        let out = self.plan();
        assert_eq!(out.code, 1, "the plan should fail:\n{}", out.all());
        let blocks: Vec<String> =
            out.stderr.split("Error: ").map(|b| b.split_whitespace().collect::<Vec<_>>().join(" ")).collect();
        for (i, (hcl, expected)) in cases.iter().enumerate() {
            let with = format!("with {type_name}.c{i},");
            let mine: Vec<&str> = blocks.iter().filter(|b| b.contains(&with)).map(String::as_str).collect();
            assert!(!mine.is_empty(), "no error for case {i}:\n{hcl}\n{}", out.stderr);
            let text = mine.join("\n");
            for part in *expected {
                assert!(text.contains(part), "{part:?} missing for case {i}:\n{hcl}\n{text}");
            }
        }
        let sent = self.requests();
        assert!(sent.is_empty(), "requests were sent for invalid configurations: {sent:?}");
        out
    }

    /// `hcl` (after the provider block) fails at plan, the errors name each of `expected`, and no
    /// request reaches the API.
    pub fn fails_at_plan_without_requests(&self, hcl: &str, expected: &[&str]) -> Out {
        self.clear_requests();
        self.write(hcl);
        let out = self.plan();
        assert_eq!(out.code, 1, "plan should fail for:\n{hcl}\n{}", out.all());
        for part in expected {
            assert!(out.err().contains(part), "{part:?} missing for:\n{hcl}\n{}", out.stderr);
        }
        let sent = self.requests();
        assert!(sent.is_empty(), "requests were sent for an invalid config: {sent:?}");
        out
    }

    fn admin(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}/_sim/{path}", self.sim.url());
        self.rt.block_on(async {
            let mut req = self.http.request(method, url);
            if let Some(b) = body {
                req = req.header("content-type", "application/json").body(b.to_string());
            }
            let resp = req.send().await.expect("admin call");
            let text = resp.text().await.unwrap();
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).unwrap()
            }
        })
    }

    pub fn sim_state(&self, service: &str) -> Vec<Value> {
        self.admin(reqwest::Method::GET, "state", None)[service].as_array().cloned().unwrap_or_default()
    }

    pub fn requests(&self) -> Vec<Value> {
        self.admin(reqwest::Method::GET, "requests", None).as_array().cloned().unwrap_or_default()
    }

    /// The temporary credentials the simulator's IAM issued (secret key and token redacted).
    pub fn issued_credentials(&self) -> Vec<Value> {
        self.admin(reqwest::Method::GET, "credentials", None).as_array().cloned().unwrap_or_default()
    }

    pub fn clear_requests(&self) {
        self.admin(reqwest::Method::DELETE, "requests", None);
    }

    /// The write (non-GET) requests sent since the log was last cleared.
    pub fn writes(&self) -> Vec<Value> {
        self.requests().into_iter().filter(|r| r["method"] != "GET").collect()
    }

    /// Requests with this method whose path contains `fragment`.
    pub fn requests_matching(&self, method: &str, fragment: &str) -> Vec<Value> {
        self.requests()
            .into_iter()
            .filter(|r| r["method"] == method && r["path"].as_str().unwrap_or("").contains(fragment))
            .collect()
    }

    pub fn fault(&self, fault: Value) {
        self.admin(reqwest::Method::POST, "faults", Some(fault));
    }

    pub fn clear_faults(&self) {
        self.admin(reqwest::Method::DELETE, "faults", None);
    }

    /// An out-of-band admin action on one object, e.g. `("iotda", id, "pay")`.
    pub fn action(&self, service: &str, id: &str, action: &str) -> Value {
        self.admin(reqwest::Method::POST, &format!("{service}/{id}/{action}"), None)
    }

    /// The ids of the resources in state, sorted.
    pub fn state_ids(&self) -> Vec<String> {
        let state = self.state();
        let list =
            state.pointer("/values/root_module/resources").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut ids: Vec<String> = list.iter().filter_map(|r| r["values"]["id"].as_str().map(str::to_string)).collect();
        ids.sort();
        ids
    }

    /// The ids of every live instance of the three services in the simulator, sorted (a terminated
    /// CloudDC instance, which the list shows for a while, is not one).
    pub fn live_sim_ids(&self) -> Vec<String> {
        let mut ids = self.sim_ids("iotda", "instance_id");
        ids.extend(self.sim_ids("kafka", "instance_id"));
        let live = self.sim_state("clouddc").into_iter().filter(|o| o["state"] != "terminated");
        ids.extend(live.filter_map(|o| o["id"].as_str().map(str::to_string)));
        ids.sort();
        ids
    }

    /// The ids of the simulator's objects of `service` (key `id_key`), sorted.
    pub fn sim_ids(&self, service: &str, id_key: &str) -> Vec<String> {
        let mut ids: Vec<String> =
            self.sim_state(service).iter().filter_map(|o| o[id_key].as_str().map(str::to_string)).collect();
        ids.sort();
        ids
    }

    pub fn fail_creates(&self, body: Value) {
        self.admin(reqwest::Method::POST, "fail-creates", Some(body));
    }

    /// Moves the simulator's clock forward: every status change due by then happens at once.
    pub fn advance_clock(&self, ms: u64) {
        self.admin(reqwest::Method::POST, "clock", Some(serde_json::json!({"advance_ms": ms})));
    }

    pub fn set_config(&self, body: Value) {
        self.admin(reqwest::Method::POST, "config", Some(body));
    }

    pub fn delete_out_of_band(&self, service: &str, id: &str) {
        self.admin(reqwest::Method::DELETE, &format!("{service}/{id}"), None);
    }

    pub fn patch(&self, service: &str, id: &str, patch: Value) -> Value {
        self.admin(reqwest::Method::PATCH, &format!("{service}/{id}"), Some(patch))
    }
}

impl Env {
    /// Starts `terraform args` in its own process group (as a shell job is), without waiting.
    pub fn spawn_tf(&self, args: &[&str]) -> std::process::Child {
        self.spawn_tf_with(args, &[])
    }

    /// `spawn_tf` with extra environment variables.
    pub fn spawn_tf_with(&self, args: &[&str], vars: &[(&str, &str)]) -> std::process::Child {
        self.spawn_tf_in(self.dir.path(), args, vars)
    }

    /// `terraform args` with extra environment variables, waited for (at most `TF_RUN_LIMIT`).
    pub fn tf_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Out {
        wait_out(self.spawn_tf_with(args, vars), args)
    }

    /// `spawn_tf_with` in another working directory (see [`Env::sibling`]).
    pub fn spawn_tf_in(&self, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> std::process::Child {
        use std::os::unix::process::CommandExt;
        Command::new("terraform")
            .args(args)
            .current_dir(dir)
            .env("TF_CLI_CONFIG_FILE", dir.join("cli.tfrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("CHECKPOINT_DISABLE", "1")
            // The simulator's instances change in milliseconds: poll from 50 ms, at most every second.
            .env("HUAWEICLOUD_POLL_SCHEDULE_MS", "50,1000")
            .env_remove("TF_LOG")
            .env_remove("HW_ACCESS_KEY")
            .env_remove("HW_SECRET_KEY")
            .env_remove("HW_REGION_NAME")
            .env_remove("HW_PROJECT_ID")
            .env_remove("HW_ASSUME_ROLE_AGENCY_NAME")
            .env_remove("HW_ASSUME_ROLE_DOMAIN_NAME")
            .env_remove("HW_ASSUME_ROLE_DOMAIN_ID")
            .env_remove("HW_ASSUME_ROLE_DURATION")
            .envs(vars.iter().copied())
            .process_group(0)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("terraform starts")
    }
}

/// Waits for a terraform run started by `spawn_tf*`; one that takes longer than `TF_RUN_LIMIT` is killed
/// and fails the test.
pub fn wait_out(child: std::process::Child, args: &[&str]) -> Out {
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let out = match rx.recv_timeout(TF_RUN_LIMIT) {
        Ok(out) => out.expect("terraform runs"),
        Err(_) => {
            // SAFETY: kills the process group this harness created for the run.
            unsafe {
                libc::kill(-pid, libc::SIGKILL);
            }
            panic!("terraform {args:?} ran longer than {TF_RUN_LIMIT:?} and was killed");
        }
    };
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Is this logged request on an instance list's path (where creates are posted and lookups read)?
pub fn on_instance_list(r: &Value) -> bool {
    let p = r["path"].as_str().unwrap_or("");
    p.ends_with("/iotda-instances") || p.ends_with("/instances")
}

/// Polls `done` every 50 ms for at most a minute (a condition on the simulator's request log or state).
pub fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let until = std::time::Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(std::time::Instant::now() < until, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// SIGKILL to terraform and everything it started (the provider included), then reap it.
pub fn kill_all(child: std::process::Child) {
    let pid = child.id() as i32;
    // SAFETY: kills the process group this test itself started.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
    let _ = child.wait_with_output();
}

/// SIGINT to terraform alone, or to its whole process group as a terminal's Ctrl-C does.
pub fn interrupt(child: &std::process::Child, whole_group: bool) {
    let pid = child.id() as i32;
    // SAFETY: signals the process (group) this test itself started.
    unsafe {
        libc::kill(if whole_group { -pid } else { pid }, libc::SIGINT);
    }
}
