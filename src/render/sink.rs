//! What the render stage hands on: the site's files in memory, one [`OutputFile`] at a time,
//! to a [`Sink`] — the write stage's staging folder for `build`, nowhere for `check`, memory
//! for tests and the dev server.

use crate::fsutil::IoError;

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
