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
        title: args.title.unwrap_or_default(),
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
            // evidence: what was extracted and filled (issue 14)
            if let Some(original) = &added.original {
                println!(
                    "  kept the original {} as {}; extracted {} paragraph{}{}",
                    original.format.label(),
                    original.path.display(),
                    original.paragraphs,
                    if original.paragraphs == 1 { "" } else { "s" },
                    match original.pages {
                        Some(1) => " from 1 page".to_string(),
                        Some(n) => format!(" from {n} pages"),
                        None => String::new(),
                    }
                );
                if original.attachments > 0 {
                    println!(
                        "  listed {} attachment{} (not extracted)",
                        original.attachments,
                        if original.attachments == 1 { "" } else { "s" }
                    );
                }
                for (key, value) in &original.filled {
                    println!(
                        "  filled {key} from the document: {}",
                        dossier::diagnostics::escape_controls(value)
                    );
                }
            }
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
