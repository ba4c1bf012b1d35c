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
            assert!(f.desc.len() > 5, "{at}{} has no description", f.name);
            if let Some(nested) = f.nested() {
                check(nested, &format!("{at}{}.", f.name));
            }
        }
    }
    for def in hwprovider::resources::defs() {
        check(def.fields, &format!("huaweicloud_{}.", def.name));
        let dir = repository_root().join("examples/resources").join(format!("huaweicloud_{}", def.name));
        assert!(dir.join("resource.tf").exists() && dir.join("import.sh").exists(), "{} lacks examples", def.name);
        assert!(!def.calls.is_empty());
    }
}

/// Each in-place argument names the calls that change it, and they are calls the resource declares; an
/// in-place argument without a call is one the API never returns (recorded without a call).
#[test]
fn in_place_arguments_name_declared_calls() {
    use hwprovider::engine::field::{Field, Read, Update};
    fn check(fields: &[Field], calls: &[&str], at: &str, inherited: &[&str]) {
        for f in fields.iter().filter(|f| f.is_argument() && f.update == Update::InPlace) {
            for via in f.via {
                assert!(calls.contains(via), "{at}{}: {via} is not in the resource's calls", f.name);
            }
            let covered = !f.via.is_empty() || !inherited.is_empty() || f.read == Read::Keep;
            assert!(covered, "{at}{} changes in place but names no call", f.name);
            if let Some(nested) = f.nested() {
                let via = if f.via.is_empty() { inherited } else { f.via };
                check(nested, calls, &format!("{at}{}.", f.name), via);
            }
        }
    }
    for def in hwprovider::resources::defs() {
        check(def.fields, def.calls, &format!("huaweicloud_{}.", def.name), &[]);
    }
}
