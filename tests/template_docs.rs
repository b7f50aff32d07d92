//! The template context documented in docs/templates.md is exactly what templates receive:
//! every documented variable is provided, and every provided variable is documented.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::Dossier;
use dossier::pipeline::{self, Options};
use dossier::render::pages::{PageKey, page_view};
use dossier::render::templates::REQUIRED_TEMPLATES;
use dossier::render::view::Views;

/// Paths of variables, by template.
type PathsByTemplate = BTreeMap<&'static str, BTreeSet<String>>;

/// Every path in a JSON value: `page.blocks[].paragraphs[].html`. Lists that had items are
/// also recorded in `filled` (`page.blocks[]`), since the fields of items are seen only then.
fn paths(
    value: &serde_json::Value,
    prefix: &str,
    out: &mut BTreeSet<String>,
    filled: &mut BTreeSet<String>,
) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, child) in map {
                let path = format!("{prefix}.{key}");
                out.insert(path.clone());
                paths(child, &path, out, filled);
            }
        }
        serde_json::Value::Array(items) => {
            if !items.is_empty() {
                filled.insert(format!("{prefix}[]"));
            }
            for item in items {
                paths(item, &format!("{prefix}[]"), out, filled);
            }
        }
        _ => {}
    }
}

/// The variables each template receives, over every page of the harbour dossier (with an
/// event that has an end date, so every optional part appears at least once).
fn provided() -> (PathsByTemplate, PathsByTemplate) {
    let dossier = Dossier::harbour();
    dossier.write(
        "content/events/dredging-works.md",
        "+++\ntitle = \"Dredging works\"\ndate = 2024-07-01\nend_date = 2024-09-30\nkind = \"works\"\ndescription = \"The dredger on site.\"\nsources = [\"council-release\"]\n[taxonomies]\nissues = [\"cost\"]\n+++\n\nThe works [began](src:council-release#p2).\n",
    );
    // A graded source, a judgment resting on it and an open question (issue 18).
    for id in ["council-release", "courier-report"] {
        let sidecar = dossier.root.join(format!("content/sources/{id}.toml"));
        let graded = std::fs::read_to_string(&sidecar)
            .expect("sidecar")
            .replace(
                "[taxonomies]",
                "reliability = \"C\"\ncredibility = 3\ngrading_note = \"A local account.\"\n\n[taxonomies]",
            );
        std::fs::write(&sidecar, graded).expect("write sidecar");
    }
    dossier.write(
        "content/summaries/assessment.md",
        "+++\ntitle = \"Assessment\"\n+++\n\n> [!JUDGMENT #silt confidence=low likelihood=likely]\n> **More silt than surveyed.** The council [says so](src:council-release#p2).\n\n> [!QUESTION #survey]\n> **Who surveyed?** Not [said](src:council-release#p2).\n> **What would settle it:** the survey.\n",
    );
    let options = Options {
        root: dossier.root.clone(),
        drafts: false,
        base_url: None,
    };
    let resolved = pipeline::resolve(&options).expect("the harbour dossier resolves");
    let views = Views::new(&resolved.site);
    let mut site = BTreeSet::new();
    let mut site_filled = BTreeSet::new();
    paths(
        &serde_json::to_value(views.site("")).expect("json"),
        "site",
        &mut site,
        &mut site_filled,
    );
    // Lists that had items, per template: the same path may be empty on one and full on another.
    let mut filled: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    let mut out: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for key in PageKey::all(&resolved.site) {
        let (Some(template), Some(view)) = (key.template(), page_view(&views, key)) else {
            continue;
        };
        let entry = out.entry(template).or_default();
        entry.insert("root".into());
        entry.insert("site".into());
        entry.insert("page".into());
        entry.extend(site.iter().cloned());
        let page = serde_json::to_value(view).expect("json");
        let template_filled = filled
            .entry(template)
            .or_insert_with(|| site_filled.clone());
        paths(&page, "page", entry, template_filled);
    }
    (out, filled)
}

/// A documented variable's type: plain, one of the documented types, or a list of one.
enum Type {
    Plain,
    Named(String),
    ListOf(String),
}

/// The type cell of a table row: "list of `note`", "`date` or nothing", "text".
fn parse_type(cell: &str) -> Type {
    match cell.split('`').nth(1) {
        Some(name) if cell.trim_start().starts_with("list of") => Type::ListOf(name.to_string()),
        Some(name) => Type::Named(name.to_string()),
        None => Type::Plain,
    }
}

/// The variables docs/templates.md lists: the shared ones and one table per template, with
/// the documented types under "Types" expanded into their fields.
fn documented() -> BTreeMap<String, BTreeSet<String>> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/templates.md"))
            .expect("docs/templates.md");
    let mut tables: BTreeMap<String, Vec<(String, Type)>> = BTreeMap::new();
    let mut types: BTreeMap<String, Vec<(String, Type)>> = BTreeMap::new();
    // (is a type, name) of the table being read.
    let mut section: Option<(bool, String)> = None;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = if heading.starts_with("Every template") {
                Some((false, "*".into()))
            } else {
                heading
                    .split('`')
                    .nth(1)
                    .filter(|n| n.ends_with(".html"))
                    .map(|n| (false, n.to_string()))
            };
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            section = heading.split('`').nth(1).map(|n| (true, n.to_string()));
            continue;
        }
        let Some(row) = line.strip_prefix("| `") else {
            continue;
        };
        let cells: Vec<&str> = row.split('|').collect();
        let name = cells[0].trim().trim_end_matches('`').to_string();
        let kind = parse_type(cells.get(1).copied().unwrap_or(""));
        match &section {
            Some((true, ty)) => types.entry(ty.clone()).or_default().push((name, kind)),
            Some((false, table)) => tables.entry(table.clone()).or_default().push((name, kind)),
            None => {}
        }
    }
    fn expand(
        path: &str,
        kind: &Type,
        types: &BTreeMap<String, Vec<(String, Type)>>,
        out: &mut BTreeSet<String>,
    ) {
        out.insert(path.to_string());
        let (name, prefix) = match kind {
            Type::Plain => return,
            Type::Named(name) => (name, path.to_string()),
            Type::ListOf(name) => (name, format!("{path}[]")),
        };
        let fields = types
            .get(name)
            .unwrap_or_else(|| panic!("docs/templates.md: no type `{name}`"));
        for (field, field_kind) in fields {
            expand(&format!("{prefix}.{field}"), field_kind, types, out);
        }
    }
    let mut shared = BTreeSet::new();
    for (path, kind) in tables.remove("*").unwrap_or_default() {
        expand(&path, &kind, &types, &mut shared);
    }
    tables
        .into_iter()
        .map(|(template, rows)| {
            let mut vars = shared.clone();
            for (path, kind) in rows {
                expand(&path, &kind, &types, &mut vars);
            }
            (template, vars)
        })
        .collect()
}

#[test]
fn the_guide_lists_exactly_the_variables_each_template_receives() {
    let (provided, filled) = provided();
    let documented = documented();
    let mut problems = Vec::new();
    for template in REQUIRED_TEMPLATES {
        let given = provided.get(template).cloned().unwrap_or_default();
        let filled = filled.get(template).cloned().unwrap_or_default();
        let listed = documented.get(*template).cloned().unwrap_or_default();
        // A field of a list's items is seen only if the list ever had items: a list that is
        // always empty in this template (event bodies on term pages) cannot show its fields.
        let unseen = |path: &String| {
            path.rfind("[].").is_some_and(|at| {
                let list = &path[..at + 2];
                given.contains(&list[..list.len() - 2]) && !filled.contains(list)
            })
        };
        // Likewise a field of an object that is nothing in every render of this template (a
        // source's `original` in a dossier without originals) cannot be seen.
        let under_nothing = |path: &String| {
            path.match_indices('.').skip(1).any(|(at, _)| {
                let parent = path[..at].trim_end_matches("[]");
                given.contains(parent)
                    && !given.iter().any(|g| {
                        g.starts_with(&format!("{parent}."))
                            || g.starts_with(&format!("{parent}[]."))
                    })
            })
        };
        let missing: Vec<&String> = listed
            .difference(&given)
            .filter(|p| !unseen(p) && !under_nothing(p))
            .collect();
        let undocumented: Vec<&String> = given.difference(&listed).collect();
        if !missing.is_empty() {
            problems.push(format!(
                "{template}: documented but not provided: {missing:?}"
            ));
        }
        if !undocumented.is_empty() {
            problems.push(format!(
                "{template}: provided but not documented: {undocumented:?}"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "docs/templates.md is out of date:\n{}",
        problems.join("\n")
    );
}
