//! Loading `content/`: walk it, classify every file (anything unexpected is an error, not
//! skipped), then read and parse the files in parallel. Every problem is collected.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::front_matter::{parse_page_meta, parse_sidecar, split};
use super::source_text::{decode, split_paragraphs_with, word_count};
use super::{Page, PageKind, Source};
use crate::diagnostics::{Diagnostic, Location};
use crate::fsutil;
use crate::slug::{is_valid_id, suggest_id};

/// What loading `content/` produced. Files that failed to load are absent, but their ids are
/// listed in `broken` so references to them do not add a second, misleading error.
#[derive(Debug, Default)]
pub struct Content {
    /// `_index.md`, if present and valid.
    pub index: Option<Page>,
    /// Sources, sorted by id.
    pub sources: Vec<Source>,
    /// Summaries, drafts included, sorted by slug.
    pub summaries: Vec<Page>,
    /// Events, drafts included, sorted by slug.
    pub events: Vec<Page>,
    /// Ids that exist on disk but failed to load, and why.
    pub broken: Broken,
}

/// Files that exist but could not be loaded.
#[derive(Debug, Default, Clone)]
pub struct Broken {
    /// Source ids.
    pub sources: Vec<String>,
    /// Summary slugs.
    pub summaries: Vec<String>,
    /// Event slugs.
    pub events: Vec<String>,
    /// The errors of each file that failed to load, by its path (a source's `.txt`), kept so
    /// an incremental rebuild can report them again without re-reading an unchanged file.
    pub failures: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

/// The files of `content/`, classified by the walk: what a load will read.
#[derive(Debug, Default)]
pub struct Layout {
    /// `content/_index.md`, if present.
    pub index: Option<PathBuf>,
    /// Sources with both files: (id, `.txt`, `.toml`), sorted by id.
    pub sources: Vec<(String, PathBuf, PathBuf)>,
    /// Summaries and events with valid slugs, sorted by path.
    pub pages: Vec<(PageKind, String, PathBuf)>,
    /// Stray files, orphans, invalid ids.
    pub problems: Vec<Diagnostic>,
    /// Ids of the files those problems are about.
    pub broken: Broken,
    /// Every file and folder the walk saw, relative to the root: the layout depends on these
    /// names only, so while they stay the same it need not be walked again.
    pub paths: HashSet<PathBuf>,
    /// evidence: the originals beside sources, by id.
    pub originals: HashMap<String, PathBuf>,
}

/// Items of an earlier load that a new load may reuse when their files did not change.
#[derive(Debug, Default)]
pub struct Reuse {
    /// In the order they were loaded: the layout's order, while no file comes or goes.
    sources: Vec<Option<Source>>,
    /// Where each source is in `sources`, by id: made only when the order differs.
    source_positions: Option<HashMap<String, usize>>,
    pages: HashMap<PathBuf, Page>,
    failures: BTreeMap<PathBuf, Vec<Diagnostic>>,
}

impl Reuse {
    /// Everything loaded before: sources, pages (drafts included) and failures.
    pub fn new(
        sources: Vec<Source>,
        pages: impl IntoIterator<Item = Page>,
        failures: BTreeMap<PathBuf, Vec<Diagnostic>>,
    ) -> Reuse {
        Reuse {
            sources: sources.into_iter().map(Some).collect(),
            source_positions: None,
            pages: pages.into_iter().map(|p| (p.path.clone(), p)).collect(),
            failures,
        }
    }

    /// Take the source `id`, expected at `position`: ten thousand sources are not put in a map
    /// on every rebuild when they are where they were.
    fn take_source(&mut self, position: usize, id: &str) -> Option<Source> {
        let Reuse {
            sources,
            source_positions,
            ..
        } = self;
        if sources
            .get(position)
            .and_then(Option::as_ref)
            .is_some_and(|s| s.id == id)
        {
            return sources[position].take();
        }
        let positions = source_positions.get_or_insert_with(|| {
            sources
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.as_ref().map(|s| (s.id.clone(), i)))
                .collect()
        });
        positions.get(id).and_then(|&i| sources[i].take())
    }
}

/// The folders of `content/` and what each holds.
const SOURCES_DIR: &str = "sources";
const SUMMARIES_DIR: &str = "summaries";
const EVENTS_DIR: &str = "events";
const INDEX_FILE: &str = "_index.md";

const LAYOUT_HINT: &str = "content/ holds only _index.md, sources/<id>.txt with sources/<id>.toml, summaries/<slug>.md and events/<slug>.md; move other files out of content/";

/// Whether the walk skips a name: hidden files and editor leftovers (PRODUCT.md §5).
pub fn is_ignored(name: &OsStr) -> bool {
    let Some(name) = name.to_str() else {
        return false;
    };
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".bak")
        || (name.len() > 1 && name.starts_with('#') && name.ends_with('#'))
}

/// A source's two files, as found by the walk.
#[derive(Default)]
struct SourceFiles {
    text: Option<PathBuf>,
    sidecar: Option<PathBuf>,
    /// evidence: the original (`.html`, `.htm`, `.pdf`, `.eml`) beside them.
    original: Option<PathBuf>,
}

/// Walk and load `root/content`. Paths in diagnostics are relative to `root`.
pub fn load_content(root: &Path) -> (Content, Vec<Diagnostic>) {
    load_layout(root, &scan_content(root), Reuse::default(), &|_| true)
}

/// Walk `root/content` and classify every file, reading none of them.
pub fn scan_content(root: &Path) -> Layout {
    let mut problems = Vec::new();
    let mut index = None;
    let mut sources: BTreeMap<String, SourceFiles> = BTreeMap::new();
    let mut pages: Vec<(PageKind, String, PathBuf)> = Vec::new();
    let mut broken = Broken::default();
    let mut paths = HashSet::new();

    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error("the dossier has no `content/` folder")
                .hint("create content/_index.md and content/sources/ (see `dossier new`)"),
        );
        return Layout {
            problems,
            ..Layout::default()
        };
    }

    // The walk follows no links below content/, so content/ itself is the one to check here;
    // a file linked out is refused where it is read.
    if let Some(target) = fsutil::outside_link(&fsutil::canonical_root(root), &content_dir) {
        problems.push(Diagnostic::link_outside(Path::new("content"), &target));
        return Layout {
            problems,
            ..Layout::default()
        };
    }

    let mut walk = walkdir::WalkDir::new(&content_dir)
        .min_depth(1)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walk.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let shown = e.path().map(|p| relative(root, p)).unwrap_or_default();
                problems.push(Diagnostic::error(format!(
                    "cannot read `{}`: {e}",
                    shown.display()
                )));
                continue;
            }
        };
        if is_ignored(entry.file_name()) {
            if entry.file_type().is_dir() {
                walk.skip_current_dir();
            }
            continue;
        }
        let rel = relative(root, entry.path());
        paths.insert(rel.clone());
        let is_dir = entry.file_type().is_dir();
        let name = entry.file_name().to_string_lossy();
        let parent = entry
            .path()
            .parent()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (entry.depth(), is_dir) {
            (1, true) if [SOURCES_DIR, SUMMARIES_DIR, EVENTS_DIR].contains(&name.as_ref()) => {}
            (1, false) if name == INDEX_FILE => index = Some(rel),
            (2, false) if parent == SOURCES_DIR => match split_name(&name) {
                Some((stem, "txt")) => {
                    sources.entry(stem.to_string()).or_default().text = Some(rel);
                }
                Some((stem, "toml")) => {
                    sources.entry(stem.to_string()).or_default().sidecar = Some(rel);
                }
                // evidence: an original the text was extracted from (issue 14)
                Some((stem, ext)) if crate::load::extract::Format::from_extension(ext).is_some() => {
                    let files = sources.entry(stem.to_string()).or_default();
                    if files.original.is_some() {
                        problems.push(stray(
                            &rel,
                            "a source has one original: keep one of its .html, .htm, .pdf or .eml files",
                        ));
                    } else {
                        files.original = Some(rel);
                    }
                }
                _ => problems.push(stray(
                    &rel,
                    "sources/ holds only <id>.txt and <id>.toml files (and the original each was extracted from: .html, .htm, .pdf, .eml)",
                )),
            },
            (2, false) if parent == SUMMARIES_DIR || parent == EVENTS_DIR => {
                let kind = if parent == SUMMARIES_DIR {
                    PageKind::Summary
                } else {
                    PageKind::Event
                };
                match split_name(&name) {
                    Some((stem, "md")) => pages.push((kind, stem.to_string(), rel)),
                    _ => problems.push(stray(&rel, "summaries and events are `.md` files")),
                }
            }
            (_, true) => {
                problems.push(stray(&rel, LAYOUT_HINT));
                walk.skip_current_dir();
            }
            _ => problems.push(stray(&rel, LAYOUT_HINT)),
        }
    }

    // Pair each .txt with its sidecar; validate ids before doing any reading.
    let mut source_jobs = Vec::new();
    let mut originals = HashMap::new();
    for (id, files) in sources {
        // evidence: an original needs its source's text and sidecar
        if let Some(original) = files.original {
            if files.text.is_none() || files.sidecar.is_none() {
                problems.push(
                    Diagnostic::error(format!(
                        "`{}` is an original without its source: `{id}.txt` and `{id}.toml` are missing",
                        original.display()
                    ))
                    .at(Location::file_start(&original, None))
                    .hint("add documents with `dossier add-source FILE`, which extracts the text and writes the sidecar"),
                );
                if files.text.is_none() && files.sidecar.is_none() {
                    broken.sources.push(id.clone());
                }
            }
            originals.insert(id.clone(), original);
        }
        match (files.text, files.sidecar) {
            (Some(text), Some(sidecar)) => {
                if let Some(problem) = invalid_id(&id, &text, "source") {
                    problems.push(problem);
                    broken.sources.push(id);
                } else {
                    source_jobs.push((id, text, sidecar));
                }
            }
            (Some(text), None) => {
                problems.push(
                    Diagnostic::error(format!("source `{id}` has no sidecar `{id}.toml`"))
                        .at(Location::file_start(&text, None))
                        .hint(format!(
                            "every source needs metadata: create content/sources/{id}.toml with at least `title` and `kind` (or use `dossier add-source`)"
                        )),
                );
                broken.sources.push(id);
            }
            (None, Some(sidecar)) => {
                problems.push(
                    Diagnostic::error(format!("sidecar `{id}.toml` has no source text `{id}.txt`"))
                        .at(Location::file_start(&sidecar, None))
                        .hint(format!(
                            "put the document in content/sources/{id}.txt, or remove the sidecar"
                        )),
                );
                broken.sources.push(id);
            }
            (None, None) => {}
        }
    }
    let mut page_jobs = Vec::new();
    for (kind, slug, path) in pages {
        let what = if kind == PageKind::Summary {
            "summary"
        } else {
            "event"
        };
        if let Some(problem) = invalid_id(&slug, &path, what) {
            problems.push(problem);
            push_broken(&mut broken, kind, slug);
        } else {
            page_jobs.push((kind, slug, path));
        }
    }

    Layout {
        index,
        sources: source_jobs,
        pages: page_jobs,
        problems,
        broken,
        paths,
        originals,
    }
}

/// Load the files of `layout`: those `changed` says changed (or that `reuse` does not have)
/// are read and parsed, in parallel; the others are taken from `reuse`, failures included.
pub fn load_layout(
    root: &Path,
    layout: &Layout,
    mut reuse: Reuse,
    changed: &(dyn Fn(&Path) -> bool + Sync),
) -> (Content, Vec<Diagnostic>) {
    let source_jobs = &layout.sources;
    let page_jobs = &layout.pages;
    let mut problems = layout.problems.clone();
    let mut broken = layout.broken.clone();
    let inside = fsutil::canonical_root(root);

    // What can be reused is taken out first; the rest is loaded in parallel.
    type Loaded<T> = Option<Result<T, Vec<Diagnostic>>>;
    let mut reused_sources: Vec<Loaded<Source>> = source_jobs
        .iter()
        .enumerate()
        .map(|(position, (id, text, sidecar))| {
            let original_changed = layout.originals.get(id).is_some_and(|o| changed(o));
            if changed(text) || changed(sidecar) || original_changed {
                return None;
            }
            match reuse.take_source(position, id) {
                Some(source) => Some(Ok(source)),
                None => reuse.failures.remove(text).map(Err),
            }
        })
        .collect();
    let mut reused_pages: Vec<Loaded<Page>> = page_jobs
        .iter()
        .map(|(_, _, path)| {
            if changed(path) {
                return None;
            }
            match reuse.pages.remove(path) {
                Some(page) => Some(Ok(page)),
                None => reuse.failures.remove(path).map(Err),
            }
        })
        .collect();
    source_jobs
        .par_iter()
        .zip(reused_sources.par_iter_mut())
        .for_each(|((id, text, sidecar), slot)| {
            if slot.is_none() {
                let original = layout.originals.get(id).map(PathBuf::as_path);
                *slot = Some(load_source(root, &inside, id, text, sidecar, original));
            }
        });
    page_jobs
        .par_iter()
        .zip(reused_pages.par_iter_mut())
        .for_each(|((kind, slug, path), slot)| {
            if slot.is_none() {
                *slot = Some(load_page(root, &inside, *kind, slug, path));
            }
        });

    let mut content = Content::default();
    for ((id, text, _), result) in source_jobs.iter().zip(reused_sources) {
        match result {
            Some(Ok(source)) => content.sources.push(source),
            Some(Err(errors)) => {
                problems.extend(errors.iter().cloned());
                broken.failures.insert(text.clone(), errors);
                broken.sources.push(id.clone());
            }
            None => unreachable!("every job was loaded or reused"),
        }
    }
    for ((kind, slug, path), result) in page_jobs.iter().zip(reused_pages) {
        match result {
            Some(Ok(page)) if *kind == PageKind::Summary => content.summaries.push(page),
            Some(Ok(page)) => content.events.push(page),
            Some(Err(errors)) => {
                problems.extend(errors.iter().cloned());
                broken.failures.insert(path.clone(), errors);
                push_broken(&mut broken, *kind, slug.clone());
            }
            None => unreachable!("every job was loaded or reused"),
        }
    }
    match &layout.index {
        Some(path) => {
            let result = match (changed(path), reuse.pages.remove(path), reuse.failures.remove(path)) {
                (false, Some(page), _) => Ok(page),
                (false, None, Some(errors)) => Err(errors),
                _ => load_page(root, &inside, PageKind::Index, "", path),
            };
            match result {
                Ok(page) => content.index = Some(page),
                Err(errors) => {
                    problems.extend(errors.iter().cloned());
                    broken.failures.insert(path.clone(), errors);
                }
            }
        }
        None => problems.push(
            Diagnostic::error("the dossier has no executive brief `content/_index.md`").hint(
                "create it with front matter (`title = \"…\"` between `+++` lines) and the brief in Markdown",
            ),
        ),
    }
    content.broken = broken;
    (content, problems)
}

fn push_broken(broken: &mut Broken, kind: PageKind, slug: String) {
    match kind {
        PageKind::Summary => broken.summaries.push(slug),
        PageKind::Event => broken.events.push(slug),
        PageKind::Index => {}
    }
}

/// `name` split at its last dot into stem and extension.
fn split_name(name: &str) -> Option<(&str, &str)> {
    name.rsplit_once('.')
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn stray(rel: &Path, hint: &str) -> Diagnostic {
    Diagnostic::error(format!("unexpected file `{}` in content/", rel.display()))
        .at(Location::file_start(rel, None))
        .hint(hint.to_string())
}

fn invalid_id(id: &str, path: &Path, what: &str) -> Option<Diagnostic> {
    if is_valid_id(id) {
        return None;
    }
    let suggestion = suggest_id(id);
    let hint = if suggestion.is_empty() {
        "ids are lowercase letters, digits and `-`, starting with a letter or digit".to_string()
    } else {
        format!("ids are lowercase letters, digits and `-`: rename the file to use `{suggestion}`")
    };
    Some(
        Diagnostic::error(format!("`{id}` is not a valid {what} id"))
            .at(Location::file_start(path, None))
            .hint(hint),
    )
}

/// Read a file relative to `root`, turning an I/O failure into a located diagnostic. A link
/// leading outside the dossier (`inside` is the canonical root) is refused before anything
/// is read through it.
fn read(root: &Path, inside: &Path, rel: &Path) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let path = root.join(rel);
    if let Some(target) = fsutil::outside_link(inside, &path) {
        return Err(vec![Diagnostic::link_outside(rel, &target)]);
    }
    fsutil::read(&path).map_err(|e| {
        vec![Diagnostic::error(format!(
            "cannot read `{}`: {}",
            rel.display(),
            e.source
        ))]
    })
}

/// Read a file that must be UTF-8 text; bad bytes are located at the first one.
fn read_text(root: &Path, inside: &Path, rel: &Path) -> Result<String, Vec<Diagnostic>> {
    let bytes = read(root, inside, rel)?;
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        vec![invalid_utf8(rel, e.as_bytes(), offset)]
    })
}

fn invalid_utf8(rel: &Path, bytes: &[u8], offset: usize) -> Diagnostic {
    // The prefix up to the bad byte is valid, so offsets in the lossy copy match.
    let lossy = String::from_utf8_lossy(bytes);
    Diagnostic::error(format!("`{}` is not valid UTF-8", rel.display()))
        .at(Location::at_offset(rel, &lossy, offset))
        .hint("save the file as UTF-8; the first byte that is not UTF-8 is marked")
}

fn load_source(
    root: &Path,
    inside: &Path,
    id: &str,
    text_path: &Path,
    sidecar_path: &Path,
    original_path: Option<&Path>,
) -> Result<Source, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let sidecar_text = read_text(root, inside, sidecar_path);
    let bytes = read(root, inside, text_path);
    let sidecar = match &sidecar_text {
        Ok(text) => parse_sidecar(sidecar_path, text)
            .map_err(|mut e| problems.append(&mut e))
            .ok(),
        Err(e) => {
            problems.extend(e.iter().cloned());
            None
        }
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(mut e) => {
            problems.append(&mut e);
            return Err(problems);
        }
    };
    let text = match decode(&bytes) {
        Ok(text) => Some(text),
        Err(offset) => {
            problems.push(invalid_utf8(text_path, &bytes, offset));
            None
        }
    };
    let (Some(sidecar), Some(text), Ok(sidecar_text)) = (sidecar, text, sidecar_text) else {
        return Err(problems);
    };
    if let (Some(expected), Some(offset)) = (&sidecar.meta.sha256, sidecar.sha256_offset) {
        let actual = hex(&Sha256::digest(&bytes));
        if &actual != expected {
            problems.push(
                Diagnostic::error(format!(
                    "`{}` does not match the sha256 in its sidecar",
                    text_path.display()
                ))
                .at(Location::at_offset(sidecar_path, &sidecar_text, offset))
                .hint(format!(
                    "the file's sha256 is {actual}; sources are evidence and are never edited, so restore the collected file (or correct the sidecar if it was recorded wrongly)"
                )),
            );
        }
    }
    let mut meta = sidecar.meta;
    // evidence: the original verified (issue 14)
    let mut pages = Vec::new();
    if let Err(mut e) = verify_original(
        root,
        inside,
        &mut meta,
        text,
        sidecar_path,
        &sidecar_text,
        original_path,
    ) {
        problems.append(&mut e);
    }
    let paragraphs = split_paragraphs_with(text, meta.paragraphs, meta.markers);
    if meta.original.as_ref().is_some_and(|o| o.pages.is_some()) {
        pages = super::source_text::page_spans(text, &paragraphs);
    }
    if paragraphs.is_empty() {
        problems.push(
            Diagnostic::error(format!(
                "source `{id}` has no paragraphs: its text is empty"
            ))
            .at(Location::file_start(text_path, None))
            .hint("a source must hold the document's text; remove it if it was added by mistake"),
        );
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Source {
        id: id.to_string(),
        text_path: text_path.to_path_buf(),
        sidecar_path: sidecar_path.to_path_buf(),
        sidecar_text,
        word_count: word_count(text),
        meta,
        paragraphs,
        pages,
    })
}

fn load_page(
    root: &Path,
    inside: &Path,
    kind: PageKind,
    slug: &str,
    path: &Path,
) -> Result<Page, Vec<Diagnostic>> {
    let text = read_text(root, inside, path)?;
    let parts = split(path, &text).map_err(|e| vec![e])?;
    let meta = parse_page_meta(kind, path, &text, parts.toml)?;
    Ok(Page {
        kind,
        slug: slug.to_string(),
        path: path.to_path_buf(),
        body: parts.body,
        meta,
        text,
    })
}

// evidence: originals verified at load (issue 14) -------------------------------------------

/// The original beside a source agrees with the sidecar's `[original]`: the file it names is
/// there (and no other), its sha256 matches, and a PDF's `pages` matches the form feeds of the
/// derived text. Its bytes are kept in `meta.original`, to be published.
fn verify_original(
    root: &Path,
    inside: &Path,
    meta: &mut super::SourceMeta,
    text: &str,
    sidecar_path: &Path,
    sidecar_text: &str,
    on_disk: Option<&Path>,
) -> Result<(), Vec<Diagnostic>> {
    let at = |offset| Location::at_offset(sidecar_path, sidecar_text, offset);
    let Some(original) = meta.original.as_mut() else {
        return match on_disk {
            Some(path) => Err(vec![
                Diagnostic::error(format!(
                    "`{}` is not named by its sidecar: `{}` has no `[original]` table",
                    path.display(),
                    sidecar_path.display()
                ))
                .at(Location::file_start(path, None))
                .hint("add documents with `dossier add-source FILE`, which writes the table; or remove the file"),
            ]),
            None => Ok(()),
        };
    };
    let named = sidecar_path.with_file_name(&original.file);
    if on_disk != Some(named.as_path()) {
        return Err(vec![
            Diagnostic::error(format!("the original `{}` is missing", named.display()))
                .at(at(original.file_offset))
                .hint(match on_disk {
                    Some(other) => format!(
                        "the folder has `{}`: correct `file`, or restore the original",
                        other.display()
                    ),
                    None => {
                        "restore the collected file; it is the evidence the text was extracted from"
                            .into()
                    }
                }),
        ]);
    }
    let bytes = read(root, inside, &named)?;
    let actual = hex(&Sha256::digest(&bytes));
    let mut problems = Vec::new();
    if actual != original.sha256 {
        problems.push(
            Diagnostic::error(format!(
                "`{}` does not match the sha256 in its sidecar",
                named.display()
            ))
            .at(at(original.sha256_offset))
            .hint(format!(
                "the file's sha256 is {actual}; an original is evidence and is never edited, so restore the collected file"
            )),
        );
    }
    if let Some((pages, offset)) = original.pages {
        let found = super::source_text::page_count(text);
        if found != pages {
            problems.push(
                Diagnostic::error(format!(
                    "`pages = {pages}`, but the text has {found} page{} (form feeds mark where each page after the first begins)",
                    if found == 1 { "" } else { "s" }
                ))
                .at(at(offset))
                .hint("the derived text was changed; run `dossier check --extraction` to compare it with the original"),
            );
        }
    }
    original.bytes = std::sync::Arc::from(bytes);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

// end evidence -------------------------------------------------------------------------------

/// Lowercase hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_and_hidden_files_are_ignored() {
        for name in [
            ".DS_Store",
            "notes.md~",
            ".x.swp",
            "a.swp",
            "a.bak",
            "#a.md#",
        ] {
            assert!(is_ignored(OsStr::new(name)), "{name}");
        }
        for name in ["a.md", "#", "a#b"] {
            assert!(!is_ignored(OsStr::new(name)), "{name}");
        }
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0, 171, 255]), "00abff");
    }
}
