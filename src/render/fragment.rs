//! Links into the originals: a URL text fragment (`url#:~:text=…`, WICG scroll-to-text) that
//! takes a reader to the quoted words in the published page.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a text directive's words may not hold unencoded: everything but letters, digits and
/// `._~` — so `-`, `,` and `&` (the directive's own syntax) and spaces are always encoded.
const TEXT_DIRECTIVE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'_').remove(b'~');

/// Quotations longer than this many words link by their first and last words (`start,end`),
/// as the spec advises for long passages, so a small difference in the middle (a line break
/// the publisher changed) does not lose the link.
const LONG_WORDS: usize = 8;
/// Words kept at each end of a long quotation.
const END_WORDS: usize = 4;

/// `url` with a text fragment for `pieces` (a quotation's words, more than one piece when it
/// has an ellipsis): one piece of at most eight words is the whole directive; otherwise its
/// first and last words are the start and end.
pub fn text_fragment(url: &str, pieces: &[&str]) -> String {
    let words: Vec<Vec<&str>> = pieces
        .iter()
        .map(|p| p.split_whitespace().collect::<Vec<_>>())
        .filter(|w| !w.is_empty())
        .collect();
    let encode = |w: &[&str]| utf8_percent_encode(&w.join(" "), TEXT_DIRECTIVE).to_string();
    let directive = match words.as_slice() {
        [] => return url.to_string(),
        [one] if one.len() <= LONG_WORDS => encode(one),
        [one] => format!(
            "{},{}",
            encode(&one[..END_WORDS]),
            encode(&one[one.len() - END_WORDS..])
        ),
        [first, .., last] => {
            let start = &first[..first.len().min(END_WORDS)];
            let end = &last[last.len().saturating_sub(END_WORDS)..];
            format!("{},{}", encode(start), encode(end))
        }
    };
    let base = url.split("#:~:").next().unwrap_or(url);
    let separator = if base.contains('#') { ":~:" } else { "#:~:" };
    format!("{base}{separator}text={directive}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_commas_dashes_and_ampersands_are_encoded() {
        assert_eq!(
            text_fragment("https://example.org/a", &["chromium & zinc, night-time"]),
            "https://example.org/a#:~:text=chromium%20%26%20zinc%2C%20night%2Dtime"
        );
    }

    #[test]
    fn long_quotations_link_by_start_and_end() {
        let quote = "one two three four five six seven eight nine ten";
        assert_eq!(
            text_fragment("https://e.org/", &[quote]),
            "https://e.org/#:~:text=one%20two%20three%20four,seven%20eight%20nine%20ten"
        );
    }

    #[test]
    fn an_existing_fragment_is_kept() {
        assert_eq!(
            text_fragment("https://e.org/#top", &["a b"]),
            "https://e.org/#top:~:text=a%20b"
        );
    }
}
