//! huaweicloud_dms_kafka_user and huaweicloud_dms_kafka_permissions (and the users data source)
//! through real Terraform against the simulator.

use serde_json::{json, Value};

use crate::common;

const USER: &str = "huaweicloud_dms_kafka_user.u";
const PERMS: &str = "huaweicloud_dms_kafka_permissions.p";
/// The simulator's project (the tests' provider block looks it up through IAM).
const PROJECT_ID: &str = "0123456789abcdef0123456789abcdef";

/// A SASL instance, a topic, a user (with `user`'s lines) and the topic's policies (`policies` lines).
fn config(user: &str, policies: &str) -> String {
    let instance = common::hcl::kafka(
        "k",
        "tf-kafka-access",
        "ssl_enable = true\n  access_user = \"admin-user\"\n  password = \"Sasl@Pass-01\"",
    );
    format!(
        r#"{instance}
resource "huaweicloud_dms_kafka_topic" "t" {{
  instance_id = huaweicloud_dms_kafka_instance.k.id
  name        = "orders"
  partition   = 3
  replication = 3
}}

resource "huaweicloud_dms_kafka_user" "u" {{
  instance_id = huaweicloud_dms_kafka_instance.k.id
  name        = "orders-app"
  {user}
}}

resource "huaweicloud_dms_kafka_permissions" "p" {{
  instance_id = huaweicloud_dms_kafka_instance.k.id
  topic_name  = huaweicloud_dms_kafka_topic.t.name
  {policies}
}}

{}"#,
        data_and_output()
    )
}

/// The users data source and an output of their names.
fn data_and_output() -> &'static str {
    r#"
data "huaweicloud_dms_kafka_users" "all" {
  instance_id = huaweicloud_dms_kafka_instance.k.id
  depends_on  = [huaweicloud_dms_kafka_user.u]
}

output "user_names" {
  value = [for u in data.huaweicloud_dms_kafka_users.all.users : u.name]
}
"#
}

fn policy(user: &str, access: &str) -> String {
    format!("policies {{\n    user_name = \"{user}\"\n    access_policy = \"{access}\"\n  }}\n  ")
}

/// The user (with the app user's password and description `desc`) and policies for it and the admin.
fn both(password: &str, desc: &str, app: &str, admin: &str) -> String {
    let user = format!("password = \"{password}\"\n  description = \"{desc}\"");
    let policies = format!("{}{}", policy("${huaweicloud_dms_kafka_user.u.name}", app), policy("admin-user", admin));
    config(&user, &policies)
}

/// The policies the simulator holds for the topic, as (user, access), sorted.
fn sim_policies(env: &common::Env, instance: &str) -> Vec<(String, String)> {
    let call = hwapi::client::Call::to(&hwapi::contract::kafka::POLICY_SHOW)
        .arg("instance_id", instance)
        .arg("topic_name", "orders");
    let shown = env.api_call(call);
    let mut out: Vec<(String, String)> = shown["policies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| (p["user_name"].as_str().unwrap().to_string(), p["access_policy"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

fn pair(u: &str, a: &str) -> (String, String) {
    (u.to_string(), a.to_string())
}

#[test]
fn users_and_topic_permissions_lifecycle() {
    let Some(env) = common::env() else { return };
    env.write(&both("Orders@Pass-01", "orders service", "pub", "all"));
    env.apply();
    let instance = env.id_of("huaweicloud_dms_kafka_instance.k");
    assert_eq!(env.id_of(USER), format!("{instance}/orders-app"));
    assert_eq!(env.id_of(PERMS), format!("{instance}/orders"));

    // The create calls, as the contract declares them.
    let created = env.requests_matching("POST", "/users");
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["body"]["user_name"], "orders-app");
    assert_eq!(created[0]["body"]["user_desc"], "orders service");
    let set = env.requests_matching("POST", "/topics/accesspolicy");
    assert_eq!(set.len(), 1, "{set:?}");
    assert_eq!(set[0]["path"], format!("/v1/{}/instances/{instance}/topics/accesspolicy", PROJECT_ID));
    assert_eq!(set[0]["body"]["topics"][0]["name"], "orders");
    assert_eq!(sim_policies(&env, &instance), [pair("admin-user", "all"), pair("orders-app", "pub")]);
    let out = env.tf(&["output", "-json", "user_names"]);
    let names: Value = serde_json::from_str(&out.stdout).unwrap_or_default();
    assert!(names.as_array().is_some_and(|n| n.contains(&json!("orders-app"))), "{}", out.all());
    env.assert_no_changes();

    // The password never reaches the state in a readable place other than the sensitive argument.
    let state = env.tf(&["state", "show", "-no-color", USER]);
    assert!(!state.stdout.contains("Orders@Pass-01"), "{}", state.stdout);

    // In place: a new password through the reset call, a new description through the user update,
    // a policy changed through one update of the topic's whole list.
    env.clear_requests();
    env.write(&both("Orders@Pass-02", "all orders", "sub", "all"));
    let plan = env.plan();
    let summary = "0 to add, 2 to change, 0 to destroy";
    assert!(plan.stdout.contains(summary) && !plan.stdout.contains("forces replacement"), "{}", plan.stdout);
    env.apply();
    let reset = env.requests_matching("PUT", "/users/orders-app");
    let (update, reset): (Vec<Value>, Vec<Value>) =
        reset.into_iter().partition(|r| r["path"].as_str().unwrap().starts_with("/v2/kafka/"));
    assert_eq!(reset.len(), 1, "{reset:?}");
    assert_eq!(reset[0]["path"], format!("/v2/{}/instances/{instance}/users/orders-app", PROJECT_ID));
    assert_eq!(update.len(), 1, "{update:?}");
    assert_eq!(update[0]["body"], json!({"user_desc": "all orders"}));
    assert_eq!(env.requests_matching("POST", "/topics/accesspolicy").len(), 1);
    assert_eq!(sim_policies(&env, &instance), [pair("admin-user", "all"), pair("orders-app", "sub")]);
    env.assert_no_changes();

    // A policy changed elsewhere is drift; the plan sets the list back in place.
    let change =
        json!({"topics": [{"name": "orders", "policies": [{"user_name": "orders-app", "access_policy": "all"}]}]});
    let call = hwapi::client::Call::to(&hwapi::contract::kafka::POLICY_UPDATE).arg("instance_id", instance.as_str());
    env.api_call(call.body(change));
    let plan = env.plan();
    assert_eq!(plan.code, 2, "{}", plan.all());
    env.apply();
    assert_eq!(sim_policies(&env, &instance), [pair("admin-user", "all"), pair("orders-app", "sub")]);
    env.assert_no_changes();

    // Import of the permissions by `<instance_id>/<topic_name>` round-trips.
    assert_eq!(env.tf(&["state", "rm", "-no-color", PERMS]).code, 0);
    let out = env.tf(&["import", "-no-color", "-input=false", PERMS, &format!("{instance}/orders")]);
    assert_eq!(out.code, 0, "{}", out.all());
    env.assert_no_changes();

    // Removing the permissions resource removes exactly its policies: one added elsewhere since stays.
    let without = both("Orders@Pass-02", "all orders", "sub", "all")
        .split("resource \"huaweicloud_dms_kafka_permissions\"")
        .next()
        .unwrap()
        .to_string();
    let added = json!({"topics": [{"name": "orders", "policies": [
        {"user_name": "orders-app", "access_policy": "sub"}, {"user_name": "admin-user", "access_policy": "all"},
        {"user_name": "orders-app2", "access_policy": "pub"}]}]});
    let app2 = hwapi::client::Call::to(&hwapi::contract::kafka::USER_CREATE).arg("instance_id", instance.as_str());
    env.api_call(app2.body(json!({"user_name": "orders-app2", "user_passwd": "Orders@Pass-09"})));
    let call = hwapi::client::Call::to(&hwapi::contract::kafka::POLICY_UPDATE).arg("instance_id", instance.as_str());
    env.api_call(call.body(added));
    env.write(&format!("{without}\n{}", data_and_output()));
    env.apply();
    assert_eq!(sim_policies(&env, &instance), [pair("orders-app2", "pub")]);

    // Destroy: the user through the batch delete.
    env.clear_requests();
    env.destroy();
    let deleted = env.requests_matching("PUT", "/users");
    let batch: Vec<&Value> = deleted.iter().filter(|r| r["body"]["action"] == "delete").collect();
    assert_eq!(batch.len(), 1, "{deleted:?}");
    assert_eq!(batch[0]["body"], json!({"action": "delete", "users": ["orders-app"]}));
    assert!(env.sim_state("kafka").is_empty());
}

#[test]
fn users_and_permissions_are_checked_at_plan() {
    let Some(env) = common::env() else { return };
    let user = |name: &str, password: &str| {
        format!(
            r#"
resource "huaweicloud_dms_kafka_user" "a" {{
  instance_id = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d"
  name        = "{name}"
  password    = "{password}"
}}
"#
        )
    };
    env.fail_at_plan_together(
        "huaweicloud_dms_kafka_user",
        &[
            (user("app-user", "resu-ppa"), &["password", "must not be the same as name or name reversed"]),
            (user("1app", "Orders@Pass-01"), &["name", "starts with a letter"]),
            (user("app-user", "password"), &["password", "at least three of"]),
        ],
    );
    let perms = |access: &str| {
        format!(
            r#"
resource "huaweicloud_dms_kafka_permissions" "a" {{
  instance_id = "8959ab1c-7a1a-4b51-a05e-93dfc361b32d"
  topic_name  = "orders"
  policies {{
    user_name     = "app-user"
    access_policy = "{access}"
  }}
}}
"#
        )
    };
    env.fail_at_plan_together(
        "huaweicloud_dms_kafka_permissions",
        &[(perms("write"), &["access_policy", "must be one of \"all\", \"pub\", \"sub\""])],
    );
}

#[test]
fn a_user_on_an_instance_without_sasl_is_refused_by_the_service() {
    let Some(env) = common::env() else { return };
    let instance = common::hcl::kafka("k", "tf-kafka-plain", "");
    env.write(&format!(
        r#"{instance}
resource "huaweicloud_dms_kafka_user" "u" {{
  instance_id = huaweicloud_dms_kafka_instance.k.id
  name        = "orders-app"
  password    = "Orders@Pass-01"
}}
"#
    ));
    let out = env.apply_fails();
    assert!(out.err().contains("DMS.00400000"), "{}", out.all());
    assert!(env.resource(USER).is_null(), "a refused user is not in the state");
    env.destroy();
}
