//! One thin file per command: arguments → options → library call → report. Printing and exit
//! statuses live here and in `main.rs`, nowhere below.

pub mod build;
pub mod check;
pub mod serve;

use std::path::Path;
use std::process::ExitCode;

use dossier::diagnostics::{Diagnostic, Severity};
use dossier::pipeline::Failure;

/// Exit status for content errors.
pub const EXIT_CONTENT: u8 = 1;
/// Exit status for usage errors (clap uses the same for bad arguments).
pub const EXIT_USAGE: u8 = 2;

/// Print diagnostics to standard error, in order.
pub fn print_diagnostics(root: &Path, diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{}", d.render(root));
    }
}

/// Report a failure and pick the exit status.
pub fn report_failure(root: &Path, verb: &str, failure: Failure) -> ExitCode {
    match failure {
        Failure::Usage(message) => {
            eprintln!("error: {message}");
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
            eprintln!("error: {e}");
            ExitCode::from(EXIT_CONTENT)
        }
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

/// "2 errors, 1 warning".
pub fn counted(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
