//! Broken dossiers: each case under tests/fixtures/broken is one mistake applied to the healthy
//! harbour dossier. The build must fail with status 1, report the exact `path:line:col` and
//! message (and hint) of its `expected` file, and leave the previous output untouched.

mod common;

use common::{Dossier, select, snapshot, stderr, text_of};

/// Build the healthy dossier, break it with `case`, build again: the failure must say what
/// `expected` says, and the first build's output must survive byte for byte. `check` must
/// report the same.
fn assert_broken(case: &str) {
    let dossier = Dossier::harbour();
    dossier.build();
    let before = snapshot(&dossier.public());
    let expected = dossier.break_with(case);

    for command in ["build", "check"] {
        let out = dossier.run(&[command]);
        let err = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{case}: `{command}` should exit 1:\n{err}"
        );
        let blocks = diagnostic_blocks(&err);
        for group in expected_groups(&expected) {
            assert!(
                blocks.iter().any(|block| contains_all(block, &group)),
                "{case}: `{command}` output has no one diagnostic with {group:?}:\n{err}"
            );
        }
    }
    assert_eq!(
        snapshot(&dossier.public()),
        before,
        "{case}: the previous output changed"
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dossier.root)
        .expect("readable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "{case}: staging folders left behind: {leftovers:?}"
    );
}

/// Whether a line opens a diagnostic (`error: …`, `warning: …`).
fn opens_diagnostic(line: &str) -> bool {
    line.starts_with("error:") || line.starts_with("warning:")
}

/// The diagnostics of a run's output, each its lines from `error:` or `warning:` up to the next.
fn diagnostic_blocks(err: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in err.lines() {
        match blocks.last_mut() {
            Some(block) if !opens_diagnostic(line) => block.push(line),
            _ => blocks.push(vec![line]),
        }
    }
    blocks
}

/// The lines of an `expected` file, grouped by the diagnostic they describe: a message, a
/// location and hints, in any order; a group ends where a second message or location begins.
fn expected_groups(expected: &[String]) -> Vec<Vec<&str>> {
    let mut groups: Vec<Vec<&str>> = Vec::new();
    for line in expected.iter().map(String::as_str) {
        let kind = |l: &str| {
            if opens_diagnostic(l) {
                Some(true)
            } else if l.starts_with("-->") {
                Some(false)
            } else {
                None
            }
        };
        let opens = kind(line).is_some_and(|k| {
            groups
                .last()
                .is_some_and(|g| g.iter().any(|l| kind(l) == Some(k)))
        });
        match groups.last_mut() {
            Some(group) if !opens => group.push(line),
            _ => groups.push(vec![line]),
        }
    }
    groups
}

/// Whether every expected line is found in the block.
fn contains_all(block: &[&str], expected: &[&str]) -> bool {
    expected
        .iter()
        .all(|want| block.iter().any(|line| line.contains(want)))
}

#[test]
fn expected_lines_must_all_be_in_one_diagnostic() {
    let err = "error: first\n  --> a.md:1:1\n  = help: one\nerror: second\n  --> b.md:2:2\n";
    let blocks = diagnostic_blocks(err);
    let split = ["error: first", "--> b.md:2:2"].map(String::from);
    let groups = expected_groups(&split);
    assert!(
        !groups
            .iter()
            .all(|g| blocks.iter().any(|b| contains_all(b, g))),
        "lines of two diagnostics must not pass as one"
    );
    let whole = ["error: second", "--> b.md:2:2"].map(String::from);
    assert!(
        expected_groups(&whole)
            .iter()
            .all(|g| blocks.iter().any(|b| contains_all(b, g)))
    );
}

#[test]
fn missing_id_reports_location_and_nearest_id() {
    assert_broken("missing-id");
}

#[test]
fn paragraph_out_of_range_reports_the_paragraph_count() {
    assert_broken("paragraph-out-of-range");
}

#[test]
fn misquotation_reports_line_and_closest_passage() {
    assert_broken("misquotation");
}

#[test]
fn bad_front_matter_points_at_its_line_in_the_markdown_file() {
    assert_broken("bad-front-matter");
}

#[test]
fn unclosed_front_matter_points_at_the_opening_line() {
    assert_broken("unclosed-front-matter");
}

#[test]
fn unknown_site_toml_key_points_at_its_line() {
    assert_broken("unknown-site-key");
}

#[test]
fn unknown_sidecar_key_points_at_its_line() {
    assert_broken("unknown-sidecar-key");
}

#[test]
fn sha256_mismatch_points_at_the_sidecar_sha256_line() {
    assert_broken("sha256-mismatch");
}

#[test]
fn invalid_utf8_points_at_the_first_bad_byte() {
    assert_broken("invalid-utf8");
}

#[test]
fn orphan_sidecar_points_at_the_sidecar() {
    assert_broken("orphan-sidecar");
}

#[test]
fn orphan_txt_points_at_the_text() {
    assert_broken("orphan-txt");
}

#[test]
fn uppercase_id_suggests_the_lowercase_name() {
    assert_broken("uppercase-id");
}

#[test]
fn stray_file_in_content_is_an_error() {
    assert_broken("stray-file");
}

#[test]
fn link_to_a_draft_is_an_error_without_drafts() {
    assert_broken("link-to-draft");
}

#[test]
fn link_to_a_draft_builds_with_drafts() {
    let dossier = Dossier::harbour();
    dossier.break_with("link-to-draft");
    let out = dossier.run(&["build", "--drafts"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        dossier
            .public()
            .join("summaries/open-questions/index.html")
            .is_file()
    );
}

#[test]
fn undeclared_taxonomy_is_an_error_at_the_term() {
    assert_broken("undeclared-taxonomy");
}

#[test]
fn two_spellings_of_one_term_slug_are_an_error() {
    assert_broken("term-collision");
}

#[test]
fn a_term_without_letters_is_an_error_wherever_it_is_used() {
    assert_broken("term-without-letters");
}

#[test]
fn source_without_paragraphs_is_an_error() {
    assert_broken("empty-source");
}

#[test]
fn all_errors_of_a_run_are_reported_together_in_file_order() {
    let dossier = Dossier::harbour();
    for case in [
        "missing-id",
        "misquotation",
        "orphan-txt",
        "unknown-site-key",
    ] {
        dossier.break_with(case);
    }
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1));
    let positions: Vec<usize> = [
        "--> content/sources/tender.txt:1:1",
        "--> content/summaries/misquoted.md:7:58",
        "--> content/summaries/release-typo.md:6:14",
        "--> site.toml:5:1",
    ]
    .iter()
    .map(|needle| {
        err.find(needle)
            .unwrap_or_else(|| panic!("missing {needle}:\n{err}"))
    })
    .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "not in file order:\n{err}"
    );
    assert!(
        err.contains("error: could not check the dossier: 4 errors"),
        "{err}"
    );
}

#[test]
fn a_failed_first_build_leaves_no_output_folder() {
    let dossier = Dossier::harbour();
    dossier.break_with("missing-id");
    let out = dossier.run(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!dossier.public().exists());
}

#[test]
fn usage_errors_exit_with_status_2() {
    let dossier = Dossier::harbour();
    let out = dossier.run(&["build", "--root", "no-such-folder"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    std::fs::remove_file(dossier.root.join("site.toml")).expect("remove");
    let out = dossier.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("has no site.toml"),
        "{}",
        stderr(&out)
    );
    let out = dossier.run(&["build", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_folder_may_not_be_the_dossier_itself() {
    let dossier = Dossier::harbour();
    let out = dossier.run(&["build", "--output", "."]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        dossier.root.join("content/_index.md").is_file(),
        "the dossier was destroyed"
    );
}

/// Replace `rel` in the dossier with a symbolic link to `target`.
fn link(dossier: &Dossier, rel: &str, target: &std::path::Path) {
    let path = dossier.root.join(rel);
    if path.exists() {
        std::fs::remove_file(&path).expect("remove");
    }
    std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, &path).expect("symlink");
}

/// A file next to the dossier, outside it, holding `text`.
fn outside_file(dossier: &Dossier, name: &str, text: &str) -> std::path::PathBuf {
    let path = dossier.root.parent().expect("in a temp dir").join(name);
    std::fs::write(&path, text).expect("write");
    path
}

/// Every output file's bytes, to search for what must not be published.
fn published_text(dossier: &Dossier) -> String {
    snapshot(&dossier.public())
        .into_values()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect()
}

#[test]
fn a_source_linked_to_a_file_outside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    let secret = outside_file(&dossier, "id_ed25519", "PRIVATE-KEY-MATERIAL\n");
    link(&dossier, "content/sources/courier-report.txt", &secret);
    let target = std::fs::canonicalize(&secret).expect("exists");
    for command in ["build", "check"] {
        let out = dossier.run(&[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains(&format!(
                "error: `content/sources/courier-report.txt` links to `{}`, outside the dossier",
                target.display()
            )),
            "{err}"
        );
        assert!(
            err.contains("--> content/sources/courier-report.txt:1:1"),
            "{err}"
        );
        assert!(!err.contains("PRIVATE-KEY-MATERIAL"), "{err}");
    }
    assert!(!published_text(&dossier).contains("PRIVATE-KEY-MATERIAL"));
}

#[test]
fn a_summary_linked_to_a_file_outside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    dossier.build();
    let secret = outside_file(
        &dossier,
        "notes.md",
        "+++\ntitle = \"Leak\"\n+++\n\nPRIVATE-NOTES\n",
    );
    link(&dossier, "content/summaries/leak.md", &secret);
    let out = dossier.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `content/summaries/leak.md` links to `")
            && err.contains("notes.md`, outside the dossier"),
        "{err}"
    );
    assert!(!published_text(&dossier).contains("PRIVATE-NOTES"));
}

#[test]
fn a_content_folder_linked_outside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    let elsewhere = dossier.root.parent().expect("temp").join("elsewhere");
    std::fs::rename(dossier.root.join("content"), &elsewhere).expect("move");
    std::os::unix::fs::symlink(&elsewhere, dossier.root.join("content")).expect("symlink");
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `content` links to `") && err.contains("outside the dossier"),
        "{err}"
    );
}

#[test]
fn a_link_that_stays_inside_the_dossier_is_read() {
    let dossier = Dossier::harbour();
    let kept = dossier.root.join("archive/courier-report.txt");
    std::fs::create_dir_all(kept.parent().expect("parent")).expect("mkdir");
    std::fs::rename(
        dossier.root.join("content/sources/courier-report.txt"),
        &kept,
    )
    .expect("move");
    link(&dossier, "content/sources/courier-report.txt", &kept);
    let site = dossier.build();
    assert!(
        site.text("sources/courier-report/index.html")
            .contains("dredging")
    );
}

#[test]
fn a_theme_that_is_not_a_folder_name_is_an_error_in_site_toml() {
    for theme in ["../../x", "/etc", "nested/theme"] {
        let dossier = Dossier::harbour();
        let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("read");
        let config = config.replacen(
            "language = \"en\"\n",
            &format!("language = \"en\"\ntheme = {theme:?}\n"),
            1,
        );
        dossier.write("site.toml", &config);
        let out = dossier.run(&["check"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{theme}: {err}");
        assert!(
            err.contains(&format!(
                "error: theme `{theme}` is not a folder name under themes/"
            )),
            "{err}"
        );
        assert!(err.contains("--> site.toml:5:1"), "{theme}: {err}");
    }
}

#[test]
fn a_theme_folder_linked_outside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    let elsewhere = dossier.root.parent().expect("temp").join("stolen-theme");
    std::fs::create_dir_all(elsewhere.join("templates")).expect("mkdir");
    std::fs::write(elsewhere.join("theme.toml"), "name = \"x\"\n").expect("write");
    link(&dossier, "themes/x", &elsewhere);
    let config = std::fs::read_to_string(dossier.root.join("site.toml")).expect("read");
    dossier.write("site.toml", &format!("theme = \"x\"\n{config}"));
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `themes/x` links to `") && err.contains("outside the dossier"),
        "{err}"
    );
}

#[test]
fn a_template_override_linked_outside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    let secret = outside_file(&dossier, "page.html", "OUTSIDE-TEMPLATE");
    link(&dossier, "templates/404.html", &secret);
    let out = dossier.run(&["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: `templates/404.html` links to `")
            && err.contains("page.html`, outside the dossier"),
        "{err}"
    );
    assert!(!published_text(&dossier).contains("OUTSIDE-TEMPLATE"));
}

#[test]
fn a_template_override_linked_inside_the_dossier_is_used() {
    let dossier = Dossier::harbour();
    dossier.write("shared/404.html", "LINKED-OVERRIDE");
    let target = dossier.root.join("shared/404.html");
    link(&dossier, "templates/404.html", &target);
    let site = dossier.build();
    assert_eq!(site.text("404.html"), "LINKED-OVERRIDE");
}

/// A published summary of the harbour dossier tagged with `people`, written as TOML strings.
fn tag_people(dossier: &Dossier, slug: &str, people: &[&str]) {
    let list: Vec<String> = people.iter().map(|p| format!("\"{p}\"")).collect();
    dossier.write(
        &format!("content/summaries/{slug}.md"),
        &format!(
            "+++\ntitle = \"{slug}\"\n[taxonomies]\npeople = [{}]\n+++\n\nSee [the minutes](src:committee-minutes#p1).\n",
            list.join(", ")
        ),
    );
}

#[test]
fn terms_in_any_script_get_their_own_pages_linked_percent_encoded() {
    let dossier = Dossier::harbour();
    tag_people(
        &dossier,
        "tagged-a",
        &["日本語", "Jörg Müller", "José Muñoz"],
    );
    tag_people(&dossier, "tagged-b", &["Jürg Möller"]);
    let site = dossier.build();
    for folder in ["日本語", "jörg-müller", "jürg-möller", "josé-muñoz"] {
        assert!(
            site.dir
                .join("people")
                .join(folder)
                .join("index.html")
                .is_file(),
            "no page people/{folder}/"
        );
    }
    let page = site.text("summaries/tagged-a/index.html");
    for href in [
        "people/%E6%97%A5%E6%9C%AC%E8%AA%9E/",
        "people/j%C3%B6rg-m%C3%BCller/",
        "people/jos%C3%A9-mu%C3%B1oz/",
    ] {
        assert!(page.contains(&format!("{href}\"")), "no link to {href}");
    }
    assert!(
        site.text("sitemap.xml")
            .contains("/people/jos%C3%A9-mu%C3%B1oz/</loc>")
    );
}

#[test]
fn one_term_typed_in_nfc_and_nfd_is_one_term() {
    let dossier = Dossier::harbour();
    tag_people(&dossier, "tagged-a", &["Caf\u{e9} Owner"]);
    tag_people(&dossier, "tagged-b", &["Cafe\u{301} Owner"]);
    let site = dossier.build();
    let folders: Vec<String> = std::fs::read_dir(site.dir.join("people"))
        .expect("people/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("caf"))
        .collect();
    assert_eq!(folders, ["caf\u{e9}-owner"]);
    let term = site.text("people/caf\u{e9}-owner/index.html");
    assert!(
        term.contains("tagged-a") && term.contains("tagged-b"),
        "{term}"
    );
}

#[test]
fn a_term_is_said_to_have_no_letters_only_when_it_has_none() {
    let dossier = Dossier::harbour();
    tag_people(&dossier, "tagged-a", &["日本語", "—"]);
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("error: term `—` has no letters or digits"),
        "{err}"
    );
    assert!(!err.contains("term `日本語`"), "{err}");
}

#[test]
fn diagnostics_show_control_characters_in_names_and_text_escaped() {
    let dossier = Dossier::harbour();
    // A file name with a newline that, printed raw, would fake a second diagnostic.
    dossier.write(
        "content/summaries/x\nerror: all fine.md",
        "+++\ntitle = \"x\"\n+++\n",
    );
    dossier.write(
        "content/summaries/evil.md",
        "+++\ntitle = \"\u{1b}]0;owned\u{7}\"\n+++\n",
    );
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        !err.chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t'),
        "raw control characters: {err:?}"
    );
    assert!(!err.contains("\nerror: all fine"), "{err}");
    assert!(err.contains("x\\u{a}error: all fine.md"), "{err}");
    assert!(err.contains("title = \"\\u{1b}]0;owned\\u{7}\""), "{err}");
}

#[test]
fn misnamed_dossier_schemes_are_errors_that_suggest_src() {
    assert_broken("misnamed-scheme");
}

#[test]
fn unknown_link_schemes_are_errors_that_list_the_allowed_ones() {
    assert_broken("unknown-scheme");
}

#[test]
fn quotations_in_single_quotes_are_checked() {
    assert_broken("single-quote-misquote");
}

#[test]
fn correct_quotations_in_single_quotes_pass() {
    let dossier = Dossier::harbour();
    dossier.break_with("single-quote-quotation");
    let out = dossier.run(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn explicit_heading_ids_that_collide_are_errors() {
    assert_broken("heading-id-collision");
}

/// Whether an attribute value would run script in a browser, judged independently of
/// dossier's own classification: spaces and controls removed, case ignored.
fn is_live_script(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "file:"]
        .iter()
        .any(|s| url.starts_with(s))
}

#[test]
fn script_links_render_as_text_everywhere_with_located_warnings() {
    let dossier = Dossier::harbour();
    let expected = dossier.break_with("script-links");
    // Every warning: past five of a kind the rest are only counted otherwise.
    let out = dossier.run(&["build", "--verbose"]);
    let err = stderr(&out);
    assert!(out.status.success(), "warnings only:\n{err}");
    for line in &expected {
        assert!(err.contains(line.as_str()), "output lacks {line:?}:\n{err}");
    }
    let site = dossier.site();
    for page in [
        "index.html",
        "summaries/script-links/index.html",
        "sources/courier-report/index.html",
        "timeline/index.html",
        "print/index.html",
    ] {
        let html = site.page(page);
        let mut live = Vec::new();
        for el in select(&html, "[href], [src]") {
            for attr in ["href", "src"] {
                if let Some(url) = el.value().attr(attr)
                    && is_live_script(url)
                {
                    live.push(format!("{attr}={url}"));
                }
            }
        }
        assert!(live.is_empty(), "{page}: live script links {live:?}");
    }
    // The words of the links are kept, as text; safe links stay links.
    let summary = site.page("summaries/script-links/index.html");
    let text = text_of(&select(&summary, "main")[0]);
    for words in [
        "Plain a link.",
        "Autolink javascript:alert(5) here.",
        "Image f here.",
    ] {
        assert!(text.contains(words), "{words:?} missing: {text}");
    }
    let hrefs: Vec<&str> = select(&summary, "main a[href]")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    for safe in [
        "https://example.org/",
        "../cost-overrun/",
        "#top",
        "mailto:desk@example.org",
    ] {
        assert!(hrefs.contains(&safe), "{safe} missing: {hrefs:?}");
    }
    let note = site.page("sources/courier-report/index.html");
    let note = text_of(&select(&note, "main")[0]);
    assert!(note.contains("Read with care: the archive."), "{note}");
    let print = site.page("print/index.html");
    let print = text_of(&select(&print, "main")[0]);
    assert!(
        print.contains("Plain a link."),
        "the summary in print: {print}"
    );
}

#[test]
fn a_code_block_too_large_to_highlight_is_plain_text_with_a_warning() {
    let dossier = Dossier::harbour();
    let line = "    let cost = survey(\"harbour\", 2019) * overrun; // <b>\n";
    let code = line.repeat(300 * 1024 / line.len());
    dossier.write(
        "content/summaries/code.md",
        &format!(
            "+++\ntitle = \"Code\"\ndate = 2024-07-01\n+++\n\nThe model:\n\n```rust\n{code}```\n"
        ),
    );
    let out = dossier.run(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("--> content/summaries/code.md:8:1"), "{err}");
    assert!(err.contains("warning: code block not highlighted: it is 300 KiB, larger than the 256 KiB that are highlighted"), "{err}");
    let page = dossier.site().text("summaries/code/index.html");
    assert!(
        page.contains("<pre><code>    let cost = survey("),
        "plain block"
    );
    assert!(page.contains("// &lt;b&gt;"), "escaped");
    assert!(!page.contains("hl-"), "not highlighted");
}

#[test]
fn quotation_cited_to_the_wrong_paragraph_names_the_right_one() {
    assert_broken("misquote-wrong-paragraph");
}

#[test]
fn ellipsis_quotation_in_the_wrong_order_says_so() {
    assert_broken("misquote-out-of-order");
}

#[test]
fn misquote_near_a_bullet_line_points_to_markers_false() {
    assert_broken("misquote-bullet-line");
}

#[test]
fn markers_false_keeps_decorated_lines_as_text_so_quotations_match() {
    let dossier = Dossier::harbour();
    dossier.break_with("misquote-bullet-line");
    dossier.write(
        "content/sources/boxed-notice.toml",
        "title = \"Notice to mariners\"\nkind = \"other\"\nparagraphs = \"blocks\"\nmarkers = false\n",
    );
    dossier.write(
        "content/summaries/misquoted.md",
        "+++\ntitle = \"The channel closure\"\n+++\n\nThe notice closed the channel [\"to all vessels … of more than four metres draught\"](src:boxed-notice).\n",
    );
    let out = dossier.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = dossier.build().text("sources/boxed-notice/index.html");
    assert!(
        text.contains("* of more than four metres draught until the"),
        "the marks stay in the verbatim text:\n{text}"
    );
}

#[test]
fn every_unknown_site_toml_key_is_reported_in_one_run() {
    assert_broken("unknown-site-keys");
}

#[test]
fn every_unknown_front_matter_key_is_reported_in_one_run() {
    assert_broken("unknown-front-matter-keys");
}

#[test]
fn a_site_toml_that_is_not_utf8_points_at_the_first_bad_byte() {
    let dossier = Dossier::harbour();
    let path = dossier.root.join("site.toml");
    let mut bytes = std::fs::read(&path).expect("read");
    // Line 2, after `description = "How`: a Latin-1 é.
    let at = bytes.iter().position(|&b| b == b'\n').expect("two lines") + 1 + 19;
    bytes.insert(at, 0xE9);
    std::fs::write(&path, bytes).expect("write");
    for command in ["check", "build"] {
        let out = dossier.run(&[command]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{command}: {err}");
        let blocks = diagnostic_blocks(&err);
        assert!(
            blocks.iter().any(|b| contains_all(
                b,
                &[
                    "error: `site.toml` is not valid UTF-8",
                    "--> site.toml:2:20"
                ]
            )),
            "{command}: {err}"
        );
    }
}

#[test]
fn a_date_with_a_time_of_day_is_an_error_at_its_value() {
    assert_broken("date-with-time");
}

#[test]
fn year_zero_is_an_error_at_its_value() {
    assert_broken("year-zero");
}

#[test]
fn an_empty_title_is_an_error_in_front_matter_and_sidecars() {
    assert_broken("empty-title");
    assert_broken("empty-sidecar-title");
}

#[test]
fn a_static_file_where_the_site_needs_a_folder_fails_check_and_build() {
    assert_broken("static-file-for-folder");
    assert_broken("static-folder-for-file");
}
