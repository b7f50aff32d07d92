#!/usr/bin/env python3
"""Originals benchmark (issue 14): the same synthetic dossier with its sources as plain text, as
saved web pages and as PDFs, timed for `dossier build` and `dossier check --extraction`.

Each variant starts from the same corpus (../shared/bench/gen_corpus.py, same seed). For the
HTML and PDF variants every source's text is written out as a document — a web page with
navigation, a cookie banner, a script and a footer around the article; a PDF made by ReportLab
(a real producer, installed with pip when missing) — and filed with `dossier add-source`, so
the original, the extracted text and the sidecar's [original] table are exactly what a user
gets. The corpus's own sidecars keep their metadata and taxonomies; the [original] table is
added to them. Summaries cite and quote the sources as before, so quotations are checked
against the extracted text.

  python3 bench/originals.py --n 1000 --runs 5
  python3 bench/originals.py --n 1000 --kinds pdf --binary target/release/dossier

Prints the median wall and CPU time (user + system) and peak memory of each command, measured
with wait4(2), and each run's wall time. Corpora go to /dev/shm when it exists.
"""

import argparse
import html
import os
import shutil
import subprocess
import sys
import tempfile
import time

# The timing helpers are the main benchmark's (bench/run.py, beside this file).
from run import ROOT, SCRATCH, measure

def paragraphs(text):
    """The source's paragraphs as the corpus writes them (`paragraphs = "blocks"`)."""
    out = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if not lines:
            continue
        quoted = all(line.startswith(">") for line in lines)
        words = " ".join(line.lstrip("> ").strip() if quoted else line for line in lines)
        out.append((quoted, words))
    return out


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:site_name" content="Archive Example">
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
<style>body{{font-family:sans-serif}} .cookie{{position:fixed;bottom:0}}</style></head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world/">World</a></li>
<li><a href="/business/">Business</a></li><li><a href="/subscribe/">Subscribe</a></li></ul></nav></header>
<div class="cookie" role="dialog"><p>We use cookies to improve your experience.</p><button>Accept</button></div>
<main><article>
{body}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a/">Another story</a></li><li><a href="/b/">And another</a></li></ul></aside>
<footer><p>© Archive Example. All rights reserved.</p><p><a href="/privacy/">Privacy</a></p></footer>
<script>document.querySelector('.cookie button').onclick = () => {{}};</script>
</body></html>
"""


def write_html(path, title, paras):
    body = []
    for quoted, words in paras:
        p = "<p>%s</p>" % html.escape(words, quote=False)
        body.append("<blockquote>%s</blockquote>" % p if quoted else p)
    with open(path, "w", encoding="utf-8") as f:
        f.write(PAGE.format(title=html.escape(title), body="\n".join(body)))


def reportlab():
    try:
        import reportlab  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "reportlab"], check=True)


def write_pdf(path, title, paras):
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    styles = getSampleStyleSheet()
    story = [Paragraph(escape(words), styles["Italic" if quoted else "BodyText"])
             for quoted, words in paras]
    # invariant=1: no creation date or random id in the file, so the corpus is the same bytes.
    SimpleDocTemplate(path, pagesize=A5, title=title, author="Archive Example",
                      invariant=1).build(story)


def title_of(sidecar):
    for line in sidecar.splitlines():
        if line.startswith("title = "):
            return line[len("title = "):].strip().strip('"')
    return ""


def convert(corpus, kind, binary):
    """Turn every source of `corpus` into an original of `kind`, filed with add-source."""
    sources = os.path.join(corpus, "content", "sources")
    scratch = tempfile.mkdtemp(dir=SCRATCH, prefix="originals-")
    try:
        subprocess.run([binary, "new", os.path.join(scratch, "d")], check=True,
                       stdout=subprocess.DEVNULL)
        target = os.path.join(scratch, "d", "content", "sources")
        for name in os.listdir(target):
            os.remove(os.path.join(target, name))
        ids = sorted(n[:-4] for n in os.listdir(sources) if n.endswith(".txt"))
        for sid in ids:
            with open(os.path.join(sources, sid + ".txt"), encoding="utf-8") as f:
                paras = paragraphs(f.read())
            with open(os.path.join(sources, sid + ".toml"), encoding="utf-8") as f:
                sidecar = f.read()
            title = title_of(sidecar)
            original = os.path.join(scratch, "%s.%s" % (sid, kind))
            (write_html if kind == "html" else write_pdf)(original, title, paras)
            subprocess.run([binary, "add-source", original, "--kind", "article", "--id", sid,
                            "--title", title, "--root", os.path.join(scratch, "d")],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(os.path.join(target, sid + ".toml"), encoding="utf-8") as f:
                filed = f.read()
            block = filed[filed.index("[original]"):]
            # The derived text holds one paragraph per line, as add-source writes it: the
            # corpus's `paragraphs = "blocks"` (for its hard-wrapped text) would make the whole
            # document one paragraph.
            kept = "".join(line for line in sidecar.splitlines(keepends=True)
                           if not line.startswith("paragraphs = "))
            with open(os.path.join(sources, sid + ".toml"), "w", encoding="utf-8") as f:
                f.write(kept.rstrip("\n") + "\n\n" + block)
            for ext in ("txt", kind):
                shutil.move(os.path.join(target, "%s.%s" % (sid, ext)),
                            os.path.join(sources, "%s.%s" % (sid, ext)))
            os.remove(os.path.join(target, sid + ".toml"))
    finally:
        shutil.rmtree(scratch)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="sources (default 1000)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--kinds", nargs="+", default=["txt", "html", "pdf"], choices=["txt", "html", "pdf"])
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "dossier"))
    ap.add_argument("--generator", default=os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if "pdf" in args.kinds:
        reportlab()
    for kind in args.kinds:
        corpus = os.path.join(SCRATCH, "originals-%s-%d" % (kind, args.n))
        if not os.path.isdir(corpus):
            subprocess.run([sys.executable, args.generator, "--format", "dossier", "--n", str(args.n),
                            "--out", corpus + ".part", "--force"], check=True, stdout=subprocess.DEVNULL)
            if kind != "txt":
                started = time.perf_counter()
                convert(corpus + ".part", kind, binary)
                print("%s: %d sources filed with add-source in %.1f s"
                      % (kind, args.n, time.perf_counter() - started))
            os.rename(corpus + ".part", corpus)
        out = os.path.join(SCRATCH, "originals-out-%s-%d" % (kind, args.n))
        print("%d %s sources (%s)" % (args.n, kind, corpus))
        measure("build", [binary, "build", "--root", corpus, "--output", out], args.runs)
        measure("check", [binary, "check", "--root", corpus], args.runs)
        if kind != "txt":
            measure("check --extraction", [binary, "check", "--extraction", "--root", corpus], args.runs)


if __name__ == "__main__":
    main()
