//! Key judgments and open questions, found in every document that can cite, checked against
//! the grades of the sources they rest on (ICD 203 confidence and likelihood, the Admiralty
//! code), and gathered for the `/judgments/` and `/open-questions/` pages. Built after the
//! citation graph, from it: a judgment's sources are the citations inside its block quote.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::xref::{DocId, Graph};
use crate::diagnostics::{Diagnostic, Location};
use crate::load::callouts::{
    Confidence, Likelihood, Marker, MarkerKind, first_line_start, parse_marker,
};
use crate::load::content::{Body, Dossier};

/// The sources a judgment or question rests on: each with the paragraphs cited, in the order
/// first cited.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Basis {
    /// (source index, cited paragraphs ascending; empty when only the whole source is cited).
    pub sources: Vec<(usize, Vec<u32>)>,
}

/// A key judgment.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgment {
    /// Its id: the anchor on `/judgments/`.
    pub id: String,
    /// Where it is written.
    pub doc: DocId,
    /// Its title: the bold phrase it opens with, or its first sentence.
    pub title: String,
    /// Its text as plain text, the marker left out.
    pub text: String,
    /// ICD 203 confidence.
    pub confidence: Confidence,
    /// ICD 203 likelihood, when given.
    pub likelihood: Option<Likelihood>,
    /// What it rests on.
    pub basis: Basis,
}

/// One place an open question is raised.
#[derive(Debug, Clone, PartialEq)]
pub struct Appearance {
    /// The document.
    pub doc: DocId,
    /// Its title there.
    pub title: String,
    /// Its text there, plain.
    pub text: String,
    /// What would settle it, when this appearance says.
    pub settle: Option<String>,
}

/// An open question, with every place it appears.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// Its id.
    pub id: String,
    /// Where it appears, in reading order (at least one).
    pub appearances: Vec<Appearance>,
    /// The sources cited in any appearance.
    pub basis: Basis,
}

impl Question {
    /// The title of its first appearance.
    pub fn title(&self) -> &str {
        &self.appearances[0].title
    }

    /// What would settle it: from the first appearance that says.
    pub fn settle(&self) -> Option<&str> {
        self.appearances.iter().find_map(|a| a.settle.as_deref())
    }
}

/// Every judgment and open question of the dossier.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Judgments in reading order.
    pub judgments: Vec<Judgment>,
    /// Open questions in order of first appearance.
    pub questions: Vec<Question>,
}

/// A marked block quote as read from one body.
struct Callout {
    kind: MarkerKind,
    /// Byte offset of the marker's `[` in the file.
    offset: usize,
    /// The block quote's range in the file.
    range: Range<usize>,
    marker: Marker,
    title: String,
    text: String,
    /// The analyst's own words: the text with quotations left out, for the sentence check.
    own_words: String,
    settle: Option<String>,
}

/// Find the judgments and questions of every document, check them, and gather them.
/// `docs` is the reading order (the graph's document order).
pub fn build_analysis(
    dossier: &Dossier,
    graph: &Graph,
    docs: &[DocId],
) -> (Analysis, Vec<Diagnostic>) {
    let mut analysis = Analysis::default();
    let mut problems = Vec::new();
    // Judgment id → where it was first written (path and line), for the duplicate error.
    let mut judgment_ids: HashMap<String, String> = HashMap::new();
    let mut question_index: HashMap<String, usize> = HashMap::new();
    for &doc in docs {
        let (path, body) = super::xref::document(dossier, doc);
        if body.text.is_empty() {
            continue;
        }
        let at = |offset: usize| Location::at_offset(path, body.file_text, offset);
        // Questions on this page: id → line of the first, for the twice-on-a-page error.
        let mut on_page: HashMap<String, usize> = HashMap::new();
        for callout in callouts(body) {
            let marker = &callout.marker;
            for (offset, problem) in &marker.problems {
                let mut problem = problem.clone();
                if problem.message.ends_with("without an id") {
                    let example = match callout.kind {
                        MarkerKind::Judgment => format!(
                            "[!JUDGMENT #{} confidence=moderate]",
                            suggested_id(&callout.title)
                        ),
                        MarkerKind::Question => {
                            format!("[!QUESTION #{}]", suggested_id(&callout.title))
                        }
                    };
                    problem = problem.hint(format!("give it one, e.g. `{example}`"));
                }
                problems.push(problem.at(at(callout.offset + offset)));
            }
            if marker.has_error() {
                continue;
            }
            let Some((id, id_offset)) = marker.id.clone() else {
                continue;
            };
            let basis = basis_of(graph, doc, &callout.range);
            match callout.kind {
                MarkerKind::Judgment => {
                    let here = at(callout.offset + id_offset);
                    if let Some(first) = judgment_ids.get(&id) {
                        problems.push(
                            Diagnostic::error(format!(
                                "judgment id `{id}` is already used by a judgment at {first}"
                            ))
                            .at(here)
                            .hint("judgment ids are unique in the dossier: rename one"),
                        );
                        continue;
                    }
                    let start = at(callout.offset);
                    judgment_ids.insert(id.clone(), format!("{}:{}", path.display(), start.line));
                    let confidence = marker.confidence.map_or(Confidence::Low, |c| c.0);
                    let judgment = Judgment {
                        id,
                        doc,
                        title: callout.title.clone(),
                        text: callout.text.clone(),
                        confidence,
                        likelihood: marker.likelihood.as_ref().map(|l| l.0.clone()),
                        basis,
                    };
                    problems.extend(
                        judgment_warnings(dossier, &judgment, &callout.own_words)
                            .into_iter()
                            .map(|w| w.at(start.clone())),
                    );
                    analysis.judgments.push(judgment);
                }
                MarkerKind::Question => {
                    let here = at(callout.offset + id_offset);
                    if let Some(first_line) = on_page.get(&id) {
                        problems.push(
                            Diagnostic::error(format!(
                                "open question `{id}` appears twice on this page (first at line {first_line})"
                            ))
                            .at(here)
                            .hint(format!(
                                "raise a question once a page; link to it with `#question-{id}`"
                            )),
                        );
                        continue;
                    }
                    on_page.insert(id.clone(), at(callout.offset).line);
                    let appearance = Appearance {
                        doc,
                        title: callout.title,
                        text: callout.text,
                        settle: callout.settle,
                    };
                    match question_index.get(&id) {
                        Some(&i) => {
                            let question = &mut analysis.questions[i];
                            question.appearances.push(appearance);
                            merge_basis(&mut question.basis, basis);
                        }
                        None => {
                            question_index.insert(id.clone(), analysis.questions.len());
                            analysis.questions.push(Question {
                                id,
                                appearances: vec![appearance],
                                basis,
                            });
                        }
                    }
                }
            }
        }
    }
    (analysis, problems)
}

/// An id made from a title, for a hint.
fn suggested_id(title: &str) -> String {
    let slug = crate::slug::suggest_id(title.trim_end_matches(['.', '?', ':', '!']));
    let short: Vec<&str> = slug.split('-').filter(|w| !w.is_empty()).take(6).collect();
    if short.is_empty() {
        "an-id".to_string()
    } else {
        short.join("-")
    }
}

/// The sources cited inside a block quote.
fn basis_of(graph: &Graph, doc: DocId, range: &Range<usize>) -> Basis {
    let links = graph.links(doc);
    let from = links.partition_point(|l| l.offset < range.start);
    let mut basis = Basis::default();
    for link in links[from..].iter().take_while(|l| l.offset < range.end) {
        let Some(c) = link.citation else { continue };
        let citation = &graph.citations[c];
        add_citation(&mut basis, citation.source, citation.paragraph);
    }
    basis
}

fn add_citation(basis: &mut Basis, source: usize, paragraph: Option<u32>) {
    let entry = match basis.sources.iter_mut().find(|(s, _)| *s == source) {
        Some(entry) => entry,
        None => {
            basis.sources.push((source, Vec::new()));
            basis.sources.last_mut().expect("just pushed")
        }
    };
    if let Some(p) = paragraph
        && let Err(at) = entry.1.binary_search(&p)
    {
        entry.1.insert(at, p);
    }
}

fn merge_basis(into: &mut Basis, other: Basis) {
    for (source, paragraphs) in other.sources {
        if paragraphs.is_empty() {
            add_citation(into, source, None);
        }
        for p in paragraphs {
            add_citation(into, source, Some(p));
        }
    }
}

/// The warnings ICD 203 and the Admiralty code give reason for, unlocated.
fn judgment_warnings(dossier: &Dossier, j: &Judgment, own_words: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let id = &j.id;
    let sources = &j.basis.sources;
    if sources.is_empty() {
        warnings.push(
            Diagnostic::warning(format!("judgment `{id}` cites no source")).hint(
                "cite the passages it rests on; a judgment nothing in the dossier supports cannot be checked",
            ),
        );
    }
    if j.confidence == Confidence::High && sources.len() == 1 {
        warnings.push(
            Diagnostic::warning(format!(
                "judgment `{id}` has high confidence but rests on one source, `{}`",
                dossier.sources[sources[0].0].id
            ))
            .hint("high confidence needs corroboration: cite a second, independent source, or say `confidence=moderate`"),
        );
    }
    if j.confidence >= Confidence::Moderate && !sources.is_empty() {
        let grades: Vec<_> = sources
            .iter()
            .map(|(s, _)| (&dossier.sources[*s].id, dossier.sources[*s].meta.grade))
            .collect();
        let all_weak = grades.iter().all(|(_, g)| g.is_some_and(|g| g.is_weak()));
        if all_weak {
            let listed: Vec<String> = grades
                .iter()
                .filter_map(|(id, g)| g.map(|g| format!("`{id}` ({})", g.code())))
                .collect();
            warnings.push(
                Diagnostic::warning(format!(
                    "judgment `{id}` has {} confidence but rests only on sources graded D–F or 4–6: {}",
                    j.confidence.as_str(),
                    listed.join(", ")
                ))
                .hint("say `confidence=low`, or cite a better-graded source"),
            );
        }
    }
    if let Some(sentence) = mixed_sentence(own_words) {
        warnings.push(
            Diagnostic::warning(format!(
                "judgment `{id}` puts a confidence level and a likelihood in one sentence: “{sentence}”"
            ))
            .hint("ICD 203: say how likely in one sentence and how confident, and why, in another"),
        );
    }
    warnings
}

/// Likelihood words of one token, as they stand in prose (ICD 203's terms and synonyms, and
/// the adverbs it allows).
const LIKELIHOOD_WORDS: [&str; 6] = [
    "likely",
    "unlikely",
    "probable",
    "probably",
    "improbable",
    "improbably",
];

/// Likelihood phrases whose words are common alone.
const LIKELIHOOD_PHRASES: [&str; 5] = [
    "almost no chance",
    "roughly even",
    "almost certain",
    "nearly certain",
    "remote chance",
];

/// The first sentence of the analyst's words that holds both a confidence word and a
/// likelihood word, if any.
fn mixed_sentence(text: &str) -> Option<String> {
    for sentence in sentences(text) {
        let words: Vec<String> = sentence
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let confident = words
            .iter()
            .any(|w| matches!(w.as_str(), "confidence" | "confident" | "confidently"));
        if !confident {
            continue;
        }
        let joined = format!(" {} ", words.join(" "));
        let likely = words.iter().any(|w| LIKELIHOOD_WORDS.contains(&w.as_str()))
            || LIKELIHOOD_PHRASES.iter().any(|p| {
                joined.contains(&format!(" {p} ")) || joined.contains(&format!(" {p}ly "))
            });
        if likely {
            return Some(sentence.trim().to_string());
        }
    }
    None
}

/// Sentences: text up to `.`, `?` or `!` followed by white space, or a line break.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return None;
        }
        let mut end = trimmed.len();
        let mut prev: Option<char> = None;
        for (i, c) in trimmed.char_indices() {
            if c == '\n' || (matches!(prev, Some('.' | '?' | '!')) && c.is_whitespace()) {
                end = i;
                break;
            }
            prev = Some(c);
        }
        let (sentence, after) = trimmed.split_at(end);
        rest = after;
        Some(sentence)
    })
}

/// The marked block quotes of a body, outermost first, with their text.
fn callouts(body: Body<'_>) -> Vec<Callout> {
    // Every marker starts with `[!` in the text itself (`parse_marker`): a document without
    // one has no callout, and is not parsed again for nothing (most of a `serve` rebuild's
    // work at 10,000 sources was this parse).
    if !body.text.contains("[!") {
        return Vec::new();
    }
    let mut found: Vec<Callout> = Vec::new();
    // Open block quotes: the index in `found` of a marked one, None for an ordinary one.
    let mut open: Vec<Option<usize>> = Vec::new();
    // The innermost open marked quote, where text goes.
    let current = |open: &[Option<usize>]| open.iter().rev().find_map(|o| *o);
    // Where the marker of the quote being started ends (body offset), to leave it out.
    let mut skip_to = 0usize;
    // Inside the innermost callout: whether the title is still being looked for, the bold
    // text being read, a quotation link's start in `own_words`, reading what settles it.
    let mut title_open = false;
    let mut strong: Option<String> = None;
    let mut quotation_mark: Option<usize> = None;
    let mut link_text = String::new();
    let mut settling = false;
    // Where the bold text being read starts in the callout's text.
    let mut strong_at = 0usize;
    for (event, range) in
        Parser::new_ext(body.text, crate::load::references::options()).into_offset_iter()
    {
        match &event {
            Event::Start(Tag::BlockQuote(None)) => {
                let marker = first_line_start(&body.text[range.start..])
                    .and_then(|at| Some((at, parse_marker(&body.text[range.start + at..])?)));
                match marker {
                    Some((at, marker)) => {
                        let start = range.start + at;
                        skip_to = start + marker.len;
                        found.push(Callout {
                            kind: marker.kind,
                            offset: body.offset + start,
                            range: body.offset + range.start..body.offset + range.end,
                            marker,
                            title: String::new(),
                            text: String::new(),
                            own_words: String::new(),
                            settle: None,
                        });
                        open.push(Some(found.len() - 1));
                        title_open = true;
                        strong = None;
                        settling = false;
                    }
                    None => open.push(None),
                }
                continue;
            }
            Event::Start(Tag::BlockQuote(_)) => {
                open.push(None);
                continue;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                open.pop();
                continue;
            }
            _ => {}
        }
        let Some(i) = current(&open) else { continue };
        if range.end <= skip_to {
            continue;
        }
        let callout = &mut found[i];
        // What settles a question is kept apart from its text.
        let push = |callout: &mut Callout, s: &str, settling: bool| {
            if settling && let Some(settle) = callout.settle.as_mut() {
                settle.push_str(s);
            } else {
                callout.text.push_str(s);
            }
            callout.own_words.push_str(s);
        };
        match event {
            Event::Text(t) | Event::Code(t) => {
                // Text on the marker's own line after its `]`.
                let t: &str = if range.start < skip_to {
                    body.text[skip_to..range.end].trim_start()
                } else {
                    &t
                };
                if let Some(s) = strong.as_mut() {
                    s.push_str(t);
                }
                if quotation_mark.is_some() || !link_text.is_empty() {
                    link_text.push_str(t);
                }
                if !t.trim().is_empty() && strong.is_none() && callout.title.is_empty() {
                    title_open = false;
                }
                push(callout, t, settling);
            }
            Event::SoftBreak | Event::HardBreak => push(callout, " ", settling),
            Event::Start(Tag::Strong) => {
                strong = Some(String::new());
                strong_at = callout.text.len();
            }
            Event::End(TagEnd::Strong) => {
                let s = strong.take().unwrap_or_default();
                let plain = s.trim().trim_end_matches([':', '.']).trim().to_lowercase();
                if plain == "what would settle it" && callout.kind == MarkerKind::Question {
                    settling = true;
                    callout.text.truncate(strong_at);
                    callout.settle = Some(String::new());
                } else if title_open && callout.title.is_empty() {
                    callout.title = s.trim().to_string();
                }
                title_open = false;
            }
            Event::Start(Tag::Link { .. }) => {
                quotation_mark = Some(callout.own_words.len());
                link_text.clear();
            }
            Event::End(TagEnd::Link) => {
                if let Some(mark) = quotation_mark.take()
                    && crate::resolve::quotation::quoted_words(&link_text).is_some()
                {
                    callout.own_words.truncate(mark);
                    callout.own_words.push('…');
                }
                link_text.clear();
            }
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_)) => {
                if settling {
                    settling = false;
                }
                callout.text.push('\n');
                callout.own_words.push('\n');
            }
            _ => {}
        }
    }
    for callout in &mut found {
        callout.text = tidy(&callout.text);
        if let Some(settle) = callout.settle.as_mut() {
            *settle = tidy(settle.trim_start_matches([':', '.', ' ']));
        }
        callout.settle = callout.settle.take().filter(|s| !s.is_empty());
        if callout.title.is_empty() {
            callout.title = sentences(&callout.text)
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
        }
    }
    found
}

/// Runs of white space as one space, paragraphs kept apart by one line break.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The documents in reading order: the brief, the summaries, the events in timeline order,
/// the source notes (the order the citation graph numbers them in).
pub fn reading_order(dossier: &Dossier, event_order: &[usize]) -> Vec<DocId> {
    let mut docs = vec![DocId::Index];
    docs.extend((0..dossier.summaries.len()).map(DocId::Summary));
    docs.extend(event_order.iter().copied().map(DocId::Event));
    docs.extend(
        dossier
            .sources
            .iter()
            .enumerate()
            .filter(|(_, s)| s.meta.note.is_some())
            .map(|(i, _)| DocId::Note(i)),
    );
    docs
}
