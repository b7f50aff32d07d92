//! The source list and each source's page: its paragraphs, with what cites them.

use std::ops::Range;

use serde::Serialize;

use crate::load::content::{ParagraphKind, Source};
use crate::resolve::xref::DocId;
use crate::url::{is_http, paths};

use super::common::{
    BacklinkView, DateView, NoteView, PageItem, SourceItem, TermGroupView, describe, paragraph_html,
};
use super::*;

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
    /// The same sources by grade, best first, ungraded last (issue 18); empty when no source
    /// is graded.
    pub by_grade: Vec<ListedSource>,
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
    /// evidence: the original it was extracted from.
    pub original: Option<super::evidence::OriginalView<'a>>,
    /// Why it has its grade, as HTML (issue 18).
    pub grading_note: Option<String>,
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
    /// evidence: its page in the original PDF ("p. 4", "pp. 4–5").
    pub page: Option<String>,
}

impl<'a> Views<'a> {
    /// The source list.
    pub fn source_list(&self) -> SourceListView {
        SourceListView {
            title: "Sources",
            description: format!(
                "The {} source documents of this dossier, kept verbatim.",
                self.reads.source_count()
            ),
            path: paths::SOURCES,
            sources: self.source_items(),
            by_grade: self.sources_by_grade(),
        }
    }

    /// The sources by grade (A1 first), in list order within a grade; ungraded ones last.
    fn sources_by_grade(&self) -> Vec<ListedSource> {
        let sources = self.reads.sources();
        if sources.iter().all(|s| s.meta.grade.is_none()) {
            return Vec::new();
        }
        let mut order = self.reads.source_order().to_vec();
        order.sort_by_key(|&i| (sources[i].meta.grade.is_none(), sources[i].meta.grade));
        order.into_iter().map(|i| self.listed_source(i)).collect()
    }

    /// A source's `grading_note` as HTML: Markdown without references (load rejects them).
    fn grading_note_html(&self, source: &Source) -> Option<String> {
        let note = source.meta.grading_note.as_ref()?;
        let body = crate::load::content::Body {
            text: &note.text,
            offset: note.offset,
            file_text: &source.sidecar_text,
        };
        let options = crate::render::markdown::RenderOptions {
            raw_html: self.raw_html(),
            id_prefix: "grading-",
            heading_shift: 2,
            root: "",
            box_prefix: "",
        };
        Some(crate::render::markdown::render(body, &[], options))
    }

    /// The paragraphs of source `i` as HTML, quoted passages highlighted.
    pub(super) fn paragraph_html(&self, i: usize) -> Vec<String> {
        let source = self.reads.source(i);
        let highlights = self.reads.highlights(i);
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
        let source: &'a Source = self.reads.source(i);
        let path = paths::source(&source.id);
        let root = root_for(&path);
        let (note, note_notes) = self.document(DocId::Note(i), Links::Relative(&root), "");

        let mut per_paragraph: Vec<Vec<BacklinkView<'a>>> =
            vec![Vec::new(); source.paragraphs.len()];
        let citing = self.reads.cited_by(i);
        let mut cited_by = Vec::with_capacity(citing.len());
        for citation in citing {
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
                page: source
                    .pages
                    .get(index)
                    .map(|&s| super::evidence::page_label(s)),
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
        let discussed_in = self
            .reads
            .about(i)
            .iter()
            .filter_map(|doc| match *doc {
                DocId::Summary(s) => Some(self.summary_item(s)),
                DocId::Index => Some(PageItem {
                    slug: "",
                    title: &self.reads.index().title,
                    path: paths::HOME.into(),
                    description: None,
                    date: None,
                }),
                DocId::Event(e) => {
                    let page = self.reads.event(e);
                    Some(PageItem {
                        slug: page.slug,
                        title: &page.meta.title,
                        path: paths::event(page.slug),
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
            original: super::evidence::original_view(source),
            grading_note: self.grading_note_html(source),
        }
    }
}
