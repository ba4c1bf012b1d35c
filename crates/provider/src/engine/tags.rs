//! Provider-level default tags: the provider block's `default_tags` merged into the tags of every
//! resource that has tags, with the computed `tags_all` holding the merge.
//!
//! One object has two views. In the state, `tags` is what the configuration says and `tags_all` every
//! tag the instance has. On the wire (what the create call and the tag calls see), `tags` is `tags_all`:
//! a create sends the merge, and an in-place change goes from the prior `tags_all` to the planned one
//! through the resource's usual tag calls. A read puts the API's tags into `tags_all` and keeps `tags`
//! as the state has it; on import, `tags` is what the instance has without the defaults it carries.

use tfplugin::framework::{AttributePath, Diagnostics, TfValue};

use super::diag::diag;
use super::field::{Codec, Field};
use super::validate::value_problems;
use super::value::{get, has_unknown, Obj, NULL};
use hwapi::contract::Param;

/// A resource's own tags.
pub const TAGS: &str = "tags";
/// Every tag an instance has.
pub const TAGS_ALL: &str = "tags_all";

/// The provider block's `default_tags`.
pub const DEFAULT_TAGS_DESCRIPTION: &str = "Tags every resource with `tags` gets besides its own; an entry of \
the resource's `tags` wins over a default with the same key. The merge is the resource's `tags_all`, which the \
create call sends: a change of `default_tags` (removing them included) is applied to each instance in place through \
its tag calls, never by replacing it. Each default is checked at plan against the tag rules of the resource it \
reaches (the error names `default_tags`). Data sources show the tags the API reports, whatever the defaults.";

const TAGS_ALL_DESCRIPTION: &str = "Every tag of the instance: the provider's `default_tags` merged with `tags` \
(an entry of `tags` wins over a default with the same key), known at plan when both are. It is what the create call \
sends and what a refresh reads from the API: a tag added, changed or removed elsewhere shows as a change of \
`tags_all`, set back in place through the tag calls, as is a change of `default_tags`. `tags` keeps what the \
configuration says; an import reads it as the instance's tags without the defaults it carries with the same value.";

/// The computed `tags_all` of a resource with tags: every tag the API reports (its `tags`).
pub const fn tags_all() -> Field {
    Field::map(TAGS_ALL, TAGS_ALL_DESCRIPTION).api(TAGS).codec(Codec::TagList).computed()
}

/// The `tags_all` field of a resource that takes default tags.
pub fn tags_all_field(fields: &'static [Field]) -> Option<&'static Field> {
    fields.iter().find(|f| f.name == TAGS_ALL)
}

/// `defaults` with `own` over them (an entry of `own` wins over a default with the same key); unknown
/// while either is not known.
pub fn merge(defaults: &TfValue, own: &TfValue) -> TfValue {
    if has_unknown(defaults) || has_unknown(own) {
        return TfValue::Unknown;
    }
    let mut all = Obj::new();
    for m in [defaults, own] {
        if let TfValue::Map(m) = m {
            all.extend(m.iter().filter(|(_, v)| **v != TfValue::Null).map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    TfValue::Map(all)
}

/// The tags an imported instance's configuration sets: `all` without the defaults it carries with the same
/// value (null when none is left, as a configuration without `tags` has it).
pub fn strip(all: &TfValue, defaults: &TfValue) -> TfValue {
    let TfValue::Map(all) = all else { return all.clone() };
    let own: Obj = all.iter().filter(|(k, v)| get(defaults, k) != *v).map(|(k, v)| (k.clone(), v.clone())).collect();
    if own.is_empty() {
        TfValue::Null
    } else {
        TfValue::Map(own)
    }
}

/// A read's `tags` (the API's tags are in `tags_all`): on import, the tags without the defaults;
/// otherwise the state's (`prior`), what the configuration says.
pub fn read(fields: &'static [Field], obj: &mut Obj, prior: &TfValue, imported: bool, defaults: &TfValue) {
    if tags_all_field(fields).is_none() {
        return;
    }
    let tags = match imported {
        true => strip(obj.get(TAGS_ALL).unwrap_or(&NULL), defaults),
        false => get(prior, TAGS).clone(),
    };
    obj.insert(TAGS.into(), tags);
}

/// The wire view of a state or plan: `tags` as the API has them, i.e. `tags_all` (the merge, when the
/// plan could not know it).
pub fn wire(fields: &'static [Field], v: &TfValue, defaults: &TfValue) -> TfValue {
    let (Some(_), TfValue::Map(m)) = (tags_all_field(fields), v) else { return v.clone() };
    let own = get(v, TAGS);
    let all = match get(v, TAGS_ALL) {
        TfValue::Unknown => merge(defaults, own),
        // A state written before `tags_all` existed.
        TfValue::Null => own.clone(),
        all => all.clone(),
    };
    // No tag at all: null when the configuration sets none (a create sends no empty list), else empty.
    // Never `own` in its place: an instance whose tags were all removed elsewhere has none to unbind,
    // and the update to the planned tags must bind them again.
    let all = match (all, own) {
        (TfValue::Map(a), _) if !a.is_empty() => TfValue::Map(a),
        (TfValue::Map(_), TfValue::Null) => TfValue::Null,
        (TfValue::Map(a), _) => TfValue::Map(a),
        (other, _) => other,
    };
    let mut m = m.clone();
    m.insert(TAGS.into(), all);
    TfValue::Map(m)
}

/// What the defaults bring to a resource's tags that its own tags do not have: the problems the tag
/// rules of the resource (the contract's, as for `tags`, with `table` the create body's) find in the
/// merge and not in `tags` alone. Nothing is judged while either is unknown.
pub fn default_problems(
    fields: &[Field],
    table: &'static [Param],
    config: &TfValue,
    defaults: &TfValue,
) -> Vec<String> {
    let Some(f) = fields.iter().find(|f| f.name == TAGS) else { return vec![] };
    let own = get(config, TAGS);
    let merged = merge(defaults, own);
    if merged == TfValue::Unknown {
        return vec![];
    }
    let tables = [table];
    let known = value_problems(f, &tables, own);
    value_problems(f, &tables, &merged).into_iter().filter(|p| !known.contains(p)).collect()
}

/// Errors for `default_tags` values no tag can have, whatever resource it reaches (the rules of each
/// resource are applied at its plan).
pub fn check_config(diags: &mut Diagnostics, defaults: &TfValue) {
    if let TfValue::Map(m) = defaults {
        for (k, _) in m.iter().filter(|(_, v)| **v == TfValue::Null) {
            let path = AttributePath::new("default_tags").key(k.clone());
            diag(diags, "Invalid default_tags", format!("default_tags: value of {k:?} must not be null"), path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> TfValue {
        TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), TfValue::String(v.to_string()))).collect())
    }

    fn obj(pairs: &[(&str, TfValue)]) -> TfValue {
        TfValue::Map(pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
    }

    static FIELDS: [Field; 2] = [Field::map(TAGS, "t").codec(Codec::TagList), tags_all()];

    #[test]
    fn a_resource_tag_wins_over_a_default_and_unknown_stays_unknown() {
        let defaults = map(&[("env", "dev"), ("team", "core")]);
        assert_eq!(merge(&defaults, &map(&[("team", "iot")])), map(&[("env", "dev"), ("team", "iot")]));
        assert_eq!(merge(&defaults, &TfValue::Null), defaults);
        assert_eq!(merge(&TfValue::Null, &TfValue::Null), map(&[]));
        assert_eq!(merge(&TfValue::Unknown, &map(&[("a", "1")])), TfValue::Unknown);
        assert_eq!(merge(&defaults, &obj(&[("a", TfValue::Unknown)])), TfValue::Unknown);
    }

    #[test]
    fn an_import_keeps_what_differs_from_the_defaults() {
        let defaults = map(&[("env", "dev"), ("team", "core")]);
        // `team` overridden by the resource; `env` from the defaults; `own` only the resource's.
        let all = map(&[("env", "dev"), ("team", "iot"), ("own", "x")]);
        assert_eq!(strip(&all, &defaults), map(&[("team", "iot"), ("own", "x")]));
        assert_eq!(strip(&map(&[("env", "dev")]), &defaults), TfValue::Null);
        assert_eq!(strip(&all, &TfValue::Null), all);
        assert_eq!(strip(&all, &TfValue::Unknown), all);
    }

    #[test]
    fn the_wire_carries_tags_all_and_never_an_empty_list() {
        let defaults = map(&[("env", "dev")]);
        let state = obj(&[(TAGS, map(&[("a", "1")])), (TAGS_ALL, map(&[("a", "1"), ("env", "dev")]))]);
        assert_eq!(get(&wire(&FIELDS, &state, &defaults), TAGS), &map(&[("a", "1"), ("env", "dev")]));
        let planned = obj(&[(TAGS, map(&[("a", "2")])), (TAGS_ALL, TfValue::Unknown)]);
        assert_eq!(get(&wire(&FIELDS, &planned, &defaults), TAGS), &map(&[("a", "2"), ("env", "dev")]));
        let bare = obj(&[(TAGS, TfValue::Null), (TAGS_ALL, map(&[]))]);
        assert_eq!(get(&wire(&FIELDS, &bare, &defaults), TAGS), &TfValue::Null);
        // Every tag removed elsewhere: the instance has none, whatever the configuration says.
        let cleared = obj(&[(TAGS, map(&[("a", "1")])), (TAGS_ALL, map(&[]))]);
        assert_eq!(get(&wire(&FIELDS, &cleared, &defaults), TAGS), &map(&[]));
        let before = obj(&[(TAGS, map(&[("a", "1")])), (TAGS_ALL, TfValue::Null)]);
        assert_eq!(get(&wire(&FIELDS, &before, &defaults), TAGS), &map(&[("a", "1")]));
        // A resource without tags_all is sent as it is.
        assert_eq!(wire(&FIELDS[..1], &planned, &defaults), planned);
    }

    #[test]
    fn a_read_keeps_the_configured_tags_and_an_import_strips_the_defaults() {
        let defaults = map(&[("env", "dev")]);
        let api = map(&[("env", "dev"), ("a", "9")]);
        let read_from = || -> Obj { [(TAGS.to_string(), api.clone()), (TAGS_ALL.to_string(), api.clone())].into() };
        let mut refreshed = read_from();
        read(&FIELDS, &mut refreshed, &obj(&[(TAGS, map(&[("a", "1")]))]), false, &defaults);
        assert_eq!(refreshed[TAGS], map(&[("a", "1")]), "drift shows on tags_all only");
        assert_eq!(refreshed[TAGS_ALL], api);
        let mut imported = read_from();
        read(&FIELDS, &mut imported, &TfValue::Null, true, &defaults);
        assert_eq!(imported[TAGS], map(&[("a", "9")]));
    }

    #[test]
    fn defaults_are_held_to_the_resources_tag_rules() {
        let table = hwapi::contract::iotda::CREATE.object_table();
        let config = obj(&[(TAGS, map(&[("team", "bad/own")]))]);
        // The resource's own bad value is the resource's problem; a default's is the defaults'.
        let p = default_problems(&FIELDS, table, &config, &map(&[("env", "a/b"), ("team", "x")]));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("value of \"env\"") && p[0].contains("'/'"), "{p:?}");
        // A default the resource overrides is not sent, so not judged.
        assert!(default_problems(&FIELDS, table, &config, &map(&[("team", "a/b")])).is_empty());
        // Too many together.
        let many = TfValue::Map((0..20).map(|i| (format!("k{i}"), TfValue::String("v".into()))).collect());
        let p = default_problems(&FIELDS, table, &config, &many);
        assert!(p.iter().any(|m| m.contains("got 21")), "{p:?}");
        assert!(default_problems(&FIELDS, table, &config, &TfValue::Unknown).is_empty());
    }

    #[test]
    fn a_null_default_is_refused_with_its_key() {
        let mut diags = Diagnostics::default();
        check_config(&mut diags, &obj(&[("env", TfValue::Null), ("ok", TfValue::String("v".into()))]));
        assert_eq!(diags.errors.len(), 1);
        assert!(diags.errors[0].detail.contains("default_tags: value of \"env\""), "{}", diags.errors[0].detail);
    }
}
