//! `dossier docs`: the reference pages, built into the binary so they match its version.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{DocsArgs, DocsPage};

/// Print the page's Markdown to standard output.
pub fn run(args: DocsArgs) -> ExitCode {
    let text = match args.page {
        DocsPage::Format => include_str!("../../docs/format.md"),
        DocsPage::Cli => include_str!("../../docs/cli.md"),
        DocsPage::GettingStarted => include_str!("../../docs/getting-started.md"),
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}
