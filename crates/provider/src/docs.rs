//! Registry docs and the API inventory, generated from the field tables, so that they cannot drift
//! from the code. `terraform-provider-huaweicloud docs` rewrites `docs/`; a test checks it is current.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use hwapi::contract::Param;
use tfplugin::framework::{Attribute, AttributeConstraint, AttributeType, Schema};

use crate::engine::catalog::{self, Catalog};
use crate::engine::data_source;
use crate::engine::field::{Field, Kind, Mode};

use crate::engine::schema::full_description;
use crate::engine::validate::params_of;
use crate::engine::ResourceDef;
use crate::resources::{catalogs, defs};

mod shapes;

/// The README's generated section, between these markers.
const README_FAILURES: (&str, &str) = (
    "<!-- generated: failure states (from the status tables; `terraform-provider-huaweicloud docs docs` rewrites it) -->",
    "<!-- end: failure states -->",
);

/// The README's bullet on failure states, from the resources' status tables.
fn failure_states() -> String {
    let defs: Vec<&ResourceDef> = defs().into_iter().collect();
    let short = |def: &ResourceDef| def.noun.trim_end_matches(" instance").to_string();
    let list = |pick: &dyn Fn(&ResourceDef) -> &'static [&'static str]| {
        defs.iter()
            .filter(|d| !pick(d).is_empty())
            .map(|d| format!("{} {}", short(d), quoted_all(pick(d))))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Where a hook decides (its note says how), the failure statuses of an instance that never launched.
    let noted: Vec<String> = defs
        .iter()
        .filter(|d| d.health.create_failed.is_empty() && !d.health.note.is_empty())
        .map(|d| format!("{} {} when it never launched", short(d), quoted_all(d.health.failed)))
        .collect();
    format!(
        "- **Failure states.** A refresh that finds an instance in a failure state ({}) warns with the status and how \
to replace it (`terraform apply -replace=ADDRESS`). An instance whose creation failed ({}{}) is planned for \
replacement, and so is one being deleted ({}): the apply waits until it is gone, then creates it again.",
        list(&|d| d.health.failed),
        list(&|d| d.health.create_failed),
        if noted.is_empty() { String::new() } else { format!(", {}", noted.join(", ")) },
        list(&|d| d.health.going),
    )
}

/// `A`/`B`.
fn quoted_all(statuses: &[&str]) -> String {
    statuses.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join("/")
}

/// `readme` with its generated section rewritten.
fn readme(readme: &str) -> String {
    let (start, end) = README_FAILURES;
    match (readme.find(start), readme.find(end)) {
        (Some(a), Some(b)) if a < b => {
            let body = textwrap(&failure_states(), 118, "  ");
            format!("{}{start}\n{body}\n{}", &readme[..a], &readme[b..])
        }
        _ => readme.to_string(),
    }
}

/// `text` folded at `width` columns, later lines indented by `indent` (the README's list style).
fn textwrap(text: &str, width: usize, indent: &str) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("one line at least");
        if !line.trim().is_empty() && line.len() + 1 + word.len() > width {
            lines.push(format!("{indent}{word}"));
        } else {
            if !line.trim().is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines.join("\n")
}

/// Every generated file (path relative to the project root, content), reading examples under `root`.
pub fn render(root: &Path) -> std::io::Result<Vec<(PathBuf, String)>> {
    let example = |p: &str| std::fs::read_to_string(root.join("examples").join(p));
    let mut out = vec![(PathBuf::from("docs/index.md"), index(&example("provider/provider.tf")?))];
    out.push((PathBuf::from("README.md"), readme(&std::fs::read_to_string(root.join("README.md"))?)));
    for def in defs() {
        let dir = format!("resources/huaweicloud_{}", def.name);
        let shaped = shapes::examples(def, &|file| example(&format!("{dir}/{file}")))?;
        let page =
            resource(def, (&example(&format!("{dir}/resource.tf"))?, &shaped), &example(&format!("{dir}/import.sh"))?);
        out.push((PathBuf::from(format!("docs/resources/{}.md", def.name)), page));
        // A resource without a list attribute has no data sources.
        let sources = match def.listing.attribute {
            "" => vec![],
            _ => vec![
                (def.name.to_string(), data_source::single_schema(def)),
                (format!("{}s", def.name), data_source::list_schema(def)),
            ],
        };
        for (name, schema) in sources {
            let example = example(&format!("data-sources/huaweicloud_{name}/data-source.tf"))?;
            out.push((
                PathBuf::from(format!("docs/data-sources/{name}.md")),
                data_source(def, &name, &schema, &example),
            ));
        }
    }
    for c in catalogs() {
        let example = example(&format!("data-sources/huaweicloud_{}/data-source.tf", c.name))?;
        out.push((PathBuf::from(format!("docs/data-sources/{}.md", c.name)), catalog_page(c, &example)));
    }
    Ok(out)
}

/// A rule's words with each member named as its argument (`user_passwd` -> `password`).
fn attribute_words(def: &ResourceDef, text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        match crate::engine::rules::attribute_path(def.fields, part) {
            Some((path, _)) if i % 2 == 1 => out.push_str(&path.join(".")),
            _ => out.push_str(part),
        }
        out.push('`');
    }
    out.pop();
    out
}

/// The registry's subcategory of a resource's pages.
fn subcategory(def: &ResourceDef) -> &'static str {
    service_category(def.create.service)
}

fn service_category(service: hwapi::client::Service) -> &'static str {
    match service {
        hwapi::client::Service::Iotda => "IoT Device Access (IoTDA)",
        hwapi::client::Service::Dms => "Distributed Message Service (DMS)",
        hwapi::client::Service::Clouddc => "CloudDC",
        hwapi::client::Service::Iam => "Identity and Access Management (IAM)",
    }
}

fn type_label(t: &AttributeType) -> String {
    match t {
        AttributeType::String => "String".into(),
        AttributeType::Number => "Number".into(),
        AttributeType::Bool => "Boolean".into(),
        AttributeType::List(inner) => format!("List of {}", type_label(inner)),
        AttributeType::Set(inner) => format!("Set of {}", type_label(inner)),
        AttributeType::Map(inner) => format!("Map of {}", type_label(inner)),
        AttributeType::Object { .. } => "Object".into(),
        _ => "Dynamic".into(),
    }
}

/// A data source page: its example, its arguments, then what it exports.
fn data_source(def: &ResourceDef, name: &str, schema: &Schema, example: &str) -> String {
    let type_name = format!("huaweicloud_{name}");
    let description = schema.block.description.content.clone();
    let mut s = format!(
        "---\npage_title: \"{type_name} Data Source\"\nsubcategory: \"{}\"\ndescription: |-\n  {description}\n---\n\n\
# {type_name} (Data Source)\n\n{description} The attributes are those of the \
[`huaweicloud_{}`](../resources/{}.md) resource; arguments the API never returns (passwords and other write-only \
values) are left out.\n\n## Example Usage\n\n```terraform\n{}\n```\n",
        subcategory(def),
        def.name,
        def.name,
        example.trim_end()
    );
    let mut attrs: Vec<(&String, &Attribute)> = schema.block.attributes.iter().collect();
    attrs.sort_by_key(|(n, _)| n.as_str());
    let line = |n: &str, a: &Attribute, label: &str| {
        format!("- `{n}` ({label}, {}) {}\n", type_label(&a.attr_type), a.description.content)
    };
    s.push_str("\n## Argument Reference\n\n");
    for (n, a) in attrs.iter().filter(|(_, a)| !matches!(a.constraint, AttributeConstraint::Computed)) {
        let label = if matches!(a.constraint, AttributeConstraint::Required) { "Required" } else { "Optional" };
        s.push_str(&line(n, a, label));
    }
    if let Some(tfplugin::framework::NestedBlock::Optional(t)) = schema.block.blocks.get("timeouts") {
        if let Some(read) = t.attributes.get("read") {
            let _ = writeln!(s, "- `timeouts` (Optional, Block) `read` (String): {}", read.description.content);
        }
    }
    s.push_str("\n## Attribute Reference\n\n");
    for (n, a) in attrs.iter().filter(|(_, a)| matches!(a.constraint, AttributeConstraint::Computed)) {
        s.push_str(&line(n, a, "Computed"));
    }
    if name != def.name {
        let _ = write!(
            s,
            "\nThe list is read page by page to the end; each element has the attributes of the \
[`huaweicloud_{}`](./{}.md) data source.\n",
            def.name, def.name
        );
    }
    s
}

/// The page of a catalog data source: its example, its filters, then what it exports, item by item.
fn catalog_page(c: &'static Catalog, example: &str) -> String {
    let (type_name, description) = (format!("huaweicloud_{}", c.name), c.description);
    let mut s = format!(
        "---\npage_title: \"{type_name} Data Source\"\nsubcategory: \"{}\"\ndescription: |-\n  {description}\n---\n\n\
# {type_name} (Data Source)\n\n{description} Each read makes one call, `{}` ({}){}.\n\n## Example Usage\n\n\
```terraform\n{}\n```\n\n## Argument Reference\n\n",
        service_category(c.op.service),
        c.op.label(),
        c.op.name,
        if c.filters.iter().any(|f| !matches!(f.rule, catalog::Match::Query)) {
            "; the filters other than its query parameters are applied to its answer"
        } else {
            ""
        },
        example.trim_end()
    );
    let schema = catalog::schema(c);
    let mut filters: Vec<_> = c.filters.iter().collect();
    filters.sort_by_key(|f| f.name);
    for f in filters {
        let _ = writeln!(s, "- `{}` (Optional, String) {}", f.name, f.description(c));
    }
    if let Some(tfplugin::framework::NestedBlock::Optional(t)) = schema.block.blocks.get("timeouts") {
        if let Some(read) = t.attributes.get("read") {
            let _ = writeln!(s, "- `timeouts` (Optional, Block) `read` (String): {}", read.description.content);
        }
    }
    if let Some(id) = schema.block.attributes.get("id") {
        let _ = write!(s, "\n## Attribute Reference\n\n- `id` (Computed, String) {}\n", id.description.content);
    }
    let mut nested = Vec::new();
    field_lines(&mut s, std::iter::once(&c.items).chain(c.fields), (None, &[]), true, &mut nested);
    while !nested.is_empty() {
        let (parent, _, _) = nested.remove(0);
        let _ = write!(s, "\n### {}\n\n", parent.name);
        let mut more = Vec::new();
        field_lines(&mut s, parent.nested().unwrap_or_default(), (Some(parent), &[]), true, &mut more);
        nested.extend(more);
    }
    s
}

/// Writes the docs below `dir`'s parent layout (`dir` is the docs folder of the project root).
pub fn write(dir: &Path) -> std::io::Result<()> {
    let root = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    for (path, content) in render(root)? {
        let target = root.join(&path);
        std::fs::create_dir_all(target.parent().unwrap_or(root))?;
        std::fs::write(target, content)?;
    }
    Ok(())
}

/// Every API call each resource makes.
pub fn inventory() -> String {
    let mut s = String::new();
    for def in defs() {
        for op in def.ops {
            let _ = writeln!(s, "huaweicloud_{}\t{}\t{}", def.name, op.label(), op.name);
        }
    }
    for c in catalogs() {
        let _ = writeln!(s, "huaweicloud_{}\t{}\t{}", c.name, c.op.label(), c.op.name);
    }
    s
}

/// How the provider authenticates, for the index page.
const AUTHENTICATION: &str = "\n```\n\n## Authentication\n\n\
Every call is signed with an access key and secret key (AK/SK, SDK-HMAC-SHA256), taken in this order from:\n\n\
1. the provider block: `access_key`, `secret_key` (and `security_token` for temporary credentials);\n\
2. the environment: `HW_ACCESS_KEY`, `HW_SECRET_KEY`, `HW_SECURITY_TOKEN`;\n\
3. the Huawei Cloud CLI's configuration file (`shared_config_file` or `HW_SHARED_CONFIG_FILE`, saved unencrypted \
with `hcloud configure set --cli-auth-encrypt=false`): the profile named by `profile` or `HW_PROFILE`, else the \
file's current one. Its keys (access key, secret key and token, as one set) are used only when neither the block \
nor the environment gives a key; its region when nothing else does.\n\n\
To act as an IAM agency (of another account, or of this one), add an `assume_role` block (`agency_name`, and \
`domain_name` or `domain_id` of the account that created the agency; optionally `duration` in seconds), or set \
`HW_ASSUME_ROLE_AGENCY_NAME` with `HW_ASSUME_ROLE_DOMAIN_NAME` or `HW_ASSUME_ROLE_DOMAIN_ID` (and \
`HW_ASSUME_ROLE_DURATION`). The keys above then sign only IAM's `POST /v3.0/OS-CREDENTIAL/securitytokens`, on the \
first call that needs credentials; its temporary credentials sign every call after it, the project id lookup \
included. They are shared by all resources of the run and renewed before the expiry IAM answers (which may be \
sooner than asked): five minutes before, or halfway through a shorter lifetime. A call whose credentials the gateway \
refuses (`401`, `APIGW.0307` for expired ones or `APIGW.0301`) renews them once and is sent again. They appear in no log, state or message.\n\n\
The region comes from `region` or `HW_REGION_NAME`. The project id is looked up once per run through IAM \
(`GET /v3/projects?name=<region>`) unless `project_id`, `HW_PROJECT_ID` or the profile (together with its region) \
gives it. A setting Terraform does not know yet when it configures the provider (it depends on a resource) is \
refused rather than replaced by the environment or a profile. Credentials and passwords \
never appear in plan output, errors or the provider's logs. A password given through its write-only form \
(`password_wo`, `kafka_manager_password_wo`; Terraform 1.11 or later) is not stored in the plan or the state \
either, while a plain `password` is kept in the state (marked sensitive), as Terraform keeps every argument: prefer \
the write-only forms, and change their `_wo_version` to rotate.\n\n\
TLS: the system's trust store and the public roots are trusted; `cacert_file` (or `OS_CACERT`) adds the CAs of a \
corporate TLS proxy or a private endpoint, and `insecure = true` (or `HW_INSECURE`) skips certificate checks for \
test endpoints. Against `huaweicloud-sim`, use its keys and point `endpoints` at it (see \
the guide on testing modules offline).\n\n\
Moving from Huawei's Go provider? See the migration guide in `docs/guides`. Using both in one configuration (the \
network is Huawei's provider's)? See the guide on using it next to Huawei's provider there.";

fn index(example: &str) -> String {
    let schema = crate::provider::provider_schema();
    let mut names: Vec<_> = schema.block.attributes.iter().collect();
    names.sort_by_key(|(n, _)| n.as_str());
    let mut s = String::from(
        "---\npage_title: \"Provider: huaweicloud\"\ndescription: |-\n  Manages Huawei Cloud IoTDA, CloudDC iMetal and DMS for Kafka instances.\n---\n\n\
# huaweicloud provider\n\nManages Huawei Cloud IoTDA instances, CloudDC iMetal (bare-metal) instances and DMS for Kafka instances. \
Every request is signed with SDK-HMAC-SHA256 (AK/SK); throttled and failed calls are retried with capped exponential \
backoff, and a create that failed or lost its answer is adopted when the service made the instance, or sent again \
only once a look shows it did not.\n\n## Example Usage\n\n```terraform\n",
    );
    s.push_str(example.trim_end());
    s.push_str(AUTHENTICATION);
    // The resources that take default tags, from their tables.
    let tagged: Vec<String> = defs()
        .into_iter()
        .filter(|d| crate::engine::tags::tags_all_field(d.fields).is_some())
        .map(|d| format!("[`huaweicloud_{0}`](resources/{0}.md)", d.name))
        .collect();
    let _ = write!(
        s,
        "\n\n## Default tags\n\n`default_tags` (below) reach every instance of {}, whose `tags_all` shows the \
tags it carries.",
        tagged.join(" and ")
    );
    s.push_str("\n\n## Argument Reference\n\nAll arguments are optional in the block; `region`, `access_key` and `secret_key` must come from the block, the environment or the shared configuration file.\n\n");
    let mut lines: Vec<(String, String)> = names
        .into_iter()
        .map(|(name, attr)| {
            let sensitive = if attr.sensitive { ", sensitive" } else { "" };
            (name.clone(), format!("- `{name}` (Optional{sensitive}) {}", attr.description.content))
        })
        .collect();
    let mut blocks: Vec<_> = schema.block.blocks.iter().collect();
    blocks.sort_by_key(|(n, _)| n.as_str());
    for (name, nested) in &blocks {
        let tfplugin::framework::NestedBlock::Optional(b) = nested else { continue };
        let line = format!("- `{name}` (Optional, Block, at most one) {} See below.", b.description.content);
        lines.push((name.to_string(), line));
    }
    lines.sort();
    for (_, line) in lines {
        let _ = writeln!(s, "{line}");
    }
    for (name, nested) in blocks {
        let tfplugin::framework::NestedBlock::Optional(b) = nested else { continue };
        let _ = write!(s, "\n### {name}\n\n");
        let mut attrs: Vec<_> = b.attributes.iter().collect();
        attrs.sort_by_key(|(n, _)| n.as_str());
        for (attr, a) in attrs {
            let _ = writeln!(s, "- `{attr}` (Optional) {}", a.description.content);
        }
    }
    s
}

fn kind_label(f: &Field) -> &'static str {
    match f.kind {
        Kind::Str => "String",
        Kind::Int => "Number",
        Kind::Bool => "Boolean",
        Kind::Map => "Map of String",
        Kind::List => "List of String",
        Kind::Block { max: 1, .. } => "Block",
        Kind::Block { .. } if f.is_set() => "Block Set",
        Kind::Block { .. } => "Block List",
        Kind::Object(_) => "Object",
        Kind::ObjectList(_) => "List of Object",
    }
}

fn mode_label(f: &Field, in_computed: bool) -> &'static str {
    if in_computed {
        return "Computed";
    }
    match f.mode {
        Mode::Required => "Required",
        Mode::Optional | Mode::OptionalComputed => "Optional",
        Mode::Computed => "Computed",
    }
}

/// A nested section still to write: (its field, inside a computed attribute, its contract tables).
type Section = (&'static Field, bool, Vec<&'static [Param]>);

fn field_lines(
    s: &mut String,
    fields: impl IntoIterator<Item = &'static Field>,
    (parent, tables): (Option<&Field>, &[&'static [Param]]),
    in_computed: bool,
    nested: &mut Vec<Section>,
) {
    field_lines_as(s, fields.into_iter().map(|f| (f, None)), (parent, tables), in_computed, nested);
}

/// As `field_lines`, each field with the mode its line shows where that is not its schema's (a shape
/// requires it).
fn field_lines_as(
    s: &mut String,
    fields: impl IntoIterator<Item = (&'static Field, Option<String>)>,
    (parent, tables): (Option<&Field>, &[&'static [Param]]),
    in_computed: bool,
    nested: &mut Vec<Section>,
) {
    for (f, mode) in fields {
        let sensitive = if f.sensitive { ", Sensitive" } else { "" };
        let mode = mode.unwrap_or_else(|| mode_label(f, in_computed).to_string());
        let kind = kind_label(f);
        let params = params_of(f, tables);
        let _ = write!(s, "- `{}` ({mode}, {kind}{sensitive}) {}", f.name, full_description(f, parent, &params));
        if f.nested().is_some() {
            let _ = write!(s, " See [`{0}`](#{0}) below.", f.name);
            let members = params.iter().filter_map(|p| p.members()).collect();
            nested.push((f, in_computed || !f.is_argument(), members));
        }
        s.push('\n');
    }
}

/// Which arguments an import cannot read, by the tables: after an import, the plan changes only those.
fn write_only_note(def: &ResourceDef) -> String {
    let names: Vec<String> =
        crate::engine::field::write_only_paths(def.fields).into_iter().map(|p| format!("`{p}`")).collect();
    if names.is_empty() {
        return "Every argument is read back from the API.".to_string();
    }
    let (them, these) = if names.len() == 1 { ("it", "it") } else { ("them", "those") };
    format!(
        "Every argument is read back from the API except {}, which the API never returns: after an import the plan \
changes only {these}, and the first apply records {them} from the configuration without an API call.",
        names.join(", ")
    )
}

/// A resource page; `example` is its example, or (with shapes) each shape's under its heading.
fn resource(def: &ResourceDef, (example, shaped): (&str, &str), import: &str) -> String {
    let type_name = format!("huaweicloud_{}", def.name);
    let usage = match shaped {
        "" => format!("```terraform\n{}\n```\n", example.trim_end()),
        _ => shaped.trim_start().to_string(),
    };
    let shapes_section = if def.shapes.is_empty() { String::new() } else { shapes::section(def) };
    let mut s = format!("---\npage_title: \"{type_name} Resource\"\nsubcategory: \"{}\"\ndescription: |-\n  {}\n---\n\n# {type_name} (Resource)\n\n{}{shapes_section}\n\n## Example Usage\n\n{usage}\n## Argument Reference\n\n",
        subcategory(def), def.description, def.description);
    let fields = def.fields;
    let mut nested = Vec::new();
    let tables = def.create_tables();
    let top: &[&'static [Param]] = &tables;
    let timeouts = "- `timeouts` (Optional, Block) See [Timeouts](#timeouts) below.\n";
    let groups = shapes::groups(def);
    if groups.is_empty() {
        field_lines(&mut s, fields.iter().filter(|f| f.is_argument()), (None, top), false, &mut nested);
        s.push_str(timeouts);
    }
    for (i, group) in groups.into_iter().enumerate() {
        let _ = write!(s, "{}### {}\n\n", if i == 0 { "" } else { "\n" }, group.heading);
        field_lines_as(&mut s, group.fields, (None, top), false, &mut nested);
        if i == 0 {
            s.push_str(timeouts);
        }
    }
    let _ = write!(
        s,
        "\n## Attribute Reference\n\nIn addition to the arguments:\n\n- `id` (String) {}\n",
        crate::engine::schema::id_description(def)
    );
    field_lines(&mut s, fields.iter().filter(|f| !f.is_argument()), (None, top), false, &mut nested);
    while !nested.is_empty() {
        let (parent, in_computed, tables) = nested.remove(0);
        let _ = write!(s, "\n### {}\n\n", parent.name);
        let mut more = Vec::new();
        field_lines(&mut s, parent.nested().unwrap_or_default(), (Some(parent), &tables), in_computed, &mut more);
        nested.extend(more);
    }
    let line = |r: &hwapi::contract::BodyRule| {
        let named = r.members().iter().all(|m| crate::engine::rules::attribute_path(def.fields, m).is_some());
        named.then(|| format!("- {}", attribute_words(def, &r.describe())))
    };
    let rules: Vec<String> = def.create.rules.iter().filter_map(line).collect();
    if !def.shapes.is_empty() {
        s.push_str(&shapes::rules(def, &line));
    } else if !rules.is_empty() {
        let _ = write!(
            s,
            "
## Rules between arguments

The API's rules for `{}`, checked at plan (and by the simulator on every request):

{}
",
            def.create.label(),
            rules.join("\n")
        );
    }
    let (key, noun) = (def.identity, def.noun);
    let scope = if def.scope.is_empty() { String::new() } else { format!(" in the same `{}`", def.scope.join("`, `")) };
    let _ = write!(
        s,
        "\n## Existing {noun}s: never a duplicate\n\n\
`{key}` identifies the {noun}{scope}. Before every create the provider lists the live {noun}s (not being deleted) \
with the same `{key}`; if there is one, nothing is created and the apply fails with its id, status and \
creation time and a ready `import` block, so that one left outside the state (by a killed apply or another tool) is \
adopted instead of duplicated. Two resources of one configuration cannot share a `{key}`, and with \
`create_before_destroy` a replacement needs a new `{key}` (the old {noun} still exists when the new one is \
created).\n\n\
A create whose answer is a server error or lost (the service may have acted) is followed by looks for the \
`{key}` over 6 seconds after a server error and 30 after a lost answer, as a list may show a new {noun} late: \
exactly one live {noun} created after the request left is this apply's and is adopted; none at all means the call \
is sent again, counted against `max_retries`; anything else, or a look that cannot be made or is cut short (Ctrl-C, \
the create timeout), stops with what was found and the `import` block. A success answer that cannot be used is \
never sent again. Once its {noun} is ready, the run looks once more and warns on the resource, naming both ids, \
when another live one with the same `{key}` is there: two runs with separate states (two pipelines) creating the \
same `{key}` at the same moment both pass the first look, and a service listing a new {noun} later than the looks \
allow would show up here too.\n"
    );
    let h = def.health;
    let quoted = |l: &[&str]| l.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
    if !h.failed.is_empty() {
        let _ = write!(
            s,
            "\nA refresh that finds the instance in {} shows a warning with the status and how to replace \
the instance deliberately (`terraform apply -replace=ADDRESS`); nothing changes by itself.",
            quoted(h.failed)
        );
    }
    if !h.create_failed.is_empty() {
        let _ = write!(
            s,
            " An instance in {} never came up (its creation failed): the plan replaces it.",
            quoted(h.create_failed)
        );
    }
    if !h.going.is_empty() {
        let _ = write!(
            s,
            " An instance in {} is being deleted (an interrupted destroy, or a deletion made elsewhere): a refresh \
warns, and the plan replaces it: the apply waits until it is gone, then creates it again.",
            quoted(h.going)
        );
    }
    if !h.ready.is_empty() {
        let _ = write!(
            s,
            " A change that finds the instance busy (not {}, e.g. a resize an interrupted apply started) waits for it, \
reads it again and sends only what is then still different.",
            h.ready.join(" or ")
        );
    }
    if !h.note.is_empty() {
        let _ = write!(s, " {}", h.note);
    }
    s.push('\n');
    let t = def.timeouts;
    let _ = write!(s, "\n## Timeouts\n\n- `create` (default {}m)\n- `read` (default {}m: a refresh)\n- `update` (default {}m)\n- `delete` (default {}m)\n\n\
Values use Terraform's duration syntax (`45s`, `10m`, `1h30m`, `1.5h`, `300ms`); zero, negative values and values over 7 days are refused at plan.\n\n\
A wait that fails or times out after the {noun} was created leaves its id in the state, marked tainted, so that the next apply replaces it and a destroy deletes it.\n\n\
## Import\n\nImport by {}, with `terraform import` or an `import` block:\n\n```shell\n{}\n```\n\n{}\n\n{}\n\n## API calls\n\n",
        t.create.as_secs() / 60, t.read.as_secs() / 60, t.update.as_secs() / 60, t.delete.as_secs() / 60, def.id_noun(), import.trim_end(),
        write_only_note(def), def.import_note);
    for op in def.ops {
        let query = if op.query.is_empty() {
            String::new()
        } else {
            format!(" (query: {})", op.query.iter().map(|p| p.name).collect::<Vec<_>>().join(", "))
        };
        let _ = writeln!(s, "- `{}`: {}{query}", op.label(), op.name);
    }
    s
}
