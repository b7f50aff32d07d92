//! Link destinations and the site's own URLs, shared by every stage: which scheme a destination
//! has (the one place links are classified: the reference scan reports from it and the renderer
//! writes links by it), whether a URL is a web address, and the root-relative paths of pages.

use crate::diagnostics::Diagnostic;

/// The URL schemes that point into the dossier.
pub const SCHEMES: [&str; 3] = ["src:", "summary:", "event:"];

/// URL schemes a link may use besides the dossier's: they cannot run script.
pub const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Schemes a browser would run script from, or use to reach local files.
const SCRIPT_SCHEMES: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// Whether a link destination points into the dossier.
pub fn is_dossier_link(dest: &str) -> bool {
    SCHEMES.iter().any(|s| dest.starts_with(s))
}

/// What a link destination is, by its scheme. The one place links are classified: the
/// reference scan reports from it and the renderer writes links by it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scheme {
    /// `src:`, `summary:` or `event:`, as written: a link into the dossier.
    Dossier,
    /// One of `SAFE_SCHEMES`, or no scheme at all (a relative link, a `#fragment`).
    Safe,
    /// A scheme that can run script or read local files (`javascript:`, `vbscript:`,
    /// `data:`, `file:`), lowercased: shown as text, never as a link.
    Script(String),
    /// Any other scheme, lowercased: an error, shown as text.
    Unknown(String),
}

/// Classify a destination as a browser would read it: character references decoded, tabs and
/// newlines removed, leading and trailing spaces and control characters dropped, the scheme
/// compared without regard to case (so ` JaVa&#83;cript:` is `javascript:`).
pub fn classify(dest: &str) -> Scheme {
    if is_dossier_link(dest) {
        return Scheme::Dossier;
    }
    let decoded = decode_references(dest);
    let url: String = decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let Some((scheme, _)) = url.split_once(':') else {
        return Scheme::Safe;
    };
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        // A colon after a path, query or fragment character: a relative link.
        return Scheme::Safe;
    }
    let scheme = scheme.to_ascii_lowercase();
    if SAFE_SCHEMES.contains(&scheme.as_str()) {
        Scheme::Safe
    } else if SCRIPT_SCHEMES.contains(&scheme.as_str()) {
        Scheme::Script(scheme)
    } else {
        Scheme::Unknown(scheme)
    }
}

/// Decode numeric character references (`&#106;`, `&#x6A;`) and the named ones that can hide
/// a scheme's colon or break it up (`&colon;`, `&Tab;`, `&NewLine;`). pulldown-cmark decodes
/// references in destinations already; this keeps the classification safe on its own.
fn decode_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12);
        let decoded = end.and_then(|end| {
            let name = &rest[1..end];
            let c = match name.strip_prefix('#') {
                Some(num) => match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => num.parse::<u32>().ok().and_then(char::from_u32),
                },
                None => match name.to_ascii_lowercase().as_str() {
                    "colon" => Some(':'),
                    "tab" => Some('\t'),
                    "newline" => Some('\n'),
                    _ => None,
                },
            }?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.into()
}

/// The problem with a link whose scheme is not allowed, if any: a warning for a script
/// scheme, an error for an unknown one (naming the dossier scheme it is close to).
pub fn scheme_problem(dest: &str, scheme: &Scheme, is_image: bool) -> Option<Diagnostic> {
    let what = if is_image { "image from" } else { "link to" };
    match scheme {
        Scheme::Dossier | Scheme::Safe => None,
        Scheme::Script(name) => Some(
            Diagnostic::warning(format!(
                "{what} `{}` uses the `{name}:` scheme, which can run script; it is shown as plain text",
                shorten(dest)
            ))
            .hint(allowed_schemes()),
        ),
        Scheme::Unknown(name) => {
            let hint = match near_dossier_scheme(name) {
                Some(near) => format!("did you mean `{near}`?"),
                None => allowed_schemes(),
            };
            Some(
                Diagnostic::error(format!(
                    "{what} `{}` uses the unknown scheme `{name}:`",
                    shorten(dest)
                ))
                .hint(hint),
            )
        }
    }
}

fn allowed_schemes() -> String {
    format!(
        "links may use {}, the dossier's {}, or a relative path",
        SAFE_SCHEMES.map(|s| format!("`{s}:`")).join(", "),
        SCHEMES.map(|s| format!("`{s}`")).join(", ")
    )
}

/// The dossier scheme a mistyped one is close to: with the same first letter, and one edit
/// or swap away (`scr`, `sumary`), sharing its first four letters (`summaries`), or
/// containing its letters in order (`source`, `events`).
fn near_dossier_scheme(scheme: &str) -> Option<&'static str> {
    SCHEMES.into_iter().find(|full| {
        let ours = &full[..full.len() - 1];
        let mut letters = ours.chars().peekable();
        for c in scheme.chars() {
            if letters.peek() == Some(&c) {
                letters.next();
            }
        }
        let shared_prefix = scheme
            .bytes()
            .zip(ours.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // A real scheme one letter off (`irc:`) is not a typo: the first letter must agree.
        scheme.chars().next() == ours.chars().next()
            && (strsim::osa_distance(scheme, ours) <= 1
                || shared_prefix >= ours.len().min(4)
                || letters.peek().is_none())
    })
}

/// A destination cut to a readable length for a message.
fn shorten(dest: &str) -> String {
    let mut chars = dest.chars();
    let short: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{short}…")
    } else {
        short
    }
}

/// Whether a URL may be shown as a link.
pub fn is_http(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Root-relative paths of the site's pages (no leading slash; directories end with `/`).
pub mod paths {
    /// The home page.
    pub const HOME: &str = "";
    /// The timeline.
    pub const TIMELINE: &str = "timeline/";
    /// The source list.
    pub const SOURCES: &str = "sources/";
    /// The summary list.
    pub const SUMMARIES: &str = "summaries/";
    /// The search page.
    pub const SEARCH: &str = "search/";
    /// The print edition.
    pub const PRINT: &str = "print/";
    /// The key judgments (issue 18).
    pub const JUDGMENTS: &str = "judgments/";
    /// The open questions (issue 18).
    pub const OPEN_QUESTIONS: &str = "open-questions/";

    /// A source page.
    pub fn source(id: &str) -> String {
        format!("sources/{id}/")
    }
    /// A summary page.
    pub fn summary(slug: &str) -> String {
        format!("summaries/{slug}/")
    }
    /// An event's anchor on the timeline.
    pub fn event(slug: &str) -> String {
        format!("timeline/#{}", event_anchor(slug))
    }
    /// The id of an event on the timeline page.
    pub fn event_anchor(slug: &str) -> String {
        format!("event-{slug}")
    }
    /// A taxonomy's matrix page.
    pub fn taxonomy(name: &str) -> String {
        format!("{name}/")
    }
    /// A term's page, as linked: a slug outside ASCII is percent-encoded (its folder is not).
    pub fn term(taxonomy: &str, slug: &str) -> String {
        format!("{taxonomy}/{}/", crate::slug::url_segment(slug))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_urls_are_links() {
        assert!(is_http("https://x.org"));
        assert!(is_http("HTTP://x.org"));
        assert!(!is_http("javascript:alert(1)"));
        assert!(!is_http("file:///etc/passwd"));
    }

    #[test]
    fn schemes_are_classified_as_a_browser_reads_them() {
        for script in [
            "javascript:alert(1)",
            "JAVASCRIPT:alert(1)",
            " javascript:alert(1)",
            "\u{1}java\tscript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript&colon;alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
        ] {
            assert!(matches!(classify(script), Scheme::Script(_)), "{script:?}");
        }
        for safe in [
            "https://x.org",
            "HTTP://x.org",
            "mailto:a@b.org",
            "tel:+441234",
            "../a/",
            "#top",
            "a/b:c",
            "?q=a:b",
            "desk@example.org",
        ] {
            assert_eq!(classify(safe), Scheme::Safe, "{safe:?}");
        }
        assert_eq!(classify("src:a#p1"), Scheme::Dossier);
        assert_eq!(classify("SRC:a"), Scheme::Unknown("src".into()));
        assert_eq!(classify("ftp://x"), Scheme::Unknown("ftp".into()));
    }

    #[test]
    fn near_misses_of_dossier_schemes_are_named() {
        for (written, meant) in [
            ("source", "src:"),
            ("scr", "src:"),
            ("src", "src:"),
            ("sumary", "summary:"),
            ("summaries", "summary:"),
            ("events", "event:"),
            ("evnt", "event:"),
        ] {
            assert_eq!(near_dossier_scheme(written), Some(meant), "{written}");
        }
        for far in ["ftp", "ssh", "smb", "irc", "sms"] {
            assert_eq!(near_dossier_scheme(far), None, "{far}");
        }
    }
}
