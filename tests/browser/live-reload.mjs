// `dossier serve` in a real browser: an open tab reloads by itself after an edit, shows the
// error overlay over the last good page when an edit breaks the dossier, and loses it when the
// error is fixed. Headless Debian Chromium driven by playwright-core, as in check.mjs.
//
//   node tests/browser/live-reload.mjs --dossier target/debug/dossier [--fixture tests/fixtures/harbour]
//
// The fixture is copied to a temporary folder; `dossier serve --port 0` runs there, and the
// address is read from its "Serving http://127.0.0.1:PORT/" line. The test never navigates
// the tab after opening it: every change on screen comes from the server's reload events.
// The server is stopped at the end, also when a check fails or the run is interrupted.
// Ends with "N passed, M failed"; exits 1 if anything failed.

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliArgs, launchChromium } from './lib.mjs';

const args = cliArgs();
const DOSSIER = path.resolve(args.dossier ?? 'target/debug/dossier');
const FIXTURE = path.resolve(args.fixture ?? 'tests/fixtures/harbour');
/** How long a change may take to reach the open tab. */
const WITHIN = 10_000;
const PAGE = 'summaries/cost-overrun/';
const FILE = 'content/summaries/cost-overrun.md';
const SHOTS = path.resolve(args.screenshots ?? 'target/screenshots');

let passed = 0;
const failures = [];
function check(name, ok, detail = '') {
  if (ok) passed += 1;
  else {
    failures.push(name);
    console.log(`FAIL ${name}${detail ? `\n      ${detail}` : ''}`);
  }
}

const root = mkdtempSync(path.join(tmpdir(), 'dossier-live-'));
cpSync(FIXTURE, root, { recursive: true });
const file = path.join(root, FILE);
const original = readFileSync(file, 'utf8');

let server = null;
let browser = null;
let log = '';
async function stop() {
  await browser?.close().catch(() => {});
  browser = null;
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(root, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => stop().finally(() => process.exit(130)));
}

/** Polls `probe` in the page until it returns a truthy value: through reloads, which destroy
 *  the page's context while they happen. Returns the value and the time taken, or null. */
async function until(page, probe, arg) {
  const started = Date.now();
  while (Date.now() - started < WITHIN) {
    const value = await page.evaluate(probe, arg).catch(() => null);
    if (value) return { value, ms: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** Marks the document now shown, so a reload (a new document) can be told apart. */
const mark = (page) => page.evaluate(() => { window.__dossierTestMark = true; });
const state = () => ({
  reloaded: window.__dossierTestMark !== true,
  overlay: document.getElementById('dossier-errors')?.textContent ?? null,
  text: document.querySelector('main')?.textContent ?? '',
});

try {
  server = spawn(DOSSIER, ['serve', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', (d) => { log += d; });
  const origin = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "Serving" line within 60 s:\n${out}${log}`)), 60_000);
    server.stdout.on('data', (d) => {
      out += d;
      log += d;
      const m = /Serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`dossier serve exited (${code}):\n${out}${log}`)));
    server.once('error', reject);
  });
  check('serve prints the address it listens on', /^http:\/\/127\.0\.0\.1:\d+\/$/.test(origin), origin);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations += 1; });
  await page.goto(`${origin}${PAGE}`, { waitUntil: 'load' });
  // The live-reload script connects to the event stream; give it a moment before editing.
  await page.waitForFunction(() => document.querySelector('script[data-dossier-live]') !== null, null, { timeout: 5000 });
  await page.waitForTimeout(500);
  const before = await page.evaluate(state);
  check('the served page shows the summary', before.text.includes('a claim the council\'s release repeats'), before.text.slice(0, 200));
  const loads = navigations;

  // 1. A word changed in the body: the tab reloads by itself and shows it.
  await mark(page);
  writeFileSync(file, original.replace("the council's release repeats", "the council's release reiterates"));
  const edited = await until(page, () => {
    const s = window.__dossierTestMark !== true && document.querySelector('main')?.textContent.includes("the council's release reiterates");
    return s && document.readyState !== 'loading';
  });
  check(`an edit reloads the open tab with the new text within ${WITHIN / 1000} s`, edited !== null, edited ? '' : JSON.stringify(await page.evaluate(state).catch(() => null)).slice(0, 300));
  check('the reload came from the server, not from the test', navigations > loads);
  const editMs = edited?.ms;

  // 2. A broken reference: the overlay names the file and the problem, over the last good page.
  await page.waitForTimeout(300);
  await mark(page);
  writeFileSync(file, original.replace("the council's release repeats", "the council's release reiterates").replace('src:committee-minutes#p4)', 'src:committee-minutes#p40)'));
  const broken = await until(page, () => document.getElementById('dossier-errors')?.textContent);
  check('a broken edit shows the error overlay (#dossier-errors)', broken !== null);
  const overlay = broken?.value ?? '';
  check('the overlay names the file', overlay.includes('cost-overrun.md'), overlay.slice(0, 300));
  check('the overlay says what is wrong', overlay.includes('no paragraph 40'), overlay.slice(0, 300));
  // The overlay must be readable over whatever the theme styles: axe-core's contrast rule.
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const contrast = await page.evaluate(async () => {
    const r = await window.axe.run('#dossier-errors', { runOnly: ['color-contrast'], resultTypes: ['violations'] });
    return r.violations.flatMap((v) => v.nodes.map((n) => n.failureSummary?.split('\n')[1] ?? v.id));
  });
  check('the overlay is readable (axe-core colour contrast)', contrast.length === 0, contrast.slice(0, 3).join('\n      '));
  const under = await page.evaluate(state);
  check('the last good page stays under the overlay', !under.reloaded && under.text.includes("the council's release reiterates"));
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'serve-error-overlay.png') });

  // 3. Fixed: the tab reloads and the overlay is gone.
  writeFileSync(file, original.replace("the council's release repeats", "the council's release restates"));
  const fixed = await until(page, () => {
    const gone = window.__dossierTestMark !== true && !document.getElementById('dossier-errors');
    return gone && document.querySelector('main')?.textContent.includes("the council's release restates");
  });
  check('fixing the error reloads the tab and the overlay goes away', fixed !== null, fixed ? '' : JSON.stringify(await page.evaluate(state).catch(() => null)).slice(0, 300));
  check('no script error in the page', pageErrors.length === 0, pageErrors.join('\n      '));

  console.log(
    `live reload: edit on screen in ${editMs ?? '—'} ms, overlay in ${broken?.ms ?? '—'} ms, fix on screen in ${fixed?.ms ?? '—'} ms (${origin})`,
  );
} catch (e) {
  check('serve and the browser run', false, e.stack ?? String(e));
} finally {
  await stop();
}
if (failures.length) console.log(`serve output:\n${log.trim().split('\n').slice(-20).join('\n')}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
