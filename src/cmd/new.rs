//! `dossier new`.

use std::process::ExitCode;

use dossier::scaffold::{ScaffoldError, new_dossier};

use super::{EXIT_CONTENT, EXIT_USAGE};
use crate::cli::NewArgs;

/// Write the example dossier and say what to do next.
pub fn run(args: NewArgs) -> ExitCode {
    match new_dossier(&args.dir) {
        Ok(files) => {
            let dir = args.dir.display();
            println!("Created a dossier in {dir} ({} files). Next:", files.len());
            println!("  cd {dir}");
            println!(
                "  dossier serve        # preview it at http://127.0.0.1:1111/ while you edit"
            );
            println!(
                "  dossier add-source FILE --title \"…\" --kind article   # file your first source"
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
