//! Test harness: copies of fixture dossiers in temporary folders, the `dossier` binary run
//! against them, and helpers to read and parse what it wrote.

#![allow(dead_code)] // each test binary uses its own part of the harness

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    // scripts/test runs the output-safety tests once more as an unprivileged user, who may
    // not be able to read the checkout: it gives them a copy of the fixtures instead.
    match std::env::var_os("DOSSIER_TEST_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
    }
}

/// Copy a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("readable fixture");
        let rel = entry.path().strip_prefix(from).expect("inside");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).expect("create dir");
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// A dossier in a temporary folder.
pub struct Dossier {
    _tmp: tempfile::TempDir,
    /// Its root.
    pub root: PathBuf,
}

impl Dossier {
    /// A fresh copy of the fixture dossier `name` (a folder under tests/fixtures).
    pub fn copy_of(name: &str) -> Dossier {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("dossier");
        copy_tree(&fixtures().join(name), &root);
        Dossier { _tmp: tmp, root }
    }

    /// The healthy Kestrel Bay dossier.
    pub fn harbour() -> Dossier {
        Dossier::copy_of("harbour")
    }

    /// The dossier this repository ships.
    pub fn shipped() -> Dossier {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("dossier");
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        fs::create_dir_all(&root).expect("create");
        fs::copy(repo.join("site.toml"), root.join("site.toml")).expect("site.toml");
        copy_tree(&repo.join("content"), &root.join("content"));
        copy_tree(&repo.join("themes"), &root.join("themes"));
        Dossier { _tmp: tmp, root }
    }

    /// Apply broken case `case` from tests/fixtures/broken: copy its `files/` over the dossier
    /// and delete the paths its `delete` file lists. Returns the lines its `expected` file says
    /// the error output must contain.
    pub fn break_with(&self, case: &str) -> Vec<String> {
        let dir = fixtures().join("broken").join(case);
        assert!(dir.is_dir(), "no broken case {case}");
        if dir.join("files").is_dir() {
            copy_tree(&dir.join("files"), &self.root);
        }
        if let Ok(list) = fs::read_to_string(dir.join("delete")) {
            for path in list.lines().filter(|l| !l.trim().is_empty()) {
                fs::remove_file(self.root.join(path.trim())).expect("delete listed file");
            }
        }
        fs::read_to_string(dir.join("expected"))
            .expect("every broken case has an expected file")
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_string)
            .collect()
    }

    /// `dossier ARGS` run in the dossier's root.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("dossier").expect("binary built");
        cmd.current_dir(&self.root).args(args);
        cmd
    }

    /// Run `dossier ARGS` and return its output.
    pub fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("runs")
    }

    /// `dossier build`, which must succeed. The site borrows the dossier, whose temporary
    /// folder must outlive it.
    pub fn build(&self) -> Site<'_> {
        let out = self.run(&["build"]);
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.site()
    }

    /// The site in the output folder, as it is.
    pub fn site(&self) -> Site<'_> {
        Site {
            dir: self.root.join("public"),
            _dossier: std::marker::PhantomData,
        }
    }

    /// Write a file of the dossier.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }

    /// The output folder.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }
}

/// A built site.
pub struct Site<'a> {
    /// Its folder.
    pub dir: PathBuf,
    _dossier: std::marker::PhantomData<&'a Dossier>,
}

impl Site<'_> {
    /// A page's HTML, parsed.
    pub fn page(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.text(rel))
    }

    /// A file's text.
    pub fn text(&self, rel: &str) -> String {
        fs::read_to_string(self.dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Every file under `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("inside").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Select elements with a CSS selector.
pub fn select<'a>(html: &'a scraper::Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(selector).unwrap_or_else(|e| panic!("{selector}: {e:?}"));
    html.select(&sel).collect()
}

/// The text of an element, whitespace collapsed.
pub fn text_of(el: &scraper::ElementRef<'_>) -> String {
    el.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Standard error as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}
