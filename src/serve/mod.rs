//! `handbook serve`: the book served from memory with live reload, rebuilt incrementally on every save.
//!
//! One thread watches the sources and rebuilds ([`rebuild`]); the site it produces is swapped in
//! whole ([`state`]) and only then announced to browsers over a WebSocket ([`http`]), whose small
//! script ([`RELOAD_JS`]) reloads the page, swaps stylesheets or shows the error overlay.

mod guard;
mod http;
mod rebuild;
mod state;
mod watch;

use crate::cli::ServeArgs;
use crate::settings::{Overrides, Settings};
use crate::{Log, Outcome};
use anyhow::{Context, Result};
use state::State;
use std::net::SocketAddr;
use std::sync::Arc;

/// The script every served page loads from `/__handbook/reload.js` (never written by `build`).
pub(crate) const RELOAD_JS: &str = include_str!("reload.js");

/// How many ports after the requested one are tried when it is taken.
const PORT_TRIES: u16 = 20;

/// Run the dev server until Ctrl-C.
pub(crate) fn run(
    settings: Settings,
    overrides: Overrides,
    args: &ServeArgs,
    log: &Log,
) -> Result<Outcome> {
    let settings = serve_settings(settings);
    let state = Arc::new(State::new());
    let builder = rebuild::Builder::new(settings, overrides, state.clone(), *log);
    // Watching starts (and the first build runs) before the port opens.
    let _watcher = watch::start(builder)?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = bind(&args.host, args.port, log).await?;
        let addr = listener.local_addr()?;
        let url = format!("http://{}/", display_addr(addr));
        if !log.quiet {
            eprintln!("serving {url}  (Ctrl-C to stop)");
        }
        if args.open {
            open_browser(&url);
        }
        let guard = guard::Guard::new(&args.host, &args.allowed_hosts, log.quiet);
        let app = http::router(state.clone(), Arc::new(guard));
        let shutdown_state = state.clone();
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = tokio::signal::ctrl_c().await;
                shutdown_state.shut_down();
            })
            .await
            .context("the server stopped with an error")?;
        if !log.quiet {
            eprintln!("stopped");
        }
        anyhow::Ok(())
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    Ok(Outcome::Ok)
}

/// Serve-only settings: the reload script on, and no site URL (the preview lives at `/`, and a
/// `<base>` pointing at the published path would break every link). Public for the
/// differential test, which builds with exactly these settings.
pub fn serve_settings(mut s: Settings) -> Settings {
    s.live_reload = true;
    s.site_url = None;
    s
}

/// Bind `host:port`, moving on to the next port while the one asked for is taken.
async fn bind(host: &str, port: u16, log: &Log) -> Result<tokio::net::TcpListener> {
    let ip: std::net::IpAddr = host
        .parse()
        .with_context(|| format!("--host {host}: not an IP address (e.g. 127.0.0.1)"))?;
    if !ip.is_loopback() && !log.quiet {
        eprintln!("warning: listening on {ip}: other machines on the network can read the book");
    }
    let mut last_err = None;
    for p in port..=port.saturating_add(PORT_TRIES) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                if !log.quiet {
                    eprintln!("port {p} is in use, trying {}", p.saturating_add(1));
                }
                last_err = Some(e);
            }
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {ip}:{p}")),
        }
    }
    Err(last_err
        .map(anyhow::Error::from)
        .unwrap_or_else(|| anyhow::anyhow!("no port")))
    .with_context(|| {
        format!(
            "ports {port} to {} are all in use; pass --port",
            port.saturating_add(PORT_TRIES)
        )
    })
}

fn display_addr(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V6(a) => format!("[{}]:{}", a.ip(), a.port()),
        SocketAddr::V4(a) => a.to_string(),
    }
}

/// Open `url` in the desktop's browser; failing to is worth a line, not an error.
fn open_browser(url: &str) {
    let (cmd, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let spawned = std::process::Command::new(cmd)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        eprintln!("could not open a browser ({cmd}: {e}); open {url} yourself");
    }
}
