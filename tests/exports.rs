//! The graph page and the open-format exports (docs/exports.md): the drawing is the same bytes
//! every time and stays bounded however many sources there are; graph.json places every
//! citation at its link; annotations select the quoted words; JSON-LD in a page's head cannot
//! be closed by content, however hostile.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use common::{Dossier, select};
use dossier::render::graph::{self, CitationGraph, MAX_PAGES, MAX_SOURCES, Node, NodeKind};

/// A citation graph of `sources` sources and `pages` pages, page p citing sources
/// (p * 7 + k * 13) % sources for k < 17: uneven, so the cap has to choose.
fn synthetic(sources: usize, pages: usize) -> CitationGraph {
    let node = |kind, title: String, path: String| Node {
        kind,
        title,
        path,
        grade: None,
    };
    let mut edges = BTreeMap::new();
    for p in 0..pages {
        for k in 0..17 {
            *edges
                .entry((p, (p * 7 + k * 13 + k * k) % sources))
                .or_insert(0) += 1;
        }
    }
    CitationGraph {
        sources: (0..sources)
            .map(|i| {
                node(
                    NodeKind::Source,
                    format!("Source {i}"),
                    format!("sources/s{i}/"),
                )
            })
            .collect(),
        pages: (0..pages)
            .map(|i| {
                node(
                    NodeKind::Summary,
                    format!("Summary {i}"),
                    format!("summaries/p{i}/"),
                )
            })
            .collect(),
        edges,
    }
}

#[test]
fn the_drawing_is_the_same_bytes_every_time() {
    let whole = synthetic(500, 120);
    let first = graph::svg(
        &graph::bound(&whole, MAX_SOURCES, MAX_PAGES),
        "../",
        ("sources/", "summaries/"),
    );
    let second = graph::svg(
        &graph::bound(&whole.clone(), MAX_SOURCES, MAX_PAGES),
        "../",
        ("sources/", "summaries/"),
    );
    assert_eq!(first, second);
    // And through a whole build: the graph page of two builds is byte-identical.
    let dossier = Dossier::shipped();
    let one = dossier.build().text("graph/index.html");
    let two = dossier.build().text("graph/index.html");
    assert_eq!(one, two);
    assert!(
        one.contains("<svg class=\"graph-svg\""),
        "the graph page has no drawing"
    );
    assert!(!one.contains("<script"), "the graph page uses no script");
}

#[test]
fn ten_thousand_sources_stay_a_bounded_drawing_that_says_so() {
    let whole = synthetic(10_000, 1_000);
    let started = std::time::Instant::now();
    let bounded = graph::bound(&whole, MAX_SOURCES, MAX_PAGES);
    let svg = graph::svg(&bounded, "../", ("sources/", "summaries/"));
    let took = started.elapsed();
    // Every source and page is there, shown or gathered; every citation is counted.
    assert_eq!(bounded.sources.len(), MAX_SOURCES + 1);
    assert_eq!(bounded.pages.len(), MAX_PAGES + 1);
    assert_eq!(bounded.hidden_sources, 10_000 - MAX_SOURCES);
    let total: u32 = whole.edges.values().sum();
    assert_eq!(bounded.edges.values().sum::<u32>(), total);
    assert_eq!(
        bounded.sources.iter().map(|s| s.citations).sum::<u32>(),
        total
    );
    assert!(
        svg.contains("9,960 more sources"),
        "the aggregate is not named"
    );
    assert!(
        svg.contains("960 more pages"),
        "the page aggregate is not named"
    );
    assert_eq!(svg.matches("<a href=").count(), MAX_SOURCES + MAX_PAGES + 2);
    assert!(svg.len() < 120_000, "the drawing is {} bytes", svg.len());
    assert!(took.as_secs() < 5, "bounding 10,000 sources took {took:?}");
}

/// A dossier of `n` sources, each cited once by one of `n / 4` summaries.
fn many_sources(n: usize) -> Dossier {
    let dossier = Dossier::harbour();
    for i in 0..n {
        dossier.write(
            &format!("content/sources/gen-{i:03}.txt"),
            &format!("Generated source number {i}.\nIts second paragraph.\n"),
        );
        dossier.write(
            &format!("content/sources/gen-{i:03}.toml"),
            &format!("title = \"Generated {i}\"\nkind = \"other\"\n"),
        );
    }
    for s in 0..n / 4 {
        let mut body = format!("+++\ntitle = \"Generated summary {s}\"\n+++\n\n");
        for i in (s * 4)..(s * 4 + 4) {
            let _ = writeln!(
                body,
                "See [source {i}](src:gen-{i:03}#p2), [\"Generated source number {i}\"](src:gen-{i:03})."
            );
        }
        dossier.write(&format!("content/summaries/gen-{s:03}.md"), &body);
    }
    dossier
}

#[test]
fn the_graph_page_caps_a_large_dossier_and_the_exports_keep_everything() {
    let n = MAX_SOURCES + 20;
    let dossier = many_sources(n);
    let site = dossier.build();
    let page = site.page("graph/index.html");
    let note = select(&page, ".graph-bound");
    assert_eq!(note.len(), 1, "the page does not say it is bounded");
    let svg = site.text("graph/index.html");
    assert!(svg.contains("more sources"), "no aggregate node");
    // The table shows what the drawing shows: the sources drawn and the aggregate.
    assert_eq!(
        select(&page, ".graph-table tbody tr").len(),
        MAX_SOURCES + 1
    );
    let graph: serde_json::Value =
        serde_json::from_str(&site.text("graph.json")).expect("graph.json");
    assert_eq!(graph["version"], 1);
    assert_eq!(graph["sources"].as_array().map(Vec::len), Some(n + 3));
    let csl: serde_json::Value =
        serde_json::from_str(&site.text("sources.json")).expect("sources.json");
    assert_eq!(csl.as_array().map(Vec::len), Some(n + 3));
}

#[test]
fn graph_json_places_each_citation_at_its_link() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let graph: serde_json::Value =
        serde_json::from_str(&site.text("graph.json")).expect("graph.json");
    let files: BTreeMap<String, String> = graph["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| {
            (
                p["id"]
                    .as_str()
                    .expect("present in what the build wrote")
                    .to_string(),
                p["file"]
                    .as_str()
                    .expect("present in what the build wrote")
                    .to_string(),
            )
        })
        .collect();
    let citations = graph["citations"].as_array().expect("citations");
    assert!(!citations.is_empty());
    for c in citations {
        let file = &files[c["page"].as_str().expect("present in what the build wrote")];
        let text = std::fs::read_to_string(dossier.root.join(file)).expect("citing file");
        let line_start: usize = text
            .split_inclusive('\n')
            .take(c["line"].as_u64().expect("present in what the build wrote") as usize - 1)
            .map(str::len)
            .sum();
        let column = c["column"]
            .as_u64()
            .expect("present in what the build wrote") as usize
            - 1;
        // The link from its `[` on (its text may run over several lines).
        let rest: String = text[line_start..].chars().skip(column).collect();
        assert!(
            rest.starts_with('['),
            "{c} does not point at a link: {rest:.60}"
        );
        let destination = &rest[rest.find("](").expect("a link") + 2..];
        let target = format!(
            "src:{}",
            c["source"]
                .as_str()
                .expect("present in what the build wrote")
        );
        assert!(
            destination.starts_with(&target),
            "{c}: the link there is not to its source: {rest:.80}"
        );
    }
}

#[test]
fn annotations_select_the_quoted_words_in_the_shown_text() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let graph: serde_json::Value =
        serde_json::from_str(&site.text("graph.json")).expect("graph.json");
    let annotations: serde_json::Value =
        serde_json::from_str(&site.text("annotations.jsonld")).expect("annotations");
    let items = annotations["first"]["items"].as_array().expect("items");
    let quotes = graph["citations"]
        .as_array()
        .expect("present in what the build wrote")
        .iter()
        .filter(|c| !c["quote"].is_null())
        .count();
    assert!(quotes > 0);
    assert_eq!(items.len(), quotes);
    for item in items {
        let target = &item["target"];
        let id = target["source"]
            .as_str()
            .expect("present in what the build wrote")
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .expect("present in what the build wrote");
        let page = site.page(&format!("sources/{id}/index.html"));
        let shown: Vec<char> = select(&page, ".source-text .ptext")
            .iter()
            .map(|p| p.text().collect::<String>())
            .collect::<Vec<_>>()
            .join("\n")
            .chars()
            .collect();
        let quote = &target["selector"][0];
        let position = &target["selector"][1];
        let (start, end) = (
            position["start"]
                .as_u64()
                .expect("present in what the build wrote") as usize,
            position["end"]
                .as_u64()
                .expect("present in what the build wrote") as usize,
        );
        let at: String = shown[start..end].iter().collect();
        assert_eq!(
            at,
            quote["exact"]
                .as_str()
                .expect("present in what the build wrote"),
            "{item}"
        );
        let prefix: Vec<char> = quote["prefix"]
            .as_str()
            .expect("present in what the build wrote")
            .chars()
            .collect();
        assert_eq!(shown[start - prefix.len()..start], prefix[..], "{item}");
    }
}

const HOSTILE: &str = "</script><script>alert(1)</script> & <!-- \u{2028}";

#[test]
fn json_ld_in_the_head_cannot_be_closed_by_content() {
    let dossier = Dossier::harbour();
    let sidecar =
        std::fs::read_to_string(dossier.root.join("content/sources/council-release.toml"))
            .expect("present in what the build wrote");
    let sidecar = sidecar.replacen(
        "title = \"Council approves revised harbour programme\"",
        &format!("title = {}", toml_string(HOSTILE)),
        1,
    );
    dossier.write("content/sources/council-release.toml", &sidecar);
    let summary = std::fs::read_to_string(dossier.root.join("content/summaries/cost-overrun.md"))
        .expect("present in what the build wrote");
    let title_line = summary
        .lines()
        .find(|l| l.starts_with("title ="))
        .expect("present in what the build wrote")
        .to_string();
    dossier.write(
        "content/summaries/cost-overrun.md",
        &summary.replacen(&title_line, &format!("title = {}", toml_string(HOSTILE)), 1),
    );
    let site = dossier.build();
    for (page, ty) in [
        ("sources/council-release/index.html", "NewsArticle"),
        ("summaries/cost-overrun/index.html", "Article"),
    ] {
        let html = site.text(page);
        let start = html
            .find("<script type=\"application/ld+json\">")
            .expect("a JSON-LD block")
            + 35;
        let end = start + html[start..].find("</script>").expect("closed");
        let json = &html[start..end];
        assert!(
            !json.contains(['<', '>', '&', '\u{2028}']),
            "{page}: raw markup in JSON-LD: {json}"
        );
        let value: serde_json::Value = serde_json::from_str(json).expect("JSON-LD parses");
        assert_eq!(value["@type"], ty, "{page}");
        assert_eq!(
            value["name"], HOSTILE,
            "{page}: the title did not survive escaping"
        );
        // The page's own parse agrees: exactly one script element, the JSON-LD.
        let parsed = site.page(page);
        assert_eq!(
            select(&parsed, "script[type=\"application/ld+json\"]").len(),
            1,
            "{page}"
        );
        assert!(
            select(&parsed, "script:not([src]):not([type])").is_empty(),
            "{page}: an inline script appeared"
        );
    }
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[test]
fn key_judgments_are_drawn_beside_their_page_without_adding_to_citations() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let graph: serde_json::Value =
        serde_json::from_str(&site.text("graph.json")).expect("graph.json");
    let judgments = graph["judgments"].as_array().expect("judgments");
    let resting: Vec<&serde_json::Value> = judgments
        .iter()
        .filter(|j| j["sources"].as_array().is_some_and(|s| !s.is_empty()))
        .collect();
    assert!(resting.len() >= 2, "the shipped brief has key judgments");
    let page = site.page("graph/index.html");
    let drawn = select(&page, "svg a.node.judgment");
    assert_eq!(drawn.len(), resting.len(), "one diamond per judgment");
    let brief = site.text("index.html");
    let polygon = scraper::Selector::parse("polygon").expect("a selector");
    let mut linked: Vec<String> = drawn
        .iter()
        .map(|node| {
            assert!(node.select(&polygon).next().is_some(), "not a diamond");
            let href = node.value().attr("href").expect("a link");
            let (page, id) = href.split_once("#judgment-").expect("a judgment anchor");
            assert_eq!(page, "../", "the shipped judgments stand in the brief");
            assert!(
                brief.contains(&format!("id=\"judgment-{id}\"")),
                "no anchor {id}"
            );
            id.to_string()
        })
        .collect();
    let mut expected: Vec<String> = resting
        .iter()
        .map(|j| j["id"].as_str().expect("an id").to_string())
        .collect();
    linked.sort();
    expected.sort();
    assert_eq!(
        linked, expected,
        "every judgment resting on a source, drawn once"
    );
    // A source's count in the drawing is its citations, not its citations and judgments.
    let mut cited: BTreeMap<String, usize> = BTreeMap::new();
    for c in graph["citations"].as_array().expect("citations") {
        *cited
            .entry(c["source"].as_str().expect("a source").to_string())
            .or_default() += 1;
    }
    let tooltip = scraper::Selector::parse("title").expect("a selector");
    for source in select(&page, "svg a.node.source") {
        let href = source.value().attr("href").expect("a link");
        let id = href.trim_start_matches("../sources/").trim_end_matches('/');
        let title = common::text_of(&source.select(&tooltip).next().expect("a tooltip"));
        let n = cited.get(id).copied().unwrap_or(0);
        let s = if n == 1 { "" } else { "s" };
        assert!(
            title.ends_with(&format!("— {n} citation{s}")),
            "{id}: tooltip {title:?}, graph.json counts {n}"
        );
    }
    // The table lists the judgments among the pages citing a source.
    assert!(site.text("graph/index.html").contains("Judgment: "));
}
