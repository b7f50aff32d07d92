// Search, from the static index dossier writes under search/ (docs/search.md): meta.json, one
// shard per first two letters of a word, records in chunks. A query loads meta.json, the shards
// of its words and the record chunks of the results it shows — nothing else. Results are built
// with textContent: nothing from the index is ever parsed as HTML.
(() => {
  // A text's words, as the index has them (docs/search.md; `for_each_word` in src/search.rs,
  // tested on both sides with tests/fixtures/search-words.json): in NFC, runs of letters, marks
  // and numbers, lowercased and folded, two characters or more.
  const WORD = /[\p{Alphabetic}\p{M}\p{N}]+/gu;
  const FOLD = { ς: 'σ', ß: 'ss', ı: 'i', 'i\u0307': 'i' };
  const fold = (run) => run.toLowerCase().replace(/[ςßı]|i\u0307/g, (c) => FOLD[c]);
  const length = (s) => {
    let n = 0;
    for (const _ of s) n += 1;
    return n;
  };
  const tokenize = (text) => (text.normalize('NFC').match(WORD) || []).map(fold).filter((w) => length(w) >= 2);
  // Code-point order, as the index sorts a shard's terms. JavaScript's `<` compares UTF-16
  // units, which puts surrogates (U+10000 and above) before U+E000–U+FFFF; at the first unit
  // that differs, moving those two ranges past each other gives code-point order.
  const rank = (u) => (u < 0xd800 ? u : u >= 0xe000 ? u - 0x800 : u + 0x2000);
  const compare = (a, b) => {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      const x = a.charCodeAt(i);
      const y = b.charCodeAt(i);
      if (x !== y) return rank(x) - rank(y);
    }
    return a.length - b.length;
  };
  const shardKey = (word) =>
    [...new TextEncoder().encode([...word].slice(0, 2).join(''))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
  // A query is searched for its first WORDS words, each cut to its first CHARS characters: a
  // word matches every indexed word it begins, so a cut word still finds what it began.
  const WORDS = 16;
  const CHARS = 64;
  const queryOf = (text) => {
    const all = [...new Set(tokenize(text))];
    const words = [...new Set(all.map((w) => (length(w) > CHARS ? [...w].slice(0, CHARS).join('') : w)))];
    return { words: words.slice(0, WORDS), cut: words.length > WORDS || all.some((w) => length(w) > CHARS) };
  };
  // For the browser checks (tests/browser/search.mjs), which test these against the same table.
  window.dossierSearch = Object.freeze({ tokenize, compare, shardKey, WORDS, CHARS });

  const form = document.querySelector('[data-search-form]');
  if (!form) return;
  const input = form.querySelector('[data-search-input]');
  const status = document.querySelector('[data-search-status]');
  const list = document.querySelector('[data-search-results]');
  const root = form.dataset.root || './';
  const index = new URL(form.dataset.index, location.href);
  const LIMIT = 50;
  const KINDS = { source: 'Source', summary: 'Summary', event: 'Event', brief: 'Executive brief' };

  const fetchJson = (path) =>
    fetch(new URL(path, index)).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${path}`);
      return r.json();
    });
  let meta = null;
  const shards = new Map();
  const chunks = new Map();

  async function shard(key) {
    if (!meta.shards.includes(key)) return null;
    if (!shards.has(key)) shards.set(key, fetchJson(`s/${key}.json`));
    return shards.get(key);
  }

  // The records holding a word or a longer word it begins, and how many there are.
  async function postings(word) {
    const found = await shard(shardKey(word));
    const ids = new Set();
    if (!found) return ids;
    let lo = 0;
    let hi = found.terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compare(found.terms[mid], word) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (let t = lo; t < found.terms.length && found.terms[t].startsWith(word); t++) {
      let id = 0;
      for (const gap of found.postings[t]) ids.add((id += gap));
    }
    return ids;
  }

  // The text of paragraph #pN from its source's page, each page fetched once per query. The
  // page is parsed, never run, and only its text is read.
  const pages = new Map();
  async function paragraph(path) {
    const [page, id] = path.split('#');
    if (!pages.has(page)) {
      pages.set(
        page,
        fetch(new URL(root + page, location.href), { cache: 'no-store' })
          .then((r) => (r.ok ? r.text() : Promise.reject(new Error(page))))
          .then((html) => new DOMParser().parseFromString(html, 'text/html')),
      );
    }
    const found = (await pages.get(page)).getElementById(id);
    return found ? (found.querySelector('.ptext') || found).textContent.trim() : '';
  }

  async function record(id) {
    const n = Math.floor(id / meta.chunk);
    if (!chunks.has(n)) chunks.set(n, fetchJson(`r/${n}.json`));
    const rows = await chunks.get(n);
    const [path, title, kind, label, text] = rows[id % meta.chunk];
    return { id, path, title, kind, label, text };
  }

  // The text around the first match, cut into plain and matching pieces. The text's words are
  // read and folded as the index's are, so what is marked is what the index matched.
  function excerpt(raw, query) {
    const text = raw.normalize('NFC');
    const matches = [];
    for (const m of text.matchAll(WORD)) {
      const word = fold(m[0]);
      if (query.some((q) => word.startsWith(q))) matches.push([m.index, m.index + m[0].length]);
    }
    const first = matches.length ? matches[0][0] : 0;
    // About 240 characters from a little before the first match, cut between words.
    let from = Math.max(0, first - 80);
    const start = text.indexOf(' ', from);
    if (from > 0 && start >= 0 && start < first) from = start + 1;
    let to = Math.min(text.length, from + 240);
    const end = text.lastIndexOf(' ', to);
    if (to < text.length && end > Math.max(from, first)) to = end;
    // Never between the two halves of a character above U+FFFF.
    if (/[\udc00-\udfff]/.test(text[from] ?? '')) from += 1;
    if (/[\ud800-\udbff]/.test(text[to - 1] ?? '')) to -= 1;
    const parts = [];
    let last = from;
    for (const [s, e] of matches) {
      if (e <= from) continue;
      if (s >= to) break;
      const a = Math.max(s, from);
      const b = Math.min(e, to);
      if (a > last) parts.push([text.slice(last, a), false]);
      parts.push([text.slice(a, b), true]);
      last = b;
    }
    if (last < to) parts.push([text.slice(last, to), false]);
    return { lead: from > 0, tail: to < text.length, parts };
  }

  // One result: what it is, its title (a link: source results open at the paragraph) and the
  // words around the match. Everything from the index goes in through textContent.
  const el = (tag, cls, text) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  };
  function item(r, query) {
    const li = el('li', `search-result kind-${r.kind}`);
    const para = r.kind === 'source' && /#p\d+$/.test(r.path);
    const meta = el('p', 'result-meta', KINDS[r.kind] || r.kind);
    if (r.label) meta.append(' · ', el('span', 'result-label', r.label));
    const link = el('a', 'result-link', r.title);
    link.href = root + r.path;
    if (para) link.append(el('span', 'visually-hidden', `, paragraph ${r.path.split('#p')[1]}`));
    const text = el('p', 'result-excerpt');
    const { lead, tail, parts } = excerpt(r.text, query);
    if (lead) text.append('…');
    for (const [piece, match] of parts) text.append(match ? el('mark', null, piece) : piece);
    if (tail) text.append('…');
    li.append(meta, el('p', 'result-title'), text);
    li.children[1].append(link);
    return li;
  }

  function show(results, query, total, cut) {
    list.replaceChildren(...results.map((r) => item(r, query)));
    const what = `“${query.join(' ')}”`;
    const note = cut ? ` Only the first ${WORDS} words are searched, each cut to ${CHARS} characters.` : '';
    status.textContent =
      (total === 0
        ? `Nothing matches ${what}. Try fewer words, or the start of a word.`
        : total > results.length
          ? `${total} results for ${what}; the ${results.length} best are shown.`
          : `${total} result${total === 1 ? '' : 's'} for ${what}.`) + note;
  }

  let latest = 0;
  // Whatever goes wrong is said in the status line: it never stays at "Searching…".
  async function search(text) {
    const run = ++latest;
    try {
      await find(text, run);
    } catch (e) {
      if (run !== latest) return;
      list.replaceChildren();
      status.textContent = `Search failed: ${e?.message || e}. Try other words, or reload the page.`;
    }
  }

  async function find(text, run) {
    const { words: query, cut } = queryOf(text);
    if (query.length === 0) {
      list.replaceChildren();
      status.textContent = text.trim() ? 'Nothing to search for: type a word of two or more letters or digits.' : '';
      return;
    }
    status.textContent = 'Searching…';
    // The index is read afresh for every query (serve rebuilds it while the page is open);
    // within a query each file is fetched once.
    shards.clear();
    chunks.clear();
    pages.clear();
    let sets;
    try {
      meta = await fetchJson('meta.json');
      sets = await Promise.all(query.map(postings));
    } catch {
      meta = null;
    }
    if (run !== latest) return;
    if (!meta) {
      list.replaceChildren();
      status.textContent = 'The search index could not be loaded. Reload the page to try again.';
      return;
    }
    sets.sort((a, b) => a.size - b.size);
    const matching = [...sets[0]].filter((id) => sets.every((s) => s.has(id)));
    const weight = sets.reduce((sum, s) => sum + Math.log(1 + meta.records / Math.max(1, s.size)), 0);
    // Read a generous first slice in index order (summaries and the brief come first), then
    // rank it: words in the title, and summaries, first.
    const candidates = await Promise.all(matching.slice(0, LIMIT * 4).map(record)).catch(() => null);
    if (run !== latest) return;
    if (!candidates) {
      status.textContent = 'Some results could not be loaded. Reload the page to try again.';
      return;
    }
    const score = (r) => {
      const title = tokenize(r.title);
      return weight + query.filter((w) => title.some((t) => t.startsWith(w))).length * 3 + (r.kind === 'summary' ? 1 : 0);
    };
    candidates.sort((a, b) => score(b) - score(a) || a.id - b.id);
    const shown = candidates.slice(0, LIMIT);
    // A source paragraph's text is not in the index: read it from the source's page.
    const texts = await Promise.all(shown.map((r) => (r.text == null ? paragraph(r.path) : r.text))).catch(() => null);
    if (run !== latest) return;
    if (!texts) {
      status.textContent = 'Some results could not be loaded. Reload the page to try again.';
      return;
    }
    shown.forEach((r, i) => {
      r.text = texts[i];
    });
    show(shown, query, matching.length, cut);
  }

  // The query is kept in the address, so a search can be bookmarked, shared and gone back to.
  let timer = 0;
  const go = () => {
    clearTimeout(timer);
    const url = new URL(location.href);
    if (input.value) url.searchParams.set('q', input.value);
    else url.searchParams.delete('q');
    history.replaceState(null, '', url);
    search(input.value);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(go, 150);
  });
  // Arrow keys move between the box and the results' links.
  form.parentElement.addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
    const stops = [input, ...list.querySelectorAll('.result-link')];
    const at = stops.indexOf(document.activeElement);
    if (at < 0 || stops.length < 2) return;
    e.preventDefault();
    stops[Math.max(0, Math.min(stops.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))].focus();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go();
  });
  const initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    search(initial);
  } else {
    input.focus();
  }
})();
