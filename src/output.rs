//! The write stage: the rendered site goes to a staging folder next to the output folder,
//! which then replaces the old one by renames. A failed build never touches the previous
//! output, and a failed first build leaves no folder behind.

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

/// Where rendered files go as they are made: a staging folder for `build`, nowhere for
/// `check`, memory for tests.
pub trait Sink: Sync {
    /// Take one file.
    fn put(&self, file: OutputFile) -> Result<(), IoError>;
}

/// Keeps nothing (`check`: rendering is the verification).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _: OutputFile) -> Result<(), IoError> {
        Ok(())
    }
}

/// Keeps every file in memory.
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self
            .0
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Collect {
    fn put(&self, file: OutputFile) -> Result<(), IoError> {
        if let Ok(mut files) = self.0.lock() {
            files.push(file);
        }
        Ok(())
    }
}

/// A new output folder being written beside the old one. Files are written as they come, so
/// the whole site never has to sit in memory; `commit` swaps it in. Dropped without a commit,
/// it removes itself and the previous output stays as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    retired: PathBuf,
    committed: bool,
}

impl Staging {
    /// Start a staging folder for `out_dir`.
    pub fn new(out_dir: &Path) -> Result<Staging, IoError> {
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
        let dir = parent.join(format!(".{name}.staging-{pid}"));
        fsutil::remove_dir_all(&dir)?;
        fsutil::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            out_dir: out_dir.to_path_buf(),
            retired: parent.join(format!(".{name}.old-{pid}")),
            committed: false,
        })
    }

    /// Replace the output folder with this one.
    pub fn commit(mut self) -> Result<(), IoError> {
        swap_in(&self.dir, &self.out_dir, &self.retired)?;
        self.committed = true;
        Ok(())
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), IoError> {
        let path = self.dir.join(&file.path);
        if let Some(parent) = path.parent() {
            fsutil::create_dir_all(parent)?;
        }
        fsutil::write(&path, &file.contents)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: the error that got us here matters more than a leftover folder.
            let _ = fsutil::remove_dir_all(&self.dir);
        }
    }
}

/// Write `files` as the new contents of `out_dir`, replacing what was there.
pub fn write_site(
    out_dir: &Path,
    files: &[OutputFile],
    progress: &dyn Progress,
) -> Result<(), IoError> {
    let staging = Staging::new(out_dir)?;
    progress.begin("Writing", files.len());
    let written = files.par_iter().try_for_each(|f| {
        staging.put(f.clone())?;
        progress.advance(1);
        Ok(())
    });
    progress.end();
    written?;
    staging.commit()
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
        remove_tree(retired)?;
    }
    Ok(())
}

/// Remove a folder tree, its subfolders in parallel: a site of ten thousand sources is as many
/// folders, and unlinking them one by one would take a noticeable part of the build.
fn remove_tree(dir: &Path) -> Result<(), IoError> {
    let entries: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(IoError::new("cannot read directory", dir, e)),
    };
    // Something already gone is not an error: nothing else should be removing it, but the
    // aim is only that it be gone.
    let gone = |result: std::io::Result<()>| match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    };
    entries.par_iter().try_for_each(|path| {
        if path.is_dir() && !path.is_symlink() {
            remove_tree(path)
        } else {
            gone(std::fs::remove_file(path)).map_err(|e| IoError::new("cannot remove", path, e))
        }
    })?;
    gone(std::fs::remove_dir(dir)).map_err(|e| IoError::new("cannot remove directory", dir, e))
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
