//! The summary list and each summary's page.

use serde::Serialize;

use crate::render::markdown::{self};
use crate::resolve::xref::DocId;
use crate::url::paths;

use super::common::{NoteView, PageItem, SourceLink, TermGroupView, describe};
use super::*;

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

impl<'a> Views<'a> {
    /// The summary list.
    pub fn summary_list(&self) -> SummaryListView<'a> {
        SummaryListView {
            title: "Summaries",
            description: format!(
                "The {} analyst summaries of this dossier.",
                self.reads.summary_count()
            ),
            path: paths::SUMMARIES,
            summaries: self.summary_items(),
        }
    }

    /// One summary page.
    pub fn summary(&self, i: usize) -> SummaryView<'a> {
        let page = self.reads.summary(i);
        let root = root_for(&paths::summary(page.slug));
        let (content, notes) = self.document(DocId::Summary(i), Links::Relative(&root), "");
        let sources = page
            .meta
            .sources
            .iter()
            .filter_map(|(id, _)| self.reads.source_index(id))
            .map(|s| self.source_link(s))
            .collect();
        SummaryView {
            item: self.summary_item(i),
            excerpt: describe(
                &page.meta.title,
                markdown::plain_text(
                    self.reads
                        .body(DocId::Summary(i))
                        .map_or("", |body| body.text),
                )
                .lines(),
            ),
            content,
            notes,
            sources,
            terms: self.terms(&page.meta.terms),
        }
    }
}
