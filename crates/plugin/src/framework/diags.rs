//! Diagnostics as a provider's code collects them: errors and warnings, each with its summary, detail and
//! the attribute it is about, sent to Terraform as they are (no backtraces, no debug dumps).

use crate::proto::tfplugin6 as pb;
use pb::attribute_path::{step::Selector, Step};

/// One step of an attribute path.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttributePathStep {
    Attribute(String),
    Key(String),
    Index(i64),
}

/// The attribute a diagnostic is about; the root (no steps) for the resource as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct AttributePath {
    pub steps: Vec<AttributePathStep>,
}

impl AttributePath {
    /// A top-level attribute.
    pub fn new(name: impl Into<String>) -> Self {
        AttributePath { steps: vec![AttributePathStep::Attribute(name.into())] }
    }

    /// The resource (or provider) as a whole.
    pub fn root() -> Self {
        AttributePath::default()
    }

    pub fn attribute(mut self, name: impl Into<String>) -> Self {
        self.steps.push(AttributePathStep::Attribute(name.into()));
        self
    }

    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.steps.push(AttributePathStep::Key(key.into()));
        self
    }

    pub fn index(mut self, index: impl TryInto<i64>) -> Self {
        self.steps.push(AttributePathStep::Index(index.try_into().unwrap_or(i64::MAX)));
        self
    }

    /// The protocol's path; `None` for the root.
    pub fn to_proto(&self) -> Option<pb::AttributePath> {
        if self.steps.is_empty() {
            return None;
        }
        let steps = self
            .steps
            .iter()
            .map(|s| Step {
                selector: Some(match s {
                    AttributePathStep::Attribute(a) => Selector::AttributeName(a.clone()),
                    AttributePathStep::Key(k) => Selector::ElementKeyString(k.clone()),
                    AttributePathStep::Index(i) => Selector::ElementKeyInt(*i),
                }),
            })
            .collect();
        Some(pb::AttributePath { steps })
    }
}

/// An error or a warning's words and place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostic {
    pub summary: String,
    pub detail: String,
    pub attribute: AttributePath,
}

impl Diagnostic {
    pub fn new(summary: impl Into<String>, detail: impl Into<String>, attribute: AttributePath) -> Self {
        Diagnostic { summary: summary.into(), detail: detail.into(), attribute }
    }
}

/// The errors and warnings of one call.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn add_error(&mut self, d: Diagnostic) {
        self.errors.push(d);
    }

    pub fn add_warning(&mut self, d: Diagnostic) {
        self.warnings.push(d);
    }

    /// An error about the whole call.
    pub fn root_error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.add_error(Diagnostic::new(summary, detail, AttributePath::root()));
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The protocol's diagnostics: errors first, then warnings.
    pub fn to_proto(&self) -> Vec<pb::Diagnostic> {
        let one = |d: &Diagnostic, severity: pb::diagnostic::Severity| pb::Diagnostic {
            severity: severity as i32,
            summary: d.summary.clone(),
            detail: d.detail.clone(),
            attribute: d.attribute.to_proto(),
        };
        let errors = self.errors.iter().map(|d| one(d, pb::diagnostic::Severity::Error));
        errors.chain(self.warnings.iter().map(|d| one(d, pb::diagnostic::Severity::Warning))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_severities_reach_the_protocol_as_they_are() {
        let mut diags = Diagnostics::default();
        diags.add_warning(Diagnostic::new("Static", "takes effect after a restart", AttributePath::root()));
        diags.add_error(Diagnostic::new("Invalid", "no", AttributePath::new("tags").key("env").index(2usize)));
        let out = diags.to_proto();
        assert_eq!(out[0].severity, pb::diagnostic::Severity::Error as i32);
        assert_eq!(out[1].attribute, None);
        let steps: Vec<_> = out[0].attribute.clone().unwrap().steps.into_iter().filter_map(|s| s.selector).collect();
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
