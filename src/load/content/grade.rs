//! A source's grade on the Admiralty (NATO) code: the reliability of the source, A–F, and
//! the credibility of its information, 1–6, graded independently. Read from the sidecar keys
//! `reliability`, `credibility` and `grading_note`; every value outside the scale is an error
//! at its place in the sidecar.

use std::path::Path;

use toml::Spanned;

use super::Note;
use crate::diagnostics::{Diagnostic, Location};

/// A grade: `B2`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grade {
    /// `b'A'`..=`b'F'`.
    reliability: u8,
    /// 1..=6.
    credibility: u8,
}

/// The reliability letters' meanings, A first.
pub const RELIABILITY: [&str; 6] = [
    "completely reliable",
    "usually reliable",
    "fairly reliable",
    "not usually reliable",
    "unreliable",
    "reliability cannot be judged",
];

/// The credibility numbers' meanings, 1 first.
pub const CREDIBILITY: [&str; 6] = [
    "confirmed by other sources",
    "probably true",
    "possibly true",
    "doubtful",
    "improbable",
    "truth cannot be judged",
];

impl Grade {
    /// A grade from a letter and a number on the scale.
    pub fn new(reliability: char, credibility: u8) -> Option<Grade> {
        let letter = u8::try_from(reliability).ok()?;
        ((b'A'..=b'F').contains(&letter) && (1..=6).contains(&credibility)).then_some(Grade {
            reliability: letter,
            credibility,
        })
    }

    /// The letter: `B`.
    pub fn reliability(self) -> char {
        char::from(self.reliability)
    }

    /// The number: 2.
    pub fn credibility(self) -> u8 {
        self.credibility
    }

    /// The code: `B2`.
    pub fn code(self) -> String {
        format!("{}{}", self.reliability(), self.credibility)
    }

    /// What the letter means: "usually reliable".
    pub fn reliability_meaning(self) -> &'static str {
        RELIABILITY[usize::from(self.reliability - b'A')]
    }

    /// What the number means: "probably true".
    pub fn credibility_meaning(self) -> &'static str {
        CREDIBILITY[usize::from(self.credibility - 1)]
    }

    /// Both: "usually reliable; probably true".
    pub fn meaning(self) -> String {
        format!(
            "{}; {}",
            self.reliability_meaning(),
            self.credibility_meaning()
        )
    }

    /// Whether a judgment cannot lean on it for moderate or high confidence: reliability D–F
    /// (poor or unknown) or credibility 4–6 (doubtful, improbable or untestable).
    pub fn is_weak(self) -> bool {
        self.reliability >= b'D' || self.credibility >= 4
    }
}

/// The grade keys of a sidecar, as deserialized.
#[derive(Debug, Default)]
pub struct GradeKeys {
    /// `reliability = "B"`.
    pub reliability: Option<Spanned<String>>,
    /// `credibility = 2`.
    pub credibility: Option<Spanned<i64>>,
    /// `grading_note = '''…'''`.
    pub grading_note: Option<Spanned<String>>,
}

/// Check the grade keys. `note_start` gives where a TOML string's text starts from where its
/// literal does (the sidecar parser's own function).
pub fn read_grade(
    path: &Path,
    text: &str,
    keys: &GradeKeys,
    note_start: impl Fn(usize) -> usize,
) -> Result<(Option<Grade>, Option<Note>), Vec<Diagnostic>> {
    let at = |offset: usize| Location::at_offset(path, text, offset);
    let mut problems = Vec::new();
    let letter = keys.reliability.as_ref().and_then(|r| {
        let value = r.get_ref();
        let mut chars = value.chars();
        match (chars.next(), chars.next()) {
            (Some(c @ 'A'..='F'), None) => Some(c),
            _ => {
                let upper = value.to_uppercase();
                let hint = if matches!(upper.as_str(), "A" | "B" | "C" | "D" | "E" | "F") {
                    format!("did you mean `\"{upper}\"`?")
                } else {
                    "reliability is a letter from A (completely reliable) to F (cannot be judged)"
                        .to_string()
                };
                problems.push(
                    Diagnostic::error(format!(
                        "reliability `{value}` is not on the Admiralty scale"
                    ))
                    .at(at(r.span().start))
                    .hint(hint),
                );
                None
            }
        }
    });
    let number = keys.credibility.as_ref().and_then(|c| {
        let value = *c.get_ref();
        match u8::try_from(value) {
            Ok(n @ 1..=6) => Some(n),
            _ => {
                problems.push(
                    Diagnostic::error(format!(
                        "credibility `{value}` is not on the Admiralty scale"
                    ))
                    .at(at(c.span().start))
                    .hint("credibility is a number from 1 (confirmed by other sources) to 6 (cannot be judged)"),
                );
                None
            }
        }
    });
    let line_start = |offset: usize| text[..offset].rfind('\n').map_or(0, |i| i + 1);
    match (&keys.reliability, &keys.credibility) {
        (Some(r), None) => problems.push(
            Diagnostic::error("the source has a reliability but no credibility")
                .at(at(line_start(r.span().start)))
                .hint("the Admiralty code grades both, independently: add `credibility = 1`…`6` (6: cannot be judged)"),
        ),
        (None, Some(c)) => problems.push(
            Diagnostic::error("the source has a credibility but no reliability")
                .at(at(line_start(c.span().start)))
                .hint("the Admiralty code grades both, independently: add `reliability = \"A\"`…`\"F\"` (F: cannot be judged)"),
        ),
        _ => {}
    }
    let grading_note = keys.grading_note.as_ref().map(|n| Note {
        text: n.get_ref().clone(),
        offset: note_start(n.span().start),
    });
    if let Some(note) = &grading_note {
        for (offset, dest) in dossier_links(&note.text) {
            problems.push(
                Diagnostic::error(format!(
                    "a grading_note cannot hold references (`{dest}`)"
                ))
                .at(at(note.offset + offset))
                .hint("put the evidence in `note`, which may cite, and say in the grading_note why it earns the grade"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let grade = match (letter, number) {
        (Some(l), Some(n)) => Grade::new(l, n),
        _ => None,
    };
    Ok((grade, grading_note))
}

/// The links into the dossier in a Markdown text: (offset of the `[`, destination).
fn dossier_links(markdown: &str) -> Vec<(usize, String)> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new_ext(markdown, crate::load::references::options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. })
                if crate::url::is_dossier_link(&dest_url) =>
            {
                Some((range.start, dest_url.to_string()))
            }
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_read_and_mean_what_the_code_says() {
        let g = Grade::new('B', 2).expect("on the scale");
        assert_eq!(g.code(), "B2");
        assert_eq!(g.meaning(), "usually reliable; probably true");
        assert!(!g.is_weak());
        assert!(Grade::new('D', 1).is_some_and(Grade::is_weak));
        assert!(Grade::new('A', 4).is_some_and(Grade::is_weak));
        assert!(Grade::new('G', 1).is_none() && Grade::new('A', 7).is_none());
        assert_eq!(
            Grade::new('F', 6).map(Grade::meaning).as_deref(),
            Some("reliability cannot be judged; truth cannot be judged")
        );
    }
}
