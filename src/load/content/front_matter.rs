//! TOML metadata: `+++` front matter of summaries, events and the index, and source sidecars.
//! Each kind has its own serde struct with `deny_unknown_fields`, so a key that a kind does
//! not take is an error at its line; spans are kept so later stages can point at ids and terms.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::{
    Date, DatePrecision, Note, Original, PageKind, PageMeta, ParagraphMode, SourceKind, SourceMeta,
    TermRef,
};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::config::parse_toml;
use crate::slug::is_valid_id;

/// Where the front matter's TOML and the Markdown body lie in a page file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The TOML between the `+++` lines.
    pub toml: Range<usize>,
    /// Everything after the closing `+++` line.
    pub body: Range<usize>,
}

/// Find the `+++` front matter at the top of a page file.
pub fn split(path: &Path, text: &str) -> Result<Split, Diagnostic> {
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut lines = line_spans(text, start);
    let opening = lines.next().filter(|l| text[l.clone()].trim_end() == "+++");
    let Some(opening) = opening else {
        return Err(Diagnostic::error("missing front matter")
            .at(Location::at_offset(path, text, start))
            .hint("start the file with a `+++` line, then TOML such as `title = \"…\"`, then a closing `+++` line"));
    };
    let toml_start = next_line_start(text, opening.end);
    for line in lines {
        if text[line.clone()].trim_end() == "+++" {
            return Ok(Split {
                toml: toml_start..line.start,
                body: next_line_start(text, line.end)..text.len(),
            });
        }
    }
    Err(Diagnostic::error("front matter is not closed")
        .at(Location::at_offset(path, text, opening.start))
        .hint("add a line `+++` after the front matter's last key"))
}

/// Byte ranges of each line's content (without `\n`) from `start`.
fn line_spans(text: &str, start: usize) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut pos = start;
    std::iter::from_fn(move || {
        if pos >= text.len() {
            return None;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = pos..end;
        pos = end + 1;
        Some(line)
    })
}

fn next_line_start(text: &str, line_end: usize) -> usize {
    (line_end + 1).min(text.len())
}

type TaxonomyTable = BTreeMap<String, Spanned<Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexFront {
    #[serde(deserialize_with = "non_empty_title")]
    title: String,
    description: Option<String>,
    date: Option<Date>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SummaryFront {
    #[serde(deserialize_with = "non_empty_title")]
    title: String,
    description: Option<String>,
    date: Option<Date>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    taxonomies: TaxonomyTable,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFront {
    #[serde(deserialize_with = "non_empty_title")]
    title: String,
    description: Option<String>,
    date: Spanned<Date>,
    end_date: Option<Spanned<Date>>,
    #[serde(default)]
    date_precision: DatePrecision,
    kind: Option<Spanned<String>>,
    #[serde(default)]
    sources: Vec<Spanned<String>>,
    weight: Option<i64>,
    #[serde(default)]
    draft: bool,
    #[serde(default)]
    taxonomies: TaxonomyTable,
}

/// Parse the front matter of a page of `kind`. `toml` is its range in `text`.
pub fn parse_page_meta(
    kind: PageKind,
    path: &Path,
    text: &str,
    toml: Range<usize>,
) -> Result<PageMeta, Vec<Diagnostic>> {
    let base = toml.start;
    let what = match kind {
        PageKind::Index => "the front matter of the executive brief",
        PageKind::Summary => "summary front matter",
        PageKind::Event => "event front matter",
    };
    let shift =
        |spanned: &Spanned<String>| (spanned.get_ref().clone(), base + spanned.span().start);
    let meta = match kind {
        PageKind::Index => {
            let f: IndexFront = parse_toml(path, text, toml.clone(), what)?;
            PageMeta {
                title: f.title,
                description: f.description,
                date: f.date,
                ..PageMeta::default()
            }
        }
        PageKind::Summary => {
            let f: SummaryFront = parse_toml(path, text, toml.clone(), what)?;
            PageMeta {
                title: f.title,
                description: f.description,
                date: f.date,
                sources: f.sources.iter().map(shift).collect(),
                weight: f.weight,
                draft: f.draft,
                terms: term_refs(&f.taxonomies, base),
                ..PageMeta::default()
            }
        }
        PageKind::Event => {
            let f: EventFront = parse_toml(path, text, toml.clone(), what)?;
            let mut problems = Vec::new();
            if let Some(end) = &f.end_date
                && end.get_ref() < f.date.get_ref()
            {
                problems.push(
                    Diagnostic::error(format!(
                        "end_date {} is before date {}",
                        end.get_ref(),
                        f.date.get_ref()
                    ))
                    .at(Location::at_offset(
                        path,
                        text,
                        base + end.span().start,
                    )),
                );
            }
            if let Some(kind) = &f.kind
                && !is_valid_id(kind.get_ref())
            {
                problems.push(
                    Diagnostic::error(format!("invalid event kind `{}`", kind.get_ref()))
                        .at(Location::at_offset(path, text, base + kind.span().start))
                        .hint(format!(
                            "kinds are lowercase words joined by `-`, e.g. `{}`",
                            crate::slug::slugify(kind.get_ref())
                        )),
                );
            }
            if !problems.is_empty() {
                return Err(problems);
            }
            PageMeta {
                title: f.title,
                description: f.description,
                date: Some(*f.date.get_ref()),
                end_date: f.end_date.map(|d| *d.get_ref()),
                date_precision: f.date_precision,
                event_kind: f.kind.map(Spanned::into_inner),
                sources: f.sources.iter().map(shift).collect(),
                weight: f.weight,
                draft: f.draft,
                terms: term_refs(&f.taxonomies, base),
            }
        }
    };
    Ok(meta)
}

fn term_refs(table: &TaxonomyTable, base: usize) -> Vec<TermRef> {
    table
        .iter()
        .flat_map(|(taxonomy, terms)| {
            terms.get_ref().iter().map(move |term| TermRef {
                taxonomy: taxonomy.clone(),
                term: term.get_ref().clone(),
                offset: base + term.span().start,
            })
        })
        .collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sidecar {
    #[serde(deserialize_with = "non_empty_title")]
    title: String,
    kind: SourceKind,
    published: Option<Date>,
    #[serde(default)]
    date_precision: DatePrecision,
    publisher: Option<String>,
    author: Option<String>,
    url: Option<String>,
    origin: Option<String>,
    sha256: Option<Spanned<String>>,
    note: Option<Spanned<String>>,
    #[serde(default)]
    paragraphs: ParagraphMode,
    #[serde(default = "yes")]
    markers: bool,
    #[serde(default)]
    taxonomies: TaxonomyTable,
    // evidence (issue 14)
    original: Option<OriginalTable>,
    // analyst (issue 18): the Admiralty grade, checked by `grade::read_grade`.
    reliability: Option<Spanned<String>>,
    credibility: Option<Spanned<i64>>,
    grading_note: Option<Spanned<String>>,
}

// evidence: the `[original]` table (issue 14) ------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OriginalTable {
    file: Spanned<String>,
    media_type: Spanned<String>,
    sha256: Spanned<String>,
    extractor: String,
    pages: Option<Spanned<u32>>,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    attachments: Vec<AttachmentTable>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AttachmentTable {
    name: String,
    media_type: String,
    size: u64,
    sha256: String,
}

/// `[original]` checked: the file is `<id>.<ext>` of a format dossier extracts, its media type
/// is that format's, its sha256 is 64 hexadecimal digits.
fn parse_original(path: &Path, text: &str, table: OriginalTable) -> Result<Original, Diagnostic> {
    use crate::load::extract::Format;
    let at = |offset: usize| Location::at_offset(path, text, offset);
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let file = table.file.get_ref();
    let format = file
        .strip_prefix(&format!("{id}."))
        .and_then(Format::from_extension)
        .ok_or_else(|| {
            Diagnostic::error(format!(
                "`[original] file = \"{file}\"` is not `{id}.html`, `{id}.htm`, `{id}.pdf` or `{id}.eml`"
            ))
            .at(at(table.file.span().start))
            .hint("the original is kept beside the text, under the source's id; `dossier add-source` writes this table")
        })?;
    if table.media_type.get_ref() != format.media_type() {
        return Err(Diagnostic::error(format!(
            "`media_type = \"{}\"` does not match `{file}`, which is {}",
            table.media_type.get_ref(),
            format.media_type()
        ))
        .at(at(table.media_type.span().start))
        .hint(format!("write `media_type = \"{}\"`", format.media_type())));
    }
    let sha = table.sha256.get_ref();
    if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(
            Diagnostic::error(format!("sha256 `{sha}` is not 64 hexadecimal digits"))
                .at(at(table.sha256.span().start))
                .hint("compute it with `sha256sum` on the original"),
        );
    }
    if format == Format::Pdf && table.pages.is_none() {
        return Err(Diagnostic::error("`[original]` of a PDF has no `pages`")
            .at(at(table.file.span().start))
            .hint("write the page count, `pages = N` (`dossier add-source` does)"));
    }
    Ok(Original {
        file: file.clone(),
        file_offset: table.file.span().start,
        format,
        sha256: sha.to_ascii_lowercase(),
        sha256_offset: table.sha256.span().start,
        extractor: table.extractor,
        pages: table.pages.map(|p| (*p.get_ref(), p.span().start)),
        headers: table.headers,
        attachments: table
            .attachments
            .into_iter()
            .map(|a| crate::load::extract::Attachment {
                name: a.name,
                media_type: a.media_type,
                size: a.size,
                sha256: a.sha256,
            })
            .collect(),
        bytes: std::sync::Arc::from(Vec::new()),
    })
}

// end evidence -------------------------------------------------------------------------------

/// A title: an empty one would make empty links and headings, so it is an error at its value.
fn non_empty_title<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let title = String::deserialize(deserializer)?;
    if title.trim().is_empty() {
        return Err(serde::de::Error::custom(
            "`title` is empty: every page and source needs a title readers can click",
        ));
    }
    Ok(title)
}

fn yes() -> bool {
    true
}

/// A parsed sidecar plus the span of its `sha256` value, for the mismatch error.
pub struct ParsedSidecar {
    /// The metadata.
    pub meta: SourceMeta,
    /// Byte offset of the `sha256` value, when present.
    pub sha256_offset: Option<usize>,
}

/// Parse a source sidecar.
pub fn parse_sidecar(path: &Path, text: &str) -> Result<ParsedSidecar, Vec<Diagnostic>> {
    let s: Sidecar = parse_toml(path, text, 0..text.len(), "source sidecar")?;
    if let Some(sha) = &s.sha256 {
        let value = sha.get_ref();
        if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(vec![
                Diagnostic::error(format!("sha256 `{value}` is not 64 hexadecimal digits"))
                    .at(Location::at_offset(path, text, sha.span().start))
                    .hint("compute it with `sha256sum`, or remove the key"),
            ]);
        }
    }
    // evidence (issue 14)
    let original = match s.original {
        Some(table) => Some(parse_original(path, text, table).map_err(|e| vec![e])?),
        None => None,
    };
    // analyst (issue 18): the grade, every problem with it located.
    let grade_keys = super::grade::GradeKeys {
        reliability: s.reliability.clone(),
        credibility: s.credibility.clone(),
        grading_note: s.grading_note.clone(),
    };
    let (grade, grading_note) =
        super::grade::read_grade(path, text, &grade_keys, |at| string_content_start(text, at))?;
    let note = s.note.as_ref().map(|n| Note {
        text: n.get_ref().clone(),
        offset: string_content_start(text, n.span().start),
    });
    Ok(ParsedSidecar {
        sha256_offset: s.sha256.as_ref().map(|s| s.span().start),
        meta: SourceMeta {
            title: s.title,
            kind: s.kind,
            published: s.published,
            date_precision: s.date_precision,
            publisher: s.publisher,
            author: s.author,
            url: s.url,
            origin: s.origin,
            sha256: s.sha256.map(|s| s.into_inner().to_ascii_lowercase()),
            note,
            paragraphs: s.paragraphs,
            markers: s.markers,
            terms: term_refs(&s.taxonomies, 0),
            original,
            grade,
            grading_note,
        },
    })
}

/// Where a TOML string's characters start, given where its literal starts: after the opening
/// delimiter, and after the newline a multi-line string may open with.
fn string_content_start(text: &str, literal: usize) -> usize {
    let rest = &text[literal..];
    let delimiter = if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
        3
    } else {
        1
    };
    let after = literal + delimiter;
    if delimiter == 3 {
        if text[after..].starts_with("\r\n") {
            return after + 2;
        }
        if text[after..].starts_with('\n') {
            return after + 1;
        }
    }
    after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_finds_toml_and_body() {
        let text = "+++\ntitle = \"A\"\n+++\nBody\n";
        let s = split(Path::new("a.md"), text).expect("valid");
        assert_eq!(&text[s.toml], "title = \"A\"\n");
        assert_eq!(&text[s.body], "Body\n");
    }

    #[test]
    fn split_accepts_crlf_and_bom() {
        let text = "\u{feff}+++\r\ntitle = \"A\"\r\n+++\r\nBody";
        let s = split(Path::new("a.md"), text).expect("valid");
        assert_eq!(&text[s.body], "Body");
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening_line() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"A\"\n").expect_err("invalid");
        assert_eq!(e.location.map(|l| (l.line, l.col)), Some((1, 1)));
    }

    #[test]
    fn front_matter_errors_point_at_the_file_line() {
        let text = "+++\ntitle = \"A\"\nauthor = \"B\"\n+++\n";
        let s = split(Path::new("a.md"), text).expect("split");
        let e = parse_page_meta(PageKind::Summary, Path::new("a.md"), text, s.toml)
            .expect_err("unknown key");
        assert_eq!(e[0].location.as_ref().map(|l| l.line), Some(3));
        assert!(e[0].message.contains("unknown key `author`"));
    }

    #[test]
    fn every_unknown_front_matter_key_is_reported() {
        let text = "+++\ntitle = \"A\"\nauthor = \"B\"\ntags = [\"x\"]\n+++\n";
        let s = split(Path::new("a.md"), text).expect("split");
        let e = parse_page_meta(PageKind::Summary, Path::new("a.md"), text, s.toml)
            .expect_err("unknown keys");
        let lines: Vec<_> = e
            .iter()
            .filter_map(|d| d.location.as_ref().map(|l| l.line))
            .collect();
        assert_eq!(lines, vec![3, 4], "{e:?}");
        let text = "title = \"T\"\nkind = \"other\"\nauthors = \"A\"\npublised = 2024-01-01\n";
        let Err(e) = parse_sidecar(Path::new("s.toml"), text) else {
            panic!("unknown keys")
        };
        assert_eq!(e.len(), 2);
        assert_eq!(e[1].hint.as_deref(), Some("did you mean `published`?"));
    }

    #[test]
    fn events_need_a_date_and_summaries_reject_event_keys() {
        let text = "+++\ntitle = \"A\"\n+++\n";
        let s = split(Path::new("e.md"), text).expect("split");
        let e = parse_page_meta(PageKind::Event, Path::new("e.md"), text, s.toml.clone())
            .expect_err("no date");
        assert!(e[0].message.contains("missing key `date`"));
        let text = "+++\ntitle = \"A\"\nkind = \"release\"\n+++\n";
        let s = split(Path::new("s.md"), text).expect("split");
        assert!(parse_page_meta(PageKind::Summary, Path::new("s.md"), text, s.toml).is_err());
    }

    #[test]
    fn terms_and_sources_keep_their_file_offsets() {
        let text = "+++\ntitle = \"A\"\nsources = [\"x\"]\n[taxonomies]\npeople = [\"Ann\"]\n+++\n";
        let s = split(Path::new("s.md"), text).expect("split");
        let m = parse_page_meta(PageKind::Summary, Path::new("s.md"), text, s.toml).expect("ok");
        assert_eq!(&text[m.sources[0].1..m.sources[0].1 + 3], "\"x\"");
        assert_eq!(&text[m.terms[0].offset..m.terms[0].offset + 5], "\"Ann\"");
    }

    #[test]
    fn note_offsets_skip_delimiters() {
        let text = "title = \"T\"\nkind = \"other\"\nnote = '''\nThe note.'''\n";
        let Ok(p) = parse_sidecar(Path::new("s.toml"), text) else {
            panic!("a valid sidecar")
        };
        let note = p.meta.note.expect("note");
        assert_eq!(&text[note.offset..note.offset + 4], "The ");
    }
}
