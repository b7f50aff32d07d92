//! Evidence (issue 14): web pages, PDFs and e-mails as sources — extraction of real files made
//! by real producers (tests/fixtures/evidence, made by its src/make.sh), the original kept and
//! hashed, pages, metadata, text fragments, and the errors for a changed original or text.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use dossier::load::extract::{self, Format};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/evidence")
        .join(name)
}

fn extracted(name: &str) -> extract::Extracted {
    let format = Format::from_extension(name.rsplit('.').next().expect("extension"))
        .expect("a format dossier extracts");
    extract::extract(format, &fs::read(fixture(name)).expect("fixture")).expect("extracts")
}

/// The paragraphs of a derived text, form feeds (page breaks) shown as `|`.
fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.replace('\u{c}', "|"))
        .collect()
}

fn dossier(args: &[&str], root: &Path) -> std::process::Output {
    Command::cargo_bin("dossier")
        .expect("binary")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("runs")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A fresh `dossier new` in a temporary folder.
fn new_dossier() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join("d");
    let out = Command::cargo_bin("dossier")
        .expect("binary")
        .arg("new")
        .arg(&root)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", stderr(&out));
    (tmp, root)
}

#[test]
fn html_article_is_its_blocks_without_navigation_banner_or_footer() {
    let e = extracted("article.html");
    let p = paragraphs(&e.text);
    assert_eq!(p[0], "Harbour board delays vote on fourth berth");
    assert!(p.contains(&"Board members heard that dredging the approach channel to fourteen metres would shift about 900,000 cubic metres of sediment — some of it contaminated with chromium & zinc from the old tannery site.".to_string()));
    // list items and quotations keep their kind; <br> ends a paragraph; table rows are one each
    assert!(p.contains(&"• borrowing the full amount against future berth fees;".to_string()));
    assert!(
        p.iter()
            .any(|l| l.starts_with("> “We are not against the port."))
    );
    assert!(
        p.contains(&"She asked the board to reissue the tender with a noise limit.".to_string())
    );
    assert!(p.contains(&"Suppliers could then compete on how to meet it.".to_string()));
    assert!(p.contains(&"Winter 2023–24 | 61%".to_string()));
    assert!(p.contains(&"Next meeting: 16 May 2024, 18:00".to_string()));
    let text = e.text.as_str();
    for noise in [
        "cookies",
        "Related stories",
        "Share on",
        "Advertisement",
        "All rights reserved",
        "Skip to content",
        "Sign up",
        "track(",
        "dataLayer",
        "font-size",
    ] {
        assert!(
            !text.contains(noise),
            "{noise:?} is furniture, not content:\n{text}"
        );
    }
    assert_eq!(
        e.found.title.as_deref(),
        Some("Harbour board delays vote on fourth berth")
    );
    assert_eq!(e.found.author.as_deref(), Some("Priya Anand"));
    assert_eq!(e.found.published.as_deref(), Some("2024-03-15"));
    assert_eq!(e.found.publisher.as_deref(), Some("The Westmere Courier"));
}

#[test]
fn html_forum_in_nested_layout_tables_keeps_posts_and_drops_the_frame() {
    let e = extracted("forum.html");
    let p = paragraphs(&e.text);
    assert!(p.contains(&"Went to the board meeting last night.".to_string()));
    assert!(
        p.contains(
            &"They have deferred the vote until May & want a new tender with a noise limit."
                .to_string()
        )
    );
    assert!(p.contains(&"> Nobody could tell us who pays if the limit is broken".to_string()));
    assert!(p.contains(&"That is in schedule 4, paragraph 2 – I asked for a copy.".to_string()));
    for noise in [
        "Log in",
        "Register",
        "Boards",
        "Powered by",
        "forum_session",
    ] {
        assert!(!e.text.contains(noise), "{noise:?} kept:\n{}", e.text);
    }
}

#[test]
fn pdfs_from_four_producers_keep_pages_rejoin_hyphenation_and_run_on_over_page_breaks() {
    // LaTeX: TeX hyphenates "in-" / "cluded" across the page 2 → 3 break; page numbers dropped.
    let latex = extracted("latex.pdf");
    assert_eq!(latex.pages, Some(3));
    assert!(
        latex
            .text
            .contains("a revised tender that included \u{c}the noise limit"),
        "{}",
        latex.text
    );
    assert!(
        latex
            .text
            .contains("one hundred and forty million pounds \u{c}against future berth fees")
    );
    assert!(
        !paragraphs(&latex.text)
            .iter()
            .any(|p| p == "2" || p == "|2"),
        "page number kept"
    );
    assert_eq!(
        latex.found.title.as_deref(),
        Some("Westmere harbour board: berth expansion review")
    );
    assert_eq!(
        latex.found.author.as_deref(),
        Some("Harbour Board Secretariat")
    );
    assert_eq!(latex.found.published.as_deref(), Some("2024-03-14"));
    // paragraphs marked only by indentation are found
    assert!(
        paragraphs(&latex.text)
            .iter()
            .any(|p| p.starts_with("Members asked why the counterintelligence-style secrecy"))
    );

    // Chromium: soft hyphens (zero-width space glyphs, U+2010 at line ends) are invisible
    let chromium = extracted("chromium.pdf");
    assert_eq!(chromium.pages, Some(4));
    for word in [
        "consultation",
        "waterfront",
        "recommended",
        "counterintelligence-style",
        "negotiations",
        "office",
        "specified",
    ] {
        assert!(
            chromium.text.contains(word),
            "{word} not whole in:\n{}",
            chromium.text
        );
    }
    assert!(
        chromium
            .text
            .contains("around the shipping line's \u{c}commitment was necessary")
    );
    assert!(!chromium.text.contains('\u{ad}') && !chromium.text.contains('\u{2010}'));

    let libre = extracted("libreoffice.pdf");
    assert_eq!(libre.pages, Some(3));
    assert!(
        libre
            .text
            .contains("noting \u{c}that it kept the berth in public hands")
    );

    let groff = extracted("groff.pdf");
    assert_eq!(groff.pages, Some(5));
    assert!(
        groff
            .text
            .contains("The consultants recommended \u{c}disposal at the licensed offshore site")
    );
    // every page after the first begins with one form feed
    for e in [&latex, &chromium, &libre, &groff] {
        assert_eq!(
            e.text.matches('\u{c}').count() as u32 + 1,
            e.pages.unwrap_or(0)
        );
    }
}

#[test]
fn unreadable_pdfs_are_clear_errors_never_empty_sources() {
    let err = |name: &str| {
        extract::extract(Format::Pdf, &fs::read(fixture(name)).expect("fixture"))
            .expect_err("not a readable PDF")
            .to_string()
    };
    assert_eq!(
        err("scanned.pdf"),
        "no text layer: this PDF is an image; run OCR first"
    );
    assert!(
        err("encrypted.pdf").contains("encrypted"),
        "{}",
        err("encrypted.pdf")
    );
    assert!(
        err("truncated.pdf").contains("damaged or incomplete"),
        "{}",
        err("truncated.pdf")
    );
}

#[test]
fn email_prefers_plain_text_decodes_charsets_and_lists_attachments() {
    let e = extracted("tender-noise.eml");
    let p = paragraphs(&e.text);
    assert_eq!(p[0], "Dear members,");
    assert!(
        p[1].contains("stays below 55 dB between 23:00 and 06:00"),
        "{p:?}"
    );
    assert!(
        p.iter().any(|l| l.contains("façade")),
        "quoted-printable UTF-8"
    );
    assert!(
        p.iter().any(|l| l.contains("Mr Peña, Señora Ibáñez")),
        "the ISO-8859-1 part"
    );
    assert!(
        !e.text.contains("<b>"),
        "the HTML alternative is not used when there is plain text"
    );
    assert_eq!(
        e.found.title.as_deref(),
        Some("Noise limit for the berth tender – draft wording")
    );
    assert_eq!(e.found.author.as_deref(), Some("Helen O’Hara"));
    assert_eq!(e.found.published.as_deref(), Some("2024-03-18"));
    assert!(e.headers.contains(&(
        "Message-ID".into(),
        "<tender-noise-2024-03-18@westmere-harbour.example>".into()
    )));
    let names: Vec<(&str, &str, u64)> = e
        .attachments
        .iter()
        .map(|a| (a.name.as_str(), a.media_type.as_str(), a.size))
        .collect();
    assert_eq!(
        names,
        [
            ("noise-limits.csv", "text/csv", 71),
            ("sensor-log.bin", "application/octet-stream", 1024)
        ]
    );
    assert_eq!(e.attachments[1].sha256.len(), 64);

    // HTML only, base64, windows-1252
    let r = extracted("reply-html.eml");
    let p = paragraphs(&r.text);
    assert_eq!(p.last().map(String::as_str), Some("Tomás"));
    assert!(
        p.contains(
            &"> Suppliers must show that peak noise at the nearest dwelling stays below 55 dB"
                .to_string()
        )
    );
    assert_eq!(r.found.author.as_deref(), Some("Tomás Ferreira"));
}

#[test]
fn text_fragments_percent_encode_spaces_commas_dashes_and_ampersands() {
    use dossier::render::fragment::text_fragment;
    assert_eq!(
        text_fragment(
            "https://courier.example/a",
            &["chromium & zinc, night-time"]
        ),
        "https://courier.example/a#:~:text=chromium%20%26%20zinc%2C%20night%2Dtime"
    );
    assert_eq!(
        text_fragment(
            "https://e.example/",
            &["one two three four five six seven eight nine"]
        ),
        "https://e.example/#:~:text=one%20two%20three%20four,six%20seven%20eight%20nine"
    );
    assert_eq!(
        text_fragment("https://e.example/p#top", &["the berth", "in May"]),
        "https://e.example/p#top:~:text=the%20berth,in%20May"
    );
}

/// The three kinds added to a fresh dossier, quoted, built: the originals linked, pages shown.
#[test]
fn add_source_of_each_kind_quote_each_and_build() {
    let (_tmp, root) = new_dossier();
    let add = |file: &str, extra: &[&str]| {
        let mut args = vec![
            "add-source".to_string(),
            fixture(file).display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = dossier(&args, &root);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    let said = add("latex.pdf", &["--kind", "transcript", "--id", "minutes"]);
    assert!(
        said.contains("extracted 11 paragraphs from 3 pages"),
        "{said}"
    );
    assert!(
        said.contains(
            "filled title from the document: Westmere harbour board: berth expansion review"
        ),
        "{said}"
    );
    assert!(
        said.contains("filled published from the document: 2024-03-14"),
        "{said}"
    );
    let said = add(
        "article.html",
        &[
            "--kind",
            "article",
            "--id",
            "courier",
            "--url",
            "https://courier.example/harbour-vote",
            "--author",
            "Desk",
        ],
    );
    assert!(
        !said.contains("filled author"),
        "a flag wins over the document: {said}"
    );
    assert!(said.contains("filled publisher from the document: The Westmere Courier"));
    add(
        "tender-noise.eml",
        &[
            "--kind",
            "other",
            "--id",
            "tender",
            "--title",
            "Draft noise clause",
        ],
    );

    let sidecar = fs::read_to_string(root.join("content/sources/minutes.toml")).expect("sidecar");
    assert!(
        sidecar.contains("[original]\nfile = \"minutes.pdf\"\nmedia_type = \"application/pdf\""),
        "{sidecar}"
    );
    assert!(sidecar.contains("pages = 3"));
    assert!(sidecar.contains("origin = \"latex.pdf\""));
    assert_eq!(
        fs::read(root.join("content/sources/minutes.pdf")).ok(),
        fs::read(fixture("latex.pdf")).ok(),
        "copied byte for byte"
    );
    let courier = fs::read_to_string(root.join("content/sources/courier.toml")).expect("sidecar");
    assert!(courier.contains("author = \"Desk\""));
    let tender = fs::read_to_string(root.join("content/sources/tender.toml")).expect("sidecar");
    assert!(tender.contains("title = \"Draft noise clause\""));
    assert!(tender.contains("[[original.attachments]]\nname = \"noise-limits.csv\""));

    fs::write(
        root.join("content/summaries/berth.md"),
        "+++\ntitle = \"The berth decision\"\nsources = [\"minutes\", \"courier\", \"tender\"]\n+++\n\
         Across a page break: [\"one hundred and forty million pounds against future berth fees\"](src:minutes).\n\
         The paper: [\"contaminated with chromium & zinc\"](src:courier).\n\
         The clause: [\"peak noise at the nearest dwelling stays below 55 dB\"](src:tender).\n",
    )
    .expect("write summary");
    let out = dossier(&["build"], &root);
    assert!(out.status.success(), "{}", stderr(&out));
    let public = root.join("public");
    assert_eq!(
        fs::read(public.join("sources/minutes/minutes.pdf")).ok(),
        fs::read(fixture("latex.pdf")).ok()
    );
    assert!(public.join("sources/courier/courier.html").is_file());
    assert!(public.join("sources/tender/tender.eml").is_file());

    let page = fs::read_to_string(public.join("sources/minutes/index.html")).expect("page");
    assert!(page.contains("Extracted from the original PDF, 3 pages"));
    assert!(page.contains("<p class=\"text-key\">Each number links to its paragraph;"));
    assert!(page.contains("<a class=\"original-link\" href=\"minutes.pdf\""));
    assert!(page.contains("<span class=\"ppage\">pp. 1–2</span>"));
    assert!(page.contains("<span class=\"ppage\">p. 3</span>"));
    assert!(!page.contains('\u{c}'), "form feeds never reach a page");
    let sha = hex_sha256(&fs::read(fixture("latex.pdf")).expect("fixture"));
    assert!(page.contains(&sha[..8]), "the original's sha256 is shown");

    let summary = fs::read_to_string(public.join("summaries/berth/index.html")).expect("summary");
    assert!(
        summary.contains(
            "<span class=\"note-page\">pp. 1–2</span>, <span class=\"note-para\">¶6</span>"
        ),
        "{summary}"
    );
    assert!(summary.contains("href=\"../../sources/minutes/minutes.pdf#page=1\""));
    assert!(summary.contains("href=\"https://courier.example/harbour-vote#:~:text=contaminated%20with%20chromium%20%26%20zinc\""));
    let email = fs::read_to_string(public.join("sources/tender/index.html")).expect("page");
    assert!(email.contains(
        "<dt>Message-ID</dt><dd>&lt;tender-noise-2024-03-18@westmere-harbour.example&gt;</dd>"
    ));
    assert!(email.contains("noise-limits.csv"));
    assert!(email.contains("<mark"), "the quotation is highlighted");

    let out = dossier(&["check", "--extraction"], &root);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("Extracted 3 originals again: every derived text matches"));
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    dossier::load::content::load::hex(&Sha256::digest(bytes))
}

/// A dossier with the LaTeX PDF added as `minutes`.
fn with_minutes() -> (tempfile::TempDir, PathBuf) {
    let (tmp, root) = new_dossier();
    let pdf = fixture("latex.pdf").display().to_string();
    let out = dossier(
        &[
            "add-source",
            &pdf,
            "--kind",
            "transcript",
            "--id",
            "minutes",
        ],
        &root,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    (tmp, root)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("present")
        + 1
}

#[test]
fn a_changed_original_is_an_error_at_the_sidecar_sha256_line() {
    let (_tmp, root) = with_minutes();
    let pdf = root.join("content/sources/minutes.pdf");
    let mut bytes = fs::read(&pdf).expect("pdf");
    bytes.push(b'\n');
    fs::write(&pdf, bytes).expect("write");
    let out = dossier(&["build"], &root);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let sidecar = fs::read_to_string(root.join("content/sources/minutes.toml")).expect("sidecar");
    let line = line_of(&sidecar, "[original]") + 3; // file, media_type, sha256
    assert!(
        err.contains("`content/sources/minutes.pdf` does not match the sha256 in its sidecar"),
        "{err}"
    );
    assert!(
        err.contains(&format!("content/sources/minutes.toml:{line}:10")),
        "{err}"
    );
}

#[test]
fn a_stale_derived_text_is_caught_by_check_extraction_at_its_line() {
    let (_tmp, root) = with_minutes();
    let txt = root.join("content/sources/minutes.txt");
    let text = fs::read_to_string(&txt).expect("txt");
    let edited = text.replace("roughly nine hundred", "about nine hundred");
    fs::write(&txt, &edited).expect("write");
    // The sidecar's sha256 of the text catches it at the sidecar line…
    let out = dossier(&["check"], &root);
    let err = stderr(&out);
    let sidecar = fs::read_to_string(root.join("content/sources/minutes.toml")).expect("sidecar");
    let sha_line = line_of(&sidecar, "sha256 = ");
    assert!(
        err.contains(&format!("content/sources/minutes.toml:{sha_line}:10")),
        "{err}"
    );
    // …and --extraction names the line and the words, even once the sha256 is made to match.
    let fixed: String = sidecar
        .lines()
        .map(|l| {
            if l.starts_with("sha256 = ") && sidecar.find(l) < sidecar.find("[original]") {
                format!("sha256 = \"{}\"", hex_sha256(edited.as_bytes()))
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    fs::write(root.join("content/sources/minutes.toml"), fixed + "\n").expect("write");
    let out = dossier(&["check"], &root);
    assert!(
        out.status.success(),
        "the text now matches its sidecar: {}",
        stderr(&out)
    );
    let out = dossier(&["check", "--extraction"], &root);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let line = line_of(&edited, "about nine hundred");
    assert!(err.contains("`content/sources/minutes.txt` differs from a fresh extraction of `content/sources/minutes.pdf`"), "{err}");
    assert!(
        err.contains(&format!("content/sources/minutes.txt:{line}:")),
        "{err}"
    );
    assert!(
        err.contains("roughly nine hundred"),
        "the fresh words are shown: {err}"
    );
}

#[test]
fn originals_must_be_named_by_their_sidecar_and_pages_must_match() {
    let (_tmp, root) = with_minutes();
    // an original the sidecar does not name
    fs::copy(
        fixture("article.html"),
        root.join("content/sources/council-notice.html"),
    )
    .expect("copy");
    let err = stderr(&dossier(&["check"], &root));
    assert!(
        err.contains("`content/sources/council-notice.html` is not named by its sidecar"),
        "{err}"
    );
    fs::remove_file(root.join("content/sources/council-notice.html")).expect("rm");
    // a page break removed from the text (and its sha256 updated) disagrees with `pages`
    let txt = root.join("content/sources/minutes.txt");
    let text = fs::read_to_string(&txt)
        .expect("txt")
        .replacen('\u{c}', "", 1);
    fs::write(&txt, &text).expect("write");
    let sidecar = fs::read_to_string(root.join("content/sources/minutes.toml")).expect("sidecar");
    let first_sha = sidecar
        .lines()
        .find(|l| l.starts_with("sha256 = "))
        .expect("sha")
        .to_string();
    let sidecar = sidecar.replacen(
        &first_sha,
        &format!("sha256 = \"{}\"", hex_sha256(text.as_bytes())),
        1,
    );
    fs::write(root.join("content/sources/minutes.toml"), &sidecar).expect("write");
    let err = stderr(&dossier(&["check"], &root));
    let line = line_of(&sidecar, "pages = 3");
    assert!(
        err.contains("`pages = 3`, but the text has 2 pages"),
        "{err}"
    );
    assert!(
        err.contains(&format!("content/sources/minutes.toml:{line}:9")),
        "{err}"
    );
}
