//! The citation graph as a picture: a static SVG laid out at build time, with no script.
//!
//! A citation graph is bipartite — pages cite sources, never each other — so it is drawn in two
//! columns: sources on the left, the pages that cite them on the right, one curve per pair that
//! cites, as wide as the pair's citations are many. The order within each column is found by
//! barycentre sweeps (the two-layer crossing reduction of Sugiyama-style drawings): each node
//! moves to the mean position of its neighbours, a fixed number of times, ties by input order,
//! so the same graph always gives the same bytes. docs/exports.md says why this layout and
//! not a general graph layout crate (measured: 0.3 s for the shipped dossier with layout-rs,
//! 0.5 ms this way).
//!
//! Key judgments (issue 18) sit in the right column too, drawn as diamonds beside the pages,
//! each with a line to every source it rests on.
//!
//! The drawing is bounded: at most [`MAX_SOURCES`] sources and [`MAX_PAGES`] pages, the most
//! cited first; the rest are gathered into one "N more" node per column, with their citations,
//! and the page says so.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::html::{escape_attr, escape_html};

/// The most sources the drawing shows one by one.
pub const MAX_SOURCES: usize = 40;
/// The most citing pages the drawing shows one by one.
pub const MAX_PAGES: usize = 40;
/// Longest label, in characters; the full title is the node's tooltip and is in the table.
const LABEL_CHARS: usize = 38;
/// Barycentre sweeps; more change nothing visible on the graphs measured.
const SWEEPS: usize = 8;

/// What a node stands for; it decides the column, the shape and the style class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// A source (left column).
    Source,
    /// The executive brief.
    Index,
    /// A summary.
    Summary,
    /// An event on the timeline.
    Event,
    /// A source's analyst note.
    Note,
    /// An analyst's judgment.
    Judgment,
}

impl NodeKind {
    fn class(self) -> &'static str {
        match self {
            NodeKind::Source => "source",
            NodeKind::Index => "index",
            NodeKind::Summary => "summary",
            NodeKind::Event => "event",
            NodeKind::Note => "note",
            NodeKind::Judgment => "judgment",
        }
    }
}

/// A node of the whole graph, before bounding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Its title, in full.
    pub title: String,
    /// Its page, relative to the site root (`sources/x/`, `timeline/#e-slug`).
    pub path: String,
    /// A source's grade letter (reliability, A–F), when graded: shades the node.
    pub grade: Option<char>,
}

/// The whole citation graph: sources, citing pages, and how often each page cites each source.
#[derive(Debug, Clone, Default)]
pub struct CitationGraph {
    /// Sources, in the dossier's order.
    pub sources: Vec<Node>,
    /// Citing documents, in the dossier's order.
    pub pages: Vec<Node>,
    /// (page, source) → number of citations. Ordered, so everything after it is too.
    pub edges: BTreeMap<(usize, usize), u32>,
}

/// A node as drawn: one of the graph's, or the aggregate of those left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The node, or None for the "N more" aggregate.
    pub node: Option<Node>,
    /// For the aggregate: how many nodes it stands for.
    pub gathered: usize,
    /// Citations at this node (to a source, or made by a page).
    pub citations: u32,
}

/// The bounded graph: what the picture and the table show.
#[derive(Debug, Clone, Default)]
pub struct Bounded {
    /// Sources shown, most cited first; the aggregate, if any, last.
    pub sources: Vec<Shown>,
    /// Pages shown, most citing first; the aggregate, if any, last.
    pub pages: Vec<Shown>,
    /// (page, source) → citations, in indices of `pages` and `sources`.
    pub edges: BTreeMap<(usize, usize), u32>,
    /// Sources and pages left out of the drawing (gathered in the aggregates).
    pub hidden_sources: usize,
    /// Pages left out (key judgments among them).
    pub hidden_pages: usize,
    /// Key judgments among the pages left out.
    pub hidden_judgments: usize,
}

/// The most cited `limit` of `counts` (ties by index), as indices in that order.
fn top(counts: &[u32], limit: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..counts.len()).collect();
    // Unstable sort is fine: the index breaks every tie, so the order is total.
    order.sort_unstable_by(|&a, &b| counts[b].cmp(&counts[a]).then(a.cmp(&b)));
    order.truncate(limit);
    order
}

/// Keep the most cited sources and the pages that cite them most; gather the rest.
/// Linear in the citations, plus a sort of each column.
pub fn bound(graph: &CitationGraph, max_sources: usize, max_pages: usize) -> Bounded {
    let mut source_count = vec![0u32; graph.sources.len()];
    for (&(_, s), &n) in &graph.edges {
        source_count[s] += n;
    }
    let kept_sources = top(&source_count, max_sources);
    const OUT: usize = usize::MAX;
    let mut source_at = vec![OUT; graph.sources.len()];
    for (i, &s) in kept_sources.iter().enumerate() {
        source_at[s] = i;
    }
    // Pages are ranked by their citations of the sources shown, so the picture's edges are
    // the ones between shown nodes wherever possible.
    let mut page_count = vec![0u32; graph.pages.len()];
    for (&(p, s), &n) in &graph.edges {
        if source_at[s] != OUT {
            page_count[p] += n;
        }
    }
    let kept_pages: Vec<usize> = top(&page_count, max_pages)
        .into_iter()
        .filter(|&p| page_count[p] > 0 || graph.pages.len() <= max_pages)
        .collect();
    let mut page_at = vec![OUT; graph.pages.len()];
    for (i, &p) in kept_pages.iter().enumerate() {
        page_at[p] = i;
    }
    let hidden_sources = graph.sources.len() - kept_sources.len();
    let hidden_pages = graph.pages.len() - kept_pages.len();
    let is_judgment = |p: usize| graph.pages[p].kind == NodeKind::Judgment;
    let hidden_judgments = (0..graph.pages.len())
        .filter(|&p| page_at[p] == OUT && is_judgment(p))
        .count();
    let more_source = kept_sources.len();
    let more_page = kept_pages.len();
    let mut edges = BTreeMap::new();
    let mut sources: Vec<Shown> = kept_sources
        .iter()
        .map(|&s| Shown {
            node: Some(graph.sources[s].clone()),
            gathered: 1,
            citations: 0,
        })
        .collect();
    let mut pages: Vec<Shown> = kept_pages
        .iter()
        .map(|&p| Shown {
            node: Some(graph.pages[p].clone()),
            gathered: 1,
            citations: 0,
        })
        .collect();
    if hidden_sources > 0 {
        sources.push(Shown {
            node: None,
            gathered: hidden_sources,
            citations: 0,
        });
    }
    if hidden_pages > 0 {
        pages.push(Shown {
            node: None,
            gathered: hidden_pages,
            citations: 0,
        });
    }
    for (&(page, s), &n) in &graph.edges {
        let p = if page_at[page] == OUT {
            more_page
        } else {
            page_at[page]
        };
        let s = if source_at[s] == OUT {
            more_source
        } else {
            source_at[s]
        };
        *edges.entry((p, s)).or_insert(0) += n;
        // A judgment's lines count the paragraphs it rests on, which the page it is written
        // in cites already: a node's citations are the pages' alone, but for the judgment's own.
        if !is_judgment(page) {
            sources[s].citations += n;
            pages[p].citations += n;
        } else if page_at[page] != OUT {
            pages[p].citations += n;
        }
    }
    Bounded {
        sources,
        pages,
        edges,
        hidden_sources,
        hidden_pages,
        hidden_judgments,
    }
}

/// Positions (ranks) of both columns after the barycentre sweeps; an aggregate stays last.
fn order(b: &Bounded) -> (Vec<usize>, Vec<usize>) {
    let mut source_rank: Vec<f64> = (0..b.sources.len()).map(|i| i as f64).collect();
    let mut page_rank: Vec<f64> = (0..b.pages.len()).map(|i| i as f64).collect();
    let mut of_page: Vec<Vec<(usize, f64)>> = vec![Vec::new(); b.pages.len()];
    let mut of_source: Vec<Vec<(usize, f64)>> = vec![Vec::new(); b.sources.len()];
    for (&(p, s), &n) in &b.edges {
        of_page[p].push((s, f64::from(n)));
        of_source[s].push((p, f64::from(n)));
    }
    let source_pinned = b.hidden_sources > 0;
    let page_pinned = b.hidden_pages > 0;
    fn sweep(rank: &mut [f64], neighbours: &[Vec<(usize, f64)>], other: &[f64], last_pinned: bool) {
        let movable = rank.len() - usize::from(last_pinned);
        let centre: Vec<f64> = (0..movable)
            .map(|i| {
                let weight: f64 = neighbours[i].iter().map(|&(_, w)| w).sum();
                if weight == 0.0 {
                    rank[i]
                } else {
                    neighbours[i]
                        .iter()
                        .map(|&(j, w)| other[j] * w)
                        .sum::<f64>()
                        / weight
                }
            })
            .collect();
        let mut by_centre: Vec<usize> = (0..movable).collect();
        by_centre.sort_unstable_by(|&a, &b| centre[a].total_cmp(&centre[b]).then(a.cmp(&b)));
        for (r, i) in by_centre.into_iter().enumerate() {
            rank[i] = r as f64;
        }
    }
    for _ in 0..SWEEPS {
        sweep(&mut page_rank, &of_page, &source_rank, page_pinned);
        sweep(&mut source_rank, &of_source, &page_rank, source_pinned);
    }
    let ints = |r: Vec<f64>| r.into_iter().map(|x| x as usize).collect();
    (ints(source_rank), ints(page_rank))
}

/// A label no longer than [`LABEL_CHARS`].
fn label(title: &str) -> String {
    if title.chars().count() <= LABEL_CHARS {
        return title.to_string();
    }
    let mut short: String = title.chars().take(LABEL_CHARS - 1).collect();
    short.truncate(short.trim_end().len());
    short.push('…');
    short
}

impl Bounded {
    /// What a node says: its title, or how many the aggregate gathers.
    pub fn title_of(&self, shown: &Shown, source_column: bool) -> String {
        match &shown.node {
            Some(node) => node.title.clone(),
            None if source_column => format!("{} more sources", thousands(shown.gathered)),
            None if self.hidden_judgments > 0 => {
                format!("{} more pages and judgments", thousands(shown.gathered))
            }
            None => format!("{} more pages", thousands(shown.gathered)),
        }
    }
}

/// What a node's tooltip says after its title: its citations, or what a judgment rests on.
fn weight_note(shown: &Shown) -> String {
    let n = shown.citations;
    let s = if n == 1 { "" } else { "s" };
    match &shown.node {
        Some(node) if node.kind == NodeKind::Judgment => {
            format!("rests on {n} cited paragraph{s}")
        }
        _ => format!("{n} citation{s}"),
    }
}

/// 12345 as "12,345".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Radius of a node with `n` citations: its area grows with them, up to a cap.
fn radius(n: u32) -> f64 {
    (3.0 + 1.5 * f64::from(n).sqrt()).min(16.0)
}

/// The picture, as an `<svg>` element to put in a page whose way to the site root is `root`.
/// Same input, same bytes: every number is printed to one decimal place from sorted input.
pub fn svg(b: &Bounded, root: &str, aggregate_paths: (&str, &str)) -> String {
    let (source_rank, page_rank) = order(b);
    const WIDTH: f64 = 960.0;
    const ROW: f64 = 26.0;
    const MARGIN: f64 = 24.0;
    const SOURCE_X: f64 = 330.0;
    const PAGE_X: f64 = 630.0;
    let rows = b.sources.len().max(b.pages.len()).max(1);
    let height = rows as f64 * ROW + 2.0 * MARGIN;
    let inner = height - 2.0 * MARGIN;
    let y = |rank: usize, n: usize| MARGIN + (rank as f64 + 0.5) * inner / n as f64;
    let source_y: Vec<f64> = source_rank.iter().map(|&r| y(r, b.sources.len())).collect();
    let page_y: Vec<f64> = page_rank.iter().map(|&r| y(r, b.pages.len())).collect();

    let mut out = String::with_capacity(256 * (b.edges.len() + rows));
    let _ = write!(
        out,
        "<svg class=\"graph-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH:.0} {height:.0}\" width=\"{WIDTH:.0}\" height=\"{height:.0}\" aria-labelledby=\"graph-svg-title\">\n<title id=\"graph-svg-title\">Citation graph: {} sources on the left, {} citing pages on the right</title>\n<g class=\"edges\">\n",
        b.sources.len(),
        b.pages.len()
    );
    let mid = (SOURCE_X + PAGE_X) / 2.0;
    for (&(p, s), &n) in &b.edges {
        let (y1, y2) = (source_y[s], page_y[p]);
        let width = (1.0 + 1.5 * f64::from(n).ln()).min(8.0);
        let _ = writeln!(
            out,
            "<path class=\"edge\" d=\"M{SOURCE_X:.1} {y1:.1}C{mid:.1} {y1:.1} {mid:.1} {y2:.1} {PAGE_X:.1} {y2:.1}\" stroke-width=\"{width:.1}\"/>"
        );
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    let node = |out: &mut String, shown: &Shown, source_column: bool, cy: f64| {
        let title = b.title_of(shown, source_column);
        let (class, href) = match &shown.node {
            Some(n) => {
                let grade = n
                    .grade
                    .map(|g| format!(" grade-{}", g.to_ascii_lowercase()))
                    .unwrap_or_default();
                (
                    format!("{}{grade}", n.kind.class()),
                    format!("{root}{}", n.path),
                )
            }
            None if source_column => ("more".to_string(), format!("{root}{}", aggregate_paths.0)),
            None => ("more".to_string(), format!("{root}{}", aggregate_paths.1)),
        };
        let r = radius(shown.citations);
        let (x, text_x, anchor) = if source_column {
            (SOURCE_X, SOURCE_X - r - 6.0, "end")
        } else {
            (PAGE_X, PAGE_X + r + 6.0, "start")
        };
        out.push_str("<a href=\"");
        escape_attr(out, &href);
        let _ = write!(out, "\" class=\"node {class}\"><title>");
        escape_html(out, &title);
        let _ = write!(out, " — {}</title>", weight_note(shown));
        let judgment = shown
            .node
            .as_ref()
            .is_some_and(|n| n.kind == NodeKind::Judgment);
        if source_column {
            let _ = write!(out, "<circle cx=\"{x:.1}\" cy=\"{cy:.1}\" r=\"{r:.1}\"/>");
        } else if judgment {
            // A diamond, so a judgment reads apart from the pages even without colour; √2
            // wider than the squares' half side, so it covers the same area.
            let d = r * std::f64::consts::SQRT_2;
            let _ = write!(
                out,
                "<polygon points=\"{x:.1},{:.1} {:.1},{cy:.1} {x:.1},{:.1} {:.1},{cy:.1}\"/>",
                cy - d,
                x + d,
                cy + d,
                x - d
            );
        } else {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"/>",
                x - r,
                cy - r,
                2.0 * r,
                2.0 * r
            );
        }
        let _ = write!(
            out,
            "<text x=\"{text_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">",
            cy + 4.0
        );
        escape_html(out, &label(&title));
        out.push_str("</text></a>\n");
    };
    for (i, shown) in b.sources.iter().enumerate() {
        node(&mut out, shown, true, source_y[i]);
    }
    for (i, shown) in b.pages.iter().enumerate() {
        node(&mut out, shown, false, page_y[i]);
    }
    out.push_str("</g>\n</svg>\n");
    out
}
