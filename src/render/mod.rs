//! The render stage. It takes a resolved [`Site`](crate::resolve::site::Site) and the theme
//! ([`templates`]) and returns the site's files in memory ([`sink::OutputFile`], handed to a
//! [`sink::Sink`]): every page from its [`view`] through its template ([`pages`]), Markdown
//! turned into HTML ([`markdown`], code by [`highlight`]), the [`feeds`] and the [`search`]
//! index. It must not touch the output folder and must not find new references or problems in
//! the content: it reads resolve's and load's types, and writing is the write stage's.

// analyst: grade badges, judgment and question boxes (issue 18)
pub mod analyst;
pub mod exports;
pub mod feeds;
pub mod fragment;
pub mod graph;
pub mod highlight;
pub mod markdown;
pub mod pages;
pub mod search;
pub mod sink;
pub mod templates;
pub mod view;
