//! The analyst's marks in rendered HTML (issue 18): a source's grade as a small badge whose
//! meaning shows on hover and focus, and the judgment and open-question boxes that replace
//! marked block quotes, the marker line dropped from their text.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::html::escape_html;
use crate::load::callouts::{Marker, MarkerKind, first_line_start, parse_marker};
use crate::load::content::grade::Grade;
use crate::url::paths;

/// A grade badge: the code shown, the code and its meaning for screen readers and as the
/// tooltip (the same markup as the theme's `partials/grade.html`).
pub fn grade_badge(grade: Grade) -> String {
    let code = grade.code();
    let letter = grade.reliability().to_ascii_lowercase();
    let weak = if grade.is_weak() { " grade-weak" } else { "" };
    format!(
        "<span class=\"grade grade-{letter}{weak}\"><span class=\"grade-code\" aria-hidden=\"true\">{code}</span><span class=\"grade-tip\" role=\"tooltip\">{code}: {}</span></span>",
        grade.meaning()
    )
}

/// What to do with one event of a body, for the callouts.
pub enum Step<'a> {
    /// Render it as usual.
    Pass,
    /// Leave it out (part of a marker line).
    Drop,
    /// Write these events first, then render it as usual.
    Before(Vec<Event<'a>>),
    /// Write these events instead of it.
    Instead(Vec<Event<'a>>),
}

/// The block quotes open while rendering a body, and the marker line being dropped.
#[derive(Default)]
pub struct Callouts {
    /// Open block quotes: whether each is a callout.
    open: Vec<bool>,
    /// Body offset where the current marker ends; events before it are the marker's.
    skip_to: usize,
    /// Still on the marker's line.
    in_marker: bool,
    /// The paragraph the marker opens, held back until it has text of its own.
    held: bool,
}

impl Callouts {
    /// Look at one event. `text` is the body's Markdown; `options` give the root the boxes
    /// link from and the prefixes of their ids.
    pub fn step<'a>(
        &mut self,
        event: &Event<'a>,
        range: &Range<usize>,
        text: &str,
        options: &crate::render::markdown::RenderOptions<'_>,
    ) -> Step<'a> {
        match event {
            Event::Start(Tag::BlockQuote(None)) => {
                let marker = first_line_start(&text[range.start..]).and_then(|at| {
                    parse_marker(&text[range.start + at..]).map(|m| (range.start + at, m))
                });
                match marker {
                    // A marker with an error is reported by check; rendered as written.
                    Some((at, marker)) if !marker.has_error() => {
                        self.open.push(true);
                        self.skip_to = at + marker.len;
                        self.in_marker = true;
                        self.held = false;
                        Step::Instead(vec![Event::Html(open_box(&marker, options).into())])
                    }
                    _ => {
                        self.open.push(false);
                        Step::Pass
                    }
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.open.push(false);
                Step::Pass
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.in_marker = false;
                if self.open.pop() == Some(true) {
                    self.held = false;
                    Step::Instead(vec![Event::Html("</div>\n".into())])
                } else {
                    Step::Pass
                }
            }
            _ if self.in_marker => self.marker_line(event, range, text),
            _ => Step::Pass,
        }
    }

    fn marker_line<'a>(&mut self, event: &Event<'a>, range: &Range<usize>, text: &str) -> Step<'a> {
        let held = |on: bool| {
            if on {
                vec![Event::Start(Tag::Paragraph)]
            } else {
                Vec::new()
            }
        };
        match event {
            Event::Start(Tag::Paragraph) if range.start < self.skip_to => {
                self.held = true;
                Step::Drop
            }
            Event::Text(_) if range.end <= self.skip_to => Step::Drop,
            Event::SoftBreak | Event::HardBreak => Step::Drop,
            Event::Text(words) => {
                // Words after the `]` on the marker's own line are the box's first words.
                self.in_marker = false;
                let mut out = held(std::mem::take(&mut self.held));
                let rest = if range.start < self.skip_to {
                    text[self.skip_to..range.end].trim_start().to_string()
                } else {
                    words.trim_start().to_string()
                };
                if !rest.is_empty() {
                    out.push(Event::Text(rest.into()));
                }
                Step::Instead(out)
            }
            Event::End(TagEnd::Paragraph) if self.held => {
                // The marker was the paragraph's only text: no empty paragraph.
                self.held = false;
                self.in_marker = false;
                Step::Drop
            }
            _ => {
                self.in_marker = false;
                let out = held(std::mem::take(&mut self.held));
                if out.is_empty() {
                    Step::Pass
                } else {
                    Step::Before(out)
                }
            }
        }
    }
}

/// The opening of a judgment's or an open question's box, with its label line.
fn open_box(marker: &Marker, options: &crate::render::markdown::RenderOptions<'_>) -> String {
    let id = marker
        .id
        .as_ref()
        .map(|(id, _)| id.as_str())
        .unwrap_or_default();
    let root = options.root;
    let id_prefix = format!("{}{}", options.id_prefix, options.box_prefix);
    match marker.kind {
        MarkerKind::Judgment => {
            let confidence = marker.confidence.map(|c| c.0);
            let class = confidence.map_or("", |c| c.as_str());
            let mut html = format!(
                "<div class=\"judgment confidence-{class}\" id=\"{id_prefix}judgment-{id}\">\n<p class=\"judgment-label\"><a href=\"{root}{}#{id}\">Key judgment</a>",
                paths::JUDGMENTS
            );
            if let Some(c) = confidence {
                html.push_str(&format!(
                    " <span class=\"confidence-badge\">{}</span>",
                    c.label()
                ));
            }
            if let Some((likelihood, _)) = &marker.likelihood {
                let off = if likelihood.term.is_none() {
                    " off-scale"
                } else {
                    ""
                };
                html.push_str(&format!(" <span class=\"likelihood-badge{off}\">"));
                escape_html(&mut html, &likelihood.label());
                html.push_str("</span>");
            }
            html.push_str("</p>\n");
            html
        }
        MarkerKind::Question => format!(
            "<div class=\"open-question\" id=\"{id_prefix}question-{id}\">\n<p class=\"open-question-label\"><a href=\"{root}{}#{id}\">Open question</a></p>\n",
            paths::OPEN_QUESTIONS
        ),
    }
}
