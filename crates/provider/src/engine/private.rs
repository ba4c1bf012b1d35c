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

pub(super) fn imported(private: &TfValue) -> bool {
    get(private, "imported") == &TfValue::Bool(true)
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

    #[test]
    fn private_state_round_trips() {
        let p = private_state(true, &["a.b".to_string()]);
        assert!(imported(&p));
        assert_eq!(unread(&p), ["a.b"]);
        assert_eq!(private_state(false, &[]), TfValue::Null);
    }
}
