//! Filesystem helpers that always name the path in their errors, so no message ever says only
//! "No such file or directory".

use std::io;
use std::path::{Path, PathBuf};

/// An I/O failure, with the path it happened on.
#[derive(Debug, thiserror::Error)]
#[error("{action} `{}`: {source}", path.display())]
pub struct IoError {
    /// What we were doing: "cannot read", "cannot write", …
    pub action: &'static str,
    /// The path involved.
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

impl IoError {
    /// Wrap `source` with what we were doing and where.
    pub fn new(action: &'static str, path: &Path, source: io::Error) -> IoError {
        IoError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}

/// Read a whole file.
pub fn read(path: &Path) -> Result<Vec<u8>, IoError> {
    std::fs::read(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// Read a whole file as UTF-8 text (for configuration and templates, where bad bytes are an
/// I/O-level problem rather than content to locate).
pub fn read_to_string(path: &Path) -> Result<String, IoError> {
    std::fs::read_to_string(path).map_err(|e| IoError::new("cannot read", path, e))
}

/// Write a whole file, creating it or truncating it.
pub fn write(path: &Path, contents: &[u8]) -> Result<(), IoError> {
    std::fs::write(path, contents).map_err(|e| IoError::new("cannot write", path, e))
}

/// Create a directory and its parents.
pub fn create_dir_all(path: &Path) -> Result<(), IoError> {
    std::fs::create_dir_all(path).map_err(|e| IoError::new("cannot create directory", path, e))
}

/// Create one directory, which must not exist yet.
pub fn create_dir(path: &Path) -> Result<(), IoError> {
    std::fs::create_dir(path).map_err(|e| IoError::new("cannot create directory", path, e))
}

/// Remove a directory tree; a tree that is already gone is fine.
pub fn remove_dir_all(path: &Path) -> Result<(), IoError> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(IoError::new("cannot remove directory", path, e))
        }
        _ => Ok(()),
    }
}

/// Rename `from` to `to`.
pub fn rename(from: &Path, to: &Path) -> Result<(), IoError> {
    std::fs::rename(from, to).map_err(|e| IoError::new("cannot rename", from, e))
}

/// Where the symbolic link `path` leads, when that is outside `root` (a canonical path).
/// `None` when `path` is no link, stays inside, or cannot be resolved (a dangling link then
/// fails where it is read, with its own error). Only `path` itself is looked at, not the
/// folders above it: callers walk those from `root` without following links. Nothing is read
/// from a target this names: the dossier never publishes what lies outside it.
pub fn outside_link(root: &Path, path: &Path) -> Option<PathBuf> {
    if !std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return None;
    }
    let target = std::fs::canonicalize(path).ok()?;
    (!target.starts_with(root)).then_some(target)
}

/// `root` resolved to its canonical path (links and `..` followed), or as given when it
/// cannot be.
pub fn canonical_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}
