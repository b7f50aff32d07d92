//! Views: the small, serialize-only structs that templates receive, built from the resolved
//! site for one page at a time. Every template gets `site`, `root` (the relative path to the
//! site root, so links work under any sub-path) and `page`; docs/templates.md lists each field.

use std::sync::OnceLock;

use serde::Serialize;

use crate::resolve::site::Site;
use crate::url::paths;

use reads::{Read, Reads};

// analyst: /judgments/ and /open-questions/ (issue 18)
pub mod analysis;
pub mod common;
pub mod evidence;
pub mod graph;
pub mod index;
pub mod print;
pub mod reads;
pub mod search;
pub mod source;
pub mod summary;
pub mod taxonomy;
pub mod timeline;

use analysis::{JudgmentsView, OpenQuestionsView};
use graph::GraphView;
use index::IndexView;
use print::PrintView;
use search::SearchView;
use source::{SourceListView, SourceView};
use summary::{SummaryListView, SummaryView};
use taxonomy::{TaxonomyView, TermView};
use timeline::TimelineView;

/// How a rendered document links into the dossier.
#[derive(Debug, Clone, Copy)]
enum Links<'r> {
    /// To the pages, from a page whose root is the given one.
    Relative(&'r str),
    /// To the places in the print edition, from it.
    Print,
}

/// The relative path from a page at `path` back to the site root: `./`, `../`, `../../`.
pub fn root_for(path: &str) -> String {
    match path.matches('/').count() {
        0 => "./".into(),
        depth => "../".repeat(depth),
    }
}

/// The root for pages served at any URL (the 404 page): the path of `base_url`, absolute.
pub fn absolute_root(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or("", |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    format!("{}/", path.trim_end_matches('/'))
}

/// What every page receives as `site`.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    /// site.toml `title`.
    pub title: &'a str,
    /// site.toml `description`.
    pub description: &'a str,
    /// site.toml `language`.
    pub language: &'a str,
    /// The base URL (possibly overridden with `--base-url`), without trailing slash.
    pub base_url: &'a str,
    /// Taxonomies, for navigation.
    pub taxonomies: Vec<NavItem>,
    /// The highlighting stylesheet, relative to the root.
    pub highlight_css: &'static str,
}

/// A link in navigation.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    /// Shown text.
    pub title: String,
    /// Root-relative path.
    pub path: String,
}

/// How much the dossier holds.
#[derive(Debug, Serialize)]
pub struct Counts {
    /// Sources.
    pub sources: usize,
    /// Summaries.
    pub summaries: usize,
    /// Events.
    pub events: usize,
    /// Citations across all pages.
    pub citations: usize,
}

/// The `page` value of any template: one of the views above.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum PageView<'a> {
    /// `index.html`.
    Index(IndexView<'a>),
    /// `timeline.html`.
    Timeline(TimelineView<'a>),
    /// `sources.html`.
    SourceList(SourceListView),
    /// `source.html`.
    Source(Box<SourceView<'a>>),
    /// `summaries.html`.
    SummaryList(SummaryListView<'a>),
    /// `summary.html`.
    Summary(SummaryView<'a>),
    /// `taxonomy.html`.
    Taxonomy(TaxonomyView<'a>),
    /// `term.html`.
    Term(TermView<'a>),
    /// `404.html`.
    NotFound(NotFoundView),
    /// `search.html`.
    Search(SearchView),
    /// `print.html`.
    Print(Box<PrintView<'a>>),
    /// `judgments.html` (issue 18).
    Judgments(JudgmentsView<'a>),
    /// `open-questions.html` (issue 18).
    OpenQuestions(OpenQuestionsView<'a>),
    /// `graph.html`.
    Graph(GraphView),
}

/// `page` of `404.html`.
#[derive(Debug, Serialize)]
pub struct NotFoundView {
    /// "Page not found".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: &'static str,
    /// `404.html`.
    pub path: &'static str,
}

/// The `site` value every page receives.
pub fn site_view<'a>(reads: &Reads<'a>, base_url: &'a str) -> SiteView<'a> {
    let config = reads.config();
    SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url,
        taxonomies: reads
            .taxonomy_names()
            .map(|(name, title)| NavItem {
                title: title.to_string(),
                path: paths::taxonomy(name),
            })
            .collect(),
        highlight_css: crate::render::highlight::STYLESHEET_PATH,
    }
}

/// Builds views from a resolved site, which they reach only through [`Reads`].
pub struct Views<'a> {
    reads: Reads<'a>,
    /// Each source as lists show it, made for templates on first use, with what it read: a
    /// source is on the source list and on the page of each of its terms, and is converted
    /// once for all.
    listed_sources: Vec<OnceLock<(ListedSource, Vec<Read>)>>,
}

/// A source in a list ([`SourceItem`]), already converted for templates.
pub type ListedSource = tera::Value;

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Views<'a> {
        Views {
            reads: Reads::new(site),
            listed_sources: (0..site.dossier.sources.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The accessors the views read the site through.
    pub fn reads(&self) -> &Reads<'a> {
        &self.reads
    }

    /// site.toml `[markdown] raw_html`.
    fn raw_html(&self) -> bool {
        self.reads.config().markdown.raw_html
    }

    /// The `site` value.
    pub fn site(&self, base_url: &'a str) -> SiteView<'a> {
        site_view(&self.reads, base_url)
    }

    /// The not-found page.
    pub fn not_found(&self) -> NotFoundView {
        NotFoundView {
            title: "Page not found",
            description: "There is no page at this address.",
            path: "404.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_climb_one_level_per_folder() {
        assert_eq!(root_for(""), "./");
        assert_eq!(root_for("timeline/"), "../");
        assert_eq!(root_for("sources/a/"), "../../");
    }

    #[test]
    fn absolute_root_is_the_base_url_path() {
        assert_eq!(absolute_root("https://example.org/llama"), "/llama/");
        assert_eq!(absolute_root("https://example.org/llama/"), "/llama/");
        assert_eq!(absolute_root("https://example.org"), "/");
        assert_eq!(absolute_root(""), "/");
    }
}
