//! `site.toml`: the dossier's typed configuration. Unknown keys are errors with their line, and
//! `validate` checks what serde cannot (taxonomy names, the base URL).

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Location};
use crate::slug::{is_valid_id, suggest_id};

/// Names a taxonomy may not take: they are already URLs of the site.
pub const RESERVED_TAXONOMY_NAMES: &[&str] = &[
    "sources",
    "summaries",
    "events",
    "timeline",
    "search",
    "print",
    "static",
    // analyst (issue 18)
    "judgments",
    "open-questions",
];

/// The whole of `site.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The dossier's title, shown on every page.
    pub title: String,
    /// One or two sentences: used in `<meta>`, the feed and the home page.
    #[serde(default)]
    pub description: String,
    /// Absolute URL the site is published at; used where absolute URLs are needed. Links
    /// between pages are relative, so the site also works under any sub-path.
    #[serde(default)]
    pub base_url: String,
    /// Language of the content, for `<html lang>`.
    #[serde(default = "default_language")]
    pub language: String,
    /// A folder under `themes/`; `briefing` is built in when that folder is absent.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Where `build` writes the site, relative to the dossier root and inside it.
    #[serde(default = "default_output_dir")]
    pub output_dir: PathBuf,
    /// Markdown rendering options.
    #[serde(default)]
    pub markdown: MarkdownConfig,
    /// Declared taxonomies; a taxonomy used in content but not declared here is an error.
    #[serde(default)]
    pub taxonomies: Vec<TaxonomyConfig>,
    /// Files under `static/` meant to replace a page the site generates (as written under
    /// `static/`, e.g. `robots.txt`): replacing one not listed here is a warning.
    #[serde(default)]
    pub static_overrides: Vec<Spanned<String>>,
}

/// The `[markdown]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// syntect theme for fenced code blocks.
    #[serde(default = "default_highlight_theme")]
    pub highlight_theme: Spanned<String>,
    /// Pass raw HTML in Markdown through instead of escaping it.
    #[serde(default)]
    pub raw_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_theme: default_highlight_theme(),
            raw_html: false,
        }
    }
}

/// One `[[taxonomies]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// The taxonomy's name, also its URL: `/arguments/`.
    pub name: Spanned<String>,
    /// Display title; defaults to the name with a capital letter.
    #[serde(default)]
    pub title: Option<String>,
}

impl TaxonomyConfig {
    /// The title shown to readers.
    pub fn display_title(&self) -> String {
        match &self.title {
            Some(title) => title.clone(),
            None => crate::slug::capitalize(&self.name.get_ref().replace('-', " ")),
        }
    }
}

fn default_language() -> String {
    "en".into()
}
fn default_theme() -> String {
    "briefing".into()
}
fn default_output_dir() -> PathBuf {
    "public".into()
}
fn default_highlight_theme() -> Spanned<String> {
    Spanned::new(0..0, "InspiredGitHub".into())
}

/// Whether `name` is one plain folder name: not empty, no separator, not `.` or `..`, so
/// joining it to a folder can only name an entry of that folder.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && !Path::new(name).is_absolute()
}

/// The byte offset of the top-level line that sets `key` in `text`, or 0.
fn key_offset(text: &str, key: &str) -> usize {
    table_key_offset(text, "", key)
}

/// The byte offset of the line that sets `key` of `table` in `text` (under its `[table]`
/// header, or dotted as `table.key` at the top; `""` for a top-level key), or 0.
pub fn table_key_offset(text: &str, table: &str, key: &str) -> usize {
    let dotted = format!("{table}.{key}");
    let mut offset = 0;
    let mut current = "";
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(header) = trimmed.strip_prefix('[') {
            current = header.split(']').next().unwrap_or_default().trim();
        } else {
            let sets = |name: &str| {
                trimmed
                    .strip_prefix(name)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
            };
            if (current == table && sets(key))
                || (current.is_empty() && !table.is_empty() && sets(&dotted))
            {
                return offset + (line.len() - trimmed.len());
            }
        }
        offset += line.len();
    }
    0
}

/// The most unknown keys reported from one file: past that, the file is likely not what it
/// claims to be, and each one costs a fresh pass over it.
const MAX_UNKNOWN_KEYS: usize = 50;

/// [`from_toml_every_key`] on the TOML at bytes `toml` of the file `text` (all of it, or a
/// page's front matter), every error a diagnostic located in that file; `what` names the
/// document ("site.toml").
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &Path,
    text: &str,
    toml: std::ops::Range<usize>,
    what: &str,
) -> Result<T, Vec<Diagnostic>> {
    let base = toml.start;
    from_toml_every_key(&text[toml]).map_err(|errors| {
        errors
            .iter()
            .map(|e| Diagnostic::from_toml(path, text, base, e, what))
            .collect()
    })
}

/// Deserialize TOML `text` into `T`, reporting every unknown key at once rather than only the
/// first, as serde's `deny_unknown_fields` does: each unknown key found is noted and taken out
/// of the parsed document, and the rest is tried again. Any other error ends the search, and
/// comes after the unknown keys. Spans in the errors are byte offsets into `text`.
pub fn from_toml_every_key<T: serde::de::DeserializeOwned>(
    text: &str,
) -> Result<T, Vec<toml::de::Error>> {
    // The common case, a file without unknown keys, takes one pass and no copy.
    match toml::from_str(text) {
        Ok(value) => return Ok(value),
        Err(e) if !e.message().starts_with("unknown field") => return Err(vec![e]),
        Err(_) => {}
    }
    let mut document = toml::de::DeTable::parse(text).map_err(|e| vec![e])?;
    let mut errors = Vec::new();
    loop {
        let error = match T::deserialize(toml::de::Deserializer::from(document.clone())) {
            Ok(value) if errors.is_empty() => return Ok(value),
            Ok(_) => return Err(errors),
            Err(error) => error,
        };
        let unknown = error.message().starts_with("unknown field");
        let removed = match error.span() {
            Some(span) if unknown && errors.len() < MAX_UNKNOWN_KEYS => {
                remove_key_at(document.get_mut(), span.start)
            }
            _ => false,
        };
        errors.push(error);
        if !removed {
            return Err(errors);
        }
    }
}

/// Take the key written at byte `at` out of `table` or any table inside it.
fn remove_key_at(table: &mut toml::de::DeTable<'_>, at: usize) -> bool {
    use toml::de::DeValue;
    if let Some(key) = table.keys().find(|k| k.span().start == at).cloned() {
        return table.remove(&key).is_some();
    }
    fn in_value(value: &mut DeValue<'_>, at: usize) -> bool {
        match value {
            DeValue::Table(inner) => remove_key_at(inner, at),
            DeValue::Array(items) => items.iter_mut().any(|item| in_value(item.get_mut(), at)),
            _ => false,
        }
    }
    table
        .iter_mut()
        .any(|(_, value)| in_value(value.get_mut(), at))
}

/// The path of `site.toml` inside a dossier root, relative to the root (for diagnostics).
pub const CONFIG_FILE: &str = "site.toml";

/// The name of the built-in theme.
pub const BUILTIN_THEME: &str = "briefing";

impl SiteConfig {
    /// Parse and validate `site.toml` text. Every problem found is returned.
    pub fn parse(text: &str) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = Path::new(CONFIG_FILE);
        let config: SiteConfig = parse_toml(path, text, 0..text.len(), "site.toml")?;
        let problems = config.validate(text);
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Checks serde cannot make: taxonomy names, the base URL.
    fn validate(&self, text: &str) -> Vec<Diagnostic> {
        let path = Path::new(CONFIG_FILE);
        let mut problems = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for taxonomy in &self.taxonomies {
            let name = taxonomy.name.get_ref().as_str();
            let at = Location::at_offset(path, text, taxonomy.name.span().start);
            if !is_valid_id(name) {
                problems.push(
                    Diagnostic::error(format!("invalid taxonomy name `{name}`"))
                        .at(at)
                        .hint(format!(
                            "names are lowercase letters, digits and `-`, e.g. `{}`",
                            suggest_id(name)
                        )),
                );
            } else if RESERVED_TAXONOMY_NAMES.contains(&name) {
                problems.push(
                    Diagnostic::error(format!(
                        "a taxonomy cannot be named `{name}`: that URL belongs to the site"
                    ))
                    .at(at)
                    .hint(format!(
                        "reserved names: {}",
                        RESERVED_TAXONOMY_NAMES.join(", ")
                    )),
                );
            } else if seen.contains(&name) {
                problems
                    .push(Diagnostic::error(format!("taxonomy `{name}` is declared twice")).at(at));
            }
            seen.push(name);
        }
        if !self.base_url.is_empty() && !crate::url::is_http(&self.base_url) {
            let offset = text.find("base_url").unwrap_or(0);
            problems.push(
                Diagnostic::error(format!("base_url `{}` is not an http(s) URL", self.base_url))
                    .at(Location::at_offset(path, text, offset))
                    .hint("write the full address the site is published at, e.g. `https://example.org/dossier`"),
            );
        }
        if let Some(problem) = self.output_dir_problem(text) {
            problems.push(problem);
        }
        if !is_plain_name(&self.theme) {
            problems.push(
                Diagnostic::error(format!(
                    "theme `{}` is not a folder name under themes/",
                    self.theme
                ))
                .at(Location::at_offset(path, text, key_offset(text, "theme")))
                .hint(format!(
                    "`theme` names a folder in the dossier's themes/ (no `/`, `\\` or `..`), or the built-in `{}`; copy the theme into themes/ to use it",
                    BUILTIN_THEME
                )),
            );
        }
        problems
    }

    /// `output_dir` must name a folder inside the dossier: a cloned dossier's site.toml must
    /// not make `build` replace a folder elsewhere on the reader's machine. (Links are
    /// resolved when building, where the filesystem is at hand.)
    fn output_dir_problem(&self, text: &str) -> Option<Diagnostic> {
        use std::path::Component;
        let dir = &self.output_dir;
        let mut depth = 0usize;
        let mut absolute = false;
        let mut escapes = false;
        for component in dir.components() {
            match component {
                Component::Prefix(_) | Component::RootDir => absolute = true,
                Component::CurDir => {}
                Component::ParentDir => match depth.checked_sub(1) {
                    Some(d) => depth = d,
                    None => escapes = true,
                },
                Component::Normal(_) => depth += 1,
            }
        }
        let message = if absolute {
            "is absolute"
        } else if escapes {
            "leads out of the dossier"
        } else if depth == 0 {
            "is the dossier root itself"
        } else {
            return None;
        };
        let offset = key_offset(text, "output_dir");
        Some(
            Diagnostic::error(format!(
                "output_dir `{}` {message}: building replaces that folder, so it must be one inside the dossier",
                dir.display()
            ))
            .at(Location::at_offset(Path::new(CONFIG_FILE), text, offset))
            .hint("write a folder relative to the dossier, e.g. `public`; to build elsewhere, pass --output DIR to `dossier build`"),
        )
    }

    /// Stand-in settings for when site.toml is broken, so the content can still be checked
    /// and every error reported in one run.
    pub fn fallback() -> SiteConfig {
        SiteConfig {
            title: String::new(),
            description: String::new(),
            base_url: String::new(),
            language: default_language(),
            theme: default_theme(),
            output_dir: default_output_dir(),
            markdown: MarkdownConfig::default(),
            taxonomies: Vec::new(),
            static_overrides: Vec::new(),
        }
    }

    /// The declared taxonomy called `name`, if any.
    pub fn taxonomy(&self, name: &str) -> Option<&TaxonomyConfig> {
        self.taxonomies.iter().find(|t| t.name.get_ref() == name)
    }

    /// `base_url` without a trailing slash.
    pub fn base_url_trimmed(&self) -> &str {
        self.base_url.trim_end_matches('/')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_key_is_found_under_its_header_or_dotted() {
        let text =
            "title = \"T\"\nraw_html_x = 1\n[markdown]\nraw_html_too = 2\n  raw_html = true\n";
        assert_eq!(
            &text[table_key_offset(text, "markdown", "raw_html")..],
            "raw_html = true\n"
        );
        let dotted = "title = \"T\"\nmarkdown.raw_html = true\n[other]\nraw_html = 1\n";
        assert_eq!(
            &dotted[table_key_offset(dotted, "markdown", "raw_html")..][..17],
            "markdown.raw_html"
        );
        // A top-level key is not looked for past the first table.
        assert_eq!(key_offset("[markdown]\ntheme = \"x\"\n", "theme"), 0);
        assert_eq!(key_offset("a = 1\ntheme = \"x\"\n", "theme"), 6);
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let config = SiteConfig::parse("title = \"T\"\n").expect("valid");
        assert_eq!(config.theme, "briefing");
        assert_eq!(config.output_dir, PathBuf::from("public"));
        assert_eq!(config.markdown.highlight_theme.get_ref(), "InspiredGitHub");
        assert!(!config.markdown.raw_html);
    }

    #[test]
    fn unknown_key_points_at_its_line() {
        let errors = SiteConfig::parse("title = \"T\"\n\ntheem = \"x\"\n").expect_err("invalid");
        let loc = errors[0].location.as_ref().expect("located");
        assert_eq!((loc.line, loc.col), (3, 1));
        assert!(
            errors[0].message.contains("unknown key `theem`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].hint.as_deref(), Some("did you mean `theme`?"));
    }

    #[test]
    fn every_unknown_key_is_reported_at_once() {
        let text = "title = \"T\"\ntheem = \"x\"\n[markdown]\nraw = true\n[[taxonomy]]\nname = \"people\"\n[[taxonomies]]\nname = \"issues\"\ntitel = \"Issues\"\n";
        let errors = SiteConfig::parse(text).expect_err("invalid");
        let found: Vec<(String, usize)> = errors
            .iter()
            .map(|e| {
                let line = e.location.as_ref().map_or(0, |l| l.line);
                (e.message.clone(), line)
            })
            .collect();
        let mut lines: Vec<usize> = found.iter().map(|f| f.1).collect();
        lines.sort();
        assert_eq!(lines, vec![2, 4, 5, 9], "{found:?}");
        assert!(
            errors
                .iter()
                .any(|e| e.hint.as_deref() == Some("did you mean `taxonomies`?")),
            "{found:?}"
        );
    }

    #[test]
    fn unknown_key_in_a_table_is_an_error_too() {
        let errors = SiteConfig::parse("title = \"T\"\n[markdown]\nraw = true\n").expect_err("bad");
        assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(3));
    }

    #[test]
    fn missing_title_points_at_line_one() {
        let errors = SiteConfig::parse("\n\ntheme = \"briefing\"\n").expect_err("invalid");
        assert!(
            errors[0].message.contains("missing key `title`"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(1));
    }

    #[test]
    fn output_dir_outside_the_dossier_points_at_its_line() {
        for (value, what) in [
            ("../Documents", "leads out of the dossier"),
            ("public/../../x", "leads out of the dossier"),
            ("/home/someone", "is absolute"),
            (".", "is the dossier root itself"),
            ("public/..", "is the dossier root itself"),
        ] {
            let text = format!("title = \"T\"\n\n  output_dir = \"{value}\"\n");
            let errors = SiteConfig::parse(&text).expect_err(value);
            let loc = errors[0].location.as_ref().expect("located");
            assert_eq!((loc.line, loc.col), (3, 3), "{value}");
            assert!(errors[0].message.contains(what), "{}", errors[0].message);
        }
        for value in ["public", "site/out", "a/../public", "./public"] {
            let text = format!("title = \"T\"\noutput_dir = \"{value}\"\n");
            assert!(SiteConfig::parse(&text).is_ok(), "{value}");
        }
    }

    #[test]
    fn theme_is_a_plain_folder_name() {
        for bad in ["../../x", "/etc", "a/b", "a\\b", "..", ".", ""] {
            let text = format!("title = \"T\"\n\ntheme = {bad:?}\n");
            let errors = SiteConfig::parse(&text).expect_err(bad);
            assert!(errors[0].message.contains("not a folder name"), "{bad}");
            assert_eq!(
                errors[0].location.as_ref().map(|l| l.line),
                Some(3),
                "{bad}"
            );
        }
        for good in ["briefing", "my-theme", "Theme_2"] {
            let text = format!("title = \"T\"\ntheme = {good:?}\n");
            assert!(SiteConfig::parse(&text).is_ok(), "{good}");
        }
    }

    #[test]
    fn reserved_and_duplicate_taxonomies_are_rejected() {
        let text = "title = \"T\"\n[[taxonomies]]\nname = \"sources\"\n[[taxonomies]]\nname = \"people\"\n[[taxonomies]]\nname = \"people\"\n";
        let errors = SiteConfig::parse(text).expect_err("invalid");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].location.as_ref().map(|l| l.line), Some(3));
        assert_eq!(errors[1].location.as_ref().map(|l| l.line), Some(7));
    }
}
