//! What a service's answers mean: the statuses of its objects and the error codes it answers. The
//! provider's waiters, refresh warnings, retry classes and docs read these tables, and so do the
//! simulator's lifecycles and error answers.

/// An error answer: HTTP status and `error_code` (`""`: any code with that status).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    pub status: u16,
    pub code: &'static str,
}

impl Code {
    pub const fn new(status: u16, code: &'static str) -> Code {
        Code { status, code }
    }
    /// Does an answer with this status and code match?
    pub fn matches(&self, status: u16, code: Option<&str>) -> bool {
        self.status == status && (self.code.is_empty() || code == Some(self.code))
    }
}

/// The error codes one service answers.
#[derive(Debug, Clone, Copy)]
pub struct Errors {
    /// An invalid request (a body, query or path that breaks the contract).
    pub invalid: Code,
    /// The object does not exist.
    pub not_found: &'static [Code],
    /// Another operation keeps the object busy: wait for it to settle and send again.
    pub busy: &'static [Code],
    /// The service's own throttling answers (besides the gateway's).
    pub throttled: &'static [Code],
    /// Further codes the service answers, with what they mean.
    pub other: &'static [(Code, &'static str)],
}

impl Errors {
    pub fn is_not_found(&self, status: u16, code: Option<&str>) -> bool {
        self.not_found.iter().any(|c| c.matches(status, code))
    }
    pub fn is_busy(&self, status: u16, code: Option<&str>) -> bool {
        self.busy.iter().any(|c| c.matches(status, code))
    }
    pub fn is_throttled(&self, status: u16, code: Option<&str>) -> bool {
        self.throttled.iter().any(|c| c.matches(status, code)) || GATEWAY_THROTTLED.matches(status, code)
    }
    /// The code of `other` whose meaning is `what` (the simulator's answers).
    pub fn code(&self, what: &str) -> Code {
        self.other.iter().find(|(_, m)| *m == what).map(|(c, _)| *c).unwrap_or(self.invalid)
    }
}

/// The API gateway in front of every service: too many requests.
pub const GATEWAY_THROTTLED: Code = Code::new(429, "APIGW.0308");
/// The API gateway: no published API has this method and path.
pub const GATEWAY_NOT_ROUTED: Code = Code::new(404, "APIGW.0101");
/// The API gateway: the signature or credentials are wrong.
pub const GATEWAY_AUTH: &[Code] = &[Code::new(401, "APIGW.0301"), Code::new(403, "APIGW.0302")];
/// The API gateway: the token has expired ("The token must be updated."). The documents list it for
/// tokens and are silent on expired temporary AK/SK credentials (`iam::ASSUME_AGENCY`): the simulator
/// answers this, and the client renews such credentials on it and sends the request once more.
pub const GATEWAY_TOKEN_EXPIRED: Code = Code::new(401, "APIGW.0307");

/// What the values of an object's status member mean.
#[derive(Debug, Clone, Copy)]
pub struct Statuses {
    /// The member of the show (or list) answer that holds the status.
    pub member: &'static str,
    /// The object works and takes changes.
    pub ready: &'static [&'static str],
    /// An operation is under way: a wait goes on, and a change is refused as busy.
    pub busy: &'static [&'static str],
    /// The object exists but is broken.
    pub failed: &'static [&'static str],
    /// The object's creation failed: it never came up.
    pub create_failed: &'static [&'static str],
    /// The object is being deleted.
    pub going: &'static [&'static str],
    /// The object is deleted (still shown for a while): as good as gone.
    pub gone: &'static [&'static str],
}

impl Statuses {
    /// Every status named, each once.
    pub fn all(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for s in [self.ready, self.busy, self.failed, self.create_failed, self.going, self.gone].concat() {
            if !out.contains(&s) {
                out.push(s);
            }
        }
        out
    }
    /// Why `s` is no status of this table (a filter's check), if it is none.
    pub fn refuse(&self, s: &str) -> Option<String> {
        let all = self.all();
        (!all.contains(&s)).then(|| {
            let quoted: Vec<String> = all.iter().map(|a| format!("{a:?}")).collect();
            format!("must be one of {}, got {s:?}", quoted.join(", "))
        })
    }

    /// A wait for a new or changed object ends well on these.
    pub fn is_ready(&self, s: &str) -> bool {
        self.ready.contains(&s)
    }
    /// A wait ends badly on these.
    pub fn is_failure(&self, s: &str) -> bool {
        self.failed.contains(&s) || self.create_failed.contains(&s)
    }
}
