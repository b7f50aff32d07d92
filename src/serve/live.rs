//! Live reload: the events sent to open tabs over server-sent events, and the small script
//! injected into served pages (never into `build` output) that reloads a tab when its page
//! changed and shows the build's errors over the page while the last good build is served.

use serde::Serialize;

/// The path of the event stream. `__dossier` cannot be a page of a dossier (ids start with a
/// letter or digit), so it cannot hide one.
pub const EVENTS_PATH: &str = "/__dossier/events";

/// What open tabs are told after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum LiveEvent {
    /// The site changed: tabs showing one of `paths` reload; `all` reloads every tab (a
    /// stylesheet changed, or the build recovered from errors).
    Reload {
        /// URL paths of the pages that changed (`/sources/x/`).
        paths: Vec<String>,
        /// Reload every tab.
        all: bool,
    },
    /// The build failed: show `text` over every tab.
    Errors {
        /// The diagnostics, as printed in the terminal.
        text: String,
    },
}

impl LiveEvent {
    /// The SSE event name.
    pub fn name(&self) -> &'static str {
        match self {
            LiveEvent::Reload { .. } => "reload",
            LiveEvent::Errors { .. } => "errors",
        }
    }

    /// The event as JSON, for the SSE `data` field.
    pub fn json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }

    /// The reload for a set of changed output files.
    pub fn reload_for(files: &[String], after_errors: bool) -> LiveEvent {
        let mut paths = Vec::new();
        let mut all = after_errors;
        for file in files {
            if let Some(page) = file.strip_suffix("index.html") {
                paths.push(format!("/{page}"));
            } else if file.ends_with(".html") {
                paths.push(format!("/{file}"));
            } else if file.ends_with(".xml") || file.ends_with(".txt") {
                // The feed, the sitemap, robots.txt: no page shows them.
            } else {
                // A stylesheet, script or image may be used by any page.
                all = true;
            }
        }
        LiveEvent::Reload { paths, all }
    }
}

/// The script injected before `</body>` of every served HTML page. It listens to the event
/// stream; the overlay is built with `textContent`, so diagnostics are never parsed as HTML.
const SCRIPT: &str = r#"<script data-dossier-live>
(() => {
  const here = location.pathname.replace(/index\.html$/, "");
  let overlay = null;
  const show = (text) => {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "dossier-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.96);color:#f5f5f5;padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      const title = document.createElement("p");
      title.style.cssText = "font:600 16px/1.4 system-ui,sans-serif;margin:0 0 1rem;color:#ff9b8f";
      title.textContent = "dossier: the last change broke the build. The page underneath is the last good build; fix the errors below and this tab reloads by itself.";
      const pre = document.createElement("pre");
      // Reset what a theme may set on <pre>: the overlay must read the same on any theme.
      pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;border:0;background:none;color:inherit;font:inherit;max-width:none;overflow:visible";
      overlay.append(title, pre);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  };
  const events = new EventSource("/__dossier/events");
  events.addEventListener("errors", (e) => show(JSON.parse(e.data).text));
  events.addEventListener("reload", (e) => {
    const change = JSON.parse(e.data);
    if (change.all || overlay || change.paths.includes(here)) location.reload();
  });
})();
</script>
"#;

/// `html` with the live-reload script added before `</body>` (or at the end).
pub fn inject(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + SCRIPT.len());
    match find_last(html, b"</body>") {
        Some(at) => {
            out.extend_from_slice(&html[..at]);
            out.extend_from_slice(SCRIPT.as_bytes());
            out.extend_from_slice(&html[at..]);
        }
        None => {
            out.extend_from_slice(html);
            out.extend_from_slice(SCRIPT.as_bytes());
        }
    }
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

/// A page to show when there is no good build to serve yet: the errors, and the script that
/// reloads it once they are fixed.
pub fn error_page(text: &str) -> Vec<u8> {
    let mut html = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>dossier: build failed</title></head>\n<body>\n<h1>The dossier does not build yet</h1>\n<pre>",
    );
    crate::html::escape_html(&mut html, text);
    html.push_str("</pre>\n</body>\n</html>\n");
    inject(html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_closing_body_tag() {
        let out =
            String::from_utf8(inject(b"<html><body><p>x</p></body></html>")).unwrap_or_default();
        assert!(
            out.starts_with("<html><body><p>x</p><script data-dossier-live>"),
            "{out}"
        );
        assert!(out.ends_with("</script>\n</body></html>"), "{out}");
    }

    #[test]
    fn reloads_name_pages_by_url_assets_reload_all_and_feeds_none() {
        let files = ["sources/a/index.html".to_string(), "404.html".to_string()];
        assert_eq!(
            LiveEvent::reload_for(&files, false),
            LiveEvent::Reload {
                paths: vec!["/sources/a/".into(), "/404.html".into()],
                all: false
            }
        );
        let files = ["atom.xml".to_string(), "sitemap.xml".to_string()];
        assert_eq!(
            LiveEvent::reload_for(&files, false),
            LiveEvent::Reload {
                paths: Vec::new(),
                all: false
            }
        );
        let files = ["style.css".to_string()];
        assert!(matches!(
            LiveEvent::reload_for(&files, false),
            LiveEvent::Reload { all: true, .. }
        ));
    }

    #[test]
    fn error_pages_escape_the_diagnostics() {
        let page = String::from_utf8(error_page("error: <script>")).unwrap_or_default();
        assert!(page.contains("error: &lt;script&gt;"));
    }

    #[test]
    fn events_are_single_line_json() {
        let e = LiveEvent::Errors {
            text: "a\nb".into(),
        };
        assert_eq!(e.json(), r#"{"type":"errors","text":"a\nb"}"#);
        assert!(!e.json().contains('\n'));
    }
}
