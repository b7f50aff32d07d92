//! Markdown, in named passes over pulldown-cmark's events: `scan_links` finds the dossier's
//! references (for the citation graph, before anything is rendered); `render` turns a body into
//! HTML with those references rewritten, raw HTML escaped and code highlighted.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::content::Body;
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

/// Whether a link destination points into the dossier.
pub fn is_dossier_link(dest: &str) -> bool {
    SCHEMES.iter().any(|s| dest.starts_with(s))
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

/// Pass 1: every link into the dossier, in document order.
pub fn scan_links(body: Body<'_>) -> Vec<LinkRef> {
    let mut links = Vec::new();
    let mut block = String::new();
    let mut pending: Vec<Pending> = Vec::new();
    // Links currently open (links cannot nest in CommonMark, but images can sit in links).
    let mut open: Vec<Pending> = Vec::new();

    for (event, range) in Parser::new_ext(body.text, options()).into_offset_iter() {
        match event {
            Event::Start(tag) if is_block(&tag) => {
                finish_block(&mut block, &mut pending, &mut links)
            }
            Event::End(tag) if is_block_end(&tag) => {
                finish_block(&mut block, &mut pending, &mut links)
            }
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. })
                if is_dossier_link(dest_url) =>
            {
                let is_image = matches!(event, Event::Start(Tag::Image { .. }));
                open.push(Pending {
                    link: LinkRef {
                        offset: body.offset + range.start,
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
                    && last.link.offset == body.offset + range.start
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
    finish_block(&mut block, &mut pending, &mut links);
    links.sort_by_key(|l| l.offset);
    links
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
    for mut p in pending.drain(..) {
        p.link.context = sentence_around(block, p.span.0, p.span.1);
        links.push(p.link);
    }
    block.clear();
}

/// The sentence of `text` that contains the byte range `start..end`, trimmed, at most about
/// forty words (longer ones are cut around the link with `…`).
pub fn sentence_around(text: &str, start: usize, end: usize) -> String {
    let is_boundary = |i: usize| {
        let before = text[..i].chars().next_back();
        let after = text[i..].chars().next();
        matches!(before, Some('.' | '?' | '!')) && after.is_some_and(char::is_whitespace)
            || before == Some('\n')
    };
    let sentence_start = (0..start)
        .rev()
        .filter(|&i| text.is_char_boundary(i))
        .find(|&i| is_boundary(i))
        .unwrap_or(0);
    let sentence_end = (end..text.len())
        .filter(|&i| text.is_char_boundary(i))
        .find(|&i| i > end && is_boundary(i))
        .unwrap_or(text.len());
    let sentence = text[sentence_start..sentence_end]
        .trim()
        .trim_end_matches('·')
        .trim();
    const MAX_WORDS: usize = 40;
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= MAX_WORDS {
        return words.join(" ");
    }
    // Keep the words around the link.
    let before_link = text[sentence_start..start].split_whitespace().count();
    let from = before_link.saturating_sub(MAX_WORDS / 3);
    let to = (from + MAX_WORDS).min(words.len());
    let lead = if from > 0 { "… " } else { "" };
    let tail = if to < words.len() { " …" } else { "" };
    format!("{lead}{}{tail}", words[from..to].join(" "))
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
    let mut heading_ids: HashSet<String> = HashSet::new();
    // Links still open, to close each the way it was opened.
    let mut open_links: Vec<OpenLink> = Vec::new();

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
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if is_dossier_link(&dest_url) => {
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
                    // Not resolved (only possible when rendering despite errors): keep as is.
                    Err(_) => {
                        open_links.push(OpenLink::Plain);
                        vec![Event::Start(Tag::Link { link_type, dest_url, title, id })]
                    }
                }
            }
            Event::Start(tag @ Tag::Link { .. }) => {
                open_links.push(OpenLink::Plain);
                vec![Event::Start(tag)]
            }
            Event::End(TagEnd::Link) => match open_links.pop() {
                Some(OpenLink::Plain) | None => vec![Event::End(TagEnd::Link)],
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
                    Some(id) => id,
                    None => unique_id(&heading_text(&inner), &mut heading_ids).into(),
                };
                // Documents sharing a page keep their headings' ids apart too.
                let id: CowStr<'_> = if options.id_prefix.is_empty() { id } else { format!("{}{id}", options.id_prefix).into() };
                let mut out = vec![Event::Start(Tag::Heading { level, id: Some(id), classes, attrs: vec![] })];
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
    let mut html = String::with_capacity(body.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Control characters typed into the Markdown are not HTML text: published without them.
    match crate::diagnostics::strip_controls(&html) {
        std::borrow::Cow::Owned(clean) => clean,
        std::borrow::Cow::Borrowed(_) => html,
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
fn unique_id(text: &str, seen: &mut HashSet<String>) -> String {
    let mut base = crate::slug::slugify(text);
    if base.is_empty() {
        base = "section".into();
    }
    // Keep clear of the ids the site itself uses on pages.
    if base.starts_with("cite-")
        || (base.starts_with('p') && base[1..].bytes().all(|b| b.is_ascii_digit()))
    {
        base = format!("h-{base}");
    }
    let mut id = base.clone();
    let mut n = 2;
    while !seen.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
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
