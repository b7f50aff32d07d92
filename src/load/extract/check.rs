//! `dossier check --extraction`: every original extracted again and compared with its derived
//! `.txt`, so a text edited by hand (or made by another extractor) is caught, located, named.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Location};
use crate::load::content::front_matter::parse_sidecar;
use crate::load::content::load::scan_content;

/// What re-extraction found.
#[derive(Debug, Default)]
pub struct ExtractionReport {
    /// Originals extracted again.
    pub originals: usize,
    /// Derived texts that differ, and originals that no longer extract.
    pub problems: Vec<Diagnostic>,
}

/// Extract every original of the dossier at `root` again and compare. This reads the files
/// itself rather than the loaded sources, so a text whose sha256 no longer matches (reported
/// by the ordinary check) is compared too; a sidecar that does not parse is left to that check.
pub fn check_extraction(root: &Path) -> ExtractionReport {
    let layout = scan_content(root);
    let jobs: Vec<(&PathBuf, &PathBuf, &PathBuf)> = layout
        .sources
        .iter()
        .filter_map(|(id, text, sidecar)| Some((text, sidecar, layout.originals.get(id)?)))
        .collect();
    let problems: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|(text, sidecar, original)| compare(root, text, sidecar, original))
        .collect();
    ExtractionReport {
        originals: jobs.len(),
        problems,
    }
}

/// The difference between a derived text and a fresh extraction of its original, if any.
fn compare(
    root: &Path,
    text_path: &Path,
    sidecar_path: &Path,
    original_path: &Path,
) -> Option<Diagnostic> {
    let sidecar_text = std::fs::read_to_string(root.join(sidecar_path)).ok()?;
    let meta = parse_sidecar(sidecar_path, &sidecar_text).ok()?.meta;
    let original = meta.original?;
    if sidecar_path.with_file_name(&original.file) != original_path {
        return None;
    }
    let bytes = std::fs::read(root.join(original_path)).ok()?;
    let fresh = match super::extract(original.format, &bytes) {
        Ok(fresh) => fresh.text,
        Err(e) => {
            return Some(
                Diagnostic::error(format!("`{}`: {e}", original_path.display()))
                    .at(Location::file_start(original_path, None)),
            );
        }
    };
    let derived_bytes = std::fs::read(root.join(text_path)).ok()?;
    let derived = String::from_utf8_lossy(&derived_bytes);
    if derived == fresh {
        return None;
    }
    let line = first_difference(&derived, &fresh);
    let expected = fresh.split('\n').nth(line).unwrap_or("");
    let found = derived.split('\n').nth(line).unwrap_or("");
    // Where in the line they part: the error points there, the hint quotes the fresh words.
    let column = expected
        .char_indices()
        .zip(found.chars())
        .find(|((_, a), b)| a != b)
        .map_or(expected.len().min(found.len()), |((i, _), _)| i);
    let from = expected[..column.min(expected.len())]
        .char_indices()
        .rev()
        .nth(20)
        .map_or(0, |(i, _)| i);
    let shown: String = expected[from..]
        .chars()
        .filter(|&c| c != '\u{c}')
        .take(60)
        .collect();
    let line_start: usize = derived.split('\n').take(line).map(|l| l.len() + 1).sum();
    let mut at = line_start + column.min(found.len());
    while !derived.is_char_boundary(at) {
        at -= 1;
    }
    let location = Location::at_offset(text_path, &derived, at);
    let now = original.format.extractor();
    let hint = if original.extractor == now {
        format!(
            "a fresh extraction reads here: \"…{shown}…\"; the derived text is evidence too — restore it (or add the original again with `dossier add-source`)"
        )
    } else {
        format!(
            "it was made by `{}`, this is `{now}`: if the difference comes from the new extractor, add the original again with `dossier add-source`; a fresh extraction reads here: \"…{shown}…\"",
            original.extractor
        )
    };
    Some(
        Diagnostic::error(format!(
            "`{}` differs from a fresh extraction of `{}` at line {}",
            text_path.display(),
            original_path.display(),
            line + 1
        ))
        .at(location)
        .hint(hint),
    )
}

/// The 0-based index of the first line where `a` and `b` differ.
fn first_difference(a: &str, b: &str) -> usize {
    let mut lines_a = a.split('\n');
    let mut lines_b = b.split('\n');
    let mut index = 0;
    loop {
        match (lines_a.next(), lines_b.next()) {
            (Some(x), Some(y)) if x == y => index += 1,
            _ => return index,
        }
    }
}
