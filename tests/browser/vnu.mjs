// The W3C Nu HTML checker (vnu, from the vnu-jar package) on every page and stylesheet of a
// built site. Errors fail the run; warnings are listed and counted but do not fail it.
//
//   node tests/browser/vnu.mjs SITE_DIR

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const site = path.resolve(process.argv[2] ?? 'public');

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

const files = walk(site).filter((f) => /\.(html|css)$/.test(f)).sort();
const pages = files.filter((f) => f.endsWith('.html'));
if (pages.length === 0) {
  console.error(`vnu: no .html files under ${site}`);
  process.exit(1);
}

const jar = String(createRequire(import.meta.url)('vnu-jar'));
// vnu writes its JSON report to stderr and exits 1 when it reports errors.
const run = spawnSync('java', ['-jar', jar, '--format', 'json', '--also-check-css', ...files], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
if (run.error || !output.includes('{')) {
  console.error(`vnu: could not run java -jar ${jar}: ${run.error?.message ?? output}`);
  process.exit(1);
}
const report = JSON.parse(output.slice(output.indexOf('{')));

let errors = 0;
let warnings = 0;
for (const m of report.messages) {
  const where = `${path.relative(site, decodeURIComponent(new URL(m.url).pathname))}:${m.lastLine ?? '?'}:${m.firstColumn ?? m.lastColumn ?? '?'}`;
  if (m.type === 'error' || m.subType === 'fatal') {
    errors += 1;
    console.log(`vnu error   ${where}: ${m.message}${m.extract ? `\n    ${m.extract.replace(/\n/g, ' ')}` : ''}`);
  } else if (m.subType === 'warning') {
    warnings += 1;
    console.log(`vnu warning ${where}: ${m.message}`);
  }
}
console.log(
  `vnu ${report.version ?? ''}: ${pages.length} pages and ${files.length - pages.length} stylesheets checked: ${errors} errors, ${warnings} warnings`,
);
process.exit(errors > 0 ? 1 : 0);
