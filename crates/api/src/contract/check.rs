//! Checks on one value: what the contract's tables say a member may hold.

/// A check on one value. String checks count characters, not bytes.
#[derive(Debug, Clone, Copy)]
pub enum Check {
    /// One of these strings.
    OneOf(&'static [&'static str]),
    /// Length in characters (inclusive).
    Len(usize, usize),
    /// Every character satisfies the predicate; the text says which are allowed.
    Chars(&'static str, fn(char) -> bool),
    /// The whole value satisfies the predicate; the text says what is expected.
    Pattern(&'static str, fn(&str) -> bool),
    /// A rule that explains itself; `None` when it holds. Its messages never repeat the value
    /// (passwords). The text says what it asks for in the docs ("" for nothing to add).
    Rule(&'static str, fn(&str) -> Option<String>),
    /// Integer range (inclusive).
    Range(i64, i64),
    /// A whole multiple of this number.
    MultipleOf(i64),
    /// Number of elements of an array or members of a map (inclusive).
    Items(usize, usize),
}

impl Check {
    /// The problem with a string value, if this check applies to strings and fails.
    pub fn text(&self, s: &str) -> Option<String> {
        match *self {
            Check::OneOf(options) => {
                (!options.contains(&s)).then(|| format!("must be one of {}, got {s:?}", quoted(options)))
            }
            Check::Len(min, max) => {
                let n = s.chars().count();
                (n < min || n > max).then(|| match (min, max) {
                    _ if min == max => format!("must be exactly {min} characters long, got {n}"),
                    (_, usize::MAX) => format!("must be at least {min} characters long, got {n}"),
                    _ => format!("must be {min} to {max} characters long, got {n}"),
                })
            }
            Check::Chars(allowed, ok) => {
                s.chars().find(|c| !ok(*c)).map(|c| format!("may only contain {allowed}; {c:?} is not allowed"))
            }
            Check::Pattern(expected, ok) => (!ok(s)).then(|| format!("must be {expected}, got {s:?}")),
            Check::Rule(_, rule) => rule(s),
            _ => None,
        }
    }

    /// The problem with an integer value, if this check applies to integers and fails.
    pub fn int(&self, n: i64) -> Option<String> {
        match *self {
            Check::Range(min, i64::MAX) => (n < min).then(|| format!("must be at least {min}, got {n}")),
            Check::Range(min, max) => (n < min || n > max).then(|| format!("must be between {min} and {max}, got {n}")),
            Check::MultipleOf(step) => (n % step != 0).then(|| format!("must be a multiple of {step}, got {n}")),
            _ => None,
        }
    }

    /// The problem with a number of elements, if this check counts them and fails.
    pub fn count(&self, n: usize) -> Option<String> {
        match *self {
            Check::Items(min, max) if n < min || n > max => Some(match (min, max) {
                _ if min == max => format!("must have exactly {min} elements, got {n}"),
                (1, usize::MAX) => format!("must have at least one element, got {n}"),
                (_, usize::MAX) => format!("must have at least {min} elements, got {n}"),
                _ => format!("must have {min} to {max} elements, got {n}"),
            }),
            _ => None,
        }
    }

    /// The check in a sentence for the docs (None for a self-explaining rule).
    pub fn describe(&self) -> Option<String> {
        Some(match *self {
            Check::OneOf(options) => {
                format!("one of {}", options.iter().map(|o| format!("`{o}`")).collect::<Vec<_>>().join(", "))
            }
            Check::Len(min, max) if min == max => format!("exactly {min} characters"),
            Check::Len(min, usize::MAX) => format!("at least {min} characters"),
            Check::Len(0, max) => format!("at most {max} characters"),
            Check::Len(min, max) => format!("{min} to {max} characters"),
            Check::Chars(allowed, _) => format!("only {allowed}"),
            Check::Pattern(expected, _) => expected.to_string(),
            Check::Rule("", _) => return None,
            Check::Rule(text, _) => text.to_string(),
            Check::Range(min, i64::MAX) => format!("at least {min}"),
            Check::Range(min, max) => format!("{min} to {max}"),
            Check::MultipleOf(step) => format!("a multiple of {step}"),
            Check::Items(min, max) if min == max => format!("exactly {min} elements"),
            Check::Items(1, usize::MAX) => "at least one element".to_string(),
            Check::Items(min, usize::MAX) => format!("at least {min} elements"),
            Check::Items(0, max) => format!("at most {max} elements"),
            Check::Items(min, max) => format!("{min} to {max} elements"),
        })
    }
}

fn quoted(options: &[&str]) -> String {
    options.iter().map(|o| format!("{o:?}")).collect::<Vec<_>>().join(", ")
}
