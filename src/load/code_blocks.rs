//! Which code blocks get highlighted: the syntax set (loaded once per process, and only when
//! first needed) and the size limit. The reference scan warns about a block over the limit at
//! load; the highlighter in render reads the same two, so what is warned about is what is shown
//! as plain text.

use std::sync::OnceLock;

use syntect::parsing::SyntaxSet;

/// The syntaxes code is highlighted in.
pub fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

/// The largest code block that is highlighted, in bytes. syntect's memory grows with the
/// block, to several hundred bytes per byte of code (a 200,000-line block took 1.46 GB); larger
/// blocks are shown as plain, escaped text, with a warning from the reference scan.
pub const MAX_HIGHLIGHTED_BYTES: usize = 256 * 1024;

/// Whether `lang` names a language that is highlighted.
fn is_known(lang: Option<&str>) -> bool {
    lang.is_some_and(|l| syntaxes().find_syntax_by_token(l).is_some())
}

/// The warning for a code block of `len` bytes in `lang` that is too large to highlight.
pub fn size_problem(len: usize, lang: Option<&str>) -> Option<crate::diagnostics::Diagnostic> {
    (len > MAX_HIGHLIGHTED_BYTES && is_known(lang)).then(|| {
        crate::diagnostics::Diagnostic::warning(format!(
            "code block not highlighted: it is {} KiB, larger than the {} KiB that are highlighted",
            len.div_ceil(1024),
            MAX_HIGHLIGHTED_BYTES / 1024
        ))
        .hint("it is shown as plain text; split it, or link to the file instead")
    })
}
