//! Markdown, in named passes over pulldown-cmark's events: `scan_links` finds the dossier's
//! references (for the citation graph, before anything is rendered); `render` turns a body into
//! HTML with those references rewritten, raw HTML escaped and code highlighted.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Body;
use crate::diagnostics::Diagnostic;
use crate::highlight;

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

/// The URL schemes that point into the dossier.
pub const SCHEMES: [&str; 3] = ["src:", "summary:", "event:"];

/// URL schemes a link may use besides the dossier's: they cannot run script.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Schemes a browser would run script from, or use to reach local files.
const SCRIPT_SCHEMES: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// Whether a link destination points into the dossier.
pub fn is_dossier_link(dest: &str) -> bool {
    SCHEMES.iter().any(|s| dest.starts_with(s))
}

/// What a link destination is, by its scheme. The one place links are classified: the
/// reference scan reports from it and the renderer writes links by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// `src:`, `summary:` or `event:`, as written: a link into the dossier.
    Dossier,
    /// One of `SAFE_SCHEMES`, or no scheme at all (a relative link, a `#fragment`).
    Safe,
    /// A scheme that can run script or read local files (`javascript:`, `vbscript:`,
    /// `data:`, `file:`), lowercased: shown as text, never as a link.
    Script(String),
    /// Any other scheme, lowercased: an error, shown as text.
    Unknown(String),
}

/// Classify a destination as a browser would read it: character references decoded, tabs and
/// newlines removed, leading and trailing spaces and control characters dropped, the scheme
/// compared without regard to case (so ` JaVa&#83;cript:` is `javascript:`).
pub fn classify(dest: &str) -> Scheme {
    if is_dossier_link(dest) {
        return Scheme::Dossier;
    }
    let decoded = decode_references(dest);
    let url: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = url.split_once(':') else {
        return Scheme::Safe;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // A colon after a path, query or fragment character: a relative link.
        return Scheme::Safe;
    }
    let scheme = scheme.to_ascii_lowercase();
    if SAFE_SCHEMES.contains(&scheme.as_str()) {
        Scheme::Safe
    } else if SCRIPT_SCHEMES.contains(&scheme.as_str()) {
        Scheme::Script(scheme)
    } else {
        Scheme::Unknown(scheme)
    }
}

/// Decode numeric character references (`&#106;`, `&#x6A;`) and the named ones that can hide
/// a scheme's colon or break it up (`&colon;`, `&Tab;`, `&NewLine;`). pulldown-cmark decodes
/// references in destinations already; this keeps the classification safe on its own.
fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name.strip_prefix('#') {
                Some(num) => match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => num.parse::<u32>().ok().and_then(char::from_u32),
                },
                None => match name.to_ascii_lowercase().as_str() {
                    "colon" => Some(':'),
                    "tab" => Some('\t'),
                    "newline" => Some('\n'),
                    _ => None,
                },
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The problem with a link whose scheme is not allowed, if any: a warning for a script
/// scheme, an error for an unknown one (naming the dossier scheme it is close to).
pub fn scheme_problem(dest: &str, scheme: &Scheme, is_image: bool) -> Option<Diagnostic> {
    let what = if is_image { "image from" } else { "link to" };
    match scheme {
        Scheme::Dossier | Scheme::Safe => None,
        Scheme::Script(name) => Some(
            Diagnostic::warning(format!(
                "{what} `{}` uses the `{name}:` scheme, which can run script; it is shown as plain text",
                shorten(dest)
            ))
            .hint(allowed_schemes()),
        ),
        Scheme::Unknown(name) => {
            let hint = match near_dossier_scheme(name) {
                Some(near) => format!("did you mean `{near}`?"),
                None => allowed_schemes(),
            };
            Some(
                Diagnostic::error(format!(
                    "{what} `{}` uses the unknown scheme `{name}:`",
                    shorten(dest)
                ))
                .hint(hint),
            )
        }
    }
}

fn allowed_schemes() -> String {
    format!(
        "links may use {}, the dossier's {}, or a relative path",
        SAFE_SCHEMES.map(|s| format!("`{s}:`")).join(", "),
        SCHEMES.map(|s| format!("`{s}`")).join(", ")
    )
}

/// The dossier scheme a mistyped one is close to: with the same first letter, and one edit
/// or swap away (`scr`, `sumary`), sharing its first four letters (`summaries`), or
/// containing its letters in order (`source`, `events`).
fn near_dossier_scheme(scheme: &str) -> Option<&'static str> {
    SCHEMES.into_iter().find(|full| {
        let ours = &full[..full.len() - 1];
        let mut letters = ours.chars().peekable();
        for c in scheme.chars() {
            if letters.peek() == Some(&c) {
                letters.next();
            }
        }
        let shared_prefix = scheme
            .bytes()
            .zip(ours.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // A real scheme one letter off (`irc:`) is not a typo: the first letter must agree.
        scheme.chars().next() == ours.chars().next()
            && (strsim::osa_distance(scheme, ours) <= 1
                || shared_prefix >= ours.len().min(4)
                || letters.peek().is_none())
    })
}

/// A destination cut to a readable length for a message.
fn shorten(dest: &str) -> String {
    let mut chars = dest.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
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
                    && let Some(problem) = highlight::size_problem(block.len(), lang.as_deref())
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
fn is_site_id(id: &str) -> bool {
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

fn is_block_end(tag: &TagEnd) -> bool {
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

/// A body as plain text, one line per block, for the search index.
pub fn plain_text(body: &str) -> String {
    let mut text = String::with_capacity(body.len());
    for event in Parser::new_ext(body, options()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(tag) if is_block_end(&tag) => text.push('\n'),
            Event::End(TagEnd::TableCell) => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// How a link into the dossier renders: where it goes and, for a citation, its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderLink {
    /// Byte offset of the link's `[` in the file, matching `LinkRef::offset`.
    pub offset: usize,
    /// The relative URL to write.
    pub href: String,
    /// The citation number on this page, for links to sources.
    pub citation: Option<u32>,
}

/// Settings for one rendering.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// Pass raw HTML through (site.toml `[markdown] raw_html`).
    pub raw_html: bool,
    /// Put before the ids of citation markers and notes (`cite-ref-N`, `cite-N`), so several
    /// documents can share a page (the print edition).
    pub id_prefix: &'a str,
    /// Levels to add to every heading (`##` becomes `<h4>` with 2), for a page where the body
    /// sits under headings of its own.
    pub heading_shift: u8,
}

/// Pass 2: the body as HTML. `links` are sorted by offset, one per link `scan_links` found.
pub fn render(body: Body<'_>, links: &[RenderLink], options: RenderOptions<'_>) -> String {
    let parser = Parser::new_ext(body.text, self::options()).into_offset_iter();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut code: Option<(Option<String>, String)> = None;
    let mut heading: Option<OpenHeading<'_>> = None;
    // Ids taken on the page: explicit heading ids and footnote labels, then the ids made.
    let mut taken: HashSet<String> = HashSet::new();
    // Headings without an explicit id: where their start is in `events`, and their text.
    // They get ids once the whole body is read, so a made id never takes an explicit one.
    let mut unnamed: Vec<(usize, String)> = Vec::new();
    // Links and images still open, to close each the way it was opened.
    let mut open_links: Vec<OpenLink> = Vec::new();
    let mut open_images: Vec<bool> = Vec::new();

    for (event, range) in parser {
        // Fenced and indented code: collect the text, then highlight it as one block.
        if let Some((_, buffer)) = code.as_mut() {
            match event {
                Event::Text(text) => buffer.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, buffer) = code.take().expect("inside a code block");
                    events.push(Event::Html(
                        highlight::code_block(&buffer, lang.as_deref()).into(),
                    ));
                }
                _ => {}
            }
            continue;
        }
        let out: Vec<Event<'_>> = match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().map(str::to_string)
                    }
                    pulldown_cmark::CodeBlockKind::Indented => None,
                };
                code = Some((lang, String::new()));
                continue;
            }
            Event::Start(Tag::Link { ref dest_url, .. }) if is_dossier_link(dest_url) => {
                let offset = body.offset + range.start;
                match links.binary_search_by_key(&offset, |l| l.offset) {
                    Ok(i) => {
                        let link = &links[i];
                        open_links.push(OpenLink::Dossier(link.citation));
                        let class = if link.citation.is_some() { "xref cite" } else { "xref" };
                        let mut html = format!("<a class=\"{class}\" href=\"");
                        escape_attr(&mut html, &link.href);
                        html.push('"');
                        if let Some(n) = link.citation {
                            html.push_str(&format!(" data-cite=\"{n}\""));
                        }
                        html.push('>');
                        vec![Event::InlineHtml(html.into())]
                    }
                    // Not resolved (only possible when rendering despite errors): its text.
                    Err(_) => {
                        open_links.push(OpenLink::Text);
                        vec![]
                    }
                }
            }
            // Other links are written as links only when their scheme is safe; the rest
            // (script, unknown) become their text, with a warning or an error from the scan.
            Event::Start(tag @ Tag::Link { .. }) => {
                if link_is_safe(&tag) {
                    open_links.push(OpenLink::Plain);
                    vec![Event::Start(tag)]
                } else {
                    open_links.push(OpenLink::Text);
                    vec![]
                }
            }
            Event::Start(tag @ Tag::Image { .. }) => {
                let safe = link_is_safe(&tag);
                open_images.push(safe);
                if safe { vec![Event::Start(tag)] } else { vec![] }
            }
            Event::End(TagEnd::Image) => match open_images.pop() {
                Some(false) => vec![],
                _ => vec![Event::End(TagEnd::Image)],
            },
            // A footnote's label is its element's id: prefixed like headings, so documents
            // sharing a page (the print edition) do not all have a `#1`.
            Event::Start(Tag::FootnoteDefinition(label)) => {
                taken.insert(label.to_string());
                vec![Event::Start(Tag::FootnoteDefinition(prefixed(label, options.id_prefix)))]
            }
            Event::FootnoteReference(label) => {
                vec![Event::FootnoteReference(prefixed(label, options.id_prefix))]
            }
            Event::End(TagEnd::Link) => match open_links.pop() {
                Some(OpenLink::Plain) | None => vec![Event::End(TagEnd::Link)],
                Some(OpenLink::Text) => vec![],
                Some(OpenLink::Dossier(Some(n))) => vec![Event::InlineHtml(
                    format!(
                        "</a><sup class=\"cite-ref\" id=\"{p}cite-ref-{n}\"><a href=\"#{p}cite-{n}\" role=\"doc-noteref\" aria-label=\"Citation {n}\">{n}</a></sup>",
                        p = options.id_prefix
                    )
                    .into(),
                )],
                Some(OpenLink::Dossier(None)) => vec![Event::InlineHtml("</a>".into())],
            },
            Event::Html(html) | Event::InlineHtml(html) if !options.raw_html => {
                vec![Event::Text(html)]
            }
            Event::Start(Tag::Heading { level, id, classes, attrs: _ }) => {
                heading = Some((shifted(level, options.heading_shift), id, classes, Vec::new()));
                continue;
            }
            Event::End(TagEnd::Heading(_)) if heading.is_some() => {
                let (level, id, classes, inner) = heading.take().expect("inside a heading");
                let id = match id {
                    Some(id) => {
                        taken.insert(id.to_string());
                        Some(prefixed(id, options.id_prefix))
                    }
                    None => {
                        unnamed.push((events.len(), heading_text(&inner)));
                        None
                    }
                };
                let mut out = vec![Event::Start(Tag::Heading { level, id, classes, attrs: vec![] })];
                out.extend(inner);
                out.push(Event::End(TagEnd::Heading(level)));
                out
            }
            other => vec![other],
        };
        match heading.as_mut() {
            Some((_, _, _, inner)) => inner.extend(out),
            None => events.extend(out),
        }
    }
    let mut next_suffix: HashMap<String, usize> = HashMap::new();
    for (at, text) in unnamed {
        if let Event::Start(Tag::Heading { id, .. }) = &mut events[at] {
            let made = unique_id(&text, &mut taken, &mut next_suffix);
            *id = Some(prefixed(made.into(), options.id_prefix));
        }
    }
    let mut html = String::with_capacity(body.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Control characters typed into the Markdown are not HTML text: published without them.
    match crate::diagnostics::strip_controls(&html) {
        std::borrow::Cow::Owned(clean) => clean,
        std::borrow::Cow::Borrowed(_) => html,
    }
}

/// Whether a link or image (not into the dossier) may be written with its destination.
fn link_is_safe(tag: &Tag<'_>) -> bool {
    match tag {
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
            classify(dest_url) == Scheme::Safe
        }
        _ => false,
    }
}

/// An id with the document's prefix: documents sharing a page keep their ids apart.
fn prefixed<'a>(id: CowStr<'a>, prefix: &str) -> CowStr<'a> {
    if prefix.is_empty() {
        id
    } else {
        format!("{prefix}{id}").into()
    }
}

/// A heading being read: level, id, classes, and its inner events (buffered so an id can be
/// made from its text).
type OpenHeading<'a> = (
    HeadingLevel,
    Option<CowStr<'a>>,
    Vec<CowStr<'a>>,
    Vec<Event<'a>>,
);

/// A heading level moved down by `shift`, no deeper than `<h6>`.
fn shifted(level: HeadingLevel, shift: u8) -> HeadingLevel {
    use HeadingLevel::*;
    let levels = [H1, H2, H3, H4, H5, H6];
    let at = levels.iter().position(|l| *l == level).unwrap_or(0);
    levels[(at + usize::from(shift)).min(5)]
}

/// How an open link must be closed.
enum OpenLink {
    /// Written by pulldown-cmark itself.
    Plain,
    /// Not written as a link: only its text is shown.
    Text,
    /// Written by us, with the citation number to put after it.
    Dossier(Option<u32>),
}

fn heading_text(events: &[Event<'_>]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text
}

/// A heading id from its text, unique within the page: `who-makes-it`, `who-makes-it-2`.
/// `next_suffix` remembers, per text, the suffix to try next, so a page of many equal
/// headings is named in linear time.
fn unique_id(
    text: &str,
    taken: &mut HashSet<String>,
    next_suffix: &mut HashMap<String, usize>,
) -> String {
    let mut base = crate::slug::slugify(text);
    if base.is_empty() {
        base = "section".into();
    }
    // Keep clear of the ids the site itself uses on pages.
    if is_site_id(&base) {
        base = format!("h-{base}");
    }
    if taken.insert(base.clone()) {
        return base;
    }
    let n = next_suffix.entry(base.clone()).or_insert(2);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if taken.insert(id.clone()) {
            return id;
        }
    }
}

/// Escape text for an HTML attribute value in double quotes.
pub fn escape_attr(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_href(&mut *out, text);
}

/// Escape text for HTML element content.
pub fn escape_html(out: &mut String, text: &str) {
    let text = crate::diagnostics::strip_controls(text);
    let _ = pulldown_cmark_escape::escape_html(&mut *out, &text);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// No raw HTML, no prefix, headings as written.
    const PLAIN: RenderOptions<'static> = RenderOptions {
        raw_html: false,
        id_prefix: "",
        heading_shift: 0,
    };

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
    fn plain_text_keeps_words_and_drops_markup() {
        let text = plain_text("## Who\n\nMeta [said](src:a#p2) **so**.\n\n- one\n- `two`\n");
        assert_eq!(text, "Who\nMeta said so.\none\ntwo");
    }

    #[test]
    fn render_rewrites_links_and_numbers_citations() {
        let text = "See [the post](src:post#p4) and [brief](summary:b).";
        let links = vec![
            RenderLink {
                offset: 4,
                href: "../sources/post/#p4".into(),
                citation: Some(1),
            },
            RenderLink {
                offset: 32,
                href: "../summaries/b/".into(),
                citation: None,
            },
        ];
        let html = render(body(text), &links, PLAIN);
        assert!(html.contains("<a class=\"xref cite\" href=\"../sources/post/#p4\" data-cite=\"1\">the post</a><sup class=\"cite-ref\" id=\"cite-ref-1\">"), "{html}");
        assert!(
            html.contains("<a class=\"xref\" href=\"../summaries/b/\">brief</a>"),
            "{html}"
        );
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let text = "<script>alert(1)</script>\n\nHi <b>there</b>\n";
        let html = render(body(text), &[], PLAIN);
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let html = render(
            body(text),
            &[],
            RenderOptions {
                raw_html: true,
                ..PLAIN
            },
        );
        assert!(html.contains("<b>there</b>"), "{html}");
    }

    #[test]
    fn template_syntax_is_just_text() {
        let html = render(body("{{ config.title }} {% if x %}"), &[], PLAIN);
        assert!(html.contains("{{ config.title }} {% if x %}"), "{html}");
    }

    #[test]
    fn headings_get_unique_ids_and_alerts_render() {
        let text = "## Who argues it\n\n## Who argues it\n\n> [!WARNING]\n> Check this.\n";
        let html = render(body(text), &[], PLAIN);
        assert!(html.contains("<h2 id=\"who-argues-it\">"), "{html}");
        assert!(html.contains("<h2 id=\"who-argues-it-2\">"), "{html}");
        assert!(html.contains("markdown-alert-warning"), "{html}");
    }

    #[test]
    fn schemes_are_classified_as_a_browser_reads_them() {
        for script in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "\u{1}java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript&colon;alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert!(matches!(classify(script), Scheme::Script(_)), "{script:?}");
        }
        for safe in [
            "https://x.org",
            "HTTP://x.org",
            "mailto:a@b.org",
            "tel:+441234",
            "../a/",
            "#top",
            "a/b:c",
            "?q=a:b",
            "desk@example.org",
        ] {
            assert_eq!(classify(safe), Scheme::Safe, "{safe:?}");
        }
        assert_eq!(classify("src:a#p1"), Scheme::Dossier);
        assert_eq!(classify("SRC:a"), Scheme::Unknown("src".into()));
        assert_eq!(classify("ftp://x"), Scheme::Unknown("ftp".into()));
    }

    #[test]
    fn near_misses_of_dossier_schemes_are_named() {
        for (written, meant) in [
            ("source", "src:"),
            ("scr", "src:"),
            ("src", "src:"),
            ("sumary", "summary:"),
            ("summaries", "summary:"),
            ("events", "event:"),
            ("evnt", "event:"),
        ] {
            assert_eq!(near_dossier_scheme(written), Some(meant), "{written}");
        }
        for far in ["ftp", "ssh", "smb", "irc", "sms"] {
            assert_eq!(near_dossier_scheme(far), None, "{far}");
        }
    }

    #[test]
    fn script_links_and_images_render_as_their_text() {
        let text = "[a](javascript:alert(1)) <javascript:alert(2)> ![i](vbscript:x) [r][x] [u](ftp://x) [ok](https://x.org)\n\n[x]: data:text/html,x\n";
        let html = render(body(text), &[], PLAIN);
        assert!(
            !html.contains("href=\"j") && !html.contains("src="),
            "{html}"
        );
        assert!(
            !html.contains("href=\"data") && !html.contains("href=\"ftp"),
            "{html}"
        );
        assert!(
            html.contains("<p>a javascript:alert(2) i r u <a href=\"https://x.org\">ok</a></p>"),
            "{html}"
        );
        // Raw HTML, off by default, is text: its links cannot pass either.
        let html = render(body("<a href=\"javascript:x\">y</a>"), &[], PLAIN);
        assert!(html.contains("&lt;a href=\"javascript:x\"&gt;"), "{html}");
    }

    #[test]
    fn made_heading_ids_keep_clear_of_explicit_ids_and_footnotes() {
        let text = "## Costs\n\n## Other {#costs}\n\n## 1\n\nA note.[^1]\n\n[^1]: Note.\n";
        let html = render(body(text), &[], PLAIN);
        assert!(html.contains("<h2 id=\"costs-2\">Costs</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"costs\">Other</h2>"), "{html}");
        assert!(html.contains("<h2 id=\"1-2\">1</h2>"), "{html}");
    }

    #[test]
    fn a_prefix_keeps_footnote_ids_apart_too() {
        let text = "## Costs\n\nA note.[^1]\n\n[^1]: Note.\n";
        let html = render(
            body(text),
            &[],
            RenderOptions {
                id_prefix: "doc-",
                ..PLAIN
            },
        );
        assert!(html.contains("id=\"doc-costs\""), "{html}");
        assert!(html.contains("href=\"#doc-1\""), "{html}");
        assert!(
            html.contains("class=\"footnote-definition\" id=\"doc-1\""),
            "{html}"
        );
        assert!(html.contains(">1</a></sup>"), "numbers unchanged: {html}");
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
    fn extensions_are_on() {
        let text =
            "| a |\n|---|\n| b |\n\n~~gone~~ and a note[^1]\n\n- [x] done\n\n[^1]: The note.\n";
        let html = render(body(text), &[], PLAIN);
        for needle in [
            "<table>",
            "<del>gone</del>",
            "footnote-reference",
            "type=\"checkbox\"",
        ] {
            assert!(html.contains(needle), "{needle}: {html}");
        }
    }
}

#[cfg(test)]
mod scaling {
    use super::*;

    fn body(text: &str) -> Body<'_> {
        Body {
            text,
            offset: 0,
            file_text: text,
        }
    }

    #[test]
    fn twenty_thousand_equal_headings_render_in_linear_time() {
        let text = "## Same\n\n".repeat(20_000);
        let started = std::time::Instant::now();
        let html = render(
            body(&text),
            &[],
            RenderOptions {
                raw_html: false,
                id_prefix: "",
                heading_shift: 0,
            },
        );
        let took = started.elapsed();
        assert!(html.contains("id=\"same-20000\""));
        eprintln!("20k headings: {took:?}");
        assert!(took.as_secs_f64() < 5.0, "took {took:?}");
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
