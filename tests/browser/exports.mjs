// The open-format exports of a built site, read by the tools they are for (docs/exports.md):
//   - sources.json is CSL-JSON: citation-js parses it and renders an APA bibliography in which
//     every source appears with its title and its year;
//   - graph.json validates against its JSON Schema (docs/graph.schema.json, with ajv), and its
//     citations point at sources and pages it lists;
//   - annotations.jsonld is expanded by a JSON-LD processor (jsonld) with the W3C Web
//     Annotation context served from tests/fixtures/anno.jsonld (no network); every
//     annotation's TextQuoteSelector `exact` is the text its TextPositionSelector selects in the
//     source's text as a reader sees it on the page (read in Chromium), with its prefix and
//     suffix around it;
//   - every page's schema.org JSON-LD parses and names the type its page calls for.
//
//   node tests/browser/exports.mjs --site DIR
//
// Ends with "N passed, M failed"; exits 1 if anything failed.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Cite } from '@citation-js/core';
import '@citation-js/plugin-csl';
import Ajv2020 from 'ajv/dist/2020.js';
import jsonld from 'jsonld';
import { cliArgs, launchChromium, serveSite } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const args = cliArgs();
const SITE = path.resolve(args.site ?? 'public');

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}
const readJson = (file) => JSON.parse(readFileSync(path.join(SITE, file), 'utf8'));

const graph = readJson('graph.json');
const base = graph.site.base_url ? `${graph.site.base_url}/` : '';

// ---------------------------------------------------------------- graph.json

const ajv = new Ajv2020({ allErrors: true, strict: true });
const validate = ajv.compile(JSON.parse(readFileSync(path.join(REPO, 'docs', 'graph.schema.json'), 'utf8')));
check('graph.json validates against docs/graph.schema.json', validate(graph), ajv.errorsText(validate.errors));
const sourceIds = new Set(graph.sources.map((s) => s.id));
const pageIds = new Set([...graph.pages, ...graph.judgments].map((p) => p.id));
check('graph.json lists sources', graph.sources.length > 0);
const strays = graph.citations.filter((c) => !sourceIds.has(c.source) || !pageIds.has(c.page));
check('every citation in graph.json joins a listed page to a listed source', strays.length === 0, JSON.stringify(strays.slice(0, 3)));
for (const s of graph.sources) {
  const n = graph.citations.filter((c) => c.source === s.id).length;
  if (n !== s.cited) check(`graph.json: ${s.id}'s "cited" is its number of citations`, false, `${s.cited} ≠ ${n}`);
}

// ---------------------------------------------------------------- sources.json

const csl = readJson('sources.json');
check('sources.json has one entry per source', csl.length === graph.sources.length, `${csl.length} ≠ ${graph.sources.length}`);
const bibliography = new Cite(csl).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
const entries = bibliography.trim().split('\n');
check('citation-js renders one APA entry per source', entries.length === graph.sources.length, `${entries.length} entries`);
// APA sets quotation marks typographically: compare with quotes folded, whitespace collapsed.
const flat = (s) => s.replace(/\s+/g, ' ').replace(/[“”„‟″]/g, '"').replace(/[‘’‚‛′]/g, "'");
for (const s of graph.sources) {
  const entry = entries.find((e) => flat(e).includes(flat(s.title)));
  check(`the APA bibliography names "${s.title}"`, entry !== undefined);
  if (!entry) continue;
  const year = s.published ? s.published.date.slice(0, 4) : 'n.d.';
  check(`the APA entry of ${s.id} gives its date (${year})`, entry.includes(`(${year}`) || entry.includes(`(ca. ${year}`), entry);
  const item = csl.find((c) => c.id === s.id);
  check(`sources.json: ${s.id} links its dossier page`, item?.archive_location === `${base}${s.path}`, item?.archive_location);
  if (s.url?.match(/^https?:\/\//)) check(`sources.json: ${s.id} keeps its original URL`, item?.URL === s.url, item?.URL);
}

// ---------------------------------------------------------------- annotations.jsonld

const ANNO_CONTEXT = JSON.parse(readFileSync(path.join(REPO, 'tests', 'fixtures', 'anno.jsonld'), 'utf8'));
/** The W3C context from the fixtures, under both its addresses; anything else is refused. */
async function documentLoader(url) {
  if (url === 'http://www.w3.org/ns/anno.jsonld' || url === 'https://www.w3.org/ns/anno.jsonld') {
    return { contextUrl: null, documentUrl: url, document: ANNO_CONTEXT };
  }
  throw new Error(`exports: no network, and ${url} is not vendored`);
}
const OA = 'http://www.w3.org/ns/oa#';
const RDF_VALUE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#value';
const first = (node, key) => (node[key] ?? [])[0];
const value = (node, key) => first(node, key)?.['@value'];

const expanded = await jsonld.expand(readJson('annotations.jsonld'), { documentLoader, base: `${base}annotations.jsonld` });
const annotations = [];
(function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (!node || typeof node !== 'object') return;
  if ((node['@type'] ?? []).includes(`${OA}Annotation`)) annotations.push(node);
  Object.entries(node).forEach(([k, v]) => k.startsWith('@') && k !== '@list' ? null : walk(v));
})(expanded);
const quotations = graph.citations.filter((c) => c.quote !== null);
check('annotations.jsonld holds one annotation per quotation', annotations.length === quotations.length, `${annotations.length} ≠ ${quotations.length}`);

// The text of each source page as a reader sees it, from the page in Chromium.
const server = await serveSite(SITE, '/');
const browser = await launchChromium();
const tab = await browser.newPage();
const texts = new Map();
async function shownText(sourceUrl) {
  if (!texts.has(sourceUrl)) {
    const rel = sourceUrl.startsWith(base) ? sourceUrl.slice(base.length) : sourceUrl;
    await tab.goto(`http://127.0.0.1:${server.address().port}/${rel}`);
    const paragraphs = await tab.$$eval('.source-text .ptext', (els) => els.map((e) => e.textContent));
    texts.set(sourceUrl, Array.from(paragraphs.join('\n')));
  }
  return texts.get(sourceUrl);
}
let anchored = 0;
for (const a of annotations) {
  const target = first(a, `${OA}hasTarget`);
  const source = first(target, `${OA}hasSource`)?.['@id'];
  const selectors = target[`${OA}hasSelector`] ?? [];
  const quote = selectors.find((s) => (s['@type'] ?? []).includes(`${OA}TextQuoteSelector`));
  const position = selectors.find((s) => (s['@type'] ?? []).includes(`${OA}TextPositionSelector`));
  const id = a['@id'];
  if (!source || !quote || !position) {
    check(`${id} has a source, a TextQuoteSelector and a TextPositionSelector`, false, JSON.stringify(a).slice(0, 300));
    continue;
  }
  const exact = value(quote, `${OA}exact`);
  const start = Number(value(position, `${OA}start`));
  const end = Number(value(position, `${OA}end`));
  const text = await shownText(source);
  const at = text.slice(start, end).join('');
  const prefix = value(quote, `${OA}prefix`) ?? '';
  const suffix = value(quote, `${OA}suffix`) ?? '';
  const ok = at === exact && text.slice(start - Array.from(prefix).length, start).join('') === prefix &&
    text.slice(end, end + Array.from(suffix).length).join('') === suffix;
  if (ok) anchored += 1;
  else check(`${id}: exact, prefix and suffix at ${start}–${end} of ${source}`, false, `exact ${JSON.stringify(exact)}, text there ${JSON.stringify(at)}`);
  void RDF_VALUE;
}
check('every annotation anchors in its source page', anchored === annotations.length && anchored > 0, `${anchored} of ${annotations.length}`);

// ---------------------------------------------------------------- schema.org in each page

const TYPES = { article: 'NewsArticle', 'social-post': 'SocialMediaPosting', 'forum-thread': 'DiscussionForumPosting', transcript: 'Report', 'blog-post': 'BlogPosting', other: 'CreativeWork' };
const kinds = new Map(graph.sources.map((s) => [s.path, s]));
const summaries = new Map(graph.pages.filter((p) => p.kind === 'summary').map((p) => [p.path, p]));
function htmlFiles(dir, rel = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return htmlFiles(full, `${rel}${name}/`);
    return name === 'index.html' ? [rel] : [];
  });
}
let pagesWithLd = 0;
for (const rel of htmlFiles(SITE).sort()) {
  const html = readFileSync(path.join(SITE, rel, 'index.html'), 'utf8');
  const blocks = [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const expect = kinds.has(rel) ? TYPES[kinds.get(rel).kind] : summaries.has(rel) ? 'Article' : null;
  if (!expect) continue;
  pagesWithLd += 1;
  check(`/${rel} has one JSON-LD block`, blocks.length === 1, `${blocks.length}`);
  if (blocks.length !== 1) continue;
  let data;
  try {
    data = JSON.parse(blocks[0]);
  } catch (e) {
    check(`/${rel}: its JSON-LD parses`, false, e.message);
    continue;
  }
  check(`/${rel}: JSON-LD is a schema.org ${expect}`, data['@context'] === 'https://schema.org' && data['@type'] === expect, `${data['@context']} ${data['@type']}`);
  if (expect === 'Article') {
    const cited = (data.citation ?? []).map((c) => c.url);
    const listed = graph.citations.filter((c) => c.page === summaries.get(rel).id).map((c) => `${base}sources/${c.source}/`);
    check(`/${rel}: the Article's citation lists the sources it cites`, [...new Set(listed)].sort().join() === [...cited].sort().join(), `${cited}`);
  } else {
    const s = kinds.get(rel);
    check(`/${rel}: the ${expect} is named by the source's title`, data.name === s.title, data.name);
  }
}
check('source and summary pages were read for JSON-LD', pagesWithLd === graph.sources.length + summaries.size, `${pagesWithLd}`);

await browser.close();
server.close();
console.log(`exports: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
