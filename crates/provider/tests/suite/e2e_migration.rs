//! Moving an existing instance under this provider, as the migration guide says: `terraform state rm`
//! (out of the old provider's state), an `import` block, then an empty plan; and configuration generated
//! by `terraform plan -generate-config-out` is accepted once its secrets are filled in.

use crate::common::{self, hcl};

const ADDR: &str = "huaweicloud_dms_kafka_instance.k";

#[test]
fn state_rm_import_block_then_an_empty_plan_and_generated_config_is_accepted() {
    let Some(env) = common::env() else { return };
    let resource = hcl::kafka("k", "tf-migrate", "");
    env.write(&resource);
    env.apply();
    let id = env.id_of(ADDR);

    // The instance leaves the state (as it would leave the old provider's), then comes back by import.
    let rm = env.tf(&["state", "rm", "-no-color", ADDR]);
    assert_eq!(rm.code, 0, "{}", rm.all());
    let import = format!("import {{\n  to = {ADDR}\n  id = \"{id}\"\n}}\n");
    env.write(&format!("{import}{resource}"));
    env.clear_requests();
    let applied = env.apply();
    // As the guide says: the password, which no API returns, is recorded by an update without a call.
    assert!(applied.stdout.contains("1 imported, 0 added, 1 changed, 0 destroyed"), "{}", applied.stdout);
    assert!(env.writes().is_empty(), "the import wrote: {:?}", env.writes());
    env.assert_no_changes();

    // Generated configuration: written by Terraform from the imported object, accepted by the provider.
    let rm = env.tf(&["state", "rm", "-no-color", ADDR]);
    assert_eq!(rm.code, 0, "{}", rm.all());
    env.write(&import);
    let generated = env.tf(&["plan", "-no-color", "-input=false", "-generate-config-out=generated.tf"]);
    let text = std::fs::read_to_string(env.path().join("generated.tf")).unwrap_or_default();
    assert!(text.contains("resource \"huaweicloud_dms_kafka_instance\" \"k\""), "{}\n{text}", generated.all());
    // Terraform cannot know the secrets: the user fills them in.
    // (Terraform aligns the `=` of a block and may mark the line `# sensitive`: the line is found by its
    // attribute and value, whatever the padding.)
    let secret = |l: &str| l.split_whitespace().take(3).eq(["kafka_manager_password", "=", "null"]);
    let filled: Vec<String> = text
        .lines()
        .map(|l| if secret(l) { "  kafka_manager_password = \"Manager@Pass-02\"".to_string() } else { l.to_string() })
        .collect();
    let filled = filled.join("\n");
    std::fs::write(env.path().join("generated.tf"), filled).unwrap();
    let plan = env.tf(&["plan", "-no-color", "-input=false"]);
    assert_eq!(plan.code, 0, "the generated configuration is refused:\n{}\n{text}", plan.all());
    env.clear_requests();
    let applied = env.apply();
    assert!(applied.stdout.contains("1 imported"), "{}", applied.stdout);
    assert!(env.writes().is_empty(), "the import wrote: {:?}", env.writes());
    env.assert_no_changes();
    env.destroy();
}
