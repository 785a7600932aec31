//! Who may talk to the dev server: the `Host` must name this machine or a host the author allowed
//! (so a DNS-rebinding page cannot read the book), and the WebSocket takes only same-origin upgrades.

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Distinct refused hosts reported in the terminal; past this, one line says the rest are not.
const MAX_REPORTED: usize = 64;

/// The hosts a request may name, and the refusals already reported.
pub(crate) struct Guard {
    /// `--host` and `--allowed-host` names, lower case, without port; `.name` allows subdomains.
    allowed: Vec<String>,
    reported: Mutex<HashSet<String>>,
    quiet: bool,
}

impl Guard {
    /// Allow loopback names, the address listened on, and the `--allowed-host` names.
    pub(crate) fn new(listen: &str, extra: &[String], quiet: bool) -> Guard {
        let mut allowed: Vec<String> = Vec::new();
        for name in std::iter::once(listen).chain(extra.iter().map(String::as_str)) {
            let n = name.trim().to_ascii_lowercase();
            // `--allowed-host` may be given with a port or as a bracketed IPv6 address.
            let n = split_host(&n).map_or(n.clone(), |(h, _)| h);
            if !n.is_empty() {
                allowed.push(n);
            }
        }
        Guard {
            allowed,
            reported: Mutex::new(HashSet::new()),
            quiet,
        }
    }

    /// `Ok` when `host` (a `Host` header) may be answered, else the one-line reason.
    pub(crate) fn check_host(&self, host: Option<&str>) -> Result<(), String> {
        let Some(raw) = host else {
            return Err("the request has no Host header".into());
        };
        let Some((name, _)) = split_host(&raw.to_ascii_lowercase()) else {
            return Err(format!("Host {} is not a host name", shown(raw)));
        };
        if is_loopback(&name) || self.allowed.iter().any(|a| matches_allowed(a, &name)) {
            return Ok(());
        }
        Err(format!(
            "Host {} is not allowed: serve answers loopback names (localhost, 127.0.0.1, [::1]), \
             the --host address and names given with --allowed-host (start it with \
             `--allowed-host {name}` if this is you)",
            shown(raw),
        ))
    }

    /// Print `reason` in the terminal the first time `host` is refused (never a flood).
    fn report(&self, host: &str, reason: &str) {
        if self.quiet {
            return;
        }
        let mut seen = self.reported.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() > MAX_REPORTED || !seen.insert(host.to_string()) {
            return;
        }
        if seen.len() > MAX_REPORTED {
            eprintln!("refused more hosts; further ones are not reported");
        } else {
            eprintln!("refused a request: {reason}");
        }
    }
}

/// `Ok` when a WebSocket upgrade may go ahead: its `Origin` names the same host and port as its
/// `Host`. A request without `Origin` comes from a program, not a web page (browsers always send
/// one on upgrades), and is allowed: its `Host` has already been checked.
pub(crate) fn check_origin(origin: Option<&str>, host: &str) -> Result<(), String> {
    let Some(origin) = origin else {
        return Ok(());
    };
    let o = origin.to_ascii_lowercase();
    let (authority, default_port) = if let Some(a) = o.strip_prefix("http://") {
        (a, 80)
    } else if let Some(a) = o.strip_prefix("https://") {
        (a, 443)
    } else {
        return Err(format!(
            "WebSocket from Origin {} refused: only pages of this server may connect",
            shown(origin)
        ));
    };
    let from = split_host(authority).map(|(h, p)| (h, p.unwrap_or(default_port)));
    let to = split_host(&host.to_ascii_lowercase()).map(|(h, p)| (h, p.unwrap_or(80)));
    match (from, to) {
        (Some(f), Some(t)) if f == t => Ok(()),
        _ => Err(format!(
            "WebSocket from Origin {} refused: only pages of this server ({}) may connect",
            shown(origin),
            shown(host)
        )),
    }
}

/// The middleware: refuse requests for other hosts, and cross-origin WebSocket upgrades.
pub(crate) async fn gate(State(guard): State<Arc<Guard>>, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    if let Err(reason) = guard.check_host(host.as_deref()) {
        // One terminal line per host name, whatever the port.
        let raw = host.as_deref().unwrap_or("").to_ascii_lowercase();
        guard.report(&split_host(&raw).map_or(raw, |(name, _)| name), &reason);
        return forbidden(&reason);
    }
    if req.uri().path() == super::http::SOCKET_PATH {
        let origin = req
            .headers()
            .get(header::ORIGIN)
            .map(|o| o.to_str().unwrap_or("?"));
        if let Err(reason) = check_origin(origin, host.as_deref().unwrap_or("")) {
            guard.report(&format!("origin {}", origin.unwrap_or("")), &reason);
            return forbidden(&reason);
        }
    }
    next.run(req).await
}

fn forbidden(reason: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        format!("403 Forbidden: {reason}\n"),
    )
        .into_response()
}

/// Split `host[:port]` or `[v6][:port]` into the name (brackets dropped, one trailing dot
/// dropped) and the port; `None` when it is not of that shape.
fn split_host(s: &str) -> Option<(String, Option<u16>)> {
    let (name, port) = if let Some(rest) = s.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        v6.parse::<std::net::Ipv6Addr>().ok()?;
        match after {
            "" => (v6, None),
            p => (v6, Some(p.strip_prefix(':')?)),
        }
    } else {
        match s.split_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (s, None),
        }
    };
    let port = match port {
        Some(p) => Some(p.parse::<u16>().ok()?),
        None => None,
    };
    let name = name.strip_suffix('.').unwrap_or(name);
    let ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ':'));
    ok.then(|| (name.to_string(), port))
}

/// `localhost`, `*.localhost` (RFC 6761 keeps them on this machine), 127.0.0.0/8 and ::1.
fn is_loopback(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `allowed` is a name, or `.name` for the name and every subdomain of it.
fn matches_allowed(allowed: &str, name: &str) -> bool {
    match allowed.strip_prefix('.') {
        Some(base) => name == base || name.ends_with(allowed),
        None => name == allowed,
    }
}

/// A header value as shown in a message: quoted, control characters replaced, cut short.
fn shown(s: &str) -> String {
    let clean: String = s
        .chars()
        .take(80)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    format!("`{clean}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_listen_and_allowed_hosts_pass_others_do_not() {
        let g = Guard::new(
            "127.0.0.1",
            &["Book.Example:8080".into(), ".lan".into()],
            true,
        );
        for ok in [
            "localhost:3000",
            "LOCALHOST",
            "localhost.:3000",
            "docs.localhost:1",
            "127.0.0.1:3000",
            "127.8.9.10",
            "[::1]:3000",
            "[::1]",
            "book.example:9999",
            "lan",
            "pi.lan:3000",
        ] {
            assert!(g.check_host(Some(ok)).is_ok(), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "evil-lan:3000",
            "10.0.0.1:3000",
            "[::2]:3000",
            "::1",
            "localhost:99999",
            "local host",
            "",
        ] {
            assert!(g.check_host(Some(bad)).is_err(), "{bad}");
        }
        assert!(g.check_host(None).is_err());
        let lan = Guard::new("0.0.0.0", &[], true);
        assert!(lan.check_host(Some("0.0.0.0:3000")).is_ok());
        assert!(lan.check_host(Some("192.168.1.9:3000")).is_err());
    }

    #[test]
    fn websocket_origin_must_match_the_host() {
        let host = "127.0.0.1:3000";
        assert!(check_origin(Some("http://127.0.0.1:3000"), host).is_ok());
        assert!(check_origin(None, host).is_ok());
        assert!(check_origin(Some("http://localhost:80"), "localhost").is_ok());
        for bad in [
            "http://evil.example:3000",
            "http://127.0.0.1:3001",
            "http://127.0.0.1",
            "null",
            "file://",
            "https://127.0.0.1:3000.evil.example",
        ] {
            assert!(check_origin(Some(bad), host).is_err(), "{bad}");
        }
    }

    #[test]
    fn reasons_do_not_carry_control_characters() {
        let g = Guard::new("127.0.0.1", &[], true);
        let r = g.check_host(Some("evil\u{1b}[2J.example")).unwrap_err();
        assert!(!r.contains('\u{1b}'), "{r}");
    }
}
