// The feed, the sitemap and robots.txt of a built site, checked with xmllint (Debian's
// libxml2-utils):
//   - every sitemap file validates against the sitemaps.org schema (sitemap.xsd, from the
//     `sitemap` npm package pinned in package-lock.json: there is no network to fetch it from);
//     a sitemap index, written past 50,000 URLs, is well-formed and lists sitemaps that validate;
//   - every URL in the sitemaps is under the base URL and is a page of the built site;
//   - atom.xml is well-formed XML (its content is checked by a Rust test with feed-rs);
//   - robots.txt names the sitemap.
//
//   node tests/browser/feeds.mjs --site DIR --base-url http://127.0.0.1/dossier/
//
// Ends with "N passed, M failed"; exits 1 if anything failed.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const SITE = path.resolve(args.site ?? 'public');
const BASE_URL = args['base-url'] ?? 'http://127.0.0.1/dossier/';
const SCHEMA = path.join(path.dirname(createRequire(import.meta.url).resolve('sitemap/package.json')), 'schema', 'sitemap.xsd');

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failed += 1;
    console.log(`FAIL ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}

/** xmllint with these arguments: its status and what it said. */
function xmllint(...argv) {
  const run = spawnSync('xmllint', argv, { encoding: 'utf8' });
  if (run.error) {
    console.error(`feeds: could not run xmllint (apt-get install libxml2-utils): ${run.error.message}`);
    process.exit(1);
  }
  return { ok: run.status === 0, said: `${run.stdout}${run.stderr}`.trim().split('\n').slice(0, 8).join('\n      ') };
}

const locs = (xml) => [...xml.matchAll(/<loc>\s*([^<]+?)\s*<\/loc>/g)].map((m) => m[1].replace(/&amp;/g, '&'));

// ---------------------------------------------------------------- sitemaps

const sitemaps = readdirSync(SITE).filter((f) => /^sitemap.*\.xml$/.test(f)).sort();
check('the site has a sitemap.xml', sitemaps.includes('sitemap.xml'), sitemaps.join(', ') || 'none');
const pages = [];
for (const file of sitemaps) {
  const full = path.join(SITE, file);
  const xml = readFileSync(full, 'utf8');
  if (/<sitemapindex[\s>]/.test(xml)) {
    const wf = xmllint('--noout', full);
    check(`${file}: a well-formed sitemap index`, wf.ok, wf.said);
    for (const loc of locs(xml)) {
      check(`${file}: lists ${loc}, a sitemap of this site`, loc.startsWith(BASE_URL) && sitemaps.includes(loc.slice(BASE_URL.length)));
    }
  } else {
    const valid = xmllint('--noout', '--schema', SCHEMA, full);
    check(`${file}: validates against the sitemaps.org schema`, valid.ok, valid.said);
    pages.push(...locs(xml));
  }
}
const strays = pages.filter((loc) => {
  if (!loc.startsWith(BASE_URL)) return true;
  const rel = decodeURIComponent(loc.slice(BASE_URL.length));
  const file = path.join(SITE, rel);
  return !(existsSync(file) && (statSync(file).isFile() || existsSync(path.join(file, 'index.html'))));
});
check(`the sitemaps' ${pages.length} URLs are all pages of the site, under ${BASE_URL}`, pages.length > 0 && strays.length === 0, strays.slice(0, 5).join(', '));
check('the sitemaps list each URL once', new Set(pages).size === pages.length);

// ---------------------------------------------------------------- the feed and robots.txt

const atom = path.join(SITE, 'atom.xml');
const feed = existsSync(atom) ? xmllint('--noout', atom) : { ok: false, said: 'no atom.xml' };
check('atom.xml is well-formed XML', feed.ok, feed.said);
const entries = existsSync(atom) ? (readFileSync(atom, 'utf8').match(/<entry>/g) ?? []).length : 0;
check('atom.xml has entries', entries > 0);

const robots = existsSync(path.join(SITE, 'robots.txt')) ? readFileSync(path.join(SITE, 'robots.txt'), 'utf8') : '';
check('robots.txt names the sitemap', robots.includes(`Sitemap: ${BASE_URL}sitemap.xml`), robots.trim());

console.log(`feeds: ${sitemaps.length} sitemap file(s), ${pages.length} URLs, ${entries} feed entries`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
