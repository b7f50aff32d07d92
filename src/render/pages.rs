//! The render stage: the list of pages a site has, each rendered from its view with the
//! theme's template, in parallel; plus the static files. The result is a list of files in
//! memory, in a fixed order, so two builds of the same input are byte-identical.

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diagnostics::Diagnostic;
use crate::progress::Progress;
use crate::render::exports;
use crate::render::feeds;
use crate::render::highlight;
use crate::render::sink::{OutputFile, Sink};
use crate::render::templates::Theme;
use crate::render::view::reads::{self, Read};
use crate::render::view::{PageView, Views, absolute_root, root_for};
use crate::resolve::site::Site;
use crate::url::paths;

/// One page of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PageKey {
    /// `/`.
    Index,
    /// `/timeline/`.
    Timeline,
    /// `/sources/`.
    SourceList,
    /// `/sources/ID/`, by source index.
    Source(usize),
    /// `/summaries/`.
    SummaryList,
    /// `/summaries/SLUG/`, by summary index.
    Summary(usize),
    /// `/TAXONOMY/`, by taxonomy index.
    Taxonomy(usize),
    /// `/TAXONOMY/TERM/`, by taxonomy and term index.
    Term(usize, usize),
    /// `/404.html`.
    NotFound,
    /// `/search/`.
    Search,
    /// `/print/`.
    Print,
    /// `/judgments/` (issue 18).
    Judgments,
    /// `/open-questions/` (issue 18).
    OpenQuestions,
    /// `/atom.xml`: summaries and events by date.
    Feed,
    /// `/sitemap.xml` (0), and its parts `/sitemap-N.xml` when it is an index.
    Sitemap(usize),
    /// `/robots.txt`.
    Robots,
    /// `/graph/`: the citation graph drawn, and as a table.
    Graph,
    /// `/graph.json`, `/sources.json`, `/annotations.jsonld` (render/exports.rs).
    Export(Export),
}

/// A file of the citation graph in an open format (docs/exports.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Export {
    /// `graph.json`.
    Graph,
    /// `sources.json`, CSL-JSON.
    Sources,
    /// `annotations.jsonld`, W3C Web Annotations.
    Annotations,
}

impl PageKey {
    /// Every page of the site.
    pub fn all(site: &Site) -> Vec<PageKey> {
        let d = &site.dossier;
        let mut keys = vec![
            PageKey::Index,
            PageKey::Timeline,
            PageKey::SourceList,
            PageKey::SummaryList,
        ];
        keys.extend((0..d.sources.len()).map(PageKey::Source));
        keys.extend((0..d.summaries.len()).map(PageKey::Summary));
        for (t, taxonomy) in site.taxonomies.iter().enumerate() {
            keys.push(PageKey::Taxonomy(t));
            keys.extend((0..taxonomy.terms.len()).map(|k| PageKey::Term(t, k)));
        }
        keys.extend([PageKey::Search, PageKey::Print, PageKey::Graph]);
        keys.extend([PageKey::Judgments, PageKey::OpenQuestions]);
        keys.push(PageKey::NotFound);
        let pages = keys.len() - 1;
        keys.extend([PageKey::Feed, PageKey::Robots, PageKey::Sitemap(0)]);
        keys.extend([Export::Graph, Export::Sources, Export::Annotations].map(PageKey::Export));
        if pages > feeds::SITEMAP_LIMIT {
            keys.extend((1..=pages.div_ceil(feeds::SITEMAP_LIMIT)).map(PageKey::Sitemap));
        }
        keys
    }

    /// Whether it shows the whole dossier (the print edition, the feed, the sitemap): the
    /// slowest pages to render, and the ones a writer is least likely to be looking at.
    pub fn shows_everything(self) -> bool {
        matches!(
            self,
            PageKey::Print
                | PageKey::Feed
                | PageKey::Sitemap(_)
                | PageKey::Graph
                | PageKey::Export(_)
        )
    }

    /// Whether it is an HTML page (rather than the feed, the sitemap or robots.txt).
    pub fn is_html(self) -> bool {
        self.template().is_some()
    }

    /// The page's path relative to the site root, as linked (`sources/x/`).
    pub fn path(self, site: &Site) -> String {
        let d = &site.dossier;
        match self {
            PageKey::Index => paths::HOME.into(),
            PageKey::Timeline => paths::TIMELINE.into(),
            PageKey::SourceList => paths::SOURCES.into(),
            PageKey::Source(i) => paths::source(&d.sources[i].id),
            PageKey::SummaryList => paths::SUMMARIES.into(),
            PageKey::Summary(i) => paths::summary(&d.summaries[i].slug),
            PageKey::Taxonomy(t) => paths::taxonomy(&site.taxonomies[t].name),
            PageKey::Term(t, k) => {
                let taxonomy = &site.taxonomies[t];
                paths::term(&taxonomy.name, &taxonomy.terms[k].slug)
            }
            PageKey::NotFound => "404.html".into(),
            PageKey::Search => paths::SEARCH.into(),
            PageKey::Print => paths::PRINT.into(),
            PageKey::Judgments => paths::JUDGMENTS.into(),
            PageKey::OpenQuestions => paths::OPEN_QUESTIONS.into(),
            PageKey::Feed => "atom.xml".into(),
            PageKey::Sitemap(0) => "sitemap.xml".into(),
            PageKey::Sitemap(n) => format!("sitemap-{n}.xml"),
            PageKey::Robots => "robots.txt".into(),
            PageKey::Graph => crate::render::view::graph::GRAPH_PATH.into(),
            PageKey::Export(Export::Graph) => exports::GRAPH_JSON.into(),
            PageKey::Export(Export::Sources) => exports::SOURCES_JSON.into(),
            PageKey::Export(Export::Annotations) => exports::ANNOTATIONS.into(),
        }
    }

    /// The file written for it (`sources/x/index.html`).
    pub fn file(self, site: &Site) -> String {
        let path = self.path(site);
        // A term's slug outside ASCII is linked percent-encoded; its folder has the slug itself.
        let path = if path.contains('%') {
            percent_encoding::percent_decode_str(&path)
                .decode_utf8_lossy()
                .into_owned()
        } else {
            path
        };
        if path.is_empty() || path.ends_with('/') {
            format!("{path}index.html")
        } else {
            path
        }
    }

    /// The template that renders it (none for the files dossier writes itself).
    pub fn template(self) -> Option<&'static str> {
        Some(match self {
            PageKey::Index => "index.html",
            PageKey::Timeline => "timeline.html",
            PageKey::SourceList => "sources.html",
            PageKey::Source(_) => "source.html",
            PageKey::SummaryList => "summaries.html",
            PageKey::Summary(_) => "summary.html",
            PageKey::Taxonomy(_) => "taxonomy.html",
            PageKey::Term(..) => "term.html",
            PageKey::NotFound => "404.html",
            PageKey::Search => "search.html",
            PageKey::Print => "print.html",
            PageKey::Judgments => "judgments.html",
            PageKey::OpenQuestions => "open-questions.html",
            PageKey::Graph => "graph.html",
            PageKey::Feed | PageKey::Sitemap(_) | PageKey::Robots | PageKey::Export(_) => {
                return None;
            }
        })
    }
}

/// Renders pages of one site with one theme.
pub struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    views: Views<'a>,
    /// The `site` template value, built once and shared (Tera values are reference-counted),
    /// and what it read, noted again for each page.
    site_value: (Value, Vec<Read>),
    base_url: &'a str,
}

impl<'a> Renderer<'a> {
    /// A renderer; `base_url` is site.toml's or the `--base-url` override.
    pub fn new(site: &'a Site, theme: &'a Theme, base_url: &'a str) -> Renderer<'a> {
        let views = Views::new(site);
        let site_value = reads::capture(|| Value::from_serializable(&views.site(base_url)));
        Renderer {
            site,
            theme,
            views,
            site_value,
            base_url,
        }
    }

    /// Render one page, and say what it read of the site (`serve` keeps it, to know which
    /// pages a change affects).
    pub fn render_recorded(&self, key: PageKey) -> (Result<OutputFile, Diagnostic>, Vec<Read>) {
        reads::capture(|| self.render(key))
    }

    /// Render one page.
    pub fn render(&self, key: PageKey) -> Result<OutputFile, Diagnostic> {
        let path = key.path(self.site);
        let reads = self.views.reads();
        let file = |contents: String| OutputFile {
            path: key.file(self.site),
            contents: contents.into_bytes(),
        };
        let (Some(template), Some(view)) = (key.template(), page_view(&self.views, key)) else {
            return Ok(file(match key {
                PageKey::Feed => feeds::atom(&self.views, self.base_url),
                PageKey::Robots => feeds::robots(self.base_url),
                PageKey::Sitemap(part) => self.sitemap(part),
                // The exports hold the whole citation graph: they read `Everything`, and
                // render again (after the reload) on any change.
                PageKey::Export(Export::Graph) => {
                    exports::graph_json(reads.everything(), self.base_url)
                }
                PageKey::Export(Export::Sources) => {
                    exports::sources_json(reads.everything(), self.base_url)
                }
                PageKey::Export(Export::Annotations) => {
                    exports::annotations(reads.everything(), self.base_url)
                }
                _ => unreachable!("every HTML page has a template and a view"),
            }));
        };
        let root = match key {
            PageKey::NotFound => absolute_root(self.base_url),
            _ => root_for(&path),
        };
        let mut context = Context::new();
        reads::replay(&self.site_value.1);
        context.insert_value("site", self.site_value.0.clone());
        context.insert("root", &root);
        context.insert_value("page", Value::from_serializable(&view));
        // schema.org JSON-LD for the head (base.html's `json_ld` block), escaped for <script>.
        let json_ld = match key {
            PageKey::Source(i) => exports::source_json_ld(reads, i, self.base_url),
            PageKey::Summary(i) => exports::summary_json_ld(reads, i, self.base_url),
            _ => String::new(),
        };
        context.insert("json_ld", &json_ld);
        let html = self.theme.render(template, &context, &path)?;
        Ok(OutputFile {
            path: key.file(self.site),
            contents: html.into_bytes(),
        })
    }
}

impl Renderer<'_> {
    /// Part `part` of the sitemap: the whole of it, or its index (0) and numbered parts.
    fn sitemap(&self, part: usize) -> String {
        // The sitemap lists every page: it reads `Everything`, and renders again (after the
        // reload) on any change.
        let site = self.views.reads().everything();
        let pages: Vec<String> = PageKey::all(site)
            .into_iter()
            .filter(|k| k.is_html() && *k != PageKey::NotFound)
            .map(|k| k.path(site))
            .collect();
        let mut files = feeds::sitemaps(&pages, self.base_url);
        if part < files.len() {
            files.swap_remove(part).1
        } else {
            String::new()
        }
    }
}

/// What a page's template receives as `page`; none for the files dossier writes itself.
pub fn page_view<'a>(views: &Views<'a>, key: PageKey) -> Option<PageView<'a>> {
    Some(match key {
        PageKey::Index => PageView::Index(views.index()),
        PageKey::Timeline => PageView::Timeline(views.timeline()),
        PageKey::SourceList => PageView::SourceList(views.source_list()),
        PageKey::Source(i) => PageView::Source(Box::new(views.source(i))),
        PageKey::SummaryList => PageView::SummaryList(views.summary_list()),
        PageKey::Summary(i) => PageView::Summary(views.summary(i)),
        PageKey::Taxonomy(t) => PageView::Taxonomy(views.taxonomy(t)),
        PageKey::Term(t, k) => PageView::Term(views.term(t, k)),
        PageKey::NotFound => PageView::NotFound(views.not_found()),
        PageKey::Search => PageView::Search(views.search()),
        PageKey::Print => PageView::Print(Box::new(views.print())),
        PageKey::Judgments => PageView::Judgments(views.judgments()),
        PageKey::OpenQuestions => PageView::OpenQuestions(views.open_questions()),
        PageKey::Graph => PageView::Graph(views.graph()),
        PageKey::Feed | PageKey::Sitemap(_) | PageKey::Robots | PageKey::Export(_) => return None,
    })
}

/// What rendering produces besides files: how many, and why it failed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Rendered {
    /// Files given to the sink.
    pub files: usize,
    /// Of which HTML pages.
    pub pages: usize,
}

/// Why rendering failed.
#[derive(Debug)]
pub enum RenderError {
    /// Templates failed on some pages.
    Templates(Vec<Diagnostic>),
    /// The sink could not take a file.
    Io(crate::fsutil::IoError),
}

/// How much of the site to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every file: pages, feeds, the search index, static files.
    All,
    /// Only what can fail: the pages rendered from templates (`check`).
    Verify,
}

/// Render the site into `sink`, in parallel, each file as soon as it is made. A static file of
/// the same name replaces a generated one (a hand-written robots.txt).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    base_url: &str,
    scope: Scope,
    progress: &dyn Progress,
    sink: &dyn Sink,
) -> Result<Rendered, RenderError> {
    let renderer = Renderer::new(site, theme, base_url);
    let statics = if scope == Scope::All {
        static_files(site, theme)
    } else {
        Vec::new()
    };
    let overridden: std::collections::HashSet<String> =
        statics.iter().map(|f| f.path.clone()).collect();
    let mut keys: Vec<PageKey> = PageKey::all(site)
        .into_iter()
        .filter(|k| scope == Scope::All || k.is_html())
        .collect();
    // Pages that list everything (the print edition, the timeline, the feed) take far longer
    // than the rest: start them first, so none is left running alone at the end.
    keys.sort_by_key(|k| match k {
        PageKey::Print | PageKey::Timeline | PageKey::Feed | PageKey::Export(_) => 0,
        PageKey::SourceList | PageKey::Term(..) | PageKey::Taxonomy(_) => 1,
        _ => 2,
    });
    let pages = keys.iter().filter(|k| k.is_html()).count();
    progress.begin("Rendering", keys.len());
    let render_pages = || -> Vec<Result<(), RenderError>> {
        keys.par_iter()
            .filter_map(|&key| {
                let result = match renderer.render(key) {
                    Ok(file) if overridden.contains(&file.path) => Ok(()),
                    Ok(file) => sink.put(file).map_err(RenderError::Io),
                    Err(problem) => Err(RenderError::Templates(vec![problem])),
                };
                progress.advance(1);
                result.err().map(Err)
            })
            .collect()
    };
    // The search index is built alongside the pages: its slower, serial parts overlap theirs.
    let index = || {
        (scope == Scope::All)
            .then(|| crate::render::search::index_files(&crate::render::search::records(site)))
    };
    let (failures, index) = rayon::join(render_pages, index);
    progress.end();
    let mut problems = Vec::new();
    for failure in failures {
        match failure {
            Err(RenderError::Templates(mut p)) => problems.append(&mut p),
            Err(io) => return Err(io),
            Ok(()) => {}
        }
    }
    if !problems.is_empty() {
        // Collapsed by `pipeline::collapse_render_errors`, the rule `serve` follows too.
        return Err(RenderError::Templates(problems));
    }
    let mut files = keys.len();
    if let Some(index) = index {
        let index: Vec<OutputFile> = index
            .into_iter()
            .filter(|f| !overridden.contains(&f.path))
            .collect();
        files += index.len() + statics.len();
        index
            .into_par_iter()
            .chain(statics)
            .try_for_each(|f| sink.put(f))
            .map_err(RenderError::Io)?;
    }
    Ok(Rendered { files, pages })
}

/// The highlighting stylesheet and the theme's and dossier's static files (those win).
pub fn static_files(site: &Site, theme: &Theme) -> Vec<OutputFile> {
    let mut files = Vec::new();
    let highlight_theme = site.dossier.config.markdown.highlight_theme.get_ref();
    if !theme.static_files.contains_key(highlight::STYLESHEET_PATH)
        && let Some(css) = highlight::stylesheet(highlight_theme)
    {
        files.push(OutputFile {
            path: highlight::STYLESHEET_PATH.into(),
            contents: css.into_bytes(),
        });
    }
    files.extend(theme.static_files.iter().map(|(path, bytes)| OutputFile {
        path: path.clone(),
        contents: bytes.clone(),
    }));
    // evidence: each source's original, published beside its page (issue 14)
    files.extend(site.dossier.sources.iter().filter_map(|source| {
        Some(OutputFile {
            path: crate::render::view::evidence::original_path(source)?,
            contents: source.meta.original.as_ref()?.bytes.to_vec(),
        })
    }));
    files
}
