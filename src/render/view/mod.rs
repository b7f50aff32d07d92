//! Views: the small, serialize-only structs that templates receive, built from the resolved
//! site for one page at a time. Every template gets `site`, `root` (the relative path to the
//! site root, so links work under any sub-path) and `page`; docs/templates.md lists each field.

use std::ops::Range;
use std::sync::OnceLock;

use serde::Serialize;

use crate::content::{
    Date, DatePrecision, Page, ParagraphKind, Source, TermRef, terms_by_taxonomy,
};
use crate::markdown::{self, RenderLink, RenderOptions};
use crate::site::Site;
use crate::slug::slugify;
use crate::timeline::EntryKind;
use crate::xref::{Citation, DocId, LinkTarget, is_http};

/// Root-relative paths of the site's pages (no leading slash; directories end with `/`).
pub mod paths {
    /// The home page.
    pub const HOME: &str = "";
    /// The timeline.
    pub const TIMELINE: &str = "timeline/";
    /// The source list.
    pub const SOURCES: &str = "sources/";
    /// The summary list.
    pub const SUMMARIES: &str = "summaries/";
    /// The search page.
    pub const SEARCH: &str = "search/";
    /// The print edition.
    pub const PRINT: &str = "print/";

    /// A source page.
    pub fn source(id: &str) -> String {
        format!("sources/{id}/")
    }
    /// A summary page.
    pub fn summary(slug: &str) -> String {
        format!("summaries/{slug}/")
    }
    /// An event's anchor on the timeline.
    pub fn event(slug: &str) -> String {
        format!("timeline/#{}", event_anchor(slug))
    }
    /// The id of an event on the timeline page.
    pub fn event_anchor(slug: &str) -> String {
        format!("event-{slug}")
    }
    /// A taxonomy's matrix page.
    pub fn taxonomy(name: &str) -> String {
        format!("{name}/")
    }
    /// A term's page, as linked: a slug outside ASCII is percent-encoded (its folder is not).
    pub fn term(taxonomy: &str, slug: &str) -> String {
        format!("{taxonomy}/{}/", crate::slug::url_segment(slug))
    }
}

/// Ids in the print edition, where every document shares one page.
pub mod print_anchors {
    /// A source.
    pub fn source(id: &str) -> String {
        format!("src-{id}")
    }
    /// A paragraph of a source.
    pub fn paragraph(id: &str, n: u32) -> String {
        format!("src-{id}-p{n}")
    }
    /// A summary.
    pub fn summary(slug: &str) -> String {
        format!("summary-{slug}")
    }
}

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

/// A date as templates show it.
#[derive(Debug, Clone, Serialize)]
pub struct DateView {
    /// `2024-04-18`, always to the day, for sorting.
    pub iso: String,
    /// For readers at the stated precision: "18 April 2024", "April 2024", "Q2 2024".
    pub display: String,
    /// For `<time datetime>` at the stated precision.
    pub machine: String,
    /// Whether the date is known less precisely than to the day.
    pub approximate: bool,
    /// How precisely: `day`, `month`, `quarter`, or `after` (a lower bound only).
    pub precision: &'static str,
}

impl DateView {
    fn new(date: Date, precision: DatePrecision) -> DateView {
        DateView {
            iso: date.iso(),
            display: date.display(precision),
            machine: date.machine(precision),
            approximate: precision != DatePrecision::Day,
            precision: match precision {
                DatePrecision::Day => "day",
                DatePrecision::Month => "month",
                DatePrecision::Quarter => "quarter",
                DatePrecision::After => "after",
            },
        }
    }
}

/// A source in a list.
#[derive(Debug, Clone, Serialize)]
pub struct SourceItem<'a> {
    /// Id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Root-relative path of its page.
    pub path: String,
    /// Kind, as in the sidecar (`social-post`).
    pub kind: crate::content::SourceKind,
    /// Kind for readers ("Social post").
    pub kind_label: &'static str,
    /// Publisher.
    pub publisher: Option<&'a str>,
    /// Author.
    pub author: Option<&'a str>,
    /// Publication date.
    pub published: Option<DateView>,
    /// How many citations it has.
    pub citations: usize,
    /// Words in its text.
    pub words: usize,
}

/// A summary (or the brief) in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PageItem<'a> {
    /// Slug.
    pub slug: &'a str,
    /// Title.
    pub title: &'a str,
    /// Root-relative path.
    pub path: String,
    /// Description, if any.
    pub description: Option<&'a str>,
    /// Date, if any.
    pub date: Option<DateView>,
}

/// A numbered citation note at the foot of a citing page.
#[derive(Debug, Clone, Serialize)]
pub struct NoteView<'a> {
    /// Its number on the page.
    pub number: u32,
    /// The cited source's id.
    pub source_id: &'a str,
    /// The cited source's title.
    pub source_title: &'a str,
    /// Root-relative path to the source, with `#pN` when a paragraph is cited.
    pub path: String,
    /// The paragraph, if one is cited.
    pub paragraph: Option<u32>,
    /// The quoted words, for a quotation.
    pub quote: Option<&'a str>,
    /// The start of the cited paragraph, for a citation that is not a quotation.
    pub excerpt: Option<String>,
}

/// A citation of a source, as listed on the source page ("cited by").
#[derive(Debug, Clone, Serialize)]
pub struct BacklinkView<'a> {
    /// Its number on the citing page.
    pub number: u32,
    /// The citing page's title.
    pub page_title: &'a str,
    /// What the citing page is: `brief`, `summary`, `timeline` or `source`.
    pub page_kind: &'static str,
    /// Root-relative path to the citation on the citing page (`…#cite-ref-N`).
    pub path: String,
    /// The cited paragraph, if any.
    pub paragraph: Option<u32>,
    /// The sentence the citation stands in.
    pub context: &'a str,
    /// The quoted words, for a quotation.
    pub quote: Option<&'a str>,
}

/// Terms of one taxonomy on a page.
#[derive(Debug, Clone, Serialize)]
pub struct TermGroupView {
    /// Taxonomy name.
    pub taxonomy: String,
    /// Taxonomy title.
    pub title: String,
    /// The terms.
    pub terms: Vec<NavItem>,
}

/// A source as linked from a page's `sources` list.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink<'a> {
    /// Id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Root-relative path.
    pub path: String,
}

/// `page` of `index.html`.
#[derive(Debug, Serialize)]
pub struct IndexView<'a> {
    /// Title of the brief.
    pub title: &'a str,
    /// Description (the brief's, else the site's).
    pub description: &'a str,
    /// `""`.
    pub path: &'static str,
    /// "As of" date.
    pub date: Option<DateView>,
    /// The brief as HTML.
    pub content: String,
    /// Its citation notes.
    pub notes: Vec<NoteView<'a>>,
    /// Events, in timeline order (the first `HOME_LIST_LIMIT`).
    pub key_dates: Vec<EntryView<'a>>,
    /// All events.
    pub event_count: usize,
    /// The sources in list order, or the `HOME_LIST_LIMIT` most cited when there are more.
    pub sources: Vec<ListedSource>,
    /// All sources.
    pub source_count: usize,
    /// The summaries in list order (the first `HOME_LIST_LIMIT`).
    pub summaries: Vec<PageItem<'a>>,
    /// All summaries.
    pub summary_count: usize,
    /// How much the dossier holds. (Only the home page shows it: a number on every page would
    /// make every page change whenever one citation is added.)
    pub counts: Counts,
}

/// `page` of `sources.html`.
#[derive(Debug, Serialize)]
pub struct SourceListView {
    /// "Sources".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// The sources, by date then title.
    pub sources: Vec<ListedSource>,
}

/// `page` of `summaries.html`.
#[derive(Debug, Serialize)]
pub struct SummaryListView<'a> {
    /// "Summaries".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// The summaries, by weight then title.
    pub summaries: Vec<PageItem<'a>>,
}

/// `page` of `source.html`.
#[derive(Debug, Serialize)]
pub struct SourceView<'a> {
    /// The source in list form (id, title, kind, dates, counts).
    #[serde(flatten)]
    pub item: SourceItem<'a>,
    /// A description for `<meta>`: the start of the text.
    pub description: String,
    /// The collection URL, when it is http(s) and may be a link.
    pub url: Option<&'a str>,
    /// A collection URL that is not http(s), shown as text only.
    pub url_text: Option<&'a str>,
    /// The file name it was collected under.
    pub origin: Option<&'a str>,
    /// The verified sha256 of the text.
    pub sha256: Option<&'a str>,
    /// Number of paragraphs.
    pub paragraph_count: usize,
    /// The analyst's note as HTML.
    pub note: Option<String>,
    /// Citation notes of the analyst's note.
    pub note_notes: Vec<NoteView<'a>>,
    /// The text, in blocks of paragraphs.
    pub blocks: Vec<BlockView<'a>>,
    /// Every citation of this source, in page order.
    pub cited_by: Vec<BacklinkView<'a>>,
    /// Pages that list it in their `sources`.
    pub discussed_in: Vec<PageItem<'a>>,
    /// Its taxonomy terms.
    pub terms: Vec<TermGroupView>,
}

/// Consecutive paragraphs displayed together: a run of list items, of quotation lines, or one
/// text paragraph.
#[derive(Debug, Serialize)]
pub struct BlockView<'a> {
    /// `text`, `list-item` or `quote`.
    pub kind: ParagraphKind,
    /// The paragraphs.
    pub paragraphs: Vec<ParagraphView<'a>>,
}

/// One numbered paragraph of a source page.
#[derive(Debug, Serialize)]
pub struct ParagraphView<'a> {
    /// Its number; its anchor is `p{number}`.
    pub number: u32,
    /// Its text as escaped HTML, URLs linked and quoted passages in `<mark>`.
    pub html: String,
    /// Citations of this paragraph.
    pub cited_by: Vec<BacklinkView<'a>>,
}

/// `page` of `summary.html`.
#[derive(Debug, Serialize)]
pub struct SummaryView<'a> {
    /// In list form.
    #[serde(flatten)]
    pub item: PageItem<'a>,
    /// The body as HTML.
    pub content: String,
    /// The start of the body as plain text: a description when it has none.
    pub excerpt: String,
    /// Its citation notes.
    pub notes: Vec<NoteView<'a>>,
    /// The sources it is about.
    pub sources: Vec<SourceLink<'a>>,
    /// Its taxonomy terms.
    pub terms: Vec<TermGroupView>,
}

/// `page` of `timeline.html`.
#[derive(Debug, Serialize)]
pub struct TimelineView<'a> {
    /// "Timeline".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// Entries grouped by year, then quarter.
    pub years: Vec<YearView<'a>>,
}

/// A year of the timeline.
#[derive(Debug, Serialize)]
pub struct YearView<'a> {
    /// The year.
    pub year: i32,
    /// Its quarters that have entries.
    pub quarters: Vec<QuarterView<'a>>,
}

/// A quarter of the timeline.
#[derive(Debug, Serialize)]
pub struct QuarterView<'a> {
    /// 1–4.
    pub quarter: u8,
    /// "Q2 2024".
    pub label: String,
    /// Anchor id: `2024-q2`.
    pub id: String,
    /// Its entries, in order.
    pub entries: Vec<EntryView<'a>>,
}

/// An event or publication on the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct EntryView<'a> {
    /// `event` or `publication`.
    #[serde(rename = "type")]
    pub entry_type: &'static str,
    /// Anchor id on the timeline page.
    pub id: String,
    /// Title.
    pub title: &'a str,
    /// Root-relative path: the event's anchor, or the published source's page.
    pub path: String,
    /// Date.
    pub date: DateView,
    /// End date.
    pub end_date: Option<DateView>,
    /// Event kind (`earnings-call`) or source kind (`social-post`).
    pub kind: String,
    /// The kind for readers: "Earnings call", "Social post".
    pub kind_label: String,
    /// Description, if any.
    pub description: Option<&'a str>,
    /// The event's body as HTML (empty for publications and in key-date lists).
    pub content: String,
    /// The event's citation notes.
    pub notes: Vec<NoteView<'a>>,
    /// The event's sources (for a publication: the source itself).
    pub sources: Vec<SourceLink<'a>>,
    /// Taxonomy terms.
    pub terms: Vec<TermGroupView>,
}

/// `page` of `taxonomy.html`: the matrix.
#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// Taxonomy name.
    pub name: &'a str,
    /// Title.
    pub title: &'a str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: String,
    /// Whether the matrix has a column per source; false when more than
    /// `MATRIX_MAX_SOURCES` sources carry terms, and rows then give counts only.
    pub matrix: bool,
    /// Sources carrying any term of the taxonomy.
    pub source_count: usize,
    /// Columns of the matrix: the sources that carry any term (empty without `matrix`).
    pub columns: Vec<SourceLink<'a>>,
    /// One row per term.
    pub rows: Vec<MatrixRow<'a>>,
}

/// A term's row in the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow<'a> {
    /// The term.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Root-relative path of the term page.
    pub path: String,
    /// One per column: whether that source carries the term.
    pub cells: Vec<bool>,
    /// Sources carrying it.
    pub source_count: usize,
    /// Summaries carrying it.
    pub summary_count: usize,
    /// Summaries carrying it (empty without `matrix`).
    pub summaries: Vec<PageItem<'a>>,
    /// Number of events carrying it.
    pub event_count: usize,
}

/// `page` of `term.html`.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// The term as written.
    pub title: &'a str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: String,
    /// Its taxonomy.
    pub taxonomy: NavItem,
    /// Sources carrying it.
    pub sources: Vec<ListedSource>,
    /// Summaries carrying it.
    pub summaries: Vec<PageItem<'a>>,
    /// Events carrying it.
    pub events: Vec<EntryView<'a>>,
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
}

/// `page` of `search.html`.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// "Search".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: &'static str,
    /// `search/`.
    pub path: &'static str,
    /// Where the index is, relative to the root: `search/meta.json` and its neighbours.
    pub index: &'static str,
}

/// `page` of `print.html`: the whole dossier on one page.
#[derive(Debug, Serialize)]
pub struct PrintView<'a> {
    /// The dossier's title.
    pub title: &'a str,
    /// A description for `<meta>`.
    pub description: &'a str,
    /// `print/`.
    pub path: &'static str,
    /// The executive brief.
    pub brief: PrintSection<'a>,
    /// The summaries, in list order.
    pub summaries: Vec<PrintSection<'a>>,
    /// The events, in timeline order.
    pub events: Vec<PrintSection<'a>>,
    /// The sources, in list order.
    pub sources: Vec<PrintSource<'a>>,
    /// Whether the sources' texts are included (beyond `PRINT_MAX_SOURCES` only their
    /// descriptions are).
    pub sources_in_full: bool,
}

/// A document in the print edition.
#[derive(Debug, Serialize)]
pub struct PrintSection<'a> {
    /// Its anchor: `summary-SLUG`, `event-SLUG`, `brief`.
    pub id: String,
    /// Title.
    pub title: &'a str,
    /// Description, if any.
    pub description: Option<&'a str>,
    /// Date, if any.
    pub date: Option<DateView>,
    /// An event's kind for readers.
    pub kind_label: Option<String>,
    /// Its body as HTML; links go to places in the print edition.
    pub content: String,
    /// Its citations, to print as footnotes.
    pub notes: Vec<NoteView<'a>>,
    /// The prefix of its notes' ids: `cite-N` is `{note_prefix}cite-N`.
    pub note_prefix: String,
}

/// A source in the print edition.
#[derive(Debug, Serialize)]
pub struct PrintSource<'a> {
    /// In list form.
    #[serde(flatten)]
    pub item: SourceItem<'a>,
    /// Its anchor: `src-ID`.
    pub anchor: String,
    /// The collection URL, if http(s).
    pub url: Option<&'a str>,
    /// Its paragraphs (empty unless the texts are included).
    pub paragraphs: Vec<PrintParagraph>,
}

/// A paragraph in the print edition.
#[derive(Debug, Serialize)]
pub struct PrintParagraph {
    /// Its number.
    pub number: u32,
    /// Its anchor: `src-ID-pN`.
    pub id: String,
    /// `text`, `list-item` or `quote`.
    pub kind: ParagraphKind,
    /// Its text as HTML, quoted passages highlighted.
    pub html: String,
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

/// The most sources a taxonomy matrix shows as columns. Beyond this a grid cannot be read,
/// and would grow as terms × sources; the page lists counts per term instead, and each term's
/// page lists all its sources.
pub const MATRIX_MAX_SOURCES: usize = 60;

/// The most sources whose full text the print edition includes: beyond it the edition would
/// be thousands of pages; it then lists the sources, and each source page prints on its own.
pub const PRINT_MAX_SOURCES: usize = 200;

/// How many sources and summaries the home page lists before linking to the full lists.
pub const HOME_LIST_LIMIT: usize = 25;

/// The `site` value every page receives.
pub fn site_view<'a>(site: &'a Site, base_url: &'a str) -> SiteView<'a> {
    let config = &site.dossier.config;
    SiteView {
        title: &config.title,
        description: &config.description,
        language: &config.language,
        base_url,
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| NavItem {
                title: t.title.clone(),
                path: paths::taxonomy(&t.name),
            })
            .collect(),
        highlight_css: crate::highlight::STYLESHEET_PATH,
    }
}

/// Builds views from a resolved site.
pub struct Views<'a> {
    site: &'a Site,
    /// site.toml `[markdown] raw_html`.
    raw_html: bool,
    /// Sources in list order, computed once.
    source_order: Vec<usize>,
    /// Each source's place in `source_order`.
    source_rank: Vec<usize>,
    /// Summaries in list order, computed once.
    summary_order: Vec<usize>,
    /// Each summary's place in `summary_order`.
    summary_rank: Vec<usize>,
    /// Each event's place on the timeline, if dated.
    event_place: Vec<Option<usize>>,
    /// Each source as lists show it, made for templates on first use: a source is on the
    /// source list and on the page of each of its terms, and is converted once for all.
    listed_sources: Vec<OnceLock<ListedSource>>,
}

/// A source in a list ([`SourceItem`]), already converted for templates.
pub type ListedSource = tera::Value;

/// Each item's place in `order`.
fn ranks(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0; order.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i] = place;
    }
    rank
}

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Views<'a> {
        let source_order = source_order(site);
        let summary_order = summary_order(site);
        Views {
            site,
            raw_html: site.dossier.config.markdown.raw_html,
            source_rank: ranks(&source_order),
            summary_rank: ranks(&summary_order),
            source_order,
            summary_order,
            event_place: {
                let mut place = vec![None; site.dossier.events.len()];
                for (i, event) in site.timeline.event_order().into_iter().enumerate() {
                    place[event] = Some(i);
                }
                place
            },
            listed_sources: (0..site.dossier.sources.len())
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The `site` value.
    pub fn site(&self, base_url: &'a str) -> SiteView<'a> {
        site_view(self.site, base_url)
    }

    fn source_item(&self, i: usize) -> SourceItem<'a> {
        let s = &self.site.dossier.sources[i];
        SourceItem {
            id: &s.id,
            title: &s.meta.title,
            path: paths::source(&s.id),
            kind: s.meta.kind,
            kind_label: s.meta.kind.label(),
            publisher: s.meta.publisher.as_deref(),
            author: s.meta.author.as_deref(),
            published: s
                .meta
                .published
                .map(|d| DateView::new(d, s.meta.date_precision)),
            citations: self.site.graph.cited_by[i].len(),
            words: s.word_count,
        }
    }

    fn source_link(&self, i: usize) -> SourceLink<'a> {
        let s = &self.site.dossier.sources[i];
        SourceLink {
            id: &s.id,
            title: &s.meta.title,
            path: paths::source(&s.id),
        }
    }

    fn page_item(&self, page: &'a Page) -> PageItem<'a> {
        PageItem {
            slug: &page.slug,
            title: &page.meta.title,
            path: paths::summary(&page.slug),
            description: page.meta.description.as_deref(),
            date: page
                .meta
                .date
                .map(|d| DateView::new(d, page.meta.date_precision)),
        }
    }

    fn listed_source(&self, i: usize) -> ListedSource {
        self.listed_sources[i]
            .get_or_init(|| tera::Value::from_serializable(&self.source_item(i)))
            .clone()
    }

    fn source_items(&self) -> Vec<ListedSource> {
        self.source_order
            .iter()
            .map(|&i| self.listed_source(i))
            .collect()
    }

    fn summary_items(&self) -> Vec<PageItem<'a>> {
        self.summary_order
            .iter()
            .map(|&i| self.page_item(&self.site.dossier.summaries[i]))
            .collect()
    }

    /// A document's Markdown as HTML, for a page whose root is `root` (the feed's content).
    pub fn document_html(&self, doc: DocId, root: &str) -> String {
        self.document(doc, Links::Relative(root), "").0
    }

    /// Render a document's Markdown, with its notes, linking as `links` says; `id_prefix`
    /// goes before the ids of its citation markers (for pages that show several documents).
    fn document(
        &self,
        doc: DocId,
        links: Links<'_>,
        id_prefix: &str,
    ) -> (String, Vec<NoteView<'a>>) {
        let dossier = &self.site.dossier;
        let body = match doc {
            DocId::Index => dossier.index.body(),
            DocId::Summary(i) => dossier.summaries[i].body(),
            DocId::Event(i) => dossier.events[i].body(),
            DocId::Note(i) => match dossier.sources[i].note_body() {
                Some(body) => body,
                None => return (String::new(), Vec::new()),
            },
        };
        let graph = &self.site.graph;
        let print = matches!(links, Links::Print);
        let root = match links {
            Links::Relative(root) => root.to_string(),
            Links::Print => root_for(paths::PRINT),
        };
        let rendered: Vec<RenderLink> = graph
            .links(doc)
            .iter()
            .map(|link| RenderLink {
                offset: link.offset,
                href: format!("{root}{}", self.target_path(link.target, print)),
                citation: link.citation.map(|c| graph.citations[c].number),
            })
            .collect();
        // In the print edition a body sits under a part and a section heading.
        let heading_shift = if print { 2 } else { 0 };
        let options = RenderOptions {
            raw_html: self.raw_html,
            id_prefix,
            heading_shift,
        };
        let html = markdown::render(body, &rendered, options);
        let notes = graph
            .citations_of(doc)
            .map(|c| self.note(c, print))
            .collect();
        (html, notes)
    }

    /// Where a link goes: its page, or (`print`) its place in the print edition.
    fn target_path(&self, target: LinkTarget, print: bool) -> String {
        let dossier = &self.site.dossier;
        if print {
            let anchor = match target {
                LinkTarget::Source {
                    source,
                    paragraph: Some(n),
                } => print_anchors::paragraph(&dossier.sources[source].id, n),
                LinkTarget::Source {
                    source,
                    paragraph: None,
                } => print_anchors::source(&dossier.sources[source].id),
                LinkTarget::Summary(i) => print_anchors::summary(&dossier.summaries[i].slug),
                LinkTarget::Event(i) => paths::event_anchor(&dossier.events[i].slug),
            };
            return format!("{}#{anchor}", paths::PRINT);
        }
        match target {
            LinkTarget::Source { source, paragraph } => {
                let path = paths::source(&dossier.sources[source].id);
                match paragraph {
                    Some(n) => format!("{path}#p{n}"),
                    None => path,
                }
            }
            LinkTarget::Summary(i) => paths::summary(&dossier.summaries[i].slug),
            LinkTarget::Event(i) => paths::event(&dossier.events[i].slug),
        }
    }

    fn note(&self, c: &'a Citation, print: bool) -> NoteView<'a> {
        let source = &self.site.dossier.sources[c.source];
        let excerpt = match (&c.quote, c.paragraph) {
            (None, Some(n)) => source.paragraph(n).map(|p| excerpt(&p.text, 30)),
            _ => None,
        };
        NoteView {
            number: c.number,
            source_id: &source.id,
            source_title: &source.meta.title,
            path: self.target_path(
                LinkTarget::Source {
                    source: c.source,
                    paragraph: c.paragraph,
                },
                print,
            ),
            paragraph: c.paragraph,
            quote: c.quote.as_deref(),
            excerpt,
        }
    }

    fn backlink(&self, c: &'a Citation) -> BacklinkView<'a> {
        let dossier = &self.site.dossier;
        let (page_title, page_kind, page_path): (&'a str, &'static str, String) = match c.doc {
            DocId::Index => (&dossier.index.meta.title, "brief", paths::HOME.to_string()),
            DocId::Summary(i) => {
                let p = &dossier.summaries[i];
                (&p.meta.title, "summary", paths::summary(&p.slug))
            }
            DocId::Event(i) => (
                &dossier.events[i].meta.title,
                "timeline",
                paths::TIMELINE.to_string(),
            ),
            DocId::Note(i) => {
                let s = &dossier.sources[i];
                (&s.meta.title, "source", paths::source(&s.id))
            }
        };
        BacklinkView {
            number: c.number,
            page_title,
            page_kind,
            path: format!("{page_path}#cite-ref-{}", c.number),
            paragraph: c.paragraph,
            context: &c.context,
            quote: c.quote.as_deref(),
        }
    }

    fn terms(&self, refs: &[TermRef]) -> Vec<TermGroupView> {
        terms_by_taxonomy(refs)
            .into_iter()
            .filter_map(|(taxonomy, terms)| {
                let t = self.site.taxonomies.iter().find(|t| t.name == taxonomy)?;
                let mut items: Vec<NavItem> = terms
                    .into_iter()
                    .map(|term| {
                        let slug = slugify(term);
                        NavItem {
                            title: term.to_string(),
                            path: paths::term(taxonomy, &slug),
                        }
                    })
                    .collect();
                items.dedup_by(|a, b| a.path == b.path);
                Some(TermGroupView {
                    taxonomy: t.name.clone(),
                    title: t.title.clone(),
                    terms: items,
                })
            })
            .collect()
    }

    /// An event or publication as a timeline entry. `with_body` renders the event's Markdown
    /// (for the timeline page itself, whose root is `root`).
    fn entry(&self, kind: EntryKind, root: Option<&str>) -> EntryView<'a> {
        let dossier = &self.site.dossier;
        match kind {
            EntryKind::Event(i) => {
                let page = &dossier.events[i];
                let m = &page.meta;
                let (content, notes) = match root {
                    Some(root) => self.document(DocId::Event(i), Links::Relative(root), ""),
                    None => (String::new(), Vec::new()),
                };
                let sources = m
                    .sources
                    .iter()
                    .filter_map(|(id, _)| dossier.source_index(id))
                    .map(|s| self.source_link(s))
                    .collect();
                EntryView {
                    entry_type: "event",
                    id: paths::event_anchor(&page.slug),
                    title: &m.title,
                    path: paths::event(&page.slug),
                    date: DateView::new(
                        m.date.unwrap_or(Date {
                            year: 0,
                            month: 1,
                            day: 1,
                        }),
                        m.date_precision,
                    ),
                    end_date: m.end_date.map(|d| DateView::new(d, m.date_precision)),
                    kind: m.event_kind.clone().unwrap_or_else(|| "event".into()),
                    kind_label: crate::slug::capitalize(
                        &m.event_kind.as_deref().unwrap_or("event").replace('-', " "),
                    ),
                    description: m.description.as_deref(),
                    content,
                    notes,
                    sources,
                    terms: self.terms(&m.terms),
                }
            }
            EntryKind::Publication(i) => {
                let s = &dossier.sources[i];
                EntryView {
                    entry_type: "publication",
                    id: format!("published-{}", s.id),
                    title: &s.meta.title,
                    path: paths::source(&s.id),
                    date: DateView::new(
                        s.meta.published.unwrap_or(Date {
                            year: 0,
                            month: 1,
                            day: 1,
                        }),
                        s.meta.date_precision,
                    ),
                    end_date: None,
                    kind: s.meta.kind.as_str().to_string(),
                    kind_label: s.meta.kind.label().to_string(),
                    description: None,
                    content: String::new(),
                    notes: Vec::new(),
                    sources: vec![self.source_link(i)],
                    // A source's terms are on its own page; ten thousand publications need not repeat them.
                    terms: Vec::new(),
                }
            }
        }
    }

    /// The executive brief.
    pub fn index(&self) -> IndexView<'a> {
        let page = &self.site.dossier.index;
        let (content, notes) =
            self.document(DocId::Index, Links::Relative(&root_for(paths::HOME)), "");
        let key_dates = self
            .site
            .timeline
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Event(_)))
            .take(HOME_LIST_LIMIT)
            .map(|e| self.entry(e.kind, None))
            .collect();
        let sources = if self.source_order.len() <= HOME_LIST_LIMIT {
            self.source_items()
        } else {
            let cited_by = &self.site.graph.cited_by;
            let mut most_cited = self.source_order.clone();
            // Stable: equally cited sources keep list order.
            most_cited.sort_by_key(|&i| std::cmp::Reverse(cited_by[i].len()));
            most_cited
                .into_iter()
                .take(HOME_LIST_LIMIT)
                .map(|i| self.listed_source(i))
                .collect()
        };
        let d = &self.site.dossier;
        IndexView {
            title: &page.meta.title,
            description: page
                .meta
                .description
                .as_deref()
                .unwrap_or(&self.site.dossier.config.description),
            path: paths::HOME,
            date: page.meta.date.map(|d| DateView::new(d, DatePrecision::Day)),
            content,
            notes,
            key_dates,
            event_count: d.events.len(),
            sources,
            source_count: d.sources.len(),
            summaries: self
                .summary_order
                .iter()
                .take(HOME_LIST_LIMIT)
                .map(|&i| self.page_item(&d.summaries[i]))
                .collect(),
            summary_count: d.summaries.len(),
            counts: Counts {
                sources: d.sources.len(),
                summaries: d.summaries.len(),
                events: d.events.len(),
                citations: self.site.graph.citations.len(),
            },
        }
    }

    /// The source list.
    pub fn source_list(&self) -> SourceListView {
        SourceListView {
            title: "Sources",
            description: format!(
                "The {} source documents of this dossier, kept verbatim.",
                self.site.dossier.sources.len()
            ),
            path: paths::SOURCES,
            sources: self.source_items(),
        }
    }

    /// The summary list.
    pub fn summary_list(&self) -> SummaryListView<'a> {
        SummaryListView {
            title: "Summaries",
            description: format!(
                "The {} analyst summaries of this dossier.",
                self.site.dossier.summaries.len()
            ),
            path: paths::SUMMARIES,
            summaries: self.summary_items(),
        }
    }

    /// The paragraphs of source `i` as HTML, quoted passages highlighted.
    fn paragraph_html(&self, i: usize) -> Vec<String> {
        let source = &self.site.dossier.sources[i];
        let highlights = &self.site.graph.highlights[i];
        let mut next = 0;
        source
            .paragraphs
            .iter()
            .enumerate()
            .map(|(index, paragraph)| {
                let number = index as u32 + 1;
                let start = next;
                while next < highlights.len() && highlights[next].0 == number {
                    next += 1;
                }
                let ranges: Vec<Range<usize>> = highlights[start..next]
                    .iter()
                    .map(|(_, r)| r.clone())
                    .collect();
                paragraph_html(&paragraph.text, &ranges)
            })
            .collect()
    }

    /// One source page.
    pub fn source(&self, i: usize) -> SourceView<'a> {
        let source: &'a Source = &self.site.dossier.sources[i];
        let graph = &self.site.graph;
        let path = paths::source(&source.id);
        let root = root_for(&path);
        let (note, note_notes) = self.document(DocId::Note(i), Links::Relative(&root), "");

        let mut per_paragraph: Vec<Vec<BacklinkView<'a>>> =
            vec![Vec::new(); source.paragraphs.len()];
        let mut cited_by = Vec::with_capacity(graph.cited_by[i].len());
        for &c in &graph.cited_by[i] {
            let citation = &graph.citations[c];
            let backlink = self.backlink(citation);
            if let Some(n) = citation.paragraph {
                per_paragraph[n as usize - 1].push(backlink.clone());
            }
            cited_by.push(backlink);
        }

        let mut blocks: Vec<BlockView<'a>> = Vec::new();
        let rendered = source
            .paragraphs
            .iter()
            .zip(self.paragraph_html(i))
            .zip(per_paragraph);
        for (index, ((paragraph, html), backlinks)) in rendered.enumerate() {
            let view = ParagraphView {
                number: index as u32 + 1,
                html,
                cited_by: backlinks,
            };
            // Runs of list items and of quotation lines share a block; text stands alone.
            match blocks.last_mut() {
                Some(block)
                    if block.kind == paragraph.kind && paragraph.kind != ParagraphKind::Text =>
                {
                    block.paragraphs.push(view);
                }
                _ => blocks.push(BlockView {
                    kind: paragraph.kind,
                    paragraphs: vec![view],
                }),
            }
        }

        let url = source.meta.url.as_deref();
        let discussed_in = graph.about[i]
            .iter()
            .filter_map(|doc| match *doc {
                DocId::Summary(s) => Some(self.page_item(&self.site.dossier.summaries[s])),
                DocId::Index => Some(PageItem {
                    slug: "",
                    title: &self.site.dossier.index.meta.title,
                    path: paths::HOME.into(),
                    description: None,
                    date: None,
                }),
                DocId::Event(e) => {
                    let page = &self.site.dossier.events[e];
                    Some(PageItem {
                        slug: &page.slug,
                        title: &page.meta.title,
                        path: paths::event(&page.slug),
                        description: page.meta.description.as_deref(),
                        date: page
                            .meta
                            .date
                            .map(|d| DateView::new(d, page.meta.date_precision)),
                    })
                }
                DocId::Note(_) => None,
            })
            .collect();
        SourceView {
            item: self.source_item(i),
            description: describe(
                &source.meta.title,
                source.paragraphs.iter().map(|p| p.text.as_str()),
            ),
            url: url.filter(|u| is_http(u)),
            url_text: url.filter(|u| !is_http(u)),
            origin: source.meta.origin.as_deref(),
            sha256: source.meta.sha256.as_deref(),
            paragraph_count: source.paragraphs.len(),
            note: source.meta.note.as_ref().map(|_| note),
            note_notes,
            blocks,
            cited_by,
            discussed_in,
            terms: self.terms(&source.meta.terms),
        }
    }

    /// One summary page.
    pub fn summary(&self, i: usize) -> SummaryView<'a> {
        let page = &self.site.dossier.summaries[i];
        let root = root_for(&paths::summary(&page.slug));
        let (content, notes) = self.document(DocId::Summary(i), Links::Relative(&root), "");
        let sources = page
            .meta
            .sources
            .iter()
            .filter_map(|(id, _)| self.site.dossier.source_index(id))
            .map(|s| self.source_link(s))
            .collect();
        SummaryView {
            item: self.page_item(page),
            excerpt: describe(
                &page.meta.title,
                markdown::plain_text(page.body().text).lines(),
            ),
            content,
            notes,
            sources,
            terms: self.terms(&page.meta.terms),
        }
    }

    /// The timeline page.
    pub fn timeline(&self) -> TimelineView<'a> {
        let root = root_for(paths::TIMELINE);
        let mut years: Vec<YearView<'a>> = Vec::new();
        for entry in &self.site.timeline.entries {
            let (year, quarter) = (entry.date.year, entry.date.quarter());
            if years.last().is_none_or(|y| y.year != year) {
                years.push(YearView {
                    year,
                    quarters: Vec::new(),
                });
            }
            let y = years.last_mut().expect("pushed above");
            if y.quarters.last().is_none_or(|q| q.quarter != quarter) {
                y.quarters.push(QuarterView {
                    quarter,
                    label: format!("Q{quarter} {year}"),
                    id: format!("{year}-q{quarter}"),
                    entries: Vec::new(),
                });
            }
            let q = y.quarters.last_mut().expect("pushed above");
            q.entries.push(self.entry(entry.kind, Some(&root)));
        }
        TimelineView {
            title: "Timeline",
            description: "Events and source publications of this dossier, in order.".into(),
            path: paths::TIMELINE,
            years,
        }
    }

    /// A taxonomy's matrix page.
    pub fn taxonomy(&self, t: usize) -> TaxonomyView<'a> {
        let taxonomy = &self.site.taxonomies[t];
        let mut carrying: Vec<usize> = taxonomy
            .terms
            .iter()
            .flat_map(|term| term.sources.iter().copied())
            .collect();
        carrying.sort_unstable();
        carrying.dedup();
        let matrix = carrying.len() <= MATRIX_MAX_SOURCES;
        let order: Vec<usize> = if matrix {
            self.source_order
                .iter()
                .copied()
                .filter(|i| carrying.binary_search(i).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        let rows = taxonomy
            .terms
            .iter()
            .map(|term| MatrixRow {
                name: &term.name,
                slug: &term.slug,
                path: paths::term(&taxonomy.name, &term.slug),
                cells: order
                    .iter()
                    .map(|i| term.sources.binary_search(i).is_ok())
                    .collect(),
                source_count: term.sources.len(),
                summary_count: term.summaries.len(),
                summaries: if matrix {
                    term.summaries
                        .iter()
                        .map(|&s| self.page_item(&self.site.dossier.summaries[s]))
                        .collect()
                } else {
                    Vec::new()
                },
                event_count: term.events.len(),
            })
            .collect();
        TaxonomyView {
            name: &taxonomy.name,
            title: &taxonomy.title,
            description: format!(
                "{}: which sources and summaries carry each term.",
                taxonomy.title
            ),
            path: paths::taxonomy(&taxonomy.name),
            matrix,
            source_count: carrying.len(),
            columns: order.into_iter().map(|i| self.source_link(i)).collect(),
            rows,
        }
    }

    /// One term's page.
    pub fn term(&self, t: usize, k: usize) -> TermView<'a> {
        let taxonomy = &self.site.taxonomies[t];
        let term = &taxonomy.terms[k];
        // Members in list order: sorted by their place in it, not by scanning the whole list
        // for each term.
        let mut sources = term.sources.clone();
        sources.sort_unstable_by_key(|&i| self.source_rank[i]);
        let sources = sources.into_iter().map(|i| self.listed_source(i)).collect();
        let mut summaries = term.summaries.clone();
        summaries.sort_unstable_by_key(|&i| self.summary_rank[i]);
        let summaries = summaries
            .into_iter()
            .map(|i| self.page_item(&self.site.dossier.summaries[i]))
            .collect();
        // Events in timeline order; an undated one is not on it.
        let mut events: Vec<(usize, usize)> = term
            .events
            .iter()
            .filter_map(|&i| self.event_place[i].map(|place| (place, i)))
            .collect();
        events.sort_unstable();
        let events = events
            .into_iter()
            .map(|(_, i)| self.entry(EntryKind::Event(i), None))
            .collect();
        TermView {
            title: &term.name,
            description: format!(
                "Sources and summaries tagged “{}” ({}).",
                term.name, taxonomy.title
            ),
            path: paths::term(&taxonomy.name, &term.slug),
            taxonomy: NavItem {
                title: taxonomy.title.clone(),
                path: paths::taxonomy(&taxonomy.name),
            },
            sources,
            summaries,
            events,
        }
    }

    /// The search page.
    pub fn search(&self) -> SearchView {
        SearchView {
            title: "Search",
            description: "Search every source paragraph, summary and event of this dossier.",
            path: paths::SEARCH,
            index: crate::search::FOLDER,
        }
    }

    /// The print edition: brief, summaries, timeline and sources on one page.
    pub fn print(&self) -> PrintView<'a> {
        let d = &self.site.dossier;
        let section = |doc: DocId, id: String, page: &'a crate::content::Page| {
            let note_prefix = format!("{id}-");
            let (content, notes) = self.document(doc, Links::Print, &note_prefix);
            let m = &page.meta;
            PrintSection {
                id,
                title: &m.title,
                description: m.description.as_deref(),
                date: m.date.map(|date| DateView::new(date, m.date_precision)),
                kind_label: m
                    .event_kind
                    .as_deref()
                    .map(|k| crate::slug::capitalize(&k.replace('-', " "))),
                content,
                notes,
                note_prefix,
            }
        };
        let sources_in_full = d.sources.len() <= PRINT_MAX_SOURCES;
        PrintView {
            title: &d.config.title,
            description: &d.config.description,
            path: paths::PRINT,
            brief: section(DocId::Index, "brief".into(), &d.index),
            summaries: self
                .summary_order
                .iter()
                .map(|&i| {
                    section(
                        DocId::Summary(i),
                        print_anchors::summary(&d.summaries[i].slug),
                        &d.summaries[i],
                    )
                })
                .collect(),
            events: self
                .site
                .timeline
                .event_order()
                .into_iter()
                .map(|i| {
                    section(
                        DocId::Event(i),
                        paths::event_anchor(&d.events[i].slug),
                        &d.events[i],
                    )
                })
                .collect(),
            sources: self
                .source_order
                .iter()
                .map(|&i| {
                    let source = &d.sources[i];
                    let paragraphs = if sources_in_full {
                        source
                            .paragraphs
                            .iter()
                            .zip(self.paragraph_html(i))
                            .enumerate()
                            .map(|(n, (p, html))| PrintParagraph {
                                number: n as u32 + 1,
                                id: print_anchors::paragraph(&source.id, n as u32 + 1),
                                kind: p.kind,
                                html,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    PrintSource {
                        item: self.source_item(i),
                        anchor: print_anchors::source(&source.id),
                        url: source.meta.url.as_deref().filter(|u| is_http(u)),
                        paragraphs,
                    }
                })
                .collect(),
            sources_in_full,
        }
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

/// Sources in list order: by publication date (undated last), then title.
fn source_order(site: &Site) -> Vec<usize> {
    let sources = &site.dossier.sources;
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_cached_key(|&i| {
        let m = &sources[i].meta;
        (m.published.is_none(), m.published, m.title.clone(), i)
    });
    order
}

/// Summaries in list order: weighted ones first by weight, then by title.
fn summary_order(site: &Site) -> Vec<usize> {
    let pages = &site.dossier.summaries;
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by_cached_key(|&i| {
        let m = &pages[i].meta;
        (m.weight.is_none(), m.weight, m.title.clone(), i)
    });
    order
}

/// A description for `<meta>` and previews: about 160 characters of `paragraphs`, cut at a word,
/// passing over paragraphs too short to describe anything (page furniture such as "Post" or a
/// count) and one that only repeats the title.
fn describe<'t>(title: &str, paragraphs: impl Iterator<Item = &'t str>) -> String {
    const LENGTH: usize = 160;
    let mut text = String::new();
    for paragraph in paragraphs {
        let paragraph = paragraph.trim();
        if paragraph.split_whitespace().count() < 4 || paragraph.eq_ignore_ascii_case(title.trim())
        {
            continue;
        }
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(paragraph);
        if text.chars().count() > LENGTH {
            break;
        }
    }
    if text.chars().count() <= LENGTH {
        return text;
    }
    let mut cut: String = text.chars().take(LENGTH).collect();
    if let Some(space) = cut.rfind(' ') {
        cut.truncate(space);
    }
    format!("{} …", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// The first `words` words of `text`, with `…` if cut.
fn excerpt(text: &str, words: usize) -> String {
    let mut parts = text.split_whitespace();
    let taken: Vec<&str> = parts.by_ref().take(words).collect();
    let more = parts.next().is_some();
    format!("{}{}", taken.join(" "), if more { " …" } else { "" })
}

/// A source paragraph as HTML: escaped, bare http(s) URLs linked, `highlights` (sorted,
/// non-overlapping byte ranges) wrapped in `<mark>`, nested inside links where they overlap.
pub fn paragraph_html(text: &str, highlights: &[Range<usize>]) -> String {
    let urls = find_urls(text);
    if urls.is_empty() && highlights.is_empty() {
        let mut out = String::with_capacity(text.len() + 16);
        markdown::escape_html(&mut out, text);
        return out;
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for r in urls.iter().chain(highlights) {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    let inside = |ranges: &[Range<usize>], at: usize| {
        ranges.iter().position(|r| r.start <= at && at < r.end)
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut open_url: Option<usize> = None;
    let mut open_mark = false;
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from == to {
            continue;
        }
        let url = inside(&urls, from);
        let mark = inside(highlights, from).is_some();
        if url != open_url {
            if open_mark {
                out.push_str("</mark>");
                open_mark = false;
            }
            if open_url.is_some() {
                out.push_str("</a>");
            }
            if let Some(u) = url {
                out.push_str("<a href=\"");
                markdown::escape_attr(&mut out, &text[urls[u].clone()]);
                out.push_str("\" rel=\"nofollow noopener\">");
            }
            open_url = url;
        }
        if mark != open_mark {
            out.push_str(if mark { "<mark>" } else { "</mark>" });
            open_mark = mark;
        }
        markdown::escape_html(&mut out, &text[from..to]);
    }
    if open_mark {
        out.push_str("</mark>");
    }
    if open_url.is_some() {
        out.push_str("</a>");
    }
    out
}

/// Byte ranges of bare http(s) URLs: from the scheme to the next white space, without
/// trailing punctuation or an unmatched closing bracket.
pub fn find_urls(text: &str) -> Vec<Range<usize>> {
    let mut urls = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let start = from + found;
        let rest = &text[start..];
        let scheme = if rest.starts_with("https://") {
            8
        } else if rest.starts_with("http://") {
            7
        } else {
            from = start + 4;
            continue;
        };
        let preceded_by_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(char::is_alphanumeric);
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .unwrap_or(rest.len());
        let mut end = start + len;
        // Trailing punctuation ends the sentence, not the URL.
        while let Some(last) = text[start..end].chars().next_back() {
            let unmatched_close = match last {
                ')' => {
                    text[start..end].matches('(').count() < text[start..end].matches(')').count()
                }
                ']' => {
                    text[start..end].matches('[').count() < text[start..end].matches(']').count()
                }
                _ => false,
            };
            if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '”')
                || unmatched_close
            {
                end -= last.len_utf8();
            } else {
                break;
            }
        }
        if !preceded_by_word && end > start + scheme {
            urls.push(start..end);
        }
        from = end.max(start + scheme);
    }
    urls
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

    #[test]
    fn urls_are_found_without_trailing_punctuation() {
        let text = "See https://a.org/x. And (https://2.gy-118.workers.dev/:443/https/lnkd.in/g-Pg5) and http://b.org/a_(b)";
        let found: Vec<&str> = find_urls(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            found,
            vec![
                "https://a.org/x",
                "https://2.gy-118.workers.dev/:443/https/lnkd.in/g-Pg5",
                "http://b.org/a_(b)"
            ]
        );
    }

    #[test]
    fn urls_need_a_host_and_a_word_boundary() {
        assert!(find_urls("https:// nothing").is_empty());
        assert!(find_urls("xhttps://a.org").is_empty());
        assert!(find_urls("the http protocol").is_empty());
    }

    #[test]
    fn paragraphs_are_escaped_linked_and_highlighted() {
        let text = "Say <b>“hi”</b> at https://a.org/?x=1&y=2 now";
        let start = text.find("at https").unwrap_or_default();
        let highlight = start..start + 10;
        let html = paragraph_html(text, std::slice::from_ref(&highlight));
        assert_eq!(
            html,
            "Say &lt;b&gt;“hi”&lt;/b&gt; <mark>at </mark><a href=\"https://a.org/?x=1&amp;y=2\" rel=\"nofollow noopener\"><mark>https:/</mark>/a.org/?x=1&amp;y=2</a> now"
        );
    }

    #[test]
    fn descriptions_skip_page_furniture_and_cut_at_a_word() {
        let paragraphs = [
            "Post",
            "4730",
            "Why Meta gives Llama away",
            "Why does Meta invest millions in Llama 3 and then makes it available for free? Here is Zuckerberg's explanation to investors in the Q3 2023 earnings call, and more words after it.",
        ];
        let d = describe("Why Meta gives Llama away", paragraphs.into_iter());
        assert!(d.starts_with("Why does Meta invest millions"), "{d}");
        assert!(d.ends_with(" …") && d.chars().count() <= 162, "{d}");
        assert_eq!(
            describe("T", ["A short but real sentence."].into_iter()),
            "A short but real sentence."
        );
    }

    #[test]
    fn excerpts_cut_at_word_counts() {
        assert_eq!(excerpt("a b c d", 2), "a b …");
        assert_eq!(excerpt("a b", 2), "a b");
    }
}
