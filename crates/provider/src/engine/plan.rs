//! Planning: what the API decides at creation is unknown, and each argument's change is in place, a
//! replacement, or a value recorded without one.

use tfplugin::framework::TfValue;
use tfplugin::framework::{AttributePath, Diagnostics};

use super::base::Engine;
use super::diag::{diag, path_label, warn};
use super::field::{Field, Kind, Mode, Read, Update};
use super::hooks::Hooks;
use super::private::{imported, unread};
use super::shapes;
use super::tags::{default_problems, merge, tags_all_field, TAGS, TAGS_ALL};
use super::value::{self, get, Obj};

/// What the API decides at creation becomes unknown in the plan: computed attributes, and optional
/// ones left unset, at any depth of nested blocks.
fn mark_unknown(fields: &[Field], obj: &mut Obj) {
    for f in fields {
        let Some(v) = obj.get_mut(f.name) else { continue };
        if f.mode == Mode::Computed || (f.mode == Mode::OptionalComputed && matches!(v, TfValue::Null)) {
            *v = TfValue::Unknown;
        } else if let (Kind::Block { fields: nested, .. }, _) = (f.kind, &v) {
            match v {
                TfValue::List(items) => items.iter_mut().for_each(|i| {
                    if let TfValue::Map(m) = i {
                        mark_unknown(nested, m)
                    }
                }),
                TfValue::Map(m) => mark_unknown(nested, m),
                _ => {}
            }
        }
    }
}

/// How an argument changes between prior and proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    None,
    InPlace,
    Replace,
}

/// What a plan knows beyond the two values it compares.
struct ChangeCx<'a> {
    /// Just imported: a write-only value never known (null, or no blocks) is taken over from the
    /// configuration without counting as a change.
    imported: bool,
    /// Attribute paths the API did not return and the state had no value for.
    unread: &'a [String],
    /// The paths whose configured value is recorded instead of replacing the instance.
    adopted: Vec<String>,
}

/// Inside a block, each nested field's own update mode decides; a block that may not be updated in
/// place is replaced when elements are added or removed. A create-only value the state never had
/// (a required one, or one the API did not return) is recorded from the configuration instead of
/// replacing the instance: a replacement is never planned from a value the API did not give.
fn change(f: &Field, prior: &TfValue, proposed: &TfValue, path: &str, cx: &mut ChangeCx) -> Change {
    if cx.imported && f.read == Read::Keep && !value::is_set(prior) {
        return Change::None;
    }
    let own = if f.update == Update::InPlace { Change::InPlace } else { Change::Replace };
    let never_known = !value::is_set(prior) && (f.mode == Mode::Required || cx.unread.iter().any(|u| u == path));
    let adopt_or = |c: Change, cx: &mut ChangeCx| {
        if c == Change::Replace && never_known {
            cx.adopted.push(path.to_string());
            Change::InPlace
        } else {
            c
        }
    };
    let Kind::Block { fields, .. } = f.kind else {
        return if prior == proposed { Change::None } else { adopt_or(own, cx) };
    };
    let items = |v: &TfValue| -> Vec<TfValue> {
        match v {
            TfValue::List(l) => l.clone(),
            m @ TfValue::Map(_) => vec![m.clone()],
            _ => vec![],
        }
    };
    let (a, b) = (items(prior), items(proposed));
    if a.len() != b.len() {
        return adopt_or(own, cx);
    }
    let mut nested = Change::None;
    for (x, y) in a.iter().zip(&b) {
        for n in fields.iter().filter(|n| n.is_argument()) {
            let c = change(n, get(x, n.name), get(y, n.name), &format!("{path}.{}", n.name), cx);
            nested = nested.max(c);
        }
    }
    // A block updated in place never forces replacement, whatever its fields say.
    if f.update == Update::InPlace {
        nested.min(Change::InPlace)
    } else {
        nested
    }
}

impl<H: Hooks> Engine<H> {
    pub(crate) async fn do_plan_create(
        &self,
        diags: &mut Diagnostics,
        proposed: TfValue,
        config: TfValue,
    ) -> Option<(TfValue, TfValue)> {
        if self.reported_refused(diags, &config, None) {
            return None;
        }
        let mut planned = match proposed {
            TfValue::Map(m) => m,
            _ => Obj::new(),
        };
        mark_unknown(self.def().fields, &mut planned);
        // The provider's default enterprise project for an instance whose configuration sets none.
        let eps = "enterprise_project_id";
        if self.def().fields.iter().any(|f| f.name == eps && f.is_argument()) && get(&config, eps) == &TfValue::Null {
            if let Some(default) = self.provider.default_enterprise_project() {
                planned.insert(eps.into(), TfValue::String(default));
            }
        }
        if let Some(all) = self.planned_tags_all(diags, &config).ok()? {
            planned.insert(TAGS_ALL.into(), all);
        }
        planned.insert("id".into(), TfValue::Unknown);
        Some((TfValue::Map(planned), TfValue::Null))
    }

    pub(crate) async fn do_plan_update(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        proposed: TfValue,
        config: TfValue,
        prior_private: TfValue,
    ) -> Option<(TfValue, TfValue, Vec<AttributePath>)> {
        if self.reported_refused(diags, &config, Some(&prior)) {
            return None;
        }
        let unread = unread(&prior_private);
        let mut cx = ChangeCx { imported: imported(&prior_private), unread: &unread, adopted: vec![] };
        let mut changes: Vec<(&Field, Change)> = Vec::new();
        for f in self.def().fields.iter().filter(|f| f.is_argument()) {
            let mut c = change(f, get(&prior, f.name), get(&proposed, f.name), f.name, &mut cx);
            // A create-only change that only records what already is (the resource's judgement).
            if c == Change::Replace
                && f.update == Update::Judged
                && self.hooks.recorded_change(f.name, &prior, &proposed)
            {
                c = Change::InPlace;
            }
            if c != Change::None {
                changes.push((f, c));
            }
        }
        // The tags the instance is to have (the provider's defaults with its own) changed, or drifted.
        let tags_all = self.planned_tags_all(diags, &config).ok()?;
        if let (Some(all), Some(f)) = (&tags_all, tags_all_field(self.def().fields)) {
            if all != get(&prior, TAGS_ALL) {
                changes.push((f, Change::InPlace));
            }
        }
        if !cx.adopted.is_empty() {
            warn(
                diags,
                format!("{}: values the API did not return", self.type_name()),
                format!(
                    "The service's answer did not include {}. The configured values are recorded in the state \
without replacing the instance (a replacement is never planned from a value the API did not give).",
                    cx.adopted.join(", ")
                ),
                AttributePath::new(cx.adopted[0].split('.').next().unwrap_or_default().to_string()),
            );
        }
        let mut replace: Vec<AttributePath> =
            changes.iter().filter(|(_, c)| *c == Change::Replace).map(|(f, _)| AttributePath::new(f.name)).collect();
        let mut reasons: Vec<String> = changes
            .iter()
            .filter(|(_, c)| *c == Change::Replace)
            .map(|(f, _)| format!("changing {}", f.name))
            .collect();
        // An instance whose creation failed never works, and one being deleted is going away: either is
        // replaced, shown on its status (unless Terraform cannot delete it, e.g. a yearly/monthly one:
        // then the refresh's warning stands alone).
        let deletable = self.hooks.destroy_blocker(&prior).is_none();
        let never_came_up = self.hooks.creation_failed(&prior) && deletable;
        let going = self.going_away(&prior) && deletable;
        if never_came_up || going {
            replace.push(AttributePath::new("status"));
            reasons.push(if going { "its deletion, under way," } else { "its creation failed, so it" }.into());
        }
        // What cannot change in place fails at plan, unless the instance is replaced anyway.
        if replace.is_empty() && self.refuse_changes(diags, &prior, &proposed, &config) {
            return None;
        }
        if !replace.is_empty() {
            if let Some(why) = self.hooks.destroy_blocker(&prior) {
                diag(
                    diags,
                    format!("{} cannot be replaced", self.type_name()),
                    format!("{} requires replacing the instance, but {why}", reasons.join(" and ")),
                    replace[0].clone(),
                );
                return None;
            }
        }
        let mut planned = match proposed {
            TfValue::Map(m) => m,
            _ => Obj::new(),
        };
        if never_came_up || going {
            planned.insert("status".into(), TfValue::Unknown);
        }
        if let Some(all) = tags_all {
            planned.insert(TAGS_ALL.into(), all);
        }
        if !changes.is_empty() && replace.is_empty() {
            for f in self.def().fields.iter().filter(|f| f.volatile) {
                planned.insert(f.name.to_string(), TfValue::Unknown);
            }
            // What the service derives from a changed argument is known after the change, unless written.
            let changed = |name: &str| changes.iter().any(|(c, _)| c.name == name);
            for f in self.def().fields.iter().filter(|f| f.follows.iter().any(|n| changed(n))) {
                if f.mode == Mode::Computed || get(&config, f.name) == &TfValue::Null {
                    planned.insert(f.name.to_string(), TfValue::Unknown);
                }
            }
        }
        Some((TfValue::Map(planned), prior_private, replace))
    }

    /// The planned `tags_all` of a resource that takes default tags (None for one that does not): the
    /// provider's defaults merged with the configured tags. `Err` when a default does not suit the
    /// resource's tag rules (the error, naming `default_tags`, is added).
    fn planned_tags_all(&self, diags: &mut Diagnostics, config: &TfValue) -> Result<Option<TfValue>, ()> {
        let def = self.def();
        if tags_all_field(def.fields).is_none() {
            return Ok(None);
        }
        let defaults = self.provider.default_tags();
        let problems = default_problems(def.fields, def.create_for(config).object_table(), config, &defaults);
        for p in &problems {
            let detail =
                format!("default_tags (the provider's, merged into the tags of this {}): {p}", self.type_name());
            diag(diags, "Invalid default_tags", detail, AttributePath::root());
        }
        match problems.is_empty() {
            true => Ok(Some(merge(&defaults, get(config, TAGS)))),
            false => Err(()),
        }
    }

    /// Arguments of the other shape an instance reports, set otherwise than it has them ([`shapes`]).
    fn reported_refused(&self, diags: &mut Diagnostics, config: &TfValue, prior: Option<&TfValue>) -> bool {
        let problems = shapes::reported_problems(self.def(), config, prior);
        for (name, message) in &problems {
            let path = AttributePath::new(*name);
            diag(diags, "Invalid argument", format!("{} {message}", path_label(&path)), path);
        }
        !problems.is_empty()
    }

    pub(crate) async fn do_plan_destroy(
        &self,
        diags: &mut Diagnostics,
        prior: TfValue,
        prior_private: TfValue,
    ) -> Option<TfValue> {
        if let Some(why) = self.hooks.destroy_blocker(&prior) {
            diag(diags, format!("{} cannot be destroyed by Terraform", self.type_name()), why, AttributePath::root());
            return None;
        }
        Some(prior_private)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static INNER: [Field; 2] = [Field::string("subnet_id", "s").required(), Field::string("note", "n")];
    static FIELDS: [Field; 3] = [
        Field::string("vpc_id", "v").required(),
        Field::string("zone", "z"),
        Field::blocks("nics", &INNER, 2, "n").required(),
    ];

    fn s(v: &str) -> TfValue {
        TfValue::String(v.into())
    }

    #[test]
    fn a_create_only_value_never_known_is_recorded_not_replaced() {
        let unread = vec!["zone".to_string()];
        let mut cx = ChangeCx { imported: false, unread: &unread, adopted: vec![] };
        // Required, null in the state (the API did not say): recorded.
        assert_eq!(change(&FIELDS[0], &TfValue::Null, &s("vpc-1"), "vpc_id", &mut cx), Change::InPlace);
        // Optional and unread: recorded; optional and known to be unset: replaced.
        assert_eq!(change(&FIELDS[1], &TfValue::Null, &s("az1"), "zone", &mut cx), Change::InPlace);
        let mut plain = ChangeCx { imported: false, unread: &[], adopted: vec![] };
        assert_eq!(change(&FIELDS[1], &TfValue::Null, &s("az1"), "zone", &mut plain), Change::Replace);
        // A value the API gave, changed: replaced.
        assert_eq!(change(&FIELDS[0], &s("vpc-0"), &s("vpc-1"), "vpc_id", &mut cx), Change::Replace);
        // Inside a block: the nested required member never known is recorded.
        let nic = |subnet: TfValue| TfValue::List(vec![TfValue::Map([("subnet_id".to_string(), subnet)].into())]);
        assert_eq!(change(&FIELDS[2], &nic(TfValue::Null), &nic(s("sn")), "nics", &mut cx), Change::InPlace);
        assert_eq!(cx.adopted, ["vpc_id", "zone", "nics.subnet_id"]);
        assert_eq!(change(&FIELDS[2], &nic(s("a")), &nic(s("b")), "nics", &mut cx), Change::Replace);
    }
}
