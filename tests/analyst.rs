//! The analyst's layer end to end: graded sources, key judgments and open questions.
//! Each case under tests/fixtures/analyst is one mistake (or one weakness `check` warns about)
//! applied to the healthy harbour dossier, with the diagnostic it must produce, located to
//! line and column; the shipped dossier shows its grades everywhere a source is cited or
//! listed, its judgments and its open question, and `check` finds nothing to warn about.

mod common;

use common::{Dossier, copy_tree, fixtures, select, stderr, text_of};

/// Apply case `case` from tests/fixtures/analyst to the harbour dossier; the lines of its
/// `expected` file.
fn apply(dossier: &Dossier, case: &str) -> Vec<String> {
    let dir = fixtures().join("analyst").join(case);
    assert!(dir.is_dir(), "no analyst case {case}");
    copy_tree(&dir.join("files"), &dossier.root);
    std::fs::read_to_string(dir.join("expected"))
        .expect("every case has an expected file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// The diagnostics of a run, each its lines from `error:` or `warning:` to the next.
fn diagnostics(err: &str) -> Vec<Vec<&str>> {
    let mut blocks: Vec<Vec<&str>> = Vec::new();
    for line in err.lines() {
        let opens = line.starts_with("error:") || line.starts_with("warning:");
        match blocks.last_mut() {
            Some(block) if !opens => block.push(line),
            _ => blocks.push(vec![line]),
        }
    }
    blocks
}

/// `check` on the case must exit with `status` and print one diagnostic holding every
/// expected line (message, location, hint).
fn assert_case(case: &str, status: i32) {
    let dossier = Dossier::harbour();
    let expected = apply(&dossier, case);
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(status), "{case}:\n{err}");
    let found = diagnostics(&err).into_iter().any(|block| {
        expected
            .iter()
            .all(|want| block.iter().any(|line| line.contains(want.as_str())))
    });
    assert!(
        found,
        "{case}: no one diagnostic has all of {expected:#?}\n{err}"
    );
}

macro_rules! cases {
    ($status:expr => $($name:ident: $case:literal,)*) => {
        $(
            #[test]
            fn $name() {
                assert_case($case, $status);
            }
        )*
    };
}

cases! { 0 =>
    warns_about_a_judgment_that_cites_nothing: "judgment-cites-nothing",
    warns_about_high_confidence_on_one_source: "judgment-high-on-one-source",
    warns_about_moderate_confidence_on_weak_sources: "judgment-on-weak-sources",
    warns_about_an_off_scale_likelihood_word: "likelihood-off-scale",
    warns_about_a_likelihood_outside_the_scale: "likelihood-unknown",
    warns_about_confidence_and_likelihood_in_one_sentence: "confidence-and-likelihood-in-one-sentence",
}

cases! { 1 =>
    reliability_off_the_scale_is_an_error: "reliability-out-of-range",
    a_lowercase_reliability_suggests_the_letter: "reliability-lowercase",
    credibility_off_the_scale_is_an_error: "credibility-out-of-range",
    a_grade_needs_both_halves: "grade-without-credibility",
    a_grading_note_cannot_cite: "grading-note-reference",
    a_judgment_needs_an_id: "judgment-without-id",
    a_judgment_needs_a_confidence: "judgment-without-confidence",
    confidence_is_one_of_three_words: "judgment-unknown-confidence",
    unknown_judgment_attributes_are_named: "judgment-unknown-attribute",
    judgment_ids_are_unique: "judgment-duplicate-id",
    a_marker_closes_on_its_line: "judgment-unclosed-marker",
    an_open_question_needs_an_id: "question-without-id",
    a_question_is_raised_once_a_page: "question-twice-on-a-page",
    an_open_question_takes_only_its_id: "question-unknown-attribute",
}

/// A sound judgment (two sources, both well graded, moderate) draws no warning; the same
/// judgment at high confidence on one of them does: the checks tell the two apart.
#[test]
fn a_sound_judgment_draws_no_warning() {
    let dossier = Dossier::harbour();
    apply(&dossier, "judgment-high-on-one-source");
    dossier.write(
        "content/summaries/assessment.md",
        "+++\ntitle = \"Assessment\"\n+++\n\n> [!JUDGMENT #stale-survey confidence=moderate likelihood=very-likely]\n> **The contract was priced on an old survey.** The *Courier* reports a [2019 survey](src:courier-report#p3); the harbour master called it [out of date](src:committee-minutes#p4).\n",
    );
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("judgment"), "{err}");
    let site = dossier.build();
    let page = site.page("judgments/index.html");
    let entry = select(&page, "#stale-survey");
    assert_eq!(entry.len(), 1, "the judgment has its anchor");
    let text = text_of(&entry[0]);
    assert!(text.contains("Moderate confidence"), "{text}");
    assert!(text.contains("Very likely (80–95 %)"), "{text}");
    assert!(text.contains("Harbour Committee minutes"), "{text}");
}

/// The shipped dossier: zero warnings, honestly: six judgments, one open question.
#[test]
fn the_shipped_dossier_checks_without_a_warning() {
    let dossier = Dossier::shipped();
    let out = dossier.run(&["check"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(!err.contains("warning"), "{err}");
}

/// Grade codes of the shipped sources, as graded in their sidecars.
const GRADES: [(&str, &str, &str); 5] = [
    (
        "linkedin-earnings-call-quote",
        "F3",
        "reliability cannot be judged; possibly true",
    ),
    (
        "linkedin-commoditize-complement-post",
        "F6",
        "reliability cannot be judged; truth cannot be judged",
    ),
    (
        "hn-corporate-charity-thread",
        "F6",
        "reliability cannot be judged; truth cannot be judged",
    ),
    (
        "neowin-llama-31-open-source",
        "B2",
        "usually reliable; probably true",
    ),
    (
        "odsc-free-models-future",
        "C3",
        "fairly reliable; possibly true",
    ),
];

fn grade_of(id: &str) -> (&'static str, &'static str) {
    GRADES
        .iter()
        .find(|g| g.0 == id)
        .map(|g| (g.1, g.2))
        .unwrap_or_else(|| panic!("no grade for {id}"))
}

/// The grade code and meaning inside an element: `.grade-code` and `.grade-tip`.
fn grades_in(el: &scraper::ElementRef<'_>) -> Vec<(String, String)> {
    let code = scraper::Selector::parse(".grade .grade-code").expect("selector");
    let tip = scraper::Selector::parse(".grade .grade-tip").expect("selector");
    el.select(&code)
        .zip(el.select(&tip))
        .map(|(c, t)| (text_of(&c), text_of(&t)))
        .collect()
}

#[test]
fn every_citation_carries_its_source_grade() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let page = site.page("index.html");
    // Inline: each citation number has the grade of the source its note names.
    let refs = select(&page, "main sup.cite-ref");
    assert!(refs.len() > 20, "{} citations", refs.len());
    for sup in &refs {
        let link = select_in(sup, "a");
        let href = link[0]
            .value()
            .attr("href")
            .unwrap_or_default()
            .trim_start_matches('#')
            .to_string();
        let note = select(&page, &format!("li[id=\"{href}\"] a.note-source"));
        let source_href = note[0].value().attr("href").unwrap_or_default();
        let id = source_href
            .split('/')
            .skip_while(|part| *part != "sources")
            .nth(1)
            .unwrap_or_default();
        let (code, meaning) = grade_of(id);
        assert_eq!(
            grades_in(sup),
            vec![(code.to_string(), format!("{code}: {meaning}"))],
            "{href}"
        );
        // The note at the foot carries it too.
        let li = select(&page, &format!("li[id=\"{href}\"]"));
        assert_eq!(grades_in(&li[0]).len(), 1, "note {href} has its grade");
    }
}

fn select_in<'a>(el: &scraper::ElementRef<'a>, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let sel = scraper::Selector::parse(selector).expect("selector");
    el.select(&sel).collect()
}

#[test]
fn the_source_page_shows_the_grade_in_full_and_in_cited_by() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    for (id, code, meaning) in GRADES {
        let page = site.page(&format!("sources/{id}/index.html"));
        let panel = select(&page, ".source-meta .grade-full");
        assert_eq!(panel.len(), 1, "{id}");
        assert_eq!(text_of(&panel[0]), format!("{code} — {meaning}"), "{id}");
        let note = select(&page, ".source-meta .grading-note");
        assert_eq!(note.len(), 1, "{id}: grading note shown");
        assert!(text_of(&note[0]).len() > 80, "{id}");
        let cited_by = select(&page, ".cited-by .cited-by-grade");
        assert_eq!(
            grades_in(&cited_by[0]),
            vec![(code.to_string(), format!("{code}: {meaning}"))],
            "{id}"
        );
    }
}

#[test]
fn the_source_list_shows_grades_and_orders_by_grade() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let page = site.page("sources/index.html");
    let tables = select(&page, "table.source-table");
    assert_eq!(tables.len(), 2, "by date and by grade");
    for table in &tables {
        for row in select_in(table, "tbody tr") {
            assert_eq!(grades_in(&row).len(), 1, "every row has its grade");
        }
    }
    let by_grade: Vec<String> = select_in(&tables[1], "tbody tr")
        .iter()
        .map(|row| grades_in(row)[0].0.clone())
        .collect();
    assert_eq!(by_grade, vec!["B2", "C3", "F3", "F6", "F6"]);
    assert_eq!(
        select(&page, "a[href=\"#by-grade\"]").len(),
        1,
        "a link to the grade order"
    );
}

#[test]
fn the_matrix_and_the_print_edition_carry_grades_and_confidence() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let matrix = site.page("arguments/index.html");
    let columns = select(&matrix, "table.matrix thead th.source-col");
    assert_eq!(columns.len(), 5);
    for c in &columns {
        assert_eq!(grades_in(c).len(), 1, "{}", text_of(c));
    }
    let print = site.page("print/index.html");
    let sources = select(&print, "article.print-source");
    assert_eq!(sources.len(), 5);
    for s in &sources {
        let full = select_in(s, ".print-grade .grade-full");
        assert_eq!(full.len(), 1, "each printed source states its grade");
    }
    assert!(
        select(&print, "sup.cite-ref .grade").len() > 50,
        "print citations carry grades"
    );
    let judgments = select(&print, ".judgment .confidence-badge");
    assert_eq!(
        judgments.len(),
        6,
        "the brief's six judgments, with their confidence"
    );
    assert!(
        judgments
            .iter()
            .all(|j| text_of(j) == "Moderate confidence")
    );
}

#[test]
fn the_judgments_page_lists_every_judgment_with_its_evidence() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let page = site.page("judgments/index.html");
    let entries = select(&page, "li.judgment-entry");
    let ids: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.value().attr("id"))
        .collect();
    assert_eq!(
        ids,
        vec![
            "playbook",
            "stated-benefits",
            "model-not-the-moat",
            "developer-pitch",
            "commentators-motives",
            "objections"
        ]
    );
    let home = site.page("index.html");
    for entry in &entries {
        let id = entry.value().attr("id").unwrap_or_default();
        assert_eq!(
            select(&home, &format!("#judgment-{id}")).len(),
            1,
            "{id} is on the brief"
        );
        let back = select_in(entry, ".written-in a");
        assert_eq!(
            back[0].value().attr("href"),
            Some(format!("../#judgment-{id}").as_str())
        );
        assert!(
            !select_in(entry, ".basis li").is_empty(),
            "{id} lists its sources"
        );
        for li in select_in(entry, ".basis li") {
            assert_eq!(grades_in(&li).len(), 1, "{id}: each source with its grade");
        }
    }
    let developer = select(&page, "#developer-pitch .basis li");
    assert_eq!(developer.len(), 1);
    assert!(text_of(&developer[0]).contains("¶6") && text_of(&developer[0]).contains("¶8"));
}

#[test]
fn the_open_questions_page_lists_the_discrepancy_and_the_home_page_counts_it() {
    let dossier = Dossier::shipped();
    let site = dossier.build();
    let page = site.page("open-questions/index.html");
    let entries = select(&page, "li.question-entry");
    assert_eq!(entries.len(), 1);
    let q = &entries[0];
    assert_eq!(q.value().attr("id"), Some("which-call"));
    assert_eq!(
        text_of(&select_in(q, ".question-title")[0]),
        "Which earnings call?"
    );
    assert!(text_of(&select_in(q, ".settle")[0]).contains("The second part of our playbook"));
    assert_eq!(
        select_in(q, ".appearances li").len(),
        6,
        "brief, two summaries, two events, the source note"
    );
    let concerned = select_in(q, ".basis li");
    assert!(text_of(&concerned[0]).contains("Why does Meta invest millions"));
    assert_eq!(grades_in(&concerned[0])[0].0, "F3");
    let home = site.page("index.html");
    let link = select(&home, ".home-analysis a[href=\"./open-questions/\"]");
    assert_eq!(link.len(), 1);
    assert_eq!(text_of(&link[0]), "1 open question");
    assert_eq!(
        select(&home, "#question-which-call .open-question-label a").len(),
        1
    );
}
