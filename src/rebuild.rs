//! Incremental rebuilds, for `serve`: the site stays in memory; a change re-reads only the
//! files that changed, resolves the dossier again, and re-renders only the pages that read
//! what changed. Which pages those are is recorded as each page is rendered (the keys its
//! views read, `render::view::reads`), never declared; a change's keys are found by
//! comparing the site before and after it (`touched_keys`). A change to site.toml, a
//! template or a static file renders everything. The result is byte-identical to a full
//! build (tests pin it).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::load::config::{CONFIG_FILE, SiteConfig};
use crate::load::content::load::{Layout, Reuse, load_layout, scan_content};
use crate::load::content::{Dossier, Page, PageKind, Source, TermRef, terms_by_taxonomy};
use crate::pipeline::{
    Failure, Gate, Options, assemble, collapse_render_errors, gate, load_config, theme_for,
};
use crate::render::pages::{PageKey, Renderer, static_files};
use crate::render::search;
use crate::render::sink::OutputFile;
use crate::render::templates::Theme;
use crate::render::view::reads::{Key, source_order_key, summary_order_key};
use crate::resolve::analysis::Analysis;
use crate::resolve::site::{Site, resolve_site};
use crate::resolve::taxonomy::Taxonomy;
use crate::resolve::timeline::Timeline;
use crate::resolve::xref::{self, Citation, DocId, DocKey, Graph, LinkTarget};
use crate::slug::slugify;

/// A piece of content that pages read, by its stable name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Item {
    /// `content/_index.md`.
    Index,
    /// A source (either of its files).
    Source(String),
    /// A summary.
    Summary(String),
    /// An event.
    Event(String),
}

/// What a set of changed files calls for.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The content items whose files changed (added, edited or removed).
    pub items: BTreeSet<Item>,
    /// site.toml changed.
    pub config: bool,
    /// A template, theme or static file changed: every page renders again.
    pub theme: bool,
    /// The changed files, relative to the root.
    pub files: BTreeSet<PathBuf>,
    /// A watched folder itself came, went or was replaced, or the watcher lost track of
    /// events: everything is read again, as at the start (see `Session::rebuild`).
    pub rescan: bool,
}

impl Changes {
    /// Classify changed paths (relative to the dossier root).
    pub fn from_paths(paths: impl IntoIterator<Item = PathBuf>) -> Changes {
        let mut changes = Changes::default();
        for path in paths {
            let parts: Vec<String> = path
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let stem = || {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            };
            match parts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                [f] if *f == CONFIG_FILE => changes.config = true,
                // The folder itself: moved away, back, or replaced by a copy.
                ["content" | "templates" | "static" | "themes"] => changes.rescan = true,
                ["content", "_index.md"] => {
                    changes.items.insert(Item::Index);
                }
                ["content", "sources", _] => {
                    changes.items.insert(Item::Source(stem()));
                }
                ["content", "summaries", _] => {
                    changes.items.insert(Item::Summary(stem()));
                }
                ["content", "events", _] => {
                    changes.items.insert(Item::Event(stem()));
                }
                // Anything else under content/ (a stray file, a new folder) changes no page,
                // but the walk will report it.
                ["content", ..] => {}
                ["templates" | "static" | "themes", ..] => changes.theme = true,
                _ => {}
            }
            changes.files.insert(path);
        }
        changes
    }

    /// Whether anything a build reads changed.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && !self.config
            && !self.theme
            && !self.rescan
            && self.files.is_empty()
    }
}

/// The rendered site, in memory: output path → bytes.
pub type Pages = BTreeMap<String, Arc<[u8]>>;

/// What a rebuild did.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// The site was rebuilt; `changed` lists the output paths whose bytes changed (added,
    /// edited or removed).
    Rebuilt {
        /// Output paths that changed.
        changed: Vec<String>,
        /// Files rendered: pages, and static files when everything was.
        rendered: usize,
        /// How many of `changed` are files that no longer exist (the others were rendered).
        removed: usize,
        /// Warnings.
        warnings: Vec<Diagnostic>,
        /// Wall time.
        elapsed: Duration,
    },
    /// The dossier has errors; the previous pages are kept.
    Failed {
        /// Every diagnostic, warnings included.
        diagnostics: Vec<Diagnostic>,
        /// Wall time.
        elapsed: Duration,
    },
}

/// A dossier kept in memory between rebuilds.
pub struct Session {
    options: Options,
    config: Option<SiteConfig>,
    config_problems: Vec<Diagnostic>,
    /// The theme, as `pipeline::theme_for` loads it: none while site.toml is broken.
    theme: Option<Result<Theme, Vec<Diagnostic>>>,
    /// The base URL and the warnings of the last build that got as far as rendering.
    gate: Option<Gate>,
    /// The files of `content/`, as last walked.
    layout: Layout,
    /// Documents resolved before, reused while they and their sources are unchanged.
    resolved: xref::Cache,
    site: Site,
    pages: Pages,
    /// Output files of the pages that must be rendered at the next successful build (changes
    /// accumulate while the dossier has errors).
    pending: BTreeSet<String>,
    /// Every page must be rendered at the next successful build.
    pending_all: bool,
    /// Output paths of the static files (theme, dossier, highlighting), as last built.
    static_paths: BTreeSet<String>,
    /// The search index lags behind the pages (see `refresh_search`).
    search_stale: bool,
    /// Output files of pages that show the whole dossier (the print edition, the feed, the
    /// sitemap) that a rebuild left for `render_lagging`.
    lagging: BTreeSet<String>,
    /// Whether the last build succeeded, so the pages match `site`.
    healthy: bool,
    /// The ids and slugs of `site`, to compare with the next rebuild's.
    shape: Shape,
    /// Which pages read which keys, as last rendered.
    deps: Deps,
    /// Every page of `site`, by output file and by path; kept while no page comes or goes.
    page_index: Option<PageIndex>,
    /// A rebuild gave up before taking in its changes (site.toml gone, the root unreadable):
    /// the next one reads everything again, so no change is lost.
    must_rescan: bool,
}

/// Every page of a site, looked up by output file.
struct PageIndex {
    files: BTreeMap<String, PageKey>,
}

impl PageIndex {
    fn of(site: &Site) -> PageIndex {
        let keys = PageKey::all(site);
        PageIndex {
            files: keys.iter().map(|&k| (k.file(site), k)).collect(),
        }
    }
}

impl Session {
    /// Load and build the dossier. The first build may fail; the session then serves nothing
    /// until a change fixes it.
    pub fn start(options: Options) -> Result<(Session, Outcome), Failure> {
        let (mut session, mut outcome) = Session::load(options, Pages::new(), Instant::now())?;
        if let Outcome::Rebuilt { changed, .. } = &mut outcome {
            changed.extend(session.refresh_search());
        }
        Ok((session, outcome))
    }

    /// Read and build everything, comparing with `pages` (what is served): the start, and
    /// the rescan after a folder came, went or was replaced. The search index is left stale.
    fn load(
        options: Options,
        pages: Pages,
        started: Instant,
    ) -> Result<(Session, Outcome), Failure> {
        let (config, config_problems) = load_config(&options.root)?;
        let theme = theme_for(&options.root, config.as_ref());
        let layout = scan_content(&options.root);
        let (content, content_problems) =
            load_layout(&options.root, &layout, Reuse::default(), &|_| true);
        let (dossier, config_ok) = assemble(config.clone(), content, options.drafts);
        let mut resolved = xref::Cache::default();
        let shape = Shape::of(&dossier);
        let (site, site_problems) = resolve_site(dossier, config_ok, &mut resolved);
        let mut session = Session {
            options,
            config,
            config_problems,
            theme,
            gate: None,
            layout,
            resolved,
            site,
            pages,
            pending: BTreeSet::new(),
            pending_all: true,
            static_paths: BTreeSet::new(),
            search_stale: true,
            lagging: BTreeSet::new(),
            healthy: false,
            shape,
            deps: Deps::default(),
            page_index: None,
            must_rescan: false,
        };
        let outcome = session.finish(started, content_problems, site_problems);
        Ok((session, outcome))
    }

    /// Whether the search index lags behind the pages.
    pub fn search_is_stale(&self) -> bool {
        self.search_stale
    }

    /// Bring the search index up to date with the pages. `rebuild` leaves it for later, so an
    /// edited page is served without waiting for the whole dossier to be indexed again; `serve`
    /// does it once the files have been quiet for a moment. Returns the search files that
    /// changed.
    pub fn refresh_search(&mut self) -> Vec<String> {
        self.refresh_search_unless(&|| false).unwrap_or_default()
    }

    /// `refresh_search`, given up (`None`, the index still stale) as soon as `stop` says so.
    pub fn refresh_search_unless(
        &mut self,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<String>> {
        if !self.search_stale {
            return Some(Vec::new());
        }
        let files = search::index_files_unless(&search::records(&self.site), stop)?;
        self.search_stale = false;
        let fresh: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let mut changed: Vec<String> = self
            .pages
            .keys()
            .filter(|p| {
                search::is_index_file(p)
                    && !fresh.contains(p.as_str())
                    && !self.static_paths.contains(*p)
            })
            .cloned()
            .collect();
        for path in &changed {
            self.pages.remove(path);
        }
        let files = files
            .into_iter()
            .filter(|f| !self.static_paths.contains(&f.path))
            .collect();
        store(&mut self.pages, files, &mut changed);
        changed.sort();
        Some(changed)
    }

    /// Output files whose pages lag behind the dossier: `rebuild` leaves the pages that show
    /// all of it for `render_lagging`, which takes far longer than the pages a change is about.
    pub fn lagging(&self) -> &BTreeSet<String> {
        &self.lagging
    }

    /// Render the pages `rebuild` left behind. `serve` calls this after publishing a rebuild,
    /// as soon as no other change is waiting, and holds requests for these pages until then.
    pub fn render_lagging(&mut self) -> Outcome {
        let started = Instant::now();
        // A healthy session has its page index: the last build succeeded and kept it.
        let wanted = self.healthy && !self.lagging.is_empty();
        let (Some(Ok(theme)), Some(gate), Some(index), true) =
            (&self.theme, &self.gate, &self.page_index, wanted)
        else {
            return Outcome::Rebuilt {
                changed: Vec::new(),
                rendered: 0,
                removed: 0,
                warnings: Vec::new(),
                elapsed: started.elapsed(),
            };
        };
        let renderer = Renderer::new(&self.site, theme, &gate.base_url);
        let wanted: Vec<PageKey> = self
            .lagging
            .iter()
            .filter_map(|file| index.files.get(file).copied())
            .collect();
        let rendered = render_recorded(&renderer, &self.site, wanted.iter().copied());
        let (files, problems, reads) = split_results(rendered);
        if !problems.is_empty() {
            self.healthy = false;
            return Outcome::Failed {
                diagnostics: collapse_render_errors(problems, &gate.warnings),
                elapsed: started.elapsed(),
            };
        }
        self.lagging.clear();
        for (file, keys) in reads {
            self.deps.set(file, keys);
        }
        let mut changed = Vec::new();
        store(&mut self.pages, files, &mut changed);
        changed.sort();
        Outcome::Rebuilt {
            changed,
            rendered: wanted.len(),
            removed: 0,
            warnings: Vec::new(),
            elapsed: started.elapsed(),
        }
    }

    /// Bring everything up to date: the lagging pages, then the search index.
    pub fn settle(&mut self) -> Outcome {
        let outcome = self.render_lagging();
        self.refresh_search();
        outcome
    }

    /// The pages as last successfully built.
    pub fn pages(&self) -> &Pages {
        &self.pages
    }

    /// The dossier root.
    pub fn root(&self) -> &Path {
        &self.options.root
    }

    /// Apply changed files (paths relative to the root) and rebuild what they affect.
    pub fn rebuild(&mut self, changes: &Changes) -> Result<Outcome, Failure> {
        let result = self.apply(changes);
        if result.is_err() {
            self.must_rescan = true;
        }
        result
    }

    fn apply(&mut self, changes: &Changes) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let root = self.options.root.clone();
        // A folder under content/ that appeared, vanished or was replaced holds files the
        // changed paths do not name: read everything again, as a fresh start does.
        if changes.rescan || self.must_rescan || self.folder_changed(&changes.files) {
            let (session, outcome) =
                Session::load(self.options.clone(), self.pages.clone(), started)?;
            *self = session;
            return Ok(outcome);
        }
        if changes.config {
            let (config, problems) = load_config(&root)?;
            self.config = config;
            self.config_problems = problems;
        }
        if changes.config || changes.theme {
            self.theme = theme_for(&root, self.config.as_ref());
            self.pending_all = true;
        }

        // What the change may alter, from the site as it stood before it, to compare with the
        // site after it.
        let before_items: Vec<Option<ItemFacts>> = changes
            .items
            .iter()
            .map(|item| ItemFacts::of(&self.site.dossier, item))
            .collect();
        let before_shape = std::mem::take(&mut self.shape);
        let before_terms = term_slugs(&self.site);

        // Walk content/ again only if files appeared or vanished: the layout depends on names.
        let appeared_or_vanished = changes.files.iter().any(|f| {
            f.starts_with("content") && root.join(f).exists() != self.layout.paths.contains(f)
        });
        if appeared_or_vanished {
            self.layout = scan_content(&root);
        }
        let Site {
            dossier: old_dossier,
            timeline: old_timeline,
            graph: old_graph,
            taxonomies: old_taxonomies,
            analysis: old_analysis,
        } = std::mem::replace(&mut self.site, empty_site());
        // Asked of every file of the dossier: the file name rules out almost all of them.
        let names: HashSet<&std::ffi::OsStr> =
            changes.files.iter().filter_map(|f| f.file_name()).collect();
        let changed = |path: &Path| {
            path.file_name().is_some_and(|name| names.contains(name)) && {
                let rel = path.strip_prefix(&root).unwrap_or(path);
                changes.files.contains(rel)
            }
        };
        let (content, content_problems) =
            load_layout(&root, &self.layout, into_reuse(old_dossier), &changed);
        let (dossier, config_ok) = assemble(self.config.clone(), content, self.options.drafts);

        // A resolution holds indices and reads sources: when those move or change, none can
        // be reused; otherwise only the changed documents are resolved again.
        let sources_changed = changes.items.iter().any(|i| matches!(i, Item::Source(_)));
        let shape = Shape::of(&dossier);
        let resolve_all = changes.config || sources_changed || shape != before_shape;
        if resolve_all {
            self.resolved.clear();
        } else {
            for item in &changes.items {
                self.resolved.forget(&match item {
                    Item::Index => DocKey::Index,
                    Item::Summary(slug) => DocKey::Summary(slug.clone()),
                    Item::Event(slug) => DocKey::Event(slug.clone()),
                    Item::Source(id) => DocKey::Note(id.clone()),
                });
            }
        }
        let (site, site_problems) = resolve_site(dossier, config_ok, &mut self.resolved);

        // The keys the change touched; the pages that read them render again.
        let old = Old {
            shape: &before_shape,
            graph: &old_graph,
            timeline: &old_timeline,
            taxonomies: &old_taxonomies,
            analysis: &old_analysis,
        };
        let touched = touched_keys(changes, &before_items, &old, &site, &shape, resolve_all);
        self.deps.readers(&touched, &mut self.pending);
        // Pages come and go with sources, summaries, taxonomies and terms.
        if changes.config
            || shape.sources != before_shape.sources
            || shape.summaries != before_shape.summaries
            || term_slugs(&site) != before_terms
        {
            self.page_index = None;
        }
        self.shape = shape;
        self.site = site;
        Ok(self.finish(started, content_problems, site_problems))
    }

    /// Whether one of the changed paths under content/ is a folder, or was one when
    /// content/ was last walked.
    fn folder_changed(&self, files: &BTreeSet<PathBuf>) -> bool {
        let root = &self.options.root;
        let under_content = || files.iter().filter(|f| f.starts_with("content"));
        if under_content().any(|f| root.join(f).is_dir()) {
            return true;
        }
        let vanished: Vec<&PathBuf> = under_content()
            .filter(|f| self.layout.paths.contains(*f) && !root.join(f).exists())
            .collect();
        if vanished.is_empty() {
            return false;
        }
        // Once for all the vanished paths, so removing many files stays linear.
        let folders: HashSet<&Path> = self
            .layout
            .paths
            .iter()
            .filter_map(|p| p.parent())
            .collect();
        vanished.iter().any(|f| folders.contains(f.as_path()))
    }

    /// Render what is pending if the dossier is free of errors.
    fn finish(
        &mut self,
        started: Instant,
        content_problems: Vec<Diagnostic>,
        site_problems: Vec<Diagnostic>,
    ) -> Outcome {
        let mut problems = self.config_problems.clone();
        problems.extend(content_problems);
        problems.extend(site_problems);
        // The rule `build` and `check` follow, from the same function.
        let gated = gate(&self.options, &self.site, problems, self.theme.as_ref());
        let (gated, theme) = match (gated, &self.theme) {
            (Ok(gated), Some(Ok(theme))) => (gated, theme),
            (Err(problems), _)
            | (
                Ok(Gate {
                    warnings: problems, ..
                }),
                _,
            ) => {
                self.healthy = false;
                self.gate = None;
                return Outcome::Failed {
                    diagnostics: problems,
                    elapsed: started.elapsed(),
                };
            }
        };
        let renderer = Renderer::new(&self.site, theme, &gated.base_url);
        // While no page came or went since the last good build, the pending files are all
        // there is to look at; otherwise every page is compared with what was built.
        let (index, unmoved) = match self.page_index.take() {
            Some(index) => (index, self.healthy && !self.pending_all),
            None => (PageIndex::of(&self.site), false),
        };
        let keys = &index.files;
        let wanted: Vec<(String, PageKey)> = if unmoved {
            self.pending
                .iter()
                .filter_map(|file| Some((file.clone(), *index.files.get(file)?)))
                .filter(|(file, _)| !self.static_paths.contains(file))
                .collect()
        } else {
            keys.iter()
                .filter(|(file, _)| {
                    self.pending_all
                        || !self.pages.contains_key(*file)
                        || self.pending.contains(*file)
                })
                .filter(|(file, _)| self.pending_all || !self.static_paths.contains(*file))
                .map(|(file, &key)| (file.clone(), key))
                .collect()
        };
        // Pages that show everything wait for `render_lagging`, unless everything is rendered.
        let (wanted, lagging): (Vec<_>, Vec<_>) = wanted
            .into_iter()
            .partition(|(_, key)| self.pending_all || !key.shows_everything());
        let rendered = render_recorded(&renderer, &self.site, wanted.iter().map(|(_, k)| *k));
        let (mut new_pages, render_problems, reads) = split_results(rendered);
        if !render_problems.is_empty() {
            self.healthy = false;
            self.page_index = Some(index);
            self.gate = None;
            return Outcome::Failed {
                diagnostics: collapse_render_errors(render_problems, &gated.warnings),
                elapsed: started.elapsed(),
            };
        }
        if self.pending_all {
            let statics = static_files(&self.site, theme);
            self.static_paths = statics.iter().map(|f| f.path.clone()).collect();
            new_pages.extend(statics);
        }
        let pages_rendered = wanted.len();
        // Static files are counted with the pages: they are among the files that changed.
        let rendered_count = new_pages.len();
        let mut changed = Vec::new();
        // Pages and static files that no longer exist go.
        if !unmoved {
            let static_paths = &self.static_paths;
            self.pages.retain(|path, _| {
                let keep = keys.contains_key(path)
                    || static_paths.contains(path)
                    || search::is_index_file(path);
                if !keep {
                    changed.push(path.clone());
                }
                keep
            });
        }
        let removed = changed.len();
        if !unmoved {
            self.deps.retain(|file| keys.contains_key(file));
        }
        for (file, keys) in reads {
            self.deps.set(file, keys);
        }
        store(&mut self.pages, new_pages, &mut changed);
        changed.sort();
        changed.dedup();
        if pages_rendered > 0 {
            self.search_stale = true;
        }
        if self.pending_all {
            self.lagging.clear();
        }
        // A lagging page that no longer exists is not rendered later.
        self.lagging.retain(|file| keys.contains_key(file));
        self.lagging
            .extend(lagging.into_iter().map(|(file, _)| file));
        self.page_index = Some(index);
        self.healthy = true;
        self.pending.clear();
        self.pending_all = false;
        let warnings = gated.warnings.clone();
        self.gate = Some(gated);
        Outcome::Rebuilt {
            changed,
            rendered: rendered_count,
            removed,
            warnings,
            elapsed: started.elapsed(),
        }
    }
}

/// A page rendered, with the keys it read.
type Recorded = (Result<OutputFile, Diagnostic>, Vec<Key>);

/// Render pages in parallel, each with what it read, named in `site`.
fn render_recorded(
    renderer: &Renderer<'_>,
    site: &Site,
    keys: impl Iterator<Item = PageKey>,
) -> Vec<Recorded> {
    use rayon::prelude::*;
    let keys: Vec<PageKey> = keys.collect();
    keys.par_iter()
        .map(|&key| {
            let (file, reads) = renderer.render_recorded(key);
            let mut keys: Vec<Key> = reads.into_iter().map(|r| r.key(site)).collect();
            keys.sort_unstable();
            keys.dedup();
            (file, keys)
        })
        .collect()
}

/// Each rendered page's output file and the keys it read.
type PageReads = Vec<(String, Vec<Key>)>;

/// Rendered files with what each read, and the template errors of the pages that failed.
fn split_results(results: Vec<Recorded>) -> (Vec<OutputFile>, Vec<Diagnostic>, PageReads) {
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    let mut reads = Vec::with_capacity(results.len());
    for (result, keys) in results {
        match result {
            Ok(file) => {
                reads.push((file.path.clone(), keys));
                files.push(file);
            }
            Err(problem) => problems.push(problem),
        }
    }
    (files, problems, reads)
}

/// Which pages read which keys, as last rendered. Nothing is declared by hand: the keys are
/// what each page's views asked of the site (`render::view::reads`).
#[derive(Default)]
struct Deps {
    /// Each page's keys, by output file, sorted.
    of_page: HashMap<Arc<str>, Vec<Key>>,
    /// The pages that read each key.
    readers: HashMap<Key, HashSet<Arc<str>>>,
}

impl Deps {
    /// Record what page `file` read.
    fn set(&mut self, file: String, keys: Vec<Key>) {
        let file: Arc<str> = file.into();
        if self.of_page.get(&file) == Some(&keys) {
            return;
        }
        self.forget(&file);
        for key in &keys {
            self.readers.entry(*key).or_default().insert(file.clone());
        }
        self.of_page.insert(file, keys);
    }

    /// Forget page `file`.
    fn forget(&mut self, file: &str) {
        if let Some(old) = self.of_page.remove(file) {
            for key in old {
                if let Some(pages) = self.readers.get_mut(&key) {
                    pages.remove(file);
                    if pages.is_empty() {
                        self.readers.remove(&key);
                    }
                }
            }
        }
    }

    /// Keep only the pages `keep` accepts.
    fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        let gone: Vec<Arc<str>> = self.of_page.keys().filter(|f| !keep(f)).cloned().collect();
        for file in gone {
            self.forget(&file);
        }
    }

    /// Add to `out` the pages that read any of `keys`.
    fn readers(&self, keys: &HashSet<Key>, out: &mut BTreeSet<String>) {
        for key in keys {
            if let Some(pages) = self.readers.get(key) {
                out.extend(pages.iter().map(|f| f.to_string()));
            }
        }
    }
}

/// The ids of the sources and the slugs of the published summaries and events: resolutions
/// hold indices into these lists.
#[derive(Default, PartialEq, Eq)]
struct Shape {
    sources: Vec<String>,
    summaries: Vec<String>,
    events: Vec<String>,
}

impl Shape {
    fn of(dossier: &Dossier) -> Shape {
        Shape {
            sources: dossier.sources.iter().map(|s| s.id.clone()).collect(),
            summaries: dossier.summaries.iter().map(|p| p.slug.clone()).collect(),
            events: dossier.events.iter().map(|p| p.slug.clone()).collect(),
        }
    }
}

/// A dossier's loaded items, to be reused by the next load.
fn into_reuse(dossier: Dossier) -> Reuse {
    // A placeholder brief (empty text) stands in for a missing or broken one: not to reuse.
    let pages = std::iter::once(dossier.index)
        .filter(|p| !(p.kind == PageKind::Index && p.text.is_empty()))
        .chain(dossier.summaries)
        .chain(dossier.events)
        .chain(dossier.drafts.summaries)
        .chain(dossier.drafts.events);
    Reuse::new(dossier.sources, pages, dossier.broken.failures)
}

/// Put rendered files among the pages, noting the paths whose bytes changed.
fn store(pages: &mut Pages, files: Vec<OutputFile>, changed: &mut Vec<String>) {
    for file in files {
        let bytes: Arc<[u8]> = file.contents.into();
        if pages.get(&file.path).is_none_or(|old| *old != bytes) {
            changed.push(file.path.clone());
            pages.insert(file.path, bytes);
        }
    }
}

/// A site with nothing in it, to stand in while the real one is being rebuilt.
fn empty_site() -> Site {
    let (dossier, _) = assemble(None, Default::default(), false);
    Site {
        dossier,
        timeline: Default::default(),
        graph: Graph::default(),
        taxonomies: Vec::new(),
        analysis: Default::default(),
    }
}

/// Every taxonomy's name and the slugs of its terms: each has a page, at a path made of both.
fn term_slugs(site: &Site) -> Vec<(String, Vec<String>)> {
    site.taxonomies
        .iter()
        .map(|t| {
            let slugs = t.terms.iter().map(|term| term.slug.clone()).collect();
            (t.name.clone(), slugs)
        })
        .collect()
}

/// An item of the dossier as it stood before a change (none if it did not exist).
enum ItemFacts {
    /// The brief, a summary or an event.
    Page(Box<Page>),
    /// A source.
    Source(Box<Source>),
}

impl ItemFacts {
    fn of(dossier: &Dossier, item: &Item) -> Option<ItemFacts> {
        Some(match item {
            Item::Index => ItemFacts::Page(Box::new(dossier.index.clone())),
            Item::Summary(slug) => ItemFacts::Page(Box::new(
                dossier.summaries.iter().find(|p| &p.slug == slug)?.clone(),
            )),
            Item::Event(slug) => ItemFacts::Page(Box::new(
                dossier.events.iter().find(|p| &p.slug == slug)?.clone(),
            )),
            Item::Source(id) => {
                ItemFacts::Source(Box::new(dossier.sources[dossier.source_index(id)?].clone()))
            }
        })
    }

    fn page(&self) -> Option<&Page> {
        match self {
            ItemFacts::Page(page) => Some(page),
            ItemFacts::Source(_) => None,
        }
    }

    fn source(&self) -> Option<&Source> {
        match self {
            ItemFacts::Source(source) => Some(source),
            ItemFacts::Page(_) => None,
        }
    }

    fn terms(&self) -> &[TermRef] {
        match self {
            ItemFacts::Page(page) => &page.meta.terms,
            ItemFacts::Source(source) => &source.meta.terms,
        }
    }
}

/// What is left of the site before a change once its dossier went to be reloaded.
struct Old<'a> {
    shape: &'a Shape,
    graph: &'a Graph,
    timeline: &'a Timeline,
    taxonomies: &'a [Taxonomy],
    analysis: &'a Analysis,
}

/// The names items go by in one site, to compare resolutions across sites whose indices differ.
struct Names<'a> {
    sources: &'a [String],
    summaries: &'a [String],
    events: &'a [String],
    /// Each summary's and event's index by slug: a rebuild that compares every document
    /// (after a source or site.toml changed) looks each one up, so a scan would be quadratic.
    summary_at: HashMap<&'a str, usize>,
    event_at: HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn of(shape: &'a Shape) -> Names<'a> {
        let at = |names: &'a [String]| {
            names
                .iter()
                .enumerate()
                .map(|(i, n)| (n.as_str(), i))
                .collect()
        };
        Names {
            sources: &shape.sources,
            summaries: &shape.summaries,
            events: &shape.events,
            summary_at: at(&shape.summaries),
            event_at: at(&shape.events),
        }
    }

    fn find(&self, (kind, name): (&str, &str)) -> Option<DocId> {
        Some(match kind {
            "index" => DocId::Index,
            "summary" => DocId::Summary(*self.summary_at.get(name)?),
            "event" => DocId::Event(*self.event_at.get(name)?),
            // Sources are sorted by id (`Dossier::source_index`).
            _ => DocId::Note(
                self.sources
                    .binary_search_by(|n| n.as_str().cmp(name))
                    .ok()?,
            ),
        })
    }

    fn target(&self, target: LinkTarget) -> (u8, &'a str, Option<u32>) {
        match target {
            LinkTarget::Source { source, paragraph } => (0, &self.sources[source], paragraph),
            LinkTarget::Summary(i) => (1, &self.summaries[i], None),
            LinkTarget::Event(i) => (2, &self.events[i], None),
        }
    }

    fn citation(&self, c: &'a Citation) -> CitationFact<'a> {
        CitationFact {
            number: c.number,
            source: &self.sources[c.source],
            paragraph: c.paragraph,
            quote: c.quote.as_deref(),
            context: &c.context,
        }
    }
}

/// A citation by names: what the citing page and the cited source's page show of it.
#[derive(Debug, Clone, PartialEq)]
struct CitationFact<'a> {
    number: u32,
    source: &'a str,
    paragraph: Option<u32>,
    quote: Option<&'a str>,
    context: &'a str,
}

/// A document's resolved links by names: offset, target, citation.
type LinkFact<'a> = (usize, (u8, &'a str, Option<u32>), Option<CitationFact<'a>>);

fn link_facts<'a>(graph: &'a Graph, names: &Names<'a>, doc: DocId) -> Vec<LinkFact<'a>> {
    graph
        .links(doc)
        .iter()
        .map(|link| {
            (
                link.offset,
                names.target(link.target),
                link.citation.map(|c| names.citation(&graph.citations[c])),
            )
        })
        .collect()
}

/// Every document of a site, by names.
fn all_docs<'a>(names: &Names<'a>) -> impl Iterator<Item = (&'static str, &'a str)> + 'a {
    let summaries = names.summaries.iter().map(|s| ("summary", s.as_str()));
    let events = names.events.iter().map(|s| ("event", s.as_str()));
    let notes = names.sources.iter().map(|s| ("note", s.as_str()));
    std::iter::once(("index", ""))
        .chain(summaries)
        .chain(events)
        .chain(notes)
}

/// The taxonomy and term keys of the terms an item carries.
fn term_keys(terms: &[TermRef], out: &mut HashSet<Key>) {
    for (taxonomy, names) in terms_by_taxonomy(terms) {
        out.insert(Key::taxonomy(taxonomy));
        for name in names {
            out.insert(Key::term(taxonomy, &slugify(name)));
        }
    }
}

/// The keys a change touched: found by comparing the site before it (`old`, `before`) with
/// the site after it, item by item for the changed files, and resolution by resolution for
/// the documents resolved again. Pages that read none of these show the same bytes.
fn touched_keys(
    changes: &Changes,
    before: &[Option<ItemFacts>],
    old: &Old<'_>,
    site: &Site,
    shape: &Shape,
    resolved_all: bool,
) -> HashSet<Key> {
    let d = &site.dossier;
    let mut out = HashSet::from([Key::everything()]);
    let nav = |taxonomies: &[Taxonomy]| -> Vec<(String, String)> {
        taxonomies
            .iter()
            .map(|t| (t.name.clone(), t.title.clone()))
            .collect()
    };
    if changes.config || nav(old.taxonomies) != nav(&site.taxonomies) {
        out.insert(Key::site());
    }
    let same_shape = old.shape == shape;
    if !same_shape || old.graph.citations.len() != site.graph.citations.len() {
        out.insert(Key::counts());
    }
    // Documents whose resolution to compare, and those whose place among the others (their
    // front matter: weight, date, title) may have moved their citations in a source's list.
    let mut docs: Vec<(&'static str, String)> = Vec::new();
    let mut moved: Vec<(&'static str, String)> = Vec::new();
    let mut any_event = false;
    for (item, before) in changes.items.iter().zip(before) {
        let after = ItemFacts::of(d, item);
        let meta_changed = match (before, &after) {
            (Some(ItemFacts::Page(a)), Some(ItemFacts::Page(b))) => a.meta != b.meta,
            _ => true,
        };
        let text_changed = match (before, &after) {
            (Some(ItemFacts::Page(a)), Some(ItemFacts::Page(b))) => a.text != b.text,
            _ => true,
        };
        let sides = || before.iter().chain(after.iter());
        let listed = |out: &mut HashSet<Key>| {
            for facts in sides() {
                term_keys(facts.terms(), out);
                if let Some(page) = facts.page() {
                    for (id, _) in &page.meta.sources {
                        out.insert(Key::about(id));
                    }
                }
            }
        };
        match item {
            Item::Index => {
                if meta_changed {
                    out.insert(Key::index_meta());
                    listed(&mut out);
                    moved.push(("index", String::new()));
                }
                if text_changed {
                    out.insert(Key::index_body());
                }
                docs.push(("index", String::new()));
            }
            Item::Summary(slug) => {
                if meta_changed {
                    out.insert(Key::summary_meta(slug));
                    listed(&mut out);
                    moved.push(("summary", slug.clone()));
                    let order = |f: &ItemFacts| f.page().map(|p| summary_order_key(&p.meta));
                    if before.as_ref().map(order) != after.as_ref().map(order) {
                        out.insert(Key::summary_order());
                    }
                }
                if text_changed {
                    out.insert(Key::summary_body(slug));
                }
                docs.push(("summary", slug.clone()));
            }
            Item::Event(slug) => {
                any_event = true;
                if meta_changed {
                    out.insert(Key::event_meta(slug));
                    listed(&mut out);
                    moved.push(("event", slug.clone()));
                }
                if text_changed {
                    out.insert(Key::event_body(slug));
                }
                docs.push(("event", slug.clone()));
            }
            Item::Source(id) => {
                // A source's file changed: every page showing any of it renders again.
                out.extend([
                    Key::source(id),
                    Key::about(id),
                    Key::cited_by(id),
                    Key::citation_count(id),
                ]);
                listed(&mut out);
                let order = |f: &ItemFacts| f.source().map(|s| source_order_key(&s.meta));
                if before.as_ref().map(order) != after.as_ref().map(order) {
                    out.insert(Key::source_order());
                }
                docs.push(("note", id.clone()));
            }
        }
    }
    if !same_shape || old.timeline.entries != site.timeline.entries {
        out.insert(Key::timeline());
    }
    if !same_shape || *old.analysis != site.analysis {
        out.insert(Key::analysis());
    }

    // Resolutions: what a page shows of its citations, and a source's page of those citing it.
    let (old_names, new_names) = (Names::of(old.shape), Names::of(shape));
    let mut compare: Vec<(&str, &str)> = Vec::new();
    if resolved_all {
        compare.extend(all_docs(&old_names));
        compare.extend(all_docs(&new_names));
    } else {
        compare.extend(docs.iter().map(|(k, n)| (*k, n.as_str())));
        // Citation numbers run through the timeline: one event renumbers the later ones.
        if any_event {
            compare.extend(new_names.events.iter().map(|e| ("event", e.as_str())));
        }
    }
    compare.sort_unstable();
    compare.dedup();
    let moved: HashSet<(&str, &str)> = moved.iter().map(|(k, n)| (*k, n.as_str())).collect();
    for doc in compare {
        let old_doc = old_names.find(doc);
        let new_doc = new_names.find(doc);
        let before = old_doc.map(|id| link_facts(old.graph, &old_names, id));
        let after = new_doc.map(|id| link_facts(&site.graph, &new_names, id));
        let unchanged = before == after;
        if !unchanged {
            out.insert(Key::resolved(doc.0, doc.1));
        }
        if unchanged && !moved.contains(&doc) {
            continue;
        }
        // Each cited source's share of the citations: where it differs, so does its list.
        let mut shares: BTreeMap<&str, [Vec<&CitationFact<'_>>; 2]> = BTreeMap::new();
        for (side, facts) in [&before, &after].into_iter().enumerate() {
            for (_, _, citation) in facts.iter().flatten() {
                if let Some(c) = citation {
                    shares.entry(c.source).or_default()[side].push(c);
                }
            }
        }
        for (source, [was, is]) in shares {
            if was != is || moved.contains(&doc) {
                out.insert(Key::cited_by(source));
            }
            if was.len() != is.len() {
                out.insert(Key::citation_count(source));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_are_classified() {
        let changes = Changes::from_paths(
            [
                "content/sources/a.toml",
                "content/summaries/b.md",
                "site.toml",
                "themes/briefing/static/style.css",
                "content/notes.txt",
            ]
            .map(PathBuf::from),
        );
        assert!(changes.config && changes.theme);
        assert_eq!(
            changes.items,
            BTreeSet::from([Item::Source("a".into()), Item::Summary("b".into())])
        );
        assert_eq!(changes.files.len(), 5);
    }
}
