//! Hostile input that once took time growing faster than the text (issue 21): each runs
//! `check` on a dossier built around it, within a bound generous enough for a loaded debug
//! machine yet far below what the quadratic code took, and checks what is reported. The
//! notes a run owes the author (a static file replacing a page, `raw_html = true`) too.

mod common;

use std::time::{Duration, Instant};

use common::{Dossier, stderr};

/// A dossier of one source (`a`, with `source_text`) and one summary (`s`, with `body`),
/// the brief citing the source.
fn dossier_with(source_text: &str, body: &str) -> Dossier {
    let dossier = Dossier::harbour();
    for dir in ["content/sources", "content/summaries", "content/events"] {
        std::fs::remove_dir_all(dossier.root.join(dir)).expect("remove");
    }
    dossier.write(
        "content/_index.md",
        "+++\ntitle = \"Brief\"\n+++\n\nSee [the source](src:a).\n",
    );
    dossier.write("content/sources/a.txt", source_text);
    dossier.write(
        "content/sources/a.toml",
        "title = \"A\"\nkind = \"article\"\npublished = 2024-01-01\n",
    );
    dossier.write(
        "content/summaries/s.md",
        &format!("+++\ntitle = \"S\"\ndate = 2024-01-02\n+++\n\n{body}"),
    );
    dossier
}

/// Run `args` in `dossier`, failing if it takes longer than `bound`.
fn run_within(dossier: &Dossier, args: &[&str], bound: Duration) -> std::process::Output {
    let started = Instant::now();
    let out = dossier.run(args);
    let took = started.elapsed();
    assert!(
        took < bound,
        "`dossier {}` took {took:?}, over {bound:?}",
        args.join(" ")
    );
    out
}

#[test]
fn a_url_followed_by_100000_closing_brackets_builds_in_linear_time() {
    // Each `)` trimmed used to count every bracket of the URL again: 22 s in release.
    let text = format!("See https://a.org/x{}\n", ")".repeat(100_000));
    let dossier = dossier_with(&text, "Plain.\n");
    let out = run_within(&dossier, &["build"], Duration::from_secs(20));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(dossier.public().join("sources/a/index.html"))
        .expect("source page");
    assert!(
        page.contains("href=\"https://a.org/x\""),
        "the URL is linked without the brackets"
    );
}

#[test]
fn forty_thousand_urls_in_one_paragraph_build_in_linear_time() {
    // Each piece of the paragraph looked for its URL among all of them: 2.6 s in release.
    let text: Vec<String> = (0..40_000).map(|i| format!("https://a.org/{i}")).collect();
    let dossier = dossier_with(&(text.join(" ") + "\n"), "Plain.\n");
    let out = run_within(&dossier, &["build"], Duration::from_secs(30));
    assert!(out.status.success(), "{}", stderr(&out));
    let page = std::fs::read_to_string(dossier.public().join("sources/a/index.html"))
        .expect("source page");
    assert_eq!(page.matches("<a href=\"https://a.org/").count(), 40_000);
    assert!(page.contains("<a href=\"https://a.org/39999\""));
}

/// The diagnostics of `dossier check` on `count` broken links, one per line or all on one.
fn check_broken_links(count: usize, one_line: bool) -> String {
    let links: Vec<String> = (0..count).map(|i| format!("[x](src:nope{i})")).collect();
    let body = if one_line {
        links.join(" ") + "\n"
    } else {
        links.iter().map(|l| format!("Line {l}.\n\n")).collect()
    };
    let dossier = dossier_with("Plain.\n", &body);
    let out = run_within(&dossier, &["check"], Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("error: no source with id"))
            .count(),
        count,
        "every broken link is reported"
    );
    err
}

#[test]
fn twenty_thousand_broken_links_in_one_file_are_located_in_linear_time() {
    // Each error's line was counted from the start of the file: 5.8 s for 20,000 in release.
    let err = check_broken_links(20_000, false);
    // Line 1 is `+++`; the body starts on line 6 and each link takes two lines.
    assert!(
        err.contains("--> content/summaries/s.md:6:6\n"),
        "{}",
        &err[..2000.min(err.len())]
    );
    let last = 6 + 2 * 19_999;
    assert!(
        err.contains(&format!("--> content/summaries/s.md:{last}:6\n")),
        "the last error is on line {last}"
    );
}

#[test]
fn broken_links_on_one_long_line_are_shown_cut_around_their_column() {
    let err = check_broken_links(10_000, true);
    let link = "[x](src:nope9000)";
    let column = {
        let before: usize = (0..9000).map(|i| format!("[x](src:nope{i}) ").len()).sum();
        before + 1
    };
    let block: Vec<&str> = err
        .split("error: ")
        .find(|b| b.starts_with("no source with id `nope9000`"))
        .expect("the error of link 9000")
        .lines()
        .collect();
    assert!(
        block
            .iter()
            .any(|l| l.ends_with(&format!("s.md:6:{column}"))),
        "{block:#?}"
    );
    let excerpt = block
        .iter()
        .find(|l| l.starts_with("6 | "))
        .expect("the excerpt");
    assert!(excerpt.chars().count() < 140, "the line is cut: {excerpt}");
    assert!(
        excerpt.starts_with("6 | …") && excerpt.ends_with('…'),
        "{excerpt}"
    );
    let caret = block
        .iter()
        .find(|l| l.trim_end().ends_with('^'))
        .expect("caret");
    assert_eq!(
        excerpt.find(link).map(|i| excerpt[..i].chars().count()),
        Some(caret.chars().count() - 1),
        "the caret is under the link:\n{excerpt}\n{caret}"
    );
}

#[test]
fn a_static_file_over_a_generated_page_is_a_warning_unless_listed() {
    let dossier = Dossier::harbour();
    dossier.write("static/sources/courier-report/index.html", "<p>mine</p>");
    for command in ["check", "build"] {
        let out = dossier.run(&[command]);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains(
                "warning: static file `sources/courier-report/index.html` replaces the page `sources/courier-report/`"
            ),
            "{command}: {err}"
        );
        assert!(
            err.contains("--> static/sources/courier-report/index.html"),
            "{err}"
        );
    }
    let page = std::fs::read_to_string(dossier.public().join("sources/courier-report/index.html"))
        .expect("page");
    assert_eq!(page, "<p>mine</p>", "the static file still wins");

    let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("site.toml");
    let listed = config.replacen(
        "language = \"en\"\n",
        "language = \"en\"\nstatic_overrides = [\"sources/courier-report/index.html\", \"robots.txt\"]\n",
        1,
    );
    dossier.write("site.toml", &listed);
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        !err.contains("replaces the page"),
        "a listed override is not warned of: {err}"
    );
    // `robots.txt` is listed, but nothing replaces it: a stale entry, at its place.
    assert!(
        err.contains("warning: static_overrides lists `robots.txt`, but no static file replaces a generated page there"),
        "{err}"
    );
    assert!(err.contains("--> site.toml:5:"), "{err}");
}

#[test]
fn raw_html_is_noted_once_at_its_key() {
    let dossier = Dossier::harbour();
    let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("site.toml");
    dossier.write(
        "site.toml",
        &format!("{config}\n[markdown]\nraw_html = true\n"),
    );
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let notes: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("raw_html = true"))
        .collect();
    assert_eq!(notes.len(), 2, "one warning and its excerpt: {err}");
    assert!(
        err.contains("<script> elements and event handlers included"),
        "{err}"
    );
    let line = config.lines().count() + 3;
    assert!(err.contains(&format!("--> site.toml:{line}:1")), "{err}");
}
