//! One API call: service, method, path template with its values, query and body.

use crate::contract::Op;
use crate::service::{Method, Service};

/// One API call. `path` is a template of the service's own routes: its segments are literal or a
/// placeholder such as `{instance_id}`, filled from [`Call::arg`] (or `{project_id}`, which the client
/// fills in, looking the project id up through IAM once when it was not configured). Values only ever
/// become one percent-encoded segment each, so no value can lead a signed request to another route.
/// `Debug` never shows the body (it may carry passwords).
#[derive(Clone)]
pub struct Call {
    pub service: Service,
    pub method: Method,
    pub path: &'static str,
    /// Values of the path's placeholders (name without braces, value).
    pub args: Vec<(&'static str, String)>,
    pub query: Vec<(String, String)>,
    pub body: Option<serde_json::Value>,
    /// May this call be sent again after a failure where the server might have acted?
    /// Defaults to true for GET/PUT/DELETE and false for POST.
    pub idempotent: bool,
    /// The declared operation, when the call was made from one.
    pub op: Option<&'static Op>,
    /// The object a batch operation (`Op::batch`) is called about.
    pub object: Option<String>,
}

impl Call {
    pub fn new(service: Service, method: Method, path: &'static str) -> Call {
        Call {
            service,
            method,
            path,
            args: Vec::new(),
            query: Vec::new(),
            body: None,
            idempotent: method != Method::Post,
            op: None,
            object: None,
        }
    }
    /// A call of a declared operation (its service, method and path template), with the values the
    /// operation fixes: a fixed placeholder (`{engine}`) is filled here, and fixed members (`oper_type`)
    /// go into the body given later. In debug builds the placeholders and query names given later are
    /// held to the declaration.
    pub fn to(op: &'static Op) -> Call {
        let mut call = Call::new(op.service, op.method, op.path);
        call.op = Some(op);
        let placeholders = op.placeholders();
        for (name, value) in op.fixed.iter().filter(|(n, _)| placeholders.contains(n)) {
            call.args.push((name, value.to_string()));
        }
        call
    }
    /// The value of the placeholder `{name}` of the path.
    pub fn arg(mut self, name: &'static str, value: impl Into<String>) -> Call {
        if let Some(op) = self.op {
            debug_assert!(op.placeholders().contains(&name), "{} has no placeholder {{{name}}}", op.label());
        }
        self.args.push((name, value.into()));
        self
    }
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> Call {
        let key = key.into();
        if let Some(op) = self.op {
            debug_assert!(op.takes_query(&key), "{} declares no query parameter {key}", op.label());
        }
        self.query.push((key, value.into()));
        self
    }
    /// The object a batch operation is called about: its body's `Op::batch` member lists this id.
    pub fn object(mut self, id: impl Into<String>) -> Call {
        self.object = Some(id.into());
        self
    }

    /// The JSON body; an object gets the members the operation fixes, and a batch operation's list of
    /// ids the one object it is called about (`Call::object`). For a use of a batch operation
    /// about one object (`Op::wrap`), an object without that member is sent as its one element.
    pub fn body(mut self, mut body: serde_json::Value) -> Call {
        if let Some(op) = self.op.filter(|op| !op.wrap.is_empty()) {
            if body.as_object().is_some_and(|o| !o.contains_key(op.wrap)) {
                body = serde_json::json!({ op.wrap: [body] });
            }
        }
        if let (Some(op), Some(id), Some(obj)) = (self.op, &self.object, body.as_object_mut()) {
            if !op.batch.is_empty() && !obj.contains_key(op.batch) {
                obj.insert(op.batch.to_string(), serde_json::json!([id]));
            }
        }
        if let (Some(op), Some(obj)) = (self.op, body.as_object_mut()) {
            let placeholders = op.placeholders();
            for (name, value) in op.fixed.iter().filter(|(n, _)| !placeholders.contains(n)) {
                obj.insert(name.to_string(), serde_json::Value::from(*value));
            }
        }
        self.body = Some(body);
        self
    }
    pub fn idempotent(mut self, idempotent: bool) -> Call {
        self.idempotent = idempotent;
        self
    }
}

impl std::fmt::Debug for Call {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("service", &self.service)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("args", &self.args)
            .field("query", &self.query)
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn call_debug_hides_the_body() {
        let call = Call::new(Service::Clouddc, Method::Put, "/p").body(serde_json::json!({"new_password": "hunter2"}));
        assert!(!format!("{call:?}").contains("hunter2"));
    }
}
