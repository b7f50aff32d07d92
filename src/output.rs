//! The write stage: the rendered site goes to a staging folder next to the output folder,
//! which then replaces the old one by renames. A failed build never touches the previous
//! output, and a failed first build leaves no folder behind.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::fsutil::{self, IoError};
use crate::progress::Progress;

/// A file of the site, in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// Its bytes.
    pub contents: Vec<u8>,
}

/// Write `files` as the new contents of `out_dir`, replacing what was there.
pub fn write_site(
    out_dir: &Path,
    files: &[OutputFile],
    progress: &dyn Progress,
) -> Result<(), IoError> {
    let parent = out_dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    fsutil::create_dir_all(parent)?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));

    progress.begin("Writing", files.len());
    let result =
        write_tree(&staging, files, progress).and_then(|()| swap_in(&staging, out_dir, &retired));
    progress.end();
    if result.is_err() {
        // Best effort: the error being returned matters more than a leftover staging folder.
        let _ = fsutil::remove_dir_all(&staging);
    }
    result
}

fn write_tree(dir: &Path, files: &[OutputFile], progress: &dyn Progress) -> Result<(), IoError> {
    fsutil::remove_dir_all(dir)?;
    fsutil::create_dir_all(dir)?;
    // Create every folder first (sorted, so parents come before children), then write the
    // files in parallel.
    let folders: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for folder in &folders {
        fsutil::create_dir_all(&dir.join(folder))?;
    }
    files.par_iter().try_for_each(|f| {
        fsutil::write(&dir.join(&f.path), &f.contents)?;
        progress.advance(1);
        Ok(())
    })
}

/// Replace `out_dir` with `staging`: move the old folder aside, move the new one in, then
/// delete the old one. If the second move fails, the old folder is put back.
fn swap_in(staging: &Path, out_dir: &Path, retired: &Path) -> Result<(), IoError> {
    let had_old = out_dir.exists();
    if had_old {
        fsutil::remove_dir_all(retired)?;
        fsutil::rename(out_dir, retired)?;
    }
    if let Err(e) = fsutil::rename(staging, out_dir) {
        if had_old {
            let _ = fsutil::rename(retired, out_dir);
        }
        return Err(e);
    }
    if had_old {
        fsutil::remove_dir_all(retired)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_previous_output_entirely() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let out = tmp.path().join("public");
        write_site(
            &out,
            &[file("old.html", "old"), file("a/b/index.html", "x")],
            &Silent,
        )?;
        write_site(&out, &[file("index.html", "new")], &Silent)?;
        assert_eq!(std::fs::read_to_string(out.join("index.html"))?, "new");
        assert!(!out.join("old.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path())?
            .filter_map(Result::ok)
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
        Ok(())
    }
}
