//! Code highlighting with syntect. The syntax and theme sets are loaded once per process, and
//! only when first needed (most dossiers have no code). Output uses CSS classes, so colours live
//! in one stylesheet generated from the configured theme.

use std::sync::OnceLock;

use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::util::LinesWithEndings;

use crate::load::code_blocks::{MAX_HIGHLIGHTED_BYTES, syntaxes};

/// Class prefix, so highlighting classes cannot clash with the theme's.
const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// Where the generated stylesheet is written in the output.
pub const STYLESHEET_PATH: &str = "highlight.css";

fn themes() -> &'static ThemeSet {
    static SET: OnceLock<ThemeSet> = OnceLock::new();
    SET.get_or_init(ThemeSet::load_defaults)
}

/// Names of the highlighting themes available, sorted.
pub fn theme_names() -> Vec<&'static str> {
    themes().themes.keys().map(String::as_str).collect()
}

/// The stylesheet for `theme`, or `None` if there is no such theme.
pub fn stylesheet(theme: &str) -> Option<String> {
    let theme = themes().themes.get(theme)?;
    css_for_theme_with_class_style(theme, CLASS_STYLE).ok()
}

/// A code block as HTML. `lang` is the fence's info word; an unknown or missing language, or
/// a block larger than `MAX_HIGHLIGHTED_BYTES`, is shown as plain, escaped text.
pub fn code_block(code: &str, lang: Option<&str>) -> String {
    let mut html = String::with_capacity(code.len() * 2);
    let syntax = lang
        .filter(|_| code.len() <= MAX_HIGHLIGHTED_BYTES)
        .and_then(|l| syntaxes().find_syntax_by_token(l));
    let Some(syntax) = syntax else {
        html.push_str("<pre><code>");
        crate::html::escape_html(&mut html, code);
        html.push_str("</code></pre>\n");
        return html;
    };
    let mut generator = ClassedHTMLGenerator::new_with_class_style(syntax, syntaxes(), CLASS_STYLE);
    for line in LinesWithEndings::from(code) {
        if generator
            .parse_html_for_line_which_includes_newline(line)
            .is_err()
        {
            // syntect gave up on this code; plain text is better than a failed build.
            html.clear();
            html.push_str("<pre><code>");
            crate::html::escape_html(&mut html, code);
            html.push_str("</code></pre>\n");
            return html;
        }
    }
    let lang_class = lang.map(crate::slug::slugify).unwrap_or_default();
    html.push_str(&format!(
        "<pre class=\"highlight\"><code class=\"language-{lang_class}\">"
    ));
    html.push_str(&generator.finalize());
    html.push_str("</code></pre>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::code_blocks::size_problem;

    #[test]
    fn known_languages_get_classes_and_unknown_ones_are_escaped() {
        let html = code_block("fn main() {}\n", Some("rust"));
        assert!(html.contains("hl-"), "{html}");
        let html = code_block("<b>\n", Some("no-such-language"));
        assert_eq!(html, "<pre><code>&lt;b&gt;\n</code></pre>\n");
    }

    #[test]
    fn blocks_over_the_limit_are_plain_text_with_a_warning() {
        let line = "let x = \"<b>\"; // a line of Rust\n";
        let code = line.repeat(MAX_HIGHLIGHTED_BYTES / line.len() + 1);
        let html = code_block(&code, Some("rust"));
        assert!(
            html.starts_with("<pre><code>let x = &quot;&lt;b&gt;")
                || html.starts_with("<pre><code>let x = \"&lt;b&gt;"),
            "{}",
            &html[..80]
        );
        assert!(!html.contains("hl-"));
        let warning = size_problem(code.len(), Some("rust")).expect("warned");
        assert!(
            warning.message.contains("not highlighted"),
            "{}",
            warning.message
        );
        assert!(size_problem(code.len(), Some("no-such-language")).is_none());
        assert!(size_problem(line.len(), Some("rust")).is_none());
        assert!(code_block(line, Some("rust")).contains("hl-"));
    }

    #[test]
    fn the_default_theme_has_a_stylesheet() {
        assert!(stylesheet("InspiredGitHub").is_some_and(|css| css.contains(".hl-")));
        assert!(stylesheet("Nope").is_none());
    }
}
