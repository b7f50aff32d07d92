//! PDFs: the text layer in reading order (pdf-extract, pure Rust), a page at a time. Lines are
//! joined into paragraphs at the blank lines the layout leaves between text blocks; a word
//! hyphenated at a line end is rejoined; a page number alone at a page's top or bottom is
//! dropped; a paragraph that runs on over a page break stays one paragraph, with the form feed
//! where the page turns, so every paragraph (and every quotation) knows its page.

use std::collections::HashSet;

use pdf_extract::{Document, Object};

use super::{ExtractError, Extracted, Found};

/// Extract a PDF.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let document = Document::load_mem(bytes).map_err(|e| read_error(&e.to_string()))?;
    if document.is_encrypted() {
        return Err(ExtractError(
            "this PDF is encrypted: dossier cannot read its text; save an unencrypted copy (print to PDF) and add that".into(),
        ));
    }
    let found = metadata(&document);
    let numbers: Vec<u32> = document.get_pages().keys().copied().collect();
    let mut pages = Vec::with_capacity(numbers.len());
    for number in &numbers {
        let mut collector = Collector::default();
        // pdf-extract is young and some malformed files make it panic: that is a damaged file.
        let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pdf_extract::output_doc_page(&document, &mut collector, *number)
        }));
        match walked {
            Ok(Ok(())) => pages.push(collector.page_text()),
            Ok(Err(e)) => return Err(read_error(&format!("page {number}: {e:?}"))),
            Err(_) => return Err(read_error(&format!("page {number} could not be decoded"))),
        }
    }
    Ok(Extracted {
        text: layout_pages(&pages),
        pages: Some(u32::try_from(pages.len()).unwrap_or(u32::MAX)),
        found,
        ..Extracted::default()
    })
}

/// One glyph as placed on the page.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    advance: f64,
    size: f64,
    text: String,
}

/// Gathers a page's glyphs from pdf-extract's walk of the content stream.
#[derive(Default)]
struct Collector {
    glyphs: Vec<Glyph>,
}

impl pdf_extract::OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page: u32,
        _media_box: &pdf_extract::MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        // The glyph's size on the page: the font size through the text matrix.
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size * scale;
        self.glyphs.push(Glyph {
            x: trm.m31,
            y: trm.m32,
            advance: width * size,
            size,
            text: char.to_string(),
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        Ok(())
    }
}

/// Append a glyph's text; the typographic ligatures (U+FB00–U+FB06) are the letters a reader
/// reads, so they are written as those letters.
fn push_glyph(text: &mut String, glyph: &str) {
    for c in glyph.chars() {
        match c {
            '\u{fb00}' => text.push_str("ff"),
            '\u{fb01}' => text.push_str("fi"),
            '\u{fb02}' => text.push_str("fl"),
            '\u{fb03}' => text.push_str("ffi"),
            '\u{fb04}' => text.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => text.push_str("st"),
            c => text.push(c),
        }
    }
}

/// A line of text as laid out: where it starts and its size.
struct Line {
    text: String,
    x: f64,
    y: f64,
    size: f64,
}

impl Collector {
    /// The page as text: lines in content order, a blank line between text blocks. A space is
    /// put where the gap between glyphs is wider than a sixth of the type size; a space glyph
    /// with no width (Chromium writes soft hyphens so) is not a space.
    fn page_text(&self) -> String {
        let mut lines: Vec<Line> = Vec::new();
        let mut end = f64::NEG_INFINITY;
        // A space glyph seen and where it starts: a space only if the next glyph does not
        // start inside it.
        let mut space_at: Option<f64> = None;
        for g in &self.glyphs {
            let new_line = match lines.last() {
                None => true,
                Some(line) => {
                    (g.y - line.y).abs() > 0.5 * g.size.max(line.size) || g.x < end - g.size
                }
            };
            if g.text.chars().all(char::is_whitespace) {
                if !new_line && g.advance > g.size * 0.05 {
                    space_at = Some(g.x);
                }
                end = g.x + g.advance;
                continue;
            }
            if new_line {
                lines.push(Line {
                    text: String::new(),
                    x: g.x,
                    y: g.y,
                    size: g.size,
                });
            } else if let Some(line) = lines.last_mut() {
                let spaced = space_at.is_some_and(|x| g.x > x + g.size * 0.05);
                if (spaced || g.x - end > g.size / 6.0) && !line.text.ends_with(' ') {
                    line.text.push(' ');
                }
            }
            space_at = None;
            if let Some(line) = lines.last_mut() {
                push_glyph(&mut line.text, &g.text);
                line.size = line.size.max(g.size);
            }
            end = g.x + g.advance;
        }
        lines.retain(|l| !l.text.trim().is_empty());
        // The usual distance between lines, and the left edge of the text.
        let mut gaps: Vec<f64> = lines
            .windows(2)
            .map(|w| (w[0].y - w[1].y).abs())
            .filter(|g| *g > 0.1)
            .collect();
        gaps.sort_by(f64::total_cmp);
        let leading = gaps.get(gaps.len() / 2).copied().unwrap_or(0.0);
        let left = lines.iter().map(|l| l.x).fold(f64::INFINITY, f64::min);
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                let before = &lines[i - 1];
                let gap = (before.y - line.y).abs();
                let wider = leading > 0.0 && gap > leading * 1.3;
                let resized = (line.size - before.size).abs() > 0.15 * before.size;
                // A first line indented against the left edge (TeX, groff) opens a paragraph.
                let indented =
                    line.x > left + line.size * 0.8 && (before.x - left).abs() < line.size * 0.8;
                out.push('\n');
                if wider || resized || indented {
                    out.push('\n');
                }
            }
            out.push_str(line.text.trim());
        }
        out
    }
}

fn read_error(detail: &str) -> ExtractError {
    let detail = detail.trim_start_matches("PDF error: ");
    if detail.contains("decrypt") || detail.contains("password") {
        return ExtractError(
            "this PDF is encrypted: dossier cannot read its text; save an unencrypted copy (print to PDF) and add that".into(),
        );
    }
    ExtractError(format!(
        "this PDF is damaged or incomplete ({detail}); collect the file again"
    ))
}

/// The pages' text as the derived `.txt`: one paragraph per line, a form feed where each page
/// after the first begins.
pub fn layout_pages(pages: &[String]) -> String {
    let per_page: Vec<Vec<String>> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| page_blocks(page, i + 1))
        .collect();
    let compounds = compounds(&per_page);
    let mut out = String::new();
    // Whether the last paragraph's line is still open (it may run on over a page break).
    let mut open = false;
    for (i, blocks) in per_page.iter().enumerate() {
        let blocks: Vec<String> = blocks.iter().map(|b| dehyphenate(b, &compounds)).collect();
        let mut rest = blocks.as_slice();
        if i > 0 {
            match blocks.first() {
                Some(first) if open && continues(first) => {
                    rest = &blocks[1..];
                    if let Some(stem) = hyphen_stem(&out) {
                        // A word hyphenated across the break: rejoined, the page turning after it.
                        let (word, after) = first.split_once(' ').unwrap_or((first.as_str(), ""));
                        let hyphen = out.chars().last().map_or(1, char::len_utf8);
                        out.truncate(out.len() - hyphen);
                        if compounds.contains(&format!("{stem}-{word}")) {
                            out.push('-');
                        }
                        out.push_str(word);
                        if !after.is_empty() {
                            out.push_str(" \u{c}");
                            out.push_str(after);
                        } else {
                            out.push_str(" \u{c}");
                        }
                    } else {
                        out.push_str(" \u{c}");
                        out.push_str(first);
                    }
                }
                _ => {
                    if open {
                        out.push('\n');
                    }
                    out.push('\u{c}');
                    open = false;
                }
            }
        }
        for block in rest {
            if open {
                out.push('\n');
            }
            out.push_str(block);
            open = true;
        }
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// A page's text blocks: lines joined at blank lines, white space collapsed, the page number
/// dropped when it stands alone on the first or last line.
fn page_blocks(page: &str, number: usize) -> Vec<String> {
    let mut lines: Vec<&str> = page.lines().map(str::trim).collect();
    let is_number = |line: &str| {
        let bare = line.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
        let bare = bare
            .strip_prefix("Page ")
            .or_else(|| bare.strip_prefix("page "))
            .unwrap_or(bare);
        let bare = bare.split(" of ").next().unwrap_or(bare);
        bare == number.to_string()
    };
    for end in [true, false] {
        let position = if end {
            lines.iter().rposition(|l| !l.is_empty())
        } else {
            lines.iter().position(|l| !l.is_empty())
        };
        if let Some(p) = position.filter(|&p| is_number(lines[p])) {
            lines[p] = "";
        }
    }
    let mut blocks = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in lines.into_iter().chain([""]) {
        if line.is_empty() {
            if !current.is_empty() {
                blocks.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    blocks
}

/// Line ends that hyphenate a word: `-`, U+2010 HYPHEN, or a soft hyphen shown at the break.
const HYPHENS: [char; 3] = ['-', '\u{2010}', '\u{ad}'];

/// The part before the hyphen when `text` ends with a hyphenated word stem (`recom-`).
fn hyphen_stem(text: &str) -> Option<String> {
    let before = text.strip_suffix(HYPHENS)?;
    let stem: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last = stem.chars().last()?;
    last.is_lowercase().then_some(stem)
}

/// Whether the first block of a page continues the paragraph the page before ended with: it
/// starts with a lowercase letter (a new paragraph starts with a capital, a digit or a mark).
fn continues(block: &str) -> bool {
    block.chars().next().is_some_and(char::is_lowercase)
}

/// A block's lines joined: a word split at a line end by a hyphen is rejoined (unless the
/// document writes it hyphenated elsewhere: `counter-` `intelligence` stays as written then),
/// other lines are joined with a space; soft hyphens and runs of white space go.
fn dehyphenate(block: &str, compounds: &HashSet<String>) -> String {
    let mut out = String::with_capacity(block.len());
    for line in block.split('\n') {
        let line = super::collapse_whitespace(line.trim_end_matches('\u{ad}'))
            + if line.ends_with('\u{ad}') {
                "\u{ad}"
            } else {
                ""
            };
        if out.is_empty() {
            out = line;
            continue;
        }
        let next_word = line.split(' ').next().unwrap_or("");
        match hyphen_stem(&out) {
            Some(stem) if next_word.chars().next().is_some_and(char::is_lowercase) => {
                let word_end: String = next_word
                    .chars()
                    .take_while(|c| c.is_alphabetic())
                    .collect();
                let hyphen = out.chars().last().unwrap_or('-');
                out.truncate(out.len() - hyphen.len_utf8());
                if compounds.contains(&format!("{stem}-{word_end}")) {
                    out.push('-');
                }
            }
            _ => out.push(' '),
        }
        out.push_str(&line);
    }
    out.retain(|c| c != '\u{ad}');
    out
}

/// Hyphenated compounds written inside a line somewhere in the document (`night-time`), so a
/// compound broken at its own hyphen keeps it.
fn compounds(pages: &[Vec<String>]) -> HashSet<String> {
    let mut found = HashSet::new();
    for block in pages.iter().flatten() {
        for line in block.split('\n') {
            for word in line.split_whitespace() {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                let parts: Vec<&str> = word.split('-').collect();
                for pair in parts.windows(2) {
                    let left: String = pair[0]
                        .chars()
                        .rev()
                        .take_while(|c| c.is_alphabetic())
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect();
                    let right: String = pair[1].chars().take_while(|c| c.is_alphabetic()).collect();
                    if !left.is_empty() && !right.is_empty() {
                        found.insert(format!("{left}-{right}"));
                    }
                }
            }
        }
    }
    found
}

/// The info dictionary's `Title`, `Author` and `CreationDate`.
fn metadata(document: &Document) -> Found {
    let info = document
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| match o {
            Object::Reference(id) => document.get_object(*id).ok(),
            other => Some(other),
        })
        .and_then(|o| o.as_dict().ok());
    let Some(info) = info else {
        return Found::default();
    };
    let text = |key: &[u8]| -> Option<String> {
        let Object::String(bytes, _) = info.get(key).ok()? else {
            return None;
        };
        let text = text_string(bytes);
        let text = super::collapse_whitespace(&text);
        (!text.is_empty()).then_some(text)
    };
    Found {
        title: text(b"Title"),
        author: text(b"Author"),
        published: text(b"CreationDate").and_then(|d| pdf_day(&d)),
        publisher: None,
    }
}

/// A PDF text string: UTF-16BE after a byte-order mark, else PDFDocEncoding (Latin-1 for the
/// characters an info dictionary holds).
fn text_string(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> = utf16
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// A PDF date (`D:20240314120000Z`) as `YYYY-MM-DD`.
fn pdf_day(date: &str) -> Option<String> {
    let digits = date.strip_prefix("D:").unwrap_or(date);
    let d = digits.get(..8)?;
    d.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..8]))
}
