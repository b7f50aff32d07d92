//! The command line, declared with clap. Parsing only: each command is carried out in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The version, with the commit it was built from when the build could ask git.
const VERSION: &str = match option_env!("DOSSIER_COMMIT") {
    Some(_) => concat!(env!("CARGO_PKG_VERSION"), " (", env!("DOSSIER_COMMIT"), ")"),
    None => env!("CARGO_PKG_VERSION"),
};

/// dossier turns a folder of primary sources, analyst summaries and timeline events into a
/// static website where every claim is traceable to the paragraph it rests on.
#[derive(Debug, Parser)]
#[command(name = "dossier", version = VERSION, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced atomically)
    #[command(
        after_help = "Examples:\n  dossier build\n  dossier build --root my-dossier --output /tmp/site --base-url https://example.org/brief"
    )]
    Build(BuildArgs),
    /// Verify everything `build` verifies, writing nothing
    #[command(
        after_help = "Examples:\n  dossier check\n  dossier check --root my-dossier --drafts"
    )]
    Check(CheckArgs),
    /// Preview the dossier: serve it, rebuild on every change, reload open tabs
    #[command(
        after_help = "Examples:\n  dossier serve\n  dossier serve --port 8080 --open\n  dossier serve --root my-dossier --drafts"
    )]
    Serve(ServeArgs),
    /// Start a new dossier: a working example to edit, with every setting explained
    #[command(
        after_help = "Examples:\n  dossier new my-dossier && cd my-dossier && dossier serve\n  dossier new my-dossier --theme-copy     # with themes/briefing/ to edit"
    )]
    New(NewArgs),
    /// File a collected document as a source: copied verbatim, with its sidecar and sha256
    #[command(
        name = "add-source",
        after_help = "Examples:\n  dossier add-source ~/Downloads/post.txt --title \"Why we open-sourced it\" --kind blog-post\n  dossier add-source notice.txt --id council-notice --title \"Bridge notice\" \\\n      --kind article --published 2025-02-24 --publisher \"Riverside Council\" \\\n      --url https://council.example.gov/notice --term issues=closures\n  dossier add-source memo.txt --title \"Budget memo\" --kind other --published 2024-Q2 \\\n      --note \"Undated; the budget it discusses was tabled in May.\"\n  dossier add-source ~/Downloads/q4-call.pdf --kind transcript --url https://example.com/q4.pdf\n  dossier add-source saved-page.html --kind article   # title, author, date from the page"
    )]
    AddSource(AddSourceArgs),
    /// Print a source's numbered paragraphs, or those holding some words, with the link to cite them
    #[command(
        after_help = "Examples:\n  dossier paragraphs council-notice\n  dossier paragraphs gpl-3 \"patent license\"\n  dossier paragraphs gpl-3 \"convey … patent\" --root my-dossier\n\nWords are matched as quotations are: exactly, capitals included, with white space and\nquotation marks folded and … for words left out."
    )]
    Paragraphs(ParagraphsArgs),
    /// Print a reference page built into dossier (format: the files of a dossier)
    #[command(after_help = "Example:\n  dossier docs format | less")]
    Docs(DocsArgs),
}

/// `dossier paragraphs`.
#[derive(Debug, Args)]
pub struct ParagraphsArgs {
    /// The source's id (its file name in content/sources/ without .txt)
    pub id: String,
    /// Show only the paragraphs holding these words
    pub words: Option<String>,
    /// The dossier folder
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// `dossier docs`.
#[derive(Debug, Args)]
pub struct DocsArgs {
    /// Which page
    #[arg(value_enum, default_value = "format")]
    pub page: DocsPage,
}

/// The reference pages built into the binary.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DocsPage {
    /// docs/format.md: site.toml, sources and sidecars, summaries, events, links
    Format,
    /// docs/cli.md: the commands and their options
    Cli,
    /// docs/getting-started.md: a first dossier, step by step
    GettingStarted,
}

/// Arguments shared by the commands that read a dossier.
#[derive(Debug, Args)]
pub struct DossierArgs {
    /// The dossier folder (the one holding site.toml)
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Include pages marked `draft = true`
    #[arg(long)]
    pub drafts: bool,
    /// Print every warning (past five of a kind, only their count is printed)
    #[arg(long, short)]
    pub verbose: bool,
}

/// `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Dossier and drafts.
    #[command(flatten)]
    pub dossier: DossierArgs,
    /// Where to write the site, relative to the current folder [default: output_dir in site.toml, under the root]
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Replace the output folder even if dossier did not write it, deleting what is in it (never the dossier itself)
    #[arg(long)]
    pub force: bool,
    /// Override base_url from site.toml (used for absolute URLs)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage took (load, resolve, render and write, replace)
    #[arg(long)]
    pub timings: bool,
}

/// `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Dossier and drafts.
    #[command(flatten)]
    pub dossier: DossierArgs,
    /// Print how long each stage took (load, resolve, render)
    #[arg(long)]
    pub timings: bool,
    /// Also extract every original (web page, PDF, e-mail) again and report derived texts that differ
    #[arg(long)]
    pub extraction: bool,
}

/// `dossier serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Dossier and drafts.
    #[command(flatten)]
    pub dossier: DossierArgs,
    /// The address to listen on (loopback by default; 0.0.0.0 serves your whole network)
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub interface: std::net::IpAddr,
    /// The port to listen on (0 picks a free one)
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Open the site in the default browser
    #[arg(long)]
    pub open: bool,
}

/// `dossier new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create (it must not exist, or be empty)
    pub dir: PathBuf,
    /// Also copy the built-in theme into themes/briefing/, to change it (without it the dossier uses the theme built into dossier, which newer versions fix; to change a template or two, put just those in templates/)
    #[arg(long)]
    pub theme_copy: bool,
}

/// `dossier add-source`.
#[derive(Debug, Args)]
pub struct AddSourceArgs {
    /// The collected document, copied byte for byte: a UTF-8 text file, or a web page (.html, .htm), PDF (.pdf) or e-mail (.eml), whose text is extracted into ID.txt
    pub file: PathBuf,
    /// The dossier folder
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The id to file it under [default: made from the title]
    #[arg(long)]
    pub id: Option<String>,
    /// Its title (required for a text file; a web page, PDF or e-mail that carries one fills it)
    #[arg(long)]
    pub title: Option<String>,
    /// What kind of document it is
    #[arg(long, value_parser = parse_kind, value_name = "KIND", help = kind_help())]
    pub kind: dossier::load::content::SourceKind,
    /// Where it was collected from
    #[arg(long)]
    pub url: Option<String>,
    /// When it was published: a day (2024-04-18), a month (2004-01) or a quarter (2024-Q2); a month or quarter sets date_precision
    #[arg(long, value_parser = dossier::scaffold::parse_published, value_name = "DATE")]
    pub published: Option<(
        dossier::load::content::Date,
        dossier::load::content::DatePrecision,
    )>,
    /// The analyst's note (Markdown): provenance, reliability
    #[arg(long)]
    pub note: Option<String>,
    /// A taxonomy term, as TAXONOMY=TERM (repeat for more); the taxonomy must be declared in site.toml
    #[arg(long = "term", value_parser = dossier::scaffold::parse_term, value_name = "TAXONOMY=TERM")]
    pub terms: Vec<(String, String)>,
    /// Its author
    #[arg(long)]
    pub author: Option<String>,
    /// Its publisher
    #[arg(long)]
    pub publisher: Option<String>,
    /// The largest file accepted: bytes, or with K, M or G (powers of 1024)
    #[arg(long, value_parser = dossier::scaffold::parse_size, value_name = "SIZE", default_value = "64M")]
    pub max_size: u64,
}

fn parse_kind(s: &str) -> Result<dossier::load::content::SourceKind, String> {
    s.parse()
}

fn kind_help() -> String {
    let names: Vec<&str> = dossier::load::content::SourceKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    format!("What kind of document it is: {}", names.join(", "))
}
