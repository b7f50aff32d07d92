//! What `build` may replace: only an output folder that is empty or that dossier wrote, unless
//! `--force`; never the dossier, a link, or a folder reached through a link by surprise. Every
//! test here could destroy data if the code were wrong, so each works only inside its own
//! temporary folder. scripts/test runs this file a second time as an unprivileged user.
//! Links are made with the Unix calls, and killed builds are recognised through Linux's /proc.

#![cfg(unix)]

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{Dossier, snapshot, stderr};

const MARKER: &str = ".dossier-output";

/// A folder that looks like someone's home: tools, caches, settings, a document.
fn home_like(dir: &Path) {
    for (rel, text) in [
        (".cargo/bin/rustc", "a toolchain"),
        (".cache/thing/blob", "a cache"),
        (".config/editor/settings.toml", "settings"),
        ("notes.txt", "my notes"),
    ] {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        fs::write(path, text).expect("write");
    }
}

fn build(dossier: &Dossier, args: &[&str]) -> Output {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    dossier.run(&all)
}

fn build_with_output(dossier: &Dossier, output: &Path, extra: &[&str]) -> Output {
    let mut cmd = dossier.cmd(&["build", "--output"]);
    cmd.arg(output).args(extra);
    cmd.output().expect("runs")
}

fn assert_usage_refusal(out: &Output, says: &[&str]) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for s in says {
        assert!(err.contains(s), "stderr lacks {s:?}:\n{err}");
    }
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("readable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_home_like_folder_is_refused_and_left_untouched() {
    let dossier = Dossier::harbour();
    let home = dossier.root.parent().expect("temp dir").join("home");
    home_like(&home);
    let before = snapshot(&home);
    let out = build_with_output(&dossier, &home, &[]);
    assert_usage_refusal(
        &out,
        &[
            &home.display().to_string(),
            "not written by dossier",
            "4 entries (.cache, .cargo, .config, notes.txt)",
            "--force",
            "another --output",
        ],
    );
    assert_eq!(snapshot(&home), before);
    assert_eq!(
        names(home.parent().expect("parent")),
        ["dossier", "home"],
        "no staging folder left behind"
    );
}

#[test]
fn a_git_folder_inside_the_dossier_is_refused() {
    let dossier = Dossier::harbour();
    dossier.write(".git/HEAD", "ref: refs/heads/main\n");
    dossier.write(".git/objects/ab/cdef", "object");
    let before = snapshot(&dossier.root.join(".git"));
    let out = build(&dossier, &["--output", ".git"]);
    assert_usage_refusal(&out, &["`.git`", "2 entries (HEAD, objects)"]);
    assert_eq!(snapshot(&dossier.root.join(".git")), before);
}

#[test]
fn a_public_folder_dossier_did_not_write_is_refused() {
    let dossier = Dossier::harbour();
    dossier.write("public/hand-made.html", "mine");
    let out = build(&dossier, &[]);
    assert_usage_refusal(
        &out,
        &["1 entry (hand-made.html)", "set another output_dir"],
    );
    assert_eq!(names(&dossier.public()), ["hand-made.html"]);
}

#[test]
fn force_replaces_a_folder_dossier_did_not_write() {
    let dossier = Dossier::harbour();
    let home = dossier.root.parent().expect("temp dir").join("home");
    home_like(&home);
    let out = build_with_output(&dossier, &home, &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(home.join("index.html").is_file());
    assert!(home.join(MARKER).is_file());
    assert!(!home.join("notes.txt").exists());
    assert!(!home.join(".cargo").exists());
}

#[test]
fn force_never_replaces_the_dossier_or_its_content() {
    let dossier = Dossier::harbour();
    let before = snapshot(&dossier.root);
    for output in [".", "content", "content/sources", "themes", ".."] {
        let out = build(&dossier, &["--force", "--output", output]);
        assert_usage_refusal(&out, &["holds the dossier itself"]);
    }
    assert_eq!(snapshot(&dossier.root), before);
}

#[test]
fn an_empty_folder_is_accepted() {
    let dossier = Dossier::harbour();
    fs::create_dir(dossier.public()).expect("mkdir");
    let site = dossier.build();
    assert!(site.dir.join("index.html").is_file());
}

#[test]
fn first_build_into_a_new_folder_and_every_rebuild_work() {
    let dossier = Dossier::harbour();
    let out = build(&dossier, &["--output", "out/deep/site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let site = dossier.root.join("out/deep/site");
    assert!(site.join("index.html").is_file());
    // A file left in a folder dossier wrote goes with the next build, as it always did.
    fs::write(site.join("stray.html"), "stray").expect("write");
    for _ in 0..2 {
        let out = build(&dossier, &["--output", "out/deep/site"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(site.join("index.html").is_file());
    assert!(!site.join("stray.html").exists());
    assert_eq!(names(&dossier.root.join("out/deep")), ["site"]);
    assert!(
        fs::read_to_string(site.join(MARKER))
            .expect("marker")
            .contains("written by `dossier build`")
    );
}

#[test]
fn the_marker_is_not_a_page_of_the_site() {
    let dossier = Dossier::harbour();
    let site = dossier.build();
    assert!(!site.text("sitemap.xml").contains(MARKER));
}

#[test]
fn output_dir_outside_the_dossier_is_a_located_error() {
    let dossier = Dossier::harbour();
    let documents = dossier.root.parent().expect("temp dir").join("Documents");
    home_like(&documents);
    let before = snapshot(&documents);
    let config = fs::read_to_string(dossier.root.join("site.toml")).expect("site.toml");
    for value in ["../Documents".to_string(), documents.display().to_string()] {
        dossier.write(
            "site.toml",
            &format!("output_dir = \"{}\"\n{config}", value.replace('\\', "\\\\")),
        );
        let out = build(&dossier, &["--force"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("site.toml:1:1"), "{err}");
        assert!(err.contains("must be one inside the dossier"), "{err}");
    }
    assert_eq!(snapshot(&documents), before);
}

#[test]
fn output_dir_leading_out_through_a_link_is_refused() {
    let dossier = Dossier::harbour();
    let elsewhere = dossier.root.parent().expect("temp dir").join("elsewhere");
    fs::create_dir(&elsewhere).expect("mkdir");
    std::os::unix::fs::symlink(&elsewhere, dossier.root.join("out")).expect("symlink");
    let config = fs::read_to_string(dossier.root.join("site.toml")).expect("site.toml");
    dossier.write("site.toml", &format!("output_dir = \"out/site\"\n{config}"));
    let out = build(&dossier, &[]);
    assert_usage_refusal(&out, &["leads out of the dossier", "symbolic link"]);
    assert!(names(&elsewhere).is_empty());
    // An explicit --output may go there.
    let out = build(&dossier, &["--output", "out/site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(elsewhere.join("site/index.html").is_file());
}

#[test]
fn an_output_that_is_a_link_is_refused_and_its_target_untouched() {
    let dossier = Dossier::harbour();
    let target = dossier.root.parent().expect("temp dir").join("target");
    home_like(&target);
    fs::write(target.join(MARKER), "even with a marker").expect("write");
    let before = snapshot(&target);
    std::os::unix::fs::symlink(&target, dossier.public()).expect("symlink");
    for args in [&[][..], &["--force"], &["--output", "public/"]] {
        let out = build(&dossier, args);
        assert_usage_refusal(&out, &["public", "symbolic link"]);
    }
    assert_eq!(snapshot(&target), before);
    assert!(dossier.public().is_symlink());
    assert!(
        !names(&dossier.root)
            .iter()
            .any(|n| n.starts_with(".public.")),
        "{:?}",
        names(&dossier.root)
    );
}

#[test]
fn dot_dot_after_a_link_means_what_the_system_means() {
    // `lnk/../../content` from the root is `content` itself once `lnk` is followed, though it
    // reads as a folder beside the dossier: it must be refused as the dossier's content.
    let dossier = Dossier::harbour();
    fs::create_dir_all(dossier.root.join("x/y")).expect("mkdir");
    std::os::unix::fs::symlink("x/y", dossier.root.join("lnk")).expect("symlink");
    let before = snapshot(&dossier.root.join("content"));
    for force in [&[][..], &["--force"]] {
        let mut args = vec!["--output", "lnk/../../content"];
        args.extend_from_slice(force);
        let out = build(&dossier, &args);
        assert_usage_refusal(&out, &["holds the dossier itself"]);
    }
    assert_eq!(snapshot(&dossier.root.join("content")), before);
    // And a new folder through the link lands where the link leads.
    let out = build(&dossier, &["--output", "lnk/../site"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(dossier.root.join("x/site/index.html").is_file());
}

#[test]
fn the_current_folder_is_refused_clearly() {
    let dossier = Dossier::harbour();
    let site = dossier.root.parent().expect("temp dir").join("site");
    let out = build_with_output(&dossier, &site, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = snapshot(&site);
    for dir in [site.clone(), site.join("sources")] {
        let mut cmd = dossier.cmd(&["build", "--force", "--root"]);
        cmd.arg(&dossier.root)
            .args(["--output", &site.display().to_string()])
            .current_dir(&dir);
        let out = cmd.output().expect("runs");
        assert_usage_refusal(&out, &["the current folder is in it"]);
        assert!(!stderr(&out).contains("busy"));
    }
    let mut cmd = dossier.cmd(&["build", "--root"]);
    cmd.arg(&dossier.root)
        .args(["--output", "."])
        .current_dir(&site);
    assert_usage_refusal(&cmd.output().expect("runs"), &["current folder"]);
    assert_eq!(snapshot(&site), before);
}

#[test]
fn a_file_as_output_is_refused() {
    let dossier = Dossier::harbour();
    dossier.write("notes.txt", "notes");
    let out = build(&dossier, &["--force", "--output", "notes.txt"]);
    assert_usage_refusal(&out, &["not a folder"]);
    assert_eq!(
        fs::read_to_string(dossier.root.join("notes.txt")).expect("kept"),
        "notes"
    );
}

/// A process id no process can have: above the system's limit.
#[cfg(target_os = "linux")]
fn impossible_pid() -> u64 {
    let max: u64 = fs::read_to_string("/proc/sys/kernel/pid_max")
        .expect("Linux")
        .trim()
        .parse()
        .expect("a number");
    max + 1
}

#[test]
#[cfg(target_os = "linux")]
fn leftovers_of_killed_builds_are_removed() {
    let dossier = Dossier::harbour();
    let dead = impossible_pid();
    let outside = dossier.root.parent().expect("temp dir").join("outside");
    home_like(&outside);
    let outside_before = snapshot(&outside);
    let stale = [
        format!(".public.staging-{dead}"),
        format!(".public.old-{dead}"),
    ];
    for name in &stale {
        dossier.write(&format!("{name}/sources/a/index.html"), "old");
        dossier.write(&format!("{name}/.dossier-output"), "written by dossier");
        // A link inside a leftover is removed as a link; what it points at stays.
        std::os::unix::fs::symlink(&outside, dossier.root.join(name).join("link"))
            .expect("symlink");
    }
    // A leftover that is itself a link to a folder.
    let linked = format!(".public.old-{}", dead + 1);
    std::os::unix::fs::symlink(&outside, dossier.root.join(&linked)).expect("symlink");
    // Names that only look like leftovers, and the leftover of a process that runs.
    let kept = [
        format!(".public.staging-0{dead}"),
        format!(".public.staging-{dead}x"),
        format!(".other.staging-{dead}"),
        format!("public.staging-{dead}"),
        format!(".public.staging-{}", std::process::id()),
        // The right name and a dead process, but no marker: dossier did not write it.
        format!(".public.old-{}", dead + 2),
    ];
    for name in &kept {
        dossier.write(&format!("{name}/keep"), "keep");
    }
    dossier.build();
    let now = names(&dossier.root);
    for name in stale.iter().chain([&linked]) {
        assert!(!now.contains(name), "{name} left: {now:?}");
    }
    for name in &kept {
        assert!(now.contains(name), "{name} removed: {now:?}");
    }
    assert_eq!(snapshot(&outside), outside_before);
}

#[test]
fn an_old_site_that_cannot_be_removed_is_a_warning() {
    let dossier = Dossier::harbour();
    dossier.build();
    // A tree deeper than the system's longest path: removing it by full paths fails, for
    // root too. It is built in two halves, each short enough to create.
    let segment = "d".repeat(200);
    let half: std::path::PathBuf = std::iter::repeat_n(segment.as_str(), 12).collect();
    let tmp = dossier.root.parent().expect("temp dir");
    fs::create_dir_all(dossier.public().join(&half)).expect("first half");
    fs::create_dir_all(tmp.join("second").join(&half)).expect("second half");
    fs::write(tmp.join("second").join(&half).join("deep.txt"), "deep").expect("write");
    fs::rename(
        tmp.join("second"),
        dossier.public().join(&half).join("second"),
    )
    .expect("join the halves");
    let out = build(&dossier, &[]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("warning: the site was written"), "{err}");
    assert!(dossier.public().join("index.html").is_file());
    assert!(!dossier.public().join(&segment).exists());
}

#[test]
#[cfg(target_os = "linux")]
fn readers_never_find_the_output_missing_during_rebuilds() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let dossier = Dossier::harbour();
    dossier.build();
    let index = dossier.public().join("index.html");
    let stop = Arc::new(AtomicBool::new(false));
    let (checks, misses) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let poller = {
        let (stop, checks, misses) = (stop.clone(), checks.clone(), misses.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if !index.is_file() {
                    misses.fetch_add(1, Ordering::Relaxed);
                }
                checks.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    for _ in 0..10 {
        let out = build(&dossier, &[]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    stop.store(true, Ordering::Relaxed);
    poller.join().expect("poller");
    assert!(
        checks.load(Ordering::Relaxed) > 1000,
        "the poller hardly ran"
    );
    assert_eq!(
        misses.load(Ordering::Relaxed),
        0,
        "index.html missing in {} of {} checks",
        misses.load(Ordering::Relaxed),
        checks.load(Ordering::Relaxed)
    );
}
