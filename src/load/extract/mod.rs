//! Text extraction from the originals a source may be collected as — a saved web page, a PDF,
//! an e-mail — into the derived `.txt` that the rest of the pipeline reads. Run once by
//! `add-source` and again by `check --extraction`; a build never extracts (it verifies hashes).

pub mod check;
pub mod email;
pub mod html;
pub mod pdf;

/// The kinds of original a source can be extracted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A web page (`.html`, `.htm`).
    Html,
    /// A PDF document.
    Pdf,
    /// An RFC 5322 message (`.eml`).
    Email,
}

impl Format {
    /// The format of a file with extension `ext` (any case), if dossier extracts it.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "eml" => Some(Format::Email),
            _ => None,
        }
    }

    /// The media type recorded in the sidecar.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Html => "text/html",
            Format::Pdf => "application/pdf",
            Format::Email => "message/rfc822",
        }
    }

    /// The format recorded as `media_type`, if dossier extracts it.
    pub fn from_media_type(media_type: &str) -> Option<Format> {
        [Format::Html, Format::Pdf, Format::Email]
            .into_iter()
            .find(|f| f.media_type() == media_type)
    }

    /// How the source page names the original: "the original PDF".
    pub fn label(self) -> &'static str {
        match self {
            Format::Html => "web page",
            Format::Pdf => "PDF",
            Format::Email => "e-mail",
        }
    }

    /// The extractor's name and version, recorded in the sidecar so a changed extractor is
    /// seen for what it is when `check --extraction` finds a difference.
    pub fn extractor(self) -> String {
        let version = env!("CARGO_PKG_VERSION");
        match self {
            Format::Html => format!("dossier {version} html (html5ever via scraper 0.29)"),
            Format::Pdf => format!("dossier {version} pdf (pdf-extract 0.12)"),
            Format::Email => format!("dossier {version} email (mail-parser 0.11)"),
        }
    }
}

/// What an extraction gives: the derived text and what the document says about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    /// The derived text: one paragraph per line; for a PDF, each page after the first begins
    /// at a form feed (U+000C).
    pub text: String,
    /// Pages, for a PDF.
    pub pages: Option<u32>,
    /// Metadata the document carries.
    pub found: Found,
    /// An e-mail's headers, in the order shown: (name, value).
    pub headers: Vec<(String, String)>,
    /// An e-mail's attachments (listed, not extracted).
    pub attachments: Vec<Attachment>,
}

/// Metadata found in a document, each filled only when the document has it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    /// Title: `og:title`, JSON-LD `headline`, `<title>`; PDF `Title`; e-mail `Subject`.
    pub title: Option<String>,
    /// Author: JSON-LD `author`, `article:author`, `<meta name=author>`; PDF `Author`; `From`.
    pub author: Option<String>,
    /// Publication date as `YYYY-MM-DD`: JSON-LD `datePublished`, `article:published_time`;
    /// PDF `CreationDate`; e-mail `Date`.
    pub published: Option<String>,
    /// Publisher: `og:site_name`, JSON-LD `publisher`.
    pub publisher: Option<String>,
}

/// An e-mail attachment, as listed in the sidecar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// Its file name (or `attachment-N` when it has none).
    pub name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes, decoded.
    pub size: u64,
    /// The sha256 of its decoded bytes.
    pub sha256: String,
}

/// Why a document gave no text: said to the user with the file's name in front.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractError(pub String);

impl std::fmt::Display for ExtractError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Extract `bytes` as `format`.
pub fn extract(format: Format, bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let extracted = match format {
        Format::Html => html::extract(bytes)?,
        Format::Pdf => pdf::extract(bytes)?,
        Format::Email => email::extract(bytes)?,
    };
    if extracted.text.chars().all(char::is_whitespace) {
        return Err(ExtractError(match format {
            Format::Pdf => "no text layer: this PDF is an image; run OCR first".into(),
            _ => format!("no text: the {} holds no readable text", format.label()),
        }));
    }
    Ok(extracted)
}

/// Collapse every run of white space to one space and trim; soft hyphens (invisible unless a
/// line breaks at them) are dropped.
pub fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|&c| c != '\u{ad}'));
    }
    out
}

/// A date written as ISO 8601 or RFC 3339 (`2024-03-15T07:30:00Z`) as `YYYY-MM-DD`.
pub fn iso_day(value: &str) -> Option<String> {
    let day = value.trim().get(..10)?;
    let b = day.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    (digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
        .then(|| day.to_string())
}
