//! What the pages show of a source's original (issue 14): the extraction line, the original's
//! link and hash, a PDF paragraph's page, and in citation notes the page of the PDF and a text
//! fragment link to the words where they were published.

use serde::Serialize;

use crate::load::content::{PageSpan, Source};
use crate::load::extract::Format;
use crate::url::{is_http, paths};

/// The original of a source page.
#[derive(Debug, Serialize)]
pub struct OriginalView<'a> {
    /// "Extracted from the original PDF, 12 pages".
    pub extracted: String,
    /// Root-relative path of the published copy.
    pub path: String,
    /// Its file name.
    pub file: &'a str,
    /// Its media type.
    pub media_type: &'static str,
    /// Its size: "29 KB".
    pub size: String,
    /// Its verified sha256.
    pub sha256: &'a str,
    /// The extractor that made the text.
    pub extractor: &'a str,
    /// An e-mail's headers.
    pub headers: Vec<HeaderView<'a>>,
    /// An e-mail's attachments (listed; not published).
    pub attachments: Vec<AttachmentView<'a>>,
}

/// An e-mail header.
#[derive(Debug, Serialize)]
pub struct HeaderView<'a> {
    /// Its name: `From`.
    pub name: &'a str,
    /// Its value, decoded.
    pub value: &'a str,
}

/// A size in bytes as people read it: "812 bytes", "29 KB", "1.4 MB".
fn size_label(bytes: usize) -> String {
    match bytes {
        0..1000 => format!("{bytes} bytes"),
        1000..1_000_000 => format!("{} KB", bytes.div_ceil(1000)),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

/// An e-mail attachment as listed.
#[derive(Debug, Serialize)]
pub struct AttachmentView<'a> {
    /// File name.
    pub name: &'a str,
    /// Media type.
    pub media_type: &'a str,
    /// Size in bytes.
    pub size: u64,
    /// sha256 of its bytes.
    pub sha256: &'a str,
}

/// The original of `source`, if it has one.
pub fn original_view(source: &Source) -> Option<OriginalView<'_>> {
    let original = source.meta.original.as_ref()?;
    let pages = match original.pages {
        Some((1, _)) => ", 1 page".to_string(),
        Some((n, _)) => format!(", {n} pages"),
        None => String::new(),
    };
    Some(OriginalView {
        extracted: format!(
            "Extracted from the original {}{pages}",
            original.format.label()
        ),
        path: original_path(source)?,
        file: &original.file,
        media_type: original.format.media_type(),
        size: size_label(original.bytes.len()),
        sha256: &original.sha256,
        extractor: &original.extractor,
        headers: original
            .headers
            .iter()
            .map(|(name, value)| HeaderView { name, value })
            .collect(),
        attachments: original
            .attachments
            .iter()
            .map(|a| AttachmentView {
                name: &a.name,
                media_type: &a.media_type,
                size: a.size,
                sha256: &a.sha256,
            })
            .collect(),
    })
}

/// Root-relative path of a source's published original: `sources/ID/ID.pdf`.
pub fn original_path(source: &Source) -> Option<String> {
    let original = source.meta.original.as_ref()?;
    Some(format!("{}{}", paths::source(&source.id), original.file))
}

/// "p. 4", or "pp. 4–5" for a paragraph that runs on over a page break.
pub fn page_label(span: PageSpan) -> String {
    if span.first == span.last {
        format!("p. {}", span.first)
    } else {
        format!("pp. {}–{}", span.first, span.last)
    }
}

/// What a citation note adds for a source with an original or a URL.
#[derive(Debug, Clone, Serialize)]
pub struct NoteEvidence {
    /// "p. 4" for a paragraph of a PDF.
    pub page: Option<String>,
    /// Root-relative link to the page of the original PDF (`sources/ID/ID.pdf#page=4`).
    pub page_path: Option<String>,
    /// A link to the quoted words where they were published (`url#:~:text=…`).
    pub fragment: Option<String>,
}

/// The evidence links of a citation of `source`'s paragraph `paragraph`, quoting `quote`.
pub fn note_evidence(
    source: &Source,
    paragraph: Option<u32>,
    quote: Option<&str>,
) -> Option<NoteEvidence> {
    let is_pdf = source
        .meta
        .original
        .as_ref()
        .is_some_and(|o| o.format == Format::Pdf);
    let span = paragraph
        .and_then(|n| source.pages.get((n as usize).checked_sub(1)?))
        .copied();
    let page_path = span
        .zip(original_path(source))
        .map(|(s, path)| format!("{path}#page={}", s.first));
    let fragment = match (&source.meta.url, quote) {
        (Some(url), Some(quote)) if is_http(url) && !is_pdf => Some(
            crate::render::fragment::text_fragment(url, &ellipsis_pieces(quote)),
        ),
        _ => None,
    };
    if span.is_none() && fragment.is_none() {
        return None;
    }
    Some(NoteEvidence {
        page: span.map(page_label),
        page_path,
        fragment,
    })
}

/// A quotation's pieces between its ellipses (`…`, `...`, `[…]`, `[...]`).
fn ellipsis_pieces(quote: &str) -> Vec<&str> {
    let mut pieces = vec![quote];
    for mark in ["[…]", "[...]", "…", "..."] {
        pieces = pieces.iter().flat_map(|p| p.split(mark)).collect();
    }
    pieces.retain(|p| !p.trim().is_empty());
    pieces
}
