//! Incremental rebuilds, for `serve`: the site stays in memory; a change re-reads only the
//! files that changed, resolves the dossier again, and re-renders only the pages that read what
//! changed — found in the citation graph before and after the change, so a page that stops
//! citing a source updates that source's page too. A change to site.toml, a template or a
//! static file renders everything. The result is byte-identical to a full build (tests pin it).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostic;
use crate::load::config::{CONFIG_FILE, SiteConfig};
use crate::load::content::load::{Layout, Reuse, load_layout, scan_content};
use crate::load::content::{Dossier, PageKind, PageMeta, TermRef, terms_by_taxonomy};
use crate::pipeline::{
    Failure, Gate, Options, assemble, collapse_render_errors, gate, load_config, theme_for,
};
use crate::render::pages::{PageKey, Renderer, static_files};
use crate::render::search;
use crate::render::sink::OutputFile;
use crate::render::templates::Theme;
use crate::render::view::site_view;
use crate::resolve::site::{Site, resolve_site};
use crate::resolve::xref::{self, DocId, DocKey, Graph};
use crate::slug::slugify;
use crate::url::paths;

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

/// How much of an item a change touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extent {
    /// Only its body: pages that show its text or its citations.
    Body,
    /// Its metadata too (title, date, terms, sources…), or it appeared or vanished: every
    /// page that lists it as well.
    All,
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
    /// Page paths that must be rendered at the next successful build (changes accumulate
    /// while the dossier has errors).
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
    /// How often each source of `site` is cited, in the order of `shape.sources`.
    counts: Vec<usize>,
    /// Every page of `site`, by output file and by path; kept while no page comes or goes.
    page_index: Option<PageIndex>,
    /// A rebuild gave up before taking in its changes (site.toml gone, the root unreadable):
    /// the next one reads everything again, so no change is lost.
    must_rescan: bool,
}

/// Every page of a site, looked up by output file or by path.
struct PageIndex {
    files: BTreeMap<String, PageKey>,
    by_path: HashMap<String, PageKey>,
}

impl PageIndex {
    fn of(site: &Site) -> PageIndex {
        let keys = PageKey::all(site);
        PageIndex {
            files: keys.iter().map(|&k| (k.file(site), k)).collect(),
            by_path: keys.iter().map(|&k| (k.path(site), k)).collect(),
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
        let counts = citation_counts(&site);
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
            counts,
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
        let rendered: Vec<Result<OutputFile, Diagnostic>> = {
            use rayon::prelude::*;
            wanted.par_iter().map(|key| renderer.render(*key)).collect()
        };
        let (files, problems) = split_results(rendered);
        if !problems.is_empty() {
            self.healthy = false;
            return Outcome::Failed {
                diagnostics: collapse_render_errors(problems, &gate.warnings),
                elapsed: started.elapsed(),
            };
        }
        self.lagging.clear();
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

        // The pages that read what changed, as the site stood before the change, for either
        // extent (which one applies is known once the new files are read)…
        let old = &self.site;
        let before = fingerprint(old);
        let before_shape = std::mem::take(&mut self.shape);
        let before_counts = std::mem::take(&mut self.counts);
        let before_terms = term_slugs(old);
        let before_meta: Vec<Option<PageMeta>> = changes
            .items
            .iter()
            .map(|item| page_meta(&old.dossier, item))
            .collect();
        let before_pages: Vec<[BTreeSet<String>; 2]> = changes
            .items
            .iter()
            .map(|item| {
                [
                    pages_reading(old, item, Extent::Body),
                    pages_reading(old, item, Extent::All),
                ]
            })
            .collect();

        // Walk content/ again only if files appeared or vanished: the layout depends on names.
        let appeared_or_vanished = changes.files.iter().any(|f| {
            f.starts_with("content") && root.join(f).exists() != self.layout.paths.contains(f)
        });
        if appeared_or_vanished {
            self.layout = scan_content(&root);
        }
        let site = std::mem::replace(&mut self.site, empty_site());
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
            load_layout(&root, &self.layout, into_reuse(site.dossier), &changed);
        let (dossier, config_ok) = assemble(self.config.clone(), content, self.options.drafts);

        // A resolution holds indices and reads sources: when those move or change, none can
        // be reused; otherwise only the changed documents are resolved again.
        let sources_changed = changes.items.iter().any(|i| matches!(i, Item::Source(_)));
        let shape = Shape::of(&dossier);
        if changes.config || sources_changed || shape != before_shape {
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

        // …and after it.
        for ((item, old_meta), [body, all]) in
            changes.items.iter().zip(before_meta).zip(before_pages)
        {
            let new_meta = page_meta(&site.dossier, item);
            let extent = match (&old_meta, &new_meta) {
                (Some(old), Some(new)) if old == new => Extent::Body,
                _ => Extent::All,
            };
            self.pending
                .extend(if extent == Extent::Body { body } else { all });
            self.pending.extend(pages_reading(&site, item, extent));
        }
        // Lists show how often each source is cited: where a count changed, so did they.
        let counts = citation_counts(&site);
        let sources = &site.dossier.sources;
        if shape.sources == before_shape.sources {
            for (i, (count, before)) in counts.iter().zip(&before_counts).enumerate() {
                if count != before {
                    self.pending
                        .extend(lists_showing_source(&site, &sources[i].id));
                }
            }
        } else {
            let before: HashMap<&str, usize> = before_shape
                .sources
                .iter()
                .map(String::as_str)
                .zip(before_counts)
                .collect();
            for (source, count) in sources.iter().zip(&counts) {
                if before.get(source.id.as_str()) != Some(count) {
                    self.pending.extend(lists_showing_source(&site, &source.id));
                }
            }
        }
        // Pages come and go with sources, summaries, taxonomies and terms.
        if changes.config
            || shape.sources != before_shape.sources
            || shape.summaries != before_shape.summaries
            || term_slugs(&site) != before_terms
        {
            self.page_index = None;
        }
        self.shape = shape;
        self.counts = counts;
        if fingerprint(&site) != before {
            self.pending_all = true;
        }
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
        // While no page came or went since the last good build, the pending paths are all
        // there is to look at; otherwise every page is compared with what was built.
        let (index, unmoved) = match self.page_index.take() {
            Some(index) => (index, self.healthy && !self.pending_all),
            None => (PageIndex::of(&self.site), false),
        };
        let keys = &index.files;
        let wanted: Vec<(String, PageKey)> = if unmoved {
            self.pending
                .iter()
                .filter_map(|path| index.by_path.get(path))
                .map(|&key| (key.file(&self.site), key))
                .filter(|(file, _)| !self.static_paths.contains(file))
                .collect()
        } else {
            // The sitemap lists every page: render it again when pages come or go.
            let pages_came_or_went = keys.keys().any(|f| !self.pages.contains_key(f))
                || self
                    .pages
                    .keys()
                    .any(|p| !keys.contains_key(p) && !self.static_paths.contains(p));
            keys.iter()
                .filter(|(file, key)| {
                    self.pending_all
                        || !self.pages.contains_key(*file)
                        || self.pending.contains(&key.path(&self.site))
                        || (pages_came_or_went && matches!(key, PageKey::Sitemap(_)))
                })
                .filter(|(file, _)| self.pending_all || !self.static_paths.contains(*file))
                .map(|(file, &key)| (file.clone(), key))
                .collect()
        };
        // Pages that show everything wait for `render_lagging`, unless everything is rendered.
        let (wanted, lagging): (Vec<_>, Vec<_>) = wanted
            .into_iter()
            .partition(|(_, key)| self.pending_all || !key.shows_everything());
        let rendered: Vec<Result<OutputFile, Diagnostic>> = {
            use rayon::prelude::*;
            wanted
                .par_iter()
                .map(|(_, key)| renderer.render(*key))
                .collect()
        };
        let (mut new_pages, render_problems) = split_results(rendered);
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

/// Rendered files, and the template errors of the pages that failed.
fn split_results(
    results: Vec<Result<OutputFile, Diagnostic>>,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(problem) => problems.push(problem),
        }
    }
    (files, problems)
}

/// What every page shows of the site as a whole (title, navigation, counts): when it changes,
/// every page must be rendered again.
fn fingerprint(site: &Site) -> String {
    format!("{:?}", site_view(site, ""))
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

/// The front matter of a published summary or event, to tell a body edit from one that
/// changes what lists show. Sources and the brief have none to compare.
fn page_meta(dossier: &Dossier, item: &Item) -> Option<PageMeta> {
    let page = match item {
        Item::Summary(slug) => dossier.summaries.iter().find(|p| &p.slug == slug),
        Item::Event(slug) => dossier.events.iter().find(|p| &p.slug == slug),
        Item::Index | Item::Source(_) => None,
    };
    page.map(|p| p.meta.clone())
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

/// How often each source is cited, by id.
fn citation_counts(site: &Site) -> Vec<usize> {
    site.graph.cited_by.iter().map(Vec::len).collect()
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

/// The pages that list a source with its figures: the source list, the home page, and the
/// pages of its terms.
fn lists_showing_source(site: &Site, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([paths::SOURCES.to_string(), paths::HOME.to_string()]);
    if let Some(i) = site.dossier.source_index(id) {
        for (taxonomy, names) in terms_by_taxonomy(&site.dossier.sources[i].meta.terms) {
            for name in names {
                out.insert(paths::term(taxonomy, &slugify(name)));
            }
        }
    }
    out
}

/// The feed's path: it carries the full text of dated summaries and events.
const FEED: &str = "atom.xml";

/// The paths of the pages that read `item` to the given extent, in `site` as it stands.
/// Nothing when the item is not in the site (it was added or removed: the other side of the
/// change knows its pages).
pub fn pages_reading(site: &Site, item: &Item, extent: Extent) -> BTreeSet<String> {
    let d = &site.dossier;
    let graph = &site.graph;
    let mut out = BTreeSet::new();
    let source_path = |i: usize| paths::source(&d.sources[i].id);
    // The page a citing document is shown on.
    let doc_path = |doc: DocId| match doc {
        DocId::Index => paths::HOME.to_string(),
        DocId::Summary(i) => paths::summary(&d.summaries[i].slug),
        DocId::Event(_) => paths::TIMELINE.to_string(),
        DocId::Note(i) => paths::source(&d.sources[i].id),
    };
    // The sources a document cites: their "cited by" lists show its sentences.
    let cited_sources = |doc: DocId, out: &mut BTreeSet<String>| {
        for c in graph.citations_of(doc) {
            out.insert(source_path(c.source));
        }
    };
    // The sources a page lists in its `sources`: their pages show its title.
    let listed_sources = |listed: &[(String, usize)], out: &mut BTreeSet<String>| {
        for (id, _) in listed {
            if let Some(i) = d.source_index(id) {
                out.insert(source_path(i));
            }
        }
    };
    let term_pages = |terms: &[TermRef], out: &mut BTreeSet<String>| {
        for (taxonomy, names) in terms_by_taxonomy(terms) {
            out.insert(paths::taxonomy(taxonomy));
            for name in names {
                out.insert(paths::term(taxonomy, &slugify(name)));
            }
        }
    };
    // The print edition shows every document and every source in full.
    out.insert(paths::PRINT.to_string());
    // analyst (issue 18): the judgments and open questions of any document, with the grades
    // of any source, are listed on these pages; the brief counts the questions.
    out.extend([
        paths::JUDGMENTS.to_string(),
        paths::OPEN_QUESTIONS.to_string(),
        paths::HOME.to_string(),
    ]);
    // So do the graph page and the exports, down to each citation's line.
    out.extend(
        [
            crate::render::view::graph::GRAPH_PATH,
            crate::render::exports::GRAPH_JSON,
            crate::render::exports::SOURCES_JSON,
            crate::render::exports::ANNOTATIONS,
        ]
        .map(String::from),
    );
    match item {
        Item::Index => {
            out.insert(paths::HOME.to_string());
            cited_sources(DocId::Index, &mut out);
            listed_sources(&d.index.meta.sources, &mut out);
        }
        Item::Summary(slug) => {
            let Some(i) = d.summaries.iter().position(|p| &p.slug == slug) else {
                return out;
            };
            out.extend([paths::summary(slug), FEED.to_string()]);
            cited_sources(DocId::Summary(i), &mut out);
            if extent == Extent::All {
                // Lists show a summary's title, description and date; term pages its terms.
                out.extend([paths::SUMMARIES.to_string(), paths::HOME.to_string()]);
                listed_sources(&d.summaries[i].meta.sources, &mut out);
                term_pages(&d.summaries[i].meta.terms, &mut out);
            }
        }
        Item::Event(slug) => {
            let Some(i) = d.events.iter().position(|p| &p.slug == slug) else {
                return out;
            };
            out.extend([paths::TIMELINE.to_string(), FEED.to_string()]);
            // Citation numbers run through the timeline: an event's change can renumber the
            // citations of every later event, shown on the sources they cite.
            for e in 0..d.events.len() {
                cited_sources(DocId::Event(e), &mut out);
            }
            if extent == Extent::All {
                out.insert(paths::HOME.to_string());
                listed_sources(&d.events[i].meta.sources, &mut out);
                term_pages(&d.events[i].meta.terms, &mut out);
            }
        }
        Item::Source(id) => {
            // Sources are evidence and rarely change: every page showing one is rendered.
            let Some(i) = d.source_index(id) else {
                return out;
            };
            out.extend([
                source_path(i),
                paths::SOURCES.to_string(),
                paths::HOME.to_string(),
                paths::TIMELINE.to_string(),
            ]);
            for &c in &graph.cited_by[i] {
                out.insert(doc_path(graph.citations[c].doc));
            }
            for &doc in &graph.about[i] {
                out.insert(doc_path(doc));
            }
            cited_sources(DocId::Note(i), &mut out);
            term_pages(&d.sources[i].meta.terms, &mut out);
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
