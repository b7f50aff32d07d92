//! `dossier serve`.

use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use dossier::diagnostics::{Diagnostic, escape_controls};
use dossier::pipeline::Options;
use dossier::rebuild::Outcome;
use dossier::serve::{self, Report, ServeOptions};

use super::{counted, print_diagnostics, report_failure};
use crate::cli::ServeArgs;

/// Serve until Ctrl-C, printing the address and one line per rebuild.
pub fn run(args: ServeArgs) -> ExitCode {
    let root = args.dossier.root.clone();
    let options = ServeOptions {
        build: Options {
            root: args.dossier.root,
            drafts: args.dossier.drafts,
            base_url: None,
        },
        interface: args.interface,
        port: args.port,
        open: args.open,
    };
    if !options.interface.is_loopback() {
        eprintln!(
            "warning: serving on {}: anyone on your network can read the dossier",
            options.interface
        );
    }
    let printer_root = root.clone();
    // Warnings are printed when they change, not again on every save.
    let last_warnings = Mutex::new(Vec::new());
    let printer =
        Arc::new(move |report: Report<'_>| print_report(&printer_root, &last_warnings, report));
    match serve::run(options, printer) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report_failure(&root, "serve", failure),
    }
}

fn print_report(root: &Path, last_warnings: &Mutex<Vec<Diagnostic>>, report: Report<'_>) {
    let print_new_warnings = |warnings: &[Diagnostic]| {
        if let Ok(mut last) = last_warnings.lock()
            && last.as_slice() != warnings
        {
            print_diagnostics(root, warnings);
            *last = warnings.to_vec();
        }
    };
    match report {
        Report::Started { url, outcome } => match outcome {
            Outcome::Rebuilt {
                rendered,
                warnings,
                elapsed,
                ..
            } => {
                print_new_warnings(warnings);
                println!(
                    "Serving {url} ({rendered} pages built in {} ms). Press Ctrl-C to stop.",
                    elapsed.as_millis()
                );
            }
            Outcome::Failed { diagnostics, .. } => {
                print_diagnostics(root, diagnostics);
                println!(
                    "Serving {url}: the dossier does not build yet; open tabs will show the errors until they are fixed. Press Ctrl-C to stop."
                );
            }
        },
        Report::Rebuilt { files, outcome } => {
            let what = match files {
                // The pages rendered after a rebuild (see `Session::render_lagging`).
                [] => "rendering the print edition, feed and sitemap".to_string(),
                [one] => format!("{} changed", escape_controls(&one.display().to_string())),
                many => format!("{} files changed", many.len()),
            };
            match outcome {
                Outcome::Rebuilt {
                    changed,
                    rendered,
                    removed,
                    warnings,
                    elapsed,
                } => {
                    print_new_warnings(warnings);
                    // Removed files are among the changed ones but were not rendered.
                    let gone = match removed {
                        0 => String::new(),
                        n => format!(", {n} removed"),
                    };
                    println!(
                        "{what}: {} of {rendered} re-rendered files differ{gone}, in {} ms",
                        changed.len().saturating_sub(*removed),
                        elapsed.as_millis()
                    );
                }
                Outcome::Failed {
                    diagnostics,
                    elapsed,
                } => {
                    print_diagnostics(root, diagnostics);
                    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                    println!(
                        "{what}: {} ({} ms); still serving the last good build",
                        counted(errors, diagnostics.len() - errors),
                        elapsed.as_millis()
                    );
                }
            }
        }
        Report::Note(note) => println!("note: {}", escape_controls(note)),
        Report::Stopped => println!("Stopped."),
    }
}
