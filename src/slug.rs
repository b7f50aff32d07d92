//! Ids, slugs and terms: the rules that turn names into URL segments.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Whether `s` is a valid id or slug: `[a-z0-9][a-z0-9-]*`.
pub fn is_valid_id(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z' | b'0'..=b'9'))
        && bytes.all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// `s` in Unicode normalisation form C, so that one word typed two ways (a precomposed `é`,
/// or `e` and a combining accent) is one word. Borrowed when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    // ASCII, most of any text, is always NFC: no need to look at it character by character.
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// A term's URL slug: normalised to NFC, lowercase, letters and digits of any script kept
/// (with their combining marks), every run of other characters one `-`, no `-` at either
/// end, as Zola's `safe` slugs do. Links percent-encode it (see [`url_segment`]); the folder
/// on disk has the slug itself. Empty only when `s` has no letter or digit at all.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in nfc(s).chars().flat_map(char::to_lowercase) {
        // A mark belongs to the letter before it (a Devanagari virama, say), not to a gap.
        if c.is_alphanumeric() || (is_combining_mark(c) && !pending_dash && !out.is_empty()) {
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

/// A suggested id for `s`, for ids and taxonomy names, which are ASCII
/// (`[a-z0-9][a-z0-9-]*`): accents are dropped from their letters (`é` becomes `e`), other
/// characters outside ASCII count as separators. May be empty.
pub fn suggest_id(s: &str) -> String {
    let plain: String = s.nfd().filter(|&c| !is_combining_mark(c)).collect();
    let ascii: String = plain
        .chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect();
    slugify(&ascii)
}

/// Characters a slug keeps as they are in a URL: ASCII letters, digits and `-`. Everything
/// else, every byte of a letter outside ASCII included, is percent-encoded, as browsers do.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-');

/// `slug` as it is written in a link: percent-encoded UTF-8, which browsers and `serve`
/// decode back to the folder's name. An ASCII slug is unchanged.
pub fn url_segment(slug: &str) -> Cow<'_, str> {
    utf8_percent_encode(slug, SEGMENT).into()
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

    #[test]
    fn slugs_keep_letters_of_every_script() {
        assert_eq!(slugify("José Muñoz"), "josé-muñoz");
        assert_eq!(slugify("日本語"), "日本語");
        assert_eq!(slugify("Jörg Müller"), "jörg-müller");
        assert_ne!(slugify("Jörg Müller"), slugify("Jürg Möller"));
        assert_eq!(slugify("हिन्दी भाषा"), "हिन्दी-भाषा");
        assert_eq!(slugify("🚀 — ✓"), "");
    }

    #[test]
    fn slugs_are_the_same_for_nfc_and_nfd_spellings() {
        let nfc = "Caf\u{e9} Owner";
        let nfd = "Cafe\u{301} Owner";
        assert_ne!(nfc, nfd);
        assert_eq!(slugify(nfc), "caf\u{e9}-owner");
        assert_eq!(slugify(nfd), slugify(nfc));
    }

    #[test]
    fn url_segments_percent_encode_only_what_is_not_ascii() {
        assert_eq!(url_segment("mark-zuckerberg"), "mark-zuckerberg");
        assert_eq!(url_segment("josé-muñoz"), "jos%C3%A9-mu%C3%B1oz");
        let decoded = percent_encoding::percent_decode_str(&url_segment("日本語"))
            .decode_utf8()
            .map(|s| s.into_owned());
        assert_eq!(decoded.as_deref(), Ok("日本語"));
    }

    #[test]
    fn suggested_ids_are_ascii() {
        assert_eq!(suggest_id("Café closed"), "cafe-closed");
        assert_eq!(suggest_id("Jörg Müller"), "jorg-muller");
        assert_eq!(suggest_id("日本語"), "");
        assert!(is_valid_id(&suggest_id("Naïve — Über_Plan 2")));
    }
}
