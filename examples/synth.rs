//! A synthetic dossier for benchmarks: N sources of about 5 KB of hard-wrapped text, N/10
//! summaries that cite them down to the paragraph and quote them word for word, N/20 events,
//! and two taxonomies. The same documents can be written as a Hugo site, to time Hugo on the
//! same work. Deterministic: document i is the same whatever N is.
//!
//!   cargo run --release --example synth -- --sources 10000 --out /tmp/d10k
//!   cargo run --release --example synth -- --sources 10000 --format hugo --out /tmp/h10k

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// A small, fast, seedable generator (SplitMix64): enough for varied text, and no crate.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        rng.next();
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const AGENCIES: &[&str] = &[
    "water board",
    "port authority",
    "rail office",
    "audit office",
    "grid operator",
    "housing fund",
    "trade council",
    "health directorate",
    "planning tribunal",
    "statistics office",
];
const TOWNS: &[&str] = &[
    "Aldmere",
    "Brackwater",
    "Corrin",
    "Dunholt",
    "Eastmarch",
    "Fellow Cross",
    "Gansey",
    "Harrowgate",
    "Isling",
    "Kestrel Bay",
    "Lowfield",
    "Marrow",
    "Northcote",
    "Oxley",
    "Penhale",
    "Quarry End",
];
const PEOPLE: &[&str] = &[
    "Ada Venn",
    "Bram Okoro",
    "Clio Marsh",
    "Dev Anand",
    "Esme Lind",
    "Femi Adeyemi",
    "Greta Holm",
    "Hugo Sato",
    "Iris Kane",
    "Jonah Reyes",
    "Kira Novak",
    "Luis Ferro",
];
const SUBJECTS: &[&str] = &[
    "the council",
    "the minister",
    "the committee",
    "auditors",
    "the regulator",
    "local firms",
    "the union",
    "residents",
    "the contractor",
    "officials",
    "the board",
    "lawmakers",
];
const VERBS: &[&str] = &[
    "approved",
    "delayed",
    "questioned",
    "funded",
    "cancelled",
    "reviewed",
    "extended",
    "disputed",
    "published",
    "revised",
    "suspended",
    "defended",
    "doubled",
    "capped",
];
const THINGS: &[&str] = &[
    "the bridge budget",
    "the harbour contract",
    "the water tariff",
    "the rail timetable",
    "the housing plan",
    "the grid upgrade",
    "the audit report",
    "the school programme",
    "the flood defences",
    "the bus subsidy",
    "the land sale",
    "the survey",
];
const CLAUSES: &[&str] = &[
    "after a long session",
    "despite objections",
    "citing rising costs",
    "before the winter",
    "in a closed meeting",
    "for the second time",
    "pending a ruling",
    "without a vote",
    "under pressure from creditors",
    "to general surprise",
];
const TAGS: &[&str] = &[
    "budget",
    "contracts",
    "transport",
    "housing",
    "water",
    "energy",
    "audits",
    "courts",
    "health",
    "schools",
    "ports",
    "elections",
    "tariffs",
    "safety",
    "planning",
    "pensions",
    "roads",
    "floods",
    "taxes",
    "grants",
];
const SECTIONS: &[&str] = &[
    "politics",
    "economy",
    "infrastructure",
    "environment",
    "health",
    "justice",
    "education",
    "security",
];

fn sentence(rng: &mut Rng) -> String {
    let subject = match rng.below(6) {
        0 => format!("the {} of {}", rng.pick(AGENCIES), rng.pick(TOWNS)),
        1 => rng.pick(PEOPLE).to_string(),
        _ => rng.pick(SUBJECTS).to_string(),
    };
    let mut s = format!("{subject} {} {}", rng.pick(VERBS), rng.pick(THINGS));
    match rng.below(4) {
        0 => s = format!("{s} {}", rng.pick(CLAUSES)),
        1 => s = format!("{s} worth {} million", 3 + rng.below(900)),
        2 => s = format!("{s} in {}", rng.pick(TOWNS)),
        _ => {}
    }
    let mut chars = s.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

/// Greedy wrapping at 76 columns, as mail and book texts are wrapped.
fn wrap(text: &str, prefix: &str) -> String {
    let mut out = String::new();
    let mut line = String::from(prefix);
    for word in text.split(' ') {
        if line.len() > prefix.len() && line.len() + 1 + word.len() > 76 {
            out.push_str(&line);
            out.push('\n');
            line = String::from(prefix);
        }
        if line.len() > prefix.len() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&line);
    out
}

struct Source {
    id: String,
    title: String,
    date: String,
    section: &'static str,
    tags: Vec<&'static str>,
    /// Paragraphs: (is a quotation, text).
    paragraphs: Vec<(bool, String)>,
}

fn source(seed: u64, i: usize, width: usize) -> Source {
    let mut rng = Rng::new(seed, i as u64 * 2 + 1);
    let title = format!(
        "{} {}: {} {}",
        rng.pick(TOWNS),
        rng.pick(AGENCIES),
        rng.pick(VERBS),
        rng.pick(THINGS)
    );
    let date = format!(
        "{}-{:02}-{:02}",
        2016 + rng.below(9),
        1 + rng.below(12),
        1 + rng.below(28)
    );
    let section = SECTIONS[rng.below(SECTIONS.len())];
    let mut tags: Vec<&'static str> = (0..2 + rng.below(3))
        .map(|_| TAGS[rng.below(TAGS.len())])
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let target = 4500 + rng.below(1500);
    let mut paragraphs = Vec::new();
    let mut size = 0;
    while size < target {
        let quoted = !paragraphs.is_empty() && rng.below(8) == 0;
        let text = if quoted {
            format!(
                "\"{}\" said {}.",
                sentence(&mut rng).trim_end_matches('.'),
                rng.pick(PEOPLE)
            )
        } else {
            (0..3 + rng.below(4))
                .map(|_| sentence(&mut rng))
                .collect::<Vec<_>>()
                .join(" ")
        };
        size += text.len();
        paragraphs.push((quoted, text));
    }
    Source {
        id: format!("s{i:0width$}"),
        title,
        date,
        section,
        tags,
        paragraphs,
    }
}

/// The first words of a plain paragraph: words a summary can quote.
fn quotable(source: &Source) -> (usize, String) {
    for (n, (quoted, text)) in source.paragraphs.iter().enumerate() {
        if !quoted {
            let words: Vec<&str> = text.split(' ').take(8).collect();
            return (
                n + 1,
                words.join(" ").trim_end_matches(['.', ',']).to_string(),
            );
        }
    }
    (1, String::new())
}

struct Options {
    sources: usize,
    out: PathBuf,
    hugo: bool,
    seed: u64,
}

fn parse_args() -> Result<Options, String> {
    let mut options = Options {
        sources: 1000,
        out: PathBuf::from("synth-dossier"),
        hugo: false,
        seed: 1,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or(format!("{arg} needs a value"));
        match arg.as_str() {
            "--sources" => {
                options.sources = value()?.parse().map_err(|e| format!("--sources: {e}"))?
            }
            "--out" => options.out = PathBuf::from(value()?),
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--format" => match value()?.as_str() {
                "dossier" => options.hugo = false,
                "hugo" => options.hugo = true,
                other => return Err(format!("--format is dossier or hugo, not {other}")),
            },
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: synth --sources N --out DIR [--format dossier|hugo] [--seed S]"
                ));
            }
        }
    }
    if options.sources == 0 {
        return Err("--sources must be at least 1".into());
    }
    Ok(options)
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn quoted_list(items: &[&str]) -> String {
    format!(
        "[{}]",
        items
            .iter()
            .map(|t| format!("\"{t}\""))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

fn main() {
    let options = match parse_args() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    if options.out.exists()
        && fs::read_dir(&options.out)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        eprintln!("error: {} is not empty", options.out.display());
        std::process::exit(2);
    }
    let n = options.sources;
    let width = n.to_string().len().max(5);
    let out = &options.out;
    let sources: Vec<Source> = (0..n).map(|i| source(options.seed, i, width)).collect();
    let link = |s: &Source, paragraph: Option<usize>| -> String {
        match (options.hugo, paragraph) {
            (false, Some(p)) => format!("src:{}#p{p}", s.id),
            (false, None) => format!("src:{}", s.id),
            (true, _) => format!("/{}/{}/", s.section, s.id),
        }
    };

    if options.hugo {
        write(
            &out.join("hugo.toml"),
            "baseURL = \"https://example.org/synth/\"\ntitle = \"Synthetic dossier\"\ndisableKinds = [\"rss\"]\n[taxonomies]\n  tag = \"tags\"\n  section = \"sections\"\n",
        );
        for (name, text) in HUGO_LAYOUTS {
            write(&out.join("layouts").join(name), text);
        }
        write(
            &out.join("content/_index.md"),
            "+++\ntitle = \"Synthetic dossier\"\n+++\n",
        );
    } else {
        write(
            &out.join("site.toml"),
            "title = \"Synthetic dossier\"\ndescription = \"A synthetic dossier for benchmarks.\"\nbase_url = \"https://example.org/synth\"\n\n[[taxonomies]]\nname = \"tags\"\n\n[[taxonomies]]\nname = \"sections\"\n",
        );
        write(
            &out.join("content/_index.md"),
            "+++\ntitle = \"Synthetic dossier\"\n+++\n\nA synthetic dossier for benchmarks.\n",
        );
    }

    for s in &sources {
        let body: Vec<String> = s
            .paragraphs
            .iter()
            .map(|(quoted, text)| wrap(text, if *quoted { "> " } else { "" }))
            .collect();
        if options.hugo {
            let front = format!(
                "+++\ntitle = \"{}\"\ndate = {}\ntags = {}\nsections = [\"{}\"]\n+++\n\n",
                s.title,
                s.date,
                quoted_list(&s.tags),
                s.section
            );
            write(
                &out.join("content")
                    .join(s.section)
                    .join(format!("{}.md", s.id)),
                &(front + &body.join("\n\n") + "\n"),
            );
        } else {
            write(
                &out.join(format!("content/sources/{}.txt", s.id)),
                &(body.join("\n\n") + "\n"),
            );
            let sidecar = format!(
                "title = \"{}\"\nkind = \"article\"\npublished = {}\nurl = \"https://archive.example.org/{}/{}\"\nparagraphs = \"blocks\"\n\n[taxonomies]\ntags = {}\nsections = [\"{}\"]\n",
                s.title,
                s.date,
                s.section,
                s.id,
                quoted_list(&s.tags),
                s.section
            );
            write(
                &out.join(format!("content/sources/{}.toml", s.id)),
                &sidecar,
            );
        }
    }

    for k in 0..(n / 10).max(1) {
        let mut rng = Rng::new(options.seed, k as u64 * 2 + 2);
        let slug = format!("summary-{k:04}");
        let title = format!("Briefing: {} in {}", rng.pick(THINGS), rng.pick(TOWNS));
        let date = format!(
            "{}-{:02}-{:02}",
            2016 + rng.below(9),
            1 + rng.below(12),
            1 + rng.below(28)
        );
        let mut tags: Vec<&str> = (0..2 + rng.below(3))
            .map(|_| TAGS[rng.below(TAGS.len())])
            .collect();
        tags.sort_unstable();
        tags.dedup();
        let mut body = String::new();
        let mut cited = Vec::new();
        let _ = writeln!(
            body,
            "{}\n\n## Key findings\n",
            (0..3)
                .map(|_| sentence(&mut rng))
                .collect::<Vec<_>>()
                .join(" ")
        );
        for _ in 0..4 + rng.below(5) {
            let s = &sources[rng.below(n)];
            let p = 1 + rng.below(s.paragraphs.len());
            cited.push(s.id.as_str());
            let _ = writeln!(
                body,
                "- {} ([{}]({})).",
                sentence(&mut rng).trim_end_matches('.'),
                s.title,
                link(s, Some(p))
            );
        }
        let _ = writeln!(body, "\n## Assessment\n");
        for _ in 0..2 + rng.below(2) {
            let s = &sources[rng.below(n)];
            cited.push(s.id.as_str());
            let _ = writeln!(
                body,
                "{} As [an earlier report]({}) put it, {}\n",
                sentence(&mut rng),
                link(s, None),
                sentence(&mut rng).to_lowercase()
            );
        }
        let _ = writeln!(body, "## In their words\n");
        for _ in 0..5 {
            let s = &sources[rng.below(n)];
            let (p, words) = quotable(s);
            cited.push(s.id.as_str());
            let _ = writeln!(
                body,
                "- As the source puts it, [\"{words}\"]({}).",
                link(s, Some(p))
            );
        }
        cited.sort_unstable();
        cited.dedup();
        if options.hugo {
            let front = format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\ntags = {}\n+++\n\n",
                quoted_list(&tags)
            );
            write(
                &out.join(format!("content/summaries/{slug}.md")),
                &(front + &body),
            );
        } else {
            let front = format!(
                "+++\ntitle = \"{title}\"\ndate = {date}\nsources = {}\n\n[taxonomies]\ntags = {}\n+++\n\n",
                quoted_list(&cited),
                quoted_list(&tags)
            );
            write(
                &out.join(format!("content/summaries/{slug}.md")),
                &(front + &body),
            );
        }
    }

    if !options.hugo {
        for e in 0..(n / 20).max(1) {
            let mut rng = Rng::new(options.seed, e as u64 * 2 + 3);
            let a = &sources[rng.below(n)];
            let b = &sources[rng.below(n)];
            let date = format!(
                "{}-{:02}-{:02}",
                2016 + rng.below(9),
                1 + rng.below(12),
                1 + rng.below(28)
            );
            let text = format!(
                "+++\ntitle = \"{} {} {}\"\ndate = {date}\nkind = \"decision\"\nsources = [\"{}\", \"{}\"]\n+++\n\nReported first in [{}](src:{}#p1).\n",
                rng.pick(SUBJECTS),
                rng.pick(VERBS),
                rng.pick(THINGS),
                a.id,
                b.id,
                a.title,
                a.id
            );
            write(&out.join(format!("content/events/event-{e:04}.md")), &text);
        }
    }
    let bytes: usize = sources
        .iter()
        .map(|s| s.paragraphs.iter().map(|(_, t)| t.len()).sum::<usize>())
        .sum();
    eprintln!(
        "wrote {n} sources ({:.1} MB of text) and {} summaries to {}",
        bytes as f64 / 1e6,
        (n / 10).max(1),
        out.display()
    );
}

/// Minimal Hugo layouts with the same pages as dossier's lists and documents.
const HUGO_LAYOUTS: &[(&str, &str)] = &[
    (
        "baseof.html",
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ .Title }} · {{ site.Title }}</title></head>\n<body><header><a href=\"{{ site.BaseURL }}\">{{ site.Title }}</a></header><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
    ),
    (
        "home.html",
        "{{ define \"main\" }}<h1>{{ site.Title }}</h1><ul>{{ range .Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "section.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a> {{ .Date.Format \"2006-01-02\" }}</li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "page.html",
        "{{ define \"main\" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format \"2006-01-02\" }}</p>{{ with .GetTerms \"tags\" }}<ul>{{ range . }}<li><a href=\"{{ .RelPermalink }}\">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}{{ .Content }}</article>{{ end }}\n",
    ),
    (
        "taxonomy.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href=\"{{ .Page.RelPermalink }}\">{{ .Page.LinkTitle }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "term.html",
        "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    ),
    (
        "404.html",
        "{{ define \"main\" }}<h1>Not found</h1>{{ end }}\n",
    ),
];
