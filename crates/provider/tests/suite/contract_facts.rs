//! The contract's facts against themselves and against the resources: status tables (classes that do
//! not overlap, the statuses each resource's health names), error tables (well-formed codes, none both
//! "busy" and "not found"), the rules that tie body members together (members that exist, conditions
//! the members' checks allow) and query parameters (types, defaults inside their checks, the paging
//! parameters of every list). Each check takes declarations and returns the problems it finds, so the
//! same function runs over the real tables (nothing found) and over a broken declaration (found and
//! named). The checks against the simulator are in `contract_facts_answers`.

use hwapi::contract::{self, find_path, BodyRule, Check, Code, Errors, Given, Is, Op, Paging, Param, Statuses, Ty};
use hwapi::service::{Method, Service};
use hwprovider::engine::Health;

/// The services with status and error tables: their statuses, errors and error-code prefix.
pub fn services() -> [(Service, &'static Statuses, &'static Errors, &'static str); 3] {
    [
        (Service::Iotda, &contract::iotda::STATUSES, &contract::iotda::ERRORS, "IOTDA."),
        (Service::Dms, &contract::kafka::STATUSES, &contract::kafka::ERRORS, "DMS."),
        (Service::Clouddc, &contract::clouddc::STATUSES, &contract::clouddc::ERRORS, "iMetal."),
    ]
}

/// A status table's classes, by name.
fn classes(s: &Statuses) -> [(&'static str, &'static [&'static str]); 6] {
    [
        ("ready", s.ready),
        ("busy", s.busy),
        ("failed", s.failed),
        ("create_failed", s.create_failed),
        ("going", s.going),
        ("gone", s.gone),
    ]
}

/// A status table: a member, at least one ready status, and no status in two classes (nor twice in one).
pub fn statuses_problems(name: &str, s: &Statuses) -> Vec<String> {
    let mut out = Vec::new();
    if s.member.is_empty() {
        out.push(format!("{name}: the status member is empty"));
    }
    if s.ready.is_empty() {
        out.push(format!("{name}: no ready status"));
    }
    let all: Vec<(&str, &str)> = classes(s).iter().flat_map(|(c, list)| list.iter().map(move |st| (*c, *st))).collect();
    for (i, (class, status)) in all.iter().enumerate() {
        if status.is_empty() {
            out.push(format!("{name}: an empty status in {class}"));
        }
        for (other, _) in all[i + 1..].iter().filter(|(_, st)| st == status) {
            out.push(format!("{name}: {status:?} is in {class} and in {other}"));
        }
    }
    out
}

/// Every status a resource's health names is declared by its service, in the same class.
pub fn health_problems(resource: &str, h: &Health, s: &Statuses) -> Vec<String> {
    let pairs = [
        ("ready", h.ready, s.ready),
        ("going", h.going, s.going),
        ("failed", h.failed, s.failed),
        ("create_failed", h.create_failed, s.create_failed),
    ];
    let mut out = Vec::new();
    for (class, named, declared) in pairs {
        for status in named.iter().filter(|st| !declared.contains(st)) {
            let elsewhere = classes(s).iter().find(|(_, list)| list.contains(status)).map(|(c, _)| *c);
            out.push(match elsewhere {
                Some(c) => format!("{resource}: health.{class} names {status:?}, which the status table has as {c}"),
                None => format!("{resource}: health.{class} names {status:?}, which the status table does not declare"),
            });
        }
    }
    out
}

/// Statuses the simulator was seen to answer that the table does not declare.
pub fn undeclared_statuses(name: &str, s: &Statuses, seen: &[String]) -> Vec<String> {
    let all = s.all();
    let mut out: Vec<String> = Vec::new();
    for status in seen.iter().filter(|st| !all.contains(&st.as_str())) {
        let problem = format!("{name}: the simulator answered status {status:?}, which the table does not declare");
        if !out.contains(&problem) {
            out.push(problem);
        }
    }
    out
}

/// An error table: every status 4xx or 5xx (the invalid answer 4xx), every code the service's
/// (`prefix`) or "" (any), and no answer both "busy" and "not found".
pub fn errors_problems(name: &str, prefix: &str, e: &Errors) -> Vec<String> {
    let mut codes: Vec<(String, Code)> = vec![("invalid".into(), e.invalid)];
    codes.extend(e.not_found.iter().map(|c| ("not_found".into(), *c)));
    codes.extend(e.busy.iter().map(|c| ("busy".into(), *c)));
    codes.extend(e.throttled.iter().map(|c| ("throttled".into(), *c)));
    codes.extend(e.other.iter().map(|(c, what)| (format!("other ({what})"), *c)));
    let mut out = Vec::new();
    for (what, c) in &codes {
        if !(400..=599).contains(&c.status) {
            out.push(format!("{name}: {what} {c:?}: the status is not 4xx or 5xx"));
        }
        let well_formed = c.code.is_empty() || c.code.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty());
        if !well_formed {
            out.push(format!("{name}: {what} {c:?}: the code is not {prefix}... nor empty"));
        }
    }
    if e.invalid.status >= 500 {
        out.push(format!("{name}: invalid {:?} is a server error", e.invalid));
    }
    let overlap =
        |a: &Code, b: &Code| a.status == b.status && (a.code.is_empty() || b.code.is_empty() || a.code == b.code);
    for b in e.busy {
        for n in e.not_found.iter().filter(|n| overlap(b, n)) {
            out.push(format!("{name}: {b:?} (busy) and {n:?} (not found) match the same answer"));
        }
    }
    out
}

/// The condition fits its member: a string the member's checks allow, or `true` of a Boolean.
fn condition_problems(op: &Op, rule: &BodyRule, when: &str, is: Is, out: &mut Vec<String>) {
    let Some(p) = find_path(op.body, when) else { return };
    let at = format!("{} ({}): {}", op.name, op.label(), rule.describe());
    match (is, p.ty) {
        (Is::Str(v), Ty::Str) => {
            if let Some(m) = p.checks.iter().find_map(|c| c.text(v)) {
                out.push(format!("{at}: {when} can never be {v:?} ({m})"));
            }
        }
        (Is::True, Ty::Bool) => {}
        (Is::Str(v), _) => out.push(format!("{at}: {when} is no String, it can never be {v:?}")),
        (Is::True, _) => out.push(format!("{at}: {when} is no Boolean, it can never be true")),
    }
}

/// Every rule of an operation names members of its body, conditions its members allow, and a
/// MaxWhen's max inside the member's range; every fixed member is in the body and passes its checks.
pub fn rules_problems(op: &Op) -> Vec<String> {
    let mut out = Vec::new();
    for rule in op.rules {
        let at = format!("{} ({}): {}", op.name, op.label(), rule.describe());
        for m in rule.members() {
            if find_path(op.body, m).is_none() {
                out.push(format!("{at}: {m} is not a member of the body"));
            }
        }
        match *rule {
            BodyRule::RequiredWhen { when, is, .. } | BodyRule::OnlyWhen { when, is, .. } => {
                condition_problems(op, rule, when, is, &mut out)
            }
            BodyRule::MaxWhen { field, max, when, is } => {
                condition_problems(op, rule, when, is, &mut out);
                match find_path(op.body, field) {
                    Some(Param { ty: Ty::Int, checks, .. }) => {
                        for c in checks.iter() {
                            if let Check::Range(lo, hi) = c {
                                if max < *lo || max > *hi {
                                    out.push(format!("{at}: {max} is outside the range {lo} to {hi} of {field}"));
                                }
                            }
                        }
                    }
                    Some(_) => out.push(format!("{at}: {field} is no Integer")),
                    None => {}
                }
            }
            BodyRule::NotNameOf { other, .. } => {
                if let Some(placeholder) = other.strip_prefix('{').and_then(|o| o.strip_suffix('}')) {
                    if !op.placeholders().contains(&placeholder) {
                        out.push(format!("{at}: the path has no placeholder {other}"));
                    }
                }
            }
            BodyRule::Distinct(list, member) => match find_path(op.body, list) {
                Some(Param { ty: Ty::List(item), .. })
                    if !member.is_empty() && !item.members().is_some_and(|ms| ms.iter().any(|p| p.name == member)) =>
                {
                    out.push(format!("{at}: the elements of {list} have no member {member}"))
                }
                Some(Param { ty: Ty::List(_), .. }) | None => {}
                Some(_) => out.push(format!("{at}: {list} is no list")),
            },
            BodyRule::Together(..) | BodyRule::NotBoth(..) | BodyRule::AnyOf(..) => {}
        }
    }
    // A fixed placeholder is a value of the path (`{engine}`), not of the body.
    let placeholders = op.placeholders();
    for (name, value) in op.fixed.iter().filter(|(n, _)| !placeholders.contains(n)) {
        match find_path(op.body, name) {
            None => out.push(format!("{}: the fixed member {name} is not a member of the body", op.name)),
            Some(p) => {
                if let Some(m) = p.checks.iter().find_map(|c| c.text(value)) {
                    out.push(format!("{}: the fixed {name} = {value:?} fails its checks ({m})", op.name));
                }
            }
        }
    }
    out
}

/// The problem of a default with its own parameter's type and checks.
fn default_problem(p: &Param, d: Given) -> Option<String> {
    match (p.ty, d) {
        (Ty::Str, Given::Str(s)) => p.checks.iter().find_map(|c| c.text(s)),
        (Ty::Int, Given::Int(n)) => p.checks.iter().find_map(|c| c.int(n)),
        (Ty::Bool, Given::Bool(_)) => None,
        _ => Some(format!("{d} is not of the parameter's type")),
    }
}

/// An operation's query parameters: String, Integer or Boolean; defaults inside their checks; each
/// name once; a paged list declares its paging parameters, and its page size is inside `limit`'s range.
pub fn query_problems(op: &Op) -> Vec<String> {
    let at = format!("{} ({})", op.name, op.label());
    let mut out = Vec::new();
    for (i, p) in op.query.iter().enumerate() {
        if !matches!(p.ty, Ty::Str | Ty::Int | Ty::Bool) {
            out.push(format!("{at}: query parameter {} is of type {:?}", p.name, p.ty));
        }
        if let Some(m) = p.default.and_then(|d| default_problem(p, d)) {
            out.push(format!("{at}: the default of query parameter {}: {m}", p.name));
        }
        if op.query[..i].iter().any(|q| q.name == p.name) {
            out.push(format!("{at}: query parameter {} is declared twice", p.name));
        }
    }
    let (needs, limit): (&[&str], Option<usize>) = match op.paging {
        Paging::None => (&[], None),
        Paging::Offset { limit, .. } => (&["offset", "limit"], Some(limit)),
        Paging::Marker { limit, .. } => (&["marker", "limit"], Some(limit)),
    };
    if op.paging != Paging::None && op.items.is_empty() {
        out.push(format!("{at}: paged, but no member holds its items"));
    }
    for name in needs.iter().filter(|n| !op.takes_query(n)) {
        out.push(format!("{at}: paged by {:?} without a {name} query parameter", op.paging));
    }
    let param = op.query.iter().find(|p| p.name == "limit");
    if let (Some(n), Some(p)) = (limit, param) {
        if let Some(m) = p.checks.iter().find_map(|c| c.int(n as i64)) {
            out.push(format!("{at}: the page size {n} does not fit the limit parameter ({m})"));
        }
    }
    out
}

fn all_problems(found: impl IntoIterator<Item = Vec<String>>) -> Vec<String> {
    found.into_iter().flatten().collect()
}

fn assert_none(what: &str, problems: Vec<String>) {
    assert!(problems.is_empty(), "{} {what} problems:\n{}", problems.len(), problems.join("\n"));
}

fn assert_names(problems: &[String], expected: &[&str]) {
    let all = problems.join("\n");
    for e in expected {
        assert!(all.contains(e), "no problem names {e:?}; found:\n{all}");
    }
}

#[test]
fn status_tables_and_resource_health_agree() {
    let mut found = Vec::new();
    for (service, statuses, ..) in services() {
        found.push(statuses_problems(service.key(), statuses));
    }
    let mut checked = 0;
    for def in hwprovider::resources::defs() {
        let (_, statuses, ..) = services().into_iter().find(|(s, ..)| *s == def.create.service).expect("a table");
        found.push(health_problems(def.name, &def.health, statuses));
        checked += 1;
    }
    assert!(checked >= 4, "only {checked} resources");
    assert_none("status", all_problems(found));
}

#[test]
fn status_checks_catch_broken_tables() {
    static BROKEN: Statuses = Statuses {
        member: "",
        ready: &[],
        busy: &["CREATING", "DELETING"],
        failed: &["ERROR"],
        create_failed: &["ERROR"],
        going: &["DELETING"],
        gone: &[],
    };
    let mut found = statuses_problems("broken", &BROKEN);
    let health = Health { ready: &["RUNNING"], going: &["CREATING"], failed: &[], create_failed: &[], note: "" };
    found.extend(health_problems("huaweicloud_thing", &health, &BROKEN));
    found.extend(undeclared_statuses("broken", &BROKEN, &["ERROR".into(), "RESTARTING".into()]));
    assert_names(
        &found,
        &[
            "broken: the status member is empty",
            "broken: no ready status",
            "\"DELETING\" is in busy and in going",
            "\"ERROR\" is in failed and in create_failed",
            "huaweicloud_thing: health.ready names \"RUNNING\", which the status table does not declare",
            "huaweicloud_thing: health.going names \"CREATING\", which the status table has as busy",
            "answered status \"RESTARTING\"",
        ],
    );
    assert_eq!(found.len(), 7, "{found:#?}");
}

#[test]
fn error_tables_are_well_formed() {
    assert_none("error", all_problems(services().map(|(s, _, e, prefix)| errors_problems(s.key(), prefix, e))));
}

#[test]
fn error_checks_catch_broken_tables() {
    static BROKEN: Errors = Errors {
        invalid: Code::new(200, "DMS.00400000"),
        not_found: &[Code::new(404, "IOTDA.001000"), Code::new(400, "")],
        busy: &[Code::new(400, "DMS.00400026")],
        throttled: &[Code::new(429, "DMS.")],
        other: &[],
    };
    let found = errors_problems("broken", "DMS.", &BROKEN);
    assert_names(
        &found,
        &[
            "invalid Code { status: 200, code: \"DMS.00400000\" }: the status is not 4xx or 5xx",
            "not_found Code { status: 404, code: \"IOTDA.001000\" }: the code is not DMS.",
            "throttled Code { status: 429, code: \"DMS.\" }: the code is not DMS.",
            "(busy) and Code { status: 400, code: \"\" } (not found) match the same answer",
        ],
    );
}

#[test]
fn every_rule_names_members_and_values_its_table_allows() {
    let mut ops: Vec<&Op> = contract::all_ops().collect();
    ops.extend([&contract::kafka::EXTEND_STORAGE, &contract::kafka::EXTEND_BROKERS, &contract::kafka::EXTEND_FLAVOR]);
    let rules: usize = ops.iter().map(|op| op.rules.len()).sum();
    assert!(rules >= 30, "only {rules} rules");
    assert_none("rule", all_problems(ops.into_iter().map(rules_problems)));
}

#[test]
fn rule_checks_catch_broken_declarations() {
    static BODY: [Param; 4] = [
        Param::req("mode", Ty::Str).checks(&[Check::OneOf(&["prePaid", "postPaid"])]),
        Param::opt("size", Ty::Int).checks(&[Check::Range(1, 9)]),
        Param::opt("ssl", Ty::Bool),
        Param::opt("secret", Ty::Str),
    ];
    static OP: Op = Op::new("Broken", Service::Dms, Method::Post, "/v2/{project_id}/things")
        .body(&BODY)
        .fixed(&[("mode", "monthly"), ("kind", "x")])
        .rules(&[
            BodyRule::required_when("nowhere", "mode", Is::Str("prePaid")),
            BodyRule::only_when("size", "mode", Is::Str("sometimes")),
            BodyRule::only_when("size", "mode", Is::True),
            BodyRule::required_when("size", "ssl", Is::Str("yes")),
            BodyRule::MaxWhen { field: "size", max: 12, when: "ssl", is: Is::True },
            BodyRule::NotNameOf { field: "secret", other: "{user_name}" },
        ]);
    let found = rules_problems(&OP);
    assert_names(
        &found,
        &[
            "nowhere is not a member of the body",
            "mode can never be \"sometimes\"",
            "mode is no Boolean, it can never be true",
            "ssl is no String, it can never be \"yes\"",
            "12 is outside the range 1 to 9 of size",
            "the path has no placeholder {user_name}",
            "the fixed mode = \"monthly\" fails its checks",
            "the fixed member kind is not a member of the body",
        ],
    );
    assert_eq!(found.len(), 8, "{found:#?}");
}

#[test]
fn query_parameters_and_paging_are_declared() {
    let lists = contract::all_ops().filter(|op| op.paging != Paging::None).count();
    assert!(lists >= 5, "only {lists} paged lists");
    assert_none("query", all_problems(contract::all_ops().map(query_problems)));
}

#[test]
fn query_checks_catch_broken_declarations() {
    static OFFSET_OP: Op = Op::new("BrokenOffset", Service::Dms, Method::Get, "/v2/{project_id}/things")
        .query(&[
            Param::opt("limit", Ty::Int).checks(&[Check::Range(1, 50)]).default(Given::Int(100)),
            Param::opt("offset", Ty::Int).default(Given::Str("0")),
            Param::opt("offset", Ty::Obj(&[])),
        ])
        .list("things", Paging::Offset { limit: 60, total: "count" });
    static MARKER_OP: Op = Op::new("BrokenMarker", Service::Clouddc, Method::Get, "/v1/{project_id}/things")
        .query(&[Param::opt("limit", Ty::Int).checks(&[Check::Range(1, 1000)])])
        .list("", Paging::Marker { limit: 1000, next: "page_info.next_marker" });
    let found = [query_problems(&OFFSET_OP), query_problems(&MARKER_OP)].concat();
    assert_names(
        &found,
        &[
            "BrokenOffset (GET /v2/{project_id}/things): the default of query parameter limit: must be between 1 and 50, got 100",
            "the default of query parameter offset: \"0\" is not of the parameter's type",
            "query parameter offset is of type Obj",
            "query parameter offset is declared twice",
            "the page size 60 does not fit the limit parameter",
            "BrokenMarker (GET /v1/{project_id}/things): paged by Marker",
            "without a marker query parameter",
            "BrokenMarker (GET /v1/{project_id}/things): paged, but no member holds its items",
        ],
    );
}
