//! End to end with the real `terraform`: the echo provider example, installed through dev_overrides,
//! applied, planned again with no changes, destroyed. Terraform starts it with AutoMTLS (its P-521
//! client certificate), reads the handshake line and shuts it down after every command.

use std::path::Path;
use std::process::{Command, Output};

fn terraform_available() -> bool {
    Command::new("terraform").arg("version").output().map(|o| o.status.success()).unwrap_or(false)
}

fn terraform(dir: &Path, args: &[&str]) -> Output {
    Command::new("terraform")
        .args(args)
        .arg("-no-color")
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", dir.join("cli.tfrc"))
        .env("TF_IN_AUTOMATION", "1")
        .env("CHECKPOINT_DISABLE", "1")
        .env_remove("TF_LOG")
        .output()
        .expect("terraform runs")
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

fn state(dir: &Path) -> serde_json::Value {
    let bytes = std::fs::read(dir.join("terraform.tfstate")).expect("a state file");
    serde_json::from_slice(&bytes).expect("the state is JSON")
}

#[test]
fn terraform_applies_plans_and_destroys_an_echo_thing() {
    if !terraform_available() {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("terraform is not on PATH: the end-to-end test cannot run, and CI requires it");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: terraform is not on PATH, the end-to-end test did not run !!!!!!!!!!\n");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let dir = dir.path();
    // A private copy under the name Terraform looks for.
    let plugins = dir.join("plugins");
    std::fs::create_dir(&plugins).expect("the plugin directory");
    std::fs::copy(
        tfplugin::testing::example_binary("terraform-plugin-protocol", "echo_provider"),
        plugins.join("terraform-provider-echo"),
    )
    .expect("the provider copied");
    let cli = format!(
        "provider_installation {{\n  dev_overrides {{\n    \"local/echo\" = \"{}\"\n  }}\n  direct {{}}\n}}\n",
        plugins.display()
    );
    std::fs::write(dir.join("cli.tfrc"), cli).expect("the CLI config");
    std::fs::write(
        dir.join("main.tf"),
        r#"
terraform {
  required_providers {
    echo = { source = "local/echo" }
  }
}

resource "echo_thing" "one" {
  value = "hello"
}

output "id" {
  value = echo_thing.one.id
}
"#,
    )
    .expect("the configuration");

    let apply = terraform(dir, &["apply", "-auto-approve"]);
    assert!(apply.status.success(), "apply: {}", text(&apply));
    assert!(text(&apply).contains("1 added"), "{}", text(&apply));
    let applied = state(dir);
    assert_eq!(applied["outputs"]["id"]["value"], "echo-hello", "{applied}");
    let attributes = &applied["resources"][0]["instances"][0]["attributes"];
    assert_eq!((attributes["id"].as_str(), attributes["value"].as_str()), (Some("echo-hello"), Some("hello")));

    // Read and plan again: nothing to change (exit code 0, not 2).
    let plan = terraform(dir, &["plan", "-detailed-exitcode"]);
    assert_eq!(plan.status.code(), Some(0), "plan: {}", text(&plan));

    let destroy = terraform(dir, &["destroy", "-auto-approve"]);
    assert!(destroy.status.success(), "destroy: {}", text(&destroy));
    assert!(text(&destroy).contains("1 destroyed"), "{}", text(&destroy));
    assert_eq!(state(dir)["resources"], serde_json::json!([]));
}
