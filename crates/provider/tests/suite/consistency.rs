//! The resources against the API contract they are declared with: every argument sent in a create body
//! is a parameter of that body and every parameter has an argument (or a stated reason not to), every
//! in-place argument has an operation whose body carries it and whose call is declared among the
//! resource's changes, and every path placeholder is one the client fills. Each failure names the resource, the attribute and the operation.

use hwapi::contract::{self, Op, Param, Ty, PLACEHOLDERS};
use hwprovider::engine::change::Change;
use hwprovider::engine::field::{Field, Kind, Read, Twin, Update};
use hwprovider::engine::ResourceDef;
use hwprovider::resources::defs;

/// Create-body parameters no argument mirrors, and why.
const NOT_EXPOSED: &[(&str, &str, &str)] = &[(
    "dms_kafka_instance",
    "public_boundwidth",
    "the create document's example spells public_bandwidth so; accepted from other clients, the argument is public_bandwidth",
)];

/// In-place arguments no call sends, and why.
const RECORDED: &[(&str, &str, &str)] = &[(
    "dms_kafka_instance",
    "bss_param",
    "billing is fixed at creation: the block of what the instance has is recorded, its other settings only shaped the \
order, and a charging_mode other than the instance's is refused at plan",
)];

fn exposed_elsewhere(resource: &str, path: &str) -> bool {
    NOT_EXPOSED.iter().any(|(r, p, _)| *r == resource && *p == path)
}

/// Every argument sent in the body has its parameter in one of the create tables (a resource with two
/// shapes has two), with a JSON type its Terraform type maps to; one every table requires is required
/// (one that only some require is required in their shape, which the plan checks).
fn arguments_have_parameters(fields: &[Field], tables: &[&'static [Param]], at: &str, out: &mut Vec<String>) {
    for f in fields.iter().filter(|f| f.is_argument() && f.in_body) {
        let found: Vec<&'static Param> =
            tables.iter().filter_map(|t| t.iter().find(|p| p.name == f.api_name())).collect();
        let Some(p) = found.first().copied() else {
            out.push(format!("{at}{}: sent as {:?}, which the create table does not have", f.name, f.api_name()));
            continue;
        };
        let required_by_every = found.len() == tables.len() && found.iter().all(|p| p.required);
        let fits = match (f.kind, p.ty) {
            (Kind::Str, Ty::Str) | (Kind::Int, Ty::Int) | (Kind::Bool, Ty::Bool) => true,
            (Kind::List, Ty::List(Param { ty: Ty::Str, .. })) => true,
            (Kind::Map, Ty::Map { .. }) => true,
            // A tag map travels as a list of {key, value}.
            (Kind::Map, Ty::List(Param { ty: Ty::Obj(m), .. })) => m.iter().any(|m| m.name == "key"),
            (Kind::Block { max: 1, .. }, Ty::Obj(_)) => true,
            (Kind::Block { .. }, Ty::List(Param { ty: Ty::Obj(_), .. })) => true,
            _ => false,
        };
        if !fits {
            out.push(format!("{at}{}: its Terraform type does not fit the parameter's JSON type {:?}", f.name, p.ty));
        }
        // A secret with a write-only twin is optional in the schema: one of the two is required, which
        // validation checks before any request.
        let twin_required = fields.iter().any(|t| t.twin == Twin::OfRequired(f.name));
        if required_by_every && !matches!(f.mode, hwprovider::engine::field::Mode::Required) && !twin_required {
            out.push(format!("{at}{}: the create table requires {} but the argument is optional", f.name, p.name));
        }
        if let (Kind::Block { fields: nested, .. }, Some(members)) = (f.kind, p.members()) {
            arguments_have_parameters(nested, &[members], &format!("{at}{}.", f.name), out);
        }
    }
}

/// Every parameter of the create body has an argument.
fn parameters_have_arguments(
    def: &ResourceDef,
    params: &'static [Param],
    fields: &[Field],
    at: &str,
    out: &mut Vec<String>,
) {
    for p in params {
        let path = format!("{at}{}", p.name);
        match fields.iter().find(|f| f.is_argument() && f.in_body && f.api_name() == p.name) {
            None if exposed_elsewhere(def.name, &path) => {}
            None => out.push(format!("huaweicloud_{}: create parameter {path} has no argument", def.name)),
            Some(f) => {
                if let (Some(members), Some(nested)) = (p.members(), f.nested()) {
                    parameters_have_arguments(def, members, nested, &format!("{path}."), out);
                }
            }
        }
    }
}

/// Every in-place argument is carried by a declared operation of the resource (or is one the API never
/// returns, recorded without a call); fields inside a block changed in place change with it.
fn in_place_arguments_are_sent(def: &ResourceDef, fields: &[Field], at: &str, inherited: bool, out: &mut Vec<String>) {
    for f in fields.iter().filter(|f| f.is_argument() && f.update == Update::InPlace) {
        let name = format!("{at}{}", f.name);
        for (op, param) in f.via_params() {
            if !def.ops.contains(&op) {
                out.push(format!("{name}: {} is not among the resource's operations", op.label()));
            }
            if param.is_none() {
                out.push(format!("{name}: {} has no body parameter that carries it", op.label()));
            }
        }
        let recorded = RECORDED.iter().any(|(r, p, _)| def.name == *r && name.ends_with(&format!(".{p}")));
        if f.via.is_empty() && !inherited && f.read != Read::Keep && !recorded {
            out.push(format!("{name}: changes in place, but no operation sends it"));
        }
        if let Some(nested) = f.nested() {
            in_place_arguments_are_sent(def, nested, &format!("{name}."), inherited || !f.via.is_empty(), out);
        }
    }
}

/// Every operation an argument names has its call declared among the resource's changes, and every
/// declared change carries an argument.
fn changes_are_declared(def: &ResourceDef, out: &mut Vec<String>) {
    fn vias(fields: &[Field], out: &mut Vec<&'static Op>) {
        for f in fields {
            out.extend(f.via.iter().copied());
            vias(f.nested().unwrap_or_default(), out);
        }
    }
    let mut named = Vec::new();
    vias(def.fields, &mut named);
    for op in &named {
        if !def.changes.iter().any(|c| c.op == *op) {
            out.push(format!("huaweicloud_{}: {} carries arguments but has no declared change", def.name, op.label()));
        }
    }
    for c in def.changes {
        if !named.contains(&c.op) {
            out.push(format!("huaweicloud_{}: the change {} carries no argument", def.name, c.op.label()));
        }
        if !def.ops.contains(&c.op) {
            out.push(format!("huaweicloud_{}: the change {} is not among its operations", def.name, c.op.label()));
        }
    }
}

fn placeholders_are_known(op: &Op, out: &mut Vec<String>) {
    for name in op.placeholders() {
        if !PLACEHOLDERS.contains(&name) {
            out.push(format!("{}: unknown placeholder {{{name}}}", op.label()));
        }
    }
    if op.method.as_str() == "GET" && !op.body.is_empty() {
        out.push(format!("{}: a GET with a body", op.label()));
    }
}

/// Every write-only twin stands for a sensitive argument the API never returns, is named after it
/// (`password_wo`), and has its version (`password_wo_version`), which the docs name.
fn twins_are_named_after_their_secrets(fields: &[Field], at: &str, out: &mut Vec<String>) {
    for f in fields {
        let Some(secret) = f.twin_of() else { continue };
        match fields.iter().find(|s| s.name == secret) {
            Some(s) if s.sensitive && s.read == Read::Keep => {}
            _ => out.push(format!(
                "{at}{}: stands for {secret}, which is no sensitive argument kept from the plan",
                f.name
            )),
        }
        if f.name != format!("{secret}_wo") {
            out.push(format!("{at}{}: the twin of {secret} is named {secret}_wo", f.name));
        }
        let version = format!("{secret}_wo_version");
        if !fields.iter().any(|v| v.name == version && v.twin == Twin::VersionOf(secret)) {
            out.push(format!("{at}{}: has no version {version}", f.name));
        }
    }
}

#[test]
fn resources_and_contract_agree() {
    let mut out = Vec::new();
    for def in defs() {
        let at = format!("huaweicloud_{}.", def.name);
        arguments_have_parameters(def.fields, &def.create_tables(), &at, &mut out);
        for table in def.create_tables() {
            parameters_have_arguments(def, table, def.fields, "", &mut out);
        }
        in_place_arguments_are_sent(def, def.fields, &at, false, &mut out);
        changes_are_declared(def, &mut out);
        twins_are_named_after_their_secrets(def.fields, &at, &mut out);
        for create in def.creates() {
            assert!(def.ops.contains(&create), "{at} does not list its create operation {}", create.label());
        }
        for op in def.ops {
            placeholders_are_known(op, &mut out);
        }
    }
    for ops in [contract::iotda::OPS, contract::kafka::OPS, contract::clouddc::OPS] {
        for op in ops {
            placeholders_are_known(op, &mut out);
        }
    }
    assert!(out.is_empty(), "{} inconsistencies:\n{}", out.len(), out.join("\n"));
}

/// The test above fails on each kind of drift it is meant to catch.
#[test]
fn the_consistency_checks_catch_drift() {
    use hwapi::client::{Method, Service};
    use hwprovider::engine::field::Field;
    static BODY: [Param; 2] = [Param::req("name", Ty::Str), Param::opt("size", Ty::Int)];
    static PUT: Op = Op::new("Update", Service::Dms, Method::Put, "/v2/{project_id}/things/{thing_id}").body(&BODY);
    static CREATE: Op = Op::new("Create", Service::Dms, Method::Post, "/v2/{project_id}/things").body(&BODY);
    static FIELDS: [Field; 3] = [
        // Required in the table, optional here; changed in place by an operation the resource does not list.
        Field::string("name", "n").in_place_by(&[&PUT]),
        // In place without any operation.
        Field::string("label", "l").in_place().not_in_body(),
        // Sent, but not in the table.
        Field::bool("extra", "e"),
    ];
    static OPS: [&Op; 1] = [&CREATE];
    static CHANGES: [Change; 1] = [Change::changed(&CREATE)];
    let def = ResourceDef { fields: &FIELDS, create: &CREATE, ops: &OPS, changes: &CHANGES, ..*defs()[0] };
    let mut out = Vec::new();
    arguments_have_parameters(def.fields, &def.create_tables(), "", &mut out);
    parameters_have_arguments(&def, def.create.object_table(), def.fields, "", &mut out);
    in_place_arguments_are_sent(&def, def.fields, "", false, &mut out);
    changes_are_declared(&def, &mut out);
    placeholders_are_known(&PUT, &mut out);
    let all = out.join("\n");
    for expected in [
        "name: the create table requires name",
        "extra: sent as \"extra\", which the create table does not have",
        "create parameter size has no argument",
        "name: PUT /v2/{project_id}/things/{thing_id} is not among the resource's operations",
        "label: changes in place, but no operation sends it",
        "unknown placeholder {thing_id}",
        "PUT /v2/{project_id}/things/{thing_id} carries arguments but has no declared change",
        "the change POST /v2/{project_id}/things carries no argument",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
}
