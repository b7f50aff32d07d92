//! The analyst's callout markers: the first line of a block quote that makes it a key
//! judgment (`[!JUDGMENT #id confidence=moderate likelihood=likely]`) or an open question
//! (`[!QUESTION #id]`). One parser, shared by the resolve stage (which checks and lists them)
//! and the renderer (which draws them and drops the marker from the text).

use crate::diagnostics::{Diagnostic, nearest};
use crate::slug::is_valid_id;

/// What a marked block quote is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// `[!JUDGMENT …]`.
    Judgment,
    /// `[!QUESTION …]`.
    Question,
}

/// A judgment's confidence, ICD 203's three levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Scant, questionable or poorly corroborated information.
    Low,
    /// Credible and plausible, not corroborated enough for more.
    Moderate,
    /// Good, corroborated, independent sources.
    High,
}

impl Confidence {
    /// The word written in markers: `moderate`.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }

    /// As shown: "Moderate confidence".
    pub fn label(self) -> &'static str {
        match self {
            Confidence::Low => "Low confidence",
            Confidence::Moderate => "Moderate confidence",
            Confidence::High => "High confidence",
        }
    }
}

/// One of ICD 203's seven degrees of likelihood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The term: "very likely".
    pub name: &'static str,
    /// Its synonym in the standard's second row: "highly probable".
    pub synonym: &'static str,
    /// The lower end of its probability range, in per cent.
    pub low: u8,
    /// The upper end.
    pub high: u8,
}

/// ICD 203's likelihood scale, from the least to the most probable.
pub const SCALE: [Term; 7] = [
    Term {
        name: "almost no chance",
        synonym: "remote",
        low: 1,
        high: 5,
    },
    Term {
        name: "very unlikely",
        synonym: "highly improbable",
        low: 5,
        high: 20,
    },
    Term {
        name: "unlikely",
        synonym: "improbable",
        low: 20,
        high: 45,
    },
    Term {
        name: "roughly even chance",
        synonym: "roughly even odds",
        low: 45,
        high: 55,
    },
    Term {
        name: "likely",
        synonym: "probable",
        low: 55,
        high: 80,
    },
    Term {
        name: "very likely",
        synonym: "highly probable",
        low: 80,
        high: 95,
    },
    Term {
        name: "almost certain",
        synonym: "nearly certain",
        low: 95,
        high: 99,
    },
];

/// Words often used for likelihood that state no probability at all.
pub const OFF_SCALE: [&str; 6] = ["may", "might", "could", "possibly", "perhaps", "possible"];

/// A likelihood as written, matched against the scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Likelihood {
    /// The words as written, hyphens read as spaces: "very likely".
    pub written: String,
    /// The term it is on the scale, if it is.
    pub term: Option<Term>,
}

impl Likelihood {
    /// Read a written likelihood: either word of a pair, hyphens or spaces, any case, and the
    /// adverbs the standard gives in parentheses ("almost certainly", "probably", "improbably").
    pub fn read(written: &str) -> Likelihood {
        let words: Vec<String> = written
            .split(|c: char| c == '-' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let written = words.join(" ");
        let adverb_free = match written.as_str() {
            "almost certainly" => "almost certain",
            "probably" => "probable",
            "improbably" => "improbable",
            other => other,
        };
        let term = SCALE
            .iter()
            .find(|t| t.name == adverb_free || t.synonym == adverb_free)
            .copied();
        Likelihood { written, term }
    }

    /// Whether it is one of the common words that state no probability.
    pub fn is_off_scale_word(&self) -> bool {
        OFF_SCALE.contains(&self.written.as_str())
    }

    /// As shown: "Very likely (80–95 %)", or the words alone when off the scale.
    pub fn label(&self) -> String {
        let mut label = crate::slug::capitalize(&self.written);
        if let Some(t) = self.term {
            label.push_str(&format!(" ({}–{} %)", t.low, t.high));
        }
        label
    }
}

/// A parsed marker. Offsets are bytes from the marker's `[`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marker {
    /// Judgment or question.
    pub kind: MarkerKind,
    /// The `#id`, with its offset (of the `#`).
    pub id: Option<(String, usize)>,
    /// `confidence=`, with the offset of its value.
    pub confidence: Option<(Confidence, usize)>,
    /// `likelihood=`, with the offset of its value.
    pub likelihood: Option<(Likelihood, usize)>,
    /// Bytes from the `[` to just after the `]`.
    pub len: usize,
    /// Problems, each at an offset from the `[`: errors, and warnings about the likelihood.
    pub problems: Vec<(usize, Diagnostic)>,
}

impl Marker {
    /// Whether the marker has an error (then nothing is rendered or listed from it).
    pub fn has_error(&self) -> bool {
        self.problems.iter().any(|(_, d)| d.is_error())
    }
}

const JUDGMENT_KEYS: [&str; 2] = ["confidence", "likelihood"];

/// Read the marker that `line` starts with, if it starts with one: `line` is the text of a
/// block quote's first line after its `>` and spaces. `None`: an ordinary block quote.
pub fn parse_marker(line: &str) -> Option<Marker> {
    let line = line.split('\n').next().unwrap_or_default();
    let rest = line.strip_prefix("[!")?;
    let keyword_len = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    let kind = match rest[..keyword_len].to_ascii_uppercase().as_str() {
        "JUDGMENT" => MarkerKind::Judgment,
        "QUESTION" => MarkerKind::Question,
        _ => return None,
    };
    let what = match kind {
        MarkerKind::Judgment => "judgment",
        MarkerKind::Question => "open question",
    };
    let mut marker = Marker {
        kind,
        id: None,
        confidence: None,
        likelihood: None,
        len: 0,
        problems: Vec::new(),
    };
    let mut at = 2 + keyword_len;
    let bytes = line.as_bytes();
    let mut seen: Vec<&str> = Vec::new();
    loop {
        while at < line.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= line.len() {
            let example = match kind {
                MarkerKind::Judgment => "`[!JUDGMENT #id confidence=…]`",
                MarkerKind::Question => "`[!QUESTION #id]`",
            };
            marker.problems.push((
                0,
                Diagnostic::error(format!("the {what} marker has no closing `]` on its line"))
                    .hint(format!("write the marker on one line: {example}")),
            ));
            marker.len = line.len();
            return Some(marker);
        }
        if bytes[at] == b']' {
            marker.len = at + 1;
            break;
        }
        let start = at;
        // One attribute: `#id`, or `key=value` with the value bare or in quotation marks.
        let token_end = |from: usize| {
            line[from..]
                .find(|c: char| c.is_whitespace() || c == ']' || c == '=' || c == '"')
                .map_or(line.len(), |i| from + i)
        };
        if bytes[at] == b'#' {
            let end = token_end(at + 1);
            let id = &line[at + 1..end];
            at = end;
            if marker.id.is_some() {
                marker.problems.push((
                    start,
                    Diagnostic::error(format!("the {what} has two ids")).hint("give one `#id`"),
                ));
            } else if !is_valid_id(id) {
                marker.problems.push((
                    start,
                    Diagnostic::error(format!("invalid {what} id `#{id}`")).hint(format!(
                        "ids are lowercase letters, digits and `-`, e.g. `#{}`",
                        crate::slug::suggest_id(id)
                    )),
                ));
            } else {
                marker.id = Some((id.to_string(), start));
            }
            continue;
        }
        let key_end = token_end(at);
        let key = &line[at..key_end];
        at = key_end;
        let mut value: Option<(&str, usize)> = None;
        if at < line.len() && bytes[at] == b'=' {
            at += 1;
            if at < line.len() && bytes[at] == b'"' {
                match line[at + 1..].find('"') {
                    Some(close) => {
                        value = Some((&line[at + 1..at + 1 + close], at + 1));
                        at = at + 1 + close + 1;
                    }
                    None => {
                        marker.problems.push((
                            at,
                            Diagnostic::error("unclosed quotation mark in the marker")
                                .hint("close the value with `\"` before the `]`"),
                        ));
                        marker.len = line.len();
                        return Some(marker);
                    }
                }
            } else {
                let end = token_end(at);
                value = Some((&line[at..end], at));
                at = end;
            }
        }
        if key.is_empty() {
            // A stray `=` or `"`: skip the character so the loop moves on.
            marker.problems.push((
                start,
                Diagnostic::error(format!(
                    "unexpected `{}` in the {what} marker",
                    &line[start..start + 1]
                ))
                .hint("attributes are `#id` and `key=value`"),
            ));
            at = start + line[start..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if kind == MarkerKind::Question {
            marker.problems.push((
                start,
                Diagnostic::error(format!("unknown open-question attribute `{key}`")).hint(
                    "an open question takes only its `#id`; say what would settle it in its text, after a bold **What would settle it:**",
                ),
            ));
            continue;
        }
        if !JUDGMENT_KEYS.contains(&key) {
            let hint = match nearest(key, JUDGMENT_KEYS) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "a judgment takes `#id`, `confidence=` and `likelihood=`".to_string(),
            };
            marker.problems.push((
                start,
                Diagnostic::error(format!("unknown judgment attribute `{key}`")).hint(hint),
            ));
            continue;
        }
        if seen.contains(&key) {
            marker.problems.push((
                start,
                Diagnostic::error(format!("`{key}` is given twice")).hint("give it once"),
            ));
            continue;
        }
        seen.push(key);
        let Some((value, value_at)) = value.filter(|(v, _)| !v.is_empty()) else {
            marker.problems.push((
                start,
                Diagnostic::error(format!("`{key}` has no value"))
                    .hint(format!("write `{key}=…` without spaces around `=`")),
            ));
            continue;
        };
        match key {
            "confidence" => match value {
                "low" => marker.confidence = Some((Confidence::Low, value_at)),
                "moderate" => marker.confidence = Some((Confidence::Moderate, value_at)),
                "high" => marker.confidence = Some((Confidence::High, value_at)),
                other => {
                    let lower = other.to_lowercase();
                    let hint = if matches!(lower.as_str(), "low" | "moderate" | "high") {
                        format!("write it in lowercase: `confidence={lower}`")
                    } else if lower == "medium" {
                        "ICD 203's middle level is `moderate`".to_string()
                    } else if Likelihood::read(other).term.is_some() || lower.contains("certain") {
                        "certainty about an event is a likelihood (`likelihood=almost-certain`); confidence is low, moderate or high".to_string()
                    } else {
                        "confidence is low, moderate or high".to_string()
                    };
                    marker.problems.push((
                        value_at,
                        Diagnostic::error(format!(
                            "confidence `{other}` is not low, moderate or high"
                        ))
                        .hint(hint),
                    ));
                }
            },
            _ => {
                let likelihood = Likelihood::read(value);
                if likelihood.term.is_none() {
                    let message = if likelihood.is_off_scale_word() {
                        format!(
                            "likelihood `{value}` is an off-scale word: it says something is possible, not how probable"
                        )
                    } else {
                        format!("likelihood `{value}` is not one of ICD 203's terms")
                    };
                    marker
                        .problems
                        .push((value_at, Diagnostic::warning(message).hint(scale_hint())));
                }
                marker.likelihood = Some((likelihood, value_at));
            }
        }
    }
    if marker.id.is_none() && !marker.has_error() {
        marker
            .problems
            .push((0, Diagnostic::error(format!("{what} without an id"))));
    }
    if kind == MarkerKind::Judgment && marker.confidence.is_none() && !marker.has_error() {
        let id = marker
            .id
            .as_ref()
            .map(|(id, _)| id.as_str())
            .unwrap_or_default();
        marker.problems.push((
            0,
            Diagnostic::error(format!("judgment `{id}` has no confidence"))
                .hint("add `confidence=low`, `confidence=moderate` or `confidence=high`"),
        ));
    }
    Some(marker)
}

/// The hint that lists the scale.
pub fn scale_hint() -> String {
    let names: Vec<&str> = SCALE.iter().map(|t| t.name).collect();
    format!("use one of ICD 203's terms: {}", names.join(", "))
}

/// Where a block quote's first line starts, given the text from the block quote's start: after
/// one `>` and the spaces that follow it. `None` when the text does not start that way.
pub fn first_line_start(quote: &str) -> Option<usize> {
    let trimmed = quote.trim_start_matches([' ', '\t']);
    let after = trimmed.strip_prefix('>')?;
    let spaces = after.len() - after.trim_start_matches([' ', '\t']).len();
    Some(quote.len() - after.len() + spaces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_judgment_marker_is_read() {
        let m = parse_marker(
            "[!JUDGMENT #playbook confidence=moderate likelihood=\"very likely\"] rest",
        )
        .expect("a marker");
        assert_eq!(m.kind, MarkerKind::Judgment);
        assert_eq!(m.id, Some(("playbook".into(), 11)));
        assert_eq!(m.confidence.map(|c| c.0), Some(Confidence::Moderate));
        let (l, _) = m.likelihood.expect("likelihood");
        assert_eq!(l.term.map(|t| (t.low, t.high)), Some((80, 95)));
        assert!(m.problems.is_empty(), "{:?}", m.problems);
        assert_eq!(
            &"[!JUDGMENT #playbook confidence=moderate likelihood=\"very likely\"] rest"[m.len..],
            " rest"
        );
    }

    #[test]
    fn synonyms_hyphens_and_case_read_as_the_scale() {
        for (written, low) in [
            ("highly-probable", 80),
            ("Almost-Certainly", 95),
            ("remote", 1),
            ("probably", 55),
        ] {
            assert_eq!(
                Likelihood::read(written).term.map(|t| t.low),
                Some(low),
                "{written}"
            );
        }
        assert!(Likelihood::read("may").is_off_scale_word());
        assert!(Likelihood::read("plausible").term.is_none());
    }

    #[test]
    fn ordinary_quotes_and_other_alerts_are_not_markers() {
        assert!(parse_marker("Just a quotation").is_none());
        assert!(parse_marker("[!WARNING]").is_none());
        assert!(parse_marker("[!JUDGMENTS #x]").is_none());
        assert!(parse_marker("[!question #q]").is_some());
    }

    #[test]
    fn marker_errors_are_located_in_the_line() {
        let line = "[!JUDGMENT #x confidence=certain likelyhood=likely]";
        let m = parse_marker(line).expect("marker");
        let at: Vec<usize> = m.problems.iter().map(|p| p.0).collect();
        assert_eq!(
            at,
            vec![
                line.find("certain").unwrap_or(0),
                line.find("likelyhood").unwrap_or(0)
            ]
        );
        let m = parse_marker("[!JUDGMENT #x confidence=low").expect("marker");
        assert!(m.has_error());
        let m = parse_marker("[!QUESTION]").expect("marker");
        assert!(m.problems[0].1.message.contains("without an id"));
    }
}
