//! What the server shares between the rebuild thread and the request handlers: the last good
//! site, the current errors, and the channel that tells browsers about each rebuild.

use crate::diagnostics::Diagnostic;
use crate::output::Files;
use serde::Serialize;
use std::sync::{Arc, Mutex, RwLock};
use tokio::sync::{broadcast, watch};

/// A message to every connected browser, sent as JSON over the WebSocket.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum Message {
    /// First message on a connection: which server and build the browser talks to.
    Hello {
        instance: String,
        build: u64,
        errors: Option<Vec<Diagnostic>>,
    },
    /// A good build replaced the site.
    Reload {
        build: u64,
        /// Changed pages (site paths); `None` means every page.
        pages: Option<Vec<String>>,
        /// Only stylesheets changed: swap them in place.
        css: bool,
        /// Slugs of the notes edited, to bring into view on the all-notes page.
        focus: Vec<String>,
    },
    /// The rebuild failed; the last good site is still served.
    Errors { build: u64, errors: Vec<Diagnostic> },
}

struct Status {
    build: u64,
    errors: Option<Vec<Diagnostic>>,
}

/// Shared server state; the site is replaced whole, never edited in place.
pub(crate) struct State {
    site: RwLock<Arc<Files>>,
    status: Mutex<Status>,
    events: broadcast::Sender<Arc<Message>>,
    shutdown: watch::Sender<bool>,
    /// Differs between server runs, so a reconnecting page knows the server restarted.
    pub instance: String,
}

impl State {
    pub(crate) fn new() -> State {
        let (events, _) = broadcast::channel(64);
        let (shutdown, _) = watch::channel(false);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        State {
            site: RwLock::new(Arc::new(Files::new())),
            status: Mutex::new(Status {
                build: 0,
                errors: None,
            }),
            events,
            shutdown,
            instance: format!("{:x}-{:x}", std::process::id(), nanos),
        }
    }

    /// The site currently served.
    pub(crate) fn site(&self) -> Arc<Files> {
        self.site.read().map(|s| s.clone()).unwrap_or_default()
    }

    /// Swap in a complete new site, then tell browsers (in that order, so no browser reloads
    /// into a half-built site).
    pub(crate) fn publish(
        &self,
        files: Files,
        pages: Option<Vec<String>>,
        css: bool,
        focus: Vec<String>,
    ) {
        if let Ok(mut s) = self.site.write() {
            *s = Arc::new(files);
        }
        let build = self.next_build(None);
        self.send(Message::Reload {
            build,
            pages,
            css,
            focus,
        });
    }

    /// Record a failed rebuild; the site stays as it was.
    pub(crate) fn fail(&self, errors: Vec<Diagnostic>) {
        let build = self.next_build(Some(errors.clone()));
        self.send(Message::Errors { build, errors });
    }

    fn next_build(&self, errors: Option<Vec<Diagnostic>>) -> u64 {
        let mut st = self.status.lock().unwrap_or_else(|p| p.into_inner());
        st.build += 1;
        st.errors = errors;
        st.build
    }

    fn send(&self, m: Message) {
        // No receivers (no browser open) is fine.
        let _ = self.events.send(Arc::new(m));
    }

    /// Subscribe to rebuild messages and get the greeting that describes the current state.
    pub(crate) fn subscribe(&self) -> (broadcast::Receiver<Arc<Message>>, Message) {
        let rx = self.events.subscribe();
        let st = self.status.lock().unwrap_or_else(|p| p.into_inner());
        let hello = Message::Hello {
            instance: self.instance.clone(),
            build: st.build,
            errors: st.errors.clone(),
        };
        (rx, hello)
    }

    /// Ask open connections to close (Ctrl-C).
    pub(crate) fn shut_down(&self) {
        let _ = self.shutdown.send(true);
    }

    pub(crate) fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}
