//! The home page: the brief, with the latest sources, summaries and events.

use serde::Serialize;

use crate::load::content::DatePrecision;
use crate::resolve::timeline::EntryKind;
use crate::resolve::xref::DocId;
use crate::url::paths;

use super::common::{DateView, NoteView, PageItem};
use super::timeline::EntryView;
use super::*;

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
    /// How many key judgments the dossier marks (issue 18).
    pub judgment_count: usize,
    /// How many open questions it raises (issue 18).
    pub open_question_count: usize,
}

/// How many sources and summaries the home page lists before linking to the full lists.
pub const HOME_LIST_LIMIT: usize = 25;

impl<'a> Views<'a> {
    /// The executive brief.
    pub fn index(&self) -> IndexView<'a> {
        let page = self.reads.index();
        let (content, notes) =
            self.document(DocId::Index, Links::Relative(&root_for(paths::HOME)), "");
        let key_dates = self
            .reads
            .timeline()
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Event(_)))
            .take(HOME_LIST_LIMIT)
            .map(|e| self.entry(e.kind, None))
            .collect();
        let sources = if self.reads.source_count() <= HOME_LIST_LIMIT {
            self.source_items()
        } else {
            let mut most_cited = self.reads.source_order().to_vec();
            // Stable: equally cited sources keep list order.
            most_cited.sort_by_key(|&i| std::cmp::Reverse(self.reads.citation_count(i)));
            most_cited
                .into_iter()
                .take(HOME_LIST_LIMIT)
                .map(|i| self.listed_source(i))
                .collect()
        };
        let r = &self.reads;
        IndexView {
            title: &page.title,
            description: page
                .description
                .as_deref()
                .unwrap_or(&r.config().description),
            path: paths::HOME,
            date: page.date.map(|d| DateView::new(d, DatePrecision::Day)),
            content,
            notes,
            key_dates,
            event_count: r.event_count(),
            judgment_count: r.analysis().judgments.len(),
            open_question_count: r.analysis().questions.len(),
            sources,
            source_count: r.source_count(),
            summaries: r
                .summary_order()
                .iter()
                .take(HOME_LIST_LIMIT)
                .map(|&i| self.summary_item(i))
                .collect(),
            summary_count: r.summary_count(),
            counts: Counts {
                sources: r.source_count(),
                summaries: r.summary_count(),
                events: r.event_count(),
                citations: r.citation_total(),
            },
        }
    }
}
