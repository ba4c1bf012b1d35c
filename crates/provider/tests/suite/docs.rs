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
