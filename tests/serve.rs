//! `dossier serve` against a temporary copy of the harbour dossier: types, pretty URLs, HEAD,
//! the 404 page, live reload (exactly one event per edit), the error overlay while the last
//! good build is served, recovery, editors' ways of saving, traversal attempts, Ctrl-C.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::Dossier;

/// A running `dossier serve`, stopped when dropped.
struct Server {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// Lines it prints, as they come.
    lines: Receiver<String>,
}

impl Server {
    fn start(dossier: &Dossier, extra: &[&str]) -> Server {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .current_dir(&dossier.root)
            .args(["serve", "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("serve starts");
        let (send, lines) = channel();
        let stdout = child.stdout.take().expect("piped");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        // Owned by a `Server` at once, so the process is reaped even if this start fails.
        let mut server = Server {
            child,
            addr: String::new(),
            lines,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while server.addr.is_empty() {
            let line = server
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .expect("serve prints its address");
            if let Some(rest) = line.strip_prefix("Serving http://") {
                server.addr = rest.split('/').next().expect("address").to_string();
            }
        }
        server
    }

    fn get(&self, path: &str) -> Response {
        request(&self.addr, "GET", path)
    }

    /// Wait until a line containing `needle` is printed.
    fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request over a raw socket, the path sent exactly as given (clients would
/// normalise `..`, which is what the traversal tests must not let happen).
fn request(addr: &str, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("writes");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: body.to_string(),
    }
}

/// The event stream, read on a thread: each event's name and data.
fn subscribe(addr: &str) -> Receiver<(String, String)> {
    let mut stream = TcpStream::connect(addr).expect("connects");
    write!(
        stream,
        "GET /__dossier/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .expect("writes");
    let (send, events) = channel();
    std::thread::spawn(move || {
        let mut name = String::new();
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && send.send((name.clone(), data.to_string())).is_err()
            {
                break;
            }
        }
    });
    // Let the subscription reach the server before anything changes.
    std::thread::sleep(Duration::from_millis(300));
    events
}

/// Poll until `check` holds, or fail after ten seconds.
fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn edit(dossier: &Dossier, rel: &str, from: &str, to: &str) {
    let path = dossier.root.join(rel);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn pages_and_assets_come_back_with_the_right_types() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "binds loopback by default: {}",
        server.addr
    );

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Why did the dredging contract double?"));
    assert!(
        home.body.contains("data-dossier-live"),
        "served pages carry the reload script"
    );

    let css = server.get("/style.css");
    assert_eq!(
        (css.status, css.header("content-type")),
        (200, Some("text/css; charset=utf-8"))
    );
    let page = server.get("/sources/courier-report/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Dredging bill doubles"));
    let file = server.get("/sources/courier-report/index.html");
    assert_eq!(file.status, 200);

    let redirect = server.get("/sources/courier-report");
    assert_eq!(
        (redirect.status, redirect.header("location")),
        (301, Some("/sources/courier-report/"))
    );

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    // No directory listings: a folder of the site without an index (the search index's
    // shards) is not found, with or without its slash; neither is a folder of the dossier.
    assert!(server.get("/search/s/").status == 404 && server.get("/search/r/").status == 404);
    assert_ne!(server.get("/search/s").status, 200);
    assert_eq!(server.get("/content/").status, 404);

    let head = request(&server.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        head.header("content-length")
            .map(|l| l.parse::<usize>().ok()),
        Some(Some(home.body.len()))
    );
    assert_eq!(request(&server.addr, "POST", "/").status, 405);

    // `build` output never carries the script.
    let site = dossier.build();
    assert!(!site.text("index.html").contains("data-dossier-live"));
}

#[test]
fn an_edit_appears_and_reloads_its_page_once() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let events = subscribe(&server.addr);
    edit(
        &dossier,
        "content/summaries/cost-overrun.md",
        "a claim the council's release repeats",
        "a claim the release repeats twice",
    );
    eventually("the edit to be served", || {
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("repeats twice")
    });
    // The print edition is rendered after the rest; asked for at once, it is never stale.
    assert!(server.get("/print/").body.contains("repeats twice"));
    let (name, data) = events
        .recv_timeout(Duration::from_secs(5))
        .expect("a reload event");
    assert_eq!(name, "reload");
    assert!(data.contains("/summaries/cost-overrun/"), "{data}");
    // The print edition follows in an event of its own; nothing reloads the edited page again
    // (the rebuild reads files; reads must not echo).
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("an event for the lagging pages");
    assert_eq!(name, "reload");
    assert!(data.contains("\"/print/\""), "{data}");
    assert!(
        !data.contains("/summaries/cost-overrun/") && data.contains("\"all\":false"),
        "{data}"
    );
    server.wait_for_line("content/summaries/cost-overrun.md changed");
    // Events come in order: the next one after a second, unrelated edit is that edit's, so
    // none came in between (no waiting for a silence that a slow machine might not keep).
    edit(
        &dossier,
        "content/_index.md",
        "**Bottom line.**",
        "**In short.**",
    );
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("the second edit's event");
    assert_eq!(name, "reload");
    assert!(
        data.contains("\"/\"") && !data.contains("/summaries/cost-overrun/"),
        "an event between the two edits: {data}"
    );
}

#[test]
fn a_broken_edit_shows_the_errors_and_keeps_serving_until_fixed() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let events = subscribe(&server.addr);
    edit(
        &dossier,
        "content/summaries/cost-overrun.md",
        "(src:committee-minutes#p4)",
        "(src:committee-minutes#p40)",
    );
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("an errors event");
    assert_eq!(name, "errors");
    assert!(
        data.contains("content/summaries/cost-overrun.md:21:40"),
        "{data}"
    );
    assert!(
        data.contains("source `committee-minutes` has no paragraph 40"),
        "{data}"
    );
    // The last good build is still served, in full.
    let page = server.get("/summaries/cost-overrun/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("../../sources/committee-minutes/#p4\""));
    // A tab opened now learns of the errors at once.
    let late = subscribe(&server.addr);
    let (name, _) = late
        .recv_timeout(Duration::from_secs(5))
        .expect("errors on connect");
    assert_eq!(name, "errors");
    // Fixing it reloads every tab.
    edit(
        &dossier,
        "content/summaries/cost-overrun.md",
        "(src:committee-minutes#p40)",
        "(src:committee-minutes#p3)",
    );
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("a reload event");
    assert_eq!(name, "reload");
    assert!(data.contains("\"all\":true"), "{data}");
    assert!(
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("../../sources/committee-minutes/#p3\"")
    );
}

#[test]
fn a_dossier_that_does_not_build_at_first_shows_its_errors_then_recovers() {
    let dossier = Dossier::harbour();
    dossier.break_with("missing-id");
    let server = Server::start(&dossier, &[]);
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(
        page.body.contains("no source with id `counsil-release`"),
        "{}",
        page.body
    );
    edit(
        &dossier,
        "content/summaries/release-typo.md",
        "counsil-release",
        "council-release",
    );
    eventually("the fixed dossier to be served", || {
        server.get("/").status == 200
    });
}

#[test]
fn editors_ways_of_saving_are_all_seen() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let summary = dossier.root.join("content/summaries/cost-overrun.md");
    let original = std::fs::read_to_string(&summary).expect("read");

    // Write to a temporary file, then rename over the original (vim, many IDEs).
    let temp = dossier.root.join("content/summaries/.cost-overrun.md.tmp");
    std::fs::write(
        &temp,
        original.replace("## What the council claims", "## What the council said"),
    )
    .expect("write");
    std::fs::rename(&temp, &summary).expect("rename");
    eventually("rename-over to be seen", || {
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("What the council said")
    });

    // Truncate, then write (some editors, `>` redirection), with a pause between.
    std::fs::write(&summary, "").expect("truncate");
    std::thread::sleep(Duration::from_millis(200));
    std::fs::write(
        &summary,
        original.replace("## What the council claims", "## What the council wrote"),
    )
    .expect("write");
    eventually("truncate-then-write to settle", || {
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("What the council wrote")
    });

    // A burst of saves ends on the last one.
    for n in 0..10 {
        std::fs::write(
            &summary,
            original.replace("## What the council claims", &format!("## Burst {n}")),
        )
        .expect("write");
    }
    eventually("the last of a burst", || {
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("Burst 9")
    });

    // A new folder that did not exist at start, with a template in it.
    dossier.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<p>Adrift.</p>{% endblock content %}",
    );
    eventually("a new templates folder", || {
        server.get("/nowhere/").body.contains("Adrift.")
    });

    // A new page, then its deletion.
    dossier.write(
        "content/summaries/fresh.md",
        "+++\ntitle = \"Fresh\"\n+++\n\nNew [minutes](src:committee-minutes#p2).\n",
    );
    eventually("a new page", || {
        server.get("/summaries/fresh/").status == 200
    });
    std::fs::remove_file(dossier.root.join("content/summaries/fresh.md")).expect("remove");
    eventually("a deleted page to go", || {
        server.get("/summaries/fresh/").status == 404
    });
}

#[test]
fn nothing_outside_the_build_is_ever_served() {
    let dossier = Dossier::harbour();
    // A symbolic link pointing out of the dossier, where static files are copied from.
    std::fs::create_dir_all(dossier.root.join("static")).expect("mkdir");
    std::os::unix::fs::symlink(
        dossier.root.join("site.toml"),
        dossier.root.join("static/leak.txt"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink("/etc", dossier.root.join("static/etc")).expect("symlink");
    let server = Server::start(&dossier, &[]);
    let secret = "briefs.example.org/kestrel\"";
    for path in [
        "/../site.toml",
        "/../../../../etc/passwd",
        "/%2e%2e/site.toml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/sources/..%2f..%2fsite.toml",
        "/sources%2f..%2f..%2fsite.toml",
        "/..%5csite.toml",
        "/.%2e/site.toml",
        "//etc/passwd",
        "/leak.txt",
        "/etc/passwd",
        "/site.toml",
        "/content/_index.md",
    ] {
        let response = request(&server.addr, "GET", path);
        assert!(
            matches!(response.status, 400 | 404),
            "{path}: {}",
            response.status
        );
        assert!(
            !response.body.contains(secret) && !response.body.contains("root:x:0:0"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn a_busy_port_says_to_pick_another() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let port = server.addr.rsplit(':').next().expect("port").to_string();
    let out = dossier.run(&["serve", "--port", &port]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("already in use") && err.contains("--port"),
        "{err}"
    );
}

#[test]
fn ctrl_c_stops_it_cleanly_even_with_a_tab_open() {
    let dossier = Dossier::harbour();
    let mut server = Server::start(&dossier, &[]);
    let _events = subscribe(&server.addr);
    let pid = server.child.id().to_string();
    let status = Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().expect("waits") {
            break exit;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "{exit:?}");
    server.wait_for_line("Stopped.");
    assert!(!dossier.public().exists(), "serve writes nothing");
}

#[test]
fn the_search_index_catches_up_with_an_edit() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    // "zymurgy" is in no page yet: its shard (first letters "zy") does not exist.
    assert_eq!(server.get("/search/s/7a79.json").status, 404);
    edit(
        &dossier,
        "content/summaries/cost-overrun.md",
        "## What the record shows",
        "Zymurgy aside.\n\n## What the record shows",
    );
    eventually("the new word to be indexed", || {
        let shard = server.get("/search/s/7a79.json");
        shard.status == 200 && shard.body.contains("\"zymurgy\"")
    });
}

/// One request with the Host header (and request target) given.
fn request_for_host(addr: &str, target: &str, host: Option<&str>) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    let host = host.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\n{host}Connection: close\r\n\r\n"
    )
    .expect("writes");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("reads");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    Response {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

#[test]
fn requests_for_another_host_are_refused_and_loopback_names_answered() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let port = server.addr.rsplit(':').next().expect("port");
    // What a page elsewhere sends once its name is rebound onto 127.0.0.1.
    for host in ["evil.example", &format!("evil.example:{port}")] {
        let refused = request_for_host(&server.addr, "/", Some(host));
        assert_eq!(refused.status, 403, "{host}");
        assert!(refused.body.contains("DNS rebinding"), "{}", refused.body);
        assert!(!refused.body.contains("dredging"), "nothing of the dossier");
    }
    let events = request_for_host(&server.addr, "/__dossier/events", Some("evil.example"));
    assert_eq!(events.status, 403, "the event stream is guarded too");
    let absolute = request_for_host(&server.addr, "http://evil.example/", Some(&server.addr));
    assert_eq!(absolute.status, 403, "an absolute URI for another host");
    assert_eq!(request_for_host(&server.addr, "/", None).status, 403);
    for host in [
        format!("localhost:{port}"),
        format!("preview.localhost:{port}"),
        server.addr.clone(),
        format!("[::1]:{port}"),
    ] {
        let answered = request_for_host(&server.addr, "/", Some(&host));
        assert_eq!(answered.status, 200, "{host}");
        assert!(answered.body.contains("dredging"), "{host}");
    }
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let mut stream = TcpStream::connect(&server.addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(40)))
        .expect("timeout");
    let started = Instant::now();
    stream.write_all(b"GET / HT").expect("writes");
    let mut rest = Vec::new();
    // Ends when the server closes (a reset is a close too); a read timeout is the failure.
    if let Err(e) = stream.read_to_end(&mut rest) {
        assert!(
            !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            "still open after {:?}",
            started.elapsed()
        );
    }
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "closed only after {:?}",
        started.elapsed()
    );
    // The server still answers others.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn a_doubled_slash_never_redirects_to_another_host() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    for path in ["//sources", "///sources"] {
        let response = server.get(path);
        assert_eq!(response.status, 301, "{path}");
        assert_eq!(response.header("location"), Some("/sources/"), "{path}");
    }
}

#[test]
fn serving_on_every_interface_links_to_a_reachable_address() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &["--interface", "0.0.0.0"]);
    assert!(
        server.addr.starts_with("127.0.0.1:"),
        "prints a reachable address: {}",
        server.addr
    );
    let feed = server.get("/atom.xml");
    assert_eq!(feed.status, 200);
    assert!(
        feed.body.contains(&format!("http://{}/", server.addr)),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("0.0.0.0"), "{}", feed.body);
}

/// Poll until what is served equals a fresh build of the dossier as it now is (the reload
/// script aside), or fail naming the stale pages.
fn assert_serves_a_fresh_build(server: &Server, dossier: &Dossier) {
    // Built once: reading the dossier again and again would keep the watcher busy, and the
    // search index waits for quiet.
    let options = dossier::pipeline::Options {
        root: dossier.root.clone(),
        drafts: false,
        base_url: Some(format!("http://{}", server.addr)),
    };
    let (session, _) = dossier::rebuild::Session::start(options).expect("a dossier");
    let expected: Vec<(String, String)> = session
        .pages()
        .iter()
        .map(|(path, bytes)| {
            let bytes = if path.ends_with(".html") {
                dossier::serve::live::inject(bytes)
            } else {
                bytes.to_vec()
            };
            (path.clone(), String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let stale: Vec<&String> = expected
            .iter()
            .filter(|(path, body)| {
                let served = server.get(&format!("/{path}"));
                served.status != 200 || served.body != *body
            })
            .map(|(path, _)| path)
            .collect();
        if stale.is_empty() {
            return;
        }
        assert!(Instant::now() < deadline, "stale pages: {stale:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn content_moved_away_shows_an_error_and_moved_back_recovers() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    let events = subscribe(&server.addr);
    let away = dossier.root.with_file_name("content-away");
    std::fs::rename(dossier.root.join("content"), &away).expect("move away");
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("an errors event");
    assert_eq!(name, "errors");
    assert!(data.contains("no `content/` folder"), "{data}");
    // The last good build stays served, with the errors over it for tabs opened now.
    assert_eq!(server.get("/").status, 200);
    let late = subscribe(&server.addr);
    let (name, _) = late.recv_timeout(Duration::from_secs(5)).expect("errors");
    assert_eq!(name, "errors");

    std::fs::rename(&away, dossier.root.join("content")).expect("move back");
    let (name, data) = events
        .recv_timeout(Duration::from_secs(10))
        .expect("a reload event");
    assert_eq!(name, "reload", "{data}");
    // Later edits are seen, and what is served equals a fresh build.
    edit(
        &dossier,
        "content/summaries/cost-overrun.md",
        "a claim the council's release repeats",
        "a claim the release repeats twice",
    );
    eventually("the later edit to be served", || {
        server
            .get("/summaries/cost-overrun/")
            .body
            .contains("repeats twice")
    });
    assert_serves_a_fresh_build(&server, &dossier);
}

const NEW_EVENT: &str = "+++\ntitle = \"Dredging resumes\"\ndate = 2021-03-01\nsources = [\"courier-report\"]\n+++\n\nThe [Courier](src:courier-report#p3) reports work again.\n";

#[test]
fn the_events_folder_replaced_by_a_copy_with_one_more_event_is_read() {
    let dossier = Dossier::harbour();
    let server = Server::start(&dossier, &[]);
    assert!(!server.get("/timeline/").body.contains("Dredging resumes"));
    // As a checkout of another branch does: the folder goes, a new one takes its place.
    let copy = dossier.root.with_file_name("events-copy");
    common::copy_tree(&dossier.root.join("content/events"), &copy);
    std::fs::write(copy.join("dredging-resumes.md"), NEW_EVENT).expect("write");
    std::fs::rename(
        dossier.root.join("content/events"),
        dossier.root.with_file_name("events-old"),
    )
    .expect("move away");
    std::fs::rename(&copy, dossier.root.join("content/events")).expect("move in");
    eventually("the new event on the timeline", || {
        server.get("/timeline/").body.contains("Dredging resumes")
    });
    assert_serves_a_fresh_build(&server, &dossier);
    // Later edits in the new folder are seen too.
    edit(
        &dossier,
        "content/events/dredging-resumes.md",
        "reports work again",
        "reports the dredgers back",
    );
    eventually("the edit to the new event", || {
        server.get("/timeline/").body.contains("dredgers back")
    });
    assert_serves_a_fresh_build(&server, &dossier);
}

#[test]
fn a_folder_moved_into_content_is_read() {
    // The shipped dossier: its pages show no more of the site when events arrive, so only
    // reading the new folder brings them.
    let dossier = Dossier::shipped();
    let outside = dossier.root.with_file_name("events-elsewhere");
    std::fs::rename(dossier.root.join("content/events"), &outside).expect("move out");
    let server = Server::start(&dossier, &[]);
    let title = "Meta releases Llama 3";
    assert!(!server.get("/timeline/").body.contains(title));
    std::fs::rename(&outside, dossier.root.join("content/events")).expect("move in");
    eventually("the events on the timeline", || {
        server.get("/timeline/").body.contains(title)
    });
    assert_serves_a_fresh_build(&server, &dossier);
}
