//! Starting and growing a dossier: `new` writes a small working dossier to start from, and
//! `add-source` files a collected document verbatim with its sidecar. Both refuse to
//! overwrite anything.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use sha2::{Digest, Sha256};

use crate::fsutil::{self, IoError};
use crate::load::config::CONFIG_FILE;
use crate::load::content::load::hex;
use crate::load::content::{Date, DatePrecision, SourceKind};
use crate::render::templates;
use crate::slug::{is_valid_id, suggest_id};

// evidence: originals (issue 14)
mod original;
pub use original::AddedOriginal;

/// The dossier `new` writes: a site.toml with every key explained, one source, one summary
/// quoting it, one event.
static SKELETON: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/skeleton");

/// Why `new` or `add-source` refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// The request cannot be carried out as asked; nothing was written.
    #[error("{message}")]
    Refused {
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Writing failed.
    #[error(transparent)]
    Io(#[from] IoError),
}

/// Refuse to file a source under `id` when one of its files is already there: add-source never
/// overwrites a file.
fn refuse_existing(root: &Path, id: &str, files: &[&Path]) -> Result<(), ScaffoldError> {
    match files.iter().find(|f| root.join(f).exists()) {
        Some(existing) => Err(refused(format!(
            "a source with id `{id}` already exists ({}): choose another with --id",
            existing.display()
        ))),
        None => Ok(()),
    }
}

/// The name of the file a source was added from, for the sidecar's `origin`.
fn origin_name(source: &NewSource) -> Option<String> {
    source
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
}

fn refused(message: impl Into<String>) -> ScaffoldError {
    ScaffoldError::Refused {
        message: message.into(),
    }
}

/// Write a new dossier into `dir`, which must not exist or be empty, using the built-in theme.
/// Returns the files written, relative to `dir`.
pub fn new_dossier(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    new_dossier_with(dir, false)
}

/// Write a new dossier as [`new_dossier`] does; with `copy_theme`, also a copy of the
/// built-in theme in `themes/briefing/`, to change. Without it the dossier uses the theme
/// built into dossier, so it gets the fixes of every newer dossier.
pub fn new_dossier_with(dir: &Path, copy_theme: bool) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.is_file() {
        return Err(refused(format!("`{}` is a file", dir.display())));
    }
    if let Ok(mut entries) = std::fs::read_dir(dir)
        && entries.next().is_some()
    {
        return Err(refused(format!(
            "`{}` is not empty: `dossier new` writes only into a new or empty folder",
            dir.display()
        )));
    }
    let mut files: Vec<(PathBuf, &[u8])> = Vec::new();
    collect(&SKELETON, &mut files);
    if copy_theme {
        let theme = Path::new("themes").join(crate::load::config::BUILTIN_THEME);
        for (path, bytes) in templates::builtin_theme_files() {
            files.push((theme.join(path), bytes));
        }
    }
    files.sort();
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fsutil::create_dir_all(parent)?;
        }
        fsutil::write(&path, bytes)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

fn collect(dir: &'static Dir<'static>, out: &mut Vec<(PathBuf, &'static [u8])>) {
    for file in dir.files() {
        out.push((file.path().to_path_buf(), file.contents()));
    }
    for sub in dir.dirs() {
        collect(sub, out);
    }
}

/// What `add-source` is given.
#[derive(Debug, Clone)]
pub struct NewSource {
    /// The collected file.
    pub file: PathBuf,
    /// The id to file it under; derived from the title when absent.
    pub id: Option<String>,
    /// Title.
    pub title: String,
    /// Kind of document.
    pub kind: SourceKind,
    /// Where it was collected from.
    pub url: Option<String>,
    /// When it was published.
    pub published: Option<Date>,
    /// How precisely `published` is known (`--published 2004-01` is a month).
    pub date_precision: DatePrecision,
    /// The analyst's note (Markdown).
    pub note: Option<String>,
    /// Taxonomy terms, (taxonomy, term), in the order given.
    pub terms: Vec<(String, String)>,
    /// Author.
    pub author: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// The largest file accepted, in bytes.
    pub max_size: u64,
}

/// The largest file `add-source` accepts unless told otherwise: far beyond any text a person
/// collects, far below what would exhaust memory.
pub const DEFAULT_MAX_SOURCE_SIZE: u64 = 64 * 1024 * 1024;

/// What `add-source` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedSource {
    /// The id it was filed under.
    pub id: String,
    /// The copy of the text, relative to the root.
    pub text: PathBuf,
    /// The sidecar, relative to the root.
    pub sidecar: PathBuf,
    /// Whether the text looked hard-wrapped, so `paragraphs = "blocks"` was written.
    pub blocks: bool,
    /// Things worth telling the user at once, though the source was filed.
    pub warnings: Vec<String>,
    /// evidence: the original, when the file was a web page, PDF or e-mail.
    pub original: Option<AddedOriginal>,
}

/// Copy `source.file` byte for byte to `content/sources/ID.txt` of the dossier at `root`,
/// and write its sidecar with the file's sha256 and name.
pub fn add_source(root: &Path, source: &NewSource) -> Result<AddedSource, ScaffoldError> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(refused(format!(
            "`{}` is not a dossier: it has no {CONFIG_FILE} (use --root, or create one with `dossier new DIR`)",
            root.display()
        )));
    }
    check_terms(root, &source.terms)?;
    let bytes = read_collected(&source.file, source.max_size)?;
    // evidence: a web page, PDF or e-mail is extracted (issue 14)
    if let Some(format) = source
        .file
        .extension()
        .and_then(|e| e.to_str())
        .and_then(crate::load::extract::Format::from_extension)
    {
        return original::add_original(root, source, format, &bytes);
    }
    if source.title.is_empty() {
        return Err(refused(
            "a text file carries no title: give one with --title",
        ));
    }
    let id = choose_id(&source.id, &source.title)?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let line = bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(refused(format!(
                "`{}` is not UTF-8 text (the first bad byte is at byte {offset}, line {line}): convert it to UTF-8 first, e.g. with iconv",
                source.file.display()
            )));
        }
    };
    if crate::load::content::source_text::split_paragraphs(
        text,
        crate::load::content::ParagraphMode::Lines,
    )
    .is_empty()
    {
        return Err(refused(format!("`{}` has no text", source.file.display())));
    }
    let sources = Path::new("content").join("sources");
    let text_rel = sources.join(format!("{id}.txt"));
    let sidecar_rel = sources.join(format!("{id}.toml"));
    refuse_existing(root, &id, &[&text_rel, &sidecar_rel])?;
    let origin = origin_name(source);
    let blocks = looks_hard_wrapped(text);
    let sidecar = sidecar_text(
        source,
        origin.as_deref(),
        &hex(&Sha256::digest(&bytes)),
        blocks,
    );
    let mut warnings = Vec::new();
    if let Some(url) = &source.url
        && !crate::url::is_http(url)
    {
        warnings.push(format!(
            "--url `{url}` is not an http(s) address: it will be shown as text, never as a link"
        ));
    }
    fsutil::create_dir_all(&root.join(&sources))?;
    fsutil::write(&root.join(&text_rel), &bytes)?;
    fsutil::write(&root.join(&sidecar_rel), sidecar.as_bytes())?;
    Ok(AddedSource {
        id,
        text: text_rel,
        sidecar: sidecar_rel,
        blocks,
        warnings,
        original: None,
    })
}

/// The id asked for, checked, or one made from the title.
fn choose_id(id: &Option<String>, title: &str) -> Result<String, ScaffoldError> {
    let id = match id {
        Some(id) if is_valid_id(id) => id.clone(),
        Some(id) => {
            let suggestion = suggest_id(id);
            return Err(refused(format!(
                "`{id}` is not a valid id: ids are lowercase letters, digits and `-`, starting with a letter or digit{}",
                if suggestion.is_empty() {
                    String::new()
                } else {
                    format!(" (try --id {suggestion})")
                }
            )));
        }
        None => {
            let derived = suggest_id(title);
            if derived.is_empty() {
                return Err(refused(
                    "cannot make an id from the title: give one with --id",
                ));
            }
            derived
        }
    };
    Ok(id)
}

/// `--term` names a taxonomy site.toml declares, and a term with a letter or digit in it.
/// (When site.toml does not parse, `check` will say why; the terms are written as given.)
fn check_terms(root: &Path, terms: &[(String, String)]) -> Result<(), ScaffoldError> {
    if terms.is_empty() {
        return Ok(());
    }
    let Ok(text) = std::fs::read_to_string(root.join(CONFIG_FILE)) else {
        return Ok(());
    };
    let Ok(config) = crate::load::config::SiteConfig::parse(&text) else {
        return Ok(());
    };
    for (taxonomy, term) in terms {
        if config.taxonomy(taxonomy).is_none() {
            let declared: Vec<&str> = config
                .taxonomies
                .iter()
                .map(|t| t.name.get_ref().as_str())
                .collect();
            let hint = match crate::diagnostics::nearest(taxonomy, declared.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None if declared.is_empty() => {
                    "site.toml declares none: add `[[taxonomies]]` with `name = \"…\"`".into()
                }
                None => format!("site.toml declares {}", declared.join(", ")),
            };
            return Err(refused(format!(
                "--term {taxonomy}={term}: there is no taxonomy `{taxonomy}` ({hint})"
            )));
        }
        if !term.chars().any(char::is_alphanumeric) {
            return Err(refused(format!(
                "--term {taxonomy}={term}: a term needs a letter or a digit"
            )));
        }
    }
    Ok(())
}

/// Parse `TAXONOMY=TERM` for `--term`.
pub fn parse_term(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((taxonomy, term)) if !taxonomy.trim().is_empty() && !term.trim().is_empty() => {
            Ok((taxonomy.trim().to_string(), term.trim().to_string()))
        }
        _ => Err(format!(
            "`{text}` is not TAXONOMY=TERM: write e.g. --term issues=\"survey age\""
        )),
    }
}

/// Read the collected file: a regular file of at most `max_size` bytes. Anything else (a
/// folder, a FIFO that would block forever, a device such as `/dev/zero` that never ends) is
/// refused before it is opened; the read is bounded too, so a file swapped or grown meanwhile
/// cannot exhaust memory.
fn read_collected(path: &Path, max_size: u64) -> Result<Vec<u8>, ScaffoldError> {
    use std::io::Read as _;
    let shown = path.display();
    let not_regular = |file_type: std::fs::FileType| {
        let what = if file_type.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, a FIFO or a socket)"
        };
        refused(format!(
            "`{shown}` is {what}: add-source files only regular text files"
        ))
    };
    let too_large = || {
        refused(format!(
            "`{shown}` is larger than {max_size} bytes: if it really is one source, raise the limit with --max-size"
        ))
    };
    let metadata = std::fs::metadata(path)
        .map_err(|e| refused(IoError::new("cannot read", path, e).to_string()))?;
    if !metadata.is_file() {
        return Err(not_regular(metadata.file_type()));
    }
    if metadata.len() > max_size {
        return Err(too_large());
    }
    let io = |e| refused(IoError::new("cannot read", path, e).to_string());
    let file = std::fs::File::open(path).map_err(io)?;
    let opened = file.metadata().map_err(io)?;
    if !opened.is_file() {
        return Err(not_regular(opened.file_type()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(opened.len().min(max_size)).unwrap_or(0));
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_size {
        return Err(too_large());
    }
    Ok(bytes)
}

/// A source's numbered paragraphs, for `dossier paragraphs`: every one, or those holding
/// the words searched for.
#[derive(Debug, Clone)]
pub struct Listing {
    /// The source's id.
    pub id: String,
    /// How many paragraphs it has.
    pub total: usize,
    /// The paragraphs shown, in order.
    pub shown: Vec<Listed>,
    /// When a search found nothing: the nearest passage, as a misquotation's hint gives it.
    pub closest: Option<crate::resolve::quotation::Closest>,
}

/// One paragraph of a [`Listing`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    /// Its number, as `#pN` cites it.
    pub number: u32,
    /// Its text, verbatim.
    pub text: String,
    /// The bytes of `text` the search matched (empty without a search).
    pub matches: Vec<std::ops::Range<usize>>,
}

/// The paragraphs of source `id` in the dossier at `root`, numbered as citations number
/// them; with `words`, only those holding them, matched as quotations are (white space and
/// quotation marks folded, `…` for words left out). An unknown id is refused with the
/// nearest one.
pub fn list_paragraphs(
    root: &Path,
    id: &str,
    words: Option<&str>,
) -> Result<Listing, ScaffoldError> {
    use crate::resolve::quotation::Quotation;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(refused(format!(
            "`{}` is not a dossier: it has no {CONFIG_FILE} (use --root)",
            root.display()
        )));
    }
    let inside = fsutil::canonical_root(root);
    let sources = Path::new("content").join("sources");
    let text_rel = sources.join(format!("{id}.txt"));
    let sidecar_rel = sources.join(format!("{id}.toml"));
    // Nothing is read through a link that leads out of the dossier.
    for rel in [Path::new("content"), &sources, &text_rel, &sidecar_rel] {
        if let Some(target) = fsutil::outside_link(&inside, &root.join(rel)) {
            return Err(refused(format!(
                "`{}` links to `{}`, outside the dossier: nothing is read through it",
                rel.display(),
                target.display()
            )));
        }
    }
    if !is_valid_id(id) || !root.join(&text_rel).is_file() {
        let known = source_ids(&root.join(&sources));
        let hint = match crate::diagnostics::nearest(id, known.iter().map(String::as_str)) {
            Some(near) => format!("did you mean `{near}`?"),
            None if known.is_empty() => {
                "the dossier has no sources yet: add one with `dossier add-source`".into()
            }
            None => format!("the sources are: {}", known.join(", ")),
        };
        return Err(refused(format!("no source with id `{id}` ({hint})")));
    }
    let (mode, markers) = match fsutil::read_to_string(&root.join(&sidecar_rel)) {
        Ok(text) => match crate::load::content::front_matter::parse_sidecar(&sidecar_rel, &text) {
            Ok(sidecar) => (sidecar.meta.paragraphs, sidecar.meta.markers),
            Err(_) => {
                return Err(refused(format!(
                    "`{}` has errors, so its paragraphs cannot be numbered: `dossier check` shows them",
                    sidecar_rel.display()
                )));
            }
        },
        Err(e) => return Err(refused(e.to_string())),
    };
    let bytes = fsutil::read(&root.join(&text_rel))?;
    let Ok(text) = crate::load::content::source_text::decode(&bytes) else {
        return Err(refused(format!(
            "`{}` is not UTF-8 text: `dossier check` shows where",
            text_rel.display()
        )));
    };
    let paragraphs = crate::load::content::source_text::split_paragraphs_with(text, mode, markers);
    let quotation = match words {
        Some(words) => Some(
            Quotation::new(words)
                .ok_or_else(|| refused("the search is empty: give the words to look for"))?,
        ),
        None => None,
    };
    let shown: Vec<Listed> = paragraphs
        .iter()
        .zip(1u32..)
        .filter_map(|(p, number)| {
            let matches = match &quotation {
                Some(q) => q.find_in(&p.text)?,
                None => Vec::new(),
            };
            Some(Listed {
                number,
                text: p.text.clone(),
                matches,
            })
        })
        .collect();
    let closest = match &quotation {
        Some(q) if shown.is_empty() => {
            q.closest_passage(paragraphs.iter().map(|p| p.text.as_str()))
        }
        _ => None,
    };
    Ok(Listing {
        id: id.to_string(),
        total: paragraphs.len(),
        shown,
        closest,
    })
}

/// The ids of the `.txt` files in `dir`, sorted.
fn source_ids(dir: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    name.strip_suffix(".txt").map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    ids
}

/// Parse a size for `--max-size`: bytes, or a number with `K`, `M` or `G` (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let bad = || format!("`{text}` is not a size: write bytes, or e.g. 200M or 2G");
    let trimmed = text.trim();
    let (digits, unit) = match trimmed.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => trimmed.split_at(i),
        None => (trimmed, ""),
    };
    let shift = match unit.to_ascii_uppercase().trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        _ => return Err(bad()),
    };
    let number: u64 = digits.parse().map_err(|_| bad())?;
    number.checked_mul(1 << shift).ok_or_else(bad)
}

/// The sidecar for a new source, keys in the documented order.
pub fn sidecar_text(
    source: &NewSource,
    origin: Option<&str>,
    sha256: &str,
    blocks: bool,
) -> String {
    let quoted = |s: &str| basic_string(s);
    let mut out = format!(
        "title = {}\nkind = \"{}\"\n",
        quoted(&source.title),
        source.kind.as_str()
    );
    if let Some(date) = source.published {
        out.push_str(&format!("published = {date}\n"));
        let precision = match source.date_precision {
            DatePrecision::Day => None,
            DatePrecision::Month => Some("month"),
            DatePrecision::Quarter => Some("quarter"),
            DatePrecision::After => Some("after"),
        };
        if let Some(precision) = precision {
            out.push_str(&format!("date_precision = \"{precision}\"\n"));
        }
    }
    for (key, value) in [
        ("publisher", &source.publisher),
        ("author", &source.author),
        ("url", &source.url),
    ] {
        if let Some(value) = value {
            out.push_str(&format!("{key} = {}\n", quoted(value)));
        }
    }
    if let Some(origin) = origin {
        out.push_str(&format!("origin = {}\n", quoted(origin)));
    }
    out.push_str(&format!("sha256 = \"{sha256}\"\n"));
    if let Some(note) = &source.note {
        out.push_str(&format!("note = {}\n", quoted(note)));
    }
    if blocks {
        out.push_str("paragraphs = \"blocks\"\n");
    }
    // Terms grouped by taxonomy, taxonomies and terms in the order first given.
    let mut taxonomies: Vec<(&str, Vec<&str>)> = Vec::new();
    for (taxonomy, term) in &source.terms {
        match taxonomies.iter_mut().find(|(t, _)| t == taxonomy) {
            Some((_, terms)) if terms.contains(&term.as_str()) => {}
            Some((_, terms)) => terms.push(term),
            None => taxonomies.push((taxonomy, vec![term])),
        }
    }
    if !taxonomies.is_empty() {
        out.push_str("\n[taxonomies]\n");
        for (taxonomy, terms) in taxonomies {
            let terms: Vec<String> = terms.into_iter().map(quoted).collect();
            let key = if is_valid_id(taxonomy) {
                taxonomy.to_string()
            } else {
                quoted(taxonomy)
            };
            out.push_str(&format!("{key} = [{}]\n", terms.join(", ")));
        }
    }
    out
}

/// `s` as a TOML basic string: `"…"` with `\` escapes, always on one line.
fn basic_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a text looks hard-wrapped (an e-mail, a book edition): most lines that run on into
/// the next are of a similar, moderate length, and no line is long. Such texts are split into
/// paragraphs at blank lines rather than at every line.
pub fn looks_hard_wrapped(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let longest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut running_on = 0;
    let mut wrap_like = 0;
    for pair in lines.windows(2) {
        if pair[0].trim().is_empty() || pair[1].trim().is_empty() {
            continue;
        }
        running_on += 1;
        if (40..=100).contains(&pair[0].chars().count()) {
            wrap_like += 1;
        }
    }
    longest <= 120 && running_on >= 3 && wrap_like * 10 >= running_on * 7
}

/// Parse `--published`: a day (`2024-04-18`), a month (`2004-01`) or a quarter (`2024-Q2`),
/// the last two kept as their first day with the precision that says how much is known.
pub fn parse_published(text: &str) -> Result<(Date, DatePrecision), String> {
    let bad = || {
        format!(
            "`{text}` is not a date: write a day (2024-04-18), a month (2024-04) or a quarter (2024-Q2)"
        )
    };
    let trimmed = text.trim();
    let Some((year, rest)) = trimmed.split_once('-') else {
        return Err(bad());
    };
    if rest.contains('-') {
        return parse_date(trimmed).map(|d| (d, DatePrecision::Day));
    }
    let year: i32 = match year.len() {
        4 if year.bytes().all(|b| b.is_ascii_digit()) => year.parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    let (month, precision) = match rest.strip_prefix(['Q', 'q']) {
        Some(q) => match q {
            "1" | "2" | "3" | "4" => (
                q.parse::<u8>().map_err(|_| bad())? * 3 - 2,
                DatePrecision::Quarter,
            ),
            _ => return Err(bad()),
        },
        None if rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()) => {
            match rest.parse::<u8>() {
                Ok(m @ 1..=12) => (m, DatePrecision::Month),
                _ => return Err(bad()),
            }
        }
        None => return Err(bad()),
    };
    Ok((
        Date {
            year,
            month,
            day: 1,
        },
        precision,
    ))
}

/// Parse `YYYY-MM-DD` for `--published`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let value: toml::value::Datetime = text
        .parse()
        .map_err(|_| format!("`{text}` is not a date: write it as YYYY-MM-DD"))?;
    match (value.date, value.time) {
        (Some(d), None) => Ok(Date {
            year: i32::from(d.year),
            month: d.month,
            day: d.day,
        }),
        _ => Err(format!("`{text}` is not a date: write it as YYYY-MM-DD")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hard_wrapped_texts_are_told_from_one_line_paragraphs() {
        let wrapped = "Dear colleagues,\n\nThe committee met on Tuesday to review the harbour\nprogramme and agreed that the survey must be repeated\nbefore any further work is tendered, whatever the cost\nof the delay to the programme as a whole.\n\nRegards,\nInes\n";
        assert!(looks_hard_wrapped(wrapped));
        let lines = "First paragraph on one line, however long it runs, because that is how posts come.\nSecond.\nThird.\nFourth.\n";
        assert!(!looks_hard_wrapped(lines));
        let long = format!(
            "{}\n{}\n{}\n{}\n",
            "x".repeat(60),
            "y".repeat(60),
            "z".repeat(300),
            "w".repeat(60)
        );
        assert!(!looks_hard_wrapped(&long));
    }

    #[test]
    fn sidecars_are_written_in_order_with_escaped_strings() {
        let source = NewSource {
            file: "a.txt".into(),
            id: None,
            title: "Meta's \"open\" plan".into(),
            kind: SourceKind::BlogPost,
            url: Some("https://example.org/a".into()),
            published: Some(Date {
                year: 2024,
                month: 7,
                day: 23,
            }),
            date_precision: DatePrecision::Day,
            note: None,
            terms: Vec::new(),
            author: Some("A. Writer".into()),
            publisher: None,
            max_size: DEFAULT_MAX_SOURCE_SIZE,
        };
        let text = sidecar_text(&source, Some("a.txt"), "ab", false);
        assert_eq!(
            text,
            "title = \"Meta's \\\"open\\\" plan\"\nkind = \"blog-post\"\npublished = 2024-07-23\nauthor = \"A. Writer\"\nurl = \"https://example.org/a\"\norigin = \"a.txt\"\nsha256 = \"ab\"\n"
        );
    }

    #[test]
    fn basic_strings_round_trip_through_toml() {
        for s in [
            "plain",
            "with \"quotes\" and \\ backslash",
            "line\nbreak\ttab",
            "bell\u{7}",
        ] {
            let doc = format!("v = {}", basic_string(s));
            let parsed: toml::Table = toml::from_str(&doc).unwrap_or_default();
            assert_eq!(parsed.get("v").and_then(|v| v.as_str()), Some(s), "{doc}");
        }
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(parse_size("1000"), Ok(1000));
        assert_eq!(parse_size("200M"), Ok(200 << 20));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert_eq!(parse_size("64KiB"), Ok(64 << 10));
        for bad in ["", "M", "1.5M", "-1", "3T", "99999999999999999999G"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn published_takes_a_day_a_month_or_a_quarter() {
        let day = |year, month, day| Date { year, month, day };
        assert_eq!(
            parse_published("2024-04-18"),
            Ok((day(2024, 4, 18), DatePrecision::Day))
        );
        assert_eq!(
            parse_published("2004-01"),
            Ok((day(2004, 1, 1), DatePrecision::Month))
        );
        assert_eq!(
            parse_published("2024-Q2"),
            Ok((day(2024, 4, 1), DatePrecision::Quarter))
        );
        assert_eq!(
            parse_published("2024-q4"),
            Ok((day(2024, 10, 1), DatePrecision::Quarter))
        );
        for bad in [
            "2024",
            "2024-13",
            "2024-Q5",
            "2024-Q",
            "24-01",
            "2024-1",
            "2024-02-30x",
            "Q2-2024",
        ] {
            assert!(parse_published(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn terms_are_grouped_by_taxonomy_in_the_sidecar() {
        let source = NewSource {
            file: "a.txt".into(),
            id: None,
            title: "T".into(),
            kind: SourceKind::Other,
            url: None,
            published: Some(Date {
                year: 2004,
                month: 1,
                day: 1,
            }),
            date_precision: DatePrecision::Month,
            note: Some("Collected from \"the archive\".".into()),
            terms: vec![
                ("issues".into(), "cost".into()),
                ("people".into(), "Ann".into()),
                ("issues".into(), "survey age".into()),
                ("issues".into(), "cost".into()),
            ],
            author: None,
            publisher: None,
            max_size: DEFAULT_MAX_SOURCE_SIZE,
        };
        assert_eq!(
            sidecar_text(&source, None, "ab", false),
            "title = \"T\"\nkind = \"other\"\npublished = 2004-01-01\ndate_precision = \"month\"\nsha256 = \"ab\"\nnote = \"Collected from \\\"the archive\\\".\"\n\n[taxonomies]\nissues = [\"cost\", \"survey age\"]\npeople = [\"Ann\"]\n"
        );
        assert_eq!(
            parse_term("issues = survey age"),
            Ok(("issues".into(), "survey age".into()))
        );
        assert!(parse_term("issues").is_err());
        assert!(parse_term("=x").is_err());
    }

    #[test]
    fn dates_must_be_plain_days() {
        assert_eq!(
            parse_date("2024-04-18"),
            Ok(Date {
                year: 2024,
                month: 4,
                day: 18
            })
        );
        assert!(parse_date("18/04/2024").is_err());
        assert!(parse_date("2024-04-18T10:00:00Z").is_err());
    }
}
