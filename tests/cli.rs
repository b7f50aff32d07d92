//! What the command line prints: counts in words that agree with their number, a flood of
//! warnings summarised, errors last, and the version with its commit.

mod common;

use std::fs;
use std::path::Path;

use common::stderr;

/// A dossier in a temporary folder with `sources` sources (the first cited by a summary and an
/// event), plus any extra files given as (path, text).
fn dossier_with(sources: usize, extra: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path().join("dossier");
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create");
        fs::write(path, text).expect("write");
    };
    write(
        "site.toml",
        "title = \"The ferry timetable\"\nbase_url = \"https://example.org/ferry\"\n",
    );
    write(
        "content/_index.md",
        "+++\ntitle = \"The ferry timetable\"\n+++\nThe ferry runs [twice a day](summary:timetable).\n",
    );
    write(
        "content/summaries/timetable.md",
        "+++\ntitle = \"The timetable\"\n+++\nThe notice says the ferry runs [\"twice a day\"](src:notice-0#p1).\n",
    );
    write(
        "content/events/notice.md",
        "+++\ntitle = \"Timetable published\"\ndate = 2025-03-01\nsources = [\"notice-0\"]\n+++\nThe notice is posted.\n",
    );
    for i in 0..sources {
        write(
            &format!("content/sources/notice-{i}.txt"),
            "From Monday the ferry runs twice a day.\n",
        );
        write(
            &format!("content/sources/notice-{i}.toml"),
            &format!("title = \"Notice {i}\"\nkind = \"article\"\npublished = 2025-03-01\n"),
        );
    }
    for (path, text) in extra {
        write(path, text);
    }
    (tmp, root)
}

fn run(root: &Path, args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("dossier")
        .expect("the dossier binary")
        .current_dir(root)
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("run dossier")
}

#[test]
fn counts_of_one_are_singular_in_messages_and_pages() {
    let (tmp, root) = dossier_with(1, &[]);
    let out_dir = tmp.path().join("site");
    let built = run(
        &root,
        &["build", "--output", out_dir.to_str().expect("utf-8")],
    );
    let said = String::from_utf8_lossy(&built.stdout);
    assert!(built.status.success(), "{}", stderr(&built));
    assert!(
        said.contains("(1 source, 1 summary, 1 event, 1 citation)"),
        "{said}"
    );
    let checked = run(&root, &["check"]);
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(
        said.contains("Checked 1 source, 1 summary, 1 event and 1 citation: no problems"),
        "{said}"
    );
    let home = fs::read_to_string(out_dir.join("index.html")).expect("home page");
    assert!(
        home.contains("1 source · 1 summary · 1 event · 1 citation,"),
        "home page counts"
    );
    let source =
        fs::read_to_string(out_dir.join("sources/notice-0/index.html")).expect("source page");
    assert!(
        source.contains("8 words in 1 paragraph<"),
        "source page counts"
    );
}

#[test]
fn past_five_warnings_of_a_kind_one_line_counts_the_rest() {
    // Twelve sources, eleven of them never cited: eleven warnings of one kind.
    let (_tmp, root) = dossier_with(12, &[]);
    let checked = run(&root, &["check"]);
    let err = stderr(&checked);
    assert!(checked.status.success(), "{err}");
    assert_eq!(err.matches("is never cited").count(), 5 + 1, "{err}");
    assert!(
        err.contains(
            "warning: 6 more like “source `…` is never cited” not shown (pass --verbose to see every warning)"
        ),
        "{err}"
    );
    let verbose = run(&root, &["check", "--verbose"]);
    assert_eq!(stderr(&verbose).matches("is never cited").count(), 11);
}

#[test]
fn errors_come_after_every_warning() {
    let (_tmp, root) = dossier_with(
        8,
        &[(
            "content/summaries/broken.md",
            "+++\ntitle = \"Broken\"\n+++\nSee [the notice](src:notise-0).\n",
        )],
    );
    let checked = run(&root, &["check"]);
    let err = stderr(&checked);
    assert!(!checked.status.success());
    let last_warning = err.rfind("warning:").expect("warnings");
    let first_error = err.find("error:").expect("an error");
    assert!(last_warning < first_error, "{err}");
    assert!(
        err.trim_end()
            .ends_with("error: could not check the dossier: 1 error, 7 warnings"),
        "{err}"
    );
}

#[test]
fn version_names_the_commit_it_was_built_from() {
    let out = assert_cmd::Command::cargo_bin("dossier")
        .expect("the dossier binary")
        .arg("--version")
        .output()
        .expect("run dossier");
    let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let version = concat!("dossier ", env!("CARGO_PKG_VERSION"));
    assert!(said.starts_with(version), "{said}");
    let in_git = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .is_ok_and(|o| o.status.success());
    if in_git {
        let commit = said
            .strip_prefix(version)
            .and_then(|rest| rest.trim().strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .unwrap_or_else(|| panic!("no commit in {said:?}"));
        let hash = commit.trim_end_matches("-modified");
        assert!(
            hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
            "{said}"
        );
    }
}

/// A `timings:` line with its numbers taken out, so lines of two runs compare.
fn timing_names(line: &str) -> Vec<String> {
    line.trim_start_matches("timings:")
        .split(',')
        .map(|stage| {
            stage
                .trim()
                .trim_end_matches(" ms")
                .trim_end_matches(|c: char| c.is_ascii_digit() || c == '.')
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn timings_name_the_stages_docs_cli_md_names() {
    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md"))
        .expect("docs/cli.md");
    let documented: Vec<Vec<String>> = docs
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("timings:"))
        .map(timing_names)
        .collect();
    assert_eq!(
        documented.len(),
        2,
        "docs/cli.md shows build and check timings"
    );
    let (_tmp, root) = dossier_with(1, &[]);
    for (command, expected) in [("build", &documented[0]), ("check", &documented[1])] {
        let out = assert_cmd::Command::cargo_bin("dossier")
            .expect("binary")
            .current_dir(&root)
            .args([command, "--timings"])
            .output()
            .expect("runs");
        let err = stderr(&out);
        let line = err
            .lines()
            .find(|l| l.starts_with("timings:"))
            .unwrap_or_else(|| panic!("{command}: no timings line:\n{err}"));
        assert_eq!(&timing_names(line), expected, "{command}: {line}");
    }
}

/// A dossier whose one source has a hard-wrapped block, a bullet list and a control
/// character, for `dossier paragraphs`.
fn licence_dossier() -> (tempfile::TempDir, std::path::PathBuf) {
    dossier_with(
        1,
        &[
            (
                "content/sources/licence.txt",
                "Terms and conditions\n\nEach contributor grants you a patent\nlicense to make and use the work.\n\n- No patent claim is waived.\n\nA bell \u{7} rings.\n",
            ),
            (
                "content/sources/licence.toml",
                "title = \"The licence\"\nkind = \"other\"\nparagraphs = \"blocks\"\n",
            ),
        ],
    )
}

#[test]
fn paragraphs_lists_every_numbered_paragraph_verbatim() {
    let (_tmp, root) = licence_dossier();
    let out = run(&root, &["paragraphs", "licence"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said,
        "¶1  Terms and conditions\n¶2  Each contributor grants you a patent license to make and use the work.\n¶3  No patent claim is waived.\n¶4  A bell \\u{7} rings.\n"
    );
}

#[test]
fn paragraphs_search_marks_the_words_and_gives_the_link_to_paste() {
    let (_tmp, root) = licence_dossier();
    // Folded as quotations are: the line break inside the block is one space.
    let out = run(&root, &["paragraphs", "licence", "patent license"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        said,
        "¶2  Each contributor grants you a **patent license** to make and use the work.\n    [“patent license”](src:licence#p2)\n"
    );
    let out = run(&root, &["paragraphs", "licence", "patent"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("(src:licence#p2)") && said.contains("(src:licence#p3)"),
        "{said}"
    );
    assert!(!said.contains("¶1"), "{said}");
}

#[test]
fn paragraphs_search_that_finds_nothing_exits_1_with_the_closest_passage() {
    let (_tmp, root) = licence_dossier();
    let out = run(
        &root,
        &["paragraphs", "licence", "Each Contributor grants you"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("no paragraph of `licence` holds “Each Contributor grants you”"),
        "{err}"
    );
    assert!(
        err.contains("the words are in ¶2 with different capitals"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn paragraphs_of_an_unknown_source_exits_1_naming_the_nearest() {
    let (_tmp, root) = licence_dossier();
    let out = run(&root, &["paragraphs", "licenc"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no source with id `licenc` (did you mean `licence`?)"),
        "{}",
        stderr(&out)
    );
    let out = run(&root, &["paragraphs", "../site"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn docs_format_prints_the_format_reference_built_in() {
    let out = assert_cmd::Command::cargo_bin("dossier")
        .expect("binary")
        .args(["docs", "format"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let shipped = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/format.md"))
        .expect("docs/format.md");
    assert_eq!(String::from_utf8_lossy(&out.stdout), shipped);
}
