//! `dossier paragraphs`: a source's numbered paragraphs, so a writer can cite from the
//! terminal.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use dossier::diagnostics::escape_controls;
use dossier::scaffold::{Listed, ScaffoldError, list_paragraphs};

use super::EXIT_CONTENT;
use crate::cli::ParagraphsArgs;

/// Print `¶N  text` for each paragraph shown, the matched words marked, and with a search
/// the link to paste. Nothing found, or no such source: exit status 1 with a hint.
pub fn run(args: ParagraphsArgs) -> ExitCode {
    let listing = match list_paragraphs(&args.root, &args.id, args.words.as_deref()) {
        Ok(listing) => listing,
        Err(ScaffoldError::Refused { message }) => {
            eprintln!("error: {}", escape_controls(&message));
            return ExitCode::from(EXIT_CONTENT);
        }
        Err(ScaffoldError::Io(e)) => {
            eprintln!("error: {}", escape_controls(&e.to_string()));
            return ExitCode::from(EXIT_CONTENT);
        }
    };
    if listing.shown.is_empty() {
        let words = args.words.as_deref().unwrap_or_default();
        eprintln!(
            "error: no paragraph of `{}` holds “{}” ({} paragraphs searched)",
            listing.id,
            escape_controls(words.trim()),
            listing.total
        );
        match &listing.closest {
            Some(c) if c.case_only => eprintln!(
                "  = help: the words are in ¶{} with different capitals: “{}” (the search is exact; case is not folded)",
                c.index + 1,
                escape_controls(&c.excerpt)
            ),
            Some(c) => eprintln!(
                "  = help: closest passage, ¶{}: “{}”",
                c.index + 1,
                escape_controls(&c.excerpt)
            ),
            None => eprintln!("  = help: fewer words find more; `…` stands for words left out"),
        }
        return ExitCode::from(EXIT_CONTENT);
    }
    let marks = if std::io::stdout().is_terminal() {
        ("\x1b[1;4m", "\x1b[0m")
    } else {
        ("**", "**")
    };
    let width = listing.total.to_string().len();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for listed in &listing.shown {
        let number = format!("¶{}", listed.number);
        let _ = writeln!(
            out,
            "{number:<w$}  {}",
            marked(listed, marks),
            w = width + 1
        );
        if let Some(words) = &args.words {
            let _ = writeln!(
                out,
                "{:w$}  [“{}”](src:{}#p{})",
                "",
                escape_controls(words.trim()),
                listing.id,
                listed.number,
                w = width + 1
            );
        }
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

/// The paragraph's text with its matches between `marks`, control characters escaped so a
/// source cannot drive the terminal.
fn marked(listed: &Listed, (open, close): (&str, &str)) -> String {
    let mut out = String::with_capacity(listed.text.len() + 8);
    let mut at = 0;
    for range in &listed.matches {
        out.push_str(&escape_controls(&listed.text[at..range.start]));
        out.push_str(open);
        out.push_str(&escape_controls(&listed.text[range.clone()]));
        out.push_str(close);
        at = range.end;
    }
    out.push_str(&escape_controls(&listed.text[at..]));
    out
}
