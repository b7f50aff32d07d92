//! `dossier build`.

use std::process::ExitCode;

use dossier::pipeline::{self, Options, OutputOptions};

use super::{TerminalProgress, count, counted, print_diagnostics, print_timings, report_failure};
use crate::cli::BuildArgs;

/// Build the site and print a one-line summary.
pub fn run(args: BuildArgs) -> ExitCode {
    let timings = args.timings;
    super::show_all_warnings(args.dossier.verbose);
    let options = Options {
        root: args.dossier.root.clone(),
        drafts: args.dossier.drafts,
        base_url: args.base_url,
    };
    let output = OutputOptions {
        dir: args.output,
        force: args.force,
    };
    match pipeline::build(&options, &output, &TerminalProgress::new()) {
        Ok(report) => {
            print_diagnostics(&options.root, &report.warnings);
            if timings {
                print_timings(&report.stats);
            }
            let s = &report.stats;
            let out = report
                .output_dir
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            let warnings = if report.warnings.is_empty() {
                String::new()
            } else {
                format!(
                    " with {}",
                    counted(0, report.warnings.len()).trim_start_matches("0 errors, ")
                )
            };
            println!(
                "Built {} ({}, {}, {}, {}) into {out} in {} ms{warnings}",
                count(s.pages, "page", "pages"),
                count(s.sources, "source", "sources"),
                count(s.summaries, "summary", "summaries"),
                count(s.events, "event", "events"),
                count(s.citations, "citation", "citations"),
                s.elapsed.as_millis()
            );
            ExitCode::SUCCESS
        }
        Err(failure) => report_failure(&options.root, "build", failure),
    }
}
