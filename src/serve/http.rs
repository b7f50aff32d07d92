//! The HTTP side of `serve`, on axum: pages come from the build held in memory, never from the
//! disk, so nothing outside the output can be served whatever the request says. Pretty URLs,
//! `HEAD`, the site's 404 page, no directory listings; requests that try to climb out
//! (`..`, encoded dots or slashes) are refused outright. Only requests addressed to this
//! machine by a loopback name or an IP address are answered, so a page elsewhere cannot read
//! the preview through DNS rebinding; a client that never finishes its headers is cut off.

use std::collections::BTreeSet;
use std::convert::Infallible;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::percent_decode_str;
use tokio::sync::{broadcast, watch};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use super::live::{self, EVENTS_PATH, LiveEvent};
use crate::rebuild::Pages;

/// What the server shows: the last good build, and the errors of the latest build if it failed.
#[derive(Debug, Clone, Default)]
pub struct Served {
    /// Output path → bytes.
    pub pages: Arc<Pages>,
    /// The diagnostics of the latest build, when it failed.
    pub errors: Option<String>,
    /// Output files about to be replaced (see `Session::render_lagging`): a request for one
    /// waits for them.
    pub lagging: Arc<BTreeSet<String>>,
}

/// The longest a request waits for a lagging page before it is served as it is.
const LAG_LIMIT: std::time::Duration = std::time::Duration::from_secs(10);

/// State shared by the handlers and the rebuild loop.
#[derive(Debug)]
pub struct AppState {
    /// The current build.
    pub served: RwLock<Served>,
    /// Live events for open tabs; taken (and so closed) at shutdown, which ends every stream.
    pub events: Mutex<Option<broadcast::Sender<LiveEvent>>>,
    /// Counts the builds served, so a request can wait for the next one.
    generation: watch::Sender<u64>,
}

impl AppState {
    /// State serving `served`.
    pub fn new(served: Served) -> AppState {
        let (sender, _) = broadcast::channel(64);
        AppState {
            served: RwLock::new(served),
            events: Mutex::new(Some(sender)),
            generation: watch::Sender::new(0),
        }
    }

    /// Replace what is served and tell the open tabs.
    pub fn publish(&self, served: Served, event: LiveEvent) {
        self.replace(served);
        if let Ok(events) = self.events.lock()
            && let Some(sender) = events.as_ref()
        {
            // No open tab is not an error.
            let _ = sender.send(event);
        }
    }

    /// Replace what is served without telling the open tabs.
    pub fn replace(&self, served: Served) {
        if let Ok(mut current) = self.served.write() {
            *current = served;
        }
        self.generation.send_modify(|n| *n += 1);
    }

    /// What is served once no page lags behind (or after `LAG_LIMIT` in all, as it is then).
    pub async fn settled(&self) -> Served {
        let deadline = tokio::time::Instant::now() + LAG_LIMIT;
        // Subscribed before reading, so a build served in between is not missed.
        let mut builds = self.generation.subscribe();
        loop {
            let served = self.current();
            if served.lagging.is_empty() {
                return served;
            }
            match tokio::time::timeout_at(deadline, builds.changed()).await {
                Ok(Ok(())) => {}
                _ => return served,
            }
        }
    }

    /// Close the event streams so open connections end and the server can stop.
    pub fn close(&self) {
        if let Ok(mut events) = self.events.lock() {
            events.take();
        }
    }

    fn current(&self) -> Served {
        self.served.read().map(|s| s.clone()).unwrap_or_default()
    }
}

/// The routes: the event stream, and every other path looked up in the build; requests for
/// another host are refused before either.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        .with_state(state)
        .layer(middleware::from_fn(check_host))
}

/// How long a client may take to send a request's headers before its connection is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Answer connections on `listener` with `app` until `shutdown` completes, then let open
/// connections finish their requests (event streams end when the state is closed).
pub async fn serve_connections(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let (stop, stopping) = watch::channel(());
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, or a connection reset before it was taken: the
                // listener itself is fine, so try again shortly.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            // axum::serve sets no timer, so hyper cannot time out headers: serve by hand.
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => return,
                _ = stopping.changed() => connection.as_mut().graceful_shutdown(),
            }
            // A failed connection is the client's business, not the server's.
            let _ = connection.await;
        });
    }
    drop(stopping);
    let _ = stop.send(());
    // Every connection holds a receiver until it ends.
    stop.closed().await;
}

/// Refuse a request whose Host (or absolute URI) is not this machine by a loopback name or an
/// IP address. A browser tricked by DNS rebinding sends the attacker's host name, which is
/// refused; a name cannot be rebound onto an IP literal, so those are safe to answer (as
/// webpack-dev-server and Vite do). A request without Host (HTTP/1.0) comes from no browser,
/// but is refused too: every client worth using sends one.
async fn check_host(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let authority = request.uri().authority().map(|a| a.as_str());
    match host {
        Some(host) if allowed_host(host) && authority.is_none_or(allowed_host) => {
            next.run(request).await
        }
        _ => {
            let asked = authority.or(host).unwrap_or("no host at all");
            let text = format!(
                "dossier serve answers only requests for localhost or an IP address of this machine, and this one was for {asked}: open the address `dossier serve` printed. (This keeps other sites from reading the preview through DNS rebinding.)\n"
            );
            (StatusCode::FORBIDDEN, text).into_response()
        }
    }
}

/// Whether a Host value (`name[:port]`) names this machine: `localhost`, a name under
/// `.localhost` (which resolves to loopback by definition), or an IP address.
pub fn allowed_host(host: &str) -> bool {
    let host = host.trim();
    let (name, port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        if inside.parse::<Ipv6Addr>().is_err() {
            return false;
        }
        (
            None,
            after
                .strip_prefix(':')
                .or(Some(after).filter(|a| a.is_empty())),
        )
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) => (Some(name), Some(port)),
            None => (Some(host), Some("")),
        }
    };
    let port_ok = port.is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let name_ok = name.is_none_or(|name| {
        let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
        name == "localhost" || name.ends_with(".localhost") || name.parse::<Ipv4Addr>().is_ok()
    });
    port_ok && name_ok
}

async fn events(State(state): State<Arc<AppState>>) -> Response {
    let receiver = state
        .events
        .lock()
        .ok()
        .and_then(|e| e.as_ref().map(broadcast::Sender::subscribe));
    let Some(receiver) = receiver else {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    };
    // A tab that connects while the build is broken sees the errors at once.
    let initial = state
        .current()
        .errors
        .map(|text| LiveEvent::Errors { text });
    let stream = tokio_stream::iter(initial)
        .chain(BroadcastStream::new(receiver).filter_map(Result::ok))
        .map(|e| Ok::<_, Infallible>(Event::default().event(e.name()).data(e.json())));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// An output file.
    Found(String),
    /// A folder without its trailing slash: redirect, so relative links resolve.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// A path that tries to climb out or hides separators: refused.
    Refused,
}

/// Map a raw request path onto the build.
pub fn lookup(raw: &str, pages: &Pages) -> Lookup {
    let lower = raw.to_ascii_lowercase();
    // Encoded separators are refused rather than decoded: no page has one in its name.
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Lookup::Refused;
    }
    let Ok(decoded) = percent_decode_str(raw).decode_utf8() else {
        return Lookup::Refused;
    };
    if decoded.contains('\\') || decoded.split('/').any(|s| s == ".." || s == ".") {
        return Lookup::Refused;
    }
    let key = decoded.trim_start_matches('/');
    if key.is_empty() || key.ends_with('/') {
        let index = format!("{key}index.html");
        return if pages.contains_key(&index) {
            Lookup::Found(index)
        } else {
            Lookup::NotFound
        };
    }
    if pages.contains_key(key) {
        Lookup::Found(key.to_string())
    } else if pages.contains_key(&format!("{key}/index.html")) {
        // One leading slash: `//sources/` would send the browser to the host `sources`.
        Lookup::Redirect(format!("/{}/", raw.trim_start_matches('/')))
    } else {
        Lookup::NotFound
    }
}

async fn page(State(state): State<Arc<AppState>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let mut served = state.current();
    // A page about to be replaced (or to appear) is served once it has been.
    if lags(uri.path(), &served) {
        served = state.settled().await;
    }
    if served.pages.is_empty() {
        // No good build yet: every path shows the errors until they are fixed.
        let text = served
            .errors
            .as_deref()
            .unwrap_or("The first build is still running.");
        return file_response(
            StatusCode::SERVICE_UNAVAILABLE,
            "error.html",
            live::error_page(text),
        );
    }
    match lookup(uri.path(), &served.pages) {
        Lookup::Found(key) => {
            let bytes = served.pages[&key].to_vec();
            file_response(StatusCode::OK, &key, bytes)
        }
        Lookup::Redirect(to) => {
            let location = match uri.query() {
                Some(query) => format!("{to}?{query}"),
                None => to,
            };
            let mut response = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::Refused => (StatusCode::BAD_REQUEST, "bad path\n").into_response(),
        Lookup::NotFound => match served.pages.get("404.html") {
            Some(bytes) => file_response(StatusCode::NOT_FOUND, "404.html", bytes.to_vec()),
            None => (StatusCode::NOT_FOUND, "not found\n").into_response(),
        },
    }
}

/// Whether the page at a request path is about to be replaced, or to appear.
fn lags(raw: &str, served: &Served) -> bool {
    if served.lagging.is_empty() {
        return false;
    }
    match lookup(raw, &served.pages) {
        Lookup::Found(key) => served.lagging.contains(&key),
        // A page about to appear (a new part of the sitemap); nothing else that is missing is
        // worth waiting for.
        Lookup::NotFound => {
            let wanted = raw.trim_start_matches('/');
            served.lagging.iter().any(|file| {
                !served.pages.contains_key(file)
                    && (file == wanted || file.strip_suffix("index.html") == Some(wanted))
            })
        }
        Lookup::Redirect(_) | Lookup::Refused => false,
    }
}

/// A file with its content type; HTML gets the live-reload script.
fn file_response(status: StatusCode, name: &str, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(name).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let body = if is_html { live::inject(&bytes) } else { bytes };
    let mut response = (status, Body::from(body)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // A preview must never show a stale copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Pages {
        [
            "index.html",
            "sources/a/index.html",
            "style.css",
            "404.html",
        ]
        .into_iter()
        .map(|p| (p.to_string(), Arc::from(&b"x"[..])))
        .collect()
    }

    #[test]
    fn pretty_urls_map_to_index_files() {
        let p = pages();
        assert_eq!(lookup("/", &p), Lookup::Found("index.html".into()));
        assert_eq!(
            lookup("/sources/a/", &p),
            Lookup::Found("sources/a/index.html".into())
        );
        assert_eq!(
            lookup("/sources/a/index.html", &p),
            Lookup::Found("sources/a/index.html".into())
        );
        assert_eq!(
            lookup("/sources/a", &p),
            Lookup::Redirect("/sources/a/".into())
        );
        assert_eq!(lookup("/style.css", &p), Lookup::Found("style.css".into()));
    }

    fn serving(bytes: &'static [u8], lagging: &[&str]) -> Served {
        Served {
            pages: Arc::new(
                [("print/index.html".to_string(), Arc::from(bytes))]
                    .into_iter()
                    .collect(),
            ),
            errors: None,
            lagging: Arc::new(lagging.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[tokio::test]
    async fn a_request_for_a_lagging_page_waits_for_it() {
        let state = Arc::new(AppState::new(serving(b"old", &["print/index.html"])));
        let waiting = {
            let state = Arc::clone(&state);
            tokio::spawn(async move { state.settled().await })
        };
        tokio::task::yield_now().await;
        assert!(
            !waiting.is_finished(),
            "served before the page was rendered"
        );
        state.replace(serving(b"new", &[]));
        let served = tokio::time::timeout(std::time::Duration::from_secs(5), waiting)
            .await
            .expect("answered once the page is rendered")
            .expect("the task ran");
        assert_eq!(&*served.pages["print/index.html"], b"new");
    }

    #[test]
    fn only_requests_for_lagging_pages_wait() {
        let served = serving(b"old", &["print/index.html", "sitemap-2.xml"]);
        assert!(lags("/print/", &served) && lags("/print/index.html", &served));
        // Not there yet, but about to be.
        assert!(lags("/sitemap-2.xml", &served));
        // Missing for good, or not lagging.
        assert!(!lags("/favicon.ico", &served) && !lags("/search/s/zz.json", &served));
        assert!(!lags("/print/", &serving(b"new", &[])));
    }

    #[tokio::test]
    async fn nothing_lagging_is_served_at_once() {
        let state = AppState::new(serving(b"now", &[]));
        let served = tokio::time::timeout(std::time::Duration::from_millis(100), state.settled())
            .await
            .expect("no wait");
        assert_eq!(&*served.pages["print/index.html"], b"now");
    }

    #[test]
    fn folders_without_an_index_are_not_listed() {
        assert_eq!(lookup("/sources/", &pages()), Lookup::NotFound);
    }

    #[test]
    fn climbing_out_is_refused() {
        let p = pages();
        for path in [
            "/../Cargo.toml",
            "/%2e%2e/Cargo.toml",
            "/sources/%2E%2E/%2E%2E/etc/passwd",
            "/a%2fb",
            "/a%5cb",
            "/..%5c..%5cetc",
            "/%00",
            "/./index.html",
        ] {
            assert_eq!(lookup(path, &p), Lookup::Refused, "{path}");
        }
        assert_eq!(lookup("//etc/passwd", &p), Lookup::NotFound);
    }

    #[test]
    fn a_folder_redirect_never_names_another_host() {
        let p = pages();
        for path in ["//sources/a", "///sources/a"] {
            assert_eq!(
                lookup(path, &p),
                Lookup::Redirect("/sources/a/".into()),
                "{path}"
            );
        }
    }

    #[test]
    fn only_loopback_names_and_addresses_are_answered() {
        for host in [
            "localhost",
            "localhost:4000",
            "LocalHost:4000",
            "localhost.",
            "app.localhost:4000",
            "127.0.0.1",
            "127.0.0.1:4000",
            "127.8.9.10:1",
            "[::1]",
            "[::1]:4000",
            "192.168.1.20:4000",
            "0.0.0.0:4000",
        ] {
            assert!(allowed_host(host), "{host} refused");
        }
        for host in [
            "",
            "evil.example",
            "evil.example:4000",
            "localhost.evil.example",
            "127.0.0.1.nip.io:4000",
            "[::1",
            "[evil]:80",
            "[::1]x",
            "localhost:80x",
            "localhost:4000:1",
        ] {
            assert!(!allowed_host(host), "{host} allowed");
        }
    }
}
