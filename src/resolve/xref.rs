//! The citation graph: every link into the dossier resolved — ids, paragraph anchors,
//! quotations — plus backlinks and highlights, built completely before anything is rendered.
//! Documents are resolved in parallel and merged in a fixed order; a quotation is searched only
//! in its own source, so the work grows with the size of the content, never pages × pages.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Lines, Location, nearest};
use crate::load::content::{Body, Dossier, Page, Source};
use crate::load::references::{LinkRef, scan};
use crate::resolve::quotation::{Quotation, quoted_words};
use crate::url::is_http;

/// A Markdown document that can cite: the brief, a summary, an event, a source's note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocId {
    /// `content/_index.md`.
    Index,
    /// A summary, by index in `Dossier::summaries`.
    Summary(usize),
    /// An event, by index in `Dossier::events`; all events share the timeline page.
    Event(usize),
    /// The note in a source's sidecar, by index in `Dossier::sources`.
    Note(usize),
}

/// One citation of a source: a `src:` link on some page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    /// The document it is written in.
    pub doc: DocId,
    /// Its number on the page where that document is shown (numbering runs through a page).
    pub number: u32,
    /// The cited source.
    pub source: usize,
    /// The cited paragraph (1-based), when the link names one or a quotation was found in one.
    pub paragraph: Option<u32>,
    /// The quoted words, for a quotation.
    pub quote: Option<Arc<str>>,
    /// Where the quotation stands in its paragraph's text (bytes), from its first word to its
    /// last: an ellipsis inside stands for words within the span.
    pub span: Option<Range<usize>>,
    /// The sentence the citation stands in. (Shared: `serve` reuses resolved documents.)
    pub context: Arc<str>,
}

/// Where a link into the dossier goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// A source, or one of its paragraphs.
    Source {
        /// Index in `Dossier::sources`.
        source: usize,
        /// 1-based paragraph.
        paragraph: Option<u32>,
    },
    /// A summary, by index.
    Summary(usize),
    /// An event on the timeline, by index.
    Event(usize),
}

/// A resolved link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Byte offset of its `[` in the file, as `LinkRef::offset`.
    pub offset: usize,
    /// Where it goes.
    pub target: LinkTarget,
    /// Its citation, for links to sources (index into `Graph::citations`).
    pub citation: Option<usize>,
}

/// The finished graph that rendering reads.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    /// Every citation, in page order.
    pub citations: Vec<Citation>,
    /// Resolved links of each document, by offset.
    links: HashMap<DocId, Vec<Link>>,
    /// Per source: its citations, in page order.
    pub cited_by: Vec<Vec<usize>>,
    /// Per source: quoted passages as (paragraph, byte range in its text), sorted, merged.
    pub highlights: Vec<Vec<(u32, Range<usize>)>>,
    /// Per source: the pages that list it in their `sources`.
    pub about: Vec<Vec<DocId>>,
}

impl Graph {
    /// The resolved links of a document, sorted by offset.
    pub fn links(&self, doc: DocId) -> &[Link] {
        self.links.get(&doc).map_or(&[], Vec::as_slice)
    }

    /// The citations written in a document.
    pub fn citations_of(&self, doc: DocId) -> impl Iterator<Item = &Citation> {
        self.links(doc)
            .iter()
            .filter_map(|l| l.citation.map(|c| &self.citations[c]))
    }
}

/// Id lookups, built once.
/// Ids to indices. (ahash: every citation and every `sources` entry is looked up here.)
struct Ids<'a> {
    sources: ahash::AHashMap<&'a str, usize>,
    summaries: ahash::AHashMap<&'a str, usize>,
    events: ahash::AHashMap<&'a str, usize>,
    dossier: &'a Dossier,
}

/// A citation before it gets its global index and page number.
#[derive(Debug, Clone)]
struct Draft {
    offset: usize,
    target: LinkTarget,
    citation: Option<(Citation, Vec<Range<usize>>)>,
}

/// A document's name that survives reloads (indices do not).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DocKey {
    /// The brief.
    Index,
    /// A summary, by slug.
    Summary(String),
    /// An event, by slug.
    Event(String),
    /// A source's note, by source id.
    Note(String),
}

impl DocKey {
    fn of(dossier: &Dossier, doc: DocId) -> DocKey {
        match doc {
            DocId::Index => DocKey::Index,
            DocId::Summary(i) => DocKey::Summary(dossier.summaries[i].slug.clone()),
            DocId::Event(i) => DocKey::Event(dossier.events[i].slug.clone()),
            DocId::Note(i) => DocKey::Note(dossier.sources[i].id.clone()),
        }
    }
}

/// Documents resolved by an earlier run, reused by `serve` while the document and all it
/// depends on are unchanged. A resolution holds indices into the dossier and reads its
/// sources, so the cache must be cleared whenever a source changes or any source, summary or
/// event is added or removed; otherwise forgetting the changed documents is enough.
#[derive(Debug, Default)]
pub struct Cache {
    docs: HashMap<DocKey, (Vec<Draft>, Vec<Diagnostic>)>,
}

impl Cache {
    /// Forget everything.
    pub fn clear(&mut self) {
        self.docs.clear();
    }

    /// Forget one document.
    pub fn forget(&mut self, key: &DocKey) {
        self.docs.remove(key);
    }
}

/// Build the graph. `event_order` is the order events appear on the timeline, which is the
/// order their citations are numbered in. Documents found in `cache` are not resolved again;
/// the others are, and are added to it.
pub fn resolve(
    dossier: &Dossier,
    event_order: &[usize],
    cache: &mut Cache,
) -> (Graph, Vec<Diagnostic>) {
    let ids = Ids {
        sources: dossier
            .sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect(),
        summaries: dossier
            .summaries
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.as_str(), i))
            .collect(),
        events: dossier
            .events
            .iter()
            .enumerate()
            .map(|(i, p)| (p.slug.as_str(), i))
            .collect(),
        dossier,
    };

    // Documents in page order: this order fixes citation numbers and backlink order.
    let docs: Vec<DocId> = crate::resolve::analysis::reading_order(dossier, event_order);

    let keys: Vec<DocKey> = docs.iter().map(|&doc| DocKey::of(dossier, doc)).collect();
    let resolved: Vec<(Vec<Draft>, Vec<Diagnostic>)> = docs
        .par_iter()
        .zip(&keys)
        .map(|(&doc, key)| match cache.docs.get(key) {
            Some(known) => known.clone(),
            None => {
                let (path, body) = document(dossier, doc);
                ids.resolve_document(doc, path, body)
            }
        })
        .collect();
    for (key, resolution) in keys.into_iter().zip(&resolved) {
        cache.docs.entry(key).or_insert_with(|| resolution.clone());
    }

    let mut graph = Graph {
        cited_by: vec![Vec::new(); dossier.sources.len()],
        highlights: vec![Vec::new(); dossier.sources.len()],
        about: vec![Vec::new(); dossier.sources.len()],
        ..Graph::default()
    };
    let mut problems = Vec::new();
    let mut timeline_number = 0;
    for (&doc, (drafts, mut doc_problems)) in docs.iter().zip(resolved) {
        problems.append(&mut doc_problems);
        // Events share the timeline page, so their numbers run on from one to the next.
        let mut number = if matches!(doc, DocId::Event(_)) {
            timeline_number
        } else {
            0
        };
        let mut links = Vec::with_capacity(drafts.len());
        for draft in drafts {
            let citation = draft.citation.map(|(mut citation, ranges)| {
                number += 1;
                citation.number = number;
                let id = graph.citations.len();
                graph.cited_by[citation.source].push(id);
                if let Some(p) = citation.paragraph {
                    graph.highlights[citation.source].extend(ranges.into_iter().map(|r| (p, r)));
                }
                graph.citations.push(citation);
                id
            });
            links.push(Link {
                offset: draft.offset,
                target: draft.target,
                citation,
            });
        }
        if matches!(doc, DocId::Event(_)) {
            timeline_number = number;
        }
        graph.links.insert(doc, links);
    }
    for highlights in &mut graph.highlights {
        merge_ranges(highlights);
    }
    problems.extend(ids.resolve_about(&mut graph));
    problems.extend(warnings(dossier, &graph));
    (graph, problems)
}

/// The file and Markdown body of a document.
pub(crate) fn document(dossier: &Dossier, doc: DocId) -> (&Path, Body<'_>) {
    fn page(p: &Page) -> (&Path, Body<'_>) {
        (p.path.as_path(), p.body())
    }
    match doc {
        DocId::Index => (dossier.index.path.as_path(), dossier.index.body()),
        DocId::Summary(i) => page(&dossier.summaries[i]),
        DocId::Event(i) => page(&dossier.events[i]),
        DocId::Note(i) => {
            let source = &dossier.sources[i];
            let body = source.note_body().unwrap_or(Body {
                text: "",
                offset: 0,
                file_text: "",
            });
            (source.sidecar_path.as_path(), body)
        }
    }
}

impl Ids<'_> {
    fn resolve_document(
        &self,
        doc: DocId,
        path: &Path,
        body: Body<'_>,
    ) -> (Vec<Draft>, Vec<Diagnostic>) {
        let mut drafts = Vec::new();
        let mut problems = Vec::new();
        let scan = scan(body);
        // The file's lines are found once, the first time a problem needs them.
        let lines = std::cell::OnceCell::new();
        let at = |offset| {
            lines
                .get_or_init(|| Lines::new(body.file_text))
                .locate(path, offset)
        };
        for (offset, problem) in scan.problems {
            problems.push(problem.at(at(offset)));
        }
        for link in scan.links {
            match self.resolve_link(doc, &link) {
                Ok(Some(draft)) => drafts.push(draft),
                Ok(None) => {}
                Err(problem) => problems.push(problem.at(at(link.offset))),
            }
        }
        (drafts, problems)
    }

    /// Resolve one link. `Ok(None)`: it points at something that failed to load, which has
    /// its own error already.
    fn resolve_link(&self, doc: DocId, link: &LinkRef) -> Result<Option<Draft>, Diagnostic> {
        if link.is_image {
            return Err(Diagnostic::error("an image cannot point into the dossier")
                .hint("use a link: [text](src:ID)"));
        }
        let (scheme, rest) = link.dest.split_once(':').unwrap_or((&link.dest, ""));
        let (id, anchor) = match rest.split_once('#') {
            Some((id, anchor)) => (id, Some(anchor)),
            None => (rest, None),
        };
        let draft = |target| Draft {
            offset: link.offset,
            target,
            citation: None,
        };
        match scheme {
            "summary" | "event" => {
                if anchor.is_some() {
                    return Err(Diagnostic::error(format!(
                        "`{}` has an anchor; {scheme} links take none",
                        link.dest
                    ))
                    .hint(format!("link to the whole {scheme}: ({scheme}:{id})")));
                }
                let (map, drafts, broken, what, folder) = if scheme == "summary" {
                    (
                        &self.summaries,
                        &self.dossier.drafts.summaries,
                        &self.dossier.broken.summaries,
                        "summary",
                        "summaries",
                    )
                } else {
                    (
                        &self.events,
                        &self.dossier.drafts.events,
                        &self.dossier.broken.events,
                        "event",
                        "events",
                    )
                };
                match map.get(id) {
                    Some(&i) => Ok(Some(draft(if scheme == "summary" {
                        LinkTarget::Summary(i)
                    } else {
                        LinkTarget::Event(i)
                    }))),
                    None if broken.iter().any(|b| b == id) => Ok(None),
                    None if drafts.iter().any(|d| d.slug == id) => Err(Diagnostic::error(format!(
                        "{what} `{id}` is a draft, so this published page cannot link to it"
                    ))
                    .hint(format!(
                        "publish it (remove `draft = true` from content/{folder}/{id}.md), or build with --drafts"
                    ))),
                    None => Err(missing(what, id, map.keys().copied(), &format!("content/{folder}/{id}.md"))),
                }
            }
            "src" => self
                .resolve_source_link(doc, link, id, anchor)
                .map(Some)
                .or_else(|e| match e {
                    SourceLinkError::Broken => Ok(None),
                    SourceLinkError::Problem(d) => Err(*d),
                }),
            _ => unreachable!("scan_links returns only dossier schemes"),
        }
    }

    fn resolve_source_link(
        &self,
        doc: DocId,
        link: &LinkRef,
        id: &str,
        anchor: Option<&str>,
    ) -> Result<Draft, SourceLinkError> {
        let problem = |d: Diagnostic| SourceLinkError::Problem(Box::new(d));
        let Some(&index) = self.sources.get(id) else {
            if self.dossier.broken.sources.iter().any(|b| b == id) {
                return Err(SourceLinkError::Broken);
            }
            return Err(problem(missing(
                "source",
                id,
                self.sources.keys().copied(),
                &format!("content/sources/{id}.txt"),
            )));
        };
        let source = &self.dossier.sources[index];
        let paragraph = match anchor {
            None => None,
            Some(anchor) => {
                let n = anchor
                    .strip_prefix('p')
                    .and_then(|n| n.parse::<u32>().ok())
                    .filter(|&n| n >= 1 && !anchor[1..].starts_with('0'));
                let Some(n) = n else {
                    return Err(problem(
                        Diagnostic::error(format!("`#{anchor}` is not a paragraph anchor"))
                            .hint("paragraph anchors are #p1, #p2, …"),
                    ));
                };
                if source.paragraph(n).is_none() {
                    let count = source.paragraphs.len();
                    return Err(problem(
                        Diagnostic::error(format!("source `{id}` has no paragraph {n}"))
                            .hint(format!("its paragraphs are numbered 1 to {count}")),
                    ));
                }
                Some(n)
            }
        };
        let mut citation = Citation {
            doc,
            number: 0,
            source: index,
            paragraph,
            quote: None,
            span: None,
            context: link.context.as_str().into(),
        };
        let mut ranges = Vec::new();
        if let Some(words) = quoted_words(&link.text) {
            let Some(quotation) = Quotation::new(words) else {
                return Err(problem(
                    Diagnostic::error("the quotation is empty")
                        .hint("put the quoted words between the quotation marks"),
                ));
            };
            let found = match paragraph {
                Some(n) => source
                    .paragraph(n)
                    .and_then(|p| quotation.find_in(&p.text))
                    .map(|r| (n, r)),
                None => source
                    .paragraphs
                    .iter()
                    .position(|p| quotation.occurs_in(&p.text))
                    .and_then(|i| {
                        quotation
                            .find_in(&source.paragraphs[i].text)
                            .map(|r| (i as u32 + 1, r))
                    }),
            };
            let Some((n, found_ranges)) = found else {
                return Err(problem(misquotation(source, paragraph, &quotation)));
            };
            citation.paragraph = Some(n);
            citation.quote = Some(words.trim().into());
            citation.span = found_ranges
                .first()
                .zip(found_ranges.last())
                .map(|(first, last)| first.start..last.end);
            ranges = found_ranges;
        }
        Ok(Draft {
            offset: link.offset,
            target: LinkTarget::Source {
                source: index,
                paragraph,
            },
            citation: Some((citation, ranges)),
        })
    }

    /// Check the `sources = [...]` lists of pages and record them per source.
    fn resolve_about(&self, graph: &mut Graph) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        let pages = std::iter::once((DocId::Index, &self.dossier.index))
            .chain(
                self.dossier
                    .summaries
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (DocId::Summary(i), p)),
            )
            .chain(
                self.dossier
                    .events
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (DocId::Event(i), p)),
            );
        for (doc, page) in pages {
            for (id, offset) in &page.meta.sources {
                match self.sources.get(id.as_str()) {
                    Some(&i) => {
                        if !graph.about[i].contains(&doc) {
                            graph.about[i].push(doc);
                        }
                    }
                    None if self.dossier.broken.sources.contains(id) => {}
                    None => problems.push(
                        missing(
                            "source",
                            id,
                            self.sources.keys().copied(),
                            &format!("content/sources/{id}.txt"),
                        )
                        .at(Location::at_offset(&page.path, &page.text, *offset)),
                    ),
                }
            }
        }
        problems
    }
}

enum SourceLinkError {
    /// The source exists but failed to load; its own error says why.
    Broken,
    /// A problem with this link.
    Problem(Box<Diagnostic>),
}

/// "No such id", with the nearest existing one as a hint.
fn missing<'a>(
    what: &str,
    id: &str,
    candidates: impl Iterator<Item = &'a str>,
    file: &str,
) -> Diagnostic {
    let candidates: Vec<&str> = candidates.collect();
    let hint = match nearest(id, candidates.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None if id.chars().any(|c| c.is_ascii_uppercase()) => {
            format!("ids are lowercase; there is no {file}")
        }
        None => format!("there is no {file}"),
    };
    Diagnostic::error(format!("no {what} with id `{id}`")).hint(hint)
}

fn misquotation(source: &Source, paragraph: Option<u32>, quotation: &Quotation) -> Diagnostic {
    let place = match paragraph {
        Some(n) => format!("paragraph {n} of source `{}`", source.id),
        None => format!("source `{}`", source.id),
    };
    let message = format!("quotation not found in {place}");
    let texts = || source.paragraphs.iter().map(|p| p.text.as_str());
    // Say what is actually wrong: the words are elsewhere, or in another order, before
    // guessing at a near miss.
    if let Some(n) = paragraph
        && let Some(i) = texts().position(|p| quotation.occurs_in(p))
    {
        let hint = format!(
            "these words are in ¶{}, not ¶{n}: link to `src:{}#p{}`",
            i + 1,
            source.id,
            i + 1
        );
        return Diagnostic::error(message).hint(hint);
    }
    let scrambled = match paragraph {
        Some(n) => source
            .paragraph(n)
            .filter(|p| quotation.occurs_out_of_order(&p.text))
            .map(|_| n as usize - 1),
        None => texts().position(|p| quotation.occurs_out_of_order(p)),
    };
    if let Some(i) = scrambled {
        let hint = format!(
            "the pieces appear in ¶{}, but in another order: an ellipsis stands for words left out, so put the pieces in the order the source has them",
            i + 1
        );
        return Diagnostic::error(message).hint(hint);
    }
    let closest = quotation.closest_passage(texts());
    let markers = closest.as_ref().and_then(|c| {
        let kind = source.paragraphs.get(c.index)?.kind;
        let marker = match kind {
            crate::load::content::ParagraphKind::ListItem => "a bullet",
            crate::load::content::ParagraphKind::Quote => "`> `",
            crate::load::content::ParagraphKind::Text => return None,
        };
        source.meta.markers.then(|| format!(
            "; ¶{} stands alone because its line starts with {marker}: if such marks are decoration, set `markers = false` in the sidecar to keep them as text, so the lines of a block form one paragraph (skip the marks with …)",
            c.index + 1
        ))
    });
    let hint = match closest {
        Some(c) if c.case_only => format!(
            "the words are in ¶{} with different capitals: “{}” (quotations are verbatim; case is not folded)",
            c.index + 1,
            c.excerpt
        ),
        Some(c) => format!(
            "closest passage, ¶{}: “{}”{}",
            c.index + 1,
            c.excerpt,
            markers.unwrap_or_default()
        ),
        None => "no passage of the source comes close; check the source id, or paraphrase without quotation marks".into(),
    };
    Diagnostic::error(message).hint(hint)
}

/// Sort (paragraph, range) pairs and merge overlapping ranges within a paragraph.
fn merge_ranges(ranges: &mut Vec<(u32, Range<usize>)>) {
    ranges.sort_by_key(|(p, r)| (*p, r.start, r.end));
    let mut merged: Vec<(u32, Range<usize>)> = Vec::with_capacity(ranges.len());
    for (p, r) in ranges.drain(..) {
        match merged.last_mut() {
            Some((lp, lr)) if *lp == p && r.start <= lr.end => lr.end = lr.end.max(r.end),
            _ => merged.push((p, r)),
        }
    }
    *ranges = merged;
}

/// Warnings: sources nobody cites or lists, and collection URLs that are not http(s).
fn warnings(dossier: &Dossier, graph: &Graph) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (i, source) in dossier.sources.iter().enumerate() {
        // A source's own note citing itself does not count as being cited.
        let cited = graph.cited_by[i]
            .iter()
            .any(|&c| graph.citations[c].doc != DocId::Note(i));
        if !cited && graph.about[i].is_empty() {
            warnings.push(
                Diagnostic::warning(format!("source `{}` is never cited", source.id))
                    .at(Location::file_start(&source.sidecar_path, Some(&source.sidecar_text)))
                    .hint(format!("cite it from a summary, e.g. [its title](src:{}#p1), or list it in a page's `sources`", source.id)),
            );
        }
        if let Some(url) = &source.meta.url
            && !is_http(url)
        {
            let offset = source.sidecar_text.find("url").unwrap_or(0);
            warnings.push(
                Diagnostic::warning(format!(
                    "url `{url}` of source `{}` is not http(s); it is shown as text, not as a link",
                    source.id
                ))
                .at(Location::at_offset(
                    &source.sidecar_path,
                    &source.sidecar_text,
                    offset,
                )),
            );
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_highlights_merge_within_a_paragraph_only() {
        let mut r = vec![(2, 5..9), (1, 0..4), (1, 2..6), (1, 8..9), (2, 0..1)];
        merge_ranges(&mut r);
        assert_eq!(r, vec![(1, 0..6), (1, 8..9), (2, 0..1), (2, 5..9)]);
    }
}
