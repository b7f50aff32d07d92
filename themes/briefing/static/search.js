// Search, from the static index dossier writes under search/ (docs/search.md): meta.json, one
// shard per first two letters of a word, records in chunks. A query loads meta.json, the shards
// of its words and the record chunks of the results it shows — nothing else. Results are built
// with textContent: nothing from the index is ever parsed as HTML.
(() => {
  const form = document.querySelector('[data-search-form]');
  if (!form) return;
  const input = form.querySelector('[data-search-input]');
  const status = document.querySelector('[data-search-status]');
  const list = document.querySelector('[data-search-results]');
  const root = form.dataset.root || './';
  const index = new URL(form.dataset.index, location.href);
  const LIMIT = 50;
  const KINDS = { source: 'Source', summary: 'Summary', event: 'Event', brief: 'Brief' };

  const fetchJson = (path) =>
    fetch(new URL(path, index), { cache: 'no-store' }).then((r) => (r.ok ? r.json() : null));
  let meta = null;
  const shards = new Map();
  const chunks = new Map();

  // The index's words: lowercase runs of letters and digits, two characters or more.
  const words = (text) =>
    [...new Set((text.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []).filter((w) => [...w].length >= 2))];
  const shardKey = (word) =>
    [...new TextEncoder().encode([...word].slice(0, 2).join(''))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');

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
      if (found.terms[mid] < word) lo = mid + 1;
      else hi = mid;
    }
    for (let t = lo; t < found.terms.length && found.terms[t].startsWith(word); t++) {
      let id = 0;
      for (const gap of found.postings[t]) ids.add((id += gap));
    }
    return ids;
  }

  async function record(id) {
    const n = Math.floor(id / meta.chunk);
    if (!chunks.has(n)) chunks.set(n, fetchJson(`r/${n}.json`));
    const rows = await chunks.get(n);
    const [path, title, kind, label, text] = rows[id % meta.chunk];
    return { id, path, title, kind, label, text };
  }

  // The text around the first match, cut into plain and matching pieces.
  function excerpt(text, query) {
    const lower = text.toLowerCase();
    const starts = query.map((w) => lower.search(new RegExp(`(^|[^\\p{L}\\p{N}])${escape(w)}`, 'u')));
    const first = Math.min(...starts.filter((i) => i >= 0).map((i) => (i === 0 ? 0 : i + 1)), Infinity);
    const from = Number.isFinite(first) ? Math.max(0, first - 80) : 0;
    const to = Math.min(text.length, from + 240);
    const piece = text.slice(from, to);
    const pattern = new RegExp(`(^|[^\\p{L}\\p{N}])(${query.map(escape).join('|')})[\\p{L}\\p{N}]*`, 'giu');
    const parts = [];
    let last = 0;
    for (const m of piece.matchAll(pattern)) {
      const start = m.index + m[1].length;
      if (start > last) parts.push([piece.slice(last, start), false]);
      parts.push([piece.slice(start, m.index + m[0].length), true]);
      last = m.index + m[0].length;
    }
    if (last < piece.length) parts.push([piece.slice(last), false]);
    return { lead: from > 0, tail: to < text.length, parts };
  }

  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

  function show(results, query, total) {
    list.replaceChildren();
    for (const r of results) {
      const item = document.createElement('li');
      item.className = `search-result kind-${r.kind}`;
      const link = document.createElement('a');
      link.href = root + r.path;
      const kind = document.createElement('span');
      kind.className = 'result-kind';
      kind.textContent = KINDS[r.kind] || r.kind;
      const title = document.createElement('span');
      title.className = 'result-title';
      title.textContent = r.title;
      link.append(kind, ' ', title);
      if (r.label) {
        const label = document.createElement('span');
        label.className = 'result-label';
        label.textContent = r.label;
        link.append(' ', label);
      }
      const text = document.createElement('p');
      text.className = 'result-excerpt';
      const { lead, tail, parts } = excerpt(r.text, query);
      if (lead) text.append('…');
      for (const [piece, match] of parts) {
        if (match) {
          const mark = document.createElement('mark');
          mark.textContent = piece;
          text.append(mark);
        } else {
          text.append(piece);
        }
      }
      if (tail) text.append('…');
      item.append(link, text);
      list.append(item);
    }
    status.textContent =
      total === 0
        ? `Nothing matches “${query.join(' ')}”.`
        : total > results.length
          ? `${total} results; the ${results.length} best are shown.`
          : `${total} result${total === 1 ? '' : 's'}.`;
  }

  let latest = 0;
  async function search(text) {
    const query = words(text);
    const run = ++latest;
    if (query.length === 0) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = 'Searching…';
    meta ??= await fetchJson('meta.json');
    // Every word must match; rarer words weigh more.
    const sets = await Promise.all(query.map(postings));
    if (run !== latest) return;
    sets.sort((a, b) => a.size - b.size);
    const matching = [...sets[0]].filter((id) => sets.every((s) => s.has(id)));
    const weight = sets.reduce((sum, s) => sum + Math.log(1 + meta.records / Math.max(1, s.size)), 0);
    // Read a generous first slice in index order (summaries and the brief come first), then
    // rank it: words in the title, and summaries, first.
    const candidates = await Promise.all(matching.slice(0, LIMIT * 4).map(record));
    if (run !== latest) return;
    const score = (r) => {
      const title = r.title.toLowerCase();
      return weight + query.filter((w) => title.includes(w)).length * 3 + (r.kind === 'summary' ? 1 : 0);
    };
    candidates.sort((a, b) => score(b) - score(a) || a.id - b.id);
    show(candidates.slice(0, LIMIT), query, matching.length);
  }

  let timer = 0;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const url = new URL(location.href);
      if (input.value) url.searchParams.set('q', input.value);
      else url.searchParams.delete('q');
      history.replaceState(null, '', url);
      search(input.value);
    }, 150);
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    search(input.value);
  });
  const initial = new URLSearchParams(location.search).get('q');
  if (initial) {
    input.value = initial;
    search(initial);
  }
})();
