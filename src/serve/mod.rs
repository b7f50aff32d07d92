//! `dossier serve`: build the dossier in memory, serve it, watch its files, rebuild what a
//! change affects, and reload open tabs — or show them the errors while the last good build
//! stays served. Nothing is written to disk.

pub mod http;
pub mod live;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

use http::{AppState, Served};
use live::LiveEvent;

use crate::diagnostics::Diagnostic;
use crate::pipeline::{Failure, Options};
use crate::rebuild::{Changes, Outcome, Session};

/// How long the files must be quiet before the search index is brought up to date.
const SEARCH_AFTER: std::time::Duration = std::time::Duration::from_millis(400);

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The dossier and drafts (the base URL is set to the server's address).
    pub build: Options,
    /// The address to listen on; loopback unless told otherwise.
    pub interface: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the site in the default browser.
    pub open: bool,
}

/// What the server reports to the terminal.
#[derive(Debug)]
pub enum Report<'a> {
    /// Listening, after the first build.
    Started {
        /// The site's address.
        url: &'a str,
        /// The first build.
        outcome: &'a Outcome,
    },
    /// A rebuild after files changed.
    Rebuilt {
        /// The changed files, relative to the root.
        files: &'a [PathBuf],
        /// What happened.
        outcome: &'a Outcome,
    },
    /// Something worth a line (the watcher fell back to polling, the browser would not open).
    Note(&'a str),
    /// Stopped by Ctrl-C.
    Stopped,
}

/// A function that prints reports.
pub type Reporter = Arc<dyn Fn(Report<'_>) + Send + Sync>;

/// Run the server until Ctrl-C.
pub fn run(options: ServeOptions, report: Reporter) -> Result<(), Failure> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Usage(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(options, report))
}

async fn serve(options: ServeOptions, report: Reporter) -> Result<(), Failure> {
    let address = SocketAddr::new(options.interface, options.port);
    let listener = tokio::net::TcpListener::bind(address).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::AddrInUse {
            Failure::Usage(format!(
                "port {} on {} is already in use: stop the other server, or pick another port with --port {} (or --port 0 for any free one)",
                options.port,
                options.interface,
                options.port.wrapping_add(1).max(1024)
            ))
        } else {
            Failure::Usage(format!("cannot listen on {address}: {e}"))
        }
    })?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure::Usage(e.to_string()))?;
    // Bound to every interface, the server is still reached on this machine by loopback:
    // `0.0.0.0` is no address a page can link to.
    let reachable = match local.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), local.port())
        }
        IpAddr::V6(ip) if ip.is_unspecified() => {
            SocketAddr::new(std::net::Ipv6Addr::LOCALHOST.into(), local.port())
        }
        _ => local,
    };
    let url = format!("http://{reachable}/");

    // Watch before the first build, so a file saved while it runs is not missed.
    let watcher = watch::Watcher::new(&options.build.root).map_err(|e| {
        Failure::Usage(format!(
            "cannot watch {}: {e}",
            options.build.root.display()
        ))
    })?;
    let mut build = options.build.clone();
    build.base_url = Some(url.trim_end_matches('/').to_string());
    let (session, outcome) = tokio::task::spawn_blocking(move || Session::start(build))
        .await
        .map_err(|e| Failure::Usage(format!("the first build stopped: {e}")))??;
    let state = Arc::new(AppState::new(served(&session, &outcome, Served::default())));
    report(Report::Started {
        url: &url,
        outcome: &outcome,
    });

    if reachable != local {
        report(Report::Note(&format!(
            "listening on every interface ({local}): other machines reach it at this machine's IP addresses, port {}",
            local.port()
        )));
    }
    if let Some(note) = &watcher.note {
        report(Report::Note(note));
    }
    let failed = matches!(outcome, Outcome::Failed { .. });
    {
        let state = Arc::clone(&state);
        let report = Arc::clone(&report);
        std::thread::spawn(move || rebuild_loop(session, watcher, failed, &state, &report));
    }
    if options.open
        && let Err(e) = open_browser(&url)
    {
        report(Report::Note(&format!("could not open a browser: {e}")));
    }

    let app = http::router(Arc::clone(&state));
    let shutdown_state = Arc::clone(&state);
    let shutdown = async move {
        let _ = tokio::signal::ctrl_c().await;
        // Ending the event streams lets open connections close.
        shutdown_state.close();
    };
    http::serve_connections(listener, app, shutdown).await;
    report(Report::Stopped);
    Ok(())
}

/// Wait for changes, rebuild, publish. Runs on its own thread: rebuilding is CPU work.
fn rebuild_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    mut failed: bool,
    state: &AppState,
    report: &Reporter,
) {
    let news = watcher.news();
    loop {
        // Catching up waits for the files to be quiet, so a writer saving again and again
        // never waits for it: the pages that show the whole dossier as soon as no change is
        // pending, the search index once nothing changed for a moment (and it gives up as
        // soon as something does).
        let wait = if failed {
            None
        } else if !session.lagging().is_empty() {
            Some(std::time::Duration::ZERO)
        } else if session.search_is_stale() {
            Some(SEARCH_AFTER)
        } else {
            None
        };
        let (batch, lost_track) = match watcher.next_batch_within(wait) {
            watch::Batch::Changed { paths, lost_track } => (paths, lost_track),
            watch::Batch::Quiet if watcher.has_stopped() => return,
            watch::Batch::Quiet if !session.lagging().is_empty() => {
                failed = render_lagging(&mut session, state, report);
                continue;
            }
            watch::Batch::Quiet => {
                let stop = || news.load(std::sync::atomic::Ordering::Acquire);
                if session
                    .refresh_search_unless(&stop)
                    .is_some_and(|changed| !changed.is_empty())
                {
                    state.replace(Served {
                        pages: Arc::new(session.pages().clone()),
                        errors: None,
                        lagging: Arc::new(session.lagging().clone()),
                    });
                }
                continue;
            }
        };
        if let Some(note) = watcher.note.take() {
            report(Report::Note(&note));
        }
        let files: Vec<PathBuf> = batch.into_iter().collect();
        let mut changes = Changes::from_paths(files.iter().cloned());
        if let Some(why) = lost_track {
            // Never silence: say so, and read everything again.
            report(Report::Note(&format!(
                "{why}; reading the whole dossier again"
            )));
            changes.rescan = true;
        }
        let outcome = match session.rebuild(&changes) {
            Ok(outcome) => outcome,
            // site.toml was deleted or the root became unreadable: report and keep serving.
            Err(failure) => Outcome::Failed {
                diagnostics: vec![Diagnostic::error(failure.to_string())],
                elapsed: Default::default(),
            },
        };
        let current = state.served.read().map(|s| s.clone()).unwrap_or_default();
        let event = match &outcome {
            Outcome::Rebuilt { changed, .. } => LiveEvent::reload_for(changed, failed),
            Outcome::Failed { diagnostics, .. } => LiveEvent::Errors {
                text: render_text(diagnostics),
            },
        };
        let publish =
            !matches!(&outcome, Outcome::Rebuilt { changed, .. } if changed.is_empty() && !failed);
        if publish {
            state.publish(served(&session, &outcome, current), event);
        } else if *current.lagging != *session.lagging() {
            // Nothing to reload, but requests must know which pages lag (or no longer do).
            state.replace(served(&session, &outcome, current));
        }
        failed = matches!(outcome, Outcome::Failed { .. });
        report(Report::Rebuilt {
            files: &files,
            outcome: &outcome,
        });
    }
}

/// Render the pages a rebuild left behind and publish them; tabs open on them reload. Returns
/// whether the dossier is now broken (a template failed on one of them).
fn render_lagging(session: &mut Session, state: &AppState, report: &Reporter) -> bool {
    let outcome = session.render_lagging();
    let current = state.served.read().map(|s| s.clone()).unwrap_or_default();
    let event = match &outcome {
        Outcome::Rebuilt { changed, .. } => LiveEvent::reload_for(changed, false),
        Outcome::Failed { diagnostics, .. } => {
            report(Report::Rebuilt {
                files: &[],
                outcome: &outcome,
            });
            LiveEvent::Errors {
                text: render_text(diagnostics),
            }
        }
    };
    state.publish(served(session, &outcome, current), event);
    matches!(outcome, Outcome::Failed { .. })
}

/// What to serve after `outcome`: the new pages, or the old ones with the errors.
fn served(session: &Session, outcome: &Outcome, previous: Served) -> Served {
    match outcome {
        Outcome::Rebuilt { .. } => Served {
            pages: Arc::new(session.pages().clone()),
            errors: None,
            lagging: Arc::new(session.lagging().clone()),
        },
        // The last good pages, with the errors over them: nothing to wait for.
        Outcome::Failed { diagnostics, .. } => Served {
            pages: previous.pages,
            errors: Some(render_text(diagnostics)),
            lagging: Arc::default(),
        },
    }
}

/// Diagnostics as the terminal shows them, paths relative to the dossier root.
fn render_text(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(std::path::Path::new(".")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Open `url` in the default browser.
fn open_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
