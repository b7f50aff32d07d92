//! The pipeline: load (config + content) → resolve (references, quotations, backlinks,
//! timeline, taxonomies) → render (Markdown, templates) → write (atomic output).
//! `check` runs every stage but the write; `build` runs them all.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::diagnostics::{self, Diagnostic, Location};
use crate::fsutil::{self, IoError};
use crate::load::config::{CONFIG_FILE, SiteConfig};
use crate::load::content::load::{Content, load_content};
use crate::load::content::{Dossier, Drafts, Page};
use crate::progress::Progress;
use crate::render::highlight;
use crate::render::pages::{PageKey, RenderError, Rendered, Scope, render_site};
use crate::render::search;
use crate::render::sink::{Collect, Discard, OutputFile, Sink};
use crate::render::templates::{Theme, load_theme};
use crate::resolve::site::{Site, resolve_site};
use crate::write::output::{self, MARKER_FILE, Occupant, Staging};

/// What `build` and `check` are asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The dossier folder.
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Override site.toml's `base_url`.
    pub base_url: Option<String>,
}

/// Why a run failed.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// The command was pointed at something that is not a dossier, or given bad arguments.
    #[error("{0}")]
    Usage(String),
    /// The dossier has errors; the list holds every diagnostic, warnings included, in order.
    #[error("the dossier has errors")]
    Content(Vec<Diagnostic>),
    /// Writing the output failed.
    #[error(transparent)]
    Io(#[from] IoError),
}

/// What a successful run reports.
#[derive(Debug, Clone)]
pub struct Report {
    /// Warnings, in order.
    pub warnings: Vec<Diagnostic>,
    /// Counts for the summary line.
    pub stats: Stats,
    /// Where the site was written (build only).
    pub output_dir: Option<PathBuf>,
}

/// Counts of a run.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Files written (pages and static files).
    pub files: usize,
    /// HTML pages.
    pub pages: usize,
    /// Sources.
    pub sources: usize,
    /// Summaries.
    pub summaries: usize,
    /// Events.
    pub events: usize,
    /// Citations.
    pub citations: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Wall time of each stage, in order: load, resolve, render (with writing, for build),
    /// replace.
    pub stages: Vec<(&'static str, Duration)>,
}

/// A dossier loaded and resolved, with its theme: everything before rendering.
pub struct Resolved {
    /// The resolved site.
    pub site: Site,
    /// The theme, compiled.
    pub theme: Theme,
    /// Warnings so far.
    pub warnings: Vec<Diagnostic>,
    /// The base URL in effect.
    pub base_url: String,
    /// Wall time of the stages so far.
    pub stages: Vec<(&'static str, Duration)>,
}

/// Load and resolve the dossier at `options.root`, and compile its theme. Every error of every
/// stage is collected before giving up.
pub fn resolve(options: &Options) -> Result<Resolved, Failure> {
    let started = Instant::now();
    let root = &options.root;
    let (config, mut problems) = load_config(root)?;
    let (content, mut content_problems) = load_content(root);
    problems.append(&mut content_problems);
    let theme = theme_for(root, config.as_ref());
    let (dossier, config_ok) = assemble(config, content, options.drafts);
    let loaded = Instant::now();
    let (site, mut site_problems) = resolve_site(dossier, config_ok, &mut Default::default());
    let stages = vec![("load", loaded - started), ("resolve", loaded.elapsed())];
    problems.append(&mut site_problems);
    match (gate(options, &site, problems, theme.as_ref()), theme) {
        (Ok(Gate { base_url, warnings }), Some(Ok(theme))) => Ok(Resolved {
            site,
            theme,
            warnings,
            base_url,
            stages,
        }),
        (Err(problems), _)
        | (
            Ok(Gate {
                warnings: problems, ..
            }),
            _,
        ) => Err(Failure::Content(problems)),
    }
}

/// The theme a dossier renders with: the one site.toml names, with the dossier's overrides.
/// None while site.toml is broken: the theme it names is unknown, and guessing one would
/// report errors of a theme the dossier may not use. `build`, `check` and `serve` all ask here.
pub fn theme_for(
    root: &Path,
    config: Option<&SiteConfig>,
) -> Option<Result<Theme, Vec<Diagnostic>>> {
    config.map(|c| load_theme(root, &c.theme))
}

/// What rendering goes on with: the base URL in effect and every warning so far.
#[derive(Debug, Clone)]
pub struct Gate {
    /// The base URL in effect (see `effective_base_url`).
    pub base_url: String,
    /// Warnings of every stage before rendering, sorted, the missing-`base_url` one last.
    pub warnings: Vec<Diagnostic>,
}

/// The one rule, for `build`, `check` and `serve`, of what stands between resolving and
/// rendering: the diagnostics of loading and resolving (`problems`) and of the theme, sorted;
/// an error, or no theme, stops the run (`Err`: every diagnostic, warnings included);
/// otherwise the missing-`base_url` warning joins the others.
pub fn gate(
    options: &Options,
    site: &Site,
    mut problems: Vec<Diagnostic>,
    theme: Option<&Result<Theme, Vec<Diagnostic>>>,
) -> Result<Gate, Vec<Diagnostic>> {
    match theme {
        Some(Err(theme_problems)) => problems.extend(theme_problems.iter().cloned()),
        Some(Ok(theme)) => problems.extend(static_collisions(&options.root, site, theme)),
        None => {}
    }
    diagnostics::sort(&mut problems);
    if !matches!(theme, Some(Ok(_))) || problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let base_url = effective_base_url(options, site);
    if base_url.is_empty() {
        problems.push(
            Diagnostic::warning("no base_url: the feed and the sitemap will have root-relative addresses, which feed readers and search engines cannot use")
                .at(Location::file_start(Path::new(CONFIG_FILE), None))
                .hint("set base_url in site.toml to the address the site is published at, or pass --base-url"),
        );
    }
    Ok(Gate {
        base_url,
        warnings: problems,
    })
}

/// The one rule of template errors, for `build`, `check` and `serve`: sorted, the same error
/// repeated on every page of a kind reported once, the run's warnings among them.
pub fn collapse_render_errors(
    mut problems: Vec<Diagnostic>,
    warnings: &[Diagnostic],
) -> Vec<Diagnostic> {
    diagnostics::sort(&mut problems);
    problems.dedup_by(|a, b| a.location == b.location && a.location.is_some());
    problems.extend(warnings.iter().cloned());
    diagnostics::sort(&mut problems);
    problems
}

/// The base URL in effect: `--base-url`, else site.toml's, without a trailing slash.
pub fn effective_base_url(options: &Options, site: &Site) -> String {
    options
        .base_url
        .clone()
        .unwrap_or_else(|| site.dossier.config.base_url.clone())
        .trim_end_matches('/')
        .to_string()
}

/// Read and check `site.toml`. A missing root or file is a usage error; a broken file gives
/// no config and its diagnostics (so the content can still be checked in the same run).
pub fn load_config(root: &Path) -> Result<(Option<SiteConfig>, Vec<Diagnostic>), Failure> {
    if !root.is_dir() {
        return Err(Failure::Usage(format!(
            "`{}` is not a folder",
            root.display()
        )));
    }
    let config_path = root.join(CONFIG_FILE);
    if !config_path.is_file() {
        return Err(Failure::Usage(format!(
            "`{}` is not a dossier: it has no {CONFIG_FILE} (create one with `dossier new DIR`, or point --root at a dossier)",
            root.display()
        )));
    }
    let bytes = fsutil::read(&config_path).map_err(|e| Failure::Usage(e.to_string()))?;
    // Bad bytes are the author's to fix, like any other error in the file: located at the
    // first one, and the content still checked in the same run.
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            // The prefix up to the bad byte is valid, so offsets in the lossy copy match.
            let lossy = String::from_utf8_lossy(e.as_bytes());
            let problem = Diagnostic::error(format!("`{CONFIG_FILE}` is not valid UTF-8"))
                .at(Location::at_offset(Path::new(CONFIG_FILE), &lossy, offset))
                .hint("save the file as UTF-8; the first byte that is not UTF-8 is marked");
            return Ok((None, vec![problem]));
        }
    };
    let config = match SiteConfig::parse(&text) {
        Ok(config) => config,
        Err(problems) => return Ok((None, problems)),
    };
    let theme = config.markdown.highlight_theme.get_ref();
    if highlight::stylesheet(theme).is_none() {
        let problem = Diagnostic::error(format!("unknown highlight_theme `{theme}`"))
            .at(Location::at_offset(
                Path::new(CONFIG_FILE),
                &text,
                config.markdown.highlight_theme.span().start,
            ))
            .hint(format!(
                "available: {}",
                highlight::theme_names().join(", ")
            ));
        return Ok((Some(config), vec![problem]));
    }
    let notes = if config.markdown.raw_html {
        vec![raw_html_note(&text)]
    } else {
        Vec::new()
    };
    Ok((Some(config), notes))
}

/// The one note `raw_html = true` earns: it is allowed, and it publishes whatever HTML the
/// Markdown holds, scripts included, so every run says so once, at the key.
fn raw_html_note(text: &str) -> Diagnostic {
    let at = crate::load::config::table_key_offset(text, "markdown", "raw_html");
    Diagnostic::warning(
        "raw_html = true: HTML in Markdown is published as written, <script> elements and event handlers included",
    )
    .at(Location::at_offset(Path::new(CONFIG_FILE), text, at))
    .hint("keep it only if everyone who writes this dossier's Markdown is trusted; without it, HTML is shown as text")
}

/// Put a dossier together from its config and content, drafts set aside unless `drafts`.
/// Works even when site.toml or the brief is broken — their errors are already collected, and
/// the author should see every other error in the same run. Returns whether the config is real.
pub fn assemble(config: Option<SiteConfig>, content: Content, drafts: bool) -> (Dossier, bool) {
    let config_ok = config.is_some();
    let (summaries, draft_summaries) = split_drafts(content.summaries, drafts);
    let (events, draft_events) = split_drafts(content.events, drafts);
    let dossier = Dossier {
        config: config.unwrap_or_else(SiteConfig::fallback),
        index: content.index.unwrap_or_else(Page::placeholder_index),
        sources: content.sources,
        summaries,
        events,
        drafts: Drafts {
            summaries: draft_summaries,
            events: draft_events,
        },
        broken: content.broken,
    };
    (dossier, config_ok)
}

/// Published pages, and the drafts left out (none are left out with `drafts`).
pub fn split_drafts(pages: Vec<Page>, drafts: bool) -> (Vec<Page>, Vec<Page>) {
    if drafts {
        return (pages, Vec::new());
    }
    let (drafted, published) = pages.into_iter().partition(|p| p.meta.draft);
    (published, drafted)
}

/// Render a resolved dossier into `sink`.
pub fn render_into(
    resolved: &Resolved,
    scope: Scope,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<Rendered, Failure> {
    render_site(
        &resolved.site,
        &resolved.theme,
        &resolved.base_url,
        scope,
        progress,
        sink,
    )
    .map_err(|e| match e {
        RenderError::Io(e) => Failure::Io(e),
        RenderError::Templates(problems) => {
            Failure::Content(collapse_render_errors(problems, &resolved.warnings))
        }
    })
}

/// Render a resolved dossier to files in memory, sorted by path.
pub fn render(resolved: &Resolved, progress: &dyn Progress) -> Result<Vec<OutputFile>, Failure> {
    let files = Collect::default();
    render_into(resolved, Scope::All, progress, &files)?;
    Ok(files.into_files())
}

/// `dossier check`: every verification `build` makes — every page rendered through its
/// template — with nothing written.
pub fn check(options: &Options, progress: &dyn Progress) -> Result<Report, Failure> {
    let started = Instant::now();
    let resolved = resolve(options)?;
    let rendering = Instant::now();
    let rendered = render_into(&resolved, Scope::Verify, progress, &Discard)?;
    let mut report = report(&resolved, rendered, started, None);
    report.stats.stages.push(("render", rendering.elapsed()));
    free_in_background(resolved);
    Ok(report)
}

/// Where `build` writes, and what it may replace there.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// `--output`: anywhere (relative to the current folder). Without it, site.toml's
    /// `output_dir`, which must stay inside the dossier.
    pub dir: Option<PathBuf>,
    /// `--force`: replace an existing folder dossier did not write. Never the dossier itself.
    pub force: bool,
}

/// `dossier build`: check, then write the site to the output folder, replacing the previous
/// output atomically. Files are written to a staging folder as they are rendered, so the site
/// never sits whole in memory. An existing folder is replaced only when it is empty, was
/// written by dossier, or `force` is set.
pub fn build(
    options: &Options,
    output: &OutputOptions,
    progress: &dyn Progress,
) -> Result<Report, Failure> {
    let started = Instant::now();
    let resolved = resolve(options)?;
    let config_dir = &resolved.site.dossier.config.output_dir;
    let out_dir = match &output.dir {
        Some(dir) => dir.clone(),
        None => options.root.join(config_dir),
    };
    let from_config = output.dir.is_none().then_some(config_dir.as_path());
    let real_out = guard_output_dir(&options.root, &out_dir, from_config, output.force)?;
    let rendering = Instant::now();
    let staging = Staging::new(&real_out)?;
    let rendered = render_into(&resolved, Scope::All, progress, &staging)?;
    let committing = Instant::now();
    let leftovers = staging.commit()?;
    let mut report = report(&resolved, rendered, started, Some(out_dir));
    report.warnings.extend(leftovers.into_iter().map(|e| {
        Diagnostic::warning(format!(
            "the site was written, but a leftover folder could not be removed: {e}"
        ))
        .hint("remove it by hand; the next build tries again")
    }));
    report.stats.stages.extend([
        ("render and write", committing - rendering),
        ("replace", committing.elapsed()),
    ]);
    free_in_background(resolved);
    Ok(report)
}

/// Free the resolved dossier on a thread of its own: ten thousand sources take a while to
/// free, and the command's answer need not wait for it (nor, at exit, the process).
fn free_in_background(resolved: Resolved) {
    std::thread::spawn(move || drop(resolved));
}

fn report(
    resolved: &Resolved,
    rendered: Rendered,
    started: Instant,
    output_dir: Option<PathBuf>,
) -> Report {
    let d = &resolved.site.dossier;
    Report {
        warnings: resolved.warnings.clone(),
        stats: Stats {
            files: rendered.files,
            pages: rendered.pages,
            sources: d.sources.len(),
            summaries: d.summaries.len(),
            events: d.events.len(),
            citations: resolved.site.graph.citations.len(),
            elapsed: started.elapsed(),
            stages: resolved.stages.clone(),
        },
        output_dir,
    }
}

/// Check the output folder and return its real path, the one to replace. Refused, whatever
/// `force` says: the dossier root, a folder holding it, anything inside its content,
/// templates, static files or themes, the current folder or one holding it, a link, a file,
/// and a site.toml `output_dir` that leads out of the dossier through a link (`from_config`:
/// site.toml's value; its other ways out are caught with their line when it is parsed).
/// Refused unless `force`: an existing, non-empty folder without dossier's marker file.
fn guard_output_dir(
    root: &Path,
    out_dir: &Path,
    from_config: Option<&Path>,
    force: bool,
) -> Result<PathBuf, Failure> {
    let shown = out_dir.display();
    let refuse =
        |why: String| Failure::Usage(format!("refusing to write the site to `{shown}`: {why}"));
    let out_real = output::resolve_output(out_dir).map_err(|e| refuse(e.to_string()))?;
    let root_real = std::fs::canonicalize(root)
        .map_err(|e| Failure::Usage(format!("cannot resolve `{}`: {e}", root.display())))?;
    let protected = ["content", "templates", "static", "themes"];
    if root_real.starts_with(&out_real)
        || protected
            .iter()
            .any(|p| out_real.starts_with(root_real.join(p)))
    {
        return Err(refuse(
            "building replaces that folder, and it holds the dossier itself".into(),
        ));
    }
    if let Some(config_dir) = from_config.filter(|_| !out_real.starts_with(&root_real)) {
        return Err(Failure::Usage(format!(
            "output_dir `{}` in {CONFIG_FILE} leads out of the dossier, to `{}`, through a symbolic link\n  \
             = help: point output_dir at a folder inside the dossier, or pass --output to build elsewhere",
            config_dir.display(),
            out_real.display()
        )));
    }
    let cwd = std::env::current_dir().and_then(std::fs::canonicalize);
    if cwd.is_ok_and(|cwd| cwd.starts_with(&out_real)) {
        return Err(refuse(
            "building replaces that folder, and the current folder is in it\n  = help: run the command from another folder, or choose another output".into(),
        ));
    }
    let occupant = output::occupant(&out_real).map_err(|e| refuse(e.to_string()))?;
    if let (Occupant::Foreign { entries, names }, false) = (occupant, force) {
        let more = if entries > names.len() { ", …" } else { "" };
        let elsewhere = if from_config.is_some() {
            "set another output_dir in site.toml, or pass --output"
        } else {
            "choose another --output"
        };
        return Err(refuse(format!(
            "that folder was not written by dossier (it has no {MARKER_FILE} file), and building would delete what is in it: {entries} {} ({}{more})\n  \
             = help: {elsewhere}, empty the folder, or pass --force to replace it and everything in it",
            if entries == 1 { "entry" } else { "entries" },
            names.join(", "),
        )));
    }
    Ok(out_real)
}

/// Static files that collide with what the site generates. A file where the site needs a
/// folder (`static/timeline`, as `timeline/index.html` is generated), or a folder where it
/// writes a file (`static/robots.txt/x`), would fail the build halfway: an error, found by
/// `check` too. A file of the same path as a generated one replaces it (a hand-written
/// `robots.txt`): a warning, unless site.toml lists it in `static_overrides`. Listed paths
/// that replace nothing are a warning too, so a renamed page does not leave a stale entry.
fn static_collisions(root: &Path, site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    use std::collections::{BTreeSet, HashMap};
    // Every generated file, and every folder they need, with one file it holds.
    let mut files: HashMap<String, PageKey> = HashMap::new();
    let mut folders: HashMap<String, String> = HashMap::new();
    for key in PageKey::all(site) {
        let file = key.file(site);
        let mut end = file.len();
        while let Some(slash) = file[..end].rfind('/') {
            if folders
                .insert(file[..slash].to_string(), file.clone())
                .is_some()
            {
                break;
            }
            end = slash;
        }
        files.insert(file, key);
    }
    // The search index's files are named by the words of the dossier, so only their folders
    // are known before a build: `search/s/` and `search/r/`.
    for folder in [
        format!("{}/s", search::FOLDER),
        format!("{}/r", search::FOLDER),
    ] {
        folders.insert(folder.clone(), format!("{folder}/…"));
    }
    let intended: BTreeSet<&str> = site
        .dossier
        .config
        .static_overrides
        .iter()
        .map(|entry| entry.get_ref().trim_start_matches('/'))
        .collect();
    let shown = |name: &str| {
        let own = Path::new("static").join(name);
        if root.join(&own).is_file() {
            own
        } else {
            Path::new("themes")
                .join(&site.dossier.config.theme)
                .join("static")
                .join(name)
        }
    };
    let mut problems = Vec::new();
    let mut overriding = BTreeSet::new();
    for name in theme.static_files.keys() {
        let at = Location::file_start(&shown(name), None);
        if let Some(inside) = folders.get(name.as_str()) {
            problems.push(
                Diagnostic::error(format!(
                    "static file `{name}` is where the site needs a folder: it writes `{inside}`"
                ))
                .at(at)
                .hint(
                    "static files are copied to the same path in the site: rename or move this one",
                ),
            );
            continue;
        }
        let mut end = name.len();
        let mut blocked = false;
        while let Some(slash) = name[..end].rfind('/') {
            let folder = &name[..slash];
            if files.contains_key(folder) || search::is_index_file(folder) {
                problems.push(
                    Diagnostic::error(format!(
                        "static file `{name}` needs a folder `{folder}/`, but the site writes the file `{folder}` there"
                    ))
                    .at(at.clone())
                    .hint("static files are copied to the same path in the site: move this one"),
                );
                blocked = true;
                break;
            }
            end = slash;
        }
        if blocked {
            continue;
        }
        let generated = files
            .get(name.as_str())
            .map(|key| format!("the page `{}`", key.path(site)))
            .or_else(|| search::is_index_file(name).then(|| "a file of the search index".into()));
        if let Some(generated) = generated {
            overriding.insert(name.as_str());
            if !intended.contains(name.as_str()) {
                problems.push(
                    Diagnostic::warning(format!(
                        "static file `{name}` replaces {generated}, which the site generates"
                    ))
                    .at(at)
                    .hint(format!(
                        "if that is intended, say so in site.toml: static_overrides = [\"{name}\"]; otherwise rename the file"
                    )),
                );
            }
        }
    }
    let stale: Vec<_> = site
        .dossier
        .config
        .static_overrides
        .iter()
        .filter(|entry| !overriding.contains(entry.get_ref().trim_start_matches('/')))
        .collect();
    if !stale.is_empty() {
        let text = fsutil::read_to_string(&root.join(CONFIG_FILE)).unwrap_or_default();
        for entry in stale {
            problems.push(
                Diagnostic::warning(format!(
                    "static_overrides lists `{}`, but no static file replaces a generated page there",
                    entry.get_ref()
                ))
                .at(Location::at_offset(
                    Path::new(CONFIG_FILE),
                    &text,
                    entry.span().start,
                ))
                .hint("write the path as it is under static/ (e.g. `robots.txt`, `sources/ID/index.html`), or remove the entry"),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_may_not_swallow_the_dossier() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let root = tmp.path().join("dossier");
        std::fs::create_dir_all(root.join("content"))?;
        for force in [false, true] {
            let guard = |out: &Path| guard_output_dir(&root, out, None, force);
            assert!(guard(&root).is_err());
            assert!(guard(&root.join("..")).is_err());
            assert!(guard(&root.join("content")).is_err());
            assert!(guard(&root.join("content/x")).is_err());
            assert!(guard(&root.join("public")).is_ok());
            assert!(guard(&root.join("../elsewhere-out")).is_ok());
        }
        Ok(())
    }
}
