//! The default theme and the `dossier new` skeleton are embedded in the binary: rebuild it
//! when their files change (include_dir does not tell cargo by itself). Also records the git
//! commit the binary is built from, for `dossier --version`, when git can tell.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=themes/briefing");
    println!("cargo:rerun-if-changed=skeleton");
    // Only in dossier's own checkout: a copy vendored inside another repository must not
    // report that repository's commit.
    if !std::path::Path::new(".git").exists() {
        return;
    }
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    if let Some(commit) = commit {
        let dirty = Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=no"])
            .output()
            .ok()
            .is_some_and(|out| !out.stdout.is_empty());
        let suffix = if dirty { "-modified" } else { "" };
        println!("cargo:rustc-env=DOSSIER_COMMIT={commit}{suffix}");
        // A new commit or checkout changes HEAD (or the branch it names).
        for path in [
            ".git/HEAD",
            ".git/refs/heads",
            ".git/packed-refs",
            ".git/index",
        ] {
            if std::path::Path::new(path).exists() {
                println!("cargo:rerun-if-changed={path}");
            }
        }
    }
}
