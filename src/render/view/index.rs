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
            judgment_count: self.site.analysis.judgments.len(),
            open_question_count: self.site.analysis.questions.len(),
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
}
