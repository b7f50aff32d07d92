//! A taxonomy's page (the matrix of its terms and the sources) and each term's page.

use serde::Serialize;

use crate::resolve::timeline::EntryKind;
use crate::url::paths;

use super::common::{PageItem, SourceLink};
use super::timeline::EntryView;
use super::*;

/// `page` of `taxonomy.html`: the matrix.
#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// Taxonomy name.
    pub name: &'a str,
    /// Title.
    pub title: &'a str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: String,
    /// Whether the matrix has a column per source; false when more than
    /// `MATRIX_MAX_SOURCES` sources carry terms, and rows then give counts only.
    pub matrix: bool,
    /// Sources carrying any term of the taxonomy.
    pub source_count: usize,
    /// Columns of the matrix: the sources that carry any term (empty without `matrix`).
    pub columns: Vec<SourceLink<'a>>,
    /// One row per term.
    pub rows: Vec<MatrixRow<'a>>,
}

/// A term's row in the matrix.
#[derive(Debug, Serialize)]
pub struct MatrixRow<'a> {
    /// The term.
    pub name: &'a str,
    /// Slug.
    pub slug: &'a str,
    /// Root-relative path of the term page.
    pub path: String,
    /// One per column: whether that source carries the term.
    pub cells: Vec<bool>,
    /// Sources carrying it.
    pub source_count: usize,
    /// Summaries carrying it.
    pub summary_count: usize,
    /// Summaries carrying it (empty without `matrix`).
    pub summaries: Vec<PageItem<'a>>,
    /// Number of events carrying it.
    pub event_count: usize,
}

/// `page` of `term.html`.
#[derive(Debug, Serialize)]
pub struct TermView<'a> {
    /// The term as written.
    pub title: &'a str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: String,
    /// Its taxonomy.
    pub taxonomy: NavItem,
    /// Sources carrying it.
    pub sources: Vec<ListedSource>,
    /// Summaries carrying it.
    pub summaries: Vec<PageItem<'a>>,
    /// Events carrying it.
    pub events: Vec<EntryView<'a>>,
}

/// The most sources a taxonomy matrix shows as columns. Beyond this a grid cannot be read,
/// and would grow as terms × sources; the page lists counts per term instead, and each term's
/// page lists all its sources.
pub const MATRIX_MAX_SOURCES: usize = 60;

impl<'a> Views<'a> {
    /// A taxonomy's matrix page.
    pub fn taxonomy(&self, t: usize) -> TaxonomyView<'a> {
        let taxonomy = self.reads.taxonomy(t);
        let mut carrying: Vec<usize> = taxonomy
            .terms
            .iter()
            .flat_map(|term| term.sources.iter().copied())
            .collect();
        carrying.sort_unstable();
        carrying.dedup();
        let matrix = carrying.len() <= MATRIX_MAX_SOURCES;
        let order: Vec<usize> = if matrix {
            self.reads
                .source_order()
                .iter()
                .copied()
                .filter(|i| carrying.binary_search(i).is_ok())
                .collect()
        } else {
            Vec::new()
        };
        let rows = taxonomy
            .terms
            .iter()
            .map(|term| MatrixRow {
                name: &term.name,
                slug: &term.slug,
                path: paths::term(&taxonomy.name, &term.slug),
                cells: order
                    .iter()
                    .map(|i| term.sources.binary_search(i).is_ok())
                    .collect(),
                source_count: term.sources.len(),
                summary_count: term.summaries.len(),
                summaries: if matrix {
                    term.summaries
                        .iter()
                        .map(|&s| self.summary_item(s))
                        .collect()
                } else {
                    Vec::new()
                },
                event_count: term.events.len(),
            })
            .collect();
        TaxonomyView {
            name: &taxonomy.name,
            title: &taxonomy.title,
            description: format!(
                "{}: which sources and summaries carry each term.",
                taxonomy.title
            ),
            path: paths::taxonomy(&taxonomy.name),
            matrix,
            source_count: carrying.len(),
            columns: order.into_iter().map(|i| self.source_link(i)).collect(),
            rows,
        }
    }

    /// One term's page.
    pub fn term(&self, t: usize, k: usize) -> TermView<'a> {
        let (taxonomy_name, taxonomy_title) = self.reads.taxonomy_name(t);
        let term = self.reads.term(t, k);
        // Members in list order: sorted by their place in it, not by scanning the whole list
        // for each term.
        let mut sources = term.sources.clone();
        sources.sort_unstable_by_key(|&i| self.reads.source_rank(i));
        let sources = sources.into_iter().map(|i| self.listed_source(i)).collect();
        let mut summaries = term.summaries.clone();
        summaries.sort_unstable_by_key(|&i| self.reads.summary_rank(i));
        let summaries = summaries
            .into_iter()
            .map(|i| self.summary_item(i))
            .collect();
        // Events in timeline order; an undated one is not on it.
        let mut events: Vec<(usize, usize)> = term
            .events
            .iter()
            .filter_map(|&i| self.reads.event_place(i).map(|place| (place, i)))
            .collect();
        events.sort_unstable();
        let events = events
            .into_iter()
            .map(|(_, i)| self.entry(EntryKind::Event(i), None))
            .collect();
        TermView {
            title: &term.name,
            description: format!(
                "Sources and summaries tagged “{}” ({}).",
                term.name, taxonomy_title
            ),
            path: paths::term(taxonomy_name, &term.slug),
            taxonomy: NavItem {
                title: taxonomy_title.to_string(),
                path: paths::taxonomy(taxonomy_name),
            },
            sources,
            summaries,
            events,
        }
    }
}
