//! Diagnostics: every problem a run finds, collected with its file, line and column and
//! rendered once at the end, rustc-style, so one run shows the author everything to fix.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors stop the build, warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The dossier cannot be published as it is.
    Error,
    /// Worth a look, but the build goes on.
    Warning,
}

/// Where a diagnostic points: a file relative to the dossier root, a 1-based line and a
/// 1-based column counted in characters, and the text of that line for the caret display.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Path relative to the dossier root, e.g. `content/summaries/recruiting.md`.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// The offending line, without its line ending; empty when the file has no text to show.
    /// A line longer than [`LONG_LINE`] bytes is cut to [`EXCERPT_AROUND`] characters either
    /// side of the column, `…` marking each cut, so a megabyte line is not printed per error.
    pub line_text: Box<str>,
    /// How many characters of the line were cut before `line_text` (0: none; then
    /// `line_text` starts with `…`). The caret is drawn at `col` less these.
    pub cut: usize,
}

/// Lines longer than this many bytes are shown cut around the column.
pub const LONG_LINE: usize = 200;

/// How many characters either side of the column a cut line keeps.
pub const EXCERPT_AROUND: usize = 60;

impl Location {
    /// The location of byte `offset` in `text`, the full contents of the file at `path`.
    /// An offset past the end or inside a character is clamped to the nearest valid position.
    /// This counts lines from the start of the file: for many locations in one file, use
    /// [`Lines`], which counts them once.
    pub fn at_offset(path: &Path, text: &str, offset: usize) -> Location {
        let offset = clamp_to_char(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line = text.as_bytes()[..line_start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        let col = text[line_start..offset].chars().count() + 1;
        let line_end = text.as_bytes()[offset..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(text.len(), |i| offset + i);
        Location::on_line(path, text, line, line_start..line_end, offset, col)
    }

    /// The location of `offset` on 1-based `line`, which spans `bytes` of `text` (without
    /// its `\n`), at 1-based character column `col`: the line's text is taken, or cut around
    /// `offset`.
    fn on_line(
        path: &Path,
        text: &str,
        line: usize,
        bytes: Range<usize>,
        offset: usize,
        col: usize,
    ) -> Location {
        let (line_start, line_end) = (bytes.start, bytes.end);
        let whole = text[line_start..line_end].trim_end_matches('\r');
        let (line_text, cut) = if whole.len() <= LONG_LINE {
            (whole.into(), 0)
        } else {
            let at = offset.min(line_start + whole.len());
            // Walk out from the column, never along the whole line.
            let from = text[line_start..at]
                .char_indices()
                .rev()
                .nth(EXCERPT_AROUND - 1)
                .map_or(line_start, |(i, _)| line_start + i);
            let to = text[at..line_start + whole.len()]
                .char_indices()
                .nth(EXCERPT_AROUND)
                .map_or(line_start + whole.len(), |(i, _)| at + i);
            let mut excerpt = String::with_capacity(to - from + 8);
            let cut = if from > line_start {
                excerpt.push('…');
                (col - 1) - text[from..at].chars().count()
            } else {
                0
            };
            excerpt.push_str(&text[from..to]);
            if to < line_start + whole.len() {
                excerpt.push('…');
            }
            (excerpt.into_boxed_str(), cut)
        };
        Location {
            path: path.to_path_buf(),
            line,
            col,
            line_text,
            cut,
        }
    }

    /// The start of a file: for problems with the file as a whole (a stray file, a bad id).
    /// `text` is the file's contents when it is readable text, so its first line can be shown.
    pub fn file_start(path: &Path, text: Option<&str>) -> Location {
        match text {
            Some(text) => Location::at_offset(path, text, 0),
            None => Location {
                path: path.to_path_buf(),
                line: 1,
                col: 1,
                line_text: "".into(),
                cut: 0,
            },
        }
    }

    /// The start of 1-based `line` of `text`.
    pub fn at_line(path: &Path, text: &str, line: usize) -> Location {
        let offset = if line <= 1 {
            0
        } else {
            text.match_indices('\n')
                .nth(line - 2)
                .map_or(text.len(), |(i, _)| i + 1)
        };
        Location::at_offset(path, text, offset)
    }
}

/// `offset` moved back to the nearest character boundary of `text`, and into it.
fn clamp_to_char(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The lines of one file, found once, for locating many diagnostics in it: each is then a
/// binary search, not a count from the start of the file (with 40,000 broken links in one
/// summary, counting took 24 s). Columns on one long line are counted on from the last one
/// asked for, so locations asked in file order cost one pass over the line in all.
pub struct Lines<'t> {
    text: &'t str,
    /// The byte offset where each line starts; the first is 0.
    starts: Vec<usize>,
    /// The last location asked for: its byte offset and its column.
    last: std::cell::Cell<(usize, usize)>,
}

impl<'t> Lines<'t> {
    /// Find the lines of `text`.
    pub fn new(text: &'t str) -> Lines<'t> {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Lines {
            text,
            starts,
            last: std::cell::Cell::new((0, 1)),
        }
    }

    /// The location of byte `offset`, as [`Location::at_offset`] gives it.
    pub fn locate(&self, path: &Path, offset: usize) -> Location {
        let text = self.text;
        let offset = clamp_to_char(text, offset);
        // The last line starting at or before the offset.
        let index = self.starts.partition_point(|&s| s <= offset) - 1;
        let line_start = self.starts[index];
        let (last_offset, last_col) = self.last.get();
        let col = if (line_start..=offset).contains(&last_offset) {
            last_col + text[last_offset..offset].chars().count()
        } else {
            text[line_start..offset].chars().count() + 1
        };
        self.last.set((offset, col));
        let line_end = self
            .starts
            .get(index + 1)
            .map_or(text.len(), |next| next - 1);
        Location::on_line(path, text, index + 1, line_start..line_end, offset, col)
    }
}

/// One problem found in the dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in the author's terms.
    pub message: String,
    /// Where, when the problem has a place in a file.
    pub location: Option<Location>,
    /// How to fix it, when we can tell.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with a message and no location yet.
    pub fn error(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    /// A warning with a message and no location yet.
    pub fn warning(message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            message: message.into(),
            location: None,
            hint: None,
        }
    }

    /// Attach a location.
    pub fn at(mut self, location: Location) -> Diagnostic {
        self.location = Some(location);
        self
    }

    /// Attach a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Attach a hint when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Diagnostic {
        self.hint = hint;
        self
    }

    /// An error from the TOML parser, located in the file. `base` is the byte offset of the
    /// TOML inside `text` (non-zero for front matter); `what` names the document for messages.
    /// serde's wording ("field") becomes the author's ("key"), with a suggestion for typos.
    pub fn from_toml(
        path: &Path,
        text: &str,
        base: usize,
        error: &toml::de::Error,
        what: &str,
    ) -> Diagnostic {
        let raw = error.message().trim();
        let span = error.span().unwrap_or(0..0);
        let mut hint = None;
        let message = if let Some(rest) = raw.strip_prefix("unknown field `") {
            let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
            let allowed: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            hint = nearest(key, allowed.iter().copied())
                .map(|k| format!("did you mean `{k}`?"))
                .or_else(|| {
                    (!allowed.is_empty()).then(|| format!("allowed keys: {}", allowed.join(", ")))
                });
            format!("unknown key `{key}` in {what}")
        } else if let Some(rest) = raw.strip_prefix("missing field `") {
            let key = rest.trim_end_matches('`');
            format!("missing key `{key}` in {what}")
        } else if raw.contains("a date takes no time of day") {
            hint = Some("dates are calendar days, as the source states them: the day it was published or happened, in its own time zone".into());
            format!("{raw} in {what}")
        } else if raw.contains("year 0 is not a date") {
            hint = Some("years start at 0001; when the date is unknown, leave the key out".into());
            format!("{raw} in {what}")
        } else if raw.contains("expected a TOML datetime") {
            hint = Some("write dates unquoted, as TOML dates: `date = 2024-04-18`".into());
            format!("{raw} in {what}")
        } else {
            format!("{raw} in {what}")
        };
        // A missing key has no place of its own: point at line 1 of the file.
        let offset = if raw.starts_with("missing field") {
            0
        } else {
            base + span.start
        };
        Diagnostic::error(message)
            .at(Location::at_offset(path, text, offset))
            .maybe_hint(hint)
    }

    /// The error for a symbolic link at `link` (relative to the root) whose `target` lies
    /// outside the dossier: nothing is read through it.
    pub fn link_outside(link: &Path, target: &Path) -> Diagnostic {
        Diagnostic::error(format!(
            "`{}` links to `{}`, outside the dossier",
            link.display(),
            target.display()
        ))
        .at(Location::file_start(link, None))
        .hint("nothing outside the dossier is read or published: copy the file into the dossier instead of linking to it")
    }

    /// Whether this diagnostic stops the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Render rustc-style. Paths are shown joined to `root` as the user gave it, so they can be
    /// opened from the directory the command was run in.
    pub fn render(&self, root: &Path) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}: {}", escape_controls(&self.message));
        if let Some(loc) = &self.location {
            let path = escape_controls(&display_path(root, &loc.path)).into_owned();
            let gutter = loc.line.to_string().len();
            let pad = " ".repeat(gutter);
            let _ = writeln!(out, "{pad}--> {path}:{}:{}", loc.line, loc.col);
            if !loc.line_text.is_empty() {
                // Tabs stay tabs under the caret so it lines up in any terminal.
                // An escaped character is wider than one column: the caret moves with it.
                // A cut line starts with `…`, which stands where the cut characters were.
                let before = match loc.cut {
                    0 => loc.col.saturating_sub(1),
                    cut => loc.col.saturating_sub(1 + cut) + 1,
                };
                let lead: String = loc
                    .line_text
                    .chars()
                    .take(before)
                    .map(|c| match c {
                        '\t' => Cow::Borrowed("\t"),
                        c if is_unsafe_for_terminal(c) => {
                            Cow::Owned(" ".repeat(escaped(c).chars().count()))
                        }
                        _ => Cow::Borrowed(" "),
                    })
                    .collect();
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{} | {}", loc.line, escape_controls(&loc.line_text));
                let _ = writeln!(out, "{pad} | {lead}^");
            }
            if let Some(hint) = &self.hint {
                let _ = writeln!(out, "{pad} = help: {}", escape_controls(hint));
            }
        } else if let Some(hint) = &self.hint {
            let _ = writeln!(out, "  = help: {}", escape_controls(hint));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Path::new(".")))
    }
}

/// Whether printing `c` raw could act on the terminal rather than show as text: C0 and C1
/// control characters (escape sequences that clear the screen, set the window title or write
/// the clipboard; a newline that fakes another diagnostic) and the bidirectional overrides
/// that make text read differently from what it is. Tabs are harmless and kept.
fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn escaped(c: char) -> String {
    c.escape_unicode().to_string()
}

/// `text` made safe to print on a terminal: every character that could act on it (see
/// above) is shown as its escape, `\u{1b}`. Everything printed from the dossier's files, ids
/// and names to the terminal goes through here.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !may_hold(text, terminal_lead) || !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether `b` can begin a character unsafe on a terminal: C0 controls but tab, DEL, `0xC2`
/// (the C1 controls are `C2 80`–`C2 9F`) and `0xE2` (the bidirectional controls are
/// `E2 80 AA`–`E2 81 A9`). Written with `&` and `|`, not `&&` and `||`: no branch, so a
/// block of bytes is tested at once (see `may_hold`).
fn terminal_lead(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t')) | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
}

/// Whether `b` can begin a character HTML and XML cannot carry: C0 controls but tab, newline
/// and carriage return, DEL, `0xC2` (C1 controls) and `0xEF` (U+FFFE and U+FFFF are
/// `EF BF BE` and `EF BF BF`).
fn markup_lead(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
        | (b == 0x7f)
        | (b == 0xc2)
        | (b == 0xef)
}

/// Whether `text` has a byte `lead` marks: when it has none, it holds none of the characters
/// those bytes begin, and the text need not be decoded. Nearly all text has none; this looks
/// at it 64 bytes at a time without branching, which the compiler turns into vector
/// comparisons — decoding every character of every page was a tenth of `check`'s time, and a
/// table lookup per byte (which cannot be vectorised) still a few percent of a build.
fn may_hold(text: &str, lead: impl Fn(u8) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut blocks = bytes.chunks_exact(64);
    for block in blocks.by_ref() {
        if block.iter().fold(false, |any, &b| any | lead(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| lead(b))
}

/// Whether `c` may not appear in HTML or XML text: the C0 controls but tab, newline and
/// carriage return (XML 1.0 forbids them outright, so one in a title made atom.xml
/// unreadable), DEL, the C1 controls, and the noncharacters U+FFFE and U+FFFF.
fn is_forbidden_in_markup(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// `text` without the characters HTML and XML cannot carry (see above): what is published
/// leaves them out, as they show as nothing, or break the document.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    if may_hold(text, markup_lead) && text.chars().any(is_forbidden_in_markup) {
        Cow::Owned(
            text.chars()
                .filter(|&c| !is_forbidden_in_markup(c))
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// `root/path` with a leading `./` dropped, as the user would type it.
pub fn display_path(root: &Path, path: &Path) -> String {
    let joined = if root == Path::new(".") || root.as_os_str().is_empty() {
        path.to_path_buf()
    } else {
        root.join(path)
    };
    let shown = joined.display().to_string();
    shown
        .strip_prefix("./")
        .map(str::to_string)
        .unwrap_or(shown)
}

/// Put diagnostics in reading order: by file, line and column, errors before warnings at the
/// same place. Runs are parallel, so this is what makes the report deterministic.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        // Borrowed, not cloned: tens of thousands of diagnostics make a million comparisons.
        fn key(d: &Diagnostic) -> (&Path, usize, usize) {
            d.location
                .as_ref()
                .map_or((Path::new(""), 0, 0), |l| (l.path.as_path(), l.line, l.col))
        }
        key(a)
            .cmp(&key(b))
            .then(a.severity.cmp(&b.severity))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// The closest of `candidates` to `wanted`, if one is close enough to be a likely typo.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(wanted, c), c))
        .filter(|(score, _)| *score >= 0.5)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_lines_and_character_columns() {
        let text = "first\nsecond “quoted” [link]\nthird";
        let offset = text.find("[link]").unwrap_or_default();
        let loc = Location::at_offset(Path::new("a.md"), text, offset);
        assert_eq!((loc.line, loc.col), (2, 17));
        assert_eq!(&*loc.line_text, "second “quoted” [link]");
    }

    #[test]
    fn crlf_line_endings_are_not_shown() {
        let loc = Location::at_offset(Path::new("a.md"), "one\r\ntwo\r\n", 5);
        assert_eq!((loc.line, loc.col, &*loc.line_text), (2, 1, "two"));
    }

    #[test]
    fn at_line_finds_the_start_of_that_line() {
        let loc = Location::at_line(Path::new("a"), "a\nb\nc", 3);
        assert_eq!((loc.line, loc.col, &*loc.line_text), (3, 1, "c"));
    }

    #[test]
    fn render_shows_path_line_and_caret() {
        let text = "see [x](src:nope) here";
        let d = Diagnostic::error("no source with id `nope`")
            .at(Location::at_offset(Path::new("content/a.md"), text, 4))
            .hint("did you mean `note`?");
        let shown = d.render(Path::new("."));
        assert!(
            shown.starts_with("error: no source with id `nope`\n"),
            "{shown}"
        );
        assert!(shown.contains("--> content/a.md:1:5\n"), "{shown}");
        assert!(
            shown.contains("1 | see [x](src:nope) here\n  |     ^\n"),
            "{shown}"
        );
        assert!(shown.contains("= help: did you mean `note`?"), "{shown}");
    }

    #[test]
    fn control_characters_are_shown_escaped_and_the_caret_follows() {
        let text = "title = \"\u{1b}]0;pwned\u{7}\" [x]";
        let offset = text.find("[x]").unwrap_or_default();
        let d = Diagnostic::error("bad \u{1b}[2J title")
            .at(Location::at_offset(
                Path::new("content/a\nerror: fake.md"),
                text,
                offset,
            ))
            .hint("see \u{9b}31m");
        let shown = d.render(Path::new("."));
        assert!(
            !shown.chars().any(|c| c.is_control() && c != '\n'),
            "{shown:?}"
        );
        assert_eq!(
            shown.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{shown}"
        );
        assert!(shown.contains("error: bad \\u{1b}[2J title\n"), "{shown}");
        assert!(
            shown.contains("--> content/a\\u{a}error: fake.md:1:"),
            "{shown}"
        );
        assert!(shown.contains("= help: see \\u{9b}31m"), "{shown}");
        let line = shown
            .lines()
            .find(|l| l.starts_with("1 | "))
            .unwrap_or_default();
        let caret = shown.lines().find(|l| l.ends_with('^')).unwrap_or_default();
        assert_eq!(line.find("[x]"), caret.find('^'), "{shown}");
        assert_eq!(
            escape_controls("tab\tand \u{202e}rtl"),
            "tab\tand \\u{202e}rtl"
        );
    }

    #[test]
    fn markup_loses_only_the_characters_it_cannot_carry() {
        assert_eq!(
            strip_controls("a\u{1b}[2Jb\u{7}\u{9b}c\u{ffff}\td\r\ne"),
            "a[2Jbc\td\r\ne"
        );
        assert!(matches!(strip_controls("plain é"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_byte_shortcut_misses_no_character_it_must_strip_or_escape() {
        let samples = (0u32..0x3000)
            .chain(0xfff0..0x10000)
            .chain([0x1f600, 0x10fffd])
            .filter_map(char::from_u32);
        for c in samples {
            let text = format!("ab{c}cd");
            let stripped: String = text
                .chars()
                .filter(|&c| !is_forbidden_in_markup(c))
                .collect();
            assert_eq!(strip_controls(&text), stripped, "{:?}", c);
            let escapes = escape_controls(&text) != text;
            assert_eq!(escapes, is_unsafe_for_terminal(c), "{:?}", c);
        }
        // Past the first 64-byte block too.
        let long = format!("{}\u{85}", "x".repeat(130));
        assert_eq!(strip_controls(&long), "x".repeat(130));
        assert!(!may_hold("plain text\nwith a newline, tab\t", markup_lead));
        // And every code point, at the byte test alone: each one to strip or escape begins
        // with a byte the shortcut looks for.
        let mut buf = [0u8; 4];
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let first = c.encode_utf8(&mut buf).as_bytes()[0];
            if is_forbidden_in_markup(c) {
                assert!(markup_lead(first), "{c:?} for markup");
            }
            if is_unsafe_for_terminal(c) {
                assert!(terminal_lead(first), "{c:?} for the terminal");
            }
        }
    }

    #[test]
    fn many_locations_in_one_file_match_one_at_a_time_and_long_lines_are_cut() {
        let long = format!("{}[bad] and é{}", "é".repeat(300), "z".repeat(300));
        let text = format!("one\n\ntwo [x]\r\n{long}\nlast");
        let lines = Lines::new(&text);
        for offset in (0..=text.len()).chain([text.len() + 5]) {
            let one = Location::at_offset(Path::new("a"), &text, offset);
            assert_eq!(lines.locate(Path::new("a"), offset), one, "at {offset}");
        }
        let at = text.find("[bad]").unwrap_or_default();
        let loc = lines.locate(Path::new("a"), at);
        assert_eq!((loc.line, loc.col), (4, 301));
        assert!(loc.line_text.starts_with('…') && loc.line_text.ends_with('…'));
        assert_eq!(loc.line_text.chars().count(), 2 * EXCERPT_AROUND + 2);
        assert_eq!(loc.cut, 300 - EXCERPT_AROUND);
        let shown = Diagnostic::error("x").at(loc).render(Path::new("."));
        let excerpt = shown
            .lines()
            .find(|l| l.starts_with("4 | "))
            .unwrap_or_default();
        let caret = shown.lines().find(|l| l.ends_with('^')).unwrap_or_default();
        assert_eq!(
            excerpt.find("[bad]").map(|i| excerpt[..i].chars().count()),
            Some(caret.chars().count() - 1),
            "{shown}"
        );
    }

    #[test]
    fn nearest_suggests_only_plausible_typos() {
        let ids = ["q3-2023-call", "odsc-article", "hn-thread"];
        assert_eq!(nearest("q3-2023-cal", ids), Some("q3-2023-call"));
        assert_eq!(nearest("zzzzzz", ids), None);
    }
}

/// How many warnings of one kind are printed in full before the rest are counted.
pub const WARNINGS_IN_FULL: usize = 5;

/// Diagnostics as they are shown: warnings first and errors last, so the last thing on the
/// screen is what must be fixed; past [`WARNINGS_IN_FULL`] warnings of one kind, the rest are
/// counted instead of shown. Errors are always shown in full.
#[derive(Debug, Default)]
pub struct Shown<'a> {
    /// Warnings to print in full, in reading order.
    pub warnings: Vec<&'a Diagnostic>,
    /// Warnings left out, by kind: the kind's message (names replaced by `…`) and how many.
    pub left_out: Vec<(String, usize)>,
    /// Every error, in reading order.
    pub errors: Vec<&'a Diagnostic>,
}

/// Choose what to print of `diagnostics` (already in reading order); `all` prints every one.
pub fn abridge(diagnostics: &[Diagnostic], all: bool) -> Shown<'_> {
    let mut shown = Shown::default();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for d in diagnostics {
        if d.is_error() {
            shown.errors.push(d);
            continue;
        }
        let kind = kind_of(&d.message);
        let count = seen.entry(kind.clone()).or_insert(0);
        *count += 1;
        if all || *count <= WARNINGS_IN_FULL {
            shown.warnings.push(d);
        } else if *count == WARNINGS_IN_FULL + 1 {
            shown.left_out.push((kind, 1));
        } else if let Some(entry) = shown.left_out.iter_mut().find(|(k, _)| *k == kind) {
            entry.1 += 1;
        }
    }
    shown
}

/// A message with its names taken out — what is between backticks becomes `…` — so that
/// "source `a` is never cited" and "source `b` is never cited" are one kind.
fn kind_of(message: &str) -> String {
    let mut kind = String::with_capacity(message.len());
    for (i, part) in message.split('`').enumerate() {
        kind.push_str(if i % 2 == 1 { "…" } else { part });
        kind.push('`');
    }
    kind.pop();
    kind
}

#[cfg(test)]
mod abridge_tests {
    use super::*;

    #[test]
    fn past_five_warnings_of_a_kind_the_rest_are_counted_and_errors_all_shown() {
        let mut all = Vec::new();
        for i in 0..8 {
            all.push(Diagnostic::warning(format!("source `s{i}` is never cited")));
        }
        all.push(Diagnostic::warning(
            "no base_url: the feed will be relative",
        ));
        for i in 0..7 {
            all.push(Diagnostic::error(format!("no source with id `x{i}`")));
        }
        let shown = abridge(&all, false);
        assert_eq!(shown.warnings.len(), 6);
        assert_eq!(
            shown.left_out,
            vec![("source `…` is never cited".to_string(), 3)]
        );
        assert_eq!(shown.errors.len(), 7);
        let everything = abridge(&all, true);
        assert_eq!(everything.warnings.len(), 9);
        assert!(everything.left_out.is_empty());
    }
}
