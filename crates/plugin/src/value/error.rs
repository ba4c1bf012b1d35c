//! Where in a value a decode or encode went wrong, and what: `.tags["env"]: expected a string, got an integer`.

use std::fmt;

/// One step from a value into a part of it, as Terraform's diagnostics spell it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathStep {
    /// An object's attribute: `.name`.
    Attr(String),
    /// A map's element: `["key"]`.
    Key(String),
    /// A list's, set's or tuple's element: `[3]`.
    Index(usize),
}

/// The steps from the top of a value to the part an error is about; empty for the value itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Path(pub Vec<PathStep>);

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for step in &self.0 {
            match step {
                PathStep::Attr(name) => write!(f, ".{name}")?,
                // A JSON string literal is how Terraform quotes map keys, escapes included.
                PathStep::Key(key) => write!(f, "[{}]", serde_json::Value::from(key.as_str()))?,
                PathStep::Index(index) => write!(f, "[{index}]")?,
            }
        }
        Ok(())
    }
}

/// A value that does not fit its type, or bytes that are not a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// Where in the value.
    pub path: Path,
    /// What is wrong there.
    pub message: String,
}

impl Error {
    /// An error about the value at hand; callers above it add their step with [`Error::within`].
    pub fn new(message: impl Into<String>) -> Self {
        Error { path: Path::default(), message: message.into() }
    }

    /// The same error seen from the value one step up.
    pub fn within(mut self, step: PathStep) -> Self {
        self.path.0.insert(0, step);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.0.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Error {}
