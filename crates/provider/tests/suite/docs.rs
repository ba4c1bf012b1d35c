//! The committed docs are exactly what the field tables generate, and every attribute is described.

use std::path::{Path, PathBuf};

/// The repository's root, which holds `docs/` and `examples/`.
fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

#[test]
fn docs_are_generated_from_the_current_tables() {
    let root = &repository_root();
    for (path, expected) in hwprovider::docs::render(root).unwrap() {
        let committed = std::fs::read_to_string(root.join(&path)).unwrap_or_default();
        assert!(
            committed == expected,
            "{} is stale: run `cargo run -p terraform-provider-huaweicloud -- docs docs` and commit the result",
            path.display()
        );
    }
}

#[test]
fn every_attribute_has_a_description_and_every_resource_an_example() {
    fn check(fields: &[hwprovider::engine::field::Field], at: &str) {
        for f in fields {
            // A write-only twin and its version are described from their secret's name.
            let described = f.desc.len() > 5 || f.twin != hwprovider::engine::field::Twin::No;
            assert!(described, "{at}{} has no description", f.name);
            if let Some(nested) = f.nested() {
                check(nested, &format!("{at}{}.", f.name));
            }
        }
    }
    for def in hwprovider::resources::defs() {
        check(def.fields, &format!("huaweicloud_{}.", def.name));
        let dir = repository_root().join("examples/resources").join(format!("huaweicloud_{}", def.name));
        assert!(dir.join("resource.tf").exists() && dir.join("import.sh").exists(), "{} lacks examples", def.name);
        assert!(!def.ops.is_empty());
    }
}

/// Every file a user copies from names the provider by the one address (`PROVIDER_ADDRESS`), or Huawei's
/// Go provider by its own; the scripts' copy of the address is the same.
#[test]
fn every_source_address_is_the_one_address() {
    use hwprovider::PROVIDER_ADDRESS;
    const GO_PROVIDER: &str = "huaweicloud/huaweicloud";
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if matches!(path.extension().and_then(|e| e.to_str()), Some("md" | "tf" | "sh" | "tfrc")) {
                out.push(path);
            }
        }
    }
    let root = repository_root();
    let mut all = vec![root.join("README.md")];
    for dir in ["docs", "examples", "scripts"] {
        files(&root.join(dir), &mut all);
    }
    let mut seen = 0;
    for path in &all {
        let text = std::fs::read_to_string(path).unwrap();
        // `source = "HOST/NS/huaweicloud"` or `"NS/huaweicloud"` in required_providers, and the keys of
        // dev_overrides and replace-provider arguments.
        for (at, _) in text.match_indices("/huaweicloud") {
            let start =
                text[..at].rfind(|c: char| c.is_whitespace() || c == '"' || c == '[' || c == '=').map_or(0, |i| i + 1);
            let end = at + "/huaweicloud".len();
            if text[end..].starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-' || c == '/' || c == '.') {
                continue; // a path such as docs/huaweicloud_x or /huaweicloud-sim
            }
            let address = text[start..end].trim_start_matches("registry.terraform.io/");
            if address.contains(['$', '{', '(', '<']) || address.starts_with('.') || address.contains("//") {
                continue;
            }
            seen += 1;
            assert!(
                address == PROVIDER_ADDRESS || address == GO_PROVIDER,
                "{}: names the provider as {address:?}, not {PROVIDER_ADDRESS:?}",
                path.display()
            );
        }
    }
    assert!(seen >= 5, "only {seen} addresses found");
    let lib = std::fs::read_to_string(root.join("scripts/lib.sh")).unwrap();
    assert!(lib.contains(&format!("\nPROVIDER_ADDRESS={PROVIDER_ADDRESS}\n")), "scripts/lib.sh disagrees");
}
