//! One incremental rebuild, on its own, to count its instructions: starts a `serve` session
//! on a dossier, then (once `GO_FILE` exists) appends a line to one summary and rebuilds, as
//! a save does, and exits at once (the session is not dropped: its teardown is no part of a
//! save). Run under callgrind with instrumentation off until the rebuild:
//!
//!   valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file=/tmp/cg.out \
//!       target/release/examples/rebuild_cost DOSSIER content/summaries/X.md /tmp/go &
//!   # once it prints "ready": callgrind_control -i on; touch /tmp/go
//!
//! It prints the rebuild's wall time and what it rendered.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use dossier::pipeline::Options;
use dossier::rebuild::{Changes, Outcome, Session};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [root, summary, go] = args.as_slice() else {
        eprintln!("usage: rebuild_cost DOSSIER SUMMARY GO_FILE");
        std::process::exit(2);
    };
    let options = Options {
        root: PathBuf::from(root),
        drafts: false,
        base_url: None,
    };
    let (mut session, _) = match Session::start(options) {
        Ok(started) => started,
        Err(_) => {
            eprintln!("the dossier did not load");
            std::process::exit(1);
        }
    };
    // As serve does before it waits for changes: everything settled.
    session.settle();
    println!("ready");
    while !std::path::Path::new(go).exists() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let path = PathBuf::from(root).join(summary);
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text.push_str("\nOne more line, saved.\n");
    if std::fs::write(&path, text).is_err() {
        eprintln!("cannot write {}", path.display());
        std::process::exit(1);
    }
    let started = Instant::now();
    let outcome = session.rebuild(&Changes::from_paths([PathBuf::from(summary)]));
    let elapsed = started.elapsed();
    match outcome {
        Ok(Outcome::Rebuilt {
            rendered, changed, ..
        }) => println!(
            "rebuilt in {:.1} ms: {rendered} rendered, {} changed, {} lagging",
            elapsed.as_secs_f64() * 1000.0,
            changed.len(),
            session.lagging().len()
        ),
        other => println!("rebuild: {other:?}"),
    }
    // Not dropped: freeing the site is no part of a save.
    std::process::exit(0);
}
