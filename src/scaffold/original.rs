//! `add-source` for originals (issue 14): a web page, PDF or e-mail is copied byte for byte to
//! `content/sources/ID.<ext>`, its text extracted once into `ID.txt`, and the sidecar records
//! both sha256s, the extractor and the metadata the document carries (flags win).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{
    AddedSource, NewSource, ScaffoldError, basic_string, origin_name, refuse_existing, refused,
    sidecar_text,
};
use crate::fsutil;
use crate::load::content::load::hex;
use crate::load::extract::{self, Extracted, Format};

/// File `bytes`, read from `source.file`, as an original of `format`.
pub(super) fn add_original(
    root: &Path,
    source: &NewSource,
    format: Format,
    bytes: &[u8],
) -> Result<AddedSource, ScaffoldError> {
    let shown = source.file.display();
    let extracted =
        extract::extract(format, bytes).map_err(|e| refused(format!("`{shown}`: {e}")))?;
    let mut filled = Vec::new();
    let mut completed = source.clone();
    let found = &extracted.found;
    if completed.title.is_empty() {
        match &found.title {
            Some(title) => {
                completed.title = title.clone();
                filled.push(("title", title.clone()));
            }
            None => {
                return Err(refused(format!(
                    "`{shown}` carries no title: give one with --title"
                )));
            }
        }
    }
    for (key, value, slot) in [
        ("author", &found.author, &mut completed.author),
        ("publisher", &found.publisher, &mut completed.publisher),
    ] {
        if slot.is_none()
            && let Some(value) = value
        {
            *slot = Some(value.clone());
            filled.push((key, value.clone()));
        }
    }
    if completed.published.is_none()
        && let Some(day) = &found.published
        && let Ok((date, precision)) = super::parse_published(day)
    {
        completed.published = Some(date);
        completed.date_precision = precision;
        filled.push(("published", day.clone()));
    }
    let id = super::choose_id(&completed.id, &completed.title)?;
    let ext = match format {
        Format::Html => source
            .file
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .filter(|e| e == "htm")
            .unwrap_or_else(|| "html".into()),
        Format::Pdf => "pdf".into(),
        Format::Email => "eml".into(),
    };
    let sources = Path::new("content").join("sources");
    let original_name = format!("{id}.{ext}");
    let original_rel = sources.join(&original_name);
    let text_rel = sources.join(format!("{id}.txt"));
    let sidecar_rel = sources.join(format!("{id}.toml"));
    refuse_existing(root, &id, &[&text_rel, &sidecar_rel, &original_rel])?;
    let origin = origin_name(source);
    let mut sidecar = sidecar_text(
        &completed,
        origin.as_deref(),
        &hex(&Sha256::digest(extracted.text.as_bytes())),
        false,
    );
    sidecar.push_str(&original_table(
        &original_name,
        format,
        &hex(&Sha256::digest(bytes)),
        &extracted,
    ));
    let mut warnings = Vec::new();
    if let Some(url) = &completed.url
        && !crate::url::is_http(url)
    {
        warnings.push(format!(
            "--url `{url}` is not an http(s) address: it will be shown as text, never as a link"
        ));
    }
    fsutil::create_dir_all(&root.join(&sources))?;
    fsutil::write(&root.join(&original_rel), bytes)?;
    fsutil::write(&root.join(&text_rel), extracted.text.as_bytes())?;
    fsutil::write(&root.join(&sidecar_rel), sidecar.as_bytes())?;
    Ok(AddedSource {
        id,
        text: text_rel,
        sidecar: sidecar_rel,
        blocks: false,
        warnings,
        original: Some(AddedOriginal {
            path: original_rel,
            format,
            pages: extracted.pages,
            paragraphs: extracted
                .text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count(),
            filled,
            attachments: extracted.attachments.len(),
        }),
    })
}

/// What `add-source` did with an original, for its report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedOriginal {
    /// The copy of the original, relative to the root.
    pub path: PathBuf,
    /// What it is.
    pub format: Format,
    /// A PDF's pages.
    pub pages: Option<u32>,
    /// Paragraphs in the derived text.
    pub paragraphs: usize,
    /// Sidecar fields filled from the document: (key, value).
    pub filled: Vec<(&'static str, String)>,
    /// An e-mail's attachments listed.
    pub attachments: usize,
}

/// The sidecar's `[original]` table.
pub fn original_table(file: &str, format: Format, sha256: &str, extracted: &Extracted) -> String {
    let q = |s: &str| basic_string(s);
    let mut out = format!(
        "\n[original]\nfile = {}\nmedia_type = \"{}\"\nsha256 = \"{sha256}\"\nextractor = {}\n",
        q(file),
        format.media_type(),
        q(&format.extractor())
    );
    if let Some(pages) = extracted.pages {
        out.push_str(&format!("pages = {pages}\n"));
    }
    if !extracted.headers.is_empty() {
        let pairs: Vec<String> = extracted
            .headers
            .iter()
            .map(|(k, v)| format!("[{}, {}]", q(k), q(v)))
            .collect();
        out.push_str(&format!("headers = [\n  {},\n]\n", pairs.join(",\n  ")));
    }
    for a in &extracted.attachments {
        out.push_str(&format!(
            "\n[[original.attachments]]\nname = {}\nmedia_type = {}\nsize = {}\nsha256 = \"{}\"\n",
            q(&a.name),
            q(&a.media_type),
            a.size,
            a.sha256
        ));
    }
    out
}
