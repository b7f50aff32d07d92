//! Ids, slugs and terms: the rules that turn names into URL segments.

/// Whether `s` is a valid id or slug: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// A URL slug for a term or a suggested id: lowercase, every run of other characters becomes
/// one `-`, no `-` at either end. May be empty when `s` has no letters or digits.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// `s` with its first character in upper case.
pub fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lowercase_ascii_with_inner_dashes() {
        assert!(is_valid_id("q3-2023-call"));
        assert!(is_valid_id("0day"));
        assert!(!is_valid_id("Q3-call"));
        assert!(!is_valid_id("-lead"));
        assert!(!is_valid_id("under_score"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn slugify_collapses_runs_and_trims() {
        assert_eq!(
            slugify("Commoditize the Complement!"),
            "commoditize-the-complement"
        );
        assert_eq!(slugify("  Mark   Zuckerberg "), "mark-zuckerberg");
        assert_eq!(slugify("Open_Source--AI"), "open-source-ai");
        assert_eq!(slugify("!!!"), "");
    }
}
