// Search's words in a real browser: the search page reads a query as the index reads a text.
// Headless Debian Chromium driven by playwright-core, as in check.mjs.
//
//   node tests/browser/search.mjs --dossier target/debug/dossier [--screenshots DIR]
//
// - The page's own tokenizer (window.dossierSearch.tokenize), run on every row of
//   tests/fixtures/search-words.json, gives the row's words — the same table the Rust unit
//   tests in src/search.rs check the index's words against; its comparator sorts the table's
//   terms into the order the index writes them (by code point).
// - A small dossier is built in a temporary folder with the given binary; its one source holds
//   Hindi, Thai, Turkish, Greek, German, NFD, fullwidth and astral-plane words, one per
//   paragraph. Each query, typed into the search page, finds exactly its paragraph.
// - A 100,000-character word, a query of punctuation alone and a broken record file each leave
//   a message in the status line, never "Searching…", and no uncaught exception.
// Ends with "N passed, M failed"; exits 1 if anything failed.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliArgs, launchChromium, serveSite } from './lib.mjs';

const args = cliArgs();
const DOSSIER = path.resolve(args.dossier ?? 'target/debug/dossier');
const SHOTS = path.resolve(args.screenshots ?? 'target/screenshots');
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TABLE = JSON.parse(readFileSync(path.join(HERE, '..', 'fixtures', 'search-words.json'), 'utf8'));
const BASE = '/dossier/';

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failures.push(name);
    console.log(`FAIL ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}

// ---------------------------------------------------------------- the dossier

/** The source's paragraphs (one per line) and, for each, the queries that must find it alone. */
const PARAGRAPHS = [
  ['Hindi हिंदी text.', ['हिंदी', 'हिं']],
  ['Thai ที่นี่ text.', ['ที่นี่']],
  ['The city of İstanbul.', ['İstanbul', 'istanbul', 'ISTANBUL']],
  ['The hero ΟΔΥΣΣΕΥΣ sails.', ['ΟΔΥΣΣΕΥΣ', 'οδυσσευς', 'Οδυσσευσ']],
  ['Fullwidth abｚｚ here.', ['abｚｚ']],
  ['Mathematical ab𝐳 here.', ['ab𝐳']],
  ['The Straße is long.', ['Straße', 'strasse', 'STRASSE']],
  ['Decomposed Ame\u0301lie here.', ['Amélie', 'Ame\u0301lie']],
  // A query word is cut to 64 characters, and still finds the longer words it begins.
  [`A long ${'q'.repeat(70)} word.`, ['q'.repeat(100_000)]],
];

const root = mkdtempSync(path.join(tmpdir(), 'dossier-search-'));
const site = path.join(root, 'site');
const write = (rel, text) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};
write('site.toml', 'title = "Words"\ndescription = "Words in many scripts."\nbase_url = "https://example.org/words"\nlanguage = "en"\n');
write('content/_index.md', '+++\ntitle = "Words in many scripts"\ndescription = "A test dossier."\n+++\n\nA brief.\n');
write('content/sources/words.toml', 'title = "Words"\nkind = "other"\n');
write('content/sources/words.txt', PARAGRAPHS.map(([p]) => p).join('\n') + '\n');

// ---------------------------------------------------------------- a static server on loopback

let server = null;
let browser = null;
try {
  const built = spawnSync(DOSSIER, ['build', '--base-url', `http://127.0.0.1${BASE}`, '--output', site], {
    cwd: root,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`dossier build failed:\n${built.stdout}${built.stderr}`);
  server = await serveSite(site, BASE);
  const urlOf = (rel) => `http://127.0.0.1:${server.address().port}${BASE}${rel}`;
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SHOTS, { recursive: true });

  const open = async (rel) => {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    await page.goto(urlOf(rel), { waitUntil: 'load' });
    return { page, problems };
  };
  // The status line once the search is over: not empty, not "Searching…".
  const settled = async (page) => {
    await page
      .waitForFunction(
        () => {
          const s = document.querySelector('[data-search-status]')?.textContent ?? '';
          return s !== '' && s !== 'Searching…';
        },
        null,
        { timeout: 5000 },
      )
      .catch(() => {});
    return page.evaluate(() => ({
      status: document.querySelector('[data-search-status]')?.textContent ?? '',
      links: [...document.querySelectorAll('.search-result a')].map((a) => a.getAttribute('href')),
      marks: [...document.querySelectorAll('.search-result mark')].map((m) => m.textContent),
    }));
  };

  // The tokenizer and the order, against the table the Rust side is tested on.
  const { page, problems } = await open('search/');
  const exposed = await page.evaluate(() => typeof window.dossierSearch?.tokenize === 'function');
  check('search page: exposes its tokenizer as window.dossierSearch', exposed);
  if (exposed) {
    const got = await page.evaluate((rows) => rows.map((r) => window.dossierSearch.tokenize(r.input)), TABLE.rows);
    TABLE.rows.forEach((row, i) => {
      check(`tokenizer: ${row.why}`, JSON.stringify(got[i]) === JSON.stringify(row.words), `${JSON.stringify(row.input)}: got ${JSON.stringify(got[i])}, want ${JSON.stringify(row.words)}`);
    });
    const sorted = await page.evaluate((order) => [...order].reverse().sort(window.dossierSearch.compare), TABLE.order);
    check('comparator: terms sort in code-point order, as the index writes them', JSON.stringify(sorted) === JSON.stringify(TABLE.order), sorted.join(' '));
  }
  check('search page: no error on load', problems.length === 0, problems.join('\n      '));
  await page.close();

  // Every query finds its paragraph, and only it.
  for (const [n, [text, queries]] of PARAGRAPHS.entries()) {
    for (const query of queries) {
      const { page, problems } = await open('search/');
      await page.locator('#search-q').fill(query);
      const found = await settled(page);
      const want = `sources/words/#p${n + 1}`;
      check(
        `search "${query.slice(0, 80)}" finds "${text}"`,
        found.links.length === 1 && found.links[0].endsWith(want) && /1 result for/.test(found.status) && found.marks.length > 0,
        `${found.status} ${found.links.join(', ')} marks: ${found.marks.join(', ')}`,
      );
      check(`search "${query.slice(0, 80)}": no error`, problems.length === 0, problems.join('\n      '));
      await page.close();
    }
  }

  // A word of 100,000 characters is cut, and says so; the search ends.
  {
    const { page, problems } = await open('search/');
    await page.locator('#search-q').fill(`abｚｚ${'x'.repeat(100_000)}`);
    const found = await settled(page);
    check('a 100,000-character word: no uncaught exception', problems.length === 0, problems.join('\n      '));
    check('a 100,000-character word: the status says the query was cut', /cut to 64 characters/.test(found.status), found.status.slice(0, 300));
    check('a 100,000-character word: the search ends with an answer', /^Nothing matches “abｚｚx{60}”/.test(found.status), found.status.slice(0, 300));
    await page.screenshot({ path: path.join(SHOTS, 'search-long-word-1280.png') });
    await page.close();
  }
  // Sixteen words are searched, and the status says so.
  {
    const { page } = await open('search/');
    await page.locator('#search-q').fill(Array.from({ length: 20 }, (_, i) => `word${i}`).join(' '));
    const found = await settled(page);
    check('twenty words: the status says only the first 16 are searched', /Only the first 16 words/.test(found.status) && !/word16/.test(found.status), found.status);
    await page.close();
  }
  // A query with no word in it says what to type.
  {
    const { page, problems } = await open('search/');
    await page.locator('#search-q').fill('!! — a');
    const found = await settled(page);
    check('a query without a word: the status says to type one', /type a word/.test(found.status), found.status);
    check('a query without a word: no error', problems.length === 0, problems.join('\n      '));
    await page.close();
  }
  // Any failure while searching is said in the status line.
  {
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.route('**/search/r/0.json', (route) =>
      route.fulfill({ contentType: 'application/json', body: JSON.stringify(Array.from({ length: 20 }, () => ['x', 'A title', 'summary', '', 5])) }),
    );
    await page.goto(urlOf('search/'), { waitUntil: 'load' });
    await page.locator('#search-q').fill('hindi');
    const found = await settled(page);
    check('a broken record file: the status says the search failed', /^Search failed: /.test(found.status), found.status);
    check('a broken record file: no uncaught exception', problems.length === 0, problems.join('\n      '));
    await page.close();
  }
} catch (e) {
  check('the search checks ran to the end', false, e.stack ?? String(e));
} finally {
  await browser?.close().catch(() => {});
  server?.close();
  rmSync(root, { recursive: true, force: true });
}

console.log(`\n${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
