//! Interrupted work converges: a re-apply during an interrupted resize waits and sends only what is
//! still different; an instance left being deleted by an interrupted destroy is planned for
//! replacement and created again once it is gone.

use serde_json::json;

use crate::common::{self, hcl, wait_for};

const ADDR: &str = "huaweicloud_dms_kafka_instance.a";

fn show_polls(env: &common::Env, id: &str) -> usize {
    env.requests()
        .iter()
        .filter(|r| r["method"] == "GET" && r["path"].as_str().is_some_and(|p| p.ends_with(id)))
        .count()
}

/// Storage 600 -> 700, interrupted while the instance is EXTENDING; the re-apply waits for it, reads it
/// again and sends nothing more: one extend call in all.
#[test]
fn a_reapply_after_an_interrupted_resize_sends_nothing_twice() {
    let Some(env) = common::env() else { return };
    env.write(&hcl::kafka("a", "tf-resize", ""));
    env.apply();
    let id = env.id_of(ADDR);
    env.set_config(json!({"update_delay_ms": 600_000}));
    env.write(
        &hcl::kafka("a", "tf-resize", "").replace("storage_space          = 600", "storage_space          = 700"),
    );
    env.clear_requests();
    let apply = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_for("the extend call", || !env.requests_matching("POST", "/extend").is_empty());
    common::interrupt(&apply, true);
    let out = common::wait_out(apply, &["apply"]);
    assert_ne!(out.code, 0, "{}", out.all());
    assert_eq!(env.requests_matching("POST", "/extend").len(), 1);
    assert_eq!(env.sim_state("kafka")[0]["status"], "EXTENDING");

    // Re-applied at once: the plan still shows 600 -> 700; the apply waits for the resize under way.
    env.clear_requests();
    let reapply = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_for("the wait for the instance to settle", || show_polls(&env, &id) > 0);
    env.advance_clock(600_000);
    let out = common::wait_out(reapply, &["apply"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(env.requests_matching("POST", "/extend").is_empty(), "no second extend call");
    let sim = &env.sim_state("kafka")[0];
    assert_eq!((sim["status"].as_str(), sim["storage_space"].as_i64()), (Some("RUNNING"), Some(700)));
    assert_eq!(env.resource(ADDR)["values"]["storage_space"], 700);
    env.assert_no_changes();
    env.destroy();
}

/// A destroy interrupted while the instance is DELETING: the plan does not say "No changes" but
/// replaces it (with a warning saying why); the apply waits until it is gone, then creates it again.
#[test]
fn an_instance_left_deleting_is_replaced_once_gone() {
    let Some(env) = common::env() else { return };
    env.write(&hcl::kafka("a", "tf-deleting", ""));
    env.apply();
    let old = env.id_of(ADDR);
    env.set_config(json!({"delete_delay_ms": 600_000}));
    let destroy = env.spawn_tf(&["destroy", "-auto-approve", "-input=false", "-no-color"]);
    wait_for("the delete call", || !env.requests_matching("DELETE", &old).is_empty());
    common::interrupt(&destroy, true);
    let out = common::wait_out(destroy, &["destroy"]);
    assert_ne!(out.code, 0, "{}", out.all());
    assert_eq!(env.sim_state("kafka")[0]["status"], "DELETING");

    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    let text = plan.all().split_whitespace().collect::<Vec<_>>().join(" ");
    for part in ["must be replaced", "is being deleted (status \"DELETING\")", "1 to add, 0 to change, 1 to destroy"] {
        assert!(text.contains(part), "{part} missing:\n{}", plan.all());
    }

    env.clear_requests();
    env.set_config(json!({"delete_delay_ms": 200}));
    let apply = env.spawn_tf(&["apply", "-auto-approve", "-input=false", "-no-color"]);
    wait_for("the wait for the deletion", || show_polls(&env, &old) > 1);
    env.advance_clock(600_000);
    let out = common::wait_out(apply, &["apply"]);
    assert_eq!(out.code, 0, "{}", out.all());
    let ids = env.sim_ids("kafka", "instance_id");
    assert_eq!(ids.len(), 1);
    assert_ne!(ids[0], old);
    assert_eq!(env.id_of(ADDR), ids[0]);
    env.assert_no_changes();
    env.destroy();
}
