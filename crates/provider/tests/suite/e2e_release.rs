//! The release: `scripts/release.sh` builds the provider for every platform this machine can build (the
//! cross builds for real, this machine's platform from the test's binary), zips it as the registry does,
//! writes SHA256SUMS and signs it with a throwaway GPG key. The same binaries zip to the same bytes, and
//! Terraform installs the zips from a filesystem mirror with an ordinary `required_providers` block (no
//! development overrides), locks every platform's package and plans against the simulator. The binary run
//! by hand says what it is and stops; `--version` prints the version.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::common;

const VERSION: &str = env!("CARGO_PKG_VERSION");
const NAME: &str = "terraform-provider-huaweicloud";
use hwprovider::PROVIDER_ADDRESS as SOURCE;

/// This machine's platform, whose zip holds the test's own binary.
fn host() -> &'static str {
    if cfg!(target_arch = "aarch64") {
        "linux_arm64"
    } else {
        "linux_amd64"
    }
}

/// The platforms a Linux machine builds; the other two need a macOS machine (.github/workflows/release.yml).
const LOCAL: [&str; 3] = ["linux_amd64", "linux_arm64", "windows_amd64"];

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/release.sh")
}

/// `release.sh VERSION OUT` (VERSION empty: Cargo.toml's), packaging the test's binary as this machine's.
fn release(version: &str, out: &Path, configure: impl FnOnce(&mut Command)) -> Output {
    let mut cmd = Command::new("bash");
    cmd.arg(script()).arg(version).arg(out);
    cmd.env("RELEASE_BINARY", env!("CARGO_BIN_EXE_terraform-provider-huaweicloud"))
        .env_remove("GPG_FINGERPRINT")
        .env_remove("RELEASE_PLATFORMS")
        // The zips' time is fixed unless the caller sets one; zip's options are never taken.
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("ZIPOPT");
    configure(&mut cmd);
    cmd.output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A throwaway signing key in its own GNUPGHOME; its agent is stopped when the key is dropped. The home
/// is a short path under /tmp: gpg-agent's socket lives there when the system gives it no run directory,
/// and a socket path has at most 107 bytes.
struct Key {
    home: PathBuf,
    fingerprint: String,
    _dir: tempfile::TempDir,
}

impl Key {
    fn new() -> Key {
        let dir = tempfile::Builder::new().prefix("g").tempdir_in("/tmp").unwrap();
        let home = dir.path().join("h");
        std::fs::create_dir(&home).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
        }
        let gpg = |args: &[&str]| Command::new("gpg").args(args).env("GNUPGHOME", &home).output().unwrap();
        let made = gpg(&[
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Release Test <release@example.invalid>",
            "ed25519",
            "sign",
            "never",
        ]);
        assert!(made.status.success(), "{}", stderr(&made));
        let listed = gpg(&["--batch", "--with-colons", "--list-secret-keys"]);
        let fingerprint = String::from_utf8_lossy(&listed.stdout)
            .lines()
            .find_map(|l| l.strip_prefix("fpr:").map(|r| r.trim_matches(':').to_string()))
            .expect("the new key's fingerprint");
        Key { home, fingerprint, _dir: dir }
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf").args(["--kill", "all"]).env("GNUPGHOME", &self.home).output();
    }
}

fn zip_name(platform: &str) -> String {
    format!("{NAME}_{VERSION}_{platform}.zip")
}

fn entry_name(platform: &str) -> String {
    let exe = if platform.starts_with("windows") { ".exe" } else { "" };
    format!("{NAME}_v{VERSION}{exe}")
}

/// The SHA256SUMS file as (file, hex digest).
fn sums(dist: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(dist.join(format!("{NAME}_{VERSION}_SHA256SUMS")))
        .unwrap()
        .lines()
        .map(|l| {
            let (sum, file) = l.split_once("  ").expect("sum  file");
            (file.to_string(), sum.to_string())
        })
        .collect()
}

/// Terraform's `h1:` hash of an unpacked package, computed here from the zip's one file: the base64 of
/// the SHA-256 of the line `<sha256 of the file>  <name>\n`.
fn h1_of(zip: &Path, entry: &str) -> String {
    let content = Command::new("unzip").arg("-p").arg(zip).arg(entry).output().unwrap();
    assert!(content.status.success() && !content.stdout.is_empty(), "{} holds no {entry}", zip.display());
    let line = format!("{}  {entry}\n", hex::encode(Sha256::digest(&content.stdout)));
    format!("h1:{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(line.as_bytes())))
}

#[cfg(target_os = "linux")]
#[test]
fn a_signed_release_of_every_local_platform_zips_reproducibly_and_installs_from_a_mirror() {
    let Some(env) = common::env() else { return };
    let dist = env.path().join("dist");
    let key = Key::new();
    let platforms = LOCAL.join(" ");
    let out = release("", &dist, |c| {
        c.env("RELEASE_PLATFORMS", &platforms).env("GPG_FINGERPRINT", &key.fingerprint).env("GNUPGHOME", &key.home);
    });
    assert!(out.status.success(), "{}", stderr(&out));

    // Every platform's zip, holding the one binary (`.exe` on windows), listed in SHA256SUMS with the
    // manifest; the sums check and the signature verifies with the key's public half.
    let listed: BTreeSet<String> = sums(&dist).into_iter().map(|(file, _)| file).collect();
    let mut expected: BTreeSet<String> = LOCAL.iter().map(|p| zip_name(p)).collect();
    expected.insert(format!("{NAME}_{VERSION}_manifest.json"));
    assert_eq!(listed, expected);
    for platform in LOCAL {
        let zip = dist.join(zip_name(platform));
        let entries = Command::new("unzip").arg("-Z").arg(&zip).output().unwrap();
        let entries = String::from_utf8_lossy(&entries.stdout);
        let files: Vec<&str> = entries.lines().filter(|l| l.starts_with('-')).collect();
        assert_eq!(files.len(), 1, "{entries}");
        // Mode 0755 and the default time, 1980-01-01 00:00 (zip's first), whatever the build's.
        assert!(
            files[0].starts_with("-rwxr-xr-x")
                && files[0].ends_with(&format!(" 80-Jan-01 00:00 {}", entry_name(platform))),
            "{entries}"
        );
    }
    let checked = Command::new("sha256sum")
        .args(["-c", &format!("{NAME}_{VERSION}_SHA256SUMS")])
        .current_dir(&dist)
        .output()
        .unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stdout));
    let verified = Command::new("gpg")
        .args(["--batch", "--verify"])
        .arg(dist.join(format!("{NAME}_{VERSION}_SHA256SUMS.sig")))
        .arg(dist.join(format!("{NAME}_{VERSION}_SHA256SUMS")))
        .env("GNUPGHOME", &key.home)
        .output()
        .unwrap();
    assert!(verified.status.success(), "{}", stderr(&verified));
    assert!(stderr(&verified).contains(&key.fingerprint), "{}", stderr(&verified));
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dist.join(format!("{NAME}_{VERSION}_manifest.json"))).unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["protocol_versions"], serde_json::json!(["6.0"]));

    // A second run reuses every build and, in another time zone and umask, zips the same bytes. Without
    // GPG_FINGERPRINT it writes everything but the signature (a stale one goes), warns and succeeds.
    let again = env.path().join("again");
    std::fs::create_dir(&again).unwrap();
    std::fs::write(again.join(format!("{NAME}_{VERSION}_SHA256SUMS.sig")), "stale").unwrap();
    let second = Command::new("bash")
        .args(["-c", "umask 077; exec bash \"$0\" \"$@\""])
        .arg(script())
        .arg("")
        .arg(&again)
        .env("RELEASE_BINARY", env!("CARGO_BIN_EXE_terraform-provider-huaweicloud"))
        .env("RELEASE_PLATFORMS", &platforms)
        .env("TZ", "Pacific/Auckland")
        .env("ZIPOPT", "-0")
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("GPG_FINGERPRINT")
        .output()
        .unwrap();
    let said = stderr(&second);
    assert!(second.status.success(), "{said}");
    assert!(said.contains("WARNING: GPG_FINGERPRINT is not set"), "{said}");
    assert!(!said.contains("Compiling"), "the second run built again:\n{said}");
    assert!(!again.join(format!("{NAME}_{VERSION}_SHA256SUMS.sig")).exists());
    for platform in LOCAL {
        let (a, b) = (
            std::fs::read(dist.join(zip_name(platform))).unwrap(),
            std::fs::read(again.join(zip_name(platform))).unwrap(),
        );
        assert!(a == b, "{platform}: the two runs' zips differ");
    }
    assert_eq!(sums(&again), sums(&dist));

    // The packed mirror layout: HOST/NAMESPACE/TYPE/<the release zips>. Only this provider is installed,
    // and only from the mirror, so no registry is ever asked.
    let mirror = env.path().join("mirror");
    let dir = mirror.join("registry.terraform.io").join(SOURCE);
    std::fs::create_dir_all(&dir).unwrap();
    for platform in LOCAL {
        std::fs::copy(dist.join(zip_name(platform)), dir.join(zip_name(platform))).unwrap();
    }
    std::fs::write(
        env.path().join("cli.tfrc"),
        format!(
            "provider_installation {{\n  filesystem_mirror {{\n    path    = \"{}\"\n    include = [\"{SOURCE}\"]\n  }}\n  direct {{\n    exclude = [\"{SOURCE}\"]\n  }}\n}}\n",
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

    // The lock file, for every platform: a filesystem mirror gives Terraform no signed SHA256SUMS, so it
    // records each package's `h1:` hash, which must be that of the zip's binary.
    let mut lock = vec!["providers", "lock", "-no-color"];
    let fs_mirror = format!("-fs-mirror={}", mirror.display());
    lock.push(&fs_mirror);
    let flags: Vec<String> = LOCAL.iter().map(|p| format!("-platform={p}")).collect();
    lock.extend(flags.iter().map(String::as_str));
    let locked = env.tf(&lock);
    assert_eq!(locked.code, 0, "{}", locked.all());
    let lock_file = std::fs::read_to_string(env.path().join(".terraform.lock.hcl")).unwrap();
    let hashes: BTreeSet<String> =
        lock_file.split('"').filter(|s| s.starts_with("h1:") || s.starts_with("zh:")).map(str::to_string).collect();
    let expected: BTreeSet<String> = LOCAL.iter().map(|p| h1_of(&dist.join(zip_name(p)), &entry_name(p))).collect();
    assert_eq!(hashes, expected, "{lock_file}");

    let plan = env.tf(&["plan", "-input=false", "-no-color"]);
    assert_eq!(plan.code, 0, "{}", plan.all());
    assert!(plan.stdout.contains("count = 0"), "{}", plan.stdout);
    // The installed binary signed its calls with its version in the user agent.
    let agents: Vec<Value> = env.requests().iter().map(|r| r["user_agent"].clone()).collect();
    assert!(
        agents.iter().any(|a| a.as_str().is_some_and(|a| a.starts_with(&format!("{NAME}/{VERSION} ")))),
        "{agents:?}"
    );
}

/// What cannot be built here, or is not what its zip would say, is refused before anything is written.
#[test]
fn a_release_refuses_a_platform_it_cannot_build_or_a_binary_it_would_mislabel() {
    let dir = tempfile::tempdir().unwrap();
    let refused = |out: Output, says: &str| {
        assert!(!out.status.success(), "accepted; wanted a refusal saying {says:?}");
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    };
    let dist = dir.path().join("dist");
    // A binary of another version is refused, not packaged under the wrong number.
    refused(
        release("9.9.9", &dist, |c| {
            c.env("RELEASE_PLATFORMS", host());
        }),
        "not 9.9.9",
    );
    // A Windows binary (its PE header) offered as this machine's is not zipped as linux.
    let mut pe = vec![0u8; 0x48];
    pe[..2].copy_from_slice(b"MZ");
    pe[0x3c] = 0x40;
    pe[0x40..0x46].copy_from_slice(b"PE\0\0\x64\x86");
    let fake = dir.path().join("fake.exe");
    std::fs::write(&fake, pe).unwrap();
    refused(
        release("", &dist, |c| {
            c.env("RELEASE_BINARY", &fake).env("RELEASE_PLATFORMS", host());
        }),
        &format!("is a windows_amd64 binary, not {}", host()),
    );
    refused(
        release("", &dist, |c| {
            c.env("RELEASE_PLATFORMS", format!("{} plan9_amd64", host()));
        }),
        "unknown platform plan9_amd64",
    );
    // The old relabelling of a binary built elsewhere is gone, loudly.
    refused(
        release("", &dist, |c| {
            c.env("RELEASE_OS", "darwin");
        }),
        "RELEASE_PLATFORMS",
    );
    if cfg!(target_os = "linux") {
        refused(
            release("", &dist, |c| {
                c.env("RELEASE_PLATFORMS", format!("{} darwin_arm64", host()));
            }),
            "darwin_arm64 cannot be built on Linux",
        );
    }
    assert!(!dist.exists(), "a refused release wrote {dist:?}");

    // A zip already in OUTDIR is listed in the sums (another machine's platforms), so it is checked too:
    // a linux binary in a darwin zip is refused, and nothing is signed.
    let mixed = dir.path().join("mixed");
    std::fs::create_dir(&mixed).unwrap();
    let entry = dir.path().join(entry_name("darwin_arm64"));
    std::fs::copy(env!("CARGO_BIN_EXE_terraform-provider-huaweicloud"), &entry).unwrap();
    let zipped = Command::new("zip").arg("-qj").arg(mixed.join(zip_name("darwin_arm64"))).arg(&entry).output().unwrap();
    assert!(zipped.status.success(), "{}", stderr(&zipped));
    refused(
        release("", &mixed, |c| {
            c.env("RELEASE_PLATFORMS", host());
        }),
        &format!("holds a {} binary, not darwin_arm64", host()),
    );
    assert!(!mixed.join(format!("{NAME}_{VERSION}_SHA256SUMS")).exists());
}

#[test]
fn run_by_hand_it_says_what_it_is_and_stops() {
    let exe = env!("CARGO_BIN_EXE_terraform-provider-huaweicloud");
    let version = Command::new(exe).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), format!("{NAME} {VERSION}"));
    let by_hand = Command::new(exe).env_remove("TF_PLUGIN_MAGIC_COOKIE").output().unwrap();
    assert_eq!(by_hand.status.code(), Some(1));
    let said = String::from_utf8_lossy(&by_hand.stderr);
    assert!(said.contains("this is a Terraform plugin"), "{said}");
}
