//! Web pages: the main content as one paragraph per block (p, li, headings, blockquote, pre
//! lines, table rows, and text between blocks up to a `<br>`), with navigation, scripts,
//! styles, forms, asides, footers and cookie banners left out. Parsing is html5ever's (through
//! scraper), so entities and broken markup are read as a browser reads them. Deterministic: no
//! scoring, only the rules written in docs/format.md.

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use super::{ExtractError, Extracted, Found, collapse_whitespace, iso_day};

/// Elements whose content is never text a reader reads as the page's content.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "aside", "form", "button", "select",
    "textarea", "svg", "iframe", "object", "embed", "canvas", "audio", "video", "dialog", "menu",
    "img", "picture", "map",
];

/// Parts of a class or id (split at `-` and `_`) that mark page furniture, not content.
const NOISE_PARTS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "sidebar",
    "footer",
    "header",
    "masthead",
    "cookie",
    "cookies",
    "consent",
    "gdpr",
    "banner",
    "share",
    "sharing",
    "social",
    "newsletter",
    "advert",
    "advertisement",
    "ad",
    "ads",
    "promo",
    "related",
    "breadcrumb",
    "breadcrumbs",
    "skip",
    "pagination",
    "pager",
    "toolbar",
    "subscribe",
];

/// Elements that start and end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "address",
    "hr",
    "center",
    "fieldset",
    "details",
    "summary",
    "body",
    "html",
];

/// Decode a page: UTF-8 (with or without BOM), else the charset its `<meta>` declares, else
/// windows-1252 as browsers do.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_string();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let label = head
        .find("charset=")
        .map(|i| &head[i + 8..])
        .map(|rest| {
            rest.trim_start_matches(['"', '\''])
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap_or_default();
    let encoding =
        encoding_rs::Encoding::for_label(label.as_bytes()).unwrap_or(encoding_rs::WINDOWS_1252);
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// Extract a web page.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let html = Html::parse_document(&decode(bytes));
    let found = metadata(&html);
    let text = paragraphs(&html).join("\n");
    Ok(Extracted {
        text: if text.is_empty() { text } else { text + "\n" },
        found,
        ..Extracted::default()
    })
}

/// The paragraphs of a parsed page's main content.
pub fn paragraphs(html: &Html) -> Vec<String> {
    let root = main_content(html);
    let mut walk = Walk {
        paragraphs: Vec::new(),
        current: String::new(),
        prefix: "",
    };
    let in_article = root.value().name() == "article";
    walk.element(root, in_article);
    walk.flush();
    walk.paragraphs
}

/// The element that holds the content: the page's only `<article>` (inside `<main>` when there
/// is one), else `<main>` or `[role=main]`, else `<body>`.
fn main_content(html: &Html) -> ElementRef<'_> {
    let select = |css: &str| -> Vec<ElementRef<'_>> {
        Selector::parse(css)
            .map(|s| html.select(&s).collect())
            .unwrap_or_default()
    };
    for css in ["main article", "[role=main] article"] {
        if let [one] = select(css).as_slice() {
            return *one;
        }
    }
    for css in ["main", "[role=main]"] {
        if let Some(first) = select(css).first() {
            return *first;
        }
    }
    if let [one] = select("article").as_slice() {
        return *one;
    }
    select("body")
        .first()
        .copied()
        .unwrap_or_else(|| html.root_element())
}

struct Walk {
    paragraphs: Vec<String>,
    current: String,
    /// The marker of the block being gathered: `• ` in a list item, `> ` in a quotation.
    prefix: &'static str,
}

impl Walk {
    fn flush(&mut self) {
        let text = collapse_whitespace(&self.current);
        self.current.clear();
        if !text.is_empty() {
            self.paragraphs.push(format!("{}{text}", self.prefix));
        }
    }

    fn node(&mut self, node: NodeRef<'_, Node>, in_article: bool) {
        match node.value() {
            Node::Text(text) => self.current.push_str(text),
            Node::Element(_) => {
                if let Some(element) = ElementRef::wrap(node) {
                    self.element(element, in_article);
                }
            }
            _ => {}
        }
    }

    fn element(&mut self, element: ElementRef<'_>, in_article: bool) {
        let name = element.value().name();
        if is_noise(element, in_article) {
            return;
        }
        match name {
            "br" => return self.flush(),
            "pre" => {
                self.flush();
                let text: String = element.text().collect();
                for line in text.lines() {
                    self.current.push_str(line);
                    self.flush();
                }
                return;
            }
            "tr" if is_data_row(element) => {
                self.flush();
                let cells: Vec<String> = element
                    .children()
                    .filter_map(ElementRef::wrap)
                    .filter(|c| matches!(c.value().name(), "td" | "th"))
                    .filter(|c| !is_noise(*c, in_article))
                    .map(|c| collapse_whitespace(&c.text().collect::<String>()))
                    .filter(|c| !c.is_empty())
                    .collect();
                self.current = cells.join(" | ");
                return self.flush();
            }
            _ => {}
        }
        let in_article = in_article || name == "article";
        if !BLOCKS.contains(&name) {
            for child in element.children() {
                self.node(child, in_article);
            }
            return;
        }
        self.flush();
        let outer = self.prefix;
        match name {
            "li" => self.prefix = "• ",
            "blockquote" => self.prefix = "> ",
            _ => {}
        }
        for child in element.children() {
            self.node(child, in_article);
        }
        self.flush();
        self.prefix = outer;
    }
}

/// Whether an element is furniture: a dropped element, a `header`/`footer` outside an article,
/// `hidden`, `aria-hidden`, a navigation role, or a class or id naming furniture.
fn is_noise(element: ElementRef<'_>, in_article: bool) -> bool {
    let e = element.value();
    let name = e.name();
    if DROPPED.contains(&name) || (!in_article && matches!(name, "header" | "footer")) {
        return true;
    }
    if e.attr("hidden").is_some() || e.attr("aria-hidden") == Some("true") {
        return true;
    }
    if matches!(
        e.attr("role"),
        Some("navigation" | "banner" | "contentinfo" | "complementary" | "search" | "dialog")
    ) {
        return true;
    }
    let names = e.attr("class").into_iter().chain(e.attr("id"));
    names
        .flat_map(str::split_whitespace)
        .flat_map(|token| token.split(['-', '_']))
        .any(|part| NOISE_PARTS.contains(&part.to_ascii_lowercase().as_str()))
}

/// A table row whose cells hold only inline content: one paragraph, cells joined by ` | `.
/// A row of a layout table (cells holding blocks, nested tables) is walked into instead.
fn is_data_row(row: ElementRef<'_>) -> bool {
    row.descendants().skip(1).all(|n| match n.value() {
        Node::Element(e) => {
            (matches!(e.name(), "td" | "th") || !BLOCKS.contains(&e.name())) && e.name() != "br"
        }
        _ => true,
    })
}

/// What a page says about itself: Open Graph and `article:` meta, JSON-LD, `<title>`.
pub fn metadata(html: &Html) -> Found {
    let meta = |key: &str| -> Option<String> {
        let css = format!("meta[property=\"{key}\"], meta[name=\"{key}\"]");
        let selector = Selector::parse(&css).ok()?;
        html.select(&selector)
            .filter_map(|m| m.value().attr("content"))
            .map(collapse_whitespace)
            .find(|v| !v.is_empty())
    };
    let ld = json_ld(html);
    let ld_str =
        |key: &str| -> Option<String> { ld.iter().find_map(|v| v.get(key).and_then(name_of)) };
    let title_tag = Selector::parse("title").ok().and_then(|s| {
        html.select(&s)
            .next()
            .map(|t| collapse_whitespace(&t.text().collect::<String>()))
            .filter(|t| !t.is_empty())
    });
    let not_url = |v: String| (!v.starts_with("http")).then_some(v);
    Found {
        title: meta("og:title")
            .or_else(|| ld_str("headline"))
            .or(title_tag),
        author: ld_str("author")
            .or_else(|| meta("article:author").and_then(not_url))
            .or_else(|| meta("author")),
        published: ld_str("datePublished")
            .or_else(|| meta("article:published_time"))
            .as_deref()
            .and_then(iso_day),
        publisher: meta("og:site_name").or_else(|| ld_str("publisher")),
    }
}

/// The JSON-LD objects of a page, `@graph` members included, in document order.
fn json_ld(html: &Html) -> Vec<serde_json::Value> {
    let Ok(selector) = Selector::parse("script[type=\"application/ld+json\"]") else {
        return Vec::new();
    };
    let mut objects = Vec::new();
    for script in html.select(&selector) {
        let text: String = script.text().collect();
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        let mut stack = vec![value];
        while let Some(v) = stack.pop() {
            match v {
                serde_json::Value::Array(items) => stack.extend(items.into_iter().rev()),
                serde_json::Value::Object(mut map) => {
                    if let Some(graph) = map.remove("@graph") {
                        stack.push(graph);
                    }
                    objects.push(serde_json::Value::Object(map));
                }
                _ => {}
            }
        }
    }
    objects
}

/// A JSON-LD value as a name: a string, an object's `name`, or the names of an array, joined.
fn name_of(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(collapse_whitespace(s)).filter(|s| !s.is_empty()),
        serde_json::Value::Object(map) => map.get("name").and_then(name_of),
        serde_json::Value::Array(items) => {
            let names: Vec<String> = items.iter().filter_map(name_of).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        _ => None,
    }
}
