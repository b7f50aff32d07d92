//! Quotations: checking that quoted words occur verbatim in a source paragraph, by the folding
//! rules of PRODUCT.md §5 (white space runs, quote and apostrophe variants, nothing else), with
//! ellipses standing for omitted words; and finding the closest passage when they do not.

use std::ops::Range;

/// Opening and closing quotation marks that make a link text a quotation.
const OPENING: [char; 4] = ['"', '“', '„', '«'];
const CLOSING: [char; 4] = ['"', '”', '“', '»'];

/// Ellipsis forms inside a quotation, longest first so `[...]` is not read as `...`.
const ELLIPSES: [&str; 4] = ["[…]", "[...]", "…", "..."];

/// Single quotation marks that make a link text a quotation when they wrap it whole: British
/// style (‘…’), or straight quotes ('…'). The closing one doubles as an apostrophe, which is
/// why only a text that both opens and closes with one counts.
const SINGLE_OPENING: [char; 2] = ['\'', '‘'];
const SINGLE_CLOSING: [char; 2] = ['\'', '’'];

/// The words of a link text between its outer quotation marks, if it is a quotation.
pub fn quoted_words(link_text: &str) -> Option<&str> {
    let text = link_text.trim();
    let mut chars = text.chars();
    let first = chars.next()?;
    let last = chars.next_back()?;
    let double = OPENING.contains(&first) && CLOSING.contains(&last);
    let single = SINGLE_OPENING.contains(&first) && SINGLE_CLOSING.contains(&last);
    if double || single {
        Some(&text[first.len_utf8()..text.len() - last.len_utf8()])
    } else {
        None
    }
}

/// A quotation ready to be searched: its folded pieces, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quotation {
    pieces: Vec<String>,
}

impl Quotation {
    /// Fold the quoted words and split them at ellipses. `None` when nothing is left to match.
    pub fn new(words: &str) -> Option<Quotation> {
        let folded = fold(words);
        let mut pieces = Vec::new();
        let mut rest = folded.as_str();
        loop {
            let next = ELLIPSES
                .iter()
                .filter_map(|e| rest.find(e).map(|i| (i, e.len())))
                .min();
            let (piece, after) = match next {
                Some((i, len)) => (&rest[..i], Some(&rest[i + len..])),
                None => (rest, None),
            };
            let piece = piece.trim();
            if !piece.is_empty() {
                pieces.push(piece.to_string());
            }
            match after {
                Some(after) => rest = after,
                None => break,
            }
        }
        (!pieces.is_empty()).then_some(Quotation { pieces })
    }

    /// Where the pieces occur, in order, in `paragraph`: byte ranges of the original text
    /// (first occurrence of each piece after the previous one), or `None`.
    pub fn find_in(&self, paragraph: &str) -> Option<Vec<Range<usize>>> {
        let folded = Folded::new(paragraph);
        let mut from = 0;
        let mut ranges = Vec::with_capacity(self.pieces.len());
        for piece in &self.pieces {
            let at = from + folded.text[from..].find(piece.as_str())?;
            from = at + piece.len();
            ranges.push(folded.original(at)..folded.original(from));
        }
        Some(ranges)
    }

    /// Whether the pieces occur in order in `paragraph` (cheaper than `find_in`).
    pub fn occurs_in(&self, paragraph: &str) -> bool {
        let folded = fold(paragraph);
        let mut from = 0;
        for piece in &self.pieces {
            match folded[from..].find(piece.as_str()) {
                Some(i) => from += i + piece.len(),
                None => return false,
            }
        }
        true
    }

    /// For a quotation found nowhere: the paragraph (index into `paragraphs`) that shares
    /// the longest run with it, and an excerpt of that paragraph around the shared words.
    pub fn closest_passage<'p>(
        &self,
        paragraphs: impl IntoIterator<Item = &'p str>,
    ) -> Option<Closest> {
        let first = self.pieces.first()?;
        let mut best: Option<(Run, usize, String)> = None; // (run, paragraph index, folded)
        for (index, paragraph) in paragraphs.into_iter().enumerate() {
            let folded = fold(paragraph);
            let run = longest_shared_run(first, &folded);
            if run.len > 0 && best.as_ref().is_none_or(|b| run.len > b.0.len) {
                best = Some((run, index, folded));
            }
        }
        let (run, index, folded) = best?;
        // A shared run of a word or two is chance, not a near miss.
        if run.len < 12.min(first.len()) {
            return None;
        }
        // Only a quotation that is there in full once capitals are ignored, and not as
        // written, differs in case alone; the first piece matching is not enough.
        let case_only =
            !self.occurs_in(&folded) && self.case_folded().occurs_in(&fold_case(&folded));
        let case_position = fold_case(&folded)
            .find(&fold_case(first))
            .filter(|&i| case_only && folded.is_char_boundary(i));
        let want = first.len() + 10;
        // Show the passage aligned with the part of the quotation that matched: from the match
        // when its start matched, up to the match's end when its end matched.
        let (start, end) = match (case_position, run.at_end) {
            (Some(at), _) => (at, at + want),
            (None, false) => (run.at, run.at + want),
            (None, true) => ((run.at + run.len).saturating_sub(want), run.at + run.len),
        };
        Some(Closest {
            index,
            excerpt: window(&folded, start, end),
            case_only,
        })
    }

    /// Whether every piece occurs in `paragraph`, but not in the quotation's order: an
    /// ellipsis quotation whose parts were swapped.
    pub fn occurs_out_of_order(&self, paragraph: &str) -> bool {
        if self.pieces.len() < 2 {
            return false;
        }
        let folded = fold(paragraph);
        self.pieces.iter().all(|p| folded.contains(p.as_str())) && !self.occurs_in(paragraph)
    }

    /// The same quotation with its capitals folded away, for telling a case-only miss.
    fn case_folded(&self) -> Quotation {
        Quotation {
            pieces: self.pieces.iter().map(|p| fold_case(p)).collect(),
        }
    }
}

/// The words of `text` covering bytes `start..end`, widened to whole words, with `…` where
/// text was left out.
fn window(text: &str, start: usize, end: usize) -> String {
    let start = floor_char(text, start.min(text.len()));
    let end = floor_char(text, end.min(text.len()));
    let start = text[..start].rfind(' ').map_or(0, |i| i + 1);
    let end = text[end..].find(' ').map_or(text.len(), |i| end + i);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    format!("{lead}{}{tail}", text[start..end].trim())
}

/// The nearest passage to a quotation that is not in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closest {
    /// Index of the paragraph (0-based).
    pub index: usize,
    /// Words of that paragraph around the best match, folded.
    pub excerpt: String,
    /// The quotation is there, but with different capitals.
    pub case_only: bool,
}

/// The longest run of a quotation found in a paragraph.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// Its length in bytes.
    len: usize,
    /// Where it starts in the paragraph.
    at: usize,
    /// It is the quotation's end (a suffix), not its start.
    at_end: bool,
}

/// The longest prefix of `needle` found in `haystack`, or the longest suffix if that is
/// longer (a misquote may differ at its start or at its end).
fn longest_shared_run(needle: &str, haystack: &str) -> Run {
    let ends: Vec<usize> = needle
        .char_indices()
        .map(|(i, _)| i)
        .skip(1)
        .chain([needle.len()])
        .collect();
    // `contains` is monotonic in the length of a prefix (or suffix): binary search it.
    let prefix = partition(&ends, |&end| haystack.contains(&needle[..end])).unwrap_or(0);
    let starts: Vec<usize> = needle.char_indices().map(|(i, _)| i).rev().collect();
    let suffix = partition(&starts, |&start| haystack.contains(&needle[start..]))
        .map_or(0, |start| needle.len() - start);
    if prefix >= suffix {
        let at = haystack.find(&needle[..prefix]).unwrap_or(0);
        Run {
            len: prefix,
            at,
            at_end: false,
        }
    } else {
        let at = haystack.find(&needle[needle.len() - suffix..]).unwrap_or(0);
        Run {
            len: suffix,
            at,
            at_end: true,
        }
    }
}

/// The last element of `items` for which `holds` is true, given that it holds for a prefix of
/// `items` and not after.
fn partition<T: Copy>(items: &[T], holds: impl Fn(&T) -> bool) -> Option<T> {
    let n = items.partition_point(|item| holds(item));
    n.checked_sub(1).map(|i| items[i])
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn fold_case(s: &str) -> String {
    s.to_lowercase()
}

/// The folding of PRODUCT.md §5: white space runs become one space; single quote variants
/// become `'`; double quote variants become `"`. Nothing else changes.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
            continue;
        }
        in_space = false;
        out.push(fold_char(c));
    }
    out
}

fn fold_char(c: char) -> char {
    match c {
        '‘' | '’' | '‚' | '‛' | '′' => '\'',
        '“' | '”' | '„' | '‟' | '″' | '«' | '»' => '"',
        other => other,
    }
}

/// Folded text that remembers, for each of its bytes, where it came from in the original.
struct Folded {
    text: String,
    /// `origin[i]` is the original byte offset of folded byte `i`; one extra entry for the end.
    origin: Vec<usize>,
}

impl Folded {
    fn new(s: &str) -> Folded {
        let mut text = String::with_capacity(s.len());
        let mut origin = Vec::with_capacity(s.len() + 1);
        let mut in_space = false;
        for (i, c) in s.char_indices() {
            if c.is_whitespace() {
                if !in_space {
                    text.push(' ');
                    origin.push(i);
                }
                in_space = true;
                continue;
            }
            in_space = false;
            let folded = fold_char(c);
            text.push(folded);
            origin.extend(std::iter::repeat_n(i, folded.len_utf8()));
        }
        origin.push(s.len());
        Folded { text, origin }
    }

    fn original(&self, folded_offset: usize) -> usize {
        self.origin[folded_offset]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(words: &str) -> Quotation {
        Quotation::new(words).expect("non-empty")
    }

    #[test]
    fn link_text_in_straight_or_curly_quotes_is_a_quotation() {
        assert_eq!(quoted_words("\"open source\""), Some("open source"));
        assert_eq!(quoted_words("“open source”"), Some("open source"));
        assert_eq!(quoted_words("open source"), None);
        assert_eq!(quoted_words("\"Linux of AI\" comparison"), None);
        assert_eq!(quoted_words("\""), None);
    }

    #[test]
    fn link_text_in_single_quotes_is_a_quotation() {
        assert_eq!(
            quoted_words("‘a free, copyleft licence’"),
            Some("a free, copyleft licence")
        );
        assert_eq!(quoted_words("'a free licence'"), Some("a free licence"));
        assert_eq!(quoted_words("‘open source'"), Some("open source"));
        assert_eq!(quoted_words("the licence's terms"), None);
        assert_eq!(quoted_words("'90s licences"), None);
        assert_eq!(quoted_words("'"), None);
    }

    #[test]
    fn whitespace_and_quote_variants_fold_but_case_and_dashes_do_not() {
        let p = "That’s   subtle,\u{a0}but “real” – truly";
        assert!(q("That's subtle, but \"real\" – truly").occurs_in(p));
        assert!(!q("that's subtle").occurs_in(p));
        assert!(!q("real\" - truly").occurs_in(p));
    }

    #[test]
    fn ellipses_stand_for_omitted_words_in_order() {
        let p = "First, open source is safer. Second, it becomes a standard. Third, recruiting.";
        for e in ["…", "...", "[…]", "[...]"] {
            assert!(
                q(&format!("First, open source {e} becomes a standard")).occurs_in(p),
                "{e}"
            );
        }
        assert!(!q("Third, recruiting … First").occurs_in(p));
    }

    #[test]
    fn find_in_maps_ranges_back_to_the_original_bytes() {
        let p = "He said “hello   world” twice";
        let ranges = q("\"hello world\"").find_in(p).expect("found");
        assert_eq!(&p[ranges[0].clone()], "“hello   world”");
        let p = "abc … def ghi";
        let ranges = q("abc … ghi").find_in(p).expect("found");
        assert_eq!(
            ranges.iter().map(|r| &p[r.clone()]).collect::<Vec<_>>(),
            vec!["abc", "ghi"]
        );
    }

    #[test]
    fn only_the_first_occurrence_is_highlighted() {
        let p = "again and again";
        let ranges = q("again").find_in(p).expect("found");
        assert_eq!((ranges.len(), ranges[0].clone()), (1, 0..5));
    }

    #[test]
    fn quotation_of_only_ellipses_is_empty() {
        assert!(Quotation::new(" … ").is_none());
    }

    #[test]
    fn closest_passage_finds_the_near_miss() {
        let paragraphs = [
            "Nothing to see here.",
            "Open source software is typically safer and more secure.",
            "Something else entirely.",
        ];
        let c = q("open source software is typically safer and more secure")
            .closest_passage(paragraphs)
            .expect("near miss");
        assert_eq!(c.index, 1);
        assert!(c.case_only);
        let c = q("Open source software is typically cheaper")
            .closest_passage(paragraphs)
            .expect("near");
        assert_eq!(c.index, 1);
        assert!(!c.case_only);
        assert!(
            c.excerpt
                .starts_with("Open source software is typically safer"),
            "{}",
            c.excerpt
        );
        let c = q("the survey was out of date long before the tender")
            .closest_passage([
                "He said the 2019 survey was out of date well before the tender, and left.",
            ])
            .expect("near");
        assert_eq!(
            c.excerpt,
            "…said the 2019 survey was out of date well before the tender,…"
        );
    }

    #[test]
    fn a_quotation_present_verbatim_is_not_a_case_miss() {
        // Exactly the words of the paragraph: whatever is wrong, it is not their capitals.
        let c = q("Open source software is typically safer")
            .closest_passage(["Open source software is typically safer and more secure."])
            .expect("near");
        assert!(!c.case_only);
        // Pieces in the wrong order, each verbatim: not a case miss either.
        let p = "First, open source is safer. Second, it becomes a standard.";
        let swapped = q("it becomes a standard … First, open source is safer");
        assert!(!swapped.closest_passage([p]).expect("near").case_only);
        assert!(swapped.occurs_out_of_order(p));
        assert!(!q("First, open source … a standard").occurs_out_of_order(p));
        assert!(!q("First, open source is safer").occurs_out_of_order("nothing"));
    }

    #[test]
    fn unrelated_words_have_no_closest_passage() {
        assert!(
            q("zebra crossing at midnight")
                .closest_passage(["Nothing to see here."])
                .is_none()
        );
    }
}
