//! The parts of a resource page that differ for a resource with shapes (`ResourceDef::shapes`): which
//! create API each shape uses, its example, and which arguments belong to which shape. Membership comes
//! from the create tables and `Shape::also`, as the plan-time shape check reads them, never from a list
//! of names kept here.

use std::fmt::Write as _;

use hwapi::contract::Op;

use crate::engine::field::Field;
use crate::engine::ResourceDef;

/// One shape of a resource, for its page.
pub struct ShapeDoc {
    /// How a configuration selects it, e.g. "without `broker_num`".
    pub how: String,
    pub create: &'static Op,
    /// Its example, a file in the resource's examples directory.
    pub example: String,
}

/// The shapes of `def`: its own create first (the configurations that set no selecting argument),
/// then one per `ResourceDef::shapes`. Empty for a resource without shapes.
pub fn shapes(def: &ResourceDef) -> Vec<ShapeDoc> {
    if def.shapes.is_empty() {
        return vec![];
    }
    let selectors: Vec<String> = def.shapes.iter().map(|s| format!("`{}`", s.selected_by)).collect();
    let seed = ShapeDoc {
        how: format!("without {}", selectors.join(" or ")),
        create: def.create,
        example: "resource.tf".into(),
    };
    let others = def.shapes.iter().map(|s| ShapeDoc {
        how: format!("with `{}`", s.selected_by),
        create: s.create,
        example: format!("with_{}.tf", s.selected_by),
    });
    std::iter::once(seed).chain(others).collect()
}

/// The shapes (indices into `shapes(def)`) an argument belongs to: those whose create table carries it,
/// and those whose `also` names it. An argument no create carries belongs to every shape.
fn owners(def: &ResourceDef, shapes: &[ShapeDoc], f: &Field) -> Vec<usize> {
    let carried = |op: &Op| f.in_body && op.object_table().iter().any(|p| p.name == f.api_name());
    let also = |i: usize| i > 0 && def.shapes[i - 1].also.contains(&f.name);
    let own: Vec<usize> = (0..shapes.len()).filter(|&i| carried(shapes[i].create) || also(i)).collect();
    if own.is_empty() {
        (0..shapes.len()).collect()
    } else {
        own
    }
}

/// The shapes whose create table requires the argument (as the shape check at plan does).
fn requiring(shapes: &[ShapeDoc], f: &Field) -> Vec<usize> {
    let requires = |op: &Op| {
        let fixed = op.fixed.iter().any(|(n, _)| *n == f.api_name());
        f.in_body && !fixed && op.object_table().iter().any(|p| p.name == f.api_name() && p.required)
    };
    (0..shapes.len()).filter(|&i| requires(shapes[i].create)).collect()
}

/// One group of the argument reference: its heading and its arguments, each with the mode its line
/// shows when the shape, not the schema, makes it required (`Required`, `Required without ...`).
pub struct Group {
    pub heading: String,
    pub fields: Vec<(&'static Field, Option<String>)>,
}

/// The top-level arguments of `def` grouped by the shapes they belong to: those of every shape first,
/// then those of one shape (or some), in the order of `shapes(def)`.
pub fn groups(def: &ResourceDef) -> Vec<Group> {
    let shapes = shapes(def);
    if shapes.is_empty() {
        return vec![];
    }
    let mut keyed: Vec<(Vec<usize>, Group)> = Vec::new();
    for f in def.fields.iter().filter(|f| f.is_argument()) {
        let own = owners(def, &shapes, f);
        let required = requiring(&shapes, f);
        let mode = match () {
            _ if f.mode == crate::engine::field::Mode::Required || required.is_empty() => None,
            _ if own.iter().all(|i| required.contains(i)) => Some("Required".to_string()),
            _ => Some(format!("Required {}", hows(&shapes, &required))),
        };
        match keyed.iter_mut().find(|(k, _)| *k == own) {
            Some((_, g)) => g.fields.push((f, mode)),
            None => {
                let heading = if own.len() == shapes.len() {
                    every(shapes.len()).to_string()
                } else {
                    format!("{} only", capital(&hows(&shapes, &own)))
                };
                keyed.push((own, Group { heading, fields: vec![(f, mode)] }));
            }
        }
    }
    keyed.sort_by_key(|(k, _)| (k.len() != shapes.len(), k.clone()));
    keyed.into_iter().map(|(_, g)| g).collect()
}

/// The heading of what every shape has.
fn every(shapes: usize) -> &'static str {
    if shapes == 2 {
        "Both shapes"
    } else {
        "Every shape"
    }
}

/// `text` starting with a capital letter.
fn capital(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The selections of some shapes in words: "without `broker_num`", "with `a` or with `b`".
fn hows(shapes: &[ShapeDoc], which: &[usize]) -> String {
    which.iter().map(|&i| shapes[i].how.as_str()).collect::<Vec<_>>().join(" or ")
}

/// The section after the description: which API each shape creates through, and what the plan checks.
pub fn section(def: &ResourceDef) -> String {
    let shapes = shapes(def);
    let mut s = format!(
        "\n\n## Shapes\n\nA configuration creates the {} through one of {} APIs, chosen by the arguments it sets:\n\n",
        def.noun,
        match shapes.len() {
            2 => "two".to_string(),
            3 => "three".to_string(),
            n => n.to_string(),
        }
    );
    for sh in &shapes {
        let _ = writeln!(s, "- {}: `{}` ({})", sh.how, sh.create.label(), sh.create.name);
    }
    s.push_str(
        "\nThe [argument reference](#argument-reference) says which arguments every shape takes and which one \
shape only (from the create tables of the APIs). A configuration that sets an argument of another shape, or \
leaves out one that its own API requires, fails at plan with the argument named and how to choose the other shape.",
    );
    s
}

/// Each shape's example under its own heading, read by `example` (a file name -> its text).
pub fn examples(def: &ResourceDef, example: &dyn Fn(&str) -> std::io::Result<String>) -> std::io::Result<String> {
    let mut s = String::new();
    for sh in shapes(def) {
        let how = capital(&sh.how);
        let _ = write!(
            s,
            "\n### {how}: `{}`\n\n```terraform\n{}\n```\n",
            sh.create.label(),
            example(&sh.example)?.trim_end()
        );
    }
    Ok(s)
}

/// The rules between arguments of every create API: those all of them state once, then each shape's own.
/// `line` turns a rule into its list line (None for a rule about no argument).
pub fn rules(def: &ResourceDef, line: &dyn Fn(&hwapi::contract::BodyRule) -> Option<String>) -> String {
    let shapes = shapes(def);
    let of = |op: &Op| op.rules.iter().filter_map(line).collect::<Vec<_>>();
    let all: Vec<Vec<String>> = shapes.iter().map(|sh| of(sh.create)).collect();
    let shared: Vec<String> = all[0].iter().filter(|r| all.iter().all(|l| l.contains(r))).cloned().collect();
    let mut s = String::new();
    if !shared.is_empty() {
        let _ = write!(s, "\n{}:\n\n{}\n", every(shapes.len()), shared.join("\n"));
    }
    for (sh, lines) in shapes.iter().zip(&all) {
        let own: Vec<&String> = lines.iter().filter(|r| !shared.contains(r)).collect();
        if !own.is_empty() {
            let list = own.iter().map(|r| r.as_str()).collect::<Vec<_>>().join("\n");
            let _ = write!(s, "\n{} only (`{}`):\n\n{list}\n", capital(&sh.how), sh.create.label());
        }
    }
    if s.is_empty() {
        return s;
    }
    format!("\n## Rules between arguments\n\nThe APIs' rules, checked at plan (and by the simulator on every request).\n{s}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group_of<'a>(groups: &'a [Group], name: &str) -> (&'a str, Option<&'a str>) {
        let found = groups.iter().find_map(|g| {
            g.fields.iter().find(|(f, _)| f.name == name).map(|(_, m)| (g.heading.as_str(), m.as_deref()))
        });
        found.unwrap_or_else(|| panic!("{name} is in no group"))
    }

    #[test]
    fn kafka_arguments_are_grouped_by_the_create_tables_that_carry_them() {
        let def = &crate::resources::dms_kafka_instance::DEF;
        let groups = groups(def);
        let headings: Vec<&str> = groups.iter().map(|g| g.heading.as_str()).collect();
        assert_eq!(headings, ["Both shapes", "Without `broker_num` only", "With `broker_num` only"]);
        // In both tables.
        assert_eq!(group_of(&groups, "name"), ("Both shapes", None));
        assert_eq!(group_of(&groups, "available_zones"), ("Both shapes", None));
        // Only the seed table; it requires both, though the schema cannot.
        assert_eq!(group_of(&groups, "kafka_manager_user"), ("Without `broker_num` only", Some("Required")));
        assert_eq!(group_of(&groups, "specification"), ("Without `broker_num` only", Some("Required")));
        // Only the current table, and `parameters`, which no body carries, through `Shape::also`.
        assert_eq!(group_of(&groups, "broker_num"), ("With `broker_num` only", Some("Required")));
        assert_eq!(group_of(&groups, "port_protocol"), ("With `broker_num` only", None));
        assert_eq!(group_of(&groups, "parameters"), ("With `broker_num` only", None));
    }

    #[test]
    fn a_resource_without_shapes_has_no_shape_groups_nor_examples_of_them() {
        let def = &crate::resources::iotda_instance::DEF;
        assert!(shapes(def).is_empty() && groups(def).is_empty());
        assert_eq!(examples(def, &|_| unreachable!()).unwrap(), "");
    }

    #[test]
    fn each_shape_names_its_api_and_example() {
        let def = &crate::resources::dms_kafka_instance::DEF;
        let text = section(def);
        assert!(text.contains("- without `broker_num`: `POST /v2/{project_id}/instances`"), "{text}");
        assert!(text.contains("- with `broker_num`: `POST /v2/{project_id}/kafka/instances`"), "{text}");
        let files: Vec<String> = shapes(def).into_iter().map(|s| s.example).collect();
        assert_eq!(files, ["resource.tf", "with_broker_num.tf"]);
    }
}
