//! The field table: one row per attribute, mirroring a row of the API's request or response table.
//!
//! Rows are built with `const fn` builders so that a resource's whole schema is a `static` slice:
//! `Field::string("name", "Instance name.").required().in_place_by(&[&UPDATE])`; the checks of an
//! argument sent in a request body come from the API contract (`hwapi::contract`), found by its API name.

use tfplugin::framework::TfValue;

/// The Terraform type of an attribute (or nested block).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Str,
    Int,
    Bool,
    /// map(string)
    Map,
    /// list(string)
    List,
    /// A nested block (`name { ... }`). With `max == 1` and a required field it is a single block,
    /// otherwise a list of blocks. Blocks are arguments.
    Block {
        fields: &'static [Field],
        max: usize,
    },
    /// A computed object attribute whose nested fields are all computed.
    Object(&'static [Field]),
    /// A computed list of objects.
    ObjectList(&'static [Field]),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Required,
    Optional,
    /// Optional; when the user leaves it unset the API chooses the value (kept in state without a diff).
    OptionalComputed,
    Computed,
}

/// What a change of an argument does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// No API can change it: a change replaces the resource.
    Replace,
    /// The resource's update hook applies it in place.
    InPlace,
    /// A change replaces the resource, unless the resource judges that it only records what already is
    /// (`Hooks::recorded_change`; its description says when).
    Judged,
}

/// Where `read` finds the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// At the field's API name inside the parent object of the show response.
    Same,
    /// At this dotted path from the root of the show response.
    Path(&'static str),
    /// The API never returns it (write-only): the value in state is the one last applied.
    Keep,
}

/// How a value travels between Terraform and the API when the two differ in shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Plain,
    /// map(string) in Terraform, `[{"key": k, "value": v}]` in the API.
    TagList,
    /// `HH:mm` in Terraform; the API may answer `HH:mm:ss`.
    HourMinute,
    /// The API answers an empty string for an unset value.
    EmptyIsNull,
    /// Read back when the answer carries it; an answer without it (or with "") keeps the value in state.
    KeepIfAbsent,
    /// 0 means unset, as the API answers it: accepted in a configuration (as `terraform plan
    /// -generate-config-out` writes it), never sent, and not checked against the parameter's range.
    ZeroIsUnset,
    /// A list of `{name, value}` blocks read from an answer that lists every setting with its
    /// `default_value` (a topic's configurations): a refresh reads the settings the state names, with
    /// their current values (so a change made elsewhere shows as drift); an import reads those whose
    /// value is not the default.
    NamedSubset,
    /// A list of blocks whose order carries no meaning (a set in Terraform's terms).
    Unordered,
    /// A set of `{name, value}` blocks read as [`Codec::NamedSubset`] reads its list (a broker's
    /// parameters: no order, one block per name).
    NamedSet,
    /// A block of settings the service always reports: read where the state has it, and on import where
    /// the answer has it, so that a configuration without it plans nothing against what the cloud reports.
    WhereSet,
}

/// Plan-time checks are the contract's: the same vocabulary the API tables use.
pub use hwapi::contract::Check;
use hwapi::contract::{Op, Param};

/// The parameter called `name` in a table or, failing that, in its nested objects.
pub fn find_deep(params: &'static [Param], name: &str) -> Option<&'static Param> {
    params
        .iter()
        .find(|p| p.name == name)
        .or_else(|| params.iter().filter_map(Param::members).find_map(|m| find_deep(m, name)))
}

/// One attribute.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    /// The API's field name ("" = same as `name`).
    pub api: &'static str,
    pub kind: Kind,
    pub mode: Mode,
    pub sensitive: bool,
    pub update: Update,
    pub read: Read,
    pub codec: Codec,
    /// Sent in the create body (false for computed fields and for arguments only used by hooks).
    pub in_body: bool,
    /// For computed fields: becomes unknown in the plan of any in-place update.
    pub volatile: bool,
    /// The operations that change an in-place argument (each also in `ResourceDef::ops`); empty for
    /// one that is recorded without a call. A value must suit each of them: their body parameters of
    /// the same name add their checks to the create table's.
    pub via: &'static [&'static Op],
    /// The body parameter of the `via` operations that carries the change ("" = the API name),
    /// looked up at any depth (`new_storage_space`, `ip_address` inside `nics`).
    pub sent_as: &'static str,
    /// Arguments the service derives this value from: when one of them changes in place, this value is
    /// unknown in the plan (unless the configuration sets it).
    pub follows: &'static [&'static str],
    /// A value the state never knew (null) is adopted from the plan by an in-place change, never sent:
    /// a change of it rewrites something (a reinstall), and an unknown is no reason to.
    pub adopts_unknown: bool,
    /// Checks besides the API contract's (arguments that are not in a request body, such as path
    /// parameters, and rules of this provider); the contract's apply to every argument in a body.
    pub checks: &'static [Check],
    pub desc: &'static str,
    /// A Terraform write-only twin of a secret argument, or the version that rotates it.
    pub twin: Twin,
}

/// The write-only form of a secret argument (Terraform 1.11's write-only arguments): the twin's value
/// reaches the provider in the configuration only, is sent wherever the secret would be, and is never
/// in the plan or the state; a change of its version applies it again through the secret's own calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    No,
    /// The write-only twin of the named argument (`password_wo` of `password`).
    Of(&'static str),
    /// As `Of`, of an argument that would be required: one of the two must be set.
    OfRequired(&'static str),
    /// The version of the named argument's twin (`password_wo_version`): a change applies the twin.
    VersionOf(&'static str),
}

impl Field {
    const fn new(name: &'static str, kind: Kind, desc: &'static str) -> Field {
        Field {
            name,
            api: "",
            kind,
            mode: Mode::Optional,
            sensitive: false,
            update: Update::Replace,
            read: Read::Same,
            codec: Codec::Plain,
            in_body: true,
            volatile: false,
            via: &[],
            sent_as: "",
            follows: &[],
            adopts_unknown: false,
            checks: &[],
            desc,
            twin: Twin::No,
        }
    }
    pub const fn string(name: &'static str, desc: &'static str) -> Field {
        Field::new(name, Kind::Str, desc)
    }
    pub const fn int(name: &'static str, desc: &'static str) -> Field {
        Field::new(name, Kind::Int, desc)
    }
    pub const fn bool(name: &'static str, desc: &'static str) -> Field {
        Field::new(name, Kind::Bool, desc)
    }
    pub const fn map(name: &'static str, desc: &'static str) -> Field {
        Field::new(name, Kind::Map, desc)
    }
    pub const fn list(name: &'static str, desc: &'static str) -> Field {
        Field::new(name, Kind::List, desc)
    }
    pub const fn block(name: &'static str, fields: &'static [Field], desc: &'static str) -> Field {
        Field::new(name, Kind::Block { fields, max: 1 }, desc)
    }
    pub const fn blocks(name: &'static str, fields: &'static [Field], max: usize, desc: &'static str) -> Field {
        Field::new(name, Kind::Block { fields, max }, desc)
    }
    /// The write-only twin `name` of the secret argument `of`: optional, sensitive, never read or stored
    /// (its description is made from the secret's).
    pub const fn write_only_twin(name: &'static str, of: &'static str) -> Field {
        let mut f = Field::new(name, Kind::Str, "").in_place().not_in_body().sensitive().read(Read::Keep);
        f.twin = Twin::Of(of);
        f
    }
    /// The twin of a secret that would be required: one of the two must be set.
    pub const fn required_one(mut self) -> Field {
        if let Twin::Of(of) = self.twin {
            self.twin = Twin::OfRequired(of);
        }
        self
    }
    /// The version `name` of the write-only twin of `of`: a change applies the twin's value in place.
    pub const fn twin_version(name: &'static str, of: &'static str) -> Field {
        let mut f = Field::new(name, Kind::Int, "").in_place().not_in_body().read(Read::Keep);
        f.twin = Twin::VersionOf(of);
        f
    }
    /// The secret a twin stands for.
    pub fn twin_of(&self) -> Option<&'static str> {
        match self.twin {
            Twin::Of(s) | Twin::OfRequired(s) => Some(s),
            _ => None,
        }
    }
    /// A computed attribute: not sent, read from the API, never planned by the user.
    pub const fn computed(mut self) -> Field {
        self.mode = Mode::Computed;
        self.in_body = false;
        self
    }
    pub const fn object(name: &'static str, fields: &'static [Field], desc: &'static str) -> Field {
        Field::new(name, Kind::Object(fields), desc).computed()
    }
    pub const fn object_list(name: &'static str, fields: &'static [Field], desc: &'static str) -> Field {
        Field::new(name, Kind::ObjectList(fields), desc).computed()
    }
    pub const fn required(mut self) -> Field {
        self.mode = Mode::Required;
        self
    }
    pub const fn optional_computed(mut self) -> Field {
        self.mode = Mode::OptionalComputed;
        self
    }
    pub const fn sensitive(mut self) -> Field {
        self.sensitive = true;
        self
    }
    pub const fn in_place(mut self) -> Field {
        self.update = Update::InPlace;
        self
    }
    /// Changed in place by these operations.
    pub const fn in_place_by(mut self, via: &'static [&'static Op]) -> Field {
        self.update = Update::InPlace;
        self.via = via;
        self
    }
    /// A change replaces the resource unless the resource's `recorded_change` judges otherwise.
    pub const fn judged(mut self) -> Field {
        self.update = Update::Judged;
        self
    }
    /// The body parameter of the `via` operations that carries a change of this argument.
    pub const fn sent_as(mut self, param: &'static str) -> Field {
        self.sent_as = param;
        self
    }
    pub const fn api(mut self, api: &'static str) -> Field {
        self.api = api;
        self
    }
    pub const fn read(mut self, read: Read) -> Field {
        self.read = read;
        self
    }
    pub const fn write_only(self) -> Field {
        self.read(Read::Keep)
    }
    pub const fn codec(mut self, codec: Codec) -> Field {
        self.codec = codec;
        self
    }
    pub const fn not_in_body(mut self) -> Field {
        self.in_body = false;
        self
    }
    pub const fn volatile(mut self) -> Field {
        self.volatile = true;
        self
    }
    /// A value the state never knew is adopted from the plan, not sent.
    pub const fn adopts_unknown(mut self) -> Field {
        self.adopts_unknown = true;
        self
    }
    pub const fn follows(mut self, names: &'static [&'static str]) -> Field {
        self.follows = names;
        self
    }
    pub const fn checks(mut self, checks: &'static [Check]) -> Field {
        self.checks = checks;
        self
    }

    pub fn api_name(&self) -> &'static str {
        if self.api.is_empty() {
            self.name
        } else {
            self.api
        }
    }

    /// The parameter of each `via` operation that carries a change (None: the operation has none).
    pub fn via_params(&self) -> Vec<(&'static Op, Option<&'static Param>)> {
        let name = if self.sent_as.is_empty() { self.api_name() } else { self.sent_as };
        self.via.iter().map(|op| (*op, find_deep(op.body, name))).collect()
    }

    pub fn is_argument(&self) -> bool {
        self.mode != Mode::Computed
    }

    /// Nested fields of a block or computed object.
    pub fn nested(&self) -> Option<&'static [Field]> {
        match self.kind {
            Kind::Block { fields, .. } | Kind::Object(fields) | Kind::ObjectList(fields) => Some(fields),
            _ => None,
        }
    }

    /// A set of blocks in Terraform's terms (no order).
    pub fn is_set(&self) -> bool {
        matches!(self.codec, Codec::Unordered | Codec::NamedSet)
    }

    /// Read as named settings: those the state names, or on import those not at their default.
    pub fn is_named_subset(&self) -> bool {
        matches!(self.codec, Codec::NamedSubset | Codec::NamedSet)
    }

    /// A required block that holds exactly one element is a single block: its value is an object.
    pub fn is_single_block(&self) -> bool {
        matches!(self.kind, Kind::Block { max: 1, .. }) && self.mode == Mode::Required
    }
}

/// The attribute paths of the write-only arguments among `fields` (`password`,
/// `charge_info.period_num`): what an import cannot read.
pub fn write_only_paths(fields: &[Field]) -> Vec<String> {
    fn walk(fields: &[Field], prefix: &str, out: &mut Vec<String>) {
        for f in fields.iter().filter(|f| f.is_argument()) {
            let path = if prefix.is_empty() { f.name.to_string() } else { format!("{prefix}.{}", f.name) };
            match f.nested() {
                // A write-only twin is never in the state at all.
                _ if f.read == Read::Keep && f.twin_of().is_none() => out.push(path),
                Some(nested) => walk(nested, &path, out),
                None => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(fields, "", &mut out);
    out
}

/// A problem a custom rule found: the path of attribute names, and the message.
pub type RuleProblem = (Vec<&'static str>, String);

/// A rule of this provider that ties several arguments together, beyond the contract's rules (which
/// the engine checks on every resource); paths are attribute names from the top (a block step means
/// its only element).
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// Returns (path, message) for each problem. Unknown values must be skipped.
    Custom(fn(&TfValue) -> Vec<RuleProblem>),
}
