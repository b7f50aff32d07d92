//! `dossier add-source`.

use std::process::ExitCode;

use dossier::scaffold::{NewSource, add_source};

use super::scaffold_failure;
use crate::cli::AddSourceArgs;

/// File the document and say how to cite it.
pub fn run(args: AddSourceArgs) -> ExitCode {
    let source = NewSource {
        file: args.file,
        id: args.id,
        title: args.title,
        kind: args.kind,
        url: args.url,
        published: args.published.map(|(date, _)| date),
        date_precision: args.published.map(|(_, p)| p).unwrap_or_default(),
        note: args.note,
        terms: args.terms,
        author: args.author,
        publisher: args.publisher,
        max_size: args.max_size,
    };
    match add_source(&args.root, &source) {
        Ok(added) => {
            for warning in &added.warnings {
                eprintln!(
                    "warning: {}",
                    dossier::diagnostics::escape_controls(warning)
                );
            }
            println!(
                "Added {} and {}",
                added.text.display(),
                added.sidecar.display()
            );
            if added.blocks {
                println!(
                    "  the text looks hard-wrapped: paragraphs are split at blank lines (paragraphs = \"blocks\")"
                );
            }
            println!(
                "  cite it as [text](src:{}#p1), or quote it as [\"exact words\"](src:{})",
                added.id, added.id
            );
            ExitCode::SUCCESS
        }
        Err(e) => scaffold_failure(e),
    }
}
