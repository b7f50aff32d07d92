//! The load stage, first of the pipeline. It takes the dossier's folder and returns what is
//! written there: `site.toml` as a [`config::SiteConfig`], every source, sidecar and page as a
//! [`content::Dossier`], and the references each Markdown body makes ([`references`]), each
//! problem as a located diagnostic. It must not resolve a reference, build a page or write a
//! file: it imports neither resolve nor render, only the shared helpers.

pub mod code_blocks;
pub mod config;
pub mod content;
pub mod extract;
pub mod references;
// analyst: key judgments and open questions (issue 18)
pub mod callouts;
