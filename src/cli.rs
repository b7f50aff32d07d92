//! The command line, declared with clap. Parsing only: each command is carried out in `cmd/`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// dossier turns a folder of primary sources, analyst summaries and timeline events into a
/// static website where every claim is traceable to the paragraph it rests on.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about = None)]
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
    /// Override base_url from site.toml (used for absolute URLs)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print how long each stage took (load, resolve, render, write)
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
