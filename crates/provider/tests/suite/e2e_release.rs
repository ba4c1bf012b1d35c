//! The release artefacts: `scripts/release.sh` packages the provider as the registry does, and
//! Terraform installs that zip from a filesystem mirror with an ordinary `required_providers` block
//! (no development overrides), then plans against the simulator with it. The binary run by hand says
//! what it is and stops; `--version` prints the version.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::common;

const VERSION: &str = env!("CARGO_PKG_VERSION");
use hwprovider::PROVIDER_ADDRESS as SOURCE;

#[test]
fn a_release_zip_installs_from_a_filesystem_mirror_and_plans() {
    let Some(env) = common::env() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dist = env.path().join("dist");
    let exe = env!("CARGO_BIN_EXE_terraform-provider-huaweicloud");
    let out = Command::new("bash")
        .arg(root.join("scripts/release.sh"))
        .arg("")
        .arg(&dist)
        .env("RELEASE_BINARY", exe)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A binary of another version is refused, not packaged under the wrong number.
    let wrong = Command::new("bash")
        .arg(root.join("scripts/release.sh"))
        .arg("9.9.9")
        .arg(env.path().join("dist-wrong"))
        .env("RELEASE_BINARY", exe)
        .output()
        .unwrap();
    assert!(!wrong.status.success() && String::from_utf8_lossy(&wrong.stderr).contains("not 9.9.9"));
    let (os, arch) = ("linux", if cfg!(target_arch = "aarch64") { "arm64" } else { "amd64" });
    let zip = format!("terraform-provider-huaweicloud_{VERSION}_{os}_{arch}.zip");
    for file in [
        &zip,
        &format!("terraform-provider-huaweicloud_{VERSION}_SHA256SUMS"),
        &format!("terraform-provider-huaweicloud_{VERSION}_manifest.json"),
    ] {
        assert!(dist.join(file).exists(), "{file} missing");
    }
    let sums = Command::new("sha256sum")
        .args(["-c", &format!("terraform-provider-huaweicloud_{VERSION}_SHA256SUMS")])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", String::from_utf8_lossy(&sums.stdout));
    let manifest: Value = serde_json::from_slice(
        &std::fs::read(dist.join(format!("terraform-provider-huaweicloud_{VERSION}_manifest.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["metadata"]["protocol_versions"], serde_json::json!(["6.0"]));
    let listed = Command::new("unzip").arg("-Z1").arg(dist.join(&zip)).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), format!("terraform-provider-huaweicloud_v{VERSION}"));

    // The packed mirror layout: HOST/NAMESPACE/TYPE/<the release zip>. Only this provider is installed, and
    // only from the mirror, so no registry is ever asked.
    let mirror = env.path().join("mirror");
    let dir = mirror.join("registry.terraform.io").join(SOURCE);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(dist.join(&zip), dir.join(&zip)).unwrap();
    std::fs::write(
        env.path().join("cli.tfrc"),
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{SOURCE}\"]\n  }}\n}}\n",
            mirror.display()
        ),
    )
    .unwrap();
    let provider = env
        .provider_block()
        .replace(&format!("source = \"{SOURCE}\""), &format!("source = \"{SOURCE}\"\n      version = \"{VERSION}\""));
    env.write_raw(&format!(
        "{provider}\ndata \"huaweicloud_iotda_instances\" \"all\" {{}}\n\noutput \"count\" {{\n  value = length(data.huaweicloud_iotda_instances.all.instances)\n}}\n"
    ));
    let init = env.tf(&["init", "-input=false", "-no-color"]);
    assert_eq!(init.code, 0, "{}", init.all());
    assert!(init.stdout.contains(&format!("Installed {SOURCE} v{VERSION}")), "{}", init.stdout);
    let plan = env.tf(&["plan", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(plan.stdout.contains("count = 0"), "{}", plan.stdout);
    // The installed binary signed its calls with its version in the user agent.
    let agents: Vec<Value> = env.requests().iter().map(|r| r["user_agent"].clone()).collect();
    assert!(
        agents
            .iter()
            .any(|a| a.as_str().is_some_and(|a| a.starts_with(&format!("terraform-provider-huaweicloud/{VERSION} ")))),
        "{agents:?}"
    );
}

#[test]
fn run_by_hand_it_says_what_it_is_and_stops() {
    let exe = env!("CARGO_BIN_EXE_terraform-provider-huaweicloud");
    let version = Command::new(exe).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("terraform-provider-huaweicloud {VERSION}"));
    let by_hand = Command::new(exe).env_remove("TF_PLUGIN_MAGIC_COOKIE").output().unwrap();
    assert_eq!(by_hand.status.code(), Some(1));
    let said = String::from_utf8_lossy(&by_hand.stderr);
    assert!(said.contains("this is a Terraform plugin"), "{said}");
}
