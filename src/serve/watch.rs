//! Watching the dossier for changes with notify, debounced: site.toml at the root, and
//! `content/`, `templates/`, `static/` and `themes/` recursively (watched as they appear).
//! Editors save in many ways — write to a temporary file and rename, truncate then write,
//! bursts of events — so events are gathered for a short quiet period, reduced to the set of
//! paths touched, and the rebuild re-walks `content/` rather than trusting event kinds.
//! A watched folder that is moved away, back, or replaced by a copy (as `git checkout` and
//! some editors do) is watched again; when the watcher may have missed events (an error, an
//! overflow of the system's queue) the batch says so, and everything is read again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError, channel};
use std::time::Duration;

use notify_debouncer_full::notify::event::{AccessKind, AccessMode};
use notify_debouncer_full::notify::{
    self, EventKind, PollWatcher, RecommendedWatcher, RecursiveMode,
};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer_opt,
};

use crate::load::config::CONFIG_FILE;
use crate::load::content::load::is_ignored;

/// The folders whose changes matter, besides site.toml.
pub const WATCHED_DIRS: [&str; 4] = ["content", "templates", "static", "themes"];

/// How long the files must be quiet before a rebuild starts.
const QUIET: Duration = Duration::from_millis(30);

/// notify's native backend, or polling where the native one cannot be used.
enum Backend {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Polling(Debouncer<PollWatcher, NoCache>),
}

impl Backend {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.watch(path, mode),
            Backend::Polling(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Backend::Native(d) => d.unwatch(path),
            Backend::Polling(d) => d.unwatch(path),
        }
    }
}

/// What waiting for changes gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Batch {
    /// Paths that changed, relative to the root.
    Changed {
        /// The paths.
        paths: BTreeSet<PathBuf>,
        /// Why events may have been missed, when they may: everything must be read again.
        lost_track: Option<String>,
    },
    /// Nothing changed in the time given (or the watcher stopped).
    Quiet,
}

/// A watcher on a dossier root, yielding batches of changed paths relative to the root.
pub struct Watcher {
    root: PathBuf,
    backend: Backend,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<&'static str>,
    /// A line for the terminal, e.g. when notify's native backend could not be used.
    pub note: Option<String>,
    /// The watcher has stopped sending events.
    stopped: bool,
    /// Set when events arrive, cleared when they are taken: long work can give up for them.
    news: Arc<AtomicBool>,
}

/// Pass the debouncer's results on, raising the news flag.
fn handler(
    sender: Sender<DebounceEventResult>,
    news: Arc<AtomicBool>,
) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |result| {
        news.store(true, Ordering::Release);
        // The receiving side is gone only when serve is stopping.
        let _ = sender.send(result);
    }
}

impl Watcher {
    /// Start watching `root`. Falls back to polling when the native backend fails (for
    /// example when the system's limit on watches is reached).
    pub fn new(root: &Path) -> notify::Result<Watcher> {
        // Events carry the paths as watched: watch the absolute path so they can be made
        // relative to it again.
        let root = std::fs::canonicalize(root)?;
        let (sender, events) = channel();
        let news = Arc::new(AtomicBool::new(false));
        let native = new_debouncer_opt::<_, RecommendedWatcher, _>(
            QUIET,
            None,
            handler(sender, Arc::clone(&news)),
            RecommendedCache::new(),
            notify::Config::default(),
        )
        .map(Backend::Native);
        let mut watcher = match native {
            Ok(backend) => Watcher {
                root: root.clone(),
                backend,
                events,
                watched: BTreeSet::new(),
                note: None,
                stopped: false,
                news,
            },
            Err(e) => Watcher::polling(&root, &e)?,
        };
        if let Err(e) = watcher.watch_all() {
            watcher = Watcher::polling(&root, &e)?;
            watcher.watch_all()?;
        }
        Ok(watcher)
    }

    fn polling(root: &Path, why: &notify::Error) -> notify::Result<Watcher> {
        let (sender, events) = channel();
        let news = Arc::new(AtomicBool::new(false));
        let poll = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let debouncer = new_debouncer_opt::<_, PollWatcher, _>(
            QUIET,
            None,
            handler(sender, Arc::clone(&news)),
            NoCache,
            poll,
        )?;
        Ok(Watcher {
            root: root.to_path_buf(),
            backend: Backend::Polling(debouncer),
            events,
            watched: BTreeSet::new(),
            note: Some(format!("watching by polling every 300 ms ({why})")),
            stopped: false,
            news,
        })
    }

    /// Watch the root itself (for site.toml and folders that appear) and each watched folder
    /// that exists and is not watched yet.
    fn watch_all(&mut self) -> notify::Result<()> {
        if self.watched.is_empty() {
            self.backend
                .watch(&self.root, RecursiveMode::NonRecursive)?;
        }
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if !self.watched.contains(dir) && path.is_dir() {
                self.backend.watch(&path, RecursiveMode::Recursive)?;
                self.watched.insert(dir);
            }
        }
        Ok(())
    }

    /// The next batch of changes — the paths, relative to the root, that matter — if one
    /// comes within `wait` (forever with `None`).
    pub fn next_batch_within(&mut self, wait: Option<Duration>) -> Batch {
        loop {
            let first = match wait {
                None => self
                    .events
                    .recv()
                    .map_err(|_| RecvTimeoutError::Disconnected),
                Some(wait) => self.events.recv_timeout(wait),
            };
            let first = match first {
                Ok(first) => first,
                Err(RecvTimeoutError::Timeout) => {
                    // Nothing is waiting: whatever raised the news flag has been taken.
                    self.news.store(false, Ordering::Release);
                    return Batch::Quiet;
                }
                Err(RecvTimeoutError::Disconnected) => {
                    self.stopped = true;
                    return Batch::Quiet;
                }
            };
            self.news.store(false, Ordering::Release);
            let mut batch = BTreeSet::new();
            let mut lost_track = None;
            self.collect(first, &mut batch, &mut lost_track);
            // The debouncer already waited for the files to be quiet (an editor's save is
            // several events); take whatever else has arrived, without waiting for more.
            loop {
                match self.events.try_recv() {
                    Ok(more) => self.collect(more, &mut batch, &mut lost_track),
                    Err(TryRecvError::Empty) => break,
                    Err(TryRecvError::Disconnected) => {
                        self.stopped = true;
                        break;
                    }
                }
            }
            // A watched folder itself moved or was replaced: its watch follows the old folder
            // (or died with it), so it is watched again wherever it now is.
            let moved: Vec<&'static str> = WATCHED_DIRS
                .into_iter()
                .filter(|dir| lost_track.is_some() || batch.contains(Path::new(dir)))
                .collect();
            for dir in moved {
                if self.watched.remove(dir) {
                    // Already gone with its folder, perhaps: nothing to undo then.
                    let _ = self.backend.unwatch(&self.root.join(dir));
                }
            }
            // A watched folder may have just been created (or come back).
            if let Err(e) = self.watch_all() {
                self.note = Some(format!("cannot watch a new folder: {e}"));
            }
            if !batch.is_empty() || lost_track.is_some() {
                return Batch::Changed {
                    paths: batch,
                    lost_track,
                };
            }
            if self.stopped {
                return Batch::Quiet;
            }
        }
    }

    /// Whether files changed since the last batch was taken (possibly files that do not
    /// matter): a flag that long work in the meantime can poll from any thread.
    pub fn news(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.news)
    }

    /// Whether the watcher has stopped (its backend is gone).
    pub fn has_stopped(&self) -> bool {
        self.stopped
    }

    fn collect(
        &self,
        result: DebounceEventResult,
        batch: &mut BTreeSet<PathBuf>,
        lost_track: &mut Option<String>,
    ) {
        let events = match result {
            Ok(events) => events,
            Err(errors) => {
                let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
                *lost_track = Some(format!("the file watcher failed ({})", errors.join("; ")));
                return;
            }
        };
        for event in events {
            // The system's queue overflowed (notify's rescan notice): events were lost.
            if event.event.need_rescan() || matches!(event.event.kind, EventKind::Other) {
                *lost_track = Some("the file watcher missed changes (too many at once)".into());
                continue;
            }
            // Reading a file is an event too, and every rebuild reads: only writes,
            // creations, removals and renames matter.
            let write_closed = matches!(
                event.event.kind,
                EventKind::Access(AccessKind::Close(AccessMode::Write))
            );
            if !write_closed && matches!(event.event.kind, EventKind::Access(_) | EventKind::Other)
            {
                continue;
            }
            for path in &event.event.paths {
                if let Some(rel) = relevant(&self.root, path) {
                    batch.insert(rel);
                }
            }
        }
    }
}

/// The path relative to the root if a change to it matters: site.toml, or a file in a
/// watched folder that is not hidden or an editor's leftover.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components().map(|c| c.as_os_str());
    let first = parts.next()?.to_str()?;
    let matters =
        first == CONFIG_FILE && rel.components().count() == 1 || WATCHED_DIRS.contains(&first);
    let ignored = rel.components().any(|c| is_ignored(c.as_os_str()));
    (matters && !ignored).then(|| rel.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dossier_files_matter() {
        let root = Path::new("/d");
        let rel = |p: &str| relevant(root, Path::new(p));
        assert_eq!(rel("/d/site.toml"), Some(PathBuf::from("site.toml")));
        assert_eq!(
            rel("/d/content/summaries/a.md"),
            Some(PathBuf::from("content/summaries/a.md"))
        );
        assert_eq!(
            rel("/d/templates/base.html"),
            Some(PathBuf::from("templates/base.html"))
        );
        assert_eq!(rel("/d/public/index.html"), None);
        assert_eq!(rel("/d/content/summaries/.a.md.swp"), None);
        assert_eq!(rel("/d/content/summaries/a.md~"), None);
        assert_eq!(rel("/d/.git/index"), None);
        assert_eq!(rel("/elsewhere/site.toml"), None);
    }

    #[test]
    fn watcher_errors_and_rescan_notices_are_never_dropped() {
        use notify_debouncer_full::DebouncedEvent;
        use notify_debouncer_full::notify::event::Flag;

        let dir = tempfile::tempdir().expect("temp dir");
        let watcher = Watcher::new(dir.path()).expect("watches");
        let mut batch = BTreeSet::new();
        let mut lost = None;
        watcher.collect(
            Err(vec![notify::Error::generic("inotify queue gone")]),
            &mut batch,
            &mut lost,
        );
        assert!(
            lost.as_deref()
                .is_some_and(|l| l.contains("inotify queue gone")),
            "{lost:?}"
        );
        let mut lost = None;
        let overflow = notify::Event::new(EventKind::Other).set_flag(Flag::Rescan);
        watcher.collect(
            Ok(vec![DebouncedEvent::new(
                overflow,
                std::time::Instant::now(),
            )]),
            &mut batch,
            &mut lost,
        );
        assert!(lost.is_some(), "an overflow means events were missed");
    }
}
