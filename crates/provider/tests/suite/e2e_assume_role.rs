//! `assume_role` through real Terraform against the simulator: the configured keys only obtain the
//! agency's temporary credentials, which sign every other request and are renewed before they expire
//! during a long apply; the issued secret and token reach no log, state or output; the environment
//! variables stand in for the block; a doubled domain fails at plan.
//!
//! Why the renewal cannot depend on the machine's speed: the simulator grants the credentials six
//! seconds (its lifetime cap, as IAM may grant less than asked) and the provider renews them halfway,
//! three seconds after it got them; the instance takes eight seconds of real time to become ACTIVE, so
//! whatever the pace of the machine, the waits after the create outlive the first credentials and a
//! renewal falls between the create and the end of the wait. A slower machine only renews more often.
//! A request would be refused only if it took three seconds between its signature and its arrival.

use serde_json::{json, Value};

use crate::common::{self, hcl};

const AK: &str = "SIMULATORACCESSKEY01";
const TOKENS: &str = "/v3.0/OS-CREDENTIAL/securitytokens";

fn with_assume_role(env: &common::Env, block: &str) -> String {
    env.provider_block().replace("  max_retries = 3\n", &format!("  max_retries = 3\n{block}"))
}

/// Does `text` hold any of the issued secret keys or tokens? Every run of letters and digits as long as
/// one of them is compared, window by window, with their redacted form.
fn holds_an_issued_secret(text: &str, issued: &[Value]) -> bool {
    let secrets: Vec<&str> =
        issued.iter().flat_map(|c| [&c["secret"], &c["securitytoken"]]).filter_map(Value::as_str).collect();
    // The simulator's secret keys have 40 characters, its tokens 160.
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|run| run.len() >= 40).any(|run| {
        [40, 160]
            .into_iter()
            .filter(|n| run.len() >= *n)
            .any(|n| (0..=run.len() - n).any(|i| secrets.contains(&hwsim::redacted(&run[i..i + n]).as_str())))
    })
}

#[test]
fn an_apply_as_an_agency_renews_its_credentials_and_never_shows_them() {
    let Some(env) = common::env() else { return };
    env.set_config(json!({"token_lifetime_cap_ms": 6000, "create_delay_ms": 8000}));
    let block =
        "  assume_role {\n    agency_name = \"ops\"\n    domain_name = \"delegating\"\n    duration    = 3600\n  }\n";
    env.write_raw(&format!("{}{}", with_assume_role(&env, block), hcl::iotda("i", "\"iot-agency\"", "")));
    let log = env.path().join("trace.log");
    let log_path = log.display().to_string();
    let out = env.tf_with(
        &["apply", "-auto-approve", "-input=false", "-no-color"],
        &[("TF_LOG", "trace"), ("TF_LOG_PATH", log_path.as_str())],
    );
    assert_eq!(out.code, 0, "{}", out.all());

    let requests = env.requests();
    let tokens: Vec<&Value> = requests.iter().filter(|r| r["path"] == TOKENS).collect();
    for r in &tokens {
        assert_eq!(r["access_key"], AK, "the configured keys obtain the credentials");
        let want = json!({"agency_name": "ops", "domain_name": "delegating", "duration_seconds": 3600});
        assert_eq!(r["body"]["auth"]["identity"]["assume_role"], want);
    }
    for r in requests.iter().filter(|r| r["path"] != TOKENS) {
        assert_ne!(r["access_key"], AK, "signed with the configured keys: {r}");
        assert!(r["access_key"].is_string(), "{r}");
    }
    let refused: Vec<&Value> = requests.iter().filter(|r| r["status"].as_u64().unwrap_or(0) >= 400).collect();
    assert!(refused.is_empty(), "no request is refused: {refused:#?}");
    // The create, then a renewal while its wait goes on: the wait's later requests carry the new keys.
    let create = requests.iter().position(|r| r["method"] == "POST" && common::on_instance_list(r)).unwrap();
    let renewal = requests[create..].iter().position(|r| r["path"] == TOKENS).map(|i| create + i);
    let renewal = renewal.unwrap_or_else(|| panic!("no renewal after the create: {requests:#?}"));
    let signer = |r: &Value| r["access_key"].as_str().unwrap_or_default().to_string();
    let after: Vec<String> = requests[renewal + 1..].iter().map(signer).collect();
    assert!(!after.is_empty() && !after.contains(&signer(&requests[create])), "renewed keys sign: {after:?}");
    assert!(tokens.len() >= 2, "{} securitytokens calls", tokens.len());

    // Neither the issued secret keys nor tokens reach the trace log, the state or the output.
    let issued = env.issued_credentials();
    assert_eq!(issued.len(), tokens.len());
    let trace = std::fs::read_to_string(&log).unwrap();
    assert!(trace.contains("obtained the agency's temporary credentials"), "the trace log was written");
    let state = std::fs::read_to_string(env.path().join("terraform.tfstate")).unwrap();
    for (what, text) in [("trace log", &trace), ("state", &state), ("output", &out.all())] {
        assert!(!holds_an_issued_secret(text, &issued), "an issued secret key or token is in the {what}");
    }
    // The search finds a secret where one is.
    let planted = [json!({"secret": hwsim::redacted(&"Ab1".repeat(20)[..40])})];
    assert!(holds_an_issued_secret(&format!("key={}0Z\n", "Ab1".repeat(20)), &planted));
}

#[test]
fn the_environment_stands_in_for_the_block_and_a_doubled_domain_fails_at_plan() {
    let Some(env) = common::env() else { return };
    env.write("data \"huaweicloud_iotda_instances\" \"all\" {}\n");
    let vars = [
        ("HW_ASSUME_ROLE_AGENCY_NAME", "ops"),
        ("HW_ASSUME_ROLE_DOMAIN_ID", "0a1b2c3d"),
        ("HW_ASSUME_ROLE_DURATION", "1800"),
    ];
    let out = env.tf_with(&["plan", "-input=false", "-no-color"], &vars);
    assert_eq!(out.code, 0, "{}", out.all());
    let requests = env.requests();
    let tokens: Vec<&Value> = requests.iter().filter(|r| r["path"] == TOKENS).collect();
    assert_eq!(tokens.len(), 1, "{requests:#?}");
    let want = json!({"agency_name": "ops", "domain_id": "0a1b2c3d", "duration_seconds": 1800});
    assert_eq!(tokens[0]["body"]["auth"]["identity"]["assume_role"], want);
    assert!(requests.iter().filter(|r| r["path"] != TOKENS).all(|r| r["access_key"] != AK && r["status"] == 200));

    // Both domains in the block: a plan-time error on domain_id, and no request.
    let block = "  assume_role {\n    agency_name = \"ops\"\n    domain_name = \"delegating\"\n    domain_id   = \"0a1b2c3d\"\n    duration    = 60\n  }\n";
    env.clear_requests();
    env.write_raw(&format!("{}data \"huaweicloud_iotda_instances\" \"all\" {{}}\n", with_assume_role(&env, block)));
    let out = env.plan();
    assert_eq!(out.code, 1, "{}", out.all());
    let err = out.err();
    assert!(err.contains("domain_name and domain_id are both set"), "{err}");
    assert!(err.contains("domain_id = \"0a1b2c3d\""), "the error points at the attribute: {err}");
    assert!(err.contains("assume_role.duration must be a whole number of seconds from 900 to 86400, got 60"), "{err}");
    assert!(env.requests().is_empty(), "{:?}", env.requests());
}
