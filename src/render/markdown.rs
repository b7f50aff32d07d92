//! Markdown to HTML: `render` turns a body into HTML with its references (found at load by
//! `load::references`, in the same dialect) rewritten, raw HTML escaped and code highlighted;
//! `plain_text` gives the words for the search index.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use crate::html::escape_attr;
use crate::load::content::Body;
use crate::load::references::{is_block_end, is_site_id, options};
use crate::render::highlight;
use crate::url::{Scheme, classify, is_dossier_link};

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
    /// The cited source's grade, shown beside the number (issue 18).
    pub grade: Option<crate::load::content::grade::Grade>,
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
    /// The relative path to the site root, for the links of judgment and question boxes.
    pub root: &'a str,
    /// Put before the ids of judgment and question boxes (after `id_prefix`): the events of
    /// the timeline share a page, and one question may be raised in several of them.
    pub box_prefix: &'a str,
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
    // analyst (issue 18): marked block quotes become judgment and question boxes.
    let mut callouts = crate::render::analyst::Callouts::default();

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
        if code.is_none() {
            use crate::render::analyst::Step;
            match callouts.step(&event, &range, body.text, &options) {
                Step::Pass => {}
                Step::Drop => continue,
                Step::Before(first) => events.extend(first),
                Step::Instead(instead) => {
                    events.extend(instead);
                    continue;
                }
            }
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
                        open_links.push(OpenLink::Dossier(link.citation, link.grade));
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
                Some(OpenLink::Dossier(Some(n), grade)) => vec![Event::InlineHtml(
                    format!(
                        "</a><sup class=\"cite-ref\" id=\"{p}cite-ref-{n}\"><a href=\"#{p}cite-{n}\" role=\"doc-noteref\" aria-label=\"Citation {n}\">{n}</a>{g}</sup>",
                        p = options.id_prefix,
                        g = grade.map(crate::render::analyst::grade_badge).unwrap_or_default()
                    )
                    .into(),
                )],
                Some(OpenLink::Dossier(None, _)) => vec![Event::InlineHtml("</a>".into())],
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
    /// Written by us, with the citation number to put after it and the source's grade.
    Dossier(Option<u32>, Option<crate::load::content::grade::Grade>),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// No raw HTML, no prefix, headings as written.
    const PLAIN: RenderOptions<'static> = RenderOptions {
        raw_html: false,
        id_prefix: "",
        heading_shift: 0,
        root: "../",
        box_prefix: "",
    };

    fn body(text: &str) -> Body<'_> {
        Body {
            text,
            offset: 0,
            file_text: text,
        }
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
                grade: None,
            },
            RenderLink {
                offset: 32,
                href: "../summaries/b/".into(),
                citation: None,
                grade: None,
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
    fn judgment_and_question_markers_become_boxes_without_their_marker() {
        let text = "> [!JUDGMENT #x confidence=high likelihood=\"very likely\"]\n> **Title.** Text.\n\n> [!QUESTION #q] Which?\n> More.\n\n> [!JUDGMENT #bad confidence=sure]\n> Kept.\n";
        let html = render(body(text), &[], PLAIN);
        assert!(
            html.contains("<div class=\"judgment confidence-high\" id=\"judgment-x\">"),
            "{html}"
        );
        assert!(html.contains("<a href=\"../judgments/#x\">Key judgment</a> <span class=\"confidence-badge\">High confidence</span> <span class=\"likelihood-badge\">Very likely (80–95 %)</span>"), "{html}");
        assert!(
            html.contains("<p><strong>Title.</strong> Text.</p>\n</div>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"open-question\" id=\"question-q\">"),
            "{html}"
        );
        assert!(html.contains("<p>Which?\nMore.</p>"), "{html}");
        assert!(
            !html.contains("[!JUDGMENT #x") && !html.contains("[!QUESTION"),
            "{html}"
        );
        // A marker with an error stays as written (check reports it).
        assert!(
            html.contains("<blockquote>\n<p>[!JUDGMENT #bad confidence=sure]"),
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
                root: "",
                box_prefix: "",
            },
        );
        let took = started.elapsed();
        assert!(html.contains("id=\"same-20000\""));
        eprintln!("20k headings: {took:?}");
        assert!(took.as_secs_f64() < 5.0, "took {took:?}");
    }
}
