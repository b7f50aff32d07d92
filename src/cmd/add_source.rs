//! `dossier add-source`.

use std::process::ExitCode;

use dossier::scaffold::{NewSource, ScaffoldError, add_source};

use super::{EXIT_CONTENT, EXIT_USAGE};
use crate::cli::AddSourceArgs;

/// File the document and say how to cite it.
pub fn run(args: AddSourceArgs) -> ExitCode {
    let source = NewSource {
        file: args.file,
        id: args.id,
        title: args.title,
        kind: args.kind,
        url: args.url,
        published: args.published,
        author: args.author,
        publisher: args.publisher,
    };
    match add_source(&args.root, &source) {
        Ok(added) => {
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
        Err(ScaffoldError::Refused { message }) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(ScaffoldError::Io(e)) => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}
