//! Operations: method, path template, query parameters, body table, the members an action always
//! sends, the rules that tie body members together, and how a list answers in pages.

use serde_json::Value;

use super::param::{validate, validate_query, Invalid, Param};
use super::rule::{check_all, BodyRule};
use crate::service::{Method, Service};

/// How a list operation answers in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// One answer holds everything.
    None,
    /// `offset` and `limit` in the query; the answer's `total` member counts every item.
    Offset { limit: usize, total: &'static str },
    /// `limit` and `marker` in the query; the next page's marker is the member at `next` (a dotted
    /// path) of the answer, absent or empty on the last page.
    Marker { limit: usize, next: &'static str },
}

/// One API operation: the service, method and path template (`{placeholders}` are filled with
/// percent-encoded values), the query parameters it takes and its JSON body.
#[derive(Debug, Clone, Copy)]
pub struct Op {
    /// The SDK's name of the operation, e.g. `CreateInstanceTopic`.
    pub name: &'static str,
    pub service: Service,
    pub method: Method,
    pub path: &'static str,
    /// Query parameters: type, checks and defaults, in the order the provider sends them.
    pub query: &'static [Param],
    pub body: &'static [Param],
    /// Members this use of the operation always sends with these values (`oper_type` of a resize), or
    /// placeholders of its path it always fills so (`{engine}`).
    pub fixed: &'static [(&'static str, &'static str)],
    /// Rules that tie members of the body together.
    pub rules: &'static [BodyRule],
    /// The member of the answer that holds the list's items (list operations).
    pub items: &'static str,
    /// For a use of a batch operation about one object: the list member whose one element carries
    /// the object's members (`topics` of the topic access policy update).
    pub wrap: &'static str,
    /// For a batch operation used about one object: the list member that names the objects it acts on
    /// (`instance_id_set`), filled with the object's id.
    pub batch: &'static str,
    pub paging: Paging,
}

/// Two operations are the same when they send the same method to the same path of the same service
/// (the uses of one resize call with different fixed members are one operation).
impl PartialEq for Op {
    fn eq(&self, other: &Op) -> bool {
        (self.service, self.method, self.path) == (other.service, other.method, other.path)
    }
}

/// The placeholders a path template may use.
pub const PLACEHOLDERS: &[&str] = &["project_id", "instance_id", "engine", "user_name", "topic_name"];

impl Op {
    pub const fn new(name: &'static str, service: Service, method: Method, path: &'static str) -> Op {
        Op {
            name,
            service,
            method,
            path,
            query: &[],
            body: &[],
            fixed: &[],
            rules: &[],
            items: "",
            wrap: "",
            batch: "",
            paging: Paging::None,
        }
    }
    pub const fn body(mut self, body: &'static [Param]) -> Op {
        self.body = body;
        self
    }
    pub const fn query(mut self, query: &'static [Param]) -> Op {
        self.query = query;
        self
    }
    pub const fn rules(mut self, rules: &'static [BodyRule]) -> Op {
        self.rules = rules;
        self
    }
    /// This use of the operation always sends these members.
    pub const fn fixed(mut self, fixed: &'static [(&'static str, &'static str)]) -> Op {
        self.fixed = fixed;
        self
    }
    /// A list: its items are the answer's member `items`, in pages as `paging` says.
    pub const fn list(mut self, items: &'static str, paging: Paging) -> Op {
        self.items = items;
        self.paging = paging;
        self
    }

    /// This use of a batch operation sends one object, as the one element of the list member `wrap`.
    pub const fn wrapped(mut self, wrap: &'static str) -> Op {
        self.wrap = wrap;
        self
    }

    /// A batch operation whose member `batch` lists the ids of the objects it acts on.
    pub const fn batch(mut self, member: &'static str) -> Op {
        self.batch = member;
        self
    }

    /// The table of one object's members: the body's, or that of the element of the `wrap` member.
    pub fn object_table(&self) -> &'static [Param] {
        match self.body.iter().find(|p| p.name == self.wrap) {
            Some(p) if !self.wrap.is_empty() => p.members().unwrap_or(self.body),
            _ => self.body,
        }
    }

    /// `METHOD path` as the docs show it.
    pub fn label(&self) -> String {
        format!("{} {}", self.method.as_str(), self.path)
    }

    /// The `{names}` of the path template, in order.
    pub fn placeholders(&self) -> Vec<&'static str> {
        self.path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
    }

    /// Does the operation declare this query parameter?
    pub fn takes_query(&self, name: &str) -> bool {
        self.query.iter().any(|p| p.name == name)
    }

    /// Validate a request body against this operation's table, its fixed members and its rules
    /// (`arg` gives the path's placeholder values).
    pub fn validate_with(&self, body: &Value, arg: &dyn Fn(&str) -> Option<String>) -> Result<(), Invalid> {
        validate(self.body, body)?;
        let placeholders = self.placeholders();
        for (name, value) in self.fixed.iter().filter(|(n, _)| !placeholders.contains(n)) {
            if body.get(name).and_then(Value::as_str) != Some(value) {
                return Err(Invalid::new(*name, format!("must be {value:?} for {}", self.name)));
            }
        }
        check_all(self.rules, body, arg)
    }

    /// [`Op::validate_with`] for a path without placeholders a rule reads.
    pub fn validate(&self, body: &Value) -> Result<(), Invalid> {
        self.validate_with(body, &|_| None)
    }

    /// Validate query pairs against the declared query parameters.
    pub fn validate_query(&self, pairs: &[(String, String)]) -> Result<(), Invalid> {
        validate_query(self.query, pairs)
    }

    /// The values of the path's placeholders when `path` (without query) matches the template;
    /// each placeholder takes one non-empty segment.
    pub fn matches(&self, method: &str, path: &str) -> Option<Vec<(&'static str, String)>> {
        if !self.method.as_str().eq_ignore_ascii_case(method) {
            return None;
        }
        let template: Vec<&'static str> = self.path.trim_start_matches('/').split('/').collect();
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if template.len() != segments.len() {
            return None;
        }
        let mut args = Vec::new();
        for (t, s) in template.into_iter().zip(segments) {
            match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(_) if s.is_empty() => return None,
                Some(name) => args.push((name, s.to_string())),
                None if t == s => {}
                None => return None,
            }
        }
        Some(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_labels_and_matching() {
        let op = Op::new("X", Service::Dms, Method::Put, "/v2/{project_id}/instances/{instance_id}/topics");
        assert_eq!(op.placeholders(), ["project_id", "instance_id"]);
        assert_eq!(op.label(), "PUT /v2/{project_id}/instances/{instance_id}/topics");
        let args = op.matches("PUT", "/v2/p1/instances/i-9/topics").unwrap();
        assert_eq!(args, [("project_id", "p1".to_string()), ("instance_id", "i-9".to_string())]);
        assert!(op.matches("GET", "/v2/p1/instances/i-9/topics").is_none());
        assert!(op.matches("PUT", "/v2/p1/instances//topics").is_none());
        assert!(op.matches("PUT", "/v2/p1/instances/i-9/topics/x").is_none());
        assert!(op.matches("PUT", "/v2/p1/instance/i-9/topics").is_none());
    }
}
