//! Property tests over hostile input: source text, sidecars, front matter, site.toml and
//! Markdown references, first one parser at a time, then whole dossiers through `check` and
//! `build`. Every input must end in a result or in located diagnostics — never a panic, never a
//! hang, never a live script link or a file written outside the output.
//!
//! `DOSSIER_FUZZ_CASES` sets the cases per parser target (default 256, what the test suite
//! runs) and `DOSSIER_FUZZ_DOSSIERS` the whole dossiers written, checked and built (default 32). The long run and its figures are in
//! docs/performance.md ("Fuzzing"). A failure prints the seed and the shrunk input; rerun it
//! with `PROPTEST_RNG_SEED`.

use std::path::Path;
use std::time::{Duration, Instant};

use dossier::diagnostics::Diagnostic;
use dossier::load::config::SiteConfig;
use dossier::load::content::front_matter::{parse_page_meta, parse_sidecar, split};
use dossier::load::content::source_text::{decode, split_paragraphs, word_count};
use dossier::load::content::{Body, PageKind, ParagraphMode};
use dossier::load::references::scan_links;
use dossier::render::markdown::{self, RenderLink, RenderOptions};
use dossier::resolve::quotation::Quotation;
use dossier::slug::slugify;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// One input may take this long in a debug build before it counts as a hang: far above the
/// milliseconds any of these inputs needs, far below what a quadratic step would take.
const HANG: Duration = Duration::from_secs(5);

/// A count from the environment, `1_000_000` style accepted.
fn cases(variable: &str, default: u32) -> u32 {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.replace('_', "").parse::<u32>().ok())
        .unwrap_or(default)
}

/// The runner of a parser target.
fn runner() -> TestRunner {
    runner_of(cases("DOSSIER_FUZZ_CASES", 256))
}

fn runner_of(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

/// Pieces that hostile or merely unusual Markdown, TOML and source text are made of: the
/// syntax dossier reads (links, schemes, anchors, quotations, headings, fences, front matter)
/// mixed with control characters, entities, raw HTML and text in several scripts.
const PIECES: &[&str] = &[
    "[",
    "]",
    "(",
    ")",
    "![",
    "<",
    ">",
    "src:",
    "src:alpha",
    "src:alpha#p1",
    "src:alpha#p2",
    "src:alpha#p999",
    "src:nope",
    "summary:",
    "summary:brief",
    "event:",
    "event:launch",
    "source:alpha",
    "scr:alpha",
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:x",
    "&#106;avascript:x",
    "vbscript:x",
    "data:text/html,<script>x</script>",
    "https://example.org/a?b=c&d",
    "mailto:a@example.org",
    "#p1",
    "{#p1}",
    "{#x}",
    "\"",
    "“",
    "”",
    "‘",
    "’",
    "'",
    "…",
    "...",
    "[…]",
    "# ",
    "## ",
    "\n",
    "\n\n",
    "\r\n",
    "   ",
    "\t",
    "- ",
    "* ",
    "• ",
    "> ",
    "```",
    "```rust\n",
    "~~~",
    "    code",
    "`",
    "**",
    "_",
    "[^1]",
    "[^1]: ",
    "[ref]: javascript:x",
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a]( javascript:alert(1))",
    "[a](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "![i](javascript:alert(1))",
    "[a](vbscript:x)",
    "[a](data:text/html,x)",
    "\n[r]: javascript:alert(1)\n[b][r]",
    "[q](src:alpha#p1)",
    "[\"The cost is insignificant\"](src:alpha#p1)",
    "[\"quarterly words\"](src:alpha)",
    "[ref]",
    "<script>alert(1)</script>",
    "<a href=\"javascript:x\">",
    "&amp;",
    "&#0;",
    "\u{0}",
    "\u{1b}[2J",
    "\u{7}",
    "\u{feff}",
    "\u{200b}",
    "\u{301}",
    "+++",
    "+++\n",
    "title = \"",
    "id = ",
    "date = 2024-04-18",
    "date = 0000-01-01",
    "published = \"2024-Q2\"",
    "=",
    "[[taxonomies]]",
    "name = ",
    "people = [\"",
    "日本語",
    "हिंदी",
    "ที่นี่",
    "İstanbul",
    "ΟΔΥΣΣΕΥΣ",
    "Straße",
    "ａｂｚ",
    "𝐳",
    "Jörg Müller",
    "quarterly",
    "words",
    "the cost is insignificant",
];

/// A string assembled from [`PIECES`] and arbitrary characters.
fn hostile_text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,6}",
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Every diagnostic points inside the file it names: a line that exists, a column on it.
fn assert_located(diagnostics: &[Diagnostic], text: &str) {
    let lines = text.split('\n').count();
    for d in diagnostics {
        if let Some(at) = &d.location {
            assert!(
                at.line >= 1 && at.line <= lines,
                "line {} of {lines}: {}",
                at.line,
                d.message
            );
            assert!(at.col >= 1, "column 0: {}", d.message);
        }
    }
}

fn timed<T>(what: &str, input: &str, run: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = run();
    let took = started.elapsed();
    assert!(
        took < HANG,
        "{what} took {took:?} on {} bytes: {input:?}",
        input.len()
    );
    result
}

#[test]
fn source_text_splits_without_panicking() {
    let bytes = prop_oneof![
        hostile_text(60).prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..200),
    ];
    runner()
        .run(&bytes, |bytes| {
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            timed("splitting a source", &shown, || {
                if let Ok(text) = decode(&bytes) {
                    let lines = text.split('\n').count() as u32;
                    for mode in [ParagraphMode::Lines, ParagraphMode::Blocks] {
                        for p in split_paragraphs(text, mode) {
                            assert!(p.line >= 1 && p.line <= lines, "¶ on line {}", p.line);
                        }
                    }
                    word_count(text);
                }
            });
            Ok(())
        })
        .expect("source text");
}

#[test]
fn front_matter_is_split_and_parsed_or_located() {
    let page = (hostile_text(30), hostile_text(30), any::<bool>()).prop_map(|(toml, md, close)| {
        if close {
            format!("+++\n{toml}\n+++\n{md}")
        } else {
            format!("+++\n{toml}{md}")
        }
    });
    let path = Path::new("content/summaries/fuzz.md");
    runner()
        .run(&page, |text| {
            timed("front matter", &text, || match split(path, &text) {
                Ok(parts) => {
                    for kind in [PageKind::Index, PageKind::Summary, PageKind::Event] {
                        if let Err(problems) =
                            parse_page_meta(kind, path, &text, parts.toml.clone())
                        {
                            assert!(!problems.is_empty(), "an error without a diagnostic");
                            assert_located(&problems, &text);
                        }
                    }
                }
                Err(problem) => assert_located(&[problem], &text),
            });
            Ok(())
        })
        .expect("front matter");
}

#[test]
fn sidecars_parse_or_are_located() {
    let keys = prop_oneof![
        Just("title = \"A title\"\n".to_string()),
        Just("kind = \"article\"\n".to_string()),
        Just("published = 2024-04-18\n".to_string()),
        Just("date_precision = \"month\"\n".to_string()),
        Just("url = \"javascript:alert(1)\"\n".to_string()),
        Just("sha256 = \"00\"\n".to_string()),
        Just("paragraphs = \"blocks\"\n".to_string()),
        hostile_text(12).prop_map(|v| format!("note = \"\"\"\n{v}\n\"\"\"\n")),
        hostile_text(12).prop_map(|v| format!("title = {v:?}\n")),
        hostile_text(12),
    ];
    let sidecar = proptest::collection::vec(keys, 0..8).prop_map(|k| k.concat());
    let path = Path::new("content/sources/alpha.toml");
    runner()
        .run(&sidecar, |text| {
            timed("a sidecar", &text, || {
                if let Err(problems) = parse_sidecar(path, &text) {
                    assert!(!problems.is_empty());
                    assert_located(&problems, &text);
                }
            });
            Ok(())
        })
        .expect("sidecars");
}

#[test]
fn site_config_parses_or_is_located() {
    let keys = prop_oneof![
        Just("title = \"T\"\n".to_string()),
        Just("base_url = \"https://example.org/\"\n".to_string()),
        Just("theme = \"briefing\"\n".to_string()),
        Just("theme = \"../../x\"\n".to_string()),
        Just("output_dir = \"../elsewhere\"\n".to_string()),
        Just("output_dir = \"/tmp\"\n".to_string()),
        Just("[[taxonomies]]\nname = \"people\"\n".to_string()),
        Just("[markdown]\nraw_html = true\n".to_string()),
        hostile_text(12).prop_map(|v| format!("description = {v:?}\n")),
        hostile_text(12),
    ];
    let config = proptest::collection::vec(keys, 0..8).prop_map(|k| k.concat());
    runner()
        .run(&config, |text| {
            timed("site.toml", &text, || {
                if let Err(problems) = SiteConfig::parse(&text) {
                    assert!(!problems.is_empty());
                    assert_located(&problems, &text);
                }
            });
            Ok(())
        })
        .expect("site.toml");
}

#[test]
fn markdown_references_scan_and_render_safely() {
    runner()
        .run(&hostile_text(80), |text| {
            timed("Markdown", &text, || {
                let body = Body {
                    text: &text,
                    offset: 0,
                    file_text: &text,
                };
                let links: Vec<RenderLink> = scan_links(body)
                    .iter()
                    .zip(1..)
                    .map(|(link, n)| RenderLink {
                        offset: link.offset,
                        href: "../../sources/alpha/#p1".into(),
                        citation: Some(n),
                        grade: None,
                    })
                    .collect();
                let html = markdown::render(
                    body,
                    &links,
                    RenderOptions {
                        raw_html: false,
                        id_prefix: "",
                        heading_shift: 0,
                        root: "../",
                        box_prefix: "",
                    },
                );
                assert_no_live_script(&html, &text);
            });
            Ok(())
        })
        .expect("Markdown");
}

/// No `<script>` element or script URL from content survives into HTML: every `href` and
/// `src` of every element, read as a browser reads it (entities decoded, white space and
/// control characters stripped, any case), has a harmless scheme.
fn assert_no_live_script(html: &str, input: &str) {
    let lower = html.to_ascii_lowercase();
    // The theme has scripts of its own: look for the ones the pieces above put in content.
    for script in ["<script>alert(1)", "<script>x<"] {
        assert!(!lower.contains(script), "a live script from {input:?}");
    }
    let document = scraper::Html::parse_document(html);
    let linked = scraper::Selector::parse("[href], [src]").expect("selector");
    for element in document.select(&linked) {
        for attr in ["href", "src"] {
            let Some(value) = element.value().attr(attr) else {
                continue;
            };
            let url: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !url.starts_with(scheme),
                    "a live {attr}={value:?} from {input:?}"
                );
            }
        }
    }
}

#[test]
fn quotations_find_what_the_paragraph_holds() {
    // A paragraph and a run of its words (cut at spaces): the run, quoted, must be found.
    let case = (
        hostile_text(40),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
    );
    runner()
        .run(&case, |(paragraph, a, b)| {
            timed("a quotation", &paragraph, || {
                let words: Vec<&str> = paragraph.split(' ').collect();
                let (from, to) = {
                    let (x, y) = (a.index(words.len()), b.index(words.len()));
                    (x.min(y), x.max(y) + 1)
                };
                let run = words[from..to].join(" ");
                if let Some(q) = Quotation::new(&run) {
                    if let Some(ranges) = q.find_in(&paragraph) {
                        for r in &ranges {
                            assert!(r.start <= r.end && r.end <= paragraph.len());
                            assert!(paragraph.is_char_boundary(r.start));
                            assert!(paragraph.is_char_boundary(r.end));
                        }
                    }
                    let has_ellipsis = ["…", "..."].iter().any(|e| run.contains(e));
                    if !has_ellipsis {
                        assert!(
                            q.occurs_in(&paragraph),
                            "{run:?} is in {paragraph:?} but was not found"
                        );
                    }
                }
            });
            Ok(())
        })
        .expect("quotations");
}

#[test]
fn slugs_stay_inside_their_folder() {
    runner()
        .run(&hostile_text(12), |name| {
            let slug = timed("a slug", &name, || slugify(&name));
            assert!(!slug.contains('/') && !slug.contains('\\'), "{slug:?}");
            assert!(!slug.starts_with('.'), "{slug:?}");
            assert!(!slug.chars().any(char::is_control), "{slug:?}");
            assert_eq!(slugify(&slug), slug, "a slug of a slug differs: {name:?}");
            Ok(())
        })
        .expect("slugs");
}

/// A small dossier whose every text file is drawn from [`hostile_text`].
#[derive(Debug, Clone)]
struct FuzzDossier {
    source: String,
    note: String,
    summary: String,
    brief: String,
}

fn fuzz_dossier() -> impl Strategy<Value = FuzzDossier> {
    (
        hostile_text(40),
        hostile_text(15),
        hostile_text(60),
        hostile_text(30),
    )
        .prop_map(|(source, note, summary, brief)| FuzzDossier {
            source: format!("The cost is insignificant, quarterly words.\n{source}"),
            note,
            summary,
            brief,
        })
}

impl FuzzDossier {
    fn write(&self, root: &Path) -> std::io::Result<()> {
        let content = root.join("content");
        std::fs::create_dir_all(content.join("sources"))?;
        std::fs::create_dir_all(content.join("summaries"))?;
        std::fs::write(
            root.join("site.toml"),
            "title = \"Fuzz\"\nbase_url = \"https://example.org\"\n[[taxonomies]]\nname = \"people\"\n",
        )?;
        std::fs::write(content.join("sources/alpha.txt"), &self.source)?;
        std::fs::write(
            content.join("sources/alpha.toml"),
            format!(
                "title = \"Alpha\"\nkind = \"article\"\npublished = 2024-04-18\nnote = {:?}\n",
                self.note
            ),
        )?;
        std::fs::write(
            content.join("summaries/brief.md"),
            format!(
                "+++\ntitle = \"Brief\"\n+++\nSee [the text](src:alpha).\n{}",
                self.summary
            ),
        )?;
        std::fs::write(
            content.join("_index.md"),
            format!(
                "+++\ntitle = \"Fuzz\"\n+++\n[\"The cost is insignificant\"](src:alpha#p1)\n{}",
                self.brief
            ),
        )?;
        Ok(())
    }
}

#[test]
fn whole_dossiers_check_and_build_safely() {
    runner_of(cases("DOSSIER_FUZZ_DOSSIERS", 32))
        .run(&fuzz_dossier(), |dossier| {
            let tmp = tempfile::tempdir().expect("temp dir");
            let root = tmp.path().join("dossier");
            dossier.write(&root).expect("write the dossier");
            let options = dossier::pipeline::Options {
                root: root.clone(),
                drafts: false,
                base_url: None,
            };
            let shown = format!("{dossier:?}");
            let checked = timed("check", &shown, || {
                dossier::pipeline::check(&options, &dossier::progress::Silent)
            });
            let out = tmp.path().join("out");
            let built = timed("build", &shown, || {
                let output = dossier::pipeline::OutputOptions {
                    dir: Some(out.clone()),
                    force: false,
                };
                dossier::pipeline::build(&options, &output, &dossier::progress::Silent)
            });
            // `check` promises what `build` does: both succeed or both fail.
            assert_eq!(checked.is_ok(), built.is_ok(), "{shown}");
            match built {
                Ok(_) => {
                    for entry in walkdir::WalkDir::new(&out) {
                        let entry = entry.expect("readable output");
                        if entry.path().extension().is_some_and(|e| e == "html") {
                            let html = std::fs::read_to_string(entry.path()).expect("utf-8");
                            assert_no_live_script(&html, &shown);
                        }
                    }
                }
                Err(dossier::pipeline::Failure::Content(problems)) => {
                    assert!(problems.iter().any(Diagnostic::is_error), "{shown}");
                    assert!(!out.exists(), "a failed first build left an output folder");
                }
                Err(other) => panic!("{other} on {shown}"),
            }
            // Nothing but the dossier and its output in the temporary folder.
            let mut names: Vec<String> = std::fs::read_dir(tmp.path())
                .expect("temp dir")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            names.sort();
            names.retain(|n| n != "out");
            assert_eq!(names, ["dossier"], "{shown}");
            Ok(())
        })
        .expect("whole dossiers");
}
