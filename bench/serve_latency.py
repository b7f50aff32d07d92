#!/usr/bin/env python3
"""Edit-to-reload latency of `dossier serve`: the time from saving a summary to (1) the
reload event reaching an open tab and (2) the server returning the edited page.

Starts `dossier serve --port 0` on DOSSIER_ROOT, subscribes to its event stream like a
browser tab, then repeatedly edits one summary (appending a marker to its body), and times
both. Prints each run and the median. Only the Python standard library is used.

Usage:
  python3 bench/serve_latency.py --binary target/release/dossier --root /tmp/d10k \
      --summary content/summaries/summary-0007.md --runs 11
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time


def start_server(binary, root):
    proc = subprocess.Popen(
        [binary, "serve", "--port", "0"], cwd=root,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in proc.stdout:
        m = re.match(r"Serving http://([^/]+)/", line)
        if m:
            threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
            host, port = m.group(1).rsplit(":", 1)
            return proc, host, int(port)
    raise SystemExit("serve did not start")


class Tab:
    """An open tab: collects the time each reload event arrives."""

    def __init__(self, host, port):
        self.events = []
        self.cond = threading.Condition()
        conn = http.client.HTTPConnection(host, port)
        conn.request("GET", "/__dossier/events", headers={"Accept": "text/event-stream"})
        self.resp = conn.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name = None
        while True:
            line = self.resp.fp.readline()
            if not line:
                return
            line = line.decode().rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: ") and name == "reload":
                with self.cond:
                    self.events.append(time.perf_counter())
                    self.cond.notify_all()

    def wait_reload(self, after, timeout=30):
        deadline = time.perf_counter() + timeout
        with self.cond:
            while True:
                late = [t for t in self.events if t >= after]
                if late:
                    return late[0]
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise SystemExit("no reload event")
                self.cond.wait(left)


def page_url(summary):
    slug = os.path.splitext(os.path.basename(summary))[0]
    return "/summaries/%s/" % slug


def wait_page(host, port, path, marker, timeout=30):
    deadline = time.perf_counter() + timeout
    conn = http.client.HTTPConnection(host, port)
    while time.perf_counter() < deadline:
        conn.request("GET", path)
        body = conn.getresponse().read().decode()
        if marker in body:
            return time.perf_counter()
        time.sleep(0.002)
    raise SystemExit("edited page never served")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="target/release/dossier")
    ap.add_argument("--root", required=True)
    ap.add_argument("--summary", required=True, help="path of a summary, relative to the root")
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--pause", type=float, default=2.0, help="seconds between edits (default 2)")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary)
    path = os.path.join(args.root, args.summary)
    original = open(path, encoding="utf-8").read()
    proc, host, port = start_server(binary, args.root)
    try:
        tab = Tab(host, port)
        time.sleep(0.5)
        to_event, to_page = [], []
        for run in range(args.runs):
            marker = "latency-marker-%d-%d" % (os.getpid(), run)
            saved = time.perf_counter()
            with open(path, "w", encoding="utf-8") as f:
                f.write(original + "\n" + marker + "\n")
            event = tab.wait_reload(saved)
            served = wait_page(host, port, page_url(args.summary), marker)
            to_event.append((event - saved) * 1000)
            to_page.append((served - saved) * 1000)
            print("run %2d: reload event %6.1f ms, page served %6.1f ms" % (run + 1, to_event[-1], to_page[-1]))
            # Let the server go idle: the print edition, the feed and (after 0.4 s of quiet) the
            # search index follow each edit, and the next save should not queue behind them.
            time.sleep(args.pause)
        print("median: reload event %.1f ms, page served %.1f ms (%d runs)"
              % (statistics.median(to_event), statistics.median(to_page), args.runs))
    finally:
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    sys.exit(main())
