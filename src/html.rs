//! Escaping text for HTML written outside templates: element content and attribute values.
//! Control characters are dropped from content first, as everywhere text reaches a page.

/// Escape text for an HTML attribute value in double quotes.
pub fn escape_attr(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_href(&mut *out, text);
}

/// Escape text for HTML element content.
pub fn escape_html(out: &mut String, text: &str) {
    let text = crate::diagnostics::strip_controls(text);
    let _ = pulldown_cmark_escape::escape_html(&mut *out, &text);
}
