//! The shape of the source tree: the pipeline's stages import only earlier stages, and the
//! shared helpers import no stage. Every `crate::…` path in src/ (in a `use` line or inline,
//! grouped `crate::{a, b}` too) and every `dossier::…` path in the binary's files is mapped to
//! the module it reaches; a path that reaches a later layer fails the test, named file:line.
//! Comments are not read: a doc link may point anywhere.

use std::path::{Path, PathBuf};

/// The layers, bottom first. A file may reach its own layer and the ones below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Layer {
    /// diagnostics, fsutil, html, progress, slug, url: import no stage.
    Helpers,
    Load,
    Resolve,
    Render,
    Write,
    /// pipeline, rebuild, serve/, scaffold: string the stages together.
    Pipeline,
    /// main.rs, cli.rs, cmd/: the command line.
    Commands,
}

/// The layer of a module named by its first path segment under the crate root.
fn module_layer(name: &str) -> Option<Layer> {
    Some(match name {
        "diagnostics" | "fsutil" | "html" | "progress" | "slug" | "url" => Layer::Helpers,
        "load" => Layer::Load,
        "resolve" => Layer::Resolve,
        "render" => Layer::Render,
        "write" => Layer::Write,
        "pipeline" | "rebuild" | "serve" | "scaffold" => Layer::Pipeline,
        "cli" | "cmd" | "main" => Layer::Commands,
        _ => return None,
    })
}

/// The layer of a file, by its path under src/ (`load/content/mod.rs` → `load`).
fn file_layer(rel: &Path) -> Option<Layer> {
    let first = rel.components().next()?.as_os_str().to_str()?;
    module_layer(first.strip_suffix(".rs").unwrap_or(first))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).expect("src/ is readable") {
            let path = entry.expect("src/ is readable").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A path into the crate found in a file: its line and the module segments after the root.
#[derive(Debug)]
struct Reach {
    line: usize,
    /// `load`, `content`, … (the first one or two segments are enough for the rules).
    segments: Vec<String>,
}

/// The text of a file with comments blanked (line structure kept), so paths in docs and
/// comments are not read as imports. String literals are kept as they are: src/ holds no
/// `crate::` inside a string.
fn code_only(text: &str) -> String {
    text.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if trimmed.starts_with("//") {
                ""
            } else {
                match line.find(" // ") {
                    Some(i) if !line[..i].contains('"') => &line[..i],
                    _ => line,
                }
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `root::…` path in `code`, grouped imports (`root::{a::b, c}`) split into their names.
fn reaches(code: &str, root: &str) -> Vec<Reach> {
    let bytes = code.as_bytes();
    let needle = format!("{root}::");
    let line_at = |offset: usize| code[..offset].matches('\n').count() + 1;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = code[from..].find(&needle) {
        let start = from + found;
        from = start + needle.len();
        // `dossier::` inside `crate::dossier::…` or an identifier like `my_crate::` is not ours.
        if start > 0 {
            let before = bytes[start - 1];
            if before.is_ascii_alphanumeric() || before == b'_' || before == b':' {
                continue;
            }
        }
        let rest = &code[from..];
        if rest.starts_with('{') {
            // A group: names at depth one, each with its own line.
            let mut depth = 0;
            let mut item_start = from + 1;
            for (i, c) in rest.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' | ',' if depth == 1 => {
                        let item = code[item_start..from + i].trim();
                        if !item.is_empty() {
                            let offset = item_start
                                + (code[item_start..].len()
                                    - code[item_start..].trim_start().len());
                            out.push(Reach {
                                line: line_at(offset),
                                segments: segments(item),
                            });
                        }
                        item_start = from + i + 1;
                        if c == '}' {
                            break;
                        }
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
        } else {
            out.push(Reach {
                line: line_at(start),
                segments: segments(rest),
            });
        }
    }
    out
}

/// The leading identifiers of a path: `load::content::{Body, X}` → `["load", "content"]`.
fn segments(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for part in path.split("::") {
        let ident: String = part
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if ident.is_empty() {
            break;
        }
        let whole = ident.len() == part.len();
        out.push(ident);
        // The path ends where a segment does not (`plain_text;`, `Body,`, `x()`).
        if !whole {
            break;
        }
    }
    out
}

/// What is wrong with `file` (in `layer`) reaching `reach`, if anything.
fn violation(layer: Layer, reach: &Reach) -> Option<String> {
    let first = reach.segments.first()?;
    if first == "self" || first == "super" {
        return None;
    }
    let Some(target) = module_layer(first) else {
        return Some(format!(
            "reaches `{}`, a module tests/architecture.rs does not place in a layer: add it there",
            reach.segments.join("::")
        ));
    };
    let path = reach.segments.join("::");
    if layer == Layer::Helpers && target != Layer::Helpers {
        return Some(format!(
            "a shared helper reaches the {target:?} layer (`{path}`): helpers import no stage"
        ));
    }
    if target > layer {
        return Some(format!(
            "the {layer:?} layer reaches the later {target:?} layer (`{path}`)"
        ));
    }
    // Write takes render's output type only: not its pages, views or templates.
    if layer == Layer::Write
        && target == Layer::Render
        && reach.segments.get(1).map(String::as_str) != Some("sink")
    {
        return Some(format!(
            "the write stage reaches `{path}`: it may take only render's output type (render::sink)"
        ));
    }
    if layer == Layer::Write && matches!(target, Layer::Load | Layer::Resolve) {
        return Some(format!(
            "the write stage reaches `{path}`: it takes rendered files, not the content"
        ));
    }
    None
}

/// Every problem in the files under `src`, as `file:line: what`.
fn problems(src: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    for file in rust_files(src) {
        let rel = file.strip_prefix(src).expect("under src/");
        let shown = format!("src/{}", rel.display());
        if rel == Path::new("lib.rs") {
            // The crate root only declares the modules.
            continue;
        }
        let Some(layer) = file_layer(rel) else {
            problems.push(format!(
                "{shown}: a file tests/architecture.rs does not place in a layer: add it there"
            ));
            continue;
        };
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        let code = code_only(&text);
        let mut found = reaches(&code, "crate");
        if layer == Layer::Commands {
            // The binary's own `crate::` is cli/cmd; the library is `dossier::`.
            found.retain(|r| r.segments.first().is_some_and(|s| s == "cli" || s == "cmd"));
            found.extend(reaches(&code, "dossier"));
        }
        for reach in found {
            if let Some(what) = violation(layer, &reach) {
                problems.push(format!("{shown}:{}: {what}", reach.line));
            }
        }
    }
    problems
}

#[test]
fn no_stage_imports_a_later_one_and_helpers_import_no_stage() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let problems = problems(&src);
    assert!(
        problems.is_empty(),
        "imports that run against the pipeline (load → resolve → render → write):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_finds_backward_imports_grouped_inline_and_from_helpers() {
    let dir = tempfile::TempDir::new().expect("temp folder");
    let src = dir.path().join("src");
    for folder in ["load", "resolve", "render", "write"] {
        std::fs::create_dir_all(src.join(folder)).expect("folder");
    }
    let write = |rel: &str, text: &str| std::fs::write(src.join(rel), text).expect("write");
    write("load/config.rs", "use crate::resolve::xref::is_http;\n");
    write(
        "resolve/xref.rs",
        "use crate::{\n    load::content::Body,\n    render::markdown::scan,\n};\n",
    );
    write(
        "render/feeds.rs",
        "// crate::pipeline in a comment is fine\nfn f() { crate::resolve::site::x(); }\n",
    );
    write(
        "write/output.rs",
        "use crate::render::pages::Renderer;\nuse crate::render::sink::OutputFile;\n",
    );
    write("url.rs", "fn f() { crate::load::content::x(); }\n");
    write("odd.rs", "fn f() {}\n");
    let mut found = problems(&src);
    found.sort();
    let at: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        at,
        vec![
            "src/load/config.rs:1",
            "src/odd.rs",
            "src/resolve/xref.rs:3",
            "src/url.rs:1",
            "src/write/output.rs:1",
        ],
        "{found:#?}"
    );
}
