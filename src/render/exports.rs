//! The citation graph in open formats other tools read (docs/exports.md): `graph.json` (the
//! whole graph, in the versioned schema docs/graph.schema.json), `sources.json` (CSL-JSON, for
//! Zotero, Pandoc and citeproc), `annotations.jsonld` (every quotation as a W3C Web Annotation,
//! anchored by the selectors Hypothesis uses), and the schema.org JSON-LD of source and summary
//! pages. Each is made from the resolved site in one pass over its citations.

use serde::Serialize;
use serde_json::{Value, json};

use crate::diagnostics::strip_controls;
use crate::load::content::{Date, DatePrecision, Page, Source, SourceKind};
use crate::render::view::reads::Reads;
use crate::resolve::site::Site;
use crate::resolve::xref::DocId;
use crate::url::{is_http, paths};

/// The citation graph, at the site root.
pub const GRAPH_JSON: &str = "graph.json";
/// Every source as CSL-JSON.
pub const SOURCES_JSON: &str = "sources.json";
/// Every quotation as a Web Annotation.
pub const ANNOTATIONS: &str = "annotations.jsonld";
/// The version of graph.json's schema; raised when a field goes, is renamed or changes meaning.
pub const GRAPH_VERSION: u32 = 1;
/// Characters of context a TextQuoteSelector gives before and after the quotation (as
/// Hypothesis does).
const CONTEXT_CHARS: usize = 32;
/// The Web Annotation context.
const ANNO_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// `base_url` + `path`: absolute when a base URL is known, root-relative otherwise.
fn address(base_url: &str, path: &str) -> String {
    format!("{}/{path}", base_url.trim_end_matches('/'))
}

/// A document's id as references name it: `index`, `summary:SLUG`, `event:SLUG`, `note:ID`.
pub fn doc_id(site: &Site, doc: DocId) -> String {
    let d = &site.dossier;
    match doc {
        DocId::Index => "index".to_string(),
        DocId::Summary(i) => format!("summary:{}", d.summaries[i].slug),
        DocId::Event(i) => format!("event:{}", d.events[i].slug),
        DocId::Note(i) => format!("note:{}", d.sources[i].id),
    }
}

/// Where a document is shown, relative to the site root.
pub fn doc_path(site: &Site, doc: DocId) -> String {
    let d = &site.dossier;
    match doc {
        DocId::Index => paths::HOME.to_string(),
        DocId::Summary(i) => paths::summary(&d.summaries[i].slug),
        DocId::Event(i) => paths::event(&d.events[i].slug),
        DocId::Note(i) => paths::source(&d.sources[i].id),
    }
}

/// Every document that can cite, in a fixed order: the brief, summaries, events, notes.
pub fn documents(site: &Site) -> impl Iterator<Item = DocId> + '_ {
    let d = &site.dossier;
    std::iter::once(DocId::Index)
        .chain((0..d.summaries.len()).map(DocId::Summary))
        .chain((0..d.events.len()).map(DocId::Event))
        .chain(
            (0..d.sources.len())
                .filter(|&i| d.sources[i].meta.note.is_some())
                .map(DocId::Note),
        )
}

/// A document's title: the brief's falls back to the site's.
pub fn doc_title(site: &Site, doc: DocId) -> &str {
    let d = &site.dossier;
    match doc {
        DocId::Index if d.index.meta.title.is_empty() => &d.config.title,
        DocId::Index => &d.index.meta.title,
        DocId::Summary(i) => &d.summaries[i].meta.title,
        DocId::Event(i) => &d.events[i].meta.title,
        DocId::Note(i) => &d.sources[i].meta.title,
    }
}

/// The file a document is written in, with the whole text that link offsets count in.
fn doc_file(site: &Site, doc: DocId) -> (String, &str) {
    let d = &site.dossier;
    fn page(p: &Page) -> (String, &str) {
        (p.path.to_string_lossy().replace('\\', "/"), p.text.as_str())
    }
    match doc {
        DocId::Index => page(&d.index),
        DocId::Summary(i) => page(&d.summaries[i]),
        DocId::Event(i) => page(&d.events[i]),
        DocId::Note(i) => {
            let s = &d.sources[i];
            (
                s.sidecar_path.to_string_lossy().replace('\\', "/"),
                s.sidecar_text.as_str(),
            )
        }
    }
}

/// A date as the content wrote it, with its precision.
#[derive(Debug, Serialize)]
struct DateOut {
    date: String,
    precision: &'static str,
}

fn date_out(date: Option<Date>, precision: DatePrecision) -> Option<DateOut> {
    date.map(|date| DateOut {
        date: date.iso(),
        precision: match precision {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Quarter => "quarter",
            DatePrecision::After => "after",
        },
    })
}

/// A source's grade (reliability A–F, credibility 1–6), once sources are graded.
#[derive(Debug, Serialize)]
struct GradeOut {
    reliability: String,
    credibility: u8,
}

#[derive(Debug, Serialize)]
struct SourceOut<'a> {
    id: &'a str,
    title: &'a str,
    kind: &'static str,
    path: String,
    published: Option<DateOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    grade: Option<GradeOut>,
    sha256: Option<&'a str>,
    paragraphs: usize,
    words: usize,
    cited: usize,
}

#[derive(Debug, Serialize)]
struct PageOut<'a> {
    id: String,
    kind: &'static str,
    title: &'a str,
    path: String,
    file: String,
    date: Option<DateOut>,
    sources: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct CitationOut<'a> {
    page: String,
    line: usize,
    column: usize,
    number: u32,
    source: &'a str,
    paragraph: Option<u32>,
    quote: Option<&'a str>,
}

/// A key judgment: where it is written, how confident, and the paragraphs it rests on.
#[derive(Debug, Serialize)]
struct JudgmentOut<'a> {
    id: &'a str,
    title: &'a str,
    /// Where it is shown: the page's path with the judgment's anchor.
    path: String,
    /// The document it is written in, as in `pages`.
    page: String,
    confidence: &'static str,
    /// The likelihood as written ("very likely"), if it states one.
    likelihood: Option<&'a str>,
    sources: Vec<BasisOut<'a>>,
}

/// One source a judgment cites, and which of its paragraphs (empty: the source as a whole).
#[derive(Debug, Serialize)]
struct BasisOut<'a> {
    source: &'a str,
    paragraphs: &'a [u32],
}

#[derive(Debug, Serialize)]
struct GraphOut<'a> {
    format: &'static str,
    version: u32,
    site: SiteOut<'a>,
    sources: Vec<SourceOut<'a>>,
    pages: Vec<PageOut<'a>>,
    /// The analyst's key judgments, in reading order.
    judgments: Vec<JudgmentOut<'a>>,
    citations: Vec<CitationOut<'a>>,
}

#[derive(Debug, Serialize)]
struct SiteOut<'a> {
    title: &'a str,
    base_url: &'a str,
}

/// Line and column (1-based; columns in characters) of each link's `[` in its file, for every
/// citation, found in one walk through each file.
fn citation_places(site: &Site) -> Vec<(usize, usize)> {
    let graph = &site.graph;
    let mut places = vec![(0, 0); graph.citations.len()];
    for doc in documents(site) {
        let (_, text) = doc_file(site, doc);
        let (mut at, mut line, mut line_start) = (0usize, 1usize, 0usize);
        for link in graph.links(doc) {
            let Some(c) = link.citation else { continue };
            let upto = link.offset.min(text.len());
            // Links are sorted by offset, so the walk only goes forward.
            for (i, b) in text.as_bytes()[at..upto].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = at + i + 1;
                }
            }
            at = upto;
            let column = text[line_start..upto].chars().count() + 1;
            places[c] = (line, column);
        }
    }
    places
}

fn kind_name(kind: SourceKind) -> &'static str {
    kind.as_str()
}

/// `graph.json`.
pub fn graph_json(site: &Site, base_url: &str) -> String {
    let d = &site.dossier;
    let g = &site.graph;
    let sources = d
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &s.meta;
            SourceOut {
                id: &s.id,
                title: &m.title,
                kind: kind_name(m.kind),
                path: paths::source(&s.id),
                published: date_out(m.published, m.date_precision),
                author: m.author.as_deref(),
                publisher: m.publisher.as_deref(),
                url: m.url.as_deref(),
                grade: m.grade.map(|g| GradeOut {
                    reliability: g.reliability().to_string(),
                    credibility: g.credibility(),
                }),
                sha256: m.sha256.as_deref(),
                paragraphs: s.paragraphs.len(),
                words: s.word_count,
                cited: g.cited_by[i].len(),
            }
        })
        .collect();
    let pages = documents(site)
        .map(|doc| {
            let (kind, meta) = match doc {
                DocId::Index => ("index", Some(&d.index.meta)),
                DocId::Summary(i) => ("summary", Some(&d.summaries[i].meta)),
                DocId::Event(i) => ("event", Some(&d.events[i].meta)),
                DocId::Note(_) => ("note", None),
            };
            PageOut {
                id: doc_id(site, doc),
                kind,
                title: doc_title(site, doc),
                path: doc_path(site, doc),
                file: doc_file(site, doc).0,
                date: meta.and_then(|m| date_out(m.date, m.date_precision)),
                sources: meta.map_or_else(Vec::new, |m| {
                    m.sources.iter().map(|(id, _)| id.as_str()).collect()
                }),
            }
        })
        .collect();
    let places = citation_places(site);
    let citations = g
        .citations
        .iter()
        .zip(places)
        .map(|(c, (line, column))| CitationOut {
            page: doc_id(site, c.doc),
            line,
            column,
            number: c.number,
            source: &d.sources[c.source].id,
            paragraph: c.paragraph,
            quote: c.quote.as_deref(),
        })
        .collect();
    let out = GraphOut {
        format: "dossier-graph",
        version: GRAPH_VERSION,
        site: SiteOut {
            title: &d.config.title,
            base_url: base_url.trim_end_matches('/'),
        },
        sources,
        pages,
        judgments: site
            .analysis
            .judgments
            .iter()
            .map(|j| JudgmentOut {
                id: &j.id,
                title: &j.title,
                path: format!("{}#judgment-{}", doc_path(site, j.doc), j.id),
                page: doc_id(site, j.doc),
                confidence: j.confidence.as_str(),
                likelihood: j.likelihood.as_ref().map(|l| l.written.as_str()),
                sources: j
                    .basis
                    .sources
                    .iter()
                    .map(|(i, paragraphs)| BasisOut {
                        source: &d.sources[*i].id,
                        paragraphs,
                    })
                    .collect(),
            })
            .collect(),
        citations,
    };
    let mut json = serde_json::to_string_pretty(&out).expect("the graph serializes");
    json.push('\n');
    json
}

/// The CSL type of a source's kind.
fn csl_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "article-newspaper",
        SourceKind::SocialPost | SourceKind::ForumThread => "post",
        SourceKind::BlogPost => "post-weblog",
        SourceKind::Transcript => "speech",
        SourceKind::Other => "document",
    }
}

/// CSL's `date-parts` at the precision known: a quarter gives the year only (CSL's seasons
/// are not quarters).
fn csl_date(date: Date, precision: DatePrecision) -> Value {
    let parts = match precision {
        DatePrecision::Day | DatePrecision::After => {
            json!([[date.year, date.month, date.day]])
        }
        DatePrecision::Month => json!([[date.year, date.month]]),
        DatePrecision::Quarter => json!([[date.year]]),
    };
    let mut out = json!({ "date-parts": parts });
    // Only the earliest day is known: CSL has no "after", and "circa" is the honest reading.
    if precision == DatePrecision::After {
        out["circa"] = json!(true);
    }
    out
}

/// One source as a CSL-JSON item.
fn csl_item(site: &Site, source: &Source, base_url: &str) -> Value {
    let m = &source.meta;
    let page = address(base_url, &paths::source(&source.id));
    let mut item = json!({
        "id": source.id,
        "type": csl_type(m.kind),
        "title": m.title,
        "URL": m.url.as_deref().filter(|u| is_http(u)).unwrap_or(&page),
        "archive": site.dossier.config.title,
        "archive_location": page,
        "genre": m.kind.label(),
    });
    if let Some(author) = &m.author {
        item["author"] = json!([{ "literal": author }]);
    }
    // Where it appeared (LinkedIn, Hacker News, a newspaper): the container, as citation
    // styles print a post's platform or an article's paper.
    if let Some(publisher) = &m.publisher {
        item["container-title"] = json!(publisher);
    }
    if let Some(date) = m.published {
        item["issued"] = csl_date(date, m.date_precision);
    }
    item
}

/// `sources.json`: every source as CSL-JSON, in the dossier's order.
pub fn sources_json(site: &Site, base_url: &str) -> String {
    let items: Vec<Value> = site
        .dossier
        .sources
        .iter()
        .map(|s| csl_item(site, s, base_url))
        .collect();
    let mut json = serde_json::to_string_pretty(&items).expect("CSL serializes");
    json.push('\n');
    json
}

/// Characters of `text` as a page shows it: control characters are never written to a page.
fn shown_chars(text: &str) -> usize {
    strip_controls(text).chars().count()
}

/// A source's text as its page shows it, for TextPositionSelector: each paragraph's text
/// (markers removed, hard wraps joined, control characters dropped: the text of the page's
/// `.ptext` elements), joined by one line feed. Positions count Unicode code points in it;
/// this gives where each paragraph starts.
fn paragraph_starts(source: &Source) -> Vec<usize> {
    let mut starts = Vec::with_capacity(source.paragraphs.len());
    let mut at = 0;
    for p in &source.paragraphs {
        starts.push(at);
        at += shown_chars(&p.text) + 1;
    }
    starts
}

/// Up to `n` characters of the shown text before paragraph `p`'s byte `at` (crossing into
/// earlier paragraphs, with the line feed between).
fn before(source: &Source, p: usize, at: usize, n: usize) -> String {
    let mut out: Vec<char> = Vec::with_capacity(n);
    let mut para = p;
    let mut text = &source.paragraphs[p].text[..at];
    loop {
        for c in strip_controls(text).chars().rev() {
            if out.len() == n {
                return out.iter().rev().collect();
            }
            out.push(c);
        }
        if para == 0 || out.len() == n {
            return out.iter().rev().collect();
        }
        out.push('\n');
        para -= 1;
        text = &source.paragraphs[para].text;
    }
}

/// Up to `n` characters of the shown text after paragraph `p`'s byte `at`.
fn after(source: &Source, p: usize, at: usize, n: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut para = p;
    let mut text = &source.paragraphs[p].text[at..];
    loop {
        for c in strip_controls(text).chars() {
            if count == n {
                return out;
            }
            out.push(c);
            count += 1;
        }
        if para + 1 == source.paragraphs.len() || count == n {
            return out;
        }
        out.push('\n');
        count += 1;
        para += 1;
        text = &source.paragraphs[para].text;
    }
}

/// `annotations.jsonld`: every quotation as a Web Annotation in one AnnotationCollection.
pub fn annotations(site: &Site, base_url: &str) -> String {
    let d = &site.dossier;
    let g = &site.graph;
    let mut starts: Vec<Option<Vec<usize>>> = vec![None; d.sources.len()];
    let mut items = Vec::new();
    for (c, citation) in g.citations.iter().enumerate() {
        // Where resolve found the quotation: from its first word to its last.
        let (Some(span), Some(n)) = (citation.span.clone(), citation.paragraph) else {
            continue;
        };
        let source = &d.sources[citation.source];
        let p = n as usize - 1;
        let starts = starts[citation.source].get_or_insert_with(|| paragraph_starts(source));
        let text = &source.paragraphs[p].text;
        let start = starts[p] + shown_chars(&text[..span.start]);
        let exact = strip_controls(&text[span.clone()]);
        let end = start + exact.chars().count();
        let citing = address(base_url, &doc_path(site, citation.doc));
        // The citing place: the citation in its page's text (an event's, on the timeline).
        let body = match citation.doc {
            DocId::Event(_) => citing,
            _ => format!("{citing}#cite-ref-{}", citation.number),
        };
        items.push(json!({
            "id": format!("{}#c{}", address(base_url, ANNOTATIONS), c + 1),
            "type": "Annotation",
            "motivation": "highlighting",
            "body": body,
            "target": {
                "type": "SpecificResource",
                "source": address(base_url, &paths::source(&source.id)),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": before(source, p, span.start, CONTEXT_CHARS),
                        "suffix": after(source, p, span.end, CONTEXT_CHARS),
                    },
                    { "type": "TextPositionSelector", "start": start, "end": end },
                ],
            },
        }));
    }
    let out = json!({
        "@context": ANNO_CONTEXT,
        "id": address(base_url, ANNOTATIONS),
        "type": "AnnotationCollection",
        "label": format!("Quotations checked in {}", d.config.title),
        "total": items.len(),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    });
    let mut json = serde_json::to_string_pretty(&out).expect("annotations serialize");
    json.push('\n');
    json
}

/// The schema.org type of a source's kind.
pub fn schema_type(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Article => "NewsArticle",
        SourceKind::SocialPost => "SocialMediaPosting",
        SourceKind::ForumThread => "DiscussionForumPosting",
        SourceKind::BlogPost => "BlogPosting",
        SourceKind::Transcript => "Report",
        SourceKind::Other => "CreativeWork",
    }
}

/// Write `text` made safe inside `<script>`: `<`, `>` and `&` (and the two line separators
/// JavaScript once choked on) as `\u` escapes, so no content can close the element or open a
/// comment; DEL and the C1 controls too (serde_json escapes only those below U+0020), so a
/// page never carries a raw control character. In JSON these characters stand only inside
/// strings, where the escape means the same character.
fn write_script_safe<W: ?Sized + std::io::Write>(out: &mut W, text: &str) -> std::io::Result<()> {
    let bytes = text.as_bytes();
    // Every character to escape begins with a byte that is one of these: copy the runs between
    // them whole (JSON-LD is mostly plain text), and look closer only there. Each such byte
    // begins a character, so every run ends on a character boundary.
    let mut plain = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape: Option<u32> = match b {
            b'<' | b'>' | b'&' | 0x7f => Some(u32::from(b)),
            // U+0080–U+009F: C2 80 – C2 9F.
            0xc2 => bytes
                .get(i + 1)
                .filter(|&&next| (0x80..=0x9f).contains(&next))
                .map(|&next| u32::from(next)),
            // U+2028 and U+2029: E2 80 A8 and E2 80 A9.
            0xe2 if bytes.get(i + 1) == Some(&0x80) => match bytes.get(i + 2) {
                Some(0xa8) => Some(0x2028),
                Some(0xa9) => Some(0x2029),
                _ => None,
            },
            _ => None,
        };
        if let Some(code) = escape {
            out.write_all(&bytes[plain..i])?;
            write!(out, "\\u{code:04x}")?;
            plain = i + text[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.write_all(&bytes[plain..])
}

/// A JSON text made safe inside `<script>` (see [`write_script_safe`]).
pub fn script_safe(json: &str) -> String {
    let mut out = Vec::with_capacity(json.len() + 16);
    write_script_safe(&mut out, json).expect("a Vec takes every write");
    String::from_utf8(out).expect("escapes are ASCII, the rest copied from a str")
}

/// serde_json's compact output, with strings made safe inside `<script>` as they are written.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        write_script_safe(writer, fragment)
    }
}

/// `value` as compact JSON for a `<script type="application/ld+json">`.
fn json_ld(value: &impl Serialize) -> String {
    let mut out = Vec::with_capacity(512);
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, ScriptSafe);
    value
        .serialize(&mut serializer)
        .expect("JSON-LD serializes");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

// The schema.org things, typed: building a `serde_json::Value` per page (a map per object)
// was a fifth of what the JSON-LD cost. Fields are in alphabetical order, as the maps wrote
// them.

/// A person or organisation by name.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// A source as a schema.org CreativeWork.
#[derive(Serialize)]
struct Thing<'a> {
    #[serde(rename = "@context", skip_serializing_if = "Option::is_none")]
    context: Option<&'static str>,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "archivedAt")]
    archived_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    headline: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
    url: String,
    #[serde(rename = "wordCount", skip_serializing_if = "Option::is_none")]
    word_count: Option<usize>,
}

/// The website a summary is part of.
#[derive(Serialize)]
struct WebSite<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
}

/// A summary as a schema.org Article.
#[derive(Serialize)]
struct Article<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    citation: Vec<Thing<'a>>,
    #[serde(rename = "datePublished", skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    headline: &'a str,
    #[serde(rename = "isPartOf")]
    is_part_of: WebSite<'a>,
    name: &'a str,
    url: String,
}

/// A source as a schema.org CreativeWork: `url` is where it was published, if on the web, else
/// its page here.
fn source_thing<'a>(s: &'a Source, base_url: &str) -> Thing<'a> {
    let m = &s.meta;
    let page = address(base_url, &paths::source(&s.id));
    Thing {
        context: None,
        kind: schema_type(m.kind),
        url: match m.url.as_deref().filter(|u| is_http(u)) {
            Some(url) => url.to_string(),
            None => page.clone(),
        },
        archived_at: page,
        author: m.author.as_deref().map(|name| Named {
            kind: "Person",
            name,
        }),
        date_published: m.published.map(|date| date.machine(m.date_precision)),
        headline: &m.title,
        name: &m.title,
        publisher: m.publisher.as_deref().map(|name| Named {
            kind: "Organization",
            name,
        }),
        word_count: None,
    }
}

/// The JSON-LD of source page `i`, ready for `<script type="application/ld+json">`.
pub fn source_json_ld(reads: &Reads<'_>, i: usize, base_url: &str) -> String {
    let s = reads.source(i);
    json_ld(&Thing {
        context: Some("https://schema.org"),
        word_count: Some(s.word_count),
        ..source_thing(s, base_url)
    })
}

/// The JSON-LD of summary page `i`: an Article whose `citation` lists the sources it cites.
pub fn summary_json_ld(reads: &Reads<'_>, i: usize, base_url: &str) -> String {
    let page = reads.summary(i);
    let mut cited: Vec<usize> = reads
        .citations_of(DocId::Summary(i))
        .map(|c| c.source)
        .collect();
    cited.sort_unstable();
    cited.dedup();
    json_ld(&Article {
        context: "https://schema.org",
        kind: "Article",
        headline: &page.meta.title,
        name: &page.meta.title,
        url: address(base_url, &paths::summary(page.slug)),
        is_part_of: WebSite {
            kind: "WebSite",
            name: &reads.config().title,
            url: address(base_url, ""),
        },
        citation: cited
            .iter()
            .map(|&s| {
                let thing = source_thing(reads.source(s), base_url);
                // Here the source is named by its page in this dossier, where the reader can
                // check it.
                Thing {
                    url: thing.archived_at.clone(),
                    ..thing
                }
            })
            .collect(),
        description: page.meta.description.as_deref(),
        date_published: page
            .meta
            .date
            .map(|date| date.machine(page.meta.date_precision)),
    })
}

#[cfg(test)]
mod tests {
    use super::script_safe;

    /// The rule, one character at a time.
    fn reference(json: &str) -> String {
        json.chars()
            .map(|c| match c {
                '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\u{7f}'..='\u{9f}' => {
                    format!("\\u{:04x}", c as u32)
                }
                c => c.to_string(),
            })
            .collect()
    }

    #[test]
    fn script_safe_escapes_what_could_close_the_element_and_nothing_else() {
        for json in [
            "",
            "plain",
            "</script><!--",
            "a & b > c",
            "\u{7f}\u{80}\u{85}\u{9f}\u{a0}",
            "é € \u{2000}\u{2027}\u{2028}\u{2029}\u{202a} 𝄞",
            "\u{c2}\u{e2}x\u{2028}",
            "ends in <",
        ] {
            assert_eq!(script_safe(json), reference(json), "{json:?}");
        }
        assert_eq!(script_safe("</"), "\\u003c/");
    }

    #[test]
    fn json_ld_escapes_strings_as_they_are_written() {
        let hostile = super::Named {
            kind: "Person",
            name: "</script><!-- & \u{2028}\u{85}\u{7f} \"quoted\"\n é",
        };
        let plain = serde_json::to_string(&hostile).expect("serializes");
        assert_eq!(super::json_ld(&hostile), script_safe(&plain));
        assert!(!super::json_ld(&hostile).contains('<'));
    }
}
