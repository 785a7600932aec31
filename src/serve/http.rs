//! The HTTP side: pages from the in-memory site (never from disk), the reload script, and the
//! WebSocket that carries rebuild messages.

use super::RELOAD_JS;
use super::state::{Message, State};
use axum::Router;
use axum::extract::State as AxState;
use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::Arc;

/// Where the reload script and the WebSocket live; no book file can be served from here.
pub(crate) const RELOAD_PATH: &str = "/__handbook/reload.js";
pub(crate) const SOCKET_PATH: &str = "/__handbook/ws";

/// Shown for unknown paths when the book has no 404 page yet (its first build failed).
const FALLBACK_404: &str = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>The book has not built yet; fix the errors shown and this page reloads.</p><script src=\"/__handbook/reload.js\" defer></script></body></html>";

/// Every route sits behind the [`guard`](super::guard): requests for other hosts get 403.
pub(crate) fn router(state: Arc<State>, guard: Arc<super::guard::Guard>) -> Router {
    Router::new()
        .route(RELOAD_PATH, get(reload_js))
        .route(SOCKET_PATH, get(socket))
        .fallback(page)
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(
            guard,
            super::guard::gate,
        ))
}

async fn reload_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        RELOAD_JS,
    )
        .into_response()
}

async fn page(AxState(state): AxState<Arc<State>>, uri: Uri) -> Response {
    let site = state.site();
    match resolve(uri.path(), |k| site.contains_key(k)) {
        Resolved::File(key) => {
            let body = site.get(&key).map(|b| b.to_vec()).unwrap_or_default();
            (
                [
                    (header::CONTENT_TYPE, content_type(&key)),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Resolved::Folder(to) => (
            StatusCode::PERMANENT_REDIRECT,
            [
                (header::LOCATION, to),
                (header::CACHE_CONTROL, "no-store".into()),
            ],
        )
            .into_response(),
        Resolved::NotFound => {
            let body = match site.get("404.html") {
                Some(b) => with_root_base(b),
                None => FALLBACK_404.as_bytes().to_vec(),
            };
            (
                StatusCode::NOT_FOUND,
                [
                    (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store"),
                ],
                body,
            )
                .into_response()
        }
    }
}

/// The 404 page is served at any depth; a `<base href="/">` keeps its relative links working.
fn with_root_base(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    if text.contains("<base ") {
        return page.to_vec();
    }
    match text.find("<head>") {
        Some(i) => {
            let at = i + "<head>".len();
            format!("{}<base href=\"/\">{}", &text[..at], &text[at..]).into_bytes()
        }
        None => page.to_vec(),
    }
}

/// What a request path names in the site.
#[derive(Debug, PartialEq)]
pub(crate) enum Resolved {
    File(String),
    /// A folder asked for without its slash: redirect there so relative links resolve.
    Folder(String),
    NotFound,
}

/// Map a raw URL path to a key of the site. Percent-escapes are decoded first, and any `.` or
/// `..` segment, backslash or NUL (however encoded) is refused outright rather than normalised,
/// so nothing outside the site's own keys can be named. The site is a map in memory, so no
/// path ever reaches the file system.
pub(crate) fn resolve(raw: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(path) = percent_decode(raw) else {
        return Resolved::NotFound;
    };
    if path.contains(['\\', '\0']) {
        return Resolved::NotFound;
    }
    let mut segs: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "" => {}
            "." | ".." => return Resolved::NotFound,
            s => segs.push(s),
        }
    }
    let key = segs.join("/");
    let folder = path.ends_with('/') || key.is_empty();
    if folder {
        let index = if key.is_empty() {
            "index.html".to_string()
        } else {
            format!("{key}/index.html")
        };
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&key) {
        Resolved::File(key)
    } else if exists(&format!("{key}/index.html")) {
        Resolved::Folder(format!("/{key}/"))
    } else {
        Resolved::NotFound
    }
}

/// Decode `%xx` escapes; `None` for bad escapes or bytes that are not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(path: &str) -> String {
    crate::util::mime::content_type(path)
}

async fn socket(AxState(state): AxState<Arc<State>>, up: WebSocketUpgrade) -> Response {
    up.on_upgrade(move |s| talk(s, state))
}

/// Greet the browser with the current state, then forward every rebuild message until the
/// browser leaves or the server stops.
async fn talk(mut socket: WebSocket, state: Arc<State>) {
    let (mut events, hello) = state.subscribe();
    let mut stop = state.shutdown_signal();
    if send(&mut socket, &hello).await.is_err() {
        return;
    }
    loop {
        tokio::select! {
            ev = events.recv() => match ev {
                Ok(m) => if send(&mut socket, &m).await.is_err() { return },
                // Missed messages: the browser can only be sure by reloading.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let (_, hello) = state.subscribe();
                    if send(&mut socket, &hello).await.is_err() { return }
                }
                Err(_) => return,
            },
            incoming = socket.recv() => match incoming {
                Some(Ok(ws::Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = stop.changed() => {
                let _ = socket.send(ws::Message::Close(None)).await;
                return;
            }
        }
    }
}

async fn send(socket: &mut WebSocket, m: &Message) -> Result<(), axum::Error> {
    let text = serde_json::to_string(m).unwrap_or_default();
    socket.send(ws::Message::Text(text.into())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(k: &str) -> bool {
        [
            "index.html",
            "a.html",
            "tags/index.html",
            "tags/x.html",
            "notes/img.png",
        ]
        .contains(&k)
    }

    #[test]
    fn traversal_and_odd_paths_are_refused() {
        for p in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/tags/..%2f..%2fa.html",
            "/./a.html",
            "/a.html%00",
            "/..\\a.html",
            "/%5c..%5ca.html",
            "/%zz",
            "/%ff",
            "/etc/passwd",
            "//etc/passwd",
            "/nope.html",
        ] {
            assert_eq!(resolve(p, site), Resolved::NotFound, "{p}");
        }
    }

    #[test]
    fn pages_and_folders_resolve() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(resolve("/a.html", site), Resolved::File("a.html".into()));
        assert_eq!(resolve("//a.html", site), Resolved::File("a.html".into()));
        assert_eq!(
            resolve("/tags/", site),
            Resolved::File("tags/index.html".into())
        );
        assert_eq!(resolve("/tags", site), Resolved::Folder("/tags/".into()));
        assert_eq!(
            resolve("/notes/img%2epng", site),
            Resolved::File("notes/img.png".into())
        );
    }

    #[test]
    fn the_404_page_gets_a_root_base() {
        let out = with_root_base(b"<html><head><title>x</title></head></html>");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<html><head><base href=\"/\"><title>x</title></head></html>"
        );
    }
}
