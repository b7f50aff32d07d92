//! The timeline: events and source publication dates on one line, in order. Grouping by year
//! and quarter is presentation and happens in the view.

use crate::load::content::{Date, DatePrecision, Dossier};

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EntryKind {
    /// An event, by index in `Dossier::events`.
    Event(usize),
    /// A source's publication, by index in `Dossier::sources`.
    Publication(usize),
}

/// One dated entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The date (the day written, even when shown less precisely).
    pub date: Date,
    /// The last day, for events that span days.
    pub end_date: Option<Date>,
    /// How precisely the date is known.
    pub precision: DatePrecision,
    /// Event or publication.
    pub kind: EntryKind,
}

/// All dated entries, in order.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// Sorted by date; on one day events come before publications, then by weight and title.
    pub entries: Vec<Entry>,
}

impl Timeline {
    /// Indices of events in timeline order.
    pub fn event_order(&self) -> Vec<usize> {
        self.entries
            .iter()
            .filter_map(|e| match e.kind {
                EntryKind::Event(i) => Some(i),
                EntryKind::Publication(_) => None,
            })
            .collect()
    }
}

/// Put every event and every dated source on the timeline.
pub fn build_timeline(dossier: &Dossier) -> Timeline {
    let events = dossier.events.iter().enumerate().filter_map(|(i, page)| {
        page.meta.date.map(|date| Entry {
            date,
            end_date: page.meta.end_date,
            precision: page.meta.date_precision,
            kind: EntryKind::Event(i),
        })
    });
    let publications = dossier
        .sources
        .iter()
        .enumerate()
        .filter_map(|(i, source)| {
            source.meta.published.map(|date| Entry {
                date,
                end_date: None,
                precision: source.meta.date_precision,
                kind: EntryKind::Publication(i),
            })
        });
    let mut entries: Vec<Entry> = events.chain(publications).collect();
    // Titles break ties so the order never depends on file names alone; indices make it total.
    let key = |e: &Entry| {
        let (rank, weight, title) = match e.kind {
            EntryKind::Event(i) => {
                let m = &dossier.events[i].meta;
                (0, m.weight.unwrap_or(0), m.title.as_str())
            }
            EntryKind::Publication(i) => (1, 0, dossier.sources[i].meta.title.as_str()),
        };
        (e.date, rank, weight, title, e.kind)
    };
    entries.sort_by_cached_key(key);
    Timeline { entries }
}
