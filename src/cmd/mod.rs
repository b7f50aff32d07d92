//! One thin file per command: arguments → options → library call → report. Printing and exit
//! statuses live here and in `main.rs`, nowhere below.

pub mod add_source;
pub mod build;
pub mod check;
pub mod docs;
pub mod new;
pub mod paragraphs;
pub mod serve;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use dossier::diagnostics::{self, Diagnostic, Severity, escape_controls};
use dossier::pipeline::Failure;
use dossier::progress::Progress;
use dossier::scaffold::ScaffoldError;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Exit status for content errors.
pub const EXIT_CONTENT: u8 = 1;
/// Exit status for usage errors (clap uses the same for bad arguments).
pub const EXIT_USAGE: u8 = 2;

/// Report a refused or failed `new` or `add-source`: a refusal is a usage error.
pub fn scaffold_failure(error: ScaffoldError) -> ExitCode {
    match error {
        ScaffoldError::Refused { message } => {
            eprintln!("error: {}", escape_controls(&message));
            ExitCode::from(EXIT_USAGE)
        }
        ScaffoldError::Io(e) => {
            eprintln!("error: {}", escape_controls(&e.to_string()));
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

/// Whether every warning is printed (`--verbose`), or past a few of a kind only their count.
/// Set once by `main` from the command line; a process-wide setting of how to print, read
/// only here.
static ALL_WARNINGS: AtomicBool = AtomicBool::new(false);

/// Print every warning, not only the first few of each kind.
pub fn show_all_warnings(all: bool) {
    ALL_WARNINGS.store(all, Ordering::Relaxed);
}

/// Print diagnostics to standard error: warnings first, errors last, so the last thing on the
/// screen is what must be fixed. Past a few warnings of one kind the rest are counted in one
/// line (`--verbose` prints them all); errors are always printed in full.
pub fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    use std::io::Write;
    let shown = diagnostics::abridge(diagnostics, ALL_WARNINGS.load(Ordering::Relaxed));
    // Buffered: standard error is not, and a large dossier may have thousands of warnings.
    let mut out = std::io::BufWriter::new(std::io::stderr().lock());
    // Nothing useful can be done when the terminal is gone.
    for d in &shown.warnings {
        let _ = writeln!(out, "{}", d.render(root));
    }
    for (kind, count) in &shown.left_out {
        let _ = writeln!(
            out,
            "warning: {count} more like “{}” not shown (pass --verbose to see every warning)\n",
            escape_controls(kind)
        );
    }
    for d in &shown.errors {
        let _ = writeln!(out, "{}", d.render(root));
    }
    let _ = out.flush();
}

/// Report a failure and pick the exit status.
pub fn report_failure(root: &Path, verb: &str, failure: Failure) -> ExitCode {
    match failure {
        Failure::Usage(message) => {
            eprintln!("error: {}", escape_controls(&message));
            ExitCode::from(EXIT_USAGE)
        }
        Failure::Content(diagnostics) => {
            print_diagnostics(root, &diagnostics);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            let warnings = diagnostics.len() - errors;
            eprintln!(
                "error: could not {verb} the dossier: {}",
                counted(errors, warnings)
            );
            ExitCode::from(EXIT_CONTENT)
        }
        Failure::Io(e) => {
            eprintln!("error: {}", escape_controls(&e.to_string()));
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

/// Builds of fewer pages are over too soon for a progress bar to help.
const PROGRESS_MIN_STEPS: usize = 1000;

/// A progress bar on standard error, drawn only when it is a terminal and a stage is long.
pub struct TerminalProgress {
    bar: ProgressBar,
    enabled: bool,
}

impl TerminalProgress {
    /// A bar that draws if standard error is a terminal.
    pub fn new() -> TerminalProgress {
        TerminalProgress {
            bar: ProgressBar::hidden(),
            enabled: std::io::stderr().is_terminal(),
        }
    }
}

impl Progress for TerminalProgress {
    fn begin(&self, stage: &'static str, total: usize) {
        if !self.enabled || total < PROGRESS_MIN_STEPS {
            return;
        }
        self.bar.reset();
        self.bar.set_length(total as u64);
        self.bar.set_message(stage);
        if let Ok(style) = ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len}") {
            self.bar.set_style(style.progress_chars("=> "));
        }
        self.bar.set_draw_target(ProgressDrawTarget::stderr());
    }

    fn advance(&self, n: usize) {
        self.bar.inc(n as u64);
    }

    fn end(&self) {
        self.bar.finish_and_clear();
        self.bar.set_draw_target(ProgressDrawTarget::hidden());
    }
}

/// Print the wall time of each stage, for `--timings`.
pub fn print_timings(stats: &dossier::pipeline::Stats) {
    let stages: Vec<String> = stats
        .stages
        .iter()
        .map(|(name, d)| format!("{name} {:.1} ms", d.as_secs_f64() * 1000.0))
        .collect();
    eprintln!("timings: {}", stages.join(", "));
}

/// "1 source", "2 sources": a count with its noun, singular for one.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "2 errors, 1 warning".
pub fn counted(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| count(n, word, &format!("{word}s"));
    if warnings == 0 {
        plural(errors, "error")
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
