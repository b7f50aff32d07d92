//! The machine-readable files: the Atom feed parses with a real feed parser and every entry
//! leads to a page that exists; the sitemap lists every page; robots.txt names the sitemap.

mod common;

use common::{Dossier, stderr};

/// The site path an absolute URL of the harbour dossier leads to: `sources/x/index.html`.
fn file_of(url: &str) -> String {
    let path = url
        .strip_prefix("https://briefs.example.org/kestrel/")
        .unwrap_or_else(|| panic!("{url} is not under base_url"));
    let path = path.split('#').next().unwrap_or_default();
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

#[test]
fn the_feed_is_valid_atom_and_every_entry_exists() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let xml = site.text("atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("atom.xml parses");
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
    assert_eq!(
        feed.title.map(|t| t.content).as_deref(),
        Some("The Kestrel Bay dredging contract")
    );
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    // Dated summaries and events, newest first.
    assert_eq!(
        titles,
        vec![
            "The cost question",
            "Council approves the revised budget",
            "Dredging contract signed",
            "Seabed survey carried out"
        ]
    );
    for entry in &feed.entries {
        let link = entry.links.first().expect("each entry links to its page");
        assert!(
            site.dir.join(file_of(&link.href)).is_file(),
            "{} leads nowhere",
            link.href
        );
        let content = entry
            .content
            .as_ref()
            .and_then(|c| c.body.as_deref())
            .expect("full text");
        assert!(!content.is_empty());
    }
    // Relative links in the content resolve against each entry's page.
    assert!(
        xml.contains("xml:base=\"https://briefs.example.org/kestrel/summaries/cost-overrun/\"")
    );
    assert!(xml.contains("href=&quot;../../sources/council-release/#p3&quot;"));
}

#[test]
fn the_sitemap_lists_every_page_and_robots_names_it() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let sitemap = site.text("sitemap.xml");
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    let listed: std::collections::BTreeSet<String> = locs.iter().map(|u| file_of(u)).collect();
    let pages: std::collections::BTreeSet<String> = common::snapshot(&site.dir)
        .into_keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| p.ends_with(".html") && p != "404.html")
        .collect();
    assert_eq!(listed, pages);
    assert_eq!(
        site.text("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://briefs.example.org/kestrel/sitemap.xml\n"
    );
}

#[test]
fn a_static_file_replaces_a_generated_one() {
    let dossier = Dossier::harbour();
    dossier.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    let site = dossier.build();
    assert_eq!(site.text("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn without_base_url_there_is_a_warning() {
    let dossier = Dossier::harbour();
    let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("read");
    dossier.write(
        "site.toml",
        &config.replace("base_url = \"https://briefs.example.org/kestrel\"\n", ""),
    );
    let out = dossier.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("warning: no base_url"),
        "{}",
        stderr(&out)
    );
    assert!(dossier.site().text("atom.xml").contains("<id>/</id>"));
}

#[test]
fn control_characters_in_titles_leave_the_feed_well_formed_and_the_html_clean() {
    let dossier = Dossier::harbour();
    // TOML escapes put control characters in the title, description and a term; the body
    // holds them raw.
    dossier.write(
        "content/summaries/noisy.md",
        "+++\ntitle = \"Bell\\u0007 and \\u001b]0;title\\u0007 escape\"\ndescription = \"Form\\u000cfeed \\u009b C1\"\ndate = 2024-07-01\n[taxonomies]\npeople = [\"Noisy\\u0008 Person\"]\n+++\n\nRaw \u{7} bell and \u{1b}[2J in [the minutes](src:committee-minutes#p1).\n",
    );
    let site = dossier.build();
    let xml = site.text("atom.xml");
    let bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    assert!(!xml.chars().any(bad), "control characters in atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("atom.xml parses");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles.contains(&"Bell and ]0;title escape".to_string()),
        "{titles:?}"
    );
    let html = site.text("summaries/noisy/index.html");
    assert!(!html.chars().any(bad), "control characters in the page");
    assert!(html.contains("Bell and ]0;title escape"));
}
