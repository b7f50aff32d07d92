//! The site's machine-readable files: the Atom feed of summaries and events, the sitemap of
//! every page, and robots.txt. Written directly rather than through templates: their formats
//! are fixed, and only `base_url` makes their addresses absolute.

use std::fmt::Write as _;

use crate::html::escape_html;
use crate::load::content::{Date, Page};
use crate::render::view::{Views, root_for};
use crate::resolve::xref::DocId;
use crate::url::paths;

/// The most URLs one sitemap file may hold (sitemaps.org); beyond it the sitemap becomes an
/// index of numbered sitemaps.
pub const SITEMAP_LIMIT: usize = 50_000;

/// `base` + `path`, with exactly one slash between them. Without a base URL the path is kept
/// root-relative, which is all a feed can do then (`check` warns about it).
pub fn absolute(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_html(&mut out, text);
    out
}

fn timestamp(date: Date) -> String {
    format!("{}T00:00:00Z", date.iso())
}

/// One dated item of the feed.
struct FeedEntry<'a> {
    page: &'a Page,
    doc: DocId,
    date: Date,
    path: String,
    /// The root the body is rendered for (the page it is shown on).
    page_path: String,
}

/// `atom.xml`: the dated summaries and events, newest first, with their full text. Relative
/// links inside an entry resolve against its page through `xml:base`.
pub fn atom(views: &Views<'_>, base: &str) -> String {
    // The feed carries every dated document in full: it reads `Everything`, and renders again
    // (after the reload) on any change.
    let d = &views.reads().everything().dossier;
    let summaries = d.summaries.iter().enumerate().filter_map(|(i, p)| {
        let path = paths::summary(&p.slug);
        p.meta.date.map(|date| FeedEntry {
            page: p,
            doc: DocId::Summary(i),
            date,
            page_path: path.clone(),
            path,
        })
    });
    let events = d.events.iter().enumerate().filter_map(|(i, p)| {
        p.meta.date.map(|date| FeedEntry {
            page: p,
            doc: DocId::Event(i),
            date,
            path: paths::event(&p.slug),
            page_path: paths::TIMELINE.to_string(),
        })
    });
    let mut entries: Vec<FeedEntry<'_>> = summaries.chain(events).collect();
    entries.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.page.meta.title.cmp(&b.page.meta.title))
            .then_with(|| a.path.cmp(&b.path))
    });

    let config = &d.config;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(xml, "  <title>{}</title>", escape(&config.title));
    if !config.description.is_empty() {
        let _ = writeln!(
            xml,
            "  <subtitle>{}</subtitle>",
            escape(&config.description)
        );
    }
    let _ = writeln!(
        xml,
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>",
        escape(&absolute(base, "atom.xml"))
    );
    let _ = writeln!(
        xml,
        "  <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
        escape(&absolute(base, ""))
    );
    let _ = writeln!(xml, "  <id>{}</id>", escape(&absolute(base, "")));
    // The newest entry's date, so the feed changes only when its content does.
    let updated = entries
        .first()
        .map(|e| e.date)
        .or(d.index.meta.date)
        .unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        });
    let _ = writeln!(xml, "  <updated>{}</updated>", timestamp(updated));
    let _ = writeln!(
        xml,
        "  <author><name>{}</name></author>",
        escape(&config.title)
    );
    let _ = writeln!(xml, "  <generator>dossier</generator>");
    for entry in &entries {
        let url = absolute(base, &entry.path);
        let page_url = absolute(base, &entry.page_path);
        let _ = writeln!(xml, "  <entry>");
        let _ = writeln!(xml, "    <title>{}</title>", escape(&entry.page.meta.title));
        let _ = writeln!(
            xml,
            "    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>",
            escape(&url)
        );
        let _ = writeln!(xml, "    <id>{}</id>", escape(&url));
        let _ = writeln!(xml, "    <updated>{}</updated>", timestamp(entry.date));
        if let Some(description) = &entry.page.meta.description {
            let _ = writeln!(xml, "    <summary>{}</summary>", escape(description));
        }
        for term in &entry.page.meta.terms {
            let _ = writeln!(
                xml,
                "    <category term=\"{}\" label=\"{}\"/>",
                escape(&term.taxonomy),
                escape(&term.term)
            );
        }
        let html = views.document_html(entry.doc, &root_for(&entry.page_path));
        let _ = writeln!(
            xml,
            "    <content type=\"html\" xml:base=\"{}\">{}</content>",
            escape(&page_url),
            escape(&html)
        );
        let _ = writeln!(xml, "  </entry>");
    }
    xml.push_str("</feed>\n");
    xml
}

/// The sitemap files: `sitemap.xml` listing `pages` (paths relative to the root), or, beyond
/// [`SITEMAP_LIMIT`], `sitemap.xml` as an index of `sitemap-1.xml`, `sitemap-2.xml`, ….
pub fn sitemaps(pages: &[String], base: &str) -> Vec<(String, String)> {
    let urlset = |chunk: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for page in chunk {
            let _ = writeln!(
                xml,
                "  <url><loc>{}</loc></url>",
                escape(&absolute(base, page))
            );
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if pages.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".into(), urlset(pages))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in pages.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            escape(&absolute(base, &name))
        );
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
}

/// `robots.txt`: everything may be crawled; the sitemap is named.
pub fn robots(base: &str) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        absolute(base, "sitemap.xml")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_urls_join_with_one_slash() {
        assert_eq!(
            absolute("https://e.org/llama", "sources/a/"),
            "https://e.org/llama/sources/a/"
        );
        assert_eq!(absolute("https://e.org/llama/", ""), "https://e.org/llama/");
        assert_eq!(absolute("", "atom.xml"), "/atom.xml");
    }

    #[test]
    fn large_sitemaps_become_an_index() {
        let pages: Vec<String> = (0..SITEMAP_LIMIT + 1).map(|i| format!("p{i}/")).collect();
        let files = sitemaps(&pages, "https://e.org");
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        assert!(
            files[0].1.contains("<sitemapindex")
                && files[0].1.contains("https://e.org/sitemap-2.xml")
        );
        assert_eq!(files[2].1.matches("<url>").count(), 1);
        let small = sitemaps(&pages[..2], "https://e.org");
        assert_eq!(small.len(), 1);
        assert!(small[0].1.contains("<loc>https://e.org/p1/</loc>"));
    }
}
