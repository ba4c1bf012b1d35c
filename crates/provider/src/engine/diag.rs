//! Diagnostics: errors and warnings, the error of a failed step, and attribute paths in words.

use tfplugin::framework::{AttributePath, Diagnostic, Diagnostics};

use super::error::Error;

/// An error about the attribute at `path`.
pub fn diag(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>, path: AttributePath) {
    diags.add_error(Diagnostic::new(summary, detail, path));
}

/// A warning about the attribute at `path`.
pub fn warn(diags: &mut Diagnostics, summary: impl Into<String>, detail: impl Into<String>, path: AttributePath) {
    diags.add_warning(Diagnostic::new(summary, detail, path));
}

/// An error diagnostic for a failed step (`what`: "creating huaweicloud_x abc"), with a note after the
/// error's own text. A refused credential names the call that was refused in the first line, for
/// resources and data sources alike.
pub(crate) fn failed(diags: &mut Diagnostics, what: &str, err: &Error, note: &str) {
    let summary = match err {
        Error::Api(e) if e.is_auth_failure() => {
            let (method, path) = e.call().unwrap_or(("", ""));
            format!("Error {what}: {} refused the credentials on {method} {path}", e.service().unwrap_or("the service"))
        }
        _ => format!("Error {what}"),
    };
    let detail = if note.is_empty() { err.to_string() } else { format!("{err}\n{note}") };
    diag(diags, summary, detail, AttributePath::root());
}

/// `flavor.size`-style label of an attribute path, for messages.
pub fn path_label(path: &AttributePath) -> String {
    use tfplugin::framework::AttributePathStep as S;
    let mut out = String::new();
    for step in &path.steps {
        match step {
            S::Attribute(a) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(a);
            }
            S::Key(k) => out.push_str(&format!("[{k:?}]")),
            S::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}
