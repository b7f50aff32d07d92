//! Taxonomies: the terms that sources, summaries and events are tagged with, checked against
//! the declarations in site.toml, and the members of each term.

use std::borrow::Cow;
use std::collections::hash_map::Entry;

use ahash::AHashMap;

use crate::diagnostics::{Diagnostic, Location, nearest};
use crate::load::content::{Dossier, TermRef};
use crate::slug::{nfc, slugify};

/// A declared taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Its name and URL segment, e.g. `arguments`.
    pub name: String,
    /// Shown to readers, e.g. "Arguments".
    pub title: String,
    /// Terms, sorted by slug.
    pub terms: Vec<Term>,
}

/// One term and what carries it.
#[derive(Debug, Clone, Default)]
pub struct Term {
    /// As first written.
    pub name: String,
    /// URL segment.
    pub slug: String,
    /// Sources tagged with it (indices, ascending).
    pub sources: Vec<usize>,
    /// Summaries tagged with it.
    pub summaries: Vec<usize>,
    /// Events tagged with it.
    pub events: Vec<usize>,
}

/// What a spelling of a term comes to.
#[derive(Clone, Copy)]
enum Spelling {
    /// The term at this index.
    Term(usize),
    /// Nothing to make a URL from.
    NoSlug,
    /// Another spelling, at this index, has the same URL.
    Clash(usize),
}

/// What carries a term.
#[derive(Clone, Copy)]
enum Member {
    Source(usize),
    Summary(usize),
    Event(usize),
}

/// Collect every taxonomy's terms. Undeclared taxonomies, terms without letters or digits,
/// and two spellings with one slug are errors at the term.
pub fn build_taxonomies(dossier: &Dossier) -> (Vec<Taxonomy>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let declared: Vec<&str> = dossier
        .config
        .taxonomies
        .iter()
        .map(|t| t.name.get_ref().as_str())
        .collect();
    let mut terms: Vec<Vec<Term>> = vec![Vec::new(); declared.len()];
    // A term recurs on many documents: each spelling is slugged and looked up once, here.
    // Spellings are compared in NFC: one word typed precomposed or with combining accents is
    // one spelling, not two that clash.
    let mut spellings: Vec<AHashMap<Cow<'_, str>, Spelling>> =
        vec![AHashMap::new(); declared.len()];
    let mut slugs: Vec<AHashMap<String, usize>> = vec![AHashMap::new(); declared.len()];

    let tagged = dossier
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            (
                Member::Source(i),
                &s.meta.terms,
                s.sidecar_path.as_path(),
                s.sidecar_text.as_str(),
            )
        })
        .chain(dossier.summaries.iter().enumerate().map(|(i, p)| {
            (
                Member::Summary(i),
                &p.meta.terms,
                p.path.as_path(),
                p.text.as_str(),
            )
        }))
        .chain(dossier.events.iter().enumerate().map(|(i, p)| {
            (
                Member::Event(i),
                &p.meta.terms,
                p.path.as_path(),
                p.text.as_str(),
            )
        }));

    for (member, refs, path, text) in tagged {
        for TermRef {
            taxonomy,
            term,
            offset,
        } in refs
        {
            let at = || Location::at_offset(path, text, *offset);
            let Some(t) = declared.iter().position(|d| d == taxonomy) else {
                let hint = match nearest(taxonomy, declared.iter().copied()) {
                    Some(near) => format!(
                        "did you mean `{near}`? Otherwise declare it in site.toml: [[taxonomies]] name = \"{taxonomy}\""
                    ),
                    None => {
                        format!("declare it in site.toml: [[taxonomies]] name = \"{taxonomy}\"")
                    }
                };
                problems.push(
                    Diagnostic::error(format!(
                        "taxonomy `{taxonomy}` is not declared in site.toml"
                    ))
                    .at(at())
                    .hint(hint),
                );
                continue;
            };
            let spelling = match spellings[t].entry(nfc(term)) {
                Entry::Occupied(known) => *known.get(),
                Entry::Vacant(new) => {
                    let name = new.key().to_string();
                    *new.insert({
                        let slug = slugify(&name);
                        if slug.is_empty() {
                            Spelling::NoSlug
                        } else {
                            match slugs[t].entry(slug) {
                                Entry::Occupied(first) => Spelling::Clash(*first.get()),
                                Entry::Vacant(free) => {
                                    terms[t].push(Term {
                                        name,
                                        slug: free.key().clone(),
                                        ..Term::default()
                                    });
                                    free.insert(terms[t].len() - 1);
                                    Spelling::Term(terms[t].len() - 1)
                                }
                            }
                        }
                    })
                }
            };
            let entry = match spelling {
                Spelling::Term(k) => &mut terms[t][k],
                Spelling::NoSlug => {
                    problems.push(
                        Diagnostic::error(format!(
                            "term `{term}` has no letters or digits to make a URL from"
                        ))
                        .at(at()),
                    );
                    continue;
                }
                Spelling::Clash(k) => {
                    let first = &terms[t][k];
                    problems.push(
                        Diagnostic::error(format!(
                            "term `{term}` and term `{}` of taxonomy `{taxonomy}` share the URL `{}`",
                            first.name, first.slug
                        ))
                        .at(at())
                        .hint(format!(
                            "spell the term the same way everywhere, e.g. `{}`",
                            first.name
                        )),
                    );
                    continue;
                }
            };
            let (list, index) = match member {
                Member::Source(i) => (&mut entry.sources, i),
                Member::Summary(i) => (&mut entry.summaries, i),
                Member::Event(i) => (&mut entry.events, i),
            };
            if list.last() != Some(&index) {
                list.push(index);
            }
        }
    }

    let taxonomies = dossier
        .config
        .taxonomies
        .iter()
        .zip(terms)
        .map(|(config, mut terms)| {
            terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
            Taxonomy {
                name: config.name.get_ref().clone(),
                title: config.display_title(),
                terms,
            }
        })
        .collect();
    (taxonomies, problems)
}

/// The path of a term's page, relative to the site root.
pub fn term_path(taxonomy: &str, slug: &str) -> String {
    crate::url::paths::term(taxonomy, slug)
}
