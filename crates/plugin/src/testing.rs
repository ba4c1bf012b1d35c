//! Support for the end-to-end tests of providers built on this crate: an example provider's binary,
//! built for the test that asks for it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The binary of `example` of `package`, built by `cargo build --example` (a no-op when `cargo test`
/// built the examples already) into the target directory, target and profile of the running test, whose
/// binary is `<target dir>[/<triple>]/<profile dir>/deps/<test>`. Panics when it cannot be built.
pub fn example_binary(package: &str, example: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test's path");
    let profile_dir = exe.parent().and_then(Path::parent).expect("<target dir>/<profile dir>");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    build.args(["build", "--locked", "-p", package, "--example", example]);
    let above = profile_dir.parent().expect("the target directory");
    if above.join("CACHEDIR.TAG").exists() {
        build.arg("--target-dir").arg(above);
    } else {
        let triple = above.file_name().and_then(|n| n.to_str()).expect("a target triple");
        build.args(["--target", triple]).arg("--target-dir").arg(above.parent().expect("the target directory"));
    }
    match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => {}
        Some("release") => {
            build.arg("--release");
        }
        Some(profile) => {
            build.args(["--profile", profile]);
        }
    }
    // Without the variables cargo sets for the running test (its package's), which build scripts would
    // see as a changed environment and rebuild for, and then again for the next `cargo test`.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name == "OUT_DIR" || name.starts_with("CARGO_PKG_") || name.starts_with("CARGO_MANIFEST_") {
            build.env_remove(&*name);
        }
    }
    let out = build.output().expect("cargo runs");
    assert!(out.status.success(), "the example {example} builds:\n{}", String::from_utf8_lossy(&out.stderr));
    let path = profile_dir.join("examples").join(format!("{example}{}", std::env::consts::EXE_SUFFIX));
    assert!(path.is_file(), "{} exists", path.display());
    path
}
