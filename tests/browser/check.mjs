// The briefing theme in a real browser: Debian's Chromium, headless, driven by playwright-core.
//
//   node tests/browser/check.mjs --site DIR [--base /dossier/] [--screenshots DIR]
//
// DIR is a site built with `dossier build --base-url http://127.0.0.1/dossier/` (the 404 page
// links from the path of the base URL). It is served over HTTP on loopback under BASE, so the
// checks also prove the site works under a sub-path. For every page type, at 375 px and
// 1280 px, in the light and the dark colour scheme:
//   - no console error, no failed request, no request to anything but the loopback server;
//   - axe-core reports no violation;
//   - nothing is wider than the viewport;
//   - a full-page screenshot is written to SCREENSHOTS/<page>-<width>[-dark].png.
// Then: nothing overflows at 360 px and 1440 px either; a missing page at depth gets the
// styled 404; the matrix scrolls in its own box with a sticky header row and term column;
// keyboard tabbing reaches every citation, each shows its preview, every focus is visible;
// hovering a citation shows the preview too; the print stylesheet hides navigation and prints
// external link targets (SCREENSHOTS/*-print.pdf); with JavaScript disabled every page still
// loads and citations still go to their paragraphs; CSS and JS stay under budget.
// Ends with "N passed, M failed"; exits 1 if anything failed.

import { readFileSync, mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const SITE = path.resolve(args.site ?? 'public');
const BASE = args.base ?? '/dossier/';
const SHOTS = path.resolve(args.screenshots ?? 'target/screenshots');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** CSS and JS together, uncompressed. */
const BUDGET = 60_000;

/** The page types of the shipped dossier, by screenshot name. */
const PAGES = {
  home: '',
  timeline: 'timeline/',
  sources: 'sources/',
  source: 'sources/linkedin-earnings-call-quote/',
  summaries: 'summaries/',
  summary: 'summaries/recruiting/',
  matrix: 'arguments/',
  term: 'arguments/recruiting/',
  404: '404.html',
};
const WIDTHS = [375, 1280];
const SCHEMES = ['light', 'dark'];

// ---------------------------------------------------------------- results

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) {
    passed += 1;
  } else {
    failures.push(`${name}${detail ? `\n      ${detail}` : ''}`);
    console.log(`FAIL ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}

// ---------------------------------------------------------------- a static server on loopback

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

function serve(root, base) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let rel = decodeURIComponent(url.pathname);
    const notFound = () => {
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(readFileSync(path.join(root, '404.html')));
    };
    if (!rel.startsWith(base)) return notFound();
    rel = rel.slice(base.length);
    let file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, 'index.html');
    if (!existsSync(file)) return notFound();
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// ---------------------------------------------------------------- the browser

const server = await serve(SITE, BASE);
const ORIGIN = `http://127.0.0.1:${server.address().port}`;
const urlOf = (rel) => `${ORIGIN}${BASE}${rel}`;
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
mkdirSync(SHOTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-default-apps',
    '--disable-extensions',
  ],
});

/** A page that records console errors, failed requests and any request off loopback. */
async function open(context, rel, { expectStatus = 200 } = {}) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs the status of a page served as 404 on purpose; that is not a problem.
    const expected = expectStatus !== 200 && m.location().url === urlOf(rel) && m.text().includes(`${expectStatus}`);
    if (!expected) problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (!r.url().startsWith(ORIGIN)) return; // reported by the route below
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on('response', (r) => {
    const main = r.request().isNavigationRequest() && r.request().frame() === page.mainFrame();
    const ok = main ? r.status() === expectStatus : r.status() < 400;
    if (!ok) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' && url.origin === ORIGIN) return route.continue();
    if (url.protocol === 'data:') return route.continue();
    problems.push(`request leaves the site: ${route.request().url()}`);
    return route.abort('blockedbyclient');
  });
  await page.goto(urlOf(rel), { waitUntil: 'load' });
  return { page, problems };
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(axeSource);
  }
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 4).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join(' ')}`),
      count: v.nodes.length,
    }));
  });
}

const started = Date.now();
let lap = started;
function timing(what) {
  if (process.env.TIMINGS) console.log(`  ${what}: ${((Date.now() - lap) / 1000).toFixed(1)} s`);
  lap = Date.now();
}
let axeRuns = 0;
let axeViolations = 0;

// ---------------------------------------------------------------- every page type, both widths, both schemes

/** Two at a time: the machine has two cores, and axe-core is bound by the renderer's CPU. */
async function pool(tasks, size, run) {
  const results = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await run(tasks[i]);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return results;
}

const pageTasks = Object.entries(PAGES).flatMap(([name, rel]) =>
  WIDTHS.flatMap((width) => SCHEMES.map((scheme) => ({ name, rel, width, scheme }))),
);
const pageResults = await pool(pageTasks, 2, async ({ name, rel, width, scheme }) => {
  const label = `${name} ${width}px ${scheme}`;
  const out = [];
  const context = await browser.newContext({
    viewport: { width, height: width < 600 ? 800 : 900 },
    colorScheme: scheme,
    reducedMotion: 'reduce',
  });
  const { page, problems } = await open(context, rel);
  out.push([`${label}: loads with no console error and no failed request`, problems.length === 0, problems.join('\n      ')]);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  out.push([`${label}: nothing wider than the viewport`, overflow <= 0, `${overflow}px too wide`]);
  const violations = await runAxe(page);
  out.push([
    `${label}: axe-core finds no violation`,
    violations.length === 0,
    violations.map((v) => `${v.id} (${v.impact}, ${v.count}×): ${v.help}\n        ${v.nodes.join('\n        ')}`).join('\n      '),
  ]);
  await page.screenshot({
    path: path.join(SHOTS, `${name}-${width}${scheme === 'dark' ? '-dark' : ''}.png`),
    fullPage: true,
  });
  await context.close();
  return { out, violations: violations.reduce((n, v) => n + v.count, 0) };
});
for (const { out, violations } of pageResults) {
  axeRuns += 1;
  axeViolations += violations;
  for (const [name, ok, detail] of out) check(name, ok, detail);
}

// The widths at either end of the range the theme is designed for: nothing may overflow.
const edgeResults = await pool(
  Object.entries(PAGES).flatMap(([name, rel]) => [360, 1440].map((width) => ({ name, rel, width }))),
  2,
  async ({ name, rel, width }) => {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const { page, problems } = await open(context, rel);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await context.close();
    return [`${name} ${width}px: loads cleanly and nothing is wider than the viewport`, problems.length === 0 && overflow <= 0, [...problems, `${overflow}px too wide`].join('\n      ')];
  },
);
for (const [name, ok, detail] of edgeResults) check(name, ok, detail);

// The matrix on a phone: its own scroll container, the header row and the term column stay put.
{
  const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
  const { page } = await open(context, PAGES.matrix);
  const state = await page.evaluate(async () => {
    const box = document.querySelector('.matrix-scroll');
    const before = { v: box.scrollHeight > box.clientHeight, h: box.scrollWidth > box.clientWidth };
    box.scrollTop = 150;
    box.scrollLeft = 150;
    await new Promise(requestAnimationFrame);
    const frame = box.getBoundingClientRect();
    const head = box.querySelector('thead th:nth-child(2)').getBoundingClientRect();
    const term = box.querySelector('tbody tr:nth-child(3) th').getBoundingClientRect();
    return { ...before, headTop: Math.round(head.top - frame.top), termLeft: Math.round(term.left - frame.left) };
  });
  check('matrix 375px: the table scrolls in its own container, both ways', state.v && state.h, JSON.stringify(state));
  check('matrix 375px: the header row sticks to the top and the terms to the left', Math.abs(state.headTop) <= 2 && Math.abs(state.termLeft) <= 2, JSON.stringify(state));
  await page.locator('.matrix-scroll').screenshot({ path: path.join(SHOTS, 'matrix-375-scrolled.png') });
  await context.close();
}

timing('page types');

// ---------------------------------------------------------------- a missing page at depth gets the styled 404

{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page, problems } = await open(context, 'no/such/page/', { expectStatus: 404 });
  check('404 at depth: its stylesheet and script load from the base path', problems.length === 0, problems.join('\n      '));
  const styled = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  check('404 at depth: styled by the theme', !/^"?Times New Roman"?$/.test(styled), styled);
  await context.close();
}

timing('404');

// ---------------------------------------------------------------- keyboard: every citation, its preview, a visible focus

const CITING = { home: PAGES.home, summary: PAGES.summary, source: PAGES.source, timeline: PAGES.timeline };
// Every citing page type on the desktop; on the phone, a summary (the same markup, narrower).
const keyboardTasks = [
  ...Object.entries(CITING).map(([name, rel]) => ({ name, rel, width: 1280 })),
  { name: 'summary', rel: PAGES.summary, width: 375 },
];
const keyboardResults = await pool(keyboardTasks, 2, async ({ name, rel, width }) => {
  const label = `${name} ${width}px keyboard`;
  const out = [];
  const context = await browser.newContext({ viewport: { width, height: 800 }, reducedMotion: 'reduce' });
  const { page, problems } = await open(context, rel);
  // Record, at every focus, what is focused, whether its focus is visible and what preview shows.
  await page.evaluate(() => {
    window.__stops = [];
    document.addEventListener('focusin', (e) => {
      const el = e.target;
      const style = getComputedStyle(el);
      const ring =
        (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) ||
        (style.boxShadow && style.boxShadow !== 'none');
      const tip = document.getElementById('cite-preview');
      const tipShown =
        !!tip && !tip.hidden && tip.getBoundingClientRect().height > 0 && el.getAttribute('aria-describedby') === 'cite-preview';
      const cite = el.matches('a.cite') ? el.dataset.cite : null;
      window.__stops.push({
        cite,
        skip: el.matches('.skip-link') && el.getBoundingClientRect().width > 1,
        ring,
        what: el.outerHTML.slice(0, 80),
        tipText: tipShown ? tip.textContent : null,
        note: cite ? (document.getElementById(`cite-${cite}`)?.querySelector('.note-title')?.textContent ?? null) : null,
      });
    });
  });
  const total = await page.locator('a.cite').count();
  const focusables = await page.evaluate(
    () => document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])').length,
  );
  for (let i = 0; i < focusables + 2; i += 1) await page.keyboard.press('Tab');
  const stops = await page.evaluate(() => window.__stops);
  const reached = new Set();
  const noPreview = [];
  for (const stop of stops) {
    if (!stop.cite || reached.has(stop.cite)) continue;
    reached.add(stop.cite);
    if (!(stop.tipText && stop.note && stop.tipText.includes(stop.note))) {
      noPreview.push(`citation ${stop.cite}: ${stop.tipText === null ? 'no preview' : `preview "${stop.tipText.slice(0, 60)}" lacks "${stop.note}"`}`);
    }
  }
  const noRing = stops.filter((s) => !s.ring).map((s) => s.what);
  out.push([`${label}: no console error`, problems.length === 0, problems.join('\n      ')]);
  out.push([`${label}: the skip link is the first stop and becomes visible`, stops[0]?.skip === true, stops[0]?.what ?? 'no stop']);
  out.push([`${label}: tabbing reaches all ${total} citations`, total > 0 && reached.size === total, `reached ${reached.size}`]);
  out.push([`${label}: each citation shows its preview on focus`, reached.size === total && noPreview.length === 0, noPreview.slice(0, 5).join('\n      ')]);
  out.push([`${label}: every focus is visible (${stops.length} stops)`, noRing.length === 0, noRing.slice(0, 5).join('\n      ')]);
  if (name === 'home') {
    await page.locator('a.cite').first().focus();
    await page.keyboard.press('Escape');
    const hidden = await page.evaluate(() => document.getElementById('cite-preview')?.hidden !== false);
    out.push([`${label}: Escape hides the preview`, hidden]);
  }
  await context.close();
  return out;
});
for (const out of keyboardResults) for (const [name, ok, detail] of out) check(name, ok, detail);

timing('keyboard');

// ---------------------------------------------------------------- hover shows the preview; its content is the note's

{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const { page } = await open(context, PAGES.summary);
  const first = page.locator('a.cite').first();
  await first.hover();
  const tip = page.locator('#cite-preview');
  await tip.waitFor({ state: 'visible', timeout: 2000 }).catch(() => {});
  const text = (await tip.isVisible()) ? await tip.textContent() : '';
  const n = await first.getAttribute('data-cite');
  const note = await page.locator(`#cite-${n}`).evaluate((li) => ({
    title: li.querySelector('.note-title')?.textContent ?? '',
    para: li.querySelector('.note-para')?.textContent ?? '',
    words: (li.querySelector('.note-quote, .note-excerpt')?.textContent ?? '').slice(0, 30),
  }));
  check('hover: the preview appears', text.length > 0);
  check(
    'hover: the preview shows the source, the paragraph and the words',
    text.includes(note.title) && text.includes(note.para) && text.includes(note.words),
    `preview "${text.slice(0, 120)}", note ${JSON.stringify(note)}`,
  );
  const within = (await tip.count()) > 0 && await tip.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.right <= window.innerWidth;
  });
  check('hover: the preview stays inside the viewport', within);
  await page.screenshot({ path: path.join(SHOTS, 'summary-1280-preview.png') });
  // The same preview reached from the keyboard, for review: focus ring and preview together.
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 60 && !(await page.evaluate(() => document.activeElement?.matches('a.cite'))); i += 1) {
    await page.keyboard.press('Tab');
  }
  await page.screenshot({ path: path.join(SHOTS, 'summary-1280-focus.png') });
  await context.close();
}

timing('hover');

// ---------------------------------------------------------------- print

for (const name of ['source', 'timeline', 'summary']) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const { page } = await open(context, PAGES[name]);
  await page.emulateMedia({ media: 'print' });
  const state = await page.evaluate(() => {
    const nav = document.querySelector('.site-nav');
    // The shipped pages link out only from source text, where the address is the link text;
    // a probe link in the prose shows what an external link in a summary prints as.
    const host = document.querySelector('main .prose') ?? document.querySelector('main');
    host.insertAdjacentHTML('beforeend', '<p id="print-probe"><a href="https://example.org/report">a report</a></p>');
    const probe = document.querySelector('#print-probe a');
    const after = getComputedStyle(probe, '::after').content;
    probe.parentElement.remove();
    const bare = document.querySelector('.ptext a[href^="http"], dd.url a');
    return {
      navHidden: !nav || getComputedStyle(nav).display === 'none',
      externalAfter: after,
      bareAfter: bare ? getComputedStyle(bare, '::after').content : 'none',
    };
  });
  check(`print ${name}: no navigation`, state.navHidden);
  check(`print ${name}: external link targets are printed after the link`, state.externalAfter.includes('https://example.org/report'), state.externalAfter);
  check(`print ${name}: not where the link text is the address already`, state.bareAfter === 'none' || state.bareAfter === 'normal', state.bareAfter);
  await page.screenshot({ path: path.join(SHOTS, `${name}-print.png`), fullPage: true });
  await page.pdf({ path: path.join(SHOTS, `${name}-print.pdf`), format: 'A4', printBackground: true });
  await context.close();
}

timing('print');

// ---------------------------------------------------------------- without JavaScript

{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
  for (const [name, rel] of Object.entries(PAGES)) {
    const { page, problems } = await open(context, rel);
    check(`no JS ${name}: loads with no failed request`, problems.length === 0, problems.join('\n      '));
    const hiddenText = await page.evaluate(() =>
      [...document.querySelectorAll('main .para-cited, main .note-list li, main .entry')].filter((el) => el.getClientRects().length === 0).length,
    );
    check(`no JS ${name}: citations, notes and entries are all shown`, hiddenText === 0, `${hiddenText} hidden`);
    if (await page.locator('a.cite').count()) {
      const a = page.locator('a.cite').first();
      const href = await a.getAttribute('href');
      await a.click();
      await page.waitForLoadState('load');
      const target = await page.evaluate(() => document.querySelector(':target')?.id ?? '');
      check(`no JS ${name}: a citation goes to its paragraph`, /^p\d+$/.test(target), `${href} → :target "${target}"`);
    }
    await page.close();
  }
  await context.close();
}

timing('no JS');

// ---------------------------------------------------------------- the byte budget

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
const assets = walk(SITE).filter((f) => /\.(css|js)$/.test(f));
const bytes = assets.reduce((n, f) => n + statSync(f).size, 0);
check(`CSS and JS together under ${BUDGET} bytes`, bytes < BUDGET, `${bytes} bytes`);
const fonts = walk(SITE).filter((f) => /\.(woff2?|ttf|otf|eot)$/.test(f));
check('no web fonts', fonts.length === 0, fonts.join(', '));

await browser.close();
server.close();

console.log(
  `browser: ${Object.keys(PAGES).length} page types × ${WIDTHS.length} widths × ${SCHEMES.length} schemes; ` +
    `${axeRuns} axe runs, ${axeViolations} violations; CSS+JS ${bytes} bytes (${assets.map((f) => path.relative(SITE, f)).join(', ')}); ` +
    `screenshots in ${path.relative(process.cwd(), SHOTS) || SHOTS}; ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
