//! The vocabulary of a mapping from the Go provider's attributes to ours: one row per Go attribute, naming
//! our attribute (a top-level name, or `block.member`) and how its value converts; and what an upgrade
//! returns.

use serde_json::{Map, Value as Json};

/// Whose schema the stored object was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// This provider's own (today's schema, version 0).
    Ours,
    /// Huawei's Go provider (`huaweicloud/huaweicloud`), moved over with `terraform state replace-provider`.
    GoProvider,
}

/// An object in this provider's schema, and what could not be carried over.
#[derive(Debug, Clone, PartialEq)]
pub struct Upgraded {
    /// Every attribute of the field table (and `id`, `timeouts`), null where unknown.
    pub state: Json,
    /// At most one per object, naming the values it could not convert.
    pub warnings: Vec<String>,
    pub from: Source,
}

/// How a Go value becomes ours.
#[derive(Debug, Clone, Copy)]
pub enum Conv {
    /// The same value, checked against the kind of our attribute; an empty string or collection (how
    /// the Go provider's SDK stores an unset value) is null.
    Same,
    /// `HH:mm` from `HH:mm` or `HH:mm:ss`.
    HourMinute,
    /// A list of strings joined with commas.
    Joined,
    /// A list of availability zone IDs: kept when every entry looks like an ID, else named in the warning
    /// (zone names or codes cannot be turned into IDs offline; a refresh reads the IDs).
    ZoneIds,
    /// `"true"` / `"false"` as a bool.
    BoolText,
    /// Whether a string is set (not null or empty).
    IsSet,
    /// The Go provider's `prePaid` / `postPaid` as the service's code: 0 yearly/monthly, 1 pay-per-use.
    ChargingCode,
    /// A fact the Go provider read from the service that this provider does not keep: dropped silently.
    Drop,
    /// A setting this provider does not have: dropped, and named in the warning (with the reason) when the
    /// predicate says the value is one of the user's own (not what the service reports by itself).
    GoOnly(fn(&Json) -> bool, &'static str),
    /// As `GoOnly`, a secret: named without its value.
    GoOnlySecret,
}

/// Which Go objects a row applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Only {
    Any,
    /// Objects of the current shape (a Kafka instance created with `flavor_id`); elsewhere what the
    /// service reports of every instance, which this provider does not read for that shape: dropped.
    Current,
    /// As `Current`; elsewhere a setting of the user's own that this provider cannot manage there: named
    /// in the warning when set.
    CurrentOrWarn,
    /// Yearly/monthly objects of the current shape (the billing block); a yearly/monthly object of the
    /// other shape is named in the warning; dropped elsewhere (the Go provider's zero values).
    Prepaid,
}

/// One Go attribute.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    pub go: &'static str,
    /// Our attribute: a top-level name or `block.member`; "" for none.
    pub ours: &'static str,
    pub conv: Conv,
    pub only: Only,
}

impl Row {
    /// Into our attribute of the same name.
    pub const fn same(name: &'static str) -> Row {
        Row { go: name, ours: name, conv: Conv::Same, only: Only::Any }
    }
    /// Into our attribute `ours`.
    pub const fn to(go: &'static str, ours: &'static str) -> Row {
        Row { go, ours, conv: Conv::Same, only: Only::Any }
    }
    /// A computed fact of the Go provider that we do not keep.
    pub const fn drop(go: &'static str) -> Row {
        Row { go, ours: "", conv: Conv::Drop, only: Only::Any }
    }
    /// A Go setting we do not have: named in the warning when it has a value.
    pub const fn go_only(go: &'static str) -> Row {
        Row { go, ours: "", conv: Conv::GoOnly(has_value, NO_SUCH_SETTING), only: Only::Any }
    }
    /// The Go provider's per-resource `region`.
    pub const fn region() -> Row {
        Row { go: "region", ours: "", conv: Conv::GoOnly(has_value, REGION), only: Only::Any }
    }
    pub const fn conv(mut self, conv: Conv) -> Row {
        self.conv = conv;
        self
    }
    pub const fn only(mut self, only: Only) -> Row {
        self.only = only;
        self
    }
}

/// Why a Go-only setting is not carried over, unless its row says more.
pub const NO_SUCH_SETTING: &str = "this provider has no such setting";

/// Why the Go provider's `region` is not carried over.
const REGION: &str = "this provider manages the region of its configuration: check that it is this one";

/// What a Go object is, as far as `Only` asks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub current: bool,
    pub prepaid: bool,
}

/// The conversion of one resource type.
pub struct Mapping {
    /// Type name without the provider prefix, as in the registry.
    pub name: &'static str,
    pub rows: &'static [Row],
    /// What kind of Go object this is.
    pub facts: fn(&Map<String, Json>) -> Facts,
    /// The last step, given the Go object and ours (e.g. the id).
    pub finish: fn(&Map<String, Json>, &mut Map<String, Json>),
}

/// Not null, not an empty string or collection, not false or zero: the Go provider's SDK stores an
/// unset value as its type's zero value.
pub fn has_value(v: &Json) -> bool {
    match v {
        Json::Null => false,
        Json::Bool(b) => *b,
        Json::Number(n) => n.as_f64() != Some(0.0),
        Json::String(s) => !s.is_empty(),
        Json::Array(a) => a.iter().any(has_value),
        Json::Object(o) => o.values().any(has_value),
    }
}
