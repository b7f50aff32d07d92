//! Finding the references in a Markdown body, before anything is rendered: every link into the
//! dossier (`src:`, `summary:`, `event:`) with its text and sentence, for the citation graph,
//! and the problems of the body's other links, heading ids and code blocks, each at its offset.
//! The Markdown dialect is defined here too, so the renderer reads a body as this scan did.

use std::collections::HashMap;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::diagnostics::Diagnostic;
use crate::load::code_blocks;
use crate::load::content::Body;
use crate::url::{Scheme, classify, scheme_problem};

/// The Markdown dialect: CommonMark with tables, footnotes, strikethrough, task lists,
/// GitHub alerts (`> [!NOTE]`) and heading ids (`{#id}`). Smart punctuation stays off: it
/// would change the quotation marks that quotations are checked against.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A link into the dossier, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// Byte offset of the link's `[` in the file (not the body).
    pub offset: usize,
    /// The destination as written, e.g. `src:odsc#p4`.
    pub dest: String,
    /// The link text as plain text (Markdown escapes and emphasis removed).
    pub text: String,
    /// The sentence the link stands in, as plain text: shown in "cited by" lists.
    pub context: String,
    /// An image (`![…](src:…)`), which cannot point into the dossier.
    pub is_image: bool,
}

/// Links being read, waiting for the end of their block to learn their sentence.
struct Pending {
    link: LinkRef,
    /// Byte range of the link text within the block's plain text.
    span: (usize, usize),
}

/// What the reference scan finds in a body.
#[derive(Debug, Default)]
pub struct Scan {
    /// Every link into the dossier, in document order.
    pub links: Vec<LinkRef>,
    /// Problems found on the way, each at a byte offset in the file: links with a scheme
    /// that is not allowed, heading ids that collide, code too large to highlight.
    pub problems: Vec<(usize, Diagnostic)>,
}

/// Pass 1: every link into the dossier, in document order.
pub fn scan_links(body: Body<'_>) -> Vec<LinkRef> {
    scan(body).links
}

/// Pass 1 in full: the links into the dossier and the problems of the body's other links,
/// heading ids and code blocks.
pub fn scan(body: Body<'_>) -> Scan {
    let mut scan = Scan::default();
    let mut block = String::new();
    let mut pending: Vec<Pending> = Vec::new();
    // Links currently open (links cannot nest in CommonMark, but images can sit in links).
    let mut open: Vec<Pending> = Vec::new();
    let mut ids = IdCheck::default();
    // The fenced code block being read: its offset and language.
    let mut code: Option<(usize, Option<String>)> = None;

    for (event, range) in Parser::new_ext(body.text, options()).into_offset_iter() {
        let offset = body.offset + range.start;
        match event {
            Event::Start(tag) if is_block(&tag) => {
                match &tag {
                    Tag::Heading { id: Some(id), .. } => {
                        ids.explicit(id, offset, &mut scan.problems)
                    }
                    Tag::FootnoteDefinition(label) => {
                        ids.footnote(label, offset, &mut scan.problems)
                    }
                    Tag::CodeBlock(pulldown_cmark::CodeBlockKind::Fenced(info)) => {
                        code = Some((offset, info.split_whitespace().next().map(str::to_string)));
                    }
                    _ => {}
                }
                finish_block(&mut block, &mut pending, &mut scan.links)
            }
            Event::End(tag) if is_block_end(&tag) => {
                // The code's text is the block's: as long as what `render` highlights.
                if let (TagEnd::CodeBlock, Some((at, lang))) = (&tag, code.take())
                    && let Some(problem) = code_blocks::size_problem(block.len(), lang.as_deref())
                {
                    scan.problems.push((at, problem));
                }
                finish_block(&mut block, &mut pending, &mut scan.links)
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                let scheme = classify(dest_url);
                if scheme != Scheme::Dossier {
                    if let Some(problem) = scheme_problem(dest_url, &scheme, is_image) {
                        scan.problems.push((offset, problem));
                    }
                    continue;
                }
                open.push(Pending {
                    link: LinkRef {
                        offset,
                        dest: dest_url.to_string(),
                        text: String::new(),
                        context: String::new(),
                        is_image,
                    },
                    span: (block.len(), block.len()),
                });
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                // Only our links were pushed; match ends by the byte range they cover.
                if let Some(last) = open.last()
                    && last.link.offset == offset
                {
                    let mut done = open.pop().expect("checked above");
                    done.span.1 = block.len();
                    done.link.text = block[done.span.0..done.span.1].to_string();
                    pending.push(done);
                }
            }
            // Cells of a row are read as one line: "Courier · 2019".
            Event::End(TagEnd::TableCell) => block.push_str(" · "),
            Event::Text(text) | Event::Code(text) => block.push_str(&text),
            Event::SoftBreak | Event::HardBreak => block.push(' '),
            _ => {}
        }
    }
    finish_block(&mut block, &mut pending, &mut scan.links);
    scan.links.sort_by_key(|l| l.offset);
    scan
}

/// Explicit heading ids (`{#id}`) and footnote labels of one body, checked as they come:
/// each names an element's `id`, so two alike, or one like the ids the site writes itself
/// (`p4`, `cite-2`), would make links land in the wrong place.
#[derive(Default)]
struct IdCheck {
    /// Ids taken so far: by a heading (true) or a footnote (false).
    taken: HashMap<String, bool>,
}

impl IdCheck {
    fn explicit(&mut self, id: &str, offset: usize, problems: &mut Vec<(usize, Diagnostic)>) {
        if is_site_id(id) {
            problems.push((
                offset,
                Diagnostic::error(format!(
                    "heading id `{id}` is one the site uses itself (paragraph anchors `p1`, `p2`, …; citations `cite-1`, `cite-ref-1`, …)"
                ))
                .hint(format!("choose another id, e.g. {{#h-{id}}}")),
            ));
        }
        self.take(id, true, offset, problems);
    }

    fn footnote(&mut self, label: &str, offset: usize, problems: &mut Vec<(usize, Diagnostic)>) {
        self.take(label, false, offset, problems);
    }

    fn take(
        &mut self,
        id: &str,
        heading: bool,
        offset: usize,
        problems: &mut Vec<(usize, Diagnostic)>,
    ) {
        match self.taken.get(id) {
            None => {
                self.taken.insert(id.to_string(), heading);
            }
            // A footnote defined twice is pulldown-cmark's business, not an id clash.
            Some(false) if !heading => {}
            Some(&first_heading) => {
                let first = if first_heading {
                    "another heading".to_string()
                } else {
                    format!("footnote [^{id}]")
                };
                let message = if heading {
                    format!("heading id `{id}` is already used on this page, by {first}")
                } else {
                    format!(
                        "footnote [^{id}] has the same id as a heading `{{#{id}}}` on this page"
                    )
                };
                problems.push((
                    offset,
                    Diagnostic::error(message)
                        .hint("ids must be unique on a page: rename one of them"),
                ));
            }
        }
    }
}

/// Whether an id has the form of one the site writes itself: `p12`, `cite-3`, `cite-ref-3`.
pub fn is_site_id(id: &str) -> bool {
    id.starts_with("cite-")
        || (id.len() > 1 && id.starts_with('p') && id[1..].bytes().all(|b| b.is_ascii_digit()))
}

fn is_block(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::TableRow
            | Tag::TableHead
            | Tag::BlockQuote(_)
            | Tag::CodeBlock(_)
            | Tag::FootnoteDefinition(_)
    )
}

/// Whether an end tag closes a block (a paragraph, heading, list item, cell…): text read so far
/// is one block's.
pub fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableRow
            | TagEnd::TableHead
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::FootnoteDefinition
    )
}

fn finish_block(block: &mut String, pending: &mut Vec<Pending>, links: &mut Vec<LinkRef>) {
    if !pending.is_empty() {
        // Sentences and words are found once per block, however many links it holds.
        let sentences = Sentences::new(block);
        for mut p in pending.drain(..) {
            p.link.context = sentences.around(p.span.0, p.span.1);
            links.push(p.link);
        }
    }
    block.clear();
}

/// The sentence of `text` that contains the byte range `start..end`, trimmed, at most about
/// forty words (longer ones are cut around the link with `…`).
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    Sentences::new(text).around(start, end)
}

/// A block's sentence boundaries and words, found once, so that each link's sentence costs
/// time in the length of what is shown, not of the block.
struct Sentences<'t> {
    text: &'t str,
    /// Byte offsets where a sentence ends and the next begins, ascending.
    boundaries: Vec<usize>,
    /// Byte ranges of the white-space separated words, ascending.
    words: Vec<(usize, usize)>,
}

impl<'t> Sentences<'t> {
    fn new(text: &'t str) -> Sentences<'t> {
        let mut boundaries = Vec::new();
        let mut words = Vec::new();
        let mut before: Option<char> = None;
        let mut word_start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if matches!(before, Some('.' | '?' | '!')) && c.is_whitespace() || before == Some('\n')
            {
                boundaries.push(i);
            }
            match (c.is_whitespace(), word_start) {
                (true, Some(from)) => {
                    words.push((from, i));
                    word_start = None;
                }
                (false, None) => word_start = Some(i),
                _ => {}
            }
            before = Some(c);
        }
        if let Some(from) = word_start {
            words.push((from, text.len()));
        }
        Sentences {
            text,
            boundaries,
            words,
        }
    }

    fn around(&self, start: usize, end: usize) -> String {
        let b = &self.boundaries;
        let sentence_start = b[..b.partition_point(|&i| i < start)]
            .last()
            .copied()
            .unwrap_or(0);
        let sentence_end = b[b.partition_point(|&i| i <= end)..]
            .first()
            .copied()
            .unwrap_or(self.text.len());
        let first = self
            .words
            .partition_point(|&(from, _)| from < sentence_start);
        let last = self
            .words
            .partition_point(|&(_, to)| to <= sentence_end)
            .max(first);
        let mut words: Vec<&str> = Vec::new();
        let word = |i: usize| {
            let (from, to) = self.words[i];
            &self.text[from..to]
        };
        // A table row's last cell leaves a ` · ` behind: not part of the sentence.
        let mut last_word = (last > first).then(|| word(last - 1).trim_end_matches('·'));
        let mut count = last - first;
        if last_word == Some("") {
            count -= 1;
            last_word = (count > 0).then(|| word(first + count - 1));
        }
        let word_at = |i: usize| {
            if i == count - 1 {
                last_word.unwrap_or_default()
            } else {
                word(first + i)
            }
        };
        const MAX_WORDS: usize = 40;
        if count <= MAX_WORDS {
            words.extend((0..count).map(word_at));
            return words.join(" ");
        }
        // Keep the words around the link.
        let before_link =
            self.words[first..first + count].partition_point(|&(from, _)| from < start);
        let from = before_link.saturating_sub(MAX_WORDS / 3);
        let to = (from + MAX_WORDS).min(count);
        words.extend((from..to).map(word_at));
        let lead = if from > 0 { "… " } else { "" };
        let tail = if to < count { " …" } else { "" };
        format!("{lead}{}{tail}", words.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body<'_> {
        Body {
            text,
            offset: 0,
            file_text: text,
        }
    }

    #[test]
    fn scan_finds_dossier_links_with_offsets_text_and_sentence() {
        let text = "Intro. Meta said [\"open *source*\"](src:post#p4) is safer. Next.\n\n[a](https://x.org) and [b](summary:b).";
        let links = scan_links(body(text));
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].offset, text.find("[\"open").unwrap_or_default());
        assert_eq!(links[0].text, "\"open source\"");
        assert_eq!(links[0].dest, "src:post#p4");
        assert_eq!(links[0].context, "Meta said \"open source\" is safer.");
        assert_eq!(links[1].dest, "summary:b");
        assert_eq!(links[1].context, "a and b.");
    }

    #[test]
    fn scan_reads_list_items_and_headings_as_their_own_sentences() {
        let text = "- First [x](src:a).\n- Second [y](src:b).\n\n## About [z](src:c)\n";
        let links = scan_links(body(text));
        let contexts: Vec<&str> = links.iter().map(|l| l.context.as_str()).collect();
        assert_eq!(contexts, vec!["First x.", "Second y.", "About z"]);
    }

    #[test]
    fn long_sentences_are_cut_around_the_link() {
        let words: Vec<String> = (0..100).map(|i| format!("w{i}")).collect();
        let mut text = words.join(" ");
        let start = text.find("w60").unwrap_or_default();
        text.push('.');
        let s = sentence_around(&text, start, start + 3);
        assert!(s.starts_with("… ") && s.ends_with(" …"), "{s}");
        assert!(s.contains("w60"));
    }

    #[test]
    fn scan_reports_scheme_and_id_problems_at_their_offsets() {
        let text =
            "## A {#p1}\n\n## B {#b}\n\n## C {#b}\n\nSee [x](javascript:x) and [y](scr:a).\n";
        let problems = scan(body(text)).problems;
        let at: Vec<(usize, bool)> = problems
            .iter()
            .map(|(o, d)| (*o, d.severity == crate::diagnostics::Severity::Error))
            .collect();
        let find = |s: &str| text.find(s).unwrap_or_default();
        assert_eq!(
            at,
            vec![
                (0, true),
                (find("## C"), true),
                (find("[x]"), false),
                (find("[y]"), true)
            ]
        );
        assert_eq!(problems[3].1.hint.as_deref(), Some("did you mean `src:`?"));
    }

    #[test]
    fn fifty_thousand_citations_in_one_paragraph_scan_in_linear_time() {
        let text = "[x](src:a) and ".repeat(50_000);
        let started = std::time::Instant::now();
        let links = scan_links(body(&text));
        let took = started.elapsed();
        assert_eq!(links.len(), 50_000);
        eprintln!("50k citations: {took:?}");
        assert!(took.as_secs_f64() < 5.0, "took {took:?}");
    }
}
