//! The print edition: every document on one page, and the ids it uses there.

use serde::Serialize;

use crate::load::content::ParagraphKind;
use crate::resolve::xref::DocId;
use crate::url::{is_http, paths};

use super::common::{DateView, NoteView, SourceItem};
use super::*;

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

/// The most sources whose full text the print edition includes: beyond it the edition would
/// be thousands of pages; it then lists the sources, and each source page prints on its own.
pub const PRINT_MAX_SOURCES: usize = 200;

impl<'a> Views<'a> {
    /// The print edition: brief, summaries, timeline and sources on one page.
    pub fn print(&self) -> PrintView<'a> {
        // The print edition shows the whole dossier: it reads `Everything`, and renders again
        // (after the reload) on any change.
        let d = &self.reads.everything().dossier;
        let section = |doc: DocId, id: String, page: &'a crate::load::content::Page| {
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
                .reads
                .summary_order()
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
                .reads
                .event_order()
                .iter()
                .map(|&i| {
                    section(
                        DocId::Event(i),
                        paths::event_anchor(&d.events[i].slug),
                        &d.events[i],
                    )
                })
                .collect(),
            sources: self
                .reads
                .source_order()
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
}
