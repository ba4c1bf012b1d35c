//! The layering rule of the workspace. Within each crate, the source files form a graph: an edge A -> B
//! when A's code names a path into the module of file B (`use crate::x::y`, `use super::..`, `super::f()`,
//! `crate::x::f()`, `self::child::..`, `child::f()`), resolved to the deepest module file the path
//! reaches; a `mod x;` declaration is no edge, a re-export `pub use child::X;` is one. The graph has no
//! cycle. No source file is over 600 lines, and no resource file (besides the registry) over 250.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

const MAX_LINES: usize = 600;
const MAX_RESOURCE_LINES: usize = 250;
const RESOURCES: &str = "crates/provider/src/resources/";

/// A module's path from its crate's root (`["engine", "value"]`).
type ModPath = Vec<String>;
/// Edges between the files of one crate (paths relative to the crate).
type Edges = BTreeSet<(String, String)>;

/// The code of a source file as tokens: words (identifiers, keywords, numbers), `::` and single
/// punctuation characters; comments, string and character literals are left out.
fn tokens(src: &str) -> Vec<String> {
    let c: Vec<char> = src.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or(' ');
    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
    // The index after a quoted string whose text starts at `i`.
    let string_end = |mut i: usize| {
        while i < c.len() && c[i] != '"' {
            i += if c[i] == '\\' { 2 } else { 1 };
        }
        i + 1
    };
    let (mut out, mut i) = (Vec::new(), 0);
    while i < c.len() {
        let ch = c[i];
        if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let (mut depth, mut j) = (1, i + 2);
            while j < c.len() && depth > 0 {
                match (c[j], at(j + 1)) {
                    ('/', '*') => (depth, j) = (depth + 1, j + 2),
                    ('*', '/') => (depth, j) = (depth - 1, j + 2),
                    _ => j += 1,
                }
            }
            i = j;
        } else if ch == '"' {
            i = string_end(i + 1);
        } else if ch == '\'' {
            // A character literal ('x', '\n', '\''), else a lifetime or a label.
            i = match (at(i + 1), at(i + 2)) {
                ('\\', _) => (i + 3..c.len()).find(|&j| c[j] == '\'').map_or(c.len(), |j| j + 1),
                (_, '\'') => i + 3,
                _ => i + 1,
            };
        } else if word(ch) {
            let mut j = i + usize::from(ch == 'b');
            let raw = at(j) == 'r' && matches!(at(j + 1), '"' | '#');
            let hashes = if raw { (j + 1..c.len()).take_while(|&k| c[k] == '#').count() } else { 0 };
            if raw && at(j + 1 + hashes) == '"' {
                let mut k = j + 2 + hashes;
                while k < c.len() && !(c[k] == '"' && (1..=hashes).all(|h| at(k + h) == '#')) {
                    k += 1;
                }
                i = k + 1 + hashes;
            } else if ch == 'b' && at(i + 1) == '"' {
                i = string_end(i + 2);
            } else if ch == 'b' && at(i + 1) == '\'' {
                i += 1;
            } else {
                j = i;
                while j < c.len() && word(c[j]) {
                    j += 1;
                }
                out.push(c[i..j].iter().collect());
                i = j;
            }
        } else if ch == ':' && at(i + 1) == ':' {
            out.push("::".to_string());
            i += 2;
        } else {
            if !ch.is_whitespace() {
                out.push(ch.to_string());
            }
            i += 1;
        }
    }
    out
}

fn is_word(t: &str) -> bool {
    t.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// The paths of a `use` tree starting at `t[*i]`, after `prefix`; a glob's path is marked true.
fn use_tree(t: &[String], i: &mut usize, mut path: ModPath, out: &mut Vec<(ModPath, bool)>) {
    let tok = |i: usize| t.get(i).map_or("", String::as_str);
    loop {
        match tok(*i) {
            "{" => {
                *i += 1;
                while !matches!(tok(*i), "}" | "") {
                    use_tree(t, i, path.clone(), out);
                    if tok(*i) == "," {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => {
                *i += 1;
                return out.push((path, true));
            }
            "::" => *i += 1,
            w if is_word(w) => {
                if w != "self" || path.is_empty() {
                    path.push(w.to_string());
                }
                *i += if tok(*i + 1) == "as" { 3 } else { 1 };
                if tok(*i) != "::" {
                    return out.push((path, false));
                }
            }
            _ => return out.push((path, false)),
        }
    }
}

/// What one file declares and names: its child module files, inline modules, paths and glob imports
/// (each with the module it is written in).
#[derive(Default)]
struct Scan {
    children: Vec<(ModPath, String)>,
    inline: Vec<ModPath>,
    paths: Vec<(ModPath, ModPath)>,
    globs: Vec<(ModPath, ModPath)>,
}

/// Scans a file of module `module`, whose child modules' files lie in directory `dir`.
fn scan(src: &str, module: &[String], dir: &str) -> Scan {
    let t = tokens(src);
    let tok = |i: usize| t.get(i).map_or("", String::as_str);
    let (mut s, mut depth, mut i) = (Scan::default(), 0, 0);
    // Open inline modules: (module, their children's directory, brace depth inside them).
    let mut stack: Vec<(ModPath, String, usize)> = vec![(module.to_vec(), dir.to_string(), 0)];
    while i < t.len() {
        let (scope, dir) = stack.last().map(|(m, d, _)| (m.clone(), d.clone())).unwrap_or_default();
        let child = |name: &str| [scope.clone(), vec![name.to_string()]].concat();
        match tok(i) {
            "mod" if is_word(tok(i + 1)) && tok(i + 2) == ";" => {
                s.children.push((child(tok(i + 1)), format!("{dir}/{}", tok(i + 1))));
                i += 3;
            }
            "mod" if is_word(tok(i + 1)) && tok(i + 2) == "{" => {
                depth += 1;
                s.inline.push(child(tok(i + 1)));
                stack.push((child(tok(i + 1)), format!("{dir}/{}", tok(i + 1)), depth));
                i += 3;
            }
            "use" => {
                i += 1;
                let mut found = Vec::new();
                use_tree(&t, &mut i, vec![], &mut found);
                for (path, glob) in found {
                    if glob {
                        s.globs.push((scope.clone(), path.clone()));
                    }
                    s.paths.push((scope.clone(), path));
                }
            }
            "{" => (depth, i) = (depth + 1, i + 1),
            "}" => {
                if stack.len() > 1 && stack.last().is_some_and(|(.., d)| *d == depth) {
                    stack.pop();
                }
                (depth, i) = (depth.saturating_sub(1), i + 1);
            }
            w if is_word(w) && tok(i + 1) == "::" && !matches!(tok(i.wrapping_sub(1)), "::" | ".") => {
                let mut path = vec![w.to_string()];
                i += 1;
                while tok(i) == "::" && is_word(tok(i + 1)) {
                    path.push(tok(i + 1).to_string());
                    i += 2;
                }
                s.paths.push((scope, path));
            }
            _ => i += 1,
        }
    }
    s
}

/// The module a path written in module `scope` names: its deepest prefix that is a module.
fn module_of(
    mods: &HashMap<ModPath, String>,
    globs: &[(ModPath, ModPath)],
    scope: &[String],
    path: &[String],
) -> Option<ModPath> {
    let is_child = |m: &[String]| mods.contains_key(&[m, &path[..1]].concat());
    let (mut base, rest) = match path.first()?.as_str() {
        "crate" => (vec![], &path[1..]),
        "self" => (scope.to_vec(), &path[1..]),
        "super" => {
            let n = path.iter().take_while(|s| *s == "super").count();
            (scope[..scope.len().saturating_sub(n)].to_vec(), &path[n..])
        }
        _ if is_child(scope) => (scope.to_vec(), path),
        _ => {
            let mut from = globs.iter().filter(|(s, _)| s == scope);
            let glob = from.find_map(|(s, g)| module_of(mods, &[], s, g).filter(|m| is_child(m)))?;
            (glob, path)
        }
    };
    for seg in rest {
        base.push(seg.clone());
        if !mods.contains_key(&base) {
            base.pop();
            break;
        }
    }
    Some(base)
}

/// The edges between the files of one crate (`files`: path relative to the crate -> text) reached
/// from its root files.
fn edges(files: &BTreeMap<String, String>, roots: &[&str]) -> Edges {
    let mut edges = Edges::new();
    for root in roots {
        let mut mods: HashMap<ModPath, String> = HashMap::new();
        let mut scans = Vec::new();
        let mut queue = vec![(vec![], root.to_string())];
        while let Some((module, file)) = queue.pop() {
            let Some(src) = files.get(&file) else { continue };
            let dir = match file.rsplit_once('/') {
                Some((d, name)) if matches!(name, "mod.rs" | "lib.rs" | "main.rs") || file == *root => d.to_string(),
                _ => file.trim_end_matches(".rs").to_string(),
            };
            let s = scan(src, &module, &dir);
            mods.insert(module, file.clone());
            for m in &s.inline {
                mods.insert(m.clone(), file.clone());
            }
            for (m, path) in &s.children {
                let found =
                    [format!("{path}.rs"), format!("{path}/mod.rs")].into_iter().find(|f| files.contains_key(f));
                queue.extend(found.map(|f| (m.clone(), f)));
            }
            scans.push((file, s));
        }
        for (file, s) in &scans {
            for (scope, path) in &s.paths {
                let target = module_of(&mods, &s.globs, scope, path).and_then(|m| mods.get(&m));
                if let Some(target) = target.filter(|t| *t != file) {
                    edges.insert((file.clone(), target.clone()));
                }
            }
        }
    }
    edges
}

/// Every set of files that reach each other (each is one or more cycles).
fn cycles(edges: &Edges) -> Vec<Vec<String>> {
    let reach = |from: &String| {
        let (mut seen, mut todo) = (BTreeSet::new(), vec![from.clone()]);
        while let Some(n) = todo.pop() {
            for (_, b) in edges.iter().filter(|(a, _)| *a == n) {
                if seen.insert(b.clone()) {
                    todo.push(b.clone());
                }
            }
        }
        seen
    };
    let (mut done, mut out) = (BTreeSet::new(), Vec::new());
    for (n, _) in edges {
        if done.contains(n) || !reach(n).contains(n) {
            continue;
        }
        let group: Vec<String> = reach(n).into_iter().filter(|m| reach(m).contains(n)).collect();
        done.extend(group.iter().cloned());
        out.push(group);
    }
    out
}

/// Every `.rs` file under `dir`, by its path relative to `base` (with `/`), with its text.
fn sources(base: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.flatten().map(|e| e.path()) {
        if path.is_dir() && !path.ends_with("target") {
            sources(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let key = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            out.insert(key, std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// What breaks the rule in the crates under `root/crates` whose directory name passes `only`: each
/// cycle, each file over its length limit; and the line count of every file.
fn check(root: &Path, only: impl Fn(&str) -> bool) -> (Vec<String>, Vec<(usize, String)>) {
    let (mut problems, mut lengths) = (Vec::new(), Vec::new());
    let mut crates: Vec<_> = std::fs::read_dir(root.join("crates")).unwrap().flatten().map(|e| e.path()).collect();
    crates.sort();
    for dir in crates.iter().filter(|d| only(&d.file_name().unwrap().to_string_lossy())) {
        let name = dir.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let mut files = BTreeMap::new();
        sources(dir, dir, &mut files);
        let bins = files
            .keys()
            .filter(|f| f.starts_with("src/bin/") && (f.matches('/').count() == 2 || f.ends_with("/main.rs")));
        let roots: Vec<&str> = ["src/lib.rs", "src/main.rs"].into_iter().chain(bins.map(String::as_str)).collect();
        let edges = edges(
            &files.iter().filter(|(f, _)| f.starts_with("src/")).map(|(f, s)| (f.clone(), s.clone())).collect(),
            &roots,
        );
        for group in cycles(&edges) {
            let inside: Vec<String> = edges
                .iter()
                .filter(|(a, b)| group.contains(a) && group.contains(b))
                .map(|(a, b)| format!("{a} -> {b}"))
                .collect();
            problems.push(format!("cycle in {name}: {}\n    edges: {}", group.join(", "), inside.join("; ")));
        }
        for (file, text) in &files {
            let (path, lines) = (format!("{name}/{file}"), text.lines().count());
            let resource = path.starts_with(RESOURCES) && !path.ends_with("/mod.rs");
            if lines > MAX_LINES || (resource && lines > MAX_RESOURCE_LINES) {
                let limit = if lines > MAX_LINES { MAX_LINES } else { MAX_RESOURCE_LINES };
                problems.push(format!("{path}: {lines} lines (at most {limit})"));
            }
            lengths.push((lines, path));
        }
    }
    lengths.sort_by(|a, b| b.cmp(a));
    (problems, lengths)
}

fn workspace() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn assert_layered(only: impl Fn(&str) -> bool) {
    let (problems, lengths) = check(&workspace(), only);
    println!("{:>6}  longest files", "lines");
    for (lines, path) in lengths.iter().take(15) {
        println!("{lines:>6}  {path}");
    }
    assert!(problems.is_empty(), "the layering rule is broken:\n{}", problems.join("\n"));
}

#[test]
fn the_workspace_has_no_cycle_and_no_long_file() {
    assert_layered(|_| true);
}

#[test]
fn the_provider_crate_has_no_cycle_and_no_file_over_600_lines() {
    let (problems, _) = check(&workspace(), |c| c == "provider");
    let broken: Vec<&String> = problems.iter().filter(|p| !p.contains("(at most 250)")).collect();
    assert!(broken.is_empty(), "{broken:#?}");
}

/// The checker itself, on made-up crates.
mod checker {
    use super::*;

    fn crate_of(files: &[(&str, &str)]) -> Edges {
        edges(&files.iter().map(|(f, s)| (f.to_string(), s.to_string())).collect(), &["src/lib.rs"])
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn a_two_file_cycle_is_found() {
        let e = crate_of(&[
            ("src/lib.rs", "mod a;\nmod b;"),
            ("src/a.rs", "use crate::b::f;\npub fn g() { f() }"),
            ("src/b.rs", "pub fn f() { crate::a::g() }"),
        ]);
        assert_eq!(cycles(&e), vec![vec!["src/a.rs".to_string(), "src/b.rs".to_string()]]);
    }

    #[test]
    fn a_parent_re_export_and_a_child_import_of_the_parent_are_a_cycle() {
        let e = crate_of(&[
            ("src/lib.rs", "pub mod engine;"),
            ("src/engine/mod.rs", "mod ctx;\npub use ctx::Ctx;\npub struct Def;"),
            ("src/engine/ctx.rs", "use super::{Def, other::{self, X}};\npub struct Ctx;"),
        ]);
        assert!(e.contains(&pair("src/engine/mod.rs", "src/engine/ctx.rs")), "{e:?}");
        assert_eq!(cycles(&e), vec![vec!["src/engine/ctx.rs".to_string(), "src/engine/mod.rs".to_string()]]);
    }

    #[test]
    fn a_mod_declaration_comments_and_strings_are_no_edges() {
        let e = crate_of(&[
            ("src/lib.rs", "mod x;\nmod y;\npub fn f() {}"),
            ("src/x.rs", "// use crate::y::g;\nfn h() { let _ = (\"crate::y::g\", '{', r#\"y::g\"#); crate::f() }"),
            ("src/y.rs", "pub fn g() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { g() }\n}"),
        ]);
        assert_eq!(e, Edges::from([pair("src/x.rs", "src/lib.rs")]));
        assert!(cycles(&e).is_empty());
    }

    #[test]
    fn paths_resolve_to_the_deepest_module_file() {
        let e = crate_of(&[
            ("src/lib.rs", "pub mod e;"),
            ("src/e/mod.rs", "pub mod v;\npub mod w;\nfn f() { v::get(); }"),
            ("src/e/v.rs", "pub fn get() {}"),
            ("src/e/w.rs", "use crate::e::{v::get, W};\nfn f() { self::inner::x(); super::v::get() }\nmod inner {}"),
        ]);
        let expected =
            [pair("src/e/mod.rs", "src/e/v.rs"), pair("src/e/w.rs", "src/e/v.rs"), pair("src/e/w.rs", "src/e/mod.rs")];
        assert_eq!(e, Edges::from(expected));
    }
}
