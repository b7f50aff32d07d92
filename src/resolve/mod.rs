//! The resolve stage. It takes the loaded [`Dossier`](crate::load::content::Dossier) and
//! returns a [`site::Site`]: the dossier with its citation graph and cross-references
//! ([`xref`], quotations checked by [`quotation`]), its [`timeline`] and its [`taxonomy`]
//! terms, with a located diagnostic for each reference that does not hold. It must not read
//! files or produce HTML: it imports load's types and the shared helpers, never render.

// analyst: judgments and open questions (issue 18)
pub mod analysis;
pub mod quotation;
pub mod site;
pub mod taxonomy;
pub mod timeline;
pub mod xref;
