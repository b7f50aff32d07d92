//! The content model — `Dossier`, `Source`, `Paragraph`, `Page` — and its loading from disk.
//! This is the first stage of the pipeline: nothing here knows about references or HTML.

pub mod date;
pub mod front_matter;
// analyst: Admiralty grades (issue 18)
pub mod grade;
pub mod load;
pub mod source_text;

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::load::config::SiteConfig;
pub use date::{Date, DatePrecision};

/// Everything loaded from a dossier folder, before any reference is resolved.
#[derive(Debug, Clone)]
pub struct Dossier {
    /// `site.toml`.
    pub config: SiteConfig,
    /// `content/_index.md`: the executive brief.
    pub index: Page,
    /// Sources, sorted by id.
    pub sources: Vec<Source>,
    /// Published summaries (drafts too when building with `--drafts`), sorted by slug.
    pub summaries: Vec<Page>,
    /// Published events (drafts too with `--drafts`), sorted by slug.
    pub events: Vec<Page>,
    /// Slugs of drafts left out of this build, so a link to one gets a precise error.
    pub drafts: Drafts,
    /// Ids of files that failed to load, so links to them add no second error.
    pub broken: load::Broken,
}

impl Dossier {
    /// The index of the source with `id` (sources are sorted by id).
    pub fn source_index(&self, id: &str) -> Option<usize> {
        self.sources
            .binary_search_by(|s| s.id.as_str().cmp(id))
            .ok()
    }
}

/// The drafts left out of a build, kept so a link to one gets a precise error (and so an
/// incremental rebuild need not read them again).
#[derive(Debug, Clone, Default)]
pub struct Drafts {
    /// Draft summaries.
    pub summaries: Vec<Page>,
    /// Draft events.
    pub events: Vec<Page>,
}

/// A source document: verbatim text split into paragraphs, plus its sidecar metadata.
#[derive(Debug, Clone)]
pub struct Source {
    /// The id, from the file stem.
    pub id: String,
    /// `content/sources/<id>.txt`, relative to the root.
    pub text_path: PathBuf,
    /// `content/sources/<id>.toml`, relative to the root.
    pub sidecar_path: PathBuf,
    /// The sidecar's full text, kept to locate problems inside the `note`.
    pub sidecar_text: String,
    /// The sidecar.
    pub meta: SourceMeta,
    /// Numbered paragraphs: `paragraphs[0]` is ¶1.
    pub paragraphs: Vec<Paragraph>,
    /// Words in the whole text.
    pub word_count: usize,
    /// evidence: for a source extracted from a PDF, the pages of each paragraph (one per
    /// paragraph); empty otherwise.
    pub pages: Vec<PageSpan>,
}

impl Source {
    /// Paragraph `number` (1-based), if the source has it.
    pub fn paragraph(&self, number: u32) -> Option<&Paragraph> {
        (number as usize)
            .checked_sub(1)
            .and_then(|i| self.paragraphs.get(i))
    }

    /// The analyst's note as a Markdown document, if there is one.
    pub fn note_body(&self) -> Option<Body<'_>> {
        let note = self.meta.note.as_ref()?;
        Some(Body {
            text: note.text.as_str(),
            offset: note.offset,
            file_text: &self.sidecar_text,
        })
    }
}

/// One numbered paragraph of a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// Its text as displayed: list and quotation markers removed, hard wraps joined.
    pub text: String,
    /// How it is displayed.
    pub kind: ParagraphKind,
    /// The line of the `.txt` it starts on.
    pub line: u32,
}

/// How a paragraph is displayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphKind {
    /// Ordinary text.
    Text,
    /// A line that started with a bullet.
    ListItem,
    /// A line (or block) that started with `> `.
    Quote,
}

/// What kind of document a source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    /// A news or trade-press article.
    Article,
    /// A post on a social network.
    SocialPost,
    /// A discussion thread.
    ForumThread,
    /// A transcript of spoken words.
    Transcript,
    /// A blog post.
    BlogPost,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// Every kind, in the order the documentation lists them.
    pub const ALL: [SourceKind; 6] = [
        SourceKind::Article,
        SourceKind::SocialPost,
        SourceKind::ForumThread,
        SourceKind::Transcript,
        SourceKind::BlogPost,
        SourceKind::Other,
    ];

    /// The name written in sidecars: `social-post`.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Article => "article",
            SourceKind::SocialPost => "social-post",
            SourceKind::ForumThread => "forum-thread",
            SourceKind::Transcript => "transcript",
            SourceKind::BlogPost => "blog-post",
            SourceKind::Other => "other",
        }
    }

    /// How the kind is shown to readers.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Article => "Article",
            SourceKind::SocialPost => "Social post",
            SourceKind::ForumThread => "Forum thread",
            SourceKind::Transcript => "Transcript",
            SourceKind::BlogPost => "Blog post",
            SourceKind::Other => "Other",
        }
    }
}

impl std::str::FromStr for SourceKind {
    type Err = String;

    fn from_str(s: &str) -> Result<SourceKind, String> {
        SourceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
                format!(
                    "`{s}` is not a kind of source; use one of: {}",
                    names.join(", ")
                )
            })
    }
}

/// How a source's text is split into paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParagraphMode {
    /// Every non-blank line is a paragraph.
    #[default]
    Lines,
    /// Blank lines separate paragraphs; lines within one are joined with a space.
    Blocks,
}

/// A source's sidecar, validated.
#[derive(Debug, Clone)]
pub struct SourceMeta {
    /// Title.
    pub title: String,
    /// Kind of document.
    pub kind: SourceKind,
    /// Publication date, if known.
    pub published: Option<Date>,
    /// How precisely `published` is known.
    pub date_precision: DatePrecision,
    /// Publisher, e.g. "LinkedIn".
    pub publisher: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Where it was collected from (shown as a link only when http(s)).
    pub url: Option<String>,
    /// The file name it was collected under.
    pub origin: Option<String>,
    /// Declared sha256 of the `.txt`, verified at load.
    pub sha256: Option<String>,
    /// The analyst's note (Markdown).
    pub note: Option<Note>,
    /// How the text is split into paragraphs.
    pub paragraphs: ParagraphMode,
    /// Whether bullet and `> ` lines are list items and quotations (`markers = false`: text).
    pub markers: bool,
    /// Taxonomy terms.
    pub terms: Vec<TermRef>,
    // evidence: the original the text was extracted from (issue 14)
    /// The original (web page, PDF, e-mail) the text was extracted from: `[original]`.
    pub original: Option<Original>,
    // analyst (issue 18): the Admiralty grade and why.
    /// `reliability` and `credibility`, when the source is graded.
    pub grade: Option<grade::Grade>,
    /// `grading_note` (Markdown without references): why the grade.
    pub grading_note: Option<Note>,
}

// evidence: originals and pages (issue 14) --------------------------------------------------

/// A source's original, as its sidecar's `[original]` table records it.
#[derive(Debug, Clone)]
pub struct Original {
    /// Its file name in `content/sources/` (`<id>.pdf`).
    pub file: String,
    /// Byte offset of the `file` value in the sidecar.
    pub file_offset: usize,
    /// What it is.
    pub format: crate::load::extract::Format,
    /// The sha256 recorded for it (lowercase).
    pub sha256: String,
    /// Byte offset of the `sha256` value in the sidecar.
    pub sha256_offset: usize,
    /// The extractor that made the derived text (name and version).
    pub extractor: String,
    /// A PDF's page count, and the offset of the value.
    pub pages: Option<(u32, usize)>,
    /// An e-mail's headers, in order: (name, value).
    pub headers: Vec<(String, String)>,
    /// An e-mail's attachments.
    pub attachments: Vec<crate::load::extract::Attachment>,
    /// Its bytes, read and verified at load, published beside the source page.
    pub bytes: std::sync::Arc<[u8]>,
}

/// The pages a PDF source's paragraph stands on, from the form feeds of its derived text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageSpan {
    /// The page its first word is on.
    pub first: u32,
    /// The page its last word is on.
    pub last: u32,
}

// end evidence -------------------------------------------------------------------------------

/// A Markdown string inside a TOML file, with where its text starts in that file.
#[derive(Debug, Clone)]
pub struct Note {
    /// The Markdown.
    pub text: String,
    /// Byte offset of the text's first character in the file (exact unless it has escapes).
    pub offset: usize,
}

/// A taxonomy term as written in a sidecar or front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermRef {
    /// The taxonomy's name.
    pub taxonomy: String,
    /// The term as written.
    pub term: String,
    /// Byte offset in the file of where it is written.
    pub offset: usize,
}

/// What a Markdown page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md`.
    Index,
    /// `content/summaries/<slug>.md`.
    Summary,
    /// `content/events/<slug>.md`.
    Event,
}

/// A Markdown page: the executive brief, a summary or an event.
#[derive(Debug, Clone)]
pub struct Page {
    /// Which kind.
    pub kind: PageKind,
    /// The slug, from the file stem (empty for the index).
    pub slug: String,
    /// Path relative to the root.
    pub path: PathBuf,
    /// The whole file, kept so references can be located and bodies re-parsed.
    pub text: String,
    /// Where the Markdown body starts in `text`.
    pub body: Range<usize>,
    /// Front matter.
    pub meta: PageMeta,
}

impl Page {
    /// A stand-in for a missing or broken `_index.md`, so the rest can still be checked.
    pub fn placeholder_index() -> Page {
        Page {
            kind: PageKind::Index,
            slug: String::new(),
            path: PathBuf::from("content/_index.md"),
            text: String::new(),
            body: 0..0,
            meta: PageMeta::default(),
        }
    }

    /// The Markdown body with its position in the file.
    pub fn body(&self) -> Body<'_> {
        Body {
            text: &self.text[self.body.clone()],
            offset: self.body.start,
            file_text: &self.text,
        }
    }
}

/// A Markdown document somewhere in a file: its text, where it starts, and the whole file.
#[derive(Debug, Clone, Copy)]
pub struct Body<'a> {
    /// The Markdown.
    pub text: &'a str,
    /// Byte offset of `text` within `file_text`.
    pub offset: usize,
    /// The file it lives in (for locating diagnostics).
    pub file_text: &'a str,
}

/// Front matter of any page, validated. Keys that a kind of page does not take are rejected
/// while parsing; here they are simply absent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// Title.
    pub title: String,
    /// A one-sentence description for lists and `<meta>`.
    pub description: Option<String>,
    /// Date (required for events).
    pub date: Option<Date>,
    /// End date of an event that spans days.
    pub end_date: Option<Date>,
    /// How precisely the dates are known.
    pub date_precision: DatePrecision,
    /// Event kind, e.g. `earnings-call`.
    pub event_kind: Option<String>,
    /// Ids of the sources this page is about, with their offsets in the file.
    pub sources: Vec<(String, usize)>,
    /// Ordering in lists (lower first).
    pub weight: Option<i64>,
    /// Drafts are built only with `--drafts`.
    pub draft: bool,
    /// Taxonomy terms.
    pub terms: Vec<TermRef>,
}

/// Terms grouped by taxonomy, in the order written.
pub fn terms_by_taxonomy(terms: &[TermRef]) -> BTreeMap<&str, Vec<&str>> {
    let mut map: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in terms {
        map.entry(t.taxonomy.as_str())
            .or_default()
            .push(t.term.as_str());
    }
    map
}
