//! The search page (the index itself is `render::search`).

use serde::Serialize;

use crate::url::paths;

use super::*;

/// `page` of `search.html`.
#[derive(Debug, Serialize)]
pub struct SearchView {
    /// "Search".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: &'static str,
    /// `search/`.
    pub path: &'static str,
    /// Where the index is, relative to the root: `search/meta.json` and its neighbours.
    pub index: &'static str,
}

impl<'a> Views<'a> {
    /// The search page.
    pub fn search(&self) -> SearchView {
        SearchView {
            title: "Search",
            description: "Search every source paragraph, summary and event of this dossier.",
            path: paths::SEARCH,
            index: crate::render::search::FOLDER,
        }
    }
}
