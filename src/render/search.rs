//! Full-text search from static files alone. Every source paragraph, summary, event and the
//! brief is a record; every word of two or more characters (as docs/search.md defines a word,
//! the same for the index and the search page) is indexed under its first two characters in a
//! small shard, so the search page fetches only the shards of the words it looks for, and
//! then only the chunks of records it shows. (Why not pagefind: see docs/search.md.)
//!
//! Files, under `search/`:
//! - `meta.json`: `{"version": 1, "records": N, "chunk": 256, "shards": ["7265", …]}`
//! - `s/KEY.json`: one shard: `{"terms": [words], "postings": [[record ids, as gaps], …]}`,
//!   its words sorted by code point, where KEY is the lowercase hex of the UTF-8 bytes of the
//!   words' first two characters
//! - `r/N.json`: records N×256 to N×256+255: `[[path, title, kind, label, text], …]`, where the
//!   text of a source paragraph is `null`: the search page reads it from the source's page, so
//!   the sources' text (most of a dossier) is not written a second time

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::char::is_combining_mark;

use crate::render::markdown::plain_text;
use crate::render::sink::OutputFile;
use crate::resolve::site::Site;
use crate::resolve::timeline::EntryKind;
use crate::url::paths;

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

/// The words of a text as the index knows them, and as the search page (`search.js`) reads a
/// query: both sides follow one definition, in docs/search.md, tested on both sides with the
/// rows of tests/fixtures/search-words.json. The text is put in Unicode's NFC form; a word is a
/// maximal run of letters (the Alphabetic property), marks (General Category M) and numbers (N);
/// it is folded by [`fold_word`]; words of fewer than two characters are left out. `f` receives
/// each, in a buffer it must not keep. ASCII, most of any text, is handled byte by byte.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str)) {
    let text = crate::slug::nfc(text);
    let mut word = String::with_capacity(32);
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut ascii = true;
    let mut i = 0;
    while i < bytes.len() {
        let (inside, len) = if bytes[i] < 0x80 {
            (bytes[i].is_ascii_alphanumeric(), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            ascii = false;
            (is_word_char(c), c.len_utf8())
        };
        if !inside {
            emit(&text[start..i], ascii, &mut word, &mut f);
            start = i + len;
            ascii = true;
        }
        i += len;
    }
    emit(&text[start..], ascii, &mut word, &mut f);
}

/// Whether a character belongs to a word: a letter, a mark or a number.
fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || is_combining_mark(c)
}

/// Folds one run of word characters into `word` and hands it to `f` if it is two characters or
/// longer.
fn emit(run: &str, ascii: bool, word: &mut String, f: &mut impl FnMut(&str)) {
    if run.is_empty() {
        return;
    }
    word.clear();
    let chars = if ascii {
        word.extend(run.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        run.len()
    } else {
        fold_word(run, word);
        word.chars().count()
    };
    if chars >= 2 {
        f(word);
    }
}

/// The folded form of a word, appended to `out`: lowercase (Unicode's full mappings, as
/// JavaScript's `toLowerCase` has them), then `ς` → `σ`, `ß` → `ss`, `ı` → `i`, and `i`
/// followed by U+0307 (what `İ` lowercases to) → `i`. Mapping each character by itself gives
/// what lowercasing the whole word gives but for the final sigma, which is folded anyway.
pub fn fold_word(word: &str, out: &mut String) {
    let mut lower = word.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = lower.next() {
        match c {
            'ς' => out.push('σ'),
            'ß' => out.push_str("ss"),
            'ı' => out.push('i'),
            'i' => {
                out.push('i');
                lower.next_if_eq(&'\u{307}');
            }
            c => out.push(c),
        }
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

/// The order of a shard's terms: by code point, which is the order of their UTF-8 bytes. The
/// search page compares by code point too (not by UTF-16 unit, JavaScript's `<`), or its binary
/// search would miss words that mix characters above U+FFFF with those from U+E000 to U+FFFF.
pub fn term_order(a: &str, b: &str) -> std::cmp::Ordering {
    a.cmp(b)
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
            terms.sort_unstable_by(|a, b| term_order(a.0, b.0));
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

    /// The table both sides are tested on: the browser check runs the search page's tokenizer
    /// over the same rows (tests/browser/search.mjs).
    fn table() -> serde_json::Value {
        let text = include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/search-words.json"
        ));
        serde_json::from_str(text).unwrap_or_default()
    }

    fn strings(value: &serde_json::Value) -> Vec<String> {
        value
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| Some(v.as_str()?.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn words_are_the_shared_tables_words() {
        let table = table();
        let rows = table["rows"].as_array().cloned().unwrap_or_default();
        assert!(rows.len() >= 20, "the table is read: {} rows", rows.len());
        let wrong: Vec<String> = rows
            .iter()
            .filter_map(|row| {
                let input = row["input"].as_str().unwrap_or_default();
                let (got, want) = (words(input), strings(&row["words"]));
                (got != want).then(|| format!("{input:?}: got {got:?}, want {want:?}"))
            })
            .collect();
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn words_are_folded_once_and_for_all() {
        // Folding a folded word changes nothing, so a query and the index meet however often
        // either was folded.
        for row in table()["rows"].as_array().cloned().unwrap_or_default() {
            for word in strings(&row["words"]) {
                assert_eq!(words(&word), vec![word.clone()]);
            }
        }
    }

    #[test]
    fn shard_terms_are_in_code_point_order() {
        // The order the search page's binary search assumes: by code point, not by UTF-16 unit
        // (in UTF-16 `ab𝐳` would sort before `abｚｚ`).
        let order = strings(&table()["order"]);
        assert!(order.len() >= 5);
        let mut sorted: Vec<&str> = order.iter().rev().map(String::as_str).collect();
        sorted.sort_unstable_by(|a, b| term_order(a, b));
        assert_eq!(sorted, order);
        let utf16 = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        assert!(utf16("ab𝐳") < utf16("abｚｚ") && term_order("abｚｚ", "ab𝐳").is_lt());

        let records: Vec<Record<'_>> = order
            .iter()
            .map(|t| Record {
                path: "p".into(),
                title: "",
                kind: "source",
                label: String::new(),
                text: t.as_str().into(),
            })
            .collect();
        let files = index_files(&records);
        let shard = files
            .iter()
            .find(|f| f.path == format!("search/s/{}.json", shard_key("ab")))
            .expect("the `ab` shard");
        let shard: serde_json::Value = serde_json::from_slice(&shard.contents).unwrap_or_default();
        assert_eq!(strings(&shard["terms"]), order);
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
