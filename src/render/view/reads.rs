//! What a page reads of the site, recorded as it is built. Views hold the site only inside
//! [`Reads`], whose fields are private to this module: every builder reaches the data through
//! an accessor that notes a [`Read`] on the tape of the page being rendered. `serve` keeps
//! each page's reads (as [`Key`]s, named rather than numbered, so they survive items coming
//! and going) and renders again exactly the pages that read a key a change touched; a new
//! view cannot forget to declare what it shows. `tests/incremental.rs` garbles everything a
//! page did not record and expects the same bytes.
//!
//! The tape is per thread: a page renders on one thread, start to end (views use no rayon).
//! With no tape running (`build`, `check`), noting a read is one thread-local check.

use std::cell::RefCell;
use std::hash::{BuildHasher, Hash};
use std::sync::OnceLock;

use crate::load::config::SiteConfig;
use crate::load::content::{Body, Page, PageMeta, Source, SourceMeta};
use crate::resolve::analysis::Analysis;
use crate::resolve::site::Site;
use crate::resolve::taxonomy::{Taxonomy, Term};
use crate::resolve::timeline::Entry;
use crate::resolve::xref::{Citation, DocId, Link};

/// One thing a page read, by index into the site it was built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Read {
    /// site.toml (title, language, markdown options) and the declared taxonomies' names.
    Site,
    /// The whole dossier: pages that show all of it (print, feed, sitemap, graph, exports).
    Everything,
    /// How many sources, summaries and events there are, and the citations in all; which ids
    /// exist (a lookup that found nothing).
    Counts,
    /// The order of the source list.
    SourceOrder,
    /// The order of the summary list.
    SummaryOrder,
    /// The timeline's entries and their order.
    Timeline,
    /// The key judgments and open questions.
    Analysis,
    /// The brief's front matter.
    IndexMeta,
    /// The brief's text.
    IndexBody,
    /// A source: its metadata, text, note and original.
    Source(u32),
    /// A summary's front matter.
    SummaryMeta(u32),
    /// A summary's text.
    SummaryBody(u32),
    /// An event's front matter.
    EventMeta(u32),
    /// An event's text.
    EventBody(u32),
    /// A document's resolved links and citations (their numbers, sentences, quotes).
    Resolved(DocId),
    /// The citations of a source, in order, and the passages they highlight.
    CitedBy(u32),
    /// How often a source is cited.
    CitationCount(u32),
    /// The documents that list a source in their `sources`.
    About(u32),
    /// A taxonomy's terms and what carries each.
    Taxonomy(u32),
    /// What carries one term (taxonomy, term).
    Term(u32, u32),
}

/// A read, named: stable across rebuilds in which items come, go or move. Two keys may
/// collide (a 64-bit hash); that only renders a page more than needed, never less.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(u64);

/// The kinds of keys, hashed with the names they are about.
#[derive(Hash)]
enum Kind {
    IndexMeta,
    IndexBody,
    Source,
    SummaryMeta,
    SummaryBody,
    EventMeta,
    EventBody,
    Resolved,
    CitedBy,
    CitationCount,
    About,
    Taxonomy,
    Term,
}

fn key(kind: Kind, names: &[&str]) -> Key {
    // Fixed seeds: keys are compared only within one process, but a fixed hash keeps runs
    // reproducible.
    let state = ahash::RandomState::with_seeds(0x5eed, 0xd055, 0x1e7, 0xca11);
    let mut hasher = state.build_hasher();
    kind.hash(&mut hasher);
    names.hash(&mut hasher);
    Key(std::hash::Hasher::finish(&hasher))
}

/// How a document is named in keys: its kind and its id or slug.
fn doc_names(site: &Site, doc: DocId) -> (&'static str, &str) {
    let d = &site.dossier;
    match doc {
        DocId::Index => ("index", ""),
        DocId::Summary(i) => ("summary", &d.summaries[i].slug),
        DocId::Event(i) => ("event", &d.events[i].slug),
        DocId::Note(i) => ("note", &d.sources[i].id),
    }
}

impl Key {
    /// site.toml and the taxonomies' names.
    pub const fn site() -> Key {
        // The keys about no name are fixed numbers (a hash of nothing would do as well).
        Key(1)
    }
    /// The whole dossier.
    pub const fn everything() -> Key {
        Key(2)
    }
    /// Counts and which ids exist.
    pub const fn counts() -> Key {
        Key(3)
    }
    /// The source list's order.
    pub const fn source_order() -> Key {
        Key(4)
    }
    /// The summary list's order.
    pub const fn summary_order() -> Key {
        Key(5)
    }
    /// The timeline.
    pub const fn timeline() -> Key {
        Key(6)
    }
    /// The judgments and open questions.
    pub const fn analysis() -> Key {
        Key(7)
    }
    /// The brief's front matter.
    pub fn index_meta() -> Key {
        key(Kind::IndexMeta, &[])
    }
    /// The brief's text.
    pub fn index_body() -> Key {
        key(Kind::IndexBody, &[])
    }
    /// A source, by id.
    pub fn source(id: &str) -> Key {
        key(Kind::Source, &[id])
    }
    /// A summary's front matter, by slug.
    pub fn summary_meta(slug: &str) -> Key {
        key(Kind::SummaryMeta, &[slug])
    }
    /// A summary's text, by slug.
    pub fn summary_body(slug: &str) -> Key {
        key(Kind::SummaryBody, &[slug])
    }
    /// An event's front matter, by slug.
    pub fn event_meta(slug: &str) -> Key {
        key(Kind::EventMeta, &[slug])
    }
    /// An event's text, by slug.
    pub fn event_body(slug: &str) -> Key {
        key(Kind::EventBody, &[slug])
    }
    /// A document's resolution, by kind (`index`, `summary`, `event`, `note`) and name.
    pub fn resolved(kind: &str, name: &str) -> Key {
        key(Kind::Resolved, &[kind, name])
    }
    /// A source's citations, by id.
    pub fn cited_by(id: &str) -> Key {
        key(Kind::CitedBy, &[id])
    }
    /// How often a source is cited, by id.
    pub fn citation_count(id: &str) -> Key {
        key(Kind::CitationCount, &[id])
    }
    /// The documents listing a source, by id.
    pub fn about(id: &str) -> Key {
        key(Kind::About, &[id])
    }
    /// A taxonomy, by name.
    pub fn taxonomy(name: &str) -> Key {
        key(Kind::Taxonomy, &[name])
    }
    /// A term, by taxonomy name and term slug.
    pub fn term(taxonomy: &str, slug: &str) -> Key {
        key(Kind::Term, &[taxonomy, slug])
    }
}

impl Read {
    /// The read, named in `site` (the site the page was built from).
    pub fn key(self, site: &Site) -> Key {
        let d = &site.dossier;
        match self {
            Read::Site => Key::site(),
            Read::Everything => Key::everything(),
            Read::Counts => Key::counts(),
            Read::SourceOrder => Key::source_order(),
            Read::SummaryOrder => Key::summary_order(),
            Read::Timeline => Key::timeline(),
            Read::Analysis => Key::analysis(),
            Read::IndexMeta => Key::index_meta(),
            Read::IndexBody => Key::index_body(),
            Read::Source(i) => Key::source(&d.sources[i as usize].id),
            Read::SummaryMeta(i) => Key::summary_meta(&d.summaries[i as usize].slug),
            Read::SummaryBody(i) => Key::summary_body(&d.summaries[i as usize].slug),
            Read::EventMeta(i) => Key::event_meta(&d.events[i as usize].slug),
            Read::EventBody(i) => Key::event_body(&d.events[i as usize].slug),
            Read::Resolved(doc) => {
                let (kind, name) = doc_names(site, doc);
                Key::resolved(kind, name)
            }
            Read::CitedBy(i) => Key::cited_by(&d.sources[i as usize].id),
            Read::CitationCount(i) => Key::citation_count(&d.sources[i as usize].id),
            Read::About(i) => Key::about(&d.sources[i as usize].id),
            Read::Taxonomy(t) => Key::taxonomy(&site.taxonomies[t as usize].name),
            Read::Term(t, k) => {
                let taxonomy = &site.taxonomies[t as usize];
                Key::term(&taxonomy.name, &taxonomy.terms[k as usize].slug)
            }
        }
    }
}

thread_local! {
    /// The reads of the page being built on this thread, while one is recorded.
    static TAPE: RefCell<Option<Vec<Read>>> = const { RefCell::new(None) };
}

/// Note a read on this thread's tape, if one is running.
fn note(read: Read) {
    TAPE.with(|tape| {
        if let Some(reads) = tape.borrow_mut().as_mut() {
            reads.push(read);
        }
    });
}

/// Run `f`, returning what it read as well. Nested captures also note their reads on the
/// tape around them, so a value built once and shared ([`replay`]ed later) is accounted
/// for the first page too.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, Vec<Read>) {
    let outer = TAPE.with(|tape| tape.replace(Some(Vec::new())));
    let value = f();
    let mut reads = TAPE
        .with(|tape| tape.replace(outer))
        .expect("the tape set above");
    reads.sort_unstable();
    reads.dedup();
    replay(&reads);
    (value, reads)
}

/// Note reads made earlier, for a value built then and used again now.
pub fn replay(reads: &[Read]) {
    TAPE.with(|tape| {
        if let Some(tape) = tape.borrow_mut().as_mut() {
            tape.extend_from_slice(reads);
        }
    });
}

/// A summary or event as lists show it: its slug and front matter, without its text.
#[derive(Debug, Clone, Copy)]
pub struct Listed<'a> {
    /// The slug.
    pub slug: &'a str,
    /// The front matter.
    pub meta: &'a PageMeta,
}

/// The site, behind accessors that record what they give out.
pub struct Reads<'a> {
    site: &'a Site,
    /// The list orders, made on first use (a rebuild that renders one summary needs none).
    orders: OnceLock<Orders>,
}

/// The orders of the lists and the timeline, each item's place in them.
struct Orders {
    /// Sources in list order.
    source_order: Vec<usize>,
    /// Each source's place in `source_order`.
    source_rank: Vec<usize>,
    /// Summaries in list order.
    summary_order: Vec<usize>,
    /// Each summary's place in `summary_order`.
    summary_rank: Vec<usize>,
    /// Each event's place on the timeline, if dated.
    event_place: Vec<Option<usize>>,
    /// Events in timeline order.
    event_order: Vec<usize>,
}

impl Orders {
    fn of(site: &Site) -> Orders {
        let source_order = source_order(site);
        let summary_order = summary_order(site);
        let event_order = site.timeline.event_order();
        let mut event_place = vec![None; site.dossier.events.len()];
        for (place, &event) in event_order.iter().enumerate() {
            event_place[event] = Some(place);
        }
        Orders {
            source_rank: ranks(&source_order),
            summary_rank: ranks(&summary_order),
            source_order,
            summary_order,
            event_place,
            event_order,
        }
    }
}

/// Each item's place in `order`.
fn ranks(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0; order.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i] = place;
    }
    rank
}

/// Where a source goes in list order: by publication date (undated last), then title (then
/// id, its index).
pub fn source_order_key(m: &SourceMeta) -> impl Ord + use<> {
    (m.published.is_none(), m.published, m.title.clone())
}

/// Where a summary goes in list order: weighted ones first by weight, then by title (then
/// slug, its index).
pub fn summary_order_key(m: &PageMeta) -> impl Ord + use<> {
    (m.weight.is_none(), m.weight, m.title.clone())
}

/// Sources in list order.
fn source_order(site: &Site) -> Vec<usize> {
    let sources = &site.dossier.sources;
    let mut order: Vec<usize> = (0..sources.len()).collect();
    order.sort_by_cached_key(|&i| (source_order_key(&sources[i].meta), i));
    order
}

/// Summaries in list order.
fn summary_order(site: &Site) -> Vec<usize> {
    let pages = &site.dossier.summaries;
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by_cached_key(|&i| (summary_order_key(&pages[i].meta), i));
    order
}

fn idx(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 4 billion items")
}

impl<'a> Reads<'a> {
    /// Accessors for `site`.
    pub fn new(site: &'a Site) -> Reads<'a> {
        Reads {
            site,
            orders: OnceLock::new(),
        }
    }

    fn orders(&self) -> &Orders {
        self.orders.get_or_init(|| Orders::of(self.site))
    }

    /// The whole site, for pages that show all of it (print, feed, sitemap, graph, exports):
    /// they read `Everything`, and render again after any change.
    pub fn everything(&self) -> &'a Site {
        note(Read::Everything);
        self.site
    }

    /// site.toml.
    pub fn config(&self) -> &'a SiteConfig {
        note(Read::Site);
        &self.site.dossier.config
    }

    /// The taxonomies' names and titles (each is declared in site.toml).
    pub fn taxonomy_names(&self) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        note(Read::Site);
        self.site
            .taxonomies
            .iter()
            .map(|t| (t.name.as_str(), t.title.as_str()))
    }

    /// How many sources there are.
    pub fn source_count(&self) -> usize {
        note(Read::Counts);
        self.site.dossier.sources.len()
    }

    /// How many summaries there are.
    pub fn summary_count(&self) -> usize {
        note(Read::Counts);
        self.site.dossier.summaries.len()
    }

    /// How many events there are.
    pub fn event_count(&self) -> usize {
        note(Read::Counts);
        self.site.dossier.events.len()
    }

    /// How many citations the dossier holds.
    pub fn citation_total(&self) -> usize {
        note(Read::Counts);
        self.site.graph.citations.len()
    }

    /// The source with this id.
    pub fn source_index(&self, id: &str) -> Option<usize> {
        let found = self.site.dossier.source_index(id);
        // Which ids exist changes only as sources come and go.
        note(found.map_or(Read::Counts, |i| Read::Source(idx(i))));
        found
    }

    /// Source `i`, all of it.
    pub fn source(&self, i: usize) -> &'a Source {
        note(Read::Source(idx(i)));
        &self.site.dossier.sources[i]
    }

    /// Every source, all of them: a page listing them all.
    pub fn sources(&self) -> &'a [Source] {
        for i in 0..self.site.dossier.sources.len() {
            note(Read::Source(idx(i)));
        }
        note(Read::Counts);
        &self.site.dossier.sources
    }

    /// Summary `i`'s slug and front matter.
    pub fn summary(&self, i: usize) -> Listed<'a> {
        note(Read::SummaryMeta(idx(i)));
        let page = &self.site.dossier.summaries[i];
        Listed {
            slug: &page.slug,
            meta: &page.meta,
        }
    }

    /// Event `i`'s slug and front matter.
    pub fn event(&self, i: usize) -> Listed<'a> {
        note(Read::EventMeta(idx(i)));
        let page = &self.site.dossier.events[i];
        Listed {
            slug: &page.slug,
            meta: &page.meta,
        }
    }

    /// The brief's front matter.
    pub fn index(&self) -> &'a PageMeta {
        note(Read::IndexMeta);
        &self.site.dossier.index.meta
    }

    /// A document's Markdown (none for a source without a note).
    pub fn body(&self, doc: DocId) -> Option<Body<'a>> {
        let d = &self.site.dossier;
        let page = |read: Read, page: &'a Page| {
            note(read);
            Some(page.body())
        };
        match doc {
            DocId::Index => page(Read::IndexBody, &d.index),
            DocId::Summary(i) => page(Read::SummaryBody(idx(i)), &d.summaries[i]),
            DocId::Event(i) => page(Read::EventBody(idx(i)), &d.events[i]),
            DocId::Note(i) => self.source(i).note_body(),
        }
    }

    /// A document's resolved links.
    pub fn links(&self, doc: DocId) -> &'a [Link] {
        note(Read::Resolved(doc));
        self.site.graph.links(doc)
    }

    /// The citations written in a document.
    pub fn citations_of(&self, doc: DocId) -> impl Iterator<Item = &'a Citation> + 'a {
        note(Read::Resolved(doc));
        self.site.graph.citations_of(doc)
    }

    /// Citation `c` (from a document's links): part of its document's resolution.
    pub fn citation(&self, c: usize) -> &'a Citation {
        let citation = &self.site.graph.citations[c];
        note(Read::Resolved(citation.doc));
        citation
    }

    /// The citations of source `i`, in page order.
    pub fn cited_by(&self, i: usize) -> impl ExactSizeIterator<Item = &'a Citation> + 'a {
        note(Read::CitedBy(idx(i)));
        let graph = &self.site.graph;
        graph.cited_by[i].iter().map(|&c| &graph.citations[c])
    }

    /// How often source `i` is cited.
    pub fn citation_count(&self, i: usize) -> usize {
        note(Read::CitationCount(idx(i)));
        self.site.graph.cited_by[i].len()
    }

    /// The passages of source `i` its quotations highlight.
    pub fn highlights(&self, i: usize) -> &'a [(u32, std::ops::Range<usize>)] {
        note(Read::CitedBy(idx(i)));
        &self.site.graph.highlights[i]
    }

    /// The documents that list source `i` in their `sources`.
    pub fn about(&self, i: usize) -> &'a [DocId] {
        note(Read::About(idx(i)));
        &self.site.graph.about[i]
    }

    /// Sources in list order.
    pub fn source_order(&self) -> &[usize] {
        note(Read::SourceOrder);
        &self.orders().source_order
    }

    /// Source `i`'s place in list order.
    pub fn source_rank(&self, i: usize) -> usize {
        note(Read::SourceOrder);
        self.orders().source_rank[i]
    }

    /// Summaries in list order.
    pub fn summary_order(&self) -> &[usize] {
        note(Read::SummaryOrder);
        &self.orders().summary_order
    }

    /// Summary `i`'s place in list order.
    pub fn summary_rank(&self, i: usize) -> usize {
        note(Read::SummaryOrder);
        self.orders().summary_rank[i]
    }

    /// The timeline's entries, in order.
    pub fn timeline(&self) -> &'a [Entry] {
        note(Read::Timeline);
        &self.site.timeline.entries
    }

    /// Events in timeline order.
    pub fn event_order(&self) -> &[usize] {
        note(Read::Timeline);
        &self.orders().event_order
    }

    /// Event `i`'s place on the timeline, if it is dated.
    pub fn event_place(&self, i: usize) -> Option<usize> {
        note(Read::Timeline);
        self.orders().event_place[i]
    }

    /// Taxonomy `t` with all its terms.
    pub fn taxonomy(&self, t: usize) -> &'a Taxonomy {
        note(Read::Taxonomy(idx(t)));
        &self.site.taxonomies[t]
    }

    /// Taxonomy `t`'s name and title.
    pub fn taxonomy_name(&self, t: usize) -> (&'a str, &'a str) {
        note(Read::Site);
        let taxonomy = &self.site.taxonomies[t];
        (&taxonomy.name, &taxonomy.title)
    }

    /// Term `k` of taxonomy `t`.
    pub fn term(&self, t: usize, k: usize) -> &'a Term {
        note(Read::Term(idx(t), idx(k)));
        &self.site.taxonomies[t].terms[k]
    }

    /// The key judgments and open questions.
    pub fn analysis(&self) -> &'a Analysis {
        note(Read::Analysis);
        &self.site.analysis
    }
}
