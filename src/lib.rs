//! dossier: a static site generator for briefing dossiers. The pipeline, in the order data
//! flows: [`config`] and [`content`] (load) → [`site`] with [`timeline`], [`xref`] and
//! [`taxonomy`] (resolve) → [`render`] with [`view`], [`markdown`], [`highlight`] and
//! [`templates`] (render) → [`output`] (write). [`pipeline`] strings the stages together;
//! the commands in `cmd/` are thin layers over it.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod fsutil;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod pipeline;
pub mod progress;
pub mod quotation;
pub mod rebuild;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod taxonomy;
pub mod templates;
pub mod timeline;
pub mod view;
pub mod xref;
