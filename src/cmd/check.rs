//! `dossier check`.

use std::process::ExitCode;

use dossier::pipeline::{self, Options};

use super::{TerminalProgress, count, counted, print_diagnostics, print_timings, report_failure};
use crate::cli::CheckArgs;

/// Check the dossier and print a one-line verdict.
pub fn run(args: CheckArgs) -> ExitCode {
    let timings = args.timings;
    super::show_all_warnings(args.dossier.verbose);
    let options = Options {
        root: args.dossier.root,
        drafts: args.dossier.drafts,
        base_url: None,
    };
    // evidence: `--extraction` extracts every original again (issue 14)
    let extraction = args
        .extraction
        .then(|| dossier::load::extract::check::check_extraction(&options.root));
    let checked = match (
        pipeline::check(&options, &TerminalProgress::new()),
        &extraction,
    ) {
        (Ok(report), Some(e)) if !e.problems.is_empty() => {
            let mut all = report.warnings;
            all.extend(e.problems.iter().cloned());
            Err(pipeline::Failure::Content(all))
        }
        (Err(pipeline::Failure::Content(mut all)), Some(e)) => {
            all.extend(e.problems.iter().cloned());
            Err(pipeline::Failure::Content(all))
        }
        (other, _) => other,
    };
    match checked {
        Ok(report) => {
            print_diagnostics(&options.root, &report.warnings);
            if timings {
                print_timings(&report.stats);
            }
            let s = &report.stats;
            let verdict = if report.warnings.is_empty() {
                "no problems".to_string()
            } else {
                counted(0, report.warnings.len())
                    .trim_start_matches("0 errors, ")
                    .to_string()
            };
            println!(
                "Checked {}, {}, {} and {}: {verdict} ({} ms)",
                count(s.sources, "source", "sources"),
                count(s.summaries, "summary", "summaries"),
                count(s.events, "event", "events"),
                count(s.citations, "citation", "citations"),
                s.elapsed.as_millis()
            );
            if let Some(e) = &extraction {
                println!(
                    "Extracted {} again: every derived text matches",
                    count(e.originals, "original", "originals")
                );
            }
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&options.root, "check", failure),
    }
}
