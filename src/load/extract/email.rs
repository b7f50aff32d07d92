//! E-mails (RFC 5322 + MIME, parsed by mail-parser): the text is the message's body parts in
//! order, `text/plain` preferred over its HTML alternative, an HTML-only part through the web
//! page extractor; transfer encodings and charsets decoded. Headers go to the metadata panel,
//! attachments are listed (name, type, size, sha256), not extracted.

use mail_parser::{MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use super::{Attachment, ExtractError, Extracted, Found, collapse_whitespace};

/// Extract a message.
pub fn extract(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let message = MessageParser::default()
        .parse(bytes)
        .filter(|m| m.headers().iter().any(|h| !h.name().is_empty()))
        .ok_or_else(|| {
            ExtractError("this is not an e-mail message (no RFC 5322 headers)".into())
        })?;
    let mut paragraphs: Vec<String> = Vec::new();
    for part in message.text_bodies() {
        match &part.body {
            PartType::Text(text) => paragraphs.extend(plain_paragraphs(text)),
            PartType::Html(html) => paragraphs.extend(super::html::paragraphs(
                &scraper::Html::parse_document(html),
            )),
            _ => {}
        }
    }
    let mut text = paragraphs.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    let addresses = |list: Option<&mail_parser::Address<'_>>| -> Option<String> {
        let shown: Vec<String> = list?
            .iter()
            .map(|a| match (a.name(), a.address()) {
                (Some(name), Some(address)) => format!("{} <{address}>", collapse_whitespace(name)),
                (Some(name), None) => collapse_whitespace(name),
                (None, Some(address)) => address.to_string(),
                (None, None) => String::new(),
            })
            .filter(|a| !a.is_empty())
            .collect();
        (!shown.is_empty()).then(|| shown.join(", "))
    };
    let raw = |name: &str| {
        message
            .header_raw(name)
            .map(collapse_whitespace)
            .filter(|v| !v.is_empty())
    };
    let headers = [
        ("From", addresses(message.from())),
        ("To", addresses(message.to())),
        ("Cc", addresses(message.cc())),
        ("Date", raw("Date")),
        ("Subject", message.subject().map(collapse_whitespace)),
        ("Message-ID", raw("Message-ID")),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name.to_string(), value?)))
    .collect();
    let from = message
        .from()
        .and_then(|a| a.first())
        .map(|a| match (a.name(), a.address()) {
            (Some(name), _) => collapse_whitespace(name),
            (None, Some(address)) => address.to_string(),
            (None, None) => String::new(),
        });
    let published = message
        .date()
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
    let attachments = message
        .attachments()
        .enumerate()
        .map(|(i, part)| Attachment {
            name: part
                .attachment_name()
                .map(str::to_string)
                .unwrap_or_else(|| format!("attachment-{}", i + 1)),
            media_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".into())
                .to_ascii_lowercase(),
            size: part.contents().len() as u64,
            sha256: crate::load::content::load::hex(&Sha256::digest(part.contents())),
        })
        .collect();
    Ok(Extracted {
        text,
        pages: None,
        found: Found {
            title: message
                .subject()
                .map(collapse_whitespace)
                .filter(|s| !s.is_empty()),
            author: from.filter(|f| !f.is_empty()),
            published,
            publisher: None,
        },
        headers,
        attachments,
    })
}

/// A `text/plain` body as paragraphs: blank lines separate them, and the lines of one are
/// joined with a space (mail is hard-wrapped); a block of `>` lines is one quotation, a block
/// with bullet lines keeps its lines.
fn plain_paragraphs(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.trim().is_empty())
            .collect();
        if lines.is_empty() {
            continue;
        }
        let bullet = |l: &str| {
            let t = l.trim_start();
            ["• ", "- ", "* "].iter().any(|b| t.starts_with(b))
        };
        if lines.iter().all(|l| l.starts_with('>')) {
            let joined = lines
                .iter()
                .map(|l| l.trim_start_matches('>').trim())
                .collect::<Vec<_>>()
                .join(" ");
            let joined = collapse_whitespace(&joined);
            if !joined.is_empty() {
                out.push(format!("> {joined}"));
            }
        } else if lines.iter().any(|l| bullet(l)) {
            out.extend(lines.iter().map(|l| collapse_whitespace(l)));
        } else {
            out.push(collapse_whitespace(&lines.join(" ")));
        }
    }
    out
}
