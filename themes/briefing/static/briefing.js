// briefing — progressive enhancement only; every page works without this file.
// 1. A preview of the cited passage when a citation is hovered or focused, built from the
//    page's own notes list (li#cite-N), so nothing is fetched.
// 2. On narrow screens, where "cited by" lists sit beneath source paragraphs, long ones
//    start folded.
// 3. Before printing, every folded list is opened.
(function () {
  'use strict';
  var doc = document;
  var tip = null;
  var owner = null;
  var hideTimer = 0;
  var CITE = 'a.cite, sup.cite-ref > a';

  // The note a citation leads to: the one its number links to (ids may carry a prefix, as in
  // the print edition), else li#cite-N.
  function noteFor(link) {
    var sup = link.matches('a.cite') ? link.nextElementSibling : link.parentElement;
    var ref = sup && sup.matches('sup.cite-ref') ? sup.querySelector('a') : link;
    var href = (ref && ref.getAttribute('href')) || '';
    var note = href.charAt(0) === '#' ? doc.getElementById(href.slice(1)) : null;
    var n = link.getAttribute('data-cite');
    return note && note.tagName === 'LI' ? note : n ? doc.getElementById('cite-' + n) : null;
  }

  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function build(note) {
    var title = note.querySelector('.note-title');
    var para = note.querySelector('.note-para');
    var words = note.querySelector('.note-quote, .note-excerpt');
    var box = el('div');
    var head = el('p', 'cp-source', title ? title.textContent : 'Source');
    if (para) {
      head.appendChild(doc.createTextNode(' '));
      head.appendChild(el('span', 'cp-para', para.textContent));
    }
    box.appendChild(head);
    // The cited source's grade (Admiralty code), with its meaning.
    var grade = note.querySelector('.grade-tip');
    if (grade) box.appendChild(el('p', 'cp-grade', 'Graded ' + grade.textContent));
    if (words) {
      var w = el('p', 'cp-words');
      if (words.classList.contains('note-quote')) {
        w.appendChild(el('mark', null, '“' + words.textContent + '”'));
      } else {
        w.textContent = words.textContent;
      }
      box.appendChild(w);
    }
    return box;
  }

  function preview() {
    if (!tip) {
      tip = el('div', 'cite-preview');
      tip.id = 'cite-preview';
      tip.setAttribute('role', 'tooltip');
      tip.hidden = true;
      tip.addEventListener('mouseenter', function () { clearTimeout(hideTimer); });
      tip.addEventListener('mouseleave', function () { scheduleHide(); });
      doc.body.appendChild(tip);
    }
    return tip;
  }

  function place(link) {
    var rects = link.getClientRects();
    var r = rects[rects.length - 1] || link.getBoundingClientRect();
    var gap = 8;
    var vw = doc.documentElement.clientWidth;
    var w = tip.offsetWidth;
    var h = tip.offsetHeight;
    var left = Math.min(Math.max(gap, r.left), vw - w - gap);
    var top = r.bottom + gap;
    if (top + h > window.innerHeight && r.top - h - gap > 0) top = r.top - h - gap;
    tip.style.left = Math.round(left + window.scrollX) + 'px';
    tip.style.top = Math.round(top + window.scrollY) + 'px';
  }

  function show(link) {
    var note = noteFor(link);
    if (!note) return;
    clearTimeout(hideTimer);
    if (owner === link && !tip.hidden) return;
    hide();
    preview().replaceChildren(build(note));
    tip.hidden = false;
    place(link);
    owner = link;
    link.setAttribute('aria-describedby', 'cite-preview');
  }

  function hide() {
    clearTimeout(hideTimer);
    if (tip) tip.hidden = true;
    if (owner) owner.removeAttribute('aria-describedby');
    owner = null;
  }

  function scheduleHide() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  }

  doc.addEventListener('mouseover', function (e) {
    var link = e.target.closest && e.target.closest(CITE);
    if (link) show(link);
  });
  doc.addEventListener('mouseout', function (e) {
    var link = e.target.closest && e.target.closest(CITE);
    if (link && link === owner && !(e.relatedTarget && link.contains(e.relatedTarget)) && doc.activeElement !== link) scheduleHide();
  });
  doc.addEventListener('focusin', function (e) {
    var link = e.target.closest && e.target.closest(CITE);
    if (link) show(link);
    else if (owner) hide();
  });
  doc.addEventListener('focusout', function (e) {
    if (e.target === owner) scheduleHide();
  });
  doc.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && owner) hide();
  });
  window.addEventListener('resize', function () { if (owner) place(owner); });

  // Long "cited by" lists fold on narrow screens, where they sit beneath the paragraph.
  var narrow = window.matchMedia('(max-width: 67.99rem)');
  function fold() {
    var lists = doc.querySelectorAll('.para-cited details');
    for (var i = 0; i < lists.length; i++) {
      if (lists[i].querySelectorAll('li:not(.same-page)').length > 2) lists[i].open = !narrow.matches;
    }
  }
  fold();
  if (narrow.addEventListener) narrow.addEventListener('change', fold);

  var closed = [];
  window.addEventListener('beforeprint', function () {
    closed = Array.prototype.filter.call(doc.querySelectorAll('details:not([open])'), function (d) { d.open = true; return true; });
    hide();
  });
  window.addEventListener('afterprint', function () {
    closed.forEach(function (d) { d.open = false; });
    closed = [];
  });
})();
