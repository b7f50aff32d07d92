//! dossier: a static site generator for briefing dossiers. The source tree is the pipeline, one
//! folder per stage, in the order data flows: [`load`] reads `site.toml` and the content folder
//! into a dossier and finds each body's references → [`resolve`] checks those references and
//! builds the citation graph, timeline and taxonomies into a site → [`render`] turns the site
//! into pages, feeds and the search index, as files in memory → [`write`] swaps them into the
//! output folder. [`pipeline`] strings the stages together (`check` stops before write);
//! [`rebuild`] and [`serve`] rebuild incrementally and serve on top of it; [`scaffold`] makes
//! new dossiers and sources; the commands in `cmd/` are thin layers over these. A stage imports
//! only earlier stages; the small shared helpers ([`diagnostics`], [`fsutil`], [`html`],
//! [`progress`], [`slug`], [`url`]) import no stage (tests/architecture.rs holds this).

pub mod load;
pub mod render;
pub mod resolve;
pub mod write;

pub mod pipeline;
pub mod rebuild;
pub mod scaffold;
pub mod serve;

pub mod diagnostics;
pub mod fsutil;
pub mod html;
pub mod progress;
pub mod slug;
pub mod url;
