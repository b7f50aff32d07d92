//! The write stage: the rendered site goes to a staging folder next to the output folder,
//! which then takes the old one's place — in one atomic exchange on Linux, by two renames
//! elsewhere. A failed build never touches the previous output, and a failed first build
//! leaves no folder behind. This module also decides what an output path really is (links
//! resolved once) and whether the folder there may be replaced.

use std::io;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use crate::fsutil::{self, IoError};
use crate::progress::Progress;
use crate::render::sink::{OutputFile, Sink};

/// The file every build writes at the top of the output folder. A folder holding it was
/// written by dossier and may be replaced by the next build; any other non-empty folder is
/// left alone unless `--force` is given.
pub const MARKER_FILE: &str = ".dossier-output";

/// What the marker says to someone who finds it. Fixed text: builds stay byte-identical.
const MARKER_TEXT: &str = "This folder was written by `dossier build`, which replaces all of it on every build.\n\
Files put here by hand are deleted by the next build: keep them in the dossier's static/ folder instead.\n";

/// A new output folder being written beside the old one. Files are written as they come, so
/// the whole site never has to sit in memory; `commit` swaps it in. Dropped without a commit,
/// it removes itself and the previous output stays as it was.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    out_dir: PathBuf,
    retired: PathBuf,
    committed: bool,
    /// Leftovers of killed builds that could not be removed: worth a warning, not a failure.
    warnings: Vec<IoError>,
}

impl Staging {
    /// Start a staging folder for `out_dir`, a path whose links are already resolved (see
    /// [`resolve_output`]): the staging folder is its sibling, so the swap is a rename within
    /// one folder. Leftovers of builds that were killed are removed first.
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
        let warnings = remove_stale(parent, &name);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.staging-{pid}"));
        // A leftover of an earlier process that had our id.
        remove_tree(&dir)?;
        fsutil::create_dir(&dir)?;
        fsutil::write(&dir.join(MARKER_FILE), MARKER_TEXT.as_bytes())?;
        Ok(Staging {
            dir,
            out_dir: out_dir.to_path_buf(),
            retired: parent.join(format!(".{name}.old-{pid}")),
            committed: false,
            warnings,
        })
    }

    /// Replace the output folder with this one. Once the new site is in place, a failure to
    /// remove the old one does not undo the build: it is returned, with the other
    /// leftovers that could not be removed, for a warning.
    pub fn commit(mut self) -> Result<Vec<IoError>, IoError> {
        let cleanup = swap_in(&self.dir, &self.out_dir, &self.retired)?;
        self.committed = true;
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.extend(cleanup);
        Ok(warnings)
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
            let _ = remove_tree(&self.dir);
        }
    }
}

/// Write `files` as the new contents of `out_dir`, replacing what was there. No checks:
/// callers decide first whether that folder may be replaced ([`occupant`]).
pub fn write_site(
    out_dir: &Path,
    files: &[OutputFile],
    progress: &dyn Progress,
) -> Result<Vec<IoError>, IoError> {
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

/// Put `staging` in the place of `out_dir`. Where the platform can, the two folders trade
/// places in one step, so a reader of the output never finds it missing; elsewhere the old
/// folder is moved aside and the new one moved in (put back if that fails), and for that
/// moment the output is absent. The old tree is then removed; a failure there is returned
/// as a leftover, not an error.
fn swap_in(staging: &Path, out_dir: &Path, retired: &Path) -> Result<Option<IoError>, IoError> {
    let old = match exchange(staging, out_dir) {
        // The old site is now where the staging folder was.
        Ok(Exchange::Done) => staging.to_path_buf(),
        Ok(Exchange::NothingThere) => return fsutil::rename(staging, out_dir).map(|()| None),
        Ok(Exchange::Unsupported) => match swap_by_renames(staging, out_dir, retired)? {
            Some(old) => old,
            None => return Ok(None),
        },
        Err(e) => return Err(IoError::new("cannot replace", out_dir, e)),
    };
    Ok(remove_tree(&old).err())
}

/// Where folders cannot be exchanged: move the old output aside to `retired`, move `staging`
/// in, and put the old one back if that fails. Returns where the old site now is, if there
/// was one.
fn swap_by_renames(
    staging: &Path,
    out_dir: &Path,
    retired: &Path,
) -> Result<Option<PathBuf>, IoError> {
    match std::fs::symlink_metadata(out_dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return fsutil::rename(staging, out_dir).map(|()| None);
        }
        _ => {}
    }
    remove_tree(retired)?;
    fsutil::rename(out_dir, retired)?;
    if let Err(e) = fsutil::rename(staging, out_dir) {
        let _ = fsutil::rename(retired, out_dir);
        return Err(e);
    }
    Ok(Some(retired.to_path_buf()))
}

/// How an attempt to exchange two folders went.
enum Exchange {
    /// They traded places.
    Done,
    /// There was no folder to trade with.
    NothingThere,
    /// This platform or filesystem cannot exchange them.
    Unsupported,
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<Exchange> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    use rustix::io::Errno;
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(Exchange::Done),
        Err(Errno::NOENT) if a.exists() => Ok(Exchange::NothingThere),
        // Old kernels, and filesystems without the operation (some network ones).
        Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP | Errno::XDEV) => {
            Ok(Exchange::Unsupported)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<Exchange> {
    Ok(Exchange::Unsupported)
}

/// Remove a folder tree, its subfolders in parallel: a site of ten thousand sources is as many
/// folders, and unlinking them one by one would take a noticeable part of the build. Links are
/// never followed: a link, even to a folder, is removed as a link, and so is `dir` itself if
/// it is one.
fn remove_tree(dir: &Path) -> Result<(), IoError> {
    // Something already gone is not an error: nothing else should be removing it, but the
    // aim is only that it be gone.
    let gone = |result: io::Result<()>| match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    };
    match std::fs::symlink_metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(IoError::new("cannot read", dir, e)),
        Ok(meta) if !meta.is_dir() => {
            return gone(std::fs::remove_file(dir))
                .map_err(|e| IoError::new("cannot remove", dir, e));
        }
        Ok(_) => {}
    }
    let entries: Vec<(PathBuf, bool)> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            // The entry's own type, as `lstat` sees it: a link to a folder is not a folder.
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(IoError::new("cannot read directory", dir, e)),
    };
    entries.par_iter().try_for_each(|(path, is_dir)| {
        if *is_dir {
            remove_tree(path)
        } else {
            gone(std::fs::remove_file(path)).map_err(|e| IoError::new("cannot remove", path, e))
        }
    })?;
    gone(std::fs::remove_dir(dir)).map_err(|e| IoError::new("cannot remove directory", dir, e))
}

/// Remove the staging and retired folders (`.NAME.staging-PID`, `.NAME.old-PID`) that builds
/// into `parent/name` left when they were killed: those whose process no longer runs and that
/// hold the marker file. Only Linux can tell that (from `/proc`); elsewhere they are left for
/// the user. Returns what could not be removed.
fn remove_stale(parent: &Path, name: &str) -> Vec<IoError> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let prefix = format!(".{name}.");
    let own = std::process::id();
    entries
        .filter_map(Result::ok)
        .filter(|entry| {
            let file_name = entry.file_name();
            let Some(rest) = file_name.to_str().and_then(|f| f.strip_prefix(&prefix)) else {
                return false;
            };
            let Some(pid) = rest
                .strip_prefix("staging-")
                .or_else(|| rest.strip_prefix("old-"))
            else {
                return false;
            };
            // Exactly the names builds write: no sign, no leading zeros.
            pid.parse::<u32>()
                .is_ok_and(|n| n.to_string() == pid && n != own && !process_runs(n))
        })
        // And only what a build wrote: a folder holding the marker (staging folders get it
        // first thing, retired ones are old outputs), or a link, which is removed as a link.
        .filter(|entry| {
            entry.file_type().is_ok_and(|t| t.is_symlink())
                || std::fs::symlink_metadata(entry.path().join(MARKER_FILE))
                    .is_ok_and(|m| m.is_file())
        })
        .filter_map(|entry| remove_tree(&entry.path()).err())
        .collect()
}

/// Whether process `pid` runs — or, where that cannot be told, whether it might.
fn process_runs(pid: u32) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// What an existing output folder holds, as far as replacing it goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Occupant {
    /// No folder there yet.
    Nothing,
    /// An empty folder.
    Empty,
    /// A folder dossier wrote (it holds the marker file).
    Site,
    /// A folder dossier did not write.
    Foreign {
        /// How many entries it has.
        entries: usize,
        /// The first few of their names, sorted.
        names: Vec<String>,
    },
}

/// How many entry names a refusal shows.
const NAMES_SHOWN: usize = 5;

/// Look at what is at `dir`, a path resolved by [`resolve_output`].
pub fn occupant(dir: &Path) -> Result<Occupant, IoError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Occupant::Nothing),
        Err(e) => return Err(IoError::new("cannot read directory", dir, e)),
    };
    let marker = std::fs::symlink_metadata(dir.join(MARKER_FILE));
    if marker.is_ok_and(|m| m.is_file()) {
        return Ok(Occupant::Site);
    }
    let mut names = Vec::new();
    let mut count = 0;
    for entry in entries {
        let entry = entry.map_err(|e| IoError::new("cannot read directory", dir, e))?;
        count += 1;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    if count == 0 {
        return Ok(Occupant::Empty);
    }
    names.sort_unstable();
    names.truncate(NAMES_SHOWN);
    Ok(Occupant::Foreign {
        entries: count,
        names,
    })
}

/// Why an output path cannot be used, in the user's terms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadOutput {
    /// The path is a symbolic link.
    #[error("it is a symbolic link (to `{}`)", .0.display())]
    Link(PathBuf),
    /// The path is a file or something else that is not a folder.
    #[error("it is not a folder")]
    NotFolder,
    /// The path cannot be resolved (a `..` after a folder that does not exist, …).
    #[error("{0}")]
    Unresolvable(String),
}

/// The real path of an output folder that may not exist yet: absolute, every link and `..`
/// resolved by the filesystem (so `link/../x` means what the system means by it). The path
/// itself may not be a link: replacing a link would either leave its target's old files in
/// place or delete files dossier did not write, so it is refused. Its folders above may be.
pub fn resolve_output(path: &Path) -> Result<PathBuf, BadOutput> {
    let cwd = std::env::current_dir()
        .map_err(|e| BadOutput::Unresolvable(format!("cannot read the current folder: {e}")))?;
    // Rebuilt from its components, so a trailing `/` or `/.` cannot make `lstat` follow a
    // link at the end.
    let absolute: PathBuf = cwd.join(path).components().collect();
    match std::fs::symlink_metadata(&absolute) {
        Ok(meta) if meta.file_type().is_symlink() => Err(BadOutput::Link(
            std::fs::read_link(&absolute).unwrap_or_default(),
        )),
        Ok(meta) if !meta.is_dir() => Err(BadOutput::NotFolder),
        Ok(_) => {
            std::fs::canonicalize(&absolute).map_err(|e| BadOutput::Unresolvable(e.to_string()))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => resolve_missing(&absolute),
        Err(e) => Err(BadOutput::Unresolvable(e.to_string())),
    }
}

/// The real path of `path`, which does not exist: its closest existing folder resolved, the
/// names below it appended. A `..` below that folder would climb out of a folder that does
/// not exist, which has no meaning: refused.
fn resolve_missing(path: &Path) -> Result<PathBuf, BadOutput> {
    let mut missing = Vec::new();
    let mut existing = path;
    loop {
        if std::fs::symlink_metadata(existing).is_ok() {
            break;
        }
        match (existing.components().next_back(), existing.parent()) {
            (Some(Component::Normal(name)), Some(parent)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            (Some(Component::CurDir), Some(parent)) => existing = parent,
            _ => {
                return Err(BadOutput::Unresolvable(format!(
                    "`{}` climbs out of a folder that does not exist",
                    path.display()
                )));
            }
        }
    }
    let mut real = std::fs::canonicalize(existing).map_err(|e| {
        BadOutput::Unresolvable(format!("cannot resolve `{}`: {e}", existing.display()))
    })?;
    if !real.is_dir() {
        return Err(BadOutput::Unresolvable(format!(
            "`{}` is not a folder",
            existing.display()
        )));
    }
    real.extend(missing.iter().rev());
    Ok(real)
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

    #[test]
    fn without_an_exchange_two_renames_replace_the_output() -> Result<(), Box<dyn std::error::Error>>
    {
        let tmp = tempfile::tempdir()?;
        let (staging, out, retired) = (
            tmp.path().join(".public.staging-1"),
            tmp.path().join("public"),
            tmp.path().join(".public.old-1"),
        );
        std::fs::create_dir(&staging)?;
        std::fs::write(staging.join("index.html"), "first")?;
        assert_eq!(swap_by_renames(&staging, &out, &retired)?, None);
        std::fs::create_dir(&staging)?;
        std::fs::write(staging.join("index.html"), "second")?;
        assert_eq!(
            swap_by_renames(&staging, &out, &retired)?,
            Some(retired.clone())
        );
        assert_eq!(std::fs::read_to_string(out.join("index.html"))?, "second");
        assert_eq!(
            std::fs::read_to_string(retired.join("index.html"))?,
            "first"
        );
        assert!(!staging.exists());
        Ok(())
    }

    #[test]
    #[cfg(unix)]
    fn removing_a_tree_leaves_what_its_links_point_at() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(outside.join("sub"))?;
        std::fs::write(outside.join("sub/keep.txt"), "keep")?;
        let tree = tmp.path().join("tree");
        std::fs::create_dir_all(tree.join("a"))?;
        std::os::unix::fs::symlink(&outside, tree.join("a/dir-link"))?;
        std::os::unix::fs::symlink(outside.join("sub/keep.txt"), tree.join("file-link"))?;
        remove_tree(&tree)?;
        assert!(!tree.exists());
        // A tree that is itself a link goes as a link.
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&outside, &link)?;
        remove_tree(&link)?;
        assert!(!link.exists());
        assert_eq!(
            std::fs::read_to_string(outside.join("sub/keep.txt"))?,
            "keep"
        );
        Ok(())
    }
}
