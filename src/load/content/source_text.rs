//! A source's verbatim text, split into numbered paragraphs by the rules of PRODUCT.md §5:
//! a BOM and the `\r` of CRLF are not text, blank lines never count, bullet and `> ` lines
//! are paragraphs like any other.

use super::{PageSpan, Paragraph, ParagraphKind, ParagraphMode};

/// Bullet characters that make a line a list item when followed by white space.
const BULLETS: [char; 3] = ['•', '-', '*'];

/// Decode a source file: `Err` holds the byte offset of the first byte that is not UTF-8.
/// A leading byte-order mark is dropped.
pub fn decode(bytes: &[u8]) -> Result<&str, usize> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// Split decoded text into paragraphs, numbered by position (`result[0]` is ¶1).
pub fn split_paragraphs(text: &str, mode: ParagraphMode) -> Vec<Paragraph> {
    split_paragraphs_with(text, mode, true)
}

/// Split as [`split_paragraphs`] does; with `markers` false, bullet and `> ` lines are plain
/// text (`markers = false` in a sidecar, for texts whose `*` lines are decoration).
pub fn split_paragraphs_with(text: &str, mode: ParagraphMode, markers: bool) -> Vec<Paragraph> {
    let classify = |line| classify(line, markers);
    let lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    match mode {
        ParagraphMode::Lines => lines
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(i, line)| {
                let (kind, text) = classify(line);
                Paragraph {
                    text: text.to_string(),
                    kind,
                    line: line_number(i),
                }
            })
            .collect(),
        ParagraphMode::Blocks => split_blocks(lines, markers),
    }
}

/// Blocks mode: blank lines separate paragraphs and a block's lines are joined with a space.
/// A block of `> ` lines is one quotation. A bullet line starts a list item wherever it stands
/// in a block; the lines after it continue that item, and lines before the first bullet are a
/// text paragraph of their own (an introduction such as "Questions raised:").
fn split_blocks<'a>(lines: impl Iterator<Item = &'a str>, markers: bool) -> Vec<Paragraph> {
    let classify = |line: &'a str| classify(line, markers);
    let mut paragraphs = Vec::new();
    let mut block: Vec<(usize, &str)> = Vec::new();
    let mut flush = |block: &mut Vec<(usize, &'a str)>| {
        if block.is_empty() {
            return;
        }
        let all_quoted = block
            .iter()
            .all(|(_, l)| classify(l).0 == ParagraphKind::Quote);
        if all_quoted {
            let text = join(block.iter().map(|(_, l)| classify(l).1));
            let line = line_number(block[0].0);
            paragraphs.push(Paragraph {
                text,
                kind: ParagraphKind::Quote,
                line,
            });
            block.clear();
            return;
        }
        // (kind, first line, parts) of the paragraph being gathered.
        let mut current: Option<(ParagraphKind, u32, Vec<&str>)> = None;
        for &(i, line) in block.iter() {
            match classify(line) {
                (ParagraphKind::ListItem, text) => {
                    if let Some(done) = current.take() {
                        paragraphs.push(gathered(done));
                    }
                    current = Some((ParagraphKind::ListItem, line_number(i), vec![text]));
                }
                _ => match current.as_mut() {
                    Some((_, _, parts)) => parts.push(line.trim()),
                    None => {
                        current = Some((ParagraphKind::Text, line_number(i), vec![line.trim()]))
                    }
                },
            }
        }
        if let Some(done) = current {
            paragraphs.push(gathered(done));
        }
        block.clear();
    };
    for (i, line) in lines.enumerate() {
        if line.trim().is_empty() {
            flush(&mut block);
        } else {
            block.push((i, line));
        }
    }
    flush(&mut block);
    paragraphs
}

fn gathered((kind, line, parts): (ParagraphKind, u32, Vec<&str>)) -> Paragraph {
    Paragraph {
        text: join(parts.into_iter()),
        kind,
        line,
    }
}

fn join<'a>(parts: impl Iterator<Item = &'a str>) -> String {
    parts
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn line_number(index: usize) -> u32 {
    u32::try_from(index + 1).unwrap_or(u32::MAX)
}

/// What a single line is, and its text without the marker.
fn classify(line: &str, markers: bool) -> (ParagraphKind, &str) {
    let trimmed = line.trim();
    if !markers {
        return (ParagraphKind::Text, trimmed);
    }
    if let Some(rest) = trimmed.strip_prefix('>')
        && rest.starts_with([' ', '\t'])
    {
        return (ParagraphKind::Quote, rest.trim());
    }
    let mut chars = trimmed.chars();
    if let Some(first) = chars.next()
        && BULLETS.contains(&first)
        && chars.as_str().starts_with([' ', '\t'])
    {
        return (ParagraphKind::ListItem, chars.as_str().trim());
    }
    (ParagraphKind::Text, trimmed)
}

/// What a byte says about white space: [`SPACE`], not, or [`MAYBE`] (it leads a character that
/// may be white space outside ASCII: U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F, U+3000).
const BYTE_CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b = b'\t';
    while b <= b'\r' {
        class[b as usize] = SPACE;
        b += 1;
    }
    class[b' ' as usize] = SPACE;
    class[0xC2] = MAYBE;
    class[0xE1] = MAYBE;
    class[0xE2] = MAYBE;
    class[0xE3] = MAYBE;
    class
};
const SPACE: u8 = 1;
const MAYBE: u8 = 2;

/// Words in a text: runs of non-white-space (white space as Unicode defines it), counted as
/// `split_whitespace` would but a byte at a time, without a branch on each: ten thousand
/// sources are tens of megabytes.
pub fn word_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut words, mut after_space, mut i) = (0, SPACE, 0);
    while i < bytes.len() {
        let mut space = BYTE_CLASS[usize::from(bytes[i])];
        if space == MAYBE {
            // A lead byte, so `i` is a character boundary.
            let c = text[i..].chars().next().unwrap_or('x');
            i += c.len_utf8() - 1;
            space = u8::from(c.is_whitespace());
        }
        words += usize::from(after_space & !space & 1);
        after_space = space;
        i += 1;
    }
    words
}

// evidence: pages of a PDF source's paragraphs (issue 14) ----------------------------------

/// The form feed that begins each page after the first in a PDF's derived text.
pub const PAGE_BREAK: char = '\u{c}';

/// The pages each paragraph stands on, counting the form feeds before it and inside it. The
/// paragraphs are those [`split_paragraphs_with`] gave for `text` in lines mode (each a line).
pub fn page_spans(text: &str, paragraphs: &[Paragraph]) -> Vec<PageSpan> {
    let mut spans = Vec::with_capacity(paragraphs.len());
    let mut breaks_before = 0u32;
    let mut wanted = paragraphs.iter().peekable();
    for (i, line) in text.split('\n').enumerate() {
        let inside = line.matches(PAGE_BREAK).count() as u32;
        if let Some(p) = wanted.peek()
            && p.line == line_number(i)
        {
            let leading = line
                .chars()
                .take_while(|c| c.is_whitespace())
                .filter(|&c| c == PAGE_BREAK)
                .count() as u32;
            let first = 1 + breaks_before + leading;
            spans.push(PageSpan {
                first,
                last: first + (inside - leading),
            });
            wanted.next();
        }
        breaks_before += inside;
    }
    spans
}

/// How many pages a derived text has: its form feeds plus one.
pub fn page_count(text: &str) -> u32 {
    text.matches(PAGE_BREAK).count() as u32 + 1
}

// end evidence -------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(ps: &[Paragraph]) -> Vec<(&str, ParagraphKind, u32)> {
        ps.iter()
            .map(|p| (p.text.as_str(), p.kind, p.line))
            .collect()
    }

    #[test]
    fn lines_mode_numbers_every_non_blank_line() {
        let ps = split_paragraphs(
            "One\r\n\r\n  \nTwo\n• bullet\n> quoted\n",
            ParagraphMode::Lines,
        );
        assert_eq!(
            texts(&ps),
            vec![
                ("One", ParagraphKind::Text, 1),
                ("Two", ParagraphKind::Text, 4),
                ("bullet", ParagraphKind::ListItem, 5),
                ("quoted", ParagraphKind::Quote, 6),
            ]
        );
    }

    #[test]
    fn indented_bullets_and_all_three_markers_are_list_items() {
        let ps = split_paragraphs("  • a\n- b\n* c\n--\n-x\n", ParagraphMode::Lines);
        let kinds: Vec<_> = ps.iter().map(|p| p.kind).collect();
        use ParagraphKind::*;
        assert_eq!(kinds, vec![ListItem, ListItem, ListItem, Text, Text]);
        assert_eq!(ps[0].text, "a");
    }

    #[test]
    fn blocks_mode_joins_hard_wrapped_lines() {
        let text =
            "First line\nwraps here.\n\n> quoted\n> more\n\n- item one\n  continues\n- item two\n";
        let ps = split_paragraphs(text, ParagraphMode::Blocks);
        assert_eq!(
            texts(&ps),
            vec![
                ("First line wraps here.", ParagraphKind::Text, 1),
                ("quoted more", ParagraphKind::Quote, 4),
                ("item one continues", ParagraphKind::ListItem, 7),
                ("item two", ParagraphKind::ListItem, 9),
            ]
        );
    }

    #[test]
    fn bullets_inside_a_block_start_list_items_after_an_introduction() {
        let text = "Questions raised\nby the paper:\n- why the survey\n  was old;\n- who paid.\n";
        let ps = split_paragraphs(text, ParagraphMode::Blocks);
        assert_eq!(
            texts(&ps),
            vec![
                ("Questions raised by the paper:", ParagraphKind::Text, 1),
                ("why the survey was old;", ParagraphKind::ListItem, 3),
                ("who paid.", ParagraphKind::ListItem, 5),
            ]
        );
    }

    #[test]
    fn a_block_with_some_quoted_lines_is_plain_text() {
        let ps = split_paragraphs("> a\nb\n", ParagraphMode::Blocks);
        assert_eq!(texts(&ps), vec![("> a b", ParagraphKind::Text, 1)]);
    }

    #[test]
    fn decode_drops_bom_and_reports_first_bad_byte() {
        assert_eq!(decode(b"\xef\xbb\xbfHi"), Ok("Hi"));
        assert_eq!(decode(b"ok\n\xff"), Err(3));
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "  one ",
            "two words",
            "tab\tand\nnew line",
            "nbsp\u{a0}here",
            "em\u{2003}space",
            "“quoted” — dash",
            "a\u{b}b",
            "form\x0cfeed\x1cunit",
            "next\u{85}line ogham\u{1680}mark",
            "narrow\u{202f}nbsp math\u{205f}space line\u{2028}sep",
            "ideographic\u{3000}space 日本 語",
            "café à l’été\u{2003}",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn words_in_the_shipped_sources_are_counted_as_split_whitespace_counts_them() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content/sources");
        for entry in std::fs::read_dir(folder).expect("the shipped sources") {
            let path = entry.expect("a directory entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                let text = std::fs::read_to_string(&path).expect("UTF-8 text");
                assert_eq!(
                    word_count(&text),
                    text.split_whitespace().count(),
                    "{path:?}"
                );
            }
        }
    }

    #[test]
    fn whitespace_only_text_has_no_paragraphs() {
        assert!(split_paragraphs(" \n\t\n", ParagraphMode::Lines).is_empty());
        assert!(split_paragraphs("", ParagraphMode::Blocks).is_empty());
    }
}
