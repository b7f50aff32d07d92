//! Full-text search from static files alone. Every source paragraph, summary, event and the
//! brief is a record; every word of two or more letters is indexed under its first two letters
//! in a small shard, so the search page fetches only the shards of the words it looks for, and
//! then only the chunks of records it shows. (Why not pagefind: see docs/search.md.)
//!
//! Files, under `search/`:
//! - `meta.json`: `{"version": 1, "records": N, "chunk": 256, "shards": ["7265", …]}`
//! - `s/KEY.json`: one shard: `{"terms": [sorted words], "postings": [[record ids, as gaps], …]}`
//!   where KEY is the lowercase hex of the UTF-8 bytes of the words' first two letters
//! - `r/N.json`: records N×256 to N×256+255: `[[path, title, kind, label, text], …]`, where the
//!   text of a source paragraph is `null`: the search page reads it from the source's page, so
//!   the sources' text (most of a dossier) is not written a second time

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::markdown::plain_text;
use crate::output::OutputFile;
use crate::site::Site;
use crate::timeline::EntryKind;
use crate::view::paths;

/// Records per file of the record store.
pub const CHUNK: usize = 256;

/// The folder of the search files in the output.
pub const FOLDER: &str = "search";

/// Whether an output path is one of the index files (the search page itself, `search/index.html`,
/// shares their folder but is not one).
pub fn is_index_file(path: &str) -> bool {
    path.strip_prefix(FOLDER)
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|rest| rest == "meta.json" || rest.starts_with("s/") || rest.starts_with("r/"))
}

/// One searchable thing. It borrows what it can from the site: the paragraphs of ten thousand
/// sources are tens of megabytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record<'a> {
    /// Root-relative path, with `#pN` for a paragraph.
    pub path: String,
    /// Title shown in results.
    pub title: &'a str,
    /// `source`, `summary`, `event` or `brief`.
    pub kind: &'static str,
    /// Where in it: `¶4` for a paragraph, the date for an event, empty otherwise.
    pub label: String,
    /// The text to search and to take excerpts from.
    pub text: Cow<'a, str>,
}

/// Every record of the site, in a fixed order: the brief, summaries, events, then the
/// sources' paragraphs.
pub fn records(site: &Site) -> Vec<Record<'_>> {
    let d = &site.dossier;
    let mut records = vec![Record {
        path: paths::HOME.into(),
        title: &d.index.meta.title,
        kind: "brief",
        label: String::new(),
        text: plain_text(d.index.body().text).into(),
    }];
    records.extend(d.summaries.iter().map(|p| {
        Record {
            path: paths::summary(&p.slug),
            title: &p.meta.title,
            kind: "summary",
            label: String::new(),
            text: format!(
                "{}\n{}",
                p.meta.description.as_deref().unwrap_or(""),
                plain_text(p.body().text)
            )
            .trim()
            .to_string()
            .into(),
        }
    }));
    records.extend(site.timeline.entries.iter().filter_map(|e| match e.kind {
        EntryKind::Event(i) => {
            let p = &d.events[i];
            Some(Record {
                path: paths::event(&p.slug),
                title: &p.meta.title,
                kind: "event",
                label: e.date.display(e.precision),
                text: plain_text(p.body().text).into(),
            })
        }
        EntryKind::Publication(_) => None,
    }));
    let paragraphs: Vec<Vec<Record>> = d
        .sources
        .par_iter()
        .map(|s| {
            s.paragraphs
                .iter()
                .enumerate()
                .map(|(n, p)| Record {
                    path: format!("{}#p{}", paths::source(&s.id), n + 1),
                    title: &s.meta.title,
                    kind: "source",
                    label: format!("¶{}", n + 1),
                    text: Cow::Borrowed(p.text.as_str()),
                })
                .collect()
        })
        .collect();
    records.extend(paragraphs.into_iter().flatten());
    records
}

/// The words of a text as the index knows them: lowercase runs of letters and digits, two
/// characters or more. `f` receives each, in a buffer it must not keep. ASCII, most of any
/// text, is handled byte by byte; other characters go through Unicode's rules.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let mut word = String::with_capacity(32);
    let mut chars = 0usize;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = if bytes[i] < 0x80 {
            char::from(bytes[i])
        } else {
            text[i..].chars().next().unwrap_or(' ')
        };
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
            chars += 1;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            word.extend(c.to_lowercase());
            chars += 1;
        } else {
            if chars >= 2 {
                f(&word);
            }
            word.clear();
            chars = 0;
        }
        i += c.len_utf8();
    }
    if chars >= 2 {
        f(&word);
    }
}

/// The shard a word belongs to: the lowercase hex of the UTF-8 bytes of its first two letters.
pub fn shard_key(word: &str) -> String {
    let end = word.char_indices().nth(2).map_or(word.len(), |(i, _)| i);
    word.as_bytes()[..end]
        .iter()
        .fold(String::new(), |mut key, b| {
            let _ = write!(key, "{b:02x}");
            key
        })
}

/// Word → ascending ids of the records holding it. (ahash: this map sees every word of every
/// source, and SipHash's resistance to crafted keys buys nothing here.)
type Postings = ahash::AHashMap<String, Vec<u32>>;

fn index_chunk(
    records: &[Record<'_>],
    first: u32,
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Postings> {
    let mut postings = Postings::new();
    for (offset, record) in records.iter().enumerate() {
        if offset % 256 == 0 && stop() {
            return None;
        }
        let id = first + offset as u32;
        let mut add = |word: &str| match postings.get_mut(word) {
            Some(ids) => {
                if ids.last() != Some(&id) {
                    ids.push(id);
                }
            }
            None => {
                postings.insert(word.to_string(), vec![id]);
            }
        };
        for_each_word(record.title, &mut add);
        for_each_word(&record.text, &mut add);
    }
    Some(postings)
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    records: usize,
    chunk: usize,
    shards: &'a [String],
}

#[derive(Serialize)]
struct Shard<'a> {
    terms: Vec<&'a str>,
    postings: Vec<Vec<u32>>,
}

/// The search files for `records`.
pub fn index_files(records: &[Record<'_>]) -> Vec<OutputFile> {
    index_files_unless(records, &|| false).unwrap_or_default()
}

/// The index files, or `None` as soon as `stop` says to give up (checked every few hundred
/// records): `serve` drops a refresh when a file changes meanwhile.
pub fn index_files_unless(
    records: &[Record<'_>],
    stop: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<OutputFile>> {
    // Index slices in parallel; merging them in order keeps every posting list ascending.
    let slice = records
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 4)
        .max(1);
    let partial: Vec<Postings> = records
        .par_chunks(slice)
        .enumerate()
        .map(|(n, chunk)| index_chunk(chunk, (n * slice) as u32, stop))
        .collect::<Option<_>>()?;
    if stop() {
        return None;
    }
    let mut postings = Postings::new();
    for part in partial {
        for (word, ids) in part {
            postings.entry(word).or_default().extend(ids);
        }
    }
    let mut shards: BTreeMap<String, Vec<(&str, &Vec<u32>)>> = BTreeMap::new();
    for (word, ids) in &postings {
        shards
            .entry(shard_key(word))
            .or_default()
            .push((word.as_str(), ids));
    }
    let keys: Vec<String> = shards.keys().cloned().collect();
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(key, mut terms)| {
            terms.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let shard = Shard {
                terms: terms.iter().map(|(t, _)| *t).collect(),
                // Gaps between ids are small numbers: a third of the bytes of the ids.
                postings: terms
                    .iter()
                    .map(|(_, ids)| {
                        let mut last = 0;
                        ids.iter()
                            .map(|&id| {
                                let gap = id - last;
                                last = id;
                                gap
                            })
                            .collect()
                    })
                    .collect(),
            };
            OutputFile {
                path: format!("{FOLDER}/s/{key}.json"),
                contents: json(&shard),
            }
        })
        .collect();
    files.par_extend(records.par_chunks(CHUNK).enumerate().map(|(n, chunk)| {
        let rows: Vec<(&str, &str, &str, &str, Option<&str>)> = chunk
            .iter()
            .map(|r| {
                let text = (r.kind != "source").then_some(r.text.as_ref());
                (r.path.as_str(), r.title, r.kind, r.label.as_str(), text)
            })
            .collect();
        OutputFile {
            path: format!("{FOLDER}/r/{n}.json"),
            contents: json(&rows),
        }
    }));
    let meta = Meta {
        version: 1,
        records: records.len(),
        chunk: CHUNK,
        shards: &keys,
    };
    files.push(OutputFile {
        path: format!("{FOLDER}/meta.json"),
        contents: json(&meta),
    });
    Some(files)
}

fn json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        for_each_word(text, |w| out.push(w.to_string()));
        out
    }

    #[test]
    fn words_are_lowercase_runs_of_two_or_more() {
        assert_eq!(
            words("Zuckerberg's 50% cost, “Llama 3.1” — Évian"),
            vec!["zuckerberg", "50", "cost", "llama", "évian"]
        );
    }

    #[test]
    fn the_search_page_is_not_an_index_file() {
        assert!(
            is_index_file("search/meta.json")
                && is_index_file("search/s/7265.json")
                && is_index_file("search/r/0.json")
        );
        assert!(!is_index_file("search/index.html") && !is_index_file("searching/s/x.json"));
    }

    #[test]
    fn shard_keys_are_the_hex_of_the_first_two_letters() {
        assert_eq!(shard_key("recruiting"), "7265");
        assert_eq!(shard_key("50"), "3530");
        assert_eq!(shard_key("évian"), "c3a976");
    }

    #[test]
    fn postings_are_ascending_gaps_and_records_are_chunked() {
        let record = |text: &'static str| Record {
            path: "p".into(),
            title: "T",
            kind: "source",
            label: String::new(),
            text: text.into(),
        };
        let records: Vec<Record<'_>> = (0..300)
            .map(|i| {
                record(if i % 2 == 0 {
                    "recruit people"
                } else {
                    "recruiting"
                })
            })
            .collect();
        let files = index_files(&records);
        let shard = files
            .iter()
            .find(|f| f.path == "search/s/7265.json")
            .expect("the `re` shard");
        let text = String::from_utf8(shard.contents.clone()).unwrap_or_default();
        assert!(
            text.starts_with("{\"terms\":[\"recruit\",\"recruiting\"],\"postings\":[[0,2,2,"),
            "{text}"
        );
        assert!(files.iter().any(|f| f.path == "search/r/1.json"));
        assert!(!files.iter().any(|f| f.path == "search/r/2.json"));
        let meta = files
            .iter()
            .find(|f| f.path == "search/meta.json")
            .expect("meta");
        assert!(String::from_utf8_lossy(&meta.contents).contains("\"records\":300"));

        // Told to stop, it gives up; never told, it is the index above.
        assert!(index_files_unless(&records, &|| true).is_none());
        let whole = index_files_unless(&records, &|| false).expect("not stopped");
        assert!(
            whole
                .iter()
                .map(|f| &f.contents)
                .eq(files.iter().map(|f| &f.contents))
        );
    }
}
