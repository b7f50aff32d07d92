//! Building healthy dossiers: the pages of the contract, their structure, links that resolve
//! under any sub-path, and byte-identical output.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{Dossier, Site, select, snapshot, stderr, text_of};

#[test]
fn builds_every_page_of_the_contract() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    for page in [
        "index.html",
        "timeline/index.html",
        "sources/index.html",
        "sources/council-release/index.html",
        "sources/courier-report/index.html",
        "sources/committee-minutes/index.html",
        "summaries/index.html",
        "summaries/cost-overrun/index.html",
        "people/index.html",
        "people/mara-ellison/index.html",
        "issues/index.html",
        "issues/survey-age/index.html",
        "404.html",
        "style.css",
        "highlight.css",
    ] {
        assert!(site.dir.join(page).is_file(), "missing {page}");
    }
    assert!(
        !site.dir.join("summaries/open-questions").exists(),
        "a draft was published"
    );
}

#[test]
fn two_builds_are_byte_identical() {
    let dossier = Dossier::harbour();
    let first = snapshot(&dossier.build().dir);
    let second = snapshot(&dossier.build().dir);
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    assert!(first == second, "two builds of the same input differ");
}

#[test]
fn shipped_dossier_builds_and_every_link_resolves() {
    let dossier = Dossier::shipped();
    let out = dossier.run(&["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "the shipped dossier has warnings:\n{}",
        stderr(&out)
    );
    assert_links_resolve(&dossier.site());
}

#[test]
fn every_internal_link_and_anchor_resolves_and_is_relative() {
    let dossier = Dossier::harbour();
    assert_links_resolve(&dossier.build());
}

/// Follow every `href` and `src` of every page: internal ones must be relative (so the site
/// works under a sub-path), must reach a file, and their `#fragment` must be an id there.
fn assert_links_resolve(site: &Site<'_>) {
    let pages: BTreeMap<String, scraper::Html> = snapshot(&site.dir)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| {
            let rel = p.to_string_lossy().replace('\\', "/");
            (
                rel,
                scraper::Html::parse_document(&String::from_utf8_lossy(&bytes)),
            )
        })
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(p, html)| {
            let ids = select(html, "[id]")
                .iter()
                .filter_map(|e| e.value().attr("id").map(str::to_string))
                .collect();
            (p.as_str(), ids)
        })
        .collect();
    let mut checked = 0;
    for (page, html) in &pages {
        for el in select(html, "[href], [src]") {
            let url = el
                .value()
                .attr("href")
                .or_else(|| el.value().attr("src"))
                .unwrap_or_default();
            if url.starts_with("http://")
                || url.starts_with("https://")
                || url.starts_with("mailto:")
            {
                continue;
            }
            if page == "404.html" {
                // Served at any depth, so it links from the site root's path.
                assert!(
                    url.starts_with('/') || url.starts_with('#'),
                    "404 link {url}"
                );
                continue;
            }
            assert!(
                !url.starts_with('/'),
                "{page}: absolute link {url} breaks under a sub-path"
            );
            assert!(
                !url.contains("src:") && !url.contains("summary:") && !url.contains("event:"),
                "{page}: unresolved {url}"
            );
            let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
            let target = if path.is_empty() {
                page.clone()
            } else {
                let base = Path::new(page).parent().unwrap_or(Path::new(""));
                let mut parts: Vec<String> = Vec::new();
                for part in base.join(path).components() {
                    match part {
                        std::path::Component::ParentDir => {
                            assert!(
                                parts.pop().is_some(),
                                "{page}: {url} climbs above the site root"
                            );
                        }
                        std::path::Component::Normal(p) => {
                            parts.push(p.to_string_lossy().into_owned())
                        }
                        _ => {}
                    }
                }
                let joined = parts.join("/");
                if path.ends_with('/') || joined.is_empty() {
                    format!(
                        "{joined}{}index.html",
                        if joined.is_empty() { "" } else { "/" }
                    )
                } else {
                    joined
                }
            };
            assert!(
                site.dir.join(&target).is_file(),
                "{page}: {url} → {target} does not exist"
            );
            if !fragment.is_empty() {
                let target_ids = ids
                    .get(target.as_str())
                    .unwrap_or_else(|| panic!("{target} is not a page"));
                assert!(
                    target_ids.contains(fragment),
                    "{page}: {url} → no id {fragment} in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} links checked");
}

#[test]
fn source_page_numbers_paragraphs_and_highlights_quotations() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("sources/courier-report/index.html");
    let key: Vec<String> = select(&page, ".text-key").iter().map(text_of).collect();
    assert!(
        key[0].starts_with("As collected, never edited. Each number links to its paragraph;"),
        "{key:?}"
    );
    // blocks mode: wrapped lines joined, the quotation block one paragraph, bullets as items.
    let paras = select(&page, ".para");
    let numbers: Vec<String> = paras
        .iter()
        .map(|p| p.value().attr("id").unwrap_or_default().to_string())
        .collect();
    assert_eq!(numbers, vec!["p1", "p2", "p3", "p4", "p5", "p6", "p7"]);
    let p3 = select(&page, "#p3 .ptext");
    assert!(text_of(&p3[0]).starts_with("The papers show the programme was priced on a seabed survey carried out in 2019, three years"));
    let marks: Vec<String> = select(&page, "#p3 mark").iter().map(text_of).collect();
    assert_eq!(
        marks,
        vec![
            "was priced on a seabed survey carried out in 2019",
            "three years"
        ]
    );
    assert_eq!(
        select(&page, "blockquote #p4").len(),
        1,
        "a > block is a quotation"
    );
    assert_eq!(
        select(&page, "ul li#p6, ul li#p7").len(),
        2,
        "bullet lines are list items"
    );
    // Every paragraph number links to itself.
    assert_eq!(
        select(&page, "#p3 a.pnum")[0].value().attr("href"),
        Some("#p3")
    );
    // Per-paragraph and total "cited by", each naming the citing page and its sentence.
    let p3_cited: Vec<String> = select(&page, "#p3 .para-cited a")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        p3_cited.contains(&"The cost question [2]".to_string()),
        "{p3_cited:?}"
    );
    let backlinks = select(&page, ".backlinks li");
    assert_eq!(backlinks.len(), 6);
    assert!(backlinks.iter().any(|b| text_of(b).contains(
        "The Courier reports the programme \"was priced on a seabed survey carried out in 2019\", and the committee minutes record the harbour master's objection."
    )));
    // Kind, publisher, author and date head the page; the panel holds the rest.
    let header = text_of(&select(&page, ".page-header")[0]);
    for needle in [
        "Article",
        "Kestrel Bay Courier",
        "Ines Okafor",
        "14 June 2024",
    ] {
        assert!(header.contains(needle), "{needle} missing from {header}");
    }
    let meta = text_of(&select(&page, ".source-meta")[0]);
    assert!(meta.contains("89 words"), "words missing from {meta}");
}

#[test]
fn lines_mode_escapes_text_links_urls_and_drops_bom_and_crlf() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("sources/council-release/index.html");
    assert_eq!(
        select(&page, ".para").len(),
        4,
        "CRLF blank line must not count"
    );
    let link = select(&page, "#p4 .ptext a");
    assert_eq!(
        link[0].value().attr("href"),
        Some("https://kestrelbay.example.gov/news/harbour-2024")
    );
    assert_eq!(
        text_of(&link[0]),
        "https://kestrelbay.example.gov/news/harbour-2024",
        "trailing dot stays outside"
    );
    assert!(
        !site
            .text("sources/council-release/index.html")
            .contains('\r')
    );
    // The sha256 was verified and is shown.
    assert!(text_of(&select(&page, ".source-meta")[0]).contains("verified"));
}

#[test]
fn a_non_http_url_is_shown_as_text_with_a_warning() {
    let dossier = Dossier::harbour();
    let out = dossier.run(&["build"]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("warning: url `file://archive/minutes-2024-06-03.pdf` of source `committee-minutes` is not http(s)"));
    let page = dossier.site().page("sources/committee-minutes/index.html");
    let url = select(&page, ".source-meta dd.url");
    assert!(text_of(&url[0]).contains("file://archive/minutes-2024-06-03.pdf"));
    assert!(
        select(&page, ".source-meta dd.url a").is_empty(),
        "must not be a link"
    );
}

#[test]
fn summary_numbers_citations_and_notes_link_both_ways() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("summaries/cost-overrun/index.html");
    let refs = select(&page, "sup.cite-ref");
    assert_eq!(refs.len(), 5);
    for (i, r) in refs.iter().enumerate() {
        let n = i + 1;
        assert_eq!(r.value().attr("id"), Some(format!("cite-ref-{n}").as_str()));
        let note = select(&page, &format!("li#cite-{n}"));
        assert_eq!(note.len(), 1, "note {n}");
        let back = select(&page, &format!("li#cite-{n} a.backref"));
        assert_eq!(
            back[0].value().attr("href"),
            Some(format!("#cite-ref-{n}").as_str())
        );
    }
    let first = select(&page, "a.cite")[0];
    assert_eq!(
        first.value().attr("href"),
        Some("../../sources/council-release/#p3")
    );
    assert_eq!(
        text_of(&select(&page, "li#cite-1 q")[0]),
        "The additional works were unforeseeable,"
    );
    // Markdown extensions and safety.
    let html = site.text("summaries/cost-overrun/index.html");
    for needle in [
        "<table>",
        "<del>Settled</del>",
        "type=\"checkbox\"",
        "footnote-definition",
        "class=\"hl-",
    ] {
        assert!(html.contains(needle), "{needle}");
    }
    assert!(
        html.contains("Raw &lt;em&gt;HTML&lt;/em&gt; stays text"),
        "raw HTML must be escaped"
    );
    assert!(
        html.contains("{{ template.syntax }}"),
        "template syntax must not be evaluated"
    );
}

#[test]
fn timeline_groups_by_year_and_quarter_with_approximate_dates() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("timeline/index.html");
    let years: Vec<String> = select(&page, "section.year > h2")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(years, vec!["2019", "2022", "2024"]);
    let quarters: Vec<String> = select(&page, "section.quarter > h3")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(quarters, vec!["Q2 2019", "Q1 2022", "Q2 2024"]);
    let entries: Vec<String> = select(&page, "li.entry")
        .iter()
        .map(|e| e.value().attr("id").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        entries,
        vec![
            "event-survey",
            "event-contract-signed",
            "published-committee-minutes",
            "event-budget-vote",
            "published-council-release",
            "published-courier-report",
        ]
    );
    assert_eq!(
        text_of(&select(&page, "#event-survey .when")[0]),
        "Q2 2019 (approximate date)"
    );
    assert_eq!(
        text_of(&select(&page, "#event-contract-signed .when")[0]),
        "March 2022 (approximate date)"
    );
    assert_eq!(
        select(&page, "#event-contract-signed time")[0]
            .value()
            .attr("datetime"),
        Some("2022-03")
    );
    // Citation numbers run through the whole timeline page.
    let numbers: Vec<String> = select(&page, "sup.cite-ref a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(numbers, vec!["1", "2", "3"]);
    let sources: Vec<String> = select(&page, "#event-budget-vote .entry-sources a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(sources, vec!["Council approves revised harbour programme"]);
}

#[test]
fn taxonomy_matrix_shows_which_source_carries_which_term() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("issues/index.html");
    let columns: Vec<String> = select(&page, ".matrix thead th a")
        .iter()
        .map(text_of)
        .collect();
    assert_eq!(
        columns,
        vec![
            "Harbour Committee minutes, 3 June 2024",
            "Council approves revised harbour programme",
            "Dredging bill doubles as harbour work overruns"
        ]
    );
    let rows: Vec<(String, Vec<bool>)> = select(&page, ".matrix tbody tr")
        .iter()
        .map(|row| {
            let term = text_of(&select_in(row, "th")[0]);
            let cells = select_in(row, "td.yes, td.no")
                .iter()
                .map(|c| c.value().classes().any(|c| c == "yes"))
                .collect();
            (term, cells)
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("cost".into(), vec![false, true, true]),
            ("survey age".into(), vec![true, true, true])
        ]
    );
    assert_eq!(text_of(&select(&page, "h1")[0]), "Issues in dispute");
    let term = site.page("people/mara-ellison/index.html");
    let listed: Vec<String> = select(&term, ".source-table th a, .page-list a")
        .iter()
        .map(text_of)
        .collect();
    assert!(
        listed.contains(&"The cost question".to_string()),
        "{listed:?}"
    );
    assert!(
        listed.contains(&"Harbour Committee minutes, 3 June 2024".to_string()),
        "{listed:?}"
    );
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    el.select(&sel).collect()
}

#[test]
fn home_page_shows_brief_key_dates_sources_and_summaries() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("index.html");
    assert_eq!(
        text_of(&select(&page, "h1")[0]),
        "Why did the dredging contract double?"
    );
    assert_eq!(select(&page, ".key-dates li").len(), 3);
    assert_eq!(select(&page, ".source-table tbody tr").len(), 3);
    assert_eq!(select(&page, "#index-summaries + .page-list li").len(), 1);
    let links: Vec<&str> = select(&page, ".prose a.xref")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(links.contains(&"./summaries/cost-overrun/"), "{links:?}");
    assert!(
        links.contains(&"./timeline/#event-budget-vote"),
        "{links:?}"
    );
}

#[test]
fn not_found_page_links_from_the_base_url_path() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    let page = site.page("404.html");
    assert_eq!(
        select(&page, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("/kestrel/style.css")
    );
    let out = dossier.run(&["build", "--base-url", "https://other.example.net/a/b/"]);
    assert!(out.status.success());
    let page = site.page("404.html");
    assert_eq!(
        select(&page, "link[rel=stylesheet]")[0]
            .value()
            .attr("href"),
        Some("/a/b/style.css")
    );
}

#[test]
fn output_flag_is_relative_to_the_working_directory() {
    let dossier = Dossier::harbour();
    let elsewhere = tempfile::tempdir().expect("tmp");
    let mut cmd = dossier.cmd(&[]);
    cmd.current_dir(elsewhere.path())
        .args(["build", "--root"])
        .arg(&dossier.root)
        .args(["--output", "site"]);
    let out = cmd.output().expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.path().join("site/index.html").is_file());
    assert!(!dossier.public().exists());
}

#[test]
fn site_templates_and_static_files_override_the_theme() {
    let dossier = Dossier::harbour();
    dossier.write("templates/404.html", "{% extends \"base.html\" %}{% block content %}<p class=\"custom\">Lost at sea.</p>{% endblock content %}");
    dossier.write("static/style.css", "body { color: navy; }");
    dossier.write(
        "static/img/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let site = dossier.build();
    assert!(site.text("404.html").contains("Lost at sea."));
    assert_eq!(site.text("style.css"), "body { color: navy; }");
    assert!(site.dir.join("img/logo.svg").is_file());
}

#[test]
fn a_theme_folder_on_disk_replaces_the_built_in_theme() {
    let dossier = Dossier::harbour();
    let repo_theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/briefing");
    common::copy_tree(&repo_theme, &dossier.root.join("themes/plain"));
    dossier.write(
        "themes/plain/templates/summaries.html",
        "{% extends \"base.html\" %}{% block content %}<p>Plain list</p>{% endblock content %}",
    );
    let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("read");
    dossier.write(
        "site.toml",
        &config.replacen(
            "language = \"en\"",
            "language = \"en\"\ntheme = \"plain\"",
            1,
        ),
    );
    let site = dossier.build();
    assert!(site.text("summaries/index.html").contains("Plain list"));
}

#[test]
fn a_template_error_names_the_template_line_and_the_page() {
    let dossier = Dossier::harbour();
    dossier.build();
    let before = snapshot(&dossier.public());
    // One mistake found when the templates are compiled, one only when a page is rendered.
    for (template, text) in [
        ("summary.html", "{{ page.title | no_such_filter }}"),
        ("source.html", "{{ page.no_such_field.deeper }}"),
    ] {
        dossier.write(
            &format!("templates/{template}"),
            &format!("{{% extends \"base.html\" %}}\n{{% block content %}}\n{text}\n{{% endblock content %}}\n"),
        );
        let out = dossier.run(&["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!("--> templates/{template}:3:")),
            "{err}"
        );
        assert!(err.contains("template error"), "{err}");
        assert_eq!(
            snapshot(&dossier.public()),
            before,
            "a failed build must leave the previous output as it was"
        );
        std::fs::remove_file(dossier.root.join("templates").join(template)).expect("remove");
    }
}

#[test]
fn check_verifies_without_writing() {
    let dossier = Dossier::harbour();
    let out = dossier.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("Checked 3 sources, 1 summary, 3 events and 13 citations")
    );
    assert!(!dossier.public().exists());
}

#[test]
fn a_source_nobody_cites_is_a_warning_not_an_error() {
    let dossier = Dossier::harbour();
    dossier.write(
        "content/sources/tender-notice.txt",
        "Tender notice: harbour dredging, March 2022.\n",
    );
    dossier.write(
        "content/sources/tender-notice.toml",
        "title = \"Tender notice\"\nkind = \"other\"\n",
    );
    let out = dossier.run(&["check"]);
    assert!(out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("warning: source `tender-notice` is never cited"),
        "{err}"
    );
    assert!(
        err.contains("--> content/sources/tender-notice.toml:1:1"),
        "{err}"
    );
}

#[test]
fn a_matrix_whose_terms_are_only_on_summaries_says_why_it_has_no_source_columns() {
    let dossier = Dossier::harbour();
    // Take every term off the sources: only the summary keeps its terms.
    for id in ["council-release", "courier-report", "committee-minutes"] {
        let path = dossier.root.join(format!("content/sources/{id}.toml"));
        let text = std::fs::read_to_string(&path).expect("sidecar");
        let kept = text.split("[taxonomies]").next().expect("text").to_string();
        dossier.write(&format!("content/sources/{id}.toml"), &kept);
    }
    let site = dossier.build();
    let page = site.page("issues/index.html");
    let help = text_of(&select(&page, ".matrix-help")[0]);
    assert!(help.contains("No source carries these terms yet"), "{help}");
    assert!(
        !help.contains('●'),
        "a legend about dots where there are none: {help}"
    );
    assert!(select(&page, ".source-col").is_empty());
}
