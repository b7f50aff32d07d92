//! The graph page: the citation graph drawn ([`crate::render::graph`]) and, beside it, the
//! same graph as a table — for each source shown, the pages that cite it and how often.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::render::exports::{doc_path, doc_title, documents};
use crate::render::graph::{
    self, Bounded, CitationGraph, MAX_PAGES, MAX_SOURCES, Node, NodeKind, thousands,
};
use crate::resolve::analysis::Judgment;
use crate::resolve::xref::DocId;

use super::*;

/// The graph page's path.
pub const GRAPH_PATH: &str = "graph/";

/// `page` of `graph.html`.
#[derive(Debug, Serialize)]
pub struct GraphView {
    /// "Citation graph".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// The drawing, an `<svg>` element (escaped where it holds content).
    pub svg: String,
    /// What the drawing leaves out, said in words; empty when it shows everything.
    pub bound_note: String,
    /// The same graph as rows, one per source shown.
    pub rows: Vec<GraphRow>,
    /// Sources, citing pages and citations in the whole dossier.
    pub sources: usize,
    /// Documents that cite.
    pub pages: usize,
    /// Key judgments drawn (those that rest on a source).
    pub judgments: usize,
    /// Citations.
    pub citations: usize,
}

/// One source of the table, or the aggregate of the sources left out.
#[derive(Debug, Serialize)]
pub struct GraphRow {
    /// Its title, or "N more sources".
    pub title: String,
    /// Its page, root-relative (the source list for the aggregate).
    pub path: String,
    /// Citations it receives.
    pub citations: u32,
    /// The pages citing it, most citations first.
    pub cited_by: Vec<GraphCell>,
}

/// A page citing a source, and how often.
#[derive(Debug, Serialize)]
pub struct GraphCell {
    /// Its title, or "N more pages".
    pub title: String,
    /// Its page, root-relative.
    pub path: String,
    /// Citations of the row's source on it.
    pub count: u32,
}

/// The whole citation graph of a site, documents in a fixed order.
pub fn citation_graph(site: &Site) -> CitationGraph {
    let d = &site.dossier;
    let mut out = CitationGraph {
        sources: d
            .sources
            .iter()
            .map(|s| Node {
                kind: NodeKind::Source,
                title: s.meta.title.clone(),
                path: paths::source(&s.id),
                grade: s.meta.grade.map(|g| g.reliability()),
            })
            .collect(),
        ..CitationGraph::default()
    };
    // A key judgment is drawn beside the page it is written in, its lines going to the sources
    // it rests on, one line as wide as the paragraphs of that source it cites.
    let mut judgments: BTreeMap<DocId, Vec<&Judgment>> = BTreeMap::new();
    for j in &site.analysis.judgments {
        if !j.basis.sources.is_empty() {
            judgments.entry(j.doc).or_default().push(j);
        }
    }
    for doc in documents(site) {
        let mut cites = site.graph.citations_of(doc).peekable();
        if cites.peek().is_none() {
            continue;
        }
        let page = out.pages.len();
        for c in cites {
            *out.edges.entry((page, c.source)).or_insert(0) += 1;
        }
        out.pages.push(Node {
            kind: match doc {
                DocId::Index => NodeKind::Index,
                DocId::Summary(_) => NodeKind::Summary,
                DocId::Event(_) => NodeKind::Event,
                DocId::Note(_) => NodeKind::Note,
            },
            title: match doc {
                DocId::Note(_) => format!("Analyst’s note on {}", doc_title(site, doc)),
                _ => doc_title(site, doc).to_string(),
            },
            path: doc_path(site, doc),
            grade: None,
        });
        for j in judgments.get(&doc).into_iter().flatten() {
            let node = out.pages.len();
            for (source, paragraphs) in &j.basis.sources {
                let weight = u32::try_from(paragraphs.len().max(1)).unwrap_or(u32::MAX);
                *out.edges.entry((node, *source)).or_insert(0) += weight;
            }
            out.pages.push(Node {
                kind: NodeKind::Judgment,
                title: format!("Judgment: {}", j.title),
                path: format!("{}#judgment-{}", doc_path(site, doc), j.id),
                grade: None,
            });
        }
    }
    out
}

/// Rows of the table from the bounded graph: exactly what the drawing shows.
fn rows(b: &Bounded) -> Vec<GraphRow> {
    let mut cited_by: Vec<Vec<(usize, u32)>> = vec![Vec::new(); b.sources.len()];
    for (&(p, s), &n) in &b.edges {
        cited_by[s].push((p, n));
    }
    let name = |shown: &graph::Shown, sources: bool| {
        let path = match &shown.node {
            Some(node) => node.path.clone(),
            None if sources => paths::SOURCES.to_string(),
            None => paths::SUMMARIES.to_string(),
        };
        (b.title_of(shown, sources), path)
    };
    b.sources
        .iter()
        .zip(cited_by)
        .map(|(shown, mut cells)| {
            cells.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let (title, path) = name(shown, true);
            GraphRow {
                title,
                path,
                citations: shown.citations,
                cited_by: cells
                    .into_iter()
                    .map(|(p, count)| {
                        let (title, path) = name(&b.pages[p], false);
                        GraphCell { title, path, count }
                    })
                    .collect(),
            }
        })
        .collect()
}

impl Views<'_> {
    /// The graph page.
    pub fn graph(&self) -> GraphView {
        // The graph shows every citation of the dossier: it reads `Everything`, and renders
        // again (after the reload) on any change.
        let whole = citation_graph(self.reads.everything());
        let bounded = graph::bound(&whole, MAX_SOURCES, MAX_PAGES);
        let root = root_for(GRAPH_PATH);
        let svg = graph::svg(&bounded, &root, (paths::SOURCES, paths::SUMMARIES));
        let mut left_out = Vec::new();
        if bounded.hidden_sources > 0 {
            left_out.push(format!(
                "the {} most cited of {} sources",
                bounded.sources.len() - 1,
                thousands(whole.sources.len())
            ));
        }
        let judgments = whole
            .pages
            .iter()
            .filter(|n| n.kind == NodeKind::Judgment)
            .count();
        if bounded.hidden_pages > 0 {
            let what = if judgments > 0 {
                "pages and judgments"
            } else {
                "pages"
            };
            left_out.push(format!(
                "the {} {what} that cite them most, of {}",
                bounded.pages.len() - 1,
                thousands(whole.pages.len())
            ));
        }
        let bound_note = if left_out.is_empty() {
            String::new()
        } else {
            format!(
                "This graph shows {}; the rest are gathered, with their citations, into the “more” nodes. graph.json holds the whole graph.",
                left_out.join(" and ")
            )
        };
        let citations = self.reads.citation_total();
        GraphView {
            title: "Citation graph",
            description: format!(
                "Which pages cite which of the {} sources, and how often: {} citations.",
                whole.sources.len(),
                citations
            ),
            path: GRAPH_PATH,
            svg,
            bound_note,
            rows: rows(&bounded),
            sources: whole.sources.len(),
            pages: whole.pages.len() - judgments,
            judgments,
            citations,
        }
    }
}
