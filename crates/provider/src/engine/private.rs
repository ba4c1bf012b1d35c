//! What the engine keeps in a resource's private state (beside the state Terraform shows).

use tfplugin::framework::TfValue;

use super::value::{self, get, Obj};

/// What the engine keeps in a resource's private state: whether it was just imported (write-only values
/// never known are then taken over from the configuration), and which attributes the API's last answer
/// did not give while the state had no value for them (no replacement is planned from those).
pub(super) fn private_state(imported: bool, unread: &[String]) -> TfValue {
    let mut m = Obj::new();
    if imported {
        m.insert("imported".into(), TfValue::Bool(true));
    }
    if !unread.is_empty() {
        m.insert("unread".into(), TfValue::List(unread.iter().map(|u| TfValue::String(u.clone())).collect()));
    }
    if m.is_empty() {
        TfValue::Null
    } else {
        TfValue::Map(m)
    }
}

/// Whether the object was just imported; an object still carrying another provider's private data (the Go
/// provider's, moved over by `terraform state replace-provider` and converted by the state upgrade) reads
/// as one too, since what it stored is what that provider read, not what the user configured.
pub(super) fn imported(private: &TfValue) -> bool {
    get(private, "imported") == &TfValue::Bool(true) || foreign(private)
}

/// Private data with none of this engine's keys: another provider wrote it (the Go provider's plugin SDK
/// keeps its timeouts there).
fn foreign(private: &TfValue) -> bool {
    matches!(private, TfValue::Map(m) if !m.is_empty() && !m.contains_key("imported") && !m.contains_key("unread"))
}

pub(super) fn unread(private: &TfValue) -> Vec<String> {
    match get(private, "unread") {
        TfValue::List(l) => l.iter().filter_map(|v| value::as_str(v).map(str::to_string)).collect(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key under which Huawei's Go provider (its plugin SDK) keeps timeouts in private data.
    const GO_SDK_TIMEOUTS: &str = "e2bfb730-ecaa-11e6-8f88-34363bc7c4c0";

    #[test]
    fn private_state_round_trips() {
        let p = private_state(true, &["a.b".to_string()]);
        assert!(imported(&p));
        assert_eq!(unread(&p), ["a.b"]);
        assert_eq!(private_state(false, &[]), TfValue::Null);
        let go = TfValue::Map(
            [(
                GO_SDK_TIMEOUTS.to_string(),
                TfValue::Map([("create".to_string(), TfValue::Number(600_000_000_000))].into()),
            )]
            .into(),
        );
        assert!(imported(&go));
        assert!(imported(&TfValue::Map([("schema_version".to_string(), TfValue::String("1".into()))].into())));
        assert!(!imported(&private_state(false, &["a".to_string()])));
        assert!(!imported(&TfValue::Null));
    }
}
