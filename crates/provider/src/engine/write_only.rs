//! Terraform's write-only arguments, as twins of the secret arguments ([`Twin`]): `password_wo` is
//! checked, sent and rotated as `password` would be, and kept out of the plan and the state (the plugin
//! layer answers null for it). The engine works on copies in which the secret holds the twin's value;
//! the states it returns are built from Terraform's own values, which never hold it.

use tfplugin::framework::TfValue;

use super::field::{Field, Twin};
use super::value::{get, is_set};

/// The twins among `fields`: (twin, secret it stands for, its version if any).
fn twins(fields: &[Field]) -> impl Iterator<Item = (&Field, &'static str, Option<&Field>)> {
    fields.iter().filter_map(move |f| {
        let secret = f.twin_of()?;
        Some((f, secret, fields.iter().find(|v| v.twin == Twin::VersionOf(secret))))
    })
}

/// `value` with each secret given its twin's value from `config`, where the twin is set (and, with
/// `keep_known`, only where `value` has no secret of its own: a state that still holds the plain password
/// it had before the configuration switched to the twin).
fn with_secrets(fields: &[Field], value: &TfValue, config: &TfValue, keep_known: bool) -> TfValue {
    let mut out = value.clone();
    if let TfValue::Map(m) = &mut out {
        for (twin, secret, _) in twins(fields) {
            let v = get(config, twin.name);
            let known = m.get(secret).is_some_and(is_set);
            if is_set(v) && !(keep_known && known) {
                m.insert(secret.to_string(), v.clone());
            }
        }
    }
    out
}

/// The configuration as the checks see it: each secret holds its twin's value (so that the secret's
/// rules and the contract's checks hold for the twin).
pub fn config(fields: &[Field], config: &TfValue) -> TfValue {
    with_secrets(fields, config, config, false)
}

/// The planned object a create sends: each secret holds its twin's value.
pub fn for_create(fields: &[Field], planned: &TfValue, config: &TfValue) -> TfValue {
    with_secrets(fields, planned, config, false)
}

/// The (prior, planned) pair an update compares: both hold each twin's value as their secret, unless the
/// twin's version changed, when the prior's secret is unknown, so that the secret's call sends the twin
/// again (a rotation), or the prior state still holds a plain password, which the twin's value replaces
/// if it differs; a twin without a version is otherwise sent at creation only.
pub fn for_update(fields: &[Field], prior: &TfValue, planned: &TfValue, config: &TfValue) -> (TfValue, TfValue) {
    let planned_out = with_secrets(fields, planned, config, false);
    let mut prior_out = with_secrets(fields, prior, config, true);
    if let TfValue::Map(m) = &mut prior_out {
        for (twin, secret, version) in twins(fields) {
            let rotated = version.is_some_and(|v| get(prior, v.name) != get(planned, v.name));
            if rotated && is_set(get(config, twin.name)) {
                m.insert(secret.to_string(), TfValue::Unknown);
            }
        }
    }
    (prior_out, planned_out)
}

/// The conflicts between secrets and their twins: (attribute, message).
pub fn conflicts(fields: &[Field], config: &TfValue) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (twin, secret, version) in twins(fields) {
        let (plain, wo) = (get(config, secret), get(config, twin.name));
        if is_set(plain) && is_set(wo) {
            out.push((
                twin.name,
                format!(
                    "conflicts with {secret}: set one of the two ({} keeps the value out of the plan and the state)",
                    twin.name
                ),
            ));
        }
        let unset = |v: &TfValue| !is_set(v) && !matches!(v, TfValue::Unknown);
        if matches!(twin.twin, Twin::OfRequired(_)) && unset(plain) && unset(wo) {
            out.push((
                secret,
                format!("is required: set {secret} or its write-only form {} (Terraform 1.11 or later)", twin.name),
            ));
        }
        if let Some(v) = version {
            if is_set(get(config, v.name)) && !is_set(wo) && !matches!(wo, TfValue::Unknown) {
                out.push((v.name, format!("is the version of {}, which is not set", twin.name)));
            }
        }
    }
    out
}

/// The twin a problem about `secret` is really about: the twin, when the configuration sets it and not
/// the secret.
pub fn reported_as(fields: &[Field], config: &TfValue, secret: &str) -> Option<&'static str> {
    twins(fields)
        .find(|(twin, s, _)| *s == secret && is_set(get(config, twin.name)) && !is_set(get(config, s)))
        .map(|(twin, ..)| twin.name)
}

/// `text` with the word `from` (not part of a longer name) replaced by `to`.
pub fn renamed(text: &str, from: &str, to: &str) -> String {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let (before, after) = (&rest[..at], &rest[at + from.len()..]);
        let alone = !before.chars().next_back().is_some_and(ident) && !after.chars().next().is_some_and(ident);
        out.push_str(before);
        out.push_str(if alone { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static FIELDS: [Field; 6] = [
        Field::string("password", "p").in_place().write_only().sensitive(),
        Field::string("kafka_manager_password", "m").write_only().sensitive(),
        Field::write_only_twin("password_wo", "password"),
        Field::twin_version("password_wo_version", "password"),
        Field::string("admin", "a").write_only().sensitive(),
        Field::write_only_twin("admin_wo", "admin").required_one(),
    ];

    fn obj(json: serde_json::Value) -> TfValue {
        TfValue::from_json(&json)
    }

    #[test]
    fn the_twin_stands_for_its_secret_and_a_version_change_sends_it_again() {
        let config = obj(serde_json::json!({"password_wo": "S3cret!x", "password_wo_version": 2}));
        let planned = obj(serde_json::json!({"password_wo": null, "password_wo_version": 2}));
        assert_eq!(get(&for_create(&FIELDS, &planned, &config), "password"), &TfValue::String("S3cret!x".into()));
        // Same version: the secret looks unchanged, so no call sends it.
        let prior = obj(serde_json::json!({"password_wo_version": 2}));
        let (p, n) = for_update(&FIELDS, &prior, &planned, &config);
        assert_eq!(get(&p, "password"), get(&n, "password"));
        // A new version: the prior secret is unknown, so the secret's call sends the twin.
        let prior = obj(serde_json::json!({"password_wo_version": 1}));
        let (p, n) = for_update(&FIELDS, &prior, &planned, &config);
        assert_eq!(
            (get(&p, "password"), get(&n, "password")),
            (&TfValue::Unknown, &TfValue::String("S3cret!x".into()))
        );
    }

    #[test]
    fn a_secret_and_its_twin_conflict_and_a_version_needs_its_twin() {
        let both = obj(serde_json::json!({"password": "a", "password_wo": "b", "admin": "x"}));
        let c = conflicts(&FIELDS, &both);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].0, "password_wo");
        assert!(c[0].1.starts_with("conflicts with password: set one of the two"), "{}", c[0].1);
        let version_only = obj(serde_json::json!({"password_wo_version": 1, "admin": "x"}));
        assert_eq!(
            conflicts(&FIELDS, &version_only),
            [("password_wo_version", "is the version of password_wo, which is not set".to_string())]
        );
        let fine = obj(serde_json::json!({"password_wo": "b", "password_wo_version": 1, "admin_wo": "c"}));
        assert!(conflicts(&FIELDS, &fine).is_empty());
        // One of a required secret and its twin must be set.
        let neither = obj(serde_json::json!({"password": "a"}));
        assert_eq!(
            conflicts(&FIELDS, &neither),
            [("admin", "is required: set admin or its write-only form admin_wo (Terraform 1.11 or later)".to_string())]
        );
        assert_eq!(
            reported_as(&FIELDS, &obj(serde_json::json!({"password_wo": "b"})), "password"),
            Some("password_wo")
        );
        assert_eq!(reported_as(&FIELDS, &both, "password"), None);
    }

    #[test]
    fn only_whole_words_are_renamed() {
        assert_eq!(
            renamed(
                "password must be 8 characters; kafka_manager_password and password_x stay",
                "password",
                "password_wo"
            ),
            "password_wo must be 8 characters; kafka_manager_password and password_x stay"
        );
    }
}
