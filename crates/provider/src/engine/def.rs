//! What a resource is, as data: its definition (fields, rules, calls, timeouts) and what its statuses mean.

use super::change::Change;
use super::data::Listing;
use super::field::{Check, Field, Rule};
use super::timeouts::Timeouts;
use hwapi::contract::{Code, Op, Param, Statuses};
use tfplugin::framework::TfValue;

use super::value::{get, is_set};

/// Everything about a resource that is data.
pub struct ResourceDef {
    /// Type name without the provider prefix, e.g. `iotda_instance`.
    pub name: &'static str,
    /// Markdown description (the first paragraph of its doc page).
    pub description: &'static str,
    pub fields: &'static [Field],
    pub rules: &'static [Rule],
    pub timeouts: Timeouts,
    /// The create operation: its body table is the contract of the arguments sent in it.
    pub create: &'static Op,
    /// Other create operations, each used when its argument is set (a second shape of the resource).
    pub shapes: &'static [Shape],
    /// The call whose answer a read maps onto the attributes (named when an answer does not fit).
    pub read_by: &'static Op,
    /// Every operation the resource sends (the API inventory in the docs; the consistency test holds
    /// every `via` of a field to it).
    pub ops: &'static [&'static Op],
    /// How each operation that changes arguments in place is called, in the order of the calls.
    pub changes: &'static [Change],
    /// What one object is called in messages and docs, e.g. "IoTDA instance".
    pub noun: &'static str,
    /// Arguments that say where an object is, besides its name, for a lookup by name (a topic's
    /// `instance_id`); empty for top-level objects.
    pub scope: &'static [&'static str],
    /// The list data source's attribute and filters.
    pub listing: Listing,
    /// Markdown notes for the import section of the docs.
    pub import_note: &'static str,
    /// What a valid instance id looks like: checked on every id from import, the state or an API
    /// answer before it goes into a URL.
    pub id_check: Check,
    /// The argument that identifies an instance (its name): no instance is created while a live one
    /// with the same value exists.
    pub identity: &'static str,
    /// Which values of the `status` attribute mean the instance is broken.
    pub health: Health,
    /// Answers that mean "busy with another operation" (the contract's error table). A call that
    /// gets one waits for the instance to settle and is sent again.
    pub busy: &'static [Code],
}

/// A second create operation of one resource, used when the configuration sets `selected_by`
/// (Kafka's current API, sized by `broker_num`): an argument only one create table has belongs to
/// that table's shape, and the arguments a table requires are required in its shape.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub create: &'static Op,
    pub selected_by: &'static str,
    /// Arguments of this shape that no create body carries (set by a call after the create).
    pub also: &'static [&'static str],
    /// Arguments of the other tables that an instance of this shape reports (so that a configuration
    /// Terraform generates from one has them): accepted with the value the state has, never sent.
    pub reported: &'static [&'static str],
    /// Arguments of this shape's table that an instance of the base shape (`create`) reports, likewise.
    pub base_reported: &'static [&'static str],
}

/// What the statuses (of the `status` attribute) mean.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    /// The instance can take a change (a change found it elsewhere waits for one of these first).
    pub ready: &'static [&'static str],
    /// The instance is being deleted: a refresh warns and the plan creates it again once it is gone.
    pub going: &'static [&'static str],
    /// The instance exists but is in a failure state: refresh warns.
    pub failed: &'static [&'static str],
    /// The instance never came up (its creation failed): it is planned for replacement.
    pub create_failed: &'static [&'static str],
    /// Markdown for the docs where `Hooks::creation_failed` decides more than `create_failed` says.
    pub note: &'static str,
}

impl Health {
    /// An object without statuses (it exists once created).
    pub const NONE: Health = Health { ready: &[], going: &[], failed: &[], create_failed: &[], note: "" };

    /// What the contract's status table says.
    pub const fn of(s: &'static Statuses) -> Health {
        Health { ready: s.ready, going: s.going, failed: s.failed, create_failed: s.create_failed, note: "" }
    }

    pub const fn note(mut self, note: &'static str) -> Health {
        self.note = note;
        self
    }
}

impl ResourceDef {
    /// One object in messages and log lines, e.g. `Kafka instance 1a2b…`.
    pub fn label(&self, id: &str) -> String {
        format!("{} {id}", self.noun)
    }

    /// The create operation a configuration (or plan) selects: the shape whose argument it sets (an
    /// unknown value is set), else `create`.
    pub fn create_for(&self, config: &TfValue) -> &'static Op {
        self.shape_for(config).map_or(self.create, |s| s.create)
    }

    /// The shape a configuration selects, if any.
    pub fn shape_for(&self, config: &TfValue) -> Option<&'static Shape> {
        self.shapes.iter().find(|s| is_set(get(config, s.selected_by)))
    }

    /// The create operation a plan at apply selects (a value the API decides is unknown there, not set).
    pub fn create_for_plan(&self, plan: &TfValue) -> &'static Op {
        let set = |s: &&Shape| !matches!(get(plan, s.selected_by), TfValue::Null | TfValue::Unknown);
        self.shapes.iter().find(set).map_or(self.create, |s| s.create)
    }

    /// The arguments of other tables that instances of the shape `config` selects report.
    pub fn reported_for(&self, config: &TfValue) -> Vec<&'static str> {
        match self.shape_for(config) {
            Some(s) => s.reported.to_vec(),
            None => self.shapes.iter().flat_map(|s| s.base_reported.iter().copied()).collect(),
        }
    }

    /// Every create operation: `create`, then the shapes'.
    pub fn creates(&self) -> Vec<&'static Op> {
        std::iter::once(self.create).chain(self.shapes.iter().map(|s| s.create)).collect()
    }

    /// The body tables of every create operation.
    pub fn create_tables(&self) -> Vec<&'static [Param]> {
        self.creates().into_iter().map(Op::object_table).collect()
    }

    /// What the id of one object is, in words (`instance id`, or the id format a check describes).
    pub fn id_noun(&self) -> String {
        match self.id_check {
            Check::Pattern(what, _) if what.starts_with('`') => format!("id, {what}"),
            _ => "instance id".to_string(),
        }
    }
}
