//! The example module's `terraform test` suite, run as a module author would: against the simulator,
//! with the provider's endpoints pointing at it. Every run passes and the test's teardown leaves
//! nothing behind.

use std::path::Path;

use crate::common;

#[test]
fn the_example_module_passes_its_terraform_test_suite_offline() {
    let Some(env) = common::env() else { return };
    let module = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/modules/kafka_streaming");
    std::fs::copy(module.join("main.tf"), env.path().join("main.tf")).unwrap();
    std::fs::create_dir_all(env.path().join("tests")).unwrap();
    let tests = std::fs::read_to_string(module.join("tests/module.tftest.hcl")).unwrap();
    // The simulator of this test listens on a port of its own.
    assert!(tests.contains("http://127.0.0.1:8900"), "the test file names the simulator's default address");
    let tests = tests.replace("http://127.0.0.1:8900", &env.sim_url());
    std::fs::write(env.path().join("tests/module.tftest.hcl"), tests).unwrap();

    let out = env.tf(&["test", "-no-color"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(out.stdout.contains("Success! 3 passed, 0 failed."), "{}", out.stdout);
    assert!(!env.requests().is_empty(), "the runs reached the simulator");
    let live: Vec<_> = env.sim_state("kafka").into_iter().filter(|i| i["status"] != "DELETED").collect();
    assert!(live.is_empty(), "the teardown destroyed everything: {live:?}");
}
