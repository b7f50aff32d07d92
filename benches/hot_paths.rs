//! Criterion benchmarks of the hot paths: splitting a source into paragraphs and turning them
//! into escaped HTML, checking quotations against a source, and rendering a summary's Markdown;
//! and the inputs that must stay linear (many headings, many citations in one paragraph).
//!
//!   cargo bench --bench hot_paths

// criterion_group! and criterion_main! generate functions without documentation.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dossier::load::content::source_text::split_paragraphs;
use dossier::load::content::{Body, ParagraphMode};
use dossier::load::references::scan_links;
use dossier::render::markdown::{RenderLink, RenderOptions, render};
use dossier::render::view::common::paragraph_html;
use dossier::resolve::quotation::Quotation;

/// A hard-wrapped source of about 5 KB, with a quotation block and a link.
fn source() -> String {
    let sentence = |i: usize| {
        format!(
            "The council of Kestrel Bay reviewed the harbour contract {} after a long session, citing costs of {} million.",
            ["again", "in private", "in public", "at last"][i % 4],
            3 + i * 7 % 900
        )
    };
    let mut paragraphs = Vec::new();
    for p in 0..16 {
        let text = (0..4)
            .map(|s| sentence(p * 4 + s))
            .collect::<Vec<_>>()
            .join(" ");
        let mut wrapped = String::new();
        let mut line = String::new();
        for word in text.split(' ') {
            if !line.is_empty() && line.len() + word.len() > 75 {
                wrapped.push_str(&line);
                wrapped.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        wrapped.push_str(&line);
        paragraphs.push(if p == 7 {
            format!("> {}", wrapped.replace('\n', "\n> "))
        } else {
            wrapped
        });
    }
    paragraphs
        .push("Papers: https://council.example.gov/harbour/contract-2024.pdf (see page 4).".into());
    paragraphs.join("\n\n")
}

fn summary() -> String {
    let mut body = String::from("The harbour contract doubled in cost.\n\n## Key findings\n\n");
    for i in 0..8 {
        body.push_str(&format!(
            "- The council [\"reviewed the harbour contract\"](src:s{i:05}#p{}) and *questioned* the survey ([minutes](src:s{i:05})).\n",
            1 + i % 5
        ));
    }
    body.push_str("\n## Assessment\n\n| Source | Figure |\n|---|---|\n| Council | 4.2 million |\n\nSee the [timeline](event:vote) and a note.[^1]\n\n[^1]: Figures as reported.\n\n```yaml\nbudget: 4.2\n```\n");
    body
}

fn paragraphs(c: &mut Criterion) {
    let text = source();
    c.bench_function("split a 5 KB hard-wrapped source into paragraphs", |b| {
        b.iter(|| split_paragraphs(black_box(&text), ParagraphMode::Blocks))
    });
    let paragraphs = split_paragraphs(&text, ParagraphMode::Blocks);
    let last = &paragraphs[paragraphs.len() - 1].text;
    let highlight = 0..20;
    c.bench_function(
        "escape a source's paragraphs to HTML, links and highlights included",
        |b| {
            b.iter(|| {
                for p in &paragraphs {
                    black_box(paragraph_html(&p.text, &[]));
                }
                black_box(paragraph_html(last, std::slice::from_ref(&highlight)))
            })
        },
    );
}

fn quotations(c: &mut Criterion) {
    let text = source();
    let paragraphs = split_paragraphs(&text, ParagraphMode::Blocks);
    let exact = Quotation::new("citing costs of 752 million. The council of Kestrel Bay … at last")
        .expect("words");
    c.bench_function("find a quotation with an ellipsis in a source", |b| {
        b.iter(|| {
            paragraphs
                .iter()
                .find_map(|p| black_box(&exact).find_in(&p.text))
        })
    });
    let misquote =
        Quotation::new("The council of Kestrel Bay reviewed the harbour contract in secret")
            .expect("words");
    c.bench_function("find the closest passage for a misquotation", |b| {
        b.iter(|| black_box(&misquote).closest_passage(paragraphs.iter().map(|p| p.text.as_str())))
    });
}

fn markdown(c: &mut Criterion) {
    let text = summary();
    let body = Body {
        text: &text,
        offset: 0,
        file_text: &text,
    };
    c.bench_function("find the references of a summary", |b| {
        b.iter(|| scan_links(black_box(body)))
    });
    let links: Vec<RenderLink> = scan_links(body)
        .into_iter()
        .enumerate()
        .map(|(n, l)| RenderLink {
            offset: l.offset,
            href: "../../sources/s00001/#p2".into(),
            citation: Some(n as u32 + 1),
            grade: None,
        })
        .collect();
    let options = RenderOptions {
        raw_html: false,
        id_prefix: "",
        heading_shift: 0,
        root: "../",
        box_prefix: "",
    };
    c.bench_function("render a summary's Markdown with its citations", |b| {
        b.iter(|| render(black_box(body), &links, options))
    });
}

/// The two inputs that were once quadratic: many equal headings (ids retried from `-2` each
/// time) and many citations in one sentence (the sentence found again for each).
fn linear_inputs(c: &mut Criterion) {
    let options = RenderOptions {
        raw_html: false,
        id_prefix: "",
        heading_shift: 0,
        root: "../",
        box_prefix: "",
    };
    let headings = "## Same heading\n\n".repeat(20_000);
    let body = Body {
        text: &headings,
        offset: 0,
        file_text: &headings,
    };
    let mut group = c.benchmark_group("linear inputs");
    group.sample_size(10);
    group.bench_function("render 20,000 equal headings", |b| {
        b.iter(|| render(black_box(body), &[], options))
    });
    let citations = "[the minutes](src:minutes) and ".repeat(50_000);
    let body = Body {
        text: &citations,
        offset: 0,
        file_text: &citations,
    };
    group.bench_function("find 50,000 citations in one paragraph", |b| {
        b.iter(|| scan_links(black_box(body)))
    });
    group.finish();
}

criterion_group!(benches, paragraphs, quotations, markdown, linear_inputs);
criterion_main!(benches);
