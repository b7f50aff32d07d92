//! What several page families share: dates, the items lists show, citation notes and backlinks,
//! term groups, a document rendered with its links, and a source paragraph as HTML.

use std::ops::Range;

use serde::Serialize;

use crate::html;
use crate::load::content::{Date, DatePrecision, TermRef, terms_by_taxonomy};
use crate::render::markdown::{self, RenderLink, RenderOptions};
use crate::resolve::xref::{Citation, DocId, LinkTarget};
use crate::slug::slugify;
use crate::url::paths;

use super::print::print_anchors;
use super::*;

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
    pub(super) fn new(date: Date, precision: DatePrecision) -> DateView {
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

/// A source's Admiralty grade as templates show it (issue 18).
#[derive(Debug, Clone, Serialize)]
pub struct GradeView {
    /// `B2`.
    pub code: String,
    /// `B`.
    pub reliability: String,
    /// 2.
    pub credibility: u8,
    /// "usually reliable; probably true".
    pub meaning: String,
    /// "usually reliable".
    pub reliability_meaning: &'static str,
    /// "probably true".
    pub credibility_meaning: &'static str,
    /// Graded D–F or 4–6: too weak to carry moderate or high confidence alone.
    pub weak: bool,
}

impl GradeView {
    /// The view of a source's grade, if it has one.
    pub fn of(grade: Option<crate::load::content::grade::Grade>) -> Option<GradeView> {
        grade.map(|g| GradeView {
            code: g.code(),
            reliability: g.reliability().to_string(),
            credibility: g.credibility(),
            meaning: g.meaning(),
            reliability_meaning: g.reliability_meaning(),
            credibility_meaning: g.credibility_meaning(),
            weak: g.is_weak(),
        })
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
    pub kind: crate::load::content::SourceKind,
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
    /// Its grade (issue 18).
    pub grade: Option<GradeView>,
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
    /// evidence: the PDF page, and links to the original (issue 14).
    pub evidence: Option<super::evidence::NoteEvidence>,
    /// The cited source's grade (issue 18).
    pub grade: Option<GradeView>,
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
    /// Its grade (issue 18).
    pub grade: Option<GradeView>,
}

/// A description for `<meta>` and previews: about 160 characters of `paragraphs`, cut at a word,
/// passing over paragraphs too short to describe anything (page furniture such as "Post" or a
/// count) and one that only repeats the title.
pub(super) fn describe<'t>(title: &str, paragraphs: impl Iterator<Item = &'t str>) -> String {
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
pub(super) fn excerpt(text: &str, words: usize) -> String {
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
        html::escape_html(&mut out, text);
        return out;
    }
    let mut cuts: Vec<usize> = vec![0, text.len()];
    for r in urls.iter().chain(highlights) {
        cuts.push(r.start);
        cuts.push(r.end);
    }
    cuts.sort_unstable();
    cuts.dedup();
    // Both lists are sorted and the cuts ascend: one cursor into each finds the range a
    // piece lies in without a scan per piece (40,000 URLs in a paragraph would be 10^9 steps).
    let (mut next_url, mut next_mark) = (0, 0);
    let inside = |ranges: &[Range<usize>], next: &mut usize, at: usize| {
        while *next < ranges.len() && ranges[*next].end <= at {
            *next += 1;
        }
        (*next < ranges.len() && ranges[*next].start <= at).then_some(*next)
    };
    let mut out = String::with_capacity(text.len() * 2);
    let mut open_url: Option<usize> = None;
    let mut open_mark = false;
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        if from == to {
            continue;
        }
        let url = inside(&urls, &mut next_url, from);
        let mark = inside(highlights, &mut next_mark, from).is_some();
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
                html::escape_attr(&mut out, &text[urls[u].clone()]);
                out.push_str("\" rel=\"nofollow noopener\">");
            }
            open_url = url;
        }
        if mark != open_mark {
            out.push_str(if mark { "<mark>" } else { "</mark>" });
            open_mark = mark;
        }
        html::escape_html(&mut out, &text[from..to]);
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
        // Trailing punctuation ends the sentence, not the URL. The brackets are counted once
        // and uncounted as they are trimmed: counting again for each one made a URL followed
        // by 100,000 `)` take 22 s.
        let count = |b: u8| {
            text.as_bytes()[start..end]
                .iter()
                .filter(|&&c| c == b)
                .count()
        };
        let (open_round, mut close_round) = (count(b'('), count(b')'));
        let (open_square, mut close_square) = (count(b'['), count(b']'));
        while let Some(last) = text[start..end].chars().next_back() {
            let trim = match last {
                ')' if open_round < close_round => {
                    close_round -= 1;
                    true
                }
                ']' if open_square < close_square => {
                    close_square -= 1;
                    true
                }
                '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’' | '”' => true,
                _ => false,
            };
            if !trim {
                break;
            }
            end -= last.len_utf8();
        }
        if !preceded_by_word && end > start + scheme {
            urls.push(start..end);
        }
        from = end.max(start + scheme);
    }
    urls
}

impl<'a> Views<'a> {
    pub(super) fn source_item(&self, i: usize) -> SourceItem<'a> {
        let s = self.reads.source(i);
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
            citations: self.reads.citation_count(i),
            words: s.word_count,
            grade: GradeView::of(s.meta.grade),
        }
    }

    pub(super) fn source_link(&self, i: usize) -> SourceLink<'a> {
        let s = self.reads.source(i);
        SourceLink {
            id: &s.id,
            title: &s.meta.title,
            path: paths::source(&s.id),
            grade: GradeView::of(s.meta.grade),
        }
    }

    /// Summary `i` in a list.
    pub(super) fn summary_item(&self, i: usize) -> PageItem<'a> {
        let page = self.reads.summary(i);
        PageItem {
            slug: page.slug,
            title: &page.meta.title,
            path: paths::summary(page.slug),
            description: page.meta.description.as_deref(),
            date: page
                .meta
                .date
                .map(|d| DateView::new(d, page.meta.date_precision)),
        }
    }

    pub(super) fn listed_source(&self, i: usize) -> ListedSource {
        let (value, reads) = self.listed_sources[i].get_or_init(|| {
            reads::capture(|| tera::Value::from_serializable(&self.source_item(i)))
        });
        // Built for the first page that listed it; every later one read the same.
        reads::replay(reads);
        value.clone()
    }

    pub(super) fn source_items(&self) -> Vec<ListedSource> {
        self.reads
            .source_order()
            .iter()
            .map(|&i| self.listed_source(i))
            .collect()
    }

    pub(super) fn summary_items(&self) -> Vec<PageItem<'a>> {
        self.reads
            .summary_order()
            .iter()
            .map(|&i| self.summary_item(i))
            .collect()
    }

    /// A document's Markdown as HTML, for a page whose root is `root` (the feed's content).
    pub fn document_html(&self, doc: DocId, root: &str) -> String {
        self.document(doc, Links::Relative(root), "").0
    }

    /// Render a document's Markdown, with its notes, linking as `links` says; `id_prefix`
    /// goes before the ids of its citation markers (for pages that show several documents).
    pub(super) fn document(
        &self,
        doc: DocId,
        links: Links<'_>,
        id_prefix: &str,
    ) -> (String, Vec<NoteView<'a>>) {
        let Some(body) = self.reads.body(doc) else {
            return (String::new(), Vec::new());
        };
        let print = matches!(links, Links::Print);
        let root = match links {
            Links::Relative(root) => root.to_string(),
            Links::Print => root_for(paths::PRINT),
        };
        let rendered: Vec<RenderLink> = self
            .reads
            .links(doc)
            .iter()
            .map(|link| {
                let citation = link.citation.map(|c| self.reads.citation(c));
                RenderLink {
                    offset: link.offset,
                    href: format!("{root}{}", self.target_path(link.target, print)),
                    citation: citation.map(|c| c.number),
                    grade: citation.and_then(|c| self.reads.source(c.source).meta.grade),
                }
            })
            .collect();
        // In the print edition a body sits under a part and a section heading.
        let heading_shift = if print { 2 } else { 0 };
        let box_prefix = self.box_prefix(doc);
        let options = RenderOptions {
            raw_html: self.raw_html(),
            id_prefix,
            heading_shift,
            root: &root,
            box_prefix: &box_prefix,
        };
        let html = markdown::render(body, &rendered, options);
        let notes = self
            .reads
            .citations_of(doc)
            .map(|c| self.note(c, print))
            .collect();
        (html, notes)
    }

    /// Where a link goes: its page, or (`print`) its place in the print edition. A target's
    /// id or slug is its identity: a page linking to it reads it with the link (`Resolved`).
    pub(super) fn target_path(&self, target: LinkTarget, print: bool) -> String {
        let r = &self.reads;
        if print {
            let anchor = match target {
                LinkTarget::Source {
                    source,
                    paragraph: Some(n),
                } => print_anchors::paragraph(&r.source(source).id, n),
                LinkTarget::Source {
                    source,
                    paragraph: None,
                } => print_anchors::source(&r.source(source).id),
                LinkTarget::Summary(i) => print_anchors::summary(r.summary(i).slug),
                LinkTarget::Event(i) => paths::event_anchor(r.event(i).slug),
            };
            return format!("{}#{anchor}", paths::PRINT);
        }
        match target {
            LinkTarget::Source { source, paragraph } => {
                let path = paths::source(&r.source(source).id);
                match paragraph {
                    Some(n) => format!("{path}#p{n}"),
                    None => path,
                }
            }
            LinkTarget::Summary(i) => paths::summary(r.summary(i).slug),
            LinkTarget::Event(i) => paths::event(r.event(i).slug),
        }
    }

    pub(super) fn note(&self, c: &'a Citation, print: bool) -> NoteView<'a> {
        let source = self.reads.source(c.source);
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
            evidence: super::evidence::note_evidence(source, c.paragraph, c.quote.as_deref()),
            grade: GradeView::of(source.meta.grade),
        }
    }

    pub(super) fn backlink(&self, c: &'a Citation) -> BacklinkView<'a> {
        let r = &self.reads;
        let (page_title, page_kind, page_path): (&'a str, &'static str, String) = match c.doc {
            DocId::Index => (&r.index().title, "brief", paths::HOME.to_string()),
            DocId::Summary(i) => {
                let p = r.summary(i);
                (&p.meta.title, "summary", paths::summary(p.slug))
            }
            DocId::Event(i) => (
                &r.event(i).meta.title,
                "timeline",
                paths::TIMELINE.to_string(),
            ),
            DocId::Note(i) => {
                let s = r.source(i);
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

    pub(super) fn terms(&self, refs: &[TermRef]) -> Vec<TermGroupView> {
        terms_by_taxonomy(refs)
            .into_iter()
            .filter_map(|(taxonomy, terms)| {
                let (name, title) = self
                    .reads
                    .taxonomy_names()
                    .find(|(name, _)| *name == taxonomy)?;
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
                    taxonomy: name.to_string(),
                    title: title.to_string(),
                    terms: items,
                })
            })
            .collect()
    }

    /// What the ids of a document's judgment and question boxes start with (after the
    /// page's own prefix): `event-SLUG-` for an event, whose page it shares with the others.
    pub(super) fn box_prefix(&self, doc: DocId) -> String {
        match doc {
            DocId::Event(i) => format!("event-{}-", self.reads.event(i).slug),
            _ => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
