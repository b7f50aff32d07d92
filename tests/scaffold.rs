//! `dossier new` and `dossier add-source`, as a new user runs them.

mod common;

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use sha2::{Digest, Sha256};

fn dossier(dir: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("dossier")
        .expect("binary")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Run a command that must be refused as a usage error (exit 2), saying each of `messages`.
fn assert_refused(dir: &Path, args: &[&str], messages: &[&str]) {
    let out = dossier(dir, args);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    for message in messages {
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
}

/// A new dossier in a temporary folder.
fn new_dossier() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = dossier(tmp.path(), &["new", "brief"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let root = tmp.path().join("brief");
    (tmp, root)
}

#[test]
fn new_then_build_then_check_works_without_a_warning() {
    let (_tmp, root) = new_dossier();
    for file in [
        "site.toml",
        "content/_index.md",
        "content/sources/council-notice.txt",
        "content/sources/council-notice.toml",
    ] {
        assert!(root.join(file).is_file(), "new did not write {file}");
    }
    assert!(
        !root.join("themes").exists(),
        "the built-in theme is used, not copied"
    );
    let out = dossier(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).is_empty(),
        "warnings in a new dossier: {}",
        stderr(&out)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).starts_with("Built "),
        "a one-line summary"
    );
    assert!(
        root.join("public/sources/council-notice/index.html")
            .is_file()
    );
    let out = dossier(&root, &["check"]);
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
    // The summary quotes its source with a checked quotation.
    let summary =
        std::fs::read_to_string(root.join("content/summaries/council-notice.md")).expect("read");
    assert!(
        summary.contains(
            "[\"corrosion worse than expected in the main span\"](src:council-notice#p2)"
        )
    );
}

#[test]
fn every_key_of_the_new_site_toml_is_explained() {
    let (_tmp, root) = new_dossier();
    let text = std::fs::read_to_string(root.join("site.toml")).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    let mut keys = 0;
    for (i, line) in lines.iter().enumerate() {
        if line.contains(" = ") && !line.starts_with('#') {
            keys += 1;
            // The comment may sit above a key, or above the table it opens.
            let above = lines[..i]
                .iter()
                .rev()
                .find(|l| !l.starts_with("name =") && !l.trim().is_empty() && !l.starts_with('['));
            assert!(
                above.is_some_and(|l| l.starts_with('#')),
                "`{line}` has no comment above it"
            );
        }
    }
    assert!(keys >= 8, "{keys} keys");
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(tmp.path().join("taken")).expect("mkdir");
    std::fs::write(tmp.path().join("taken/notes.txt"), "mine").expect("write");
    assert_refused(tmp.path(), &["new", "taken"], &["is not empty"]);
    assert_eq!(
        std::fs::read_dir(tmp.path().join("taken"))
            .expect("read")
            .count(),
        1,
        "it wrote something"
    );
}

#[test]
fn add_source_copies_verbatim_and_writes_the_exact_sidecar() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("statement.txt");
    let bytes = "Statement from the contractor\r\n\u{feff}We will publish the inspection report in April.\r\n".as_bytes();
    std::fs::write(&file, bytes).expect("write");
    let out = dossier(
        &root,
        &[
            "add-source",
            file.to_str().expect("utf-8 path"),
            "--title",
            "Contractor's statement on the \"report\"",
            "--kind",
            "article",
            "--published",
            "2025-03-05",
            "--publisher",
            "Span & Co",
            "--author",
            "J. Doe",
            "--url",
            "https://span.example.com/statement",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let id = "contractor-s-statement-on-the-report";
    assert_eq!(
        std::fs::read(root.join(format!("content/sources/{id}.txt"))).expect("copied"),
        bytes
    );
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    assert_eq!(
        std::fs::read_to_string(root.join(format!("content/sources/{id}.toml"))).expect("sidecar"),
        format!(
            "title = \"Contractor's statement on the \\\"report\\\"\"\nkind = \"article\"\npublished = 2025-03-05\npublisher = \"Span & Co\"\nauthor = \"J. Doe\"\nurl = \"https://span.example.com/statement\"\norigin = \"statement.txt\"\nsha256 = \"{sha}\"\n"
        )
    );
    // It loads: the sha256 verifies, and the new source is only warned about until cited.
    let out = dossier(&root, &["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains(&format!("source `{id}` is never cited")));
}

#[test]
fn add_source_detects_hard_wrapped_text() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("letter.txt");
    std::fs::write(&file, "Dear councillors,\n\nThe footbridge at Mill Lane is too narrow for the\nnumber of people now using it every morning, and the\nramp at its northern end floods after heavy rain,\nwhich leaves no safe crossing at all for wheelchairs.\n\nYours,\nA resident\n").expect("write");
    let out = dossier(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--id",
            "resident-letter",
            "--title",
            "Letter from a resident",
            "--kind",
            "other",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sidecar =
        std::fs::read_to_string(root.join("content/sources/resident-letter.toml")).expect("read");
    assert!(sidecar.ends_with("paragraphs = \"blocks\"\n"), "{sidecar}");
}

#[test]
fn add_source_refuses_an_existing_id() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("again.txt");
    std::fs::write(&file, "Another notice.\n").expect("write");
    let before = std::fs::read(root.join("content/sources/council-notice.txt")).expect("read");
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--id",
            "council-notice",
            "--title",
            "Again",
            "--kind",
            "article",
        ],
        &["a source with id `council-notice` already exists"],
    );
    assert_eq!(
        std::fs::read(root.join("content/sources/council-notice.txt")).expect("read"),
        before
    );
}

#[test]
fn add_source_refuses_a_file_that_is_not_utf8() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("latin1.txt");
    std::fs::write(&file, b"Caf\xe9 closed\n").expect("write");
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--title",
            "Cafe closed",
            "--kind",
            "other",
        ],
        &["is not UTF-8 text (the first bad byte is at byte 3, line 1)"],
    );
    assert!(
        !root.join("content/sources/cafe-closed.txt").exists(),
        "nothing may be written"
    );
    assert!(
        !root.join("content/sources/cafe-closed.toml").exists(),
        "nothing may be written"
    );
}

#[test]
fn add_source_refuses_an_invalid_id_and_suggests_one() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("a.txt");
    std::fs::write(&file, "Text.\n").expect("write");
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--id",
            "Council_Minutes",
            "--title",
            "Minutes",
            "--kind",
            "transcript",
        ],
        &[
            "`Council_Minutes` is not a valid id",
            "--id council-minutes",
        ],
    );
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--title",
            "!!!",
            "--kind",
            "other",
        ],
        &["give one with --id"],
    );
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--title",
            "x",
            "--kind",
            "memo",
        ],
        &["use one of: article, social-post"],
    );
    assert_refused(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--title",
            "x",
            "--kind",
            "other",
            "--published",
            "5 March",
        ],
        &["is not a date: write a day (2024-04-18)"],
    );
}

#[test]
fn add_source_needs_a_dossier() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("a.txt"), "Text.\n").expect("write");
    assert_refused(
        tmp.path(),
        &["add-source", "a.txt", "--title", "A", "--kind", "other"],
        &["is not a dossier"],
    );
}

#[test]
fn a_new_user_files_a_source_quotes_it_and_publishes() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("minutes.txt");
    std::fs::write(&file, "Transport Committee, 10 March 2025\nThe chair said the bridge would reopen in August at the earliest.\n").expect("write");
    let out = dossier(
        &root,
        &[
            "add-source",
            file.to_str().expect("path"),
            "--title",
            "Transport Committee minutes",
            "--kind",
            "transcript",
            "--published",
            "2025-03-10",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::write(
        root.join("content/summaries/reopening.md"),
        "+++\ntitle = \"When will it reopen?\"\n+++\n\nThe chair expects it to reopen [\"in August at the earliest\"](src:transport-committee-minutes).\n",
    )
    .expect("write");
    let out = dossier(&root, &["check"]);
    assert!(
        out.status.success() && stderr(&out).is_empty(),
        "{}",
        stderr(&out)
    );
    let out = dossier(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page =
        std::fs::read_to_string(root.join("public/sources/transport-committee-minutes/index.html"))
            .expect("built");
    assert!(page.contains("<mark>in August at the earliest</mark>"));
}

#[test]
fn every_command_has_help_with_an_example() {
    let tmp = tempfile::tempdir().expect("tmp");
    for command in [
        "build",
        "check",
        "serve",
        "new",
        "add-source",
        "paragraphs",
        "docs",
    ] {
        let out = dossier(tmp.path(), &[command, "--help"]);
        assert!(out.status.success());
        let help = String::from_utf8_lossy(&out.stdout);
        assert!(
            help.contains("Example"),
            "`{command} --help` has no example:\n{help}"
        );
    }
}

/// `add-source FILE --title T --kind other EXTRA…` in `root`, given at most 30 s: a FIFO
/// must be refused, not waited on forever.
fn add_source_of(root: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "add-source",
        file.to_str().expect("utf-8 path"),
        "--title",
        "Odd file",
        "--kind",
        "other",
    ];
    args.extend_from_slice(extra);
    Command::cargo_bin("dossier")
        .expect("binary")
        .current_dir(root)
        .args(&args)
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .expect("runs")
}

fn assert_nothing_filed(root: &Path) {
    assert!(!root.join("content/sources/odd-file.txt").exists());
    assert!(!root.join("content/sources/odd-file.toml").exists());
}

#[test]
fn add_source_refuses_a_fifo_without_waiting_on_it() {
    let (tmp, root) = new_dossier();
    let fifo = tmp.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let out = add_source_of(&root, &fifo, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a regular file (a device, a FIFO or a socket)"),
        "{}",
        stderr(&out)
    );
    assert_nothing_filed(&root);
}

#[test]
fn add_source_refuses_a_device_and_a_folder() {
    let (tmp, root) = new_dossier();
    let out = add_source_of(&root, Path::new("/dev/zero"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`/dev/zero` is not a regular file"),
        "{}",
        stderr(&out)
    );
    let out = add_source_of(&root, tmp.path(), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("is a folder"), "{}", stderr(&out));
    assert_nothing_filed(&root);
}

#[test]
fn add_source_caps_the_size_and_max_size_raises_it() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("big.txt");
    let text = "A line of the collected document.\n".repeat(100);
    std::fs::write(&file, &text).expect("write");
    let out = add_source_of(&root, &file, &["--max-size", "1K"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "is larger than 1024 bytes: if it really is one source, raise the limit with --max-size"
        ),
        "{}",
        stderr(&out)
    );
    assert_nothing_filed(&root);
    let out = add_source_of(&root, &file, &["--max-size", "4K"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(root.join("content/sources/odd-file.txt")).expect("filed"),
        text
    );
    let out = add_source_of(&root, &file, &["--id", "again", "--max-size", "lots"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("`lots` is not a size"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn add_source_warns_at_once_about_a_url_that_is_not_http() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("post.txt");
    std::fs::write(&file, "A post.\n").expect("write");
    let out = add_source_of(&root, &file, &["--url", "javascript:alert(1)"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: --url `javascript:alert(1)` is not an http(s) address: it will be shown as text, never as a link"
        ),
        "{}",
        stderr(&out)
    );
    let out = add_source_of(
        &root,
        &file,
        &["--id", "fine", "--url", "https://example.org/post"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn add_source_records_a_month_a_note_and_terms_that_check_accepts() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("memo.txt");
    std::fs::write(&file, "The budget memo.\n").expect("write");
    let out = dossier(
        &root,
        &[
            "add-source",
            file.to_str().expect("utf-8 path"),
            "--title",
            "Budget memo",
            "--kind",
            "other",
            "--published",
            "2004-01",
            "--note",
            "Undated; \"January\" is from its covering letter.",
            "--term",
            "issues=budget",
            "--term",
            "organizations=Riverside Council",
            "--term",
            "issues=bridge repairs",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sidecar =
        std::fs::read_to_string(root.join("content/sources/budget-memo.toml")).expect("sidecar");
    assert!(
        sidecar.contains("published = 2004-01-01\ndate_precision = \"month\"\n"),
        "{sidecar}"
    );
    assert!(
        sidecar.contains("note = \"Undated; \\\"January\\\" is from its covering letter.\"\n"),
        "{sidecar}"
    );
    assert!(
        sidecar.ends_with("\n[taxonomies]\nissues = [\"budget\", \"bridge repairs\"]\norganizations = [\"Riverside Council\"]\n"),
        "{sidecar}"
    );
    let out = dossier(&root, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page =
        std::fs::read_to_string(root.join("public/sources/budget-memo/index.html")).expect("built");
    assert!(
        page.contains("January 2004"),
        "the month is shown as a month"
    );
    assert!(page.contains("covering letter"), "the note is shown");
}

#[test]
fn add_source_takes_a_quarter() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("q.txt");
    std::fs::write(&file, "Quarterly report.\n").expect("write");
    let out = dossier(
        &root,
        &[
            "add-source",
            file.to_str().expect("utf-8"),
            "--title",
            "Q",
            "--kind",
            "other",
            "--published",
            "2024-Q2",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let sidecar = std::fs::read_to_string(root.join("content/sources/q.toml")).expect("sidecar");
    assert!(
        sidecar.contains("published = 2024-04-01\ndate_precision = \"quarter\"\n"),
        "{sidecar}"
    );
}

#[test]
fn add_source_refuses_bad_published_and_undeclared_terms() {
    let (tmp, root) = new_dossier();
    let file = tmp.path().join("a.txt");
    std::fs::write(&file, "Text.\n").expect("write");
    let path = file.to_str().expect("utf-8");
    let base = ["add-source", path, "--title", "A", "--kind", "other"];
    let with = |extra: &[&'static str]| {
        let mut args: Vec<&str> = base.to_vec();
        args.extend_from_slice(extra);
        args
    };
    assert_refused(
        &root,
        &with(&["--published", "2024-13"]),
        &["is not a date", "2024-Q2"],
    );
    assert_refused(
        &root,
        &with(&["--term", "issues"]),
        &["is not TAXONOMY=TERM"],
    );
    assert_refused(
        &root,
        &with(&["--term", "isues=cost"]),
        &["there is no taxonomy `isues`", "did you mean `issues`?"],
    );
    assert!(
        !root.join("content/sources/a.toml").exists(),
        "nothing was written"
    );
}

#[test]
fn new_with_theme_copy_builds_the_same_site_as_the_built_in_theme() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = dossier(tmp.path(), &["new", "plain"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = dossier(tmp.path(), &["new", "copied", "--theme-copy"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let copied = tmp.path().join("copied");
    for file in [
        "themes/briefing/theme.toml",
        "themes/briefing/templates/source.html",
    ] {
        assert!(
            copied.join(file).is_file(),
            "--theme-copy did not write {file}"
        );
    }
    let mut sites = Vec::new();
    for name in ["plain", "copied"] {
        let root = tmp.path().join(name);
        let out = dossier(&root, &["build"]);
        assert!(out.status.success(), "{name}: {}", stderr(&out));
        sites.push(common::snapshot(&root.join("public")));
    }
    assert!(sites[0].len() > 10, "a whole site was built");
    assert_eq!(
        sites[0].keys().collect::<Vec<_>>(),
        sites[1].keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &sites[0] {
        assert!(
            &sites[1][path] == bytes,
            "{} differs between the built-in and the copied theme",
            path.display()
        );
    }
}
