//! The `dossier` binary: parse the command line, run one command, exit with its status.

mod cli;
mod cmd;

use std::process::ExitCode;

use clap::Parser;

// A build allocates and frees millions of small strings and template values from every core at
// once; glibc's allocator spends a fifth of the build on that, mimalloc a fraction of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build(args) => cmd::build::run(args),
        cli::Command::Check(args) => cmd::check::run(args),
        cli::Command::Serve(args) => cmd::serve::run(args),
        cli::Command::New(args) => cmd::new::run(args),
        cli::Command::AddSource(args) => cmd::add_source::run(args),
        cli::Command::Paragraphs(args) => cmd::paragraphs::run(args),
        cli::Command::Docs(args) => cmd::docs::run(args),
    }
}
