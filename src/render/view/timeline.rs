//! The timeline, and an event as the timeline and the home page show it.

use serde::Serialize;

use crate::load::content::Date;
use crate::resolve::timeline::EntryKind;
use crate::resolve::xref::DocId;
use crate::url::paths;

use super::common::{DateView, NoteView, SourceLink, TermGroupView};
use super::*;

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

impl<'a> Views<'a> {
    /// An event or publication as a timeline entry. `with_body` renders the event's Markdown
    /// (for the timeline page itself, whose root is `root`).
    pub(super) fn entry(&self, kind: EntryKind, root: Option<&str>) -> EntryView<'a> {
        match kind {
            EntryKind::Event(i) => {
                let page = self.reads.event(i);
                let m = page.meta;
                let (content, notes) = match root {
                    Some(root) => self.document(DocId::Event(i), Links::Relative(root), ""),
                    None => (String::new(), Vec::new()),
                };
                let sources = m
                    .sources
                    .iter()
                    .filter_map(|(id, _)| self.reads.source_index(id))
                    .map(|s| self.source_link(s))
                    .collect();
                EntryView {
                    entry_type: "event",
                    id: paths::event_anchor(page.slug),
                    title: &m.title,
                    path: paths::event(page.slug),
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
                let s = self.reads.source(i);
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

    /// The timeline page.
    pub fn timeline(&self) -> TimelineView<'a> {
        let root = root_for(paths::TIMELINE);
        let mut years: Vec<YearView<'a>> = Vec::new();
        for entry in self.reads.timeline() {
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
}
