//! The `/judgments/` and `/open-questions/` pages (issue 18): every key judgment with its
//! confidence, likelihood and the graded sources it rests on; every open question with where
//! it is raised, what would settle it and the sources concerned.

use serde::Serialize;

use crate::load::callouts::{SCALE, Term};
use crate::resolve::analysis::Basis;
use crate::resolve::xref::DocId;
use crate::url::paths;

use super::Views;
use super::common::GradeView;

/// A source a judgment or question rests on.
#[derive(Debug, Serialize)]
pub struct BasisSource<'a> {
    /// Its title.
    pub title: &'a str,
    /// Root-relative path of its page.
    pub path: String,
    /// Its grade.
    pub grade: Option<GradeView>,
    /// The paragraphs cited, ascending.
    pub paragraphs: Vec<u32>,
}

/// One likelihood term of the scale, for the key.
#[derive(Debug, Serialize)]
pub struct TermView {
    /// "very likely".
    pub name: &'static str,
    /// "highly probable".
    pub synonym: &'static str,
    /// Lower end, per cent.
    pub low: u8,
    /// Upper end, per cent.
    pub high: u8,
}

/// A judgment on `/judgments/`.
#[derive(Debug, Serialize)]
pub struct JudgmentView<'a> {
    /// Its id, the entry's anchor.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Text, plain.
    pub text: &'a str,
    /// `low`, `moderate` or `high`.
    pub confidence: &'static str,
    /// "Moderate confidence".
    pub confidence_label: &'static str,
    /// "Likely (55–80 %)", when given.
    pub likelihood: Option<String>,
    /// Whether the likelihood is one of ICD 203's terms.
    pub likelihood_on_scale: bool,
    /// What it rests on.
    pub sources: Vec<BasisSource<'a>>,
    /// The title of the page it is written on.
    pub page_title: &'a str,
    /// Root-relative path to it there (`summaries/x/#judgment-id`).
    pub path: String,
}

/// `page` of `judgments.html`.
#[derive(Debug, Serialize)]
pub struct JudgmentsView<'a> {
    /// "Key judgments".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// Every judgment, in reading order.
    pub judgments: Vec<JudgmentView<'a>>,
    /// ICD 203's likelihood scale, for the key.
    pub scale: Vec<TermView>,
}

/// A place an open question is raised.
#[derive(Debug, Serialize)]
pub struct AppearanceView<'a> {
    /// The page's title.
    pub page_title: &'a str,
    /// Root-relative path to the question there.
    pub path: String,
}

/// An open question on `/open-questions/`.
#[derive(Debug, Serialize)]
pub struct QuestionView<'a> {
    /// Its id, the entry's anchor.
    pub id: &'a str,
    /// Title (of its first appearance).
    pub title: &'a str,
    /// Its text where first raised.
    pub text: &'a str,
    /// What would settle it.
    pub settle: Option<&'a str>,
    /// The sources concerned.
    pub sources: Vec<BasisSource<'a>>,
    /// Where it is raised, in reading order.
    pub appearances: Vec<AppearanceView<'a>>,
}

/// `page` of `open-questions.html`.
#[derive(Debug, Serialize)]
pub struct OpenQuestionsView<'a> {
    /// "Open questions".
    pub title: &'static str,
    /// A description for `<meta>`.
    pub description: String,
    /// Root-relative path.
    pub path: &'static str,
    /// Every open question.
    pub questions: Vec<QuestionView<'a>>,
}

impl<'a> Views<'a> {
    /// The title and root-relative path of the page a document is shown on, with `anchor`.
    fn place(&self, doc: DocId, anchor: &str) -> (&'a str, String) {
        let r = &self.reads;
        match doc {
            DocId::Index => (
                r.index().title.as_str(),
                format!("{}#{anchor}", paths::HOME),
            ),
            DocId::Summary(i) => {
                let page = r.summary(i);
                (
                    page.meta.title.as_str(),
                    format!("{}#{anchor}", paths::summary(page.slug)),
                )
            }
            // Events share the timeline; their boxes' ids name the event.
            DocId::Event(i) => (
                r.event(i).meta.title.as_str(),
                format!("{}#{}{anchor}", paths::TIMELINE, self.box_prefix(doc)),
            ),
            DocId::Note(i) => {
                let source = r.source(i);
                (
                    source.meta.title.as_str(),
                    format!("{}#{anchor}", paths::source(&source.id)),
                )
            }
        }
    }

    fn basis(&self, basis: &Basis) -> Vec<BasisSource<'a>> {
        basis
            .sources
            .iter()
            .map(|(i, paragraphs)| {
                let source = self.reads.source(*i);
                BasisSource {
                    title: &source.meta.title,
                    path: paths::source(&source.id),
                    grade: GradeView::of(source.meta.grade),
                    paragraphs: paragraphs.clone(),
                }
            })
            .collect()
    }

    /// `/judgments/`.
    pub fn judgments(&self) -> JudgmentsView<'a> {
        let analysis = self.reads.analysis();
        let judgments = analysis
            .judgments
            .iter()
            .map(|j| {
                let (page_title, path) = self.place(j.doc, &format!("judgment-{}", j.id));
                JudgmentView {
                    id: &j.id,
                    title: &j.title,
                    text: without_title(&j.text, &j.title),
                    confidence: j.confidence.as_str(),
                    confidence_label: j.confidence.label(),
                    likelihood: j.likelihood.as_ref().map(|l| l.label()),
                    likelihood_on_scale: j.likelihood.as_ref().is_some_and(|l| l.term.is_some()),
                    sources: self.basis(&j.basis),
                    page_title,
                    path,
                }
            })
            .collect::<Vec<_>>();
        JudgmentsView {
            title: "Key judgments",
            description: format!(
                "The {} key judgment{} of this dossier, each with its confidence, its likelihood where one is given, and the graded sources it rests on.",
                judgments.len(),
                if judgments.len() == 1 { "" } else { "s" }
            ),
            path: paths::JUDGMENTS,
            judgments,
            scale: SCALE
                .iter()
                .map(|t: &Term| TermView {
                    name: t.name,
                    synonym: t.synonym,
                    low: t.low,
                    high: t.high,
                })
                .collect(),
        }
    }

    /// `/open-questions/`.
    pub fn open_questions(&self) -> OpenQuestionsView<'a> {
        let questions = self
            .reads
            .analysis()
            .questions
            .iter()
            .map(|q| QuestionView {
                id: &q.id,
                title: q.title(),
                text: without_title(&q.appearances[0].text, q.title()),
                settle: q.settle(),
                sources: self.basis(&q.basis),
                appearances: q
                    .appearances
                    .iter()
                    .map(|a| {
                        let (page_title, path) = self.place(a.doc, &format!("question-{}", q.id));
                        AppearanceView { page_title, path }
                    })
                    .collect(),
            })
            .collect::<Vec<_>>();
        OpenQuestionsView {
            title: "Open questions",
            description: format!(
                "{} discrepanc{} this dossier cannot settle from its sources: where each is raised, the sources concerned and what would settle it.",
                questions.len(),
                if questions.len() == 1 { "y" } else { "ies" }
            ),
            path: paths::OPEN_QUESTIONS,
            questions,
        }
    }
}

/// A text without the title it opens with (the entry shows the title as its heading).
fn without_title<'t>(text: &'t str, title: &str) -> &'t str {
    match text.strip_prefix(title) {
        Some(rest) if !title.is_empty() => rest.trim_start(),
        _ => text,
    }
}
