//! `dossier new`.

use std::process::ExitCode;

use dossier::scaffold::new_dossier_with;

use super::scaffold_failure;
use crate::cli::NewArgs;

/// Write the example dossier and say what to do next.
pub fn run(args: NewArgs) -> ExitCode {
    match new_dossier_with(&args.dir, args.theme_copy) {
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
        Err(e) => scaffold_failure(e),
    }
}
