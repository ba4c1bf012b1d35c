//! Secrets in admin answers. The admin API shows stored objects and logged request bodies, which
//! hold passwords; a password shown there would end up in test output and logs. Every member whose
//! name contains "password", "passwd" (Kafka's `user_passwd`) or "pass_word" (the access-method switch's;
//! any case) and holds a string is shown as `<redacted sha256:XXXXXXXX>`:
//! the first 8 hex digits of the secret's SHA-256 still tell a test which password was sent.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The text a secret is shown as.
pub fn redacted(secret: &str) -> String {
    let digest = hex::encode(Sha256::digest(secret.as_bytes()));
    format!("<redacted sha256:{}>", &digest[..8])
}

/// Whether a member of this name holds a secret.
fn secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.contains("password") || name.contains("passwd") || name.contains("pass_word")
}

/// Redact the secrets of `value` at any depth. Only strings are secrets: a member such as Kafka's
/// `passwords_changed` (a list of which passwords were reset) is shown as it is.
pub fn redact(value: &mut Value) {
    match value {
        Value::Object(members) => {
            for (name, member) in members.iter_mut() {
                match member {
                    Value::String(s) if secret(name) => *s = redacted(s),
                    other => redact(other),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn secrets_are_hashed_at_any_depth() {
        // The test vector of FIPS 180-2: SHA-256("abc") = ba7816bf...
        assert_eq!(redacted("abc"), "<redacted sha256:ba7816bf>");
        let mut v = json!({
            "password": "abc", "name": "n",
            "_sim": {"Password": "abc", "passwords_changed": ["manager"], "new_password": null},
            "list": [{"kafka_manager_password": "abc", "count": 1}],
            "user_passwd": "abc",
            "pass_word": "abc",
        });
        redact(&mut v);
        let r = redacted("abc");
        assert_eq!(
            v,
            json!({
                "password": r, "name": "n",
                "_sim": {"Password": r, "passwords_changed": ["manager"], "new_password": null},
                "list": [{"kafka_manager_password": r, "count": 1}],
                "user_passwd": r,
                "pass_word": r,
            })
        );
    }
}
