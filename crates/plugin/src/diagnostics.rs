//! Plain diagnostics: `tfplugin6::Diagnostic` errors and warnings, optionally about an attribute.
//! Summaries and details are the caller's words, shown as they are; no backtraces or debug dumps.

use crate::proto::tfplugin6::attribute_path::{step::Selector, Step};
use crate::proto::tfplugin6::{diagnostic::Severity, AttributePath, Diagnostic};
use crate::value::{Path, PathStep};

/// An error diagnostic.
pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    diagnostic(Severity::Error, summary.into(), detail.into())
}

/// A warning diagnostic.
pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
    diagnostic(Severity::Warning, summary.into(), detail.into())
}

fn diagnostic(severity: Severity, summary: String, detail: String) -> Diagnostic {
    Diagnostic { severity: severity as i32, summary, detail, attribute: None }
}

/// Adds the attribute a diagnostic is about, which Terraform underlines in the configuration.
pub trait AtAttribute {
    fn at(self, path: AttributePath) -> Self;
}

impl AtAttribute for Diagnostic {
    fn at(mut self, path: AttributePath) -> Self {
        self.attribute = Some(path);
        self
    }
}

/// The path of a top-level attribute.
pub fn attribute(name: impl Into<String>) -> AttributePath {
    AttributePath { steps: vec![step(Selector::AttributeName(name.into()))] }
}

/// The protocol's form of a codec path (e.g. from a decode error): attributes, map keys, indexes.
pub fn attribute_path(path: &Path) -> AttributePath {
    let steps = path
        .0
        .iter()
        .map(|s| match s {
            PathStep::Attr(name) => step(Selector::AttributeName(name.clone())),
            PathStep::Key(key) => step(Selector::ElementKeyString(key.clone())),
            PathStep::Index(index) => step(Selector::ElementKeyInt(i64::try_from(*index).unwrap_or(i64::MAX))),
        })
        .collect();
    AttributePath { steps }
}

fn step(selector: Selector) -> Step {
    Step { selector: Some(selector) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_and_warnings_carry_their_words_and_path() {
        let plain = error("Invalid name", "names are lower case");
        assert_eq!(plain.severity, Severity::Error as i32);
        assert_eq!((plain.summary.as_str(), plain.detail.as_str()), ("Invalid name", "names are lower case"));
        assert_eq!(plain.attribute, None);

        let at = warning("Deprecated", "").at(attribute("size"));
        assert_eq!(at.severity, Severity::Warning as i32);
        assert_eq!(at.attribute, Some(AttributePath { steps: vec![step(Selector::AttributeName("size".into()))] }));
    }

    #[test]
    fn a_codec_path_becomes_the_protocols_steps() {
        let path = Path(vec![PathStep::Attr("tags".into()), PathStep::Key("env".into()), PathStep::Index(2)]);
        let steps: Vec<_> = attribute_path(&path).steps.into_iter().filter_map(|s| s.selector).collect();
        assert_eq!(
            steps,
            [
                Selector::AttributeName("tags".into()),
                Selector::ElementKeyString("env".into()),
                Selector::ElementKeyInt(2)
            ]
        );
    }
}
