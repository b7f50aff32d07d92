//! Themes and Tera: the theme's templates (from `themes/<name>/`, or the built-in `briefing`
//! theme when that folder is absent), overridden by the dossier's own `templates/`, compiled
//! once per build; and the static files of theme and dossier, the dossier's winning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use serde::Deserialize;
use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::{Diagnostic, Location};
use crate::fsutil;
use crate::load::config::BUILTIN_THEME;

/// The default theme, built into the binary so any dossier builds without copying it.
static BRIEFING: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/briefing");

/// Templates every theme must provide, one per kind of page.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "timeline.html",
    "sources.html",
    "source.html",
    "summaries.html",
    "summary.html",
    "taxonomy.html",
    "term.html",
    "search.html",
    "print.html",
    "graph.html",
    "404.html",
    // analyst (issue 18)
    "judgments.html",
    "open-questions.html",
];

/// `theme.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read for validation; shown nowhere yet
struct ThemeConfig {
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    homepage: Option<String>,
}

/// A template's text and the file it came from (for error locations).
#[derive(Debug, Clone)]
struct TemplateFile {
    text: String,
    /// Relative to the dossier root, or `<built-in briefing>/templates/…`.
    path: PathBuf,
}

/// A theme with the dossier's overrides applied: compiled templates and static files.
pub struct Theme {
    tera: Tera,
    files: BTreeMap<String, TemplateFile>,
    /// Static files by output path, theme's first, then the dossier's over them.
    pub static_files: BTreeMap<String, Vec<u8>>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.files.keys())
            .finish_non_exhaustive()
    }
}

/// Load the theme named in site.toml and the dossier's overrides, and compile the templates.
pub fn load_theme(root: &Path, theme: &str) -> Result<Theme, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, TemplateFile> = BTreeMap::new();
    let mut static_files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut problems = Vec::new();

    // site.toml's validation says the same, located; this keeps any caller from reaching out.
    if !crate::load::config::is_plain_name(theme) {
        return Err(vec![Diagnostic::error(format!(
            "theme `{theme}` is not a folder name under themes/"
        ))]);
    }
    let inside = fsutil::canonical_root(root);
    let theme_dir = root.join("themes").join(theme);
    let theme_rel = Path::new("themes").join(theme);
    // themes/ or the theme's folder may be links; wherever they lead must be in the dossier.
    for (rel, full) in [
        (PathBuf::from("themes"), root.join("themes")),
        (theme_rel.clone(), theme_dir.clone()),
    ] {
        if let Some(target) = fsutil::outside_link(&inside, &full) {
            return Err(vec![Diagnostic::link_outside(&rel, &target)]);
        }
    }
    let templates = Links::Follow(&inside);
    if theme_dir.is_dir() {
        let config_path = theme_rel.join("theme.toml");
        if let Some(target) = fsutil::outside_link(&inside, &root.join(&config_path)) {
            return Err(vec![Diagnostic::link_outside(&config_path, &target)]);
        }
        match fsutil::read_to_string(&root.join(&config_path)) {
            Ok(text) => {
                if let Err(e) = toml::from_str::<ThemeConfig>(&text) {
                    problems.push(Diagnostic::from_toml(
                        &config_path,
                        &text,
                        0,
                        &e,
                        "theme.toml",
                    ));
                }
            }
            Err(e) => problems.push(
                Diagnostic::error(format!(
                    "theme `{theme}` has no readable theme.toml: {}",
                    e.source
                ))
                .hint(format!(
                    "create {} with at least `name = \"{theme}\"`",
                    config_path.display()
                )),
            ),
        }
        read_tree(
            root,
            &theme_rel.join("templates"),
            templates,
            &mut |rel, name, bytes| {
                add_template(&mut files, &mut problems, rel, name, bytes);
            },
        )
        .map_err(|e| vec![e])?;
        read_tree(
            root,
            &theme_rel.join("static"),
            Links::Skip(&inside),
            &mut |_, name, bytes| {
                static_files.insert(name, bytes);
            },
        )
        .map_err(|e| vec![e])?;
    } else if theme == BUILTIN_THEME {
        let label = PathBuf::from("<built-in briefing theme>");
        for (name, bytes) in embedded_files(&BRIEFING, "templates") {
            add_template(
                &mut files,
                &mut problems,
                label.join("templates").join(&name),
                name,
                bytes,
            );
        }
        static_files.extend(embedded_files(&BRIEFING, "static"));
    } else {
        let available = std::fs::read_dir(root.join("themes"))
            .map(|entries| {
                let mut names: Vec<String> = entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect();
                names.sort();
                names
            })
            .unwrap_or_default();
        let hint = if available.is_empty() {
            format!("use the built-in theme: theme = \"{BUILTIN_THEME}\"")
        } else {
            format!(
                "themes here: {}; or the built-in `{BUILTIN_THEME}`",
                available.join(", ")
            )
        };
        return Err(vec![
            Diagnostic::error(format!(
                "theme `{theme}` not found: there is no folder themes/{theme}"
            ))
            .hint(hint),
        ]);
    }

    // The dossier's own templates and static files override the theme's.
    read_tree(
        root,
        Path::new("templates"),
        templates,
        &mut |rel, name, bytes| {
            add_template(&mut files, &mut problems, rel, name, bytes);
        },
    )
    .map_err(|e| vec![e])?;
    read_tree(
        root,
        Path::new("static"),
        Links::Skip(&inside),
        &mut |_, name, bytes| {
            static_files.insert(name, bytes);
        },
    )
    .map_err(|e| vec![e])?;

    for required in REQUIRED_TEMPLATES {
        if !files.contains_key(*required) {
            problems.push(
                Diagnostic::error(format!("theme `{theme}` has no template `{required}`")).hint(
                    format!("add templates/{required} to the theme or to the dossier"),
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut tera = Tera::new();
    tera.set_escape_fn(escape_markup);
    let sources = files
        .iter()
        .map(|(name, file)| (name.clone(), file.text.clone()));
    if let Err(e) = tera.add_raw_templates(sources) {
        return Err(vec![template_error(&files, &e, None)]);
    }
    Ok(Theme {
        tera,
        files,
        static_files,
    })
}

fn add_template(
    files: &mut BTreeMap<String, TemplateFile>,
    problems: &mut Vec<Diagnostic>,
    path: PathBuf,
    name: String,
    bytes: Vec<u8>,
) {
    match String::from_utf8(bytes) {
        Ok(text) => {
            files.insert(name, TemplateFile { text, path });
        }
        Err(_) => problems.push(
            Diagnostic::error(format!("template `{}` is not valid UTF-8", path.display()))
                .at(Location::file_start(&path, None)),
        ),
    }
}

/// Tera's HTML escaping, without the control characters HTML cannot carry (a title may hold
/// them through a TOML escape such as `\u001b`).
fn escape_markup(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    tera::escape_html(&crate::diagnostics::strip_controls(input), out)
}

/// The files of the built-in theme, by path relative to its folder (for `dossier new`).
pub fn builtin_theme_files() -> Vec<(PathBuf, &'static [u8])> {
    let mut out = Vec::new();
    let mut stack: Vec<&'static Dir<'static>> = vec![&BRIEFING];
    while let Some(dir) = stack.pop() {
        out.extend(dir.files().map(|f| (f.path().to_path_buf(), f.contents())));
        stack.extend(dir.dirs());
    }
    out.sort();
    out
}

/// What `read_tree` does with a symbolic link inside the folder it reads. Either way the
/// folder itself may be a link only to somewhere in the dossier (the canonical root given).
#[derive(Clone, Copy)]
enum Links<'a> {
    /// Read the file it leads to when that is in the dossier; a link out is an error.
    Follow(&'a Path),
    /// Leave it out: static files are copied as they are, links not followed.
    Skip(&'a Path),
}

/// Call `visit(path relative to root, name relative to dir with `/`, bytes)` for every file
/// under `root/dir`, skipping hidden files and editor leftovers. A missing dir is empty.
fn read_tree(
    root: &Path,
    dir: &Path,
    links: Links<'_>,
    visit: &mut dyn FnMut(PathBuf, String, Vec<u8>),
) -> Result<(), Diagnostic> {
    let full = root.join(dir);
    let (Links::Follow(inside) | Links::Skip(inside)) = links;
    if let Some(target) = fsutil::outside_link(inside, &full) {
        return Err(Diagnostic::link_outside(dir, &target));
    }
    if !full.is_dir() {
        return Ok(());
    }
    let walk = walkdir::WalkDir::new(&full)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !crate::load::content::load::is_ignored(e.file_name()));
    for entry in walk {
        let entry =
            entry.map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        let name_path = entry.path().strip_prefix(&full).unwrap_or(entry.path());
        let rel = dir.join(name_path);
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            let Links::Follow(inside) = links else {
                continue;
            };
            if let Some(target) = fsutil::outside_link(inside, entry.path()) {
                return Err(Diagnostic::link_outside(&rel, &target));
            }
            if !entry.path().is_file() {
                continue;
            }
        } else if !file_type.is_file() {
            continue;
        }
        let name = name_path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = fsutil::read(entry.path()).map_err(|e| Diagnostic::error(e.to_string()))?;
        visit(rel, name, bytes);
    }
    Ok(())
}

/// Files of an embedded folder, by path relative to it.
fn embedded_files(root: &'static Dir<'static>, sub: &str) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack: Vec<&Dir<'_>> = root.get_dir(sub).into_iter().collect();
    while let Some(dir) = stack.pop() {
        for file in dir.files() {
            let rel = file.path().strip_prefix(sub).unwrap_or(file.path());
            let name = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, file.contents().to_vec()));
        }
        stack.extend(dir.dirs());
    }
    out.sort();
    out
}

/// A Tera error as a diagnostic located in the template file, naming the page being rendered.
fn template_error(
    files: &BTreeMap<String, TemplateFile>,
    error: &tera::Error,
    page: Option<&str>,
) -> Diagnostic {
    let while_rendering = page
        .map(|p| format!(" while rendering page `/{p}`"))
        .unwrap_or_default();
    match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let message = format!("template error{while_rendering}: {}", report.message());
            let diagnostic = Diagnostic::error(message);
            match files.get(report.filename()) {
                Some(file) => diagnostic.at(Location::at_offset(
                    &file.path,
                    &file.text,
                    report.span().range.start,
                )),
                None => diagnostic.hint(format!("in template `{}`", report.filename())),
            }
        }
        // Unknown filters, tests and includes come as rustc-style text: find its location.
        ErrorKind::Msg(text) => match parse_report(text) {
            Some((message, name, line, col)) => {
                let diagnostic =
                    Diagnostic::error(format!("template error{while_rendering}: {message}"));
                match files.get(name) {
                    Some(file) => {
                        let mut location = Location::at_line(&file.path, &file.text, line);
                        location.col = col;
                        diagnostic.at(location)
                    }
                    None => diagnostic.hint(format!("in template `{name}`, line {line}")),
                }
            }
            None => Diagnostic::error(format!("template error{while_rendering}: {text}")),
        },
        _ => Diagnostic::error(format!("template error{while_rendering}: {error}")),
    }
}

/// The first message and `--> name:line:col` of a text report such as Tera writes.
fn parse_report(text: &str) -> Option<(&str, &str, usize, usize)> {
    let message = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("error: "))?;
    let place = text.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let col = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.trim().parse().ok()?;
    let name = parts.next()?;
    Some((message, name, line, col))
}

impl Theme {
    /// Render `template` with `context` for the page at `page` (used in error messages).
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        page: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|e| template_error(&self.files, &e, Some(page)))
    }

    /// Names of the templates loaded, sorted.
    pub fn template_names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}
