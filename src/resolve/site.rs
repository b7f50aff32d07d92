//! The resolve stage: the loaded dossier plus its timeline, citation graph and taxonomies.
//! Rendering reads a finished `Site` and never goes back to the files.

use crate::diagnostics::Diagnostic;
use crate::load::content::Dossier;
use crate::resolve::analysis::{Analysis, build_analysis, reading_order};
use crate::resolve::taxonomy::{Taxonomy, build_taxonomies};
use crate::resolve::timeline::{Timeline, build_timeline};
use crate::resolve::xref::{Cache, Graph, resolve};

/// Everything rendering needs, resolved.
#[derive(Debug, Clone)]
pub struct Site {
    /// The content.
    pub dossier: Dossier,
    /// Events and publications in order.
    pub timeline: Timeline,
    /// Citations, backlinks, highlights.
    pub graph: Graph,
    /// Terms of each declared taxonomy.
    pub taxonomies: Vec<Taxonomy>,
    /// Key judgments and open questions (issue 18).
    pub analysis: Analysis,
}

/// Resolve a loaded dossier. Diagnostics include warnings; the site is complete either way,
/// but must not be rendered if any diagnostic is an error. `taxonomies_declared` is false when
/// site.toml could not be read, and its declarations are unknown: terms are not checked then.
/// `cache` holds documents resolved before (see [`Cache`]); pass a new one for a full build.
pub fn resolve_site(
    dossier: Dossier,
    taxonomies_declared: bool,
    cache: &mut Cache,
) -> (Site, Vec<Diagnostic>) {
    let timeline = build_timeline(&dossier);
    let (graph, mut problems) = resolve(&dossier, &timeline.event_order(), cache);
    let (taxonomies, mut taxonomy_problems) = build_taxonomies(&dossier);
    if taxonomies_declared {
        problems.append(&mut taxonomy_problems);
    }
    let docs = reading_order(&dossier, &timeline.event_order());
    let (analysis, mut analysis_problems) = build_analysis(&dossier, &graph, &docs);
    problems.append(&mut analysis_problems);
    (
        Site {
            dossier,
            timeline,
            graph,
            taxonomies,
            analysis,
        },
        problems,
    )
}
