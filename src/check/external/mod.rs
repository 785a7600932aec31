//! External link checks (`check --external`): every http(s) link fetched once, politely, with a disk cache.
//!
//! Links are checked by a small pool of threads with a bound on requests in flight per host.
//! Each check asks HEAD first and falls back to GET when a server refuses HEAD; redirects are
//! followed by hand (a permanent one is a warning, a loop an error); 429 and 5xx are retried with
//! backoff that honours `Retry-After` up to a cap. Good results are cached in the book's
//! `.handbook-cache/` for `[check] cache-hours`, so CI runs do not hammer the same sites.

use crate::Log;
use crate::diagnostics::{Diagnostic, LinkFinding, Severity};
use crate::settings::Settings;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// One occurrence of an http(s) link in the book.
#[derive(Debug, Clone)]
pub(crate) struct ExternalRef {
    pub url: String,
    /// Where it is written: a note or a template, relative to the book root.
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub text: String,
}

/// Redirect hops followed before giving up.
const MAX_HOPS: usize = 10;
/// Retries after a 429 or 5xx answer.
const RETRIES: u32 = 3;
/// First backoff when the server gives no `Retry-After`; doubles each retry.
const BACKOFF: Duration = Duration::from_millis(500);
/// The longest wait a `Retry-After` can ask for.
const MAX_WAIT: Duration = Duration::from_secs(10);
/// Threads checking links at once (each host is also bounded by `[check] per-host`).
const WORKERS: usize = 16;
const CACHE_FILE: &str = ".handbook-cache/external-links.json";

/// The result of checking one URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub(crate) enum Verdict {
    Ok,
    /// Reachable after redirects; `permanent` if any hop was 301/308.
    Redirected {
        to: String,
        permanent: bool,
    },
    /// The server kept answering 429: not verified, not known broken.
    RateLimited {
        detail: String,
    },
    Broken {
        reason: String,
    },
}

impl Verdict {
    /// Only results that say the link works are cached: a broken link is checked again next run.
    fn cacheable(&self) -> bool {
        matches!(self, Verdict::Ok | Verdict::Redirected { .. })
    }
}

/// Check every external link and report the broken ones (errors) and the doubtful ones (warnings).
pub(crate) fn check(
    settings: &Settings,
    refs: &[ExternalRef],
    log: &Log,
) -> Result<Vec<Diagnostic>> {
    let cfg = &settings.check;
    let (urls, skipped) = urls_to_check(refs, &cfg.skip, &cfg.allow);
    let cache_path = settings.root.join(CACHE_FILE);
    let max_age = Duration::from_secs(cfg.cache_hours.saturating_mul(3600));
    let mut cache = if cfg.cache_hours > 0 {
        Cache::load(&cache_path)
    } else {
        Cache::default()
    };
    let now = unix_now();
    let (mut verdicts, todo) = cached_verdicts(urls, &cache, now, max_age);
    if !log.quiet {
        eprintln!(
            "checking {} external link{} ({} cached, {} skipped by [check] skip/allow)",
            todo.len(),
            if todo.len() == 1 { "" } else { "s" },
            verdicts.len(),
            skipped.len()
        );
    }
    let t = Instant::now();
    let timeout = Duration::from_secs(cfg.timeout.max(1));
    let fresh = check_all(todo, cfg.per_host.max(1), timeout, BACKOFF);
    if log.verbose {
        eprintln!("  external {:>8.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }
    if cfg.cache_hours > 0 {
        remember(&mut cache, &fresh, now, max_age);
        cache.save(&cache_path)?;
    }
    verdicts.extend(fresh);
    Ok(findings(refs, &verdicts))
}

/// The distinct fragment-free URLs to check, in first-seen order, and the set skipped by `[check] skip`/`allow`.
fn urls_to_check(
    refs: &[ExternalRef],
    skip: &[String],
    allow: &[String],
) -> (Vec<String>, HashSet<String>) {
    let mut urls: Vec<String> = Vec::new();
    let mut skipped = HashSet::new();
    let mut seen = HashSet::new();
    for r in refs {
        let url = without_fragment(&r.url);
        if !selected(&url, skip, allow) {
            skipped.insert(url);
            continue;
        }
        if seen.insert(url.clone()) {
            urls.push(url);
        }
    }
    (urls, skipped)
}

/// The verdicts the cache still holds, and the URLs it has no fresh verdict for (to ask).
fn cached_verdicts(
    urls: Vec<String>,
    cache: &Cache,
    now: u64,
    max_age: Duration,
) -> (HashMap<String, Verdict>, Vec<String>) {
    let mut verdicts: HashMap<String, Verdict> = HashMap::new();
    let mut todo = Vec::new();
    for u in urls {
        match cache.fresh(&u, now, max_age) {
            Some(v) => {
                verdicts.insert(u, v.clone());
            }
            None => todo.push(u),
        }
    }
    (verdicts, todo)
}

/// Store the cacheable fresh verdicts and drop the entries that have grown too old.
fn remember(cache: &mut Cache, fresh: &[(String, Verdict)], now: u64, max_age: Duration) {
    for (u, v) in fresh {
        if v.cacheable() {
            cache.entries.insert(
                u.clone(),
                Entry {
                    checked: now,
                    verdict: v.clone(),
                },
            );
        }
    }
    cache
        .entries
        .retain(|_, e| now.saturating_sub(e.checked) < max_age.as_secs());
}

/// One diagnostic per link whose verdict is not plainly fine, in the order of `refs`.
fn findings(refs: &[ExternalRef], verdicts: &HashMap<String, Verdict>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for r in refs {
        let Some(v) = verdicts.get(&without_fragment(&r.url)) else {
            continue;
        };
        let (severity, reason) = match v {
            Verdict::Ok
            | Verdict::Redirected {
                permanent: false, ..
            } => continue,
            Verdict::Redirected {
                to,
                permanent: true,
            } => (
                Severity::Warning,
                format!("moved permanently to {to}; update the link"),
            ),
            Verdict::RateLimited { detail } => {
                (Severity::Warning, format!("not verified: {detail}"))
            }
            Verdict::Broken { reason } => (Severity::Error, reason.clone()),
        };
        let finding = LinkFinding {
            kind: "external",
            text: r.text.clone(),
            target: r.url.clone(),
            reason,
            pages: Vec::new(),
        };
        out.push(
            Diagnostic::link(severity, &r.file, (r.line, r.col), finding, None).with_message(),
        );
    }
    out
}

/// `[check] skip` prefixes are never checked; a non-empty `allow` list limits checks to its prefixes.
fn selected(url: &str, skip: &[String], allow: &[String]) -> bool {
    !skip.iter().any(|p| url.starts_with(p.as_str()))
        && (allow.is_empty() || allow.iter().any(|p| url.starts_with(p.as_str())))
}

fn without_fragment(url: &str) -> String {
    url.split('#').next().unwrap_or(url).to_string()
}

/// Check URLs concurrently with at most `per_host` requests in flight to any one host.
pub(crate) fn check_all(
    urls: Vec<String>,
    per_host: usize,
    timeout: Duration,
    backoff: Duration,
) -> Vec<(String, Verdict)> {
    if urls.is_empty() {
        return Vec::new();
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .max_redirects(0)
        .http_status_as_error(false)
        .user_agent(concat!("handbook-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let ctx = Checker {
        agent,
        hosts: Limiter::new(per_host),
        timeout,
        backoff,
    };
    let queue = Mutex::new(urls.into_iter().collect::<VecDeque<String>>());
    let results = Mutex::new(Vec::new());
    let workers = WORKERS.min(queue.lock().map(|q| q.len()).unwrap_or(1));
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                while let Some(url) = ctx.hosts.next(&queue) {
                    let v = ctx.verdict(&url);
                    if let Ok(mut r) = results.lock() {
                        r.push((url, v));
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// Requests in flight per host, with waiting for a free slot.
struct Limiter {
    per_host: usize,
    busy: Mutex<HashMap<String, usize>>,
    freed: Condvar,
}

impl Limiter {
    fn new(per_host: usize) -> Limiter {
        Limiter {
            per_host,
            busy: Mutex::new(HashMap::new()),
            freed: Condvar::new(),
        }
    }

    /// The next URL to check, preferring one whose host has a free slot.
    fn next(&self, queue: &Mutex<VecDeque<String>>) -> Option<String> {
        let mut q = queue.lock().ok()?;
        let busy = self.busy.lock().ok()?;
        let pick = q
            .iter()
            .position(|u| busy.get(&host_of(u)).copied().unwrap_or(0) < self.per_host)
            .unwrap_or(0);
        q.remove(pick)
    }

    /// Wait for a slot on `host`; the slot is given back when the guard drops.
    fn acquire(&self, host: &str) -> Slot<'_> {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        while busy.get(host).copied().unwrap_or(0) >= self.per_host {
            busy = self.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy.entry(host.to_string()).or_insert(0) += 1;
        Slot {
            limiter: self,
            host: host.to_string(),
        }
    }
}

struct Slot<'a> {
    limiter: &'a Limiter,
    host: String,
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut busy = self.limiter.busy.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = busy.get_mut(&self.host) {
            *n = n.saturating_sub(1);
        }
        self.limiter.freed.notify_all();
    }
}

/// What one request learned.
struct Answer {
    status: u16,
    location: Option<String>,
    retry_after: Option<Duration>,
}

struct Checker {
    agent: ureq::Agent,
    hosts: Limiter,
    timeout: Duration,
    backoff: Duration,
}

impl Checker {
    /// Follow the URL to its end and judge it.
    fn verdict(&self, url: &str) -> Verdict {
        let mut current = url.to_string();
        let mut chain = vec![url.to_string()];
        let mut permanent = false;
        for _ in 0..=MAX_HOPS {
            let a = match self.with_retries(&current) {
                Ok(a) => a,
                Err(reason) => return Verdict::Broken { reason },
            };
            match a.status {
                200..=299 if chain.len() == 1 => return Verdict::Ok,
                200..=299 => {
                    return Verdict::Redirected {
                        to: current,
                        permanent,
                    };
                }
                301 | 302 | 303 | 307 | 308 => {
                    let Some(loc) = a.location else {
                        return Verdict::Broken {
                            reason: format!("HTTP {} redirect without a Location", a.status),
                        };
                    };
                    let next = match join_url(&current, &loc) {
                        Ok(next) => next,
                        Err(e) => {
                            return Verdict::Broken {
                                reason: format!(
                                    "HTTP {} redirect to a Location that is not a valid URL: {loc:?} ({e})",
                                    a.status
                                ),
                            };
                        }
                    };
                    if chain.contains(&next) {
                        chain.push(next);
                        return Verdict::Broken {
                            reason: format!("redirect loop: {}", chain.join(" -> ")),
                        };
                    }
                    permanent |= matches!(a.status, 301 | 308);
                    chain.push(next.clone());
                    current = next;
                }
                429 => {
                    return Verdict::RateLimited {
                        detail: format!(
                            "the server still answered 429 Too Many Requests after {RETRIES} retries"
                        ),
                    };
                }
                s => {
                    let via = if chain.len() > 1 {
                        format!(" (after redirects to {current})")
                    } else {
                        String::new()
                    };
                    return Verdict::Broken {
                        reason: format!("HTTP {s} {}{via}", reason_phrase(s)),
                    };
                }
            }
        }
        Verdict::Broken {
            reason: format!("more than {MAX_HOPS} redirects"),
        }
    }

    /// One request, retried on 429 and 5xx with backoff (honouring `Retry-After`, capped).
    fn with_retries(&self, url: &str) -> Result<Answer, String> {
        let mut attempt = 0;
        loop {
            let a = self.head_or_get(url)?;
            let retryable = a.status == 429 || (a.status >= 500 && a.status != 501);
            if !retryable || attempt >= RETRIES {
                return Ok(a);
            }
            let wait = match a.retry_after {
                Some(w) if w > MAX_WAIT => return Ok(a),
                Some(w) => w,
                None => self.backoff * 2u32.pow(attempt),
            };
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    /// HEAD, and GET when the server will not answer HEAD properly.
    fn head_or_get(&self, url: &str) -> Result<Answer, String> {
        let host = host_of(url);
        let head = {
            let _slot = self.hosts.acquire(&host);
            self.agent.head(url).call()
        };
        match head {
            Ok(r) => {
                let s = r.status().as_u16();
                if !((400..500).contains(&s) && s != 429 || s == 501) {
                    return Ok(answer(&r));
                }
            }
            Err(e) if is_timeout(&e) => return Err(self.describe(&e)),
            Err(_) => {}
        }
        let _slot = self.hosts.acquire(&host);
        match self.agent.get(url).call() {
            Ok(r) => Ok(answer(&r)),
            Err(e) => Err(self.describe(&e)),
        }
    }

    fn describe(&self, e: &ureq::Error) -> String {
        match e {
            e if is_timeout(e) => {
                format!("no answer within {} s (timed out)", self.timeout.as_secs())
            }
            ureq::Error::HostNotFound => "host not found (DNS)".into(),
            ureq::Error::ConnectionFailed => "could not connect".into(),
            ureq::Error::Io(io) => format!("could not connect: {io}"),
            other => format!("request failed: {other}"),
        }
    }
}

fn is_timeout(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Timeout(_) => true,
        ureq::Error::Io(io) => io.kind() == std::io::ErrorKind::TimedOut,
        _ => false,
    }
}

fn answer(r: &ureq::http::Response<ureq::Body>) -> Answer {
    let header = |n: &str| {
        r.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    Answer {
        status: r.status().as_u16(),
        location: header("location"),
        retry_after: header("retry-after").and_then(|v| parse_retry_after(&v, SystemTime::now())),
    }
}

fn reason_phrase(s: u16) -> &'static str {
    ureq::http::StatusCode::from_u16(s)
        .ok()
        .and_then(|c| c.canonical_reason())
        .unwrap_or("")
}

/// `Retry-After`: seconds, or an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub(crate) fn parse_retry_after(v: &str, now: SystemTime) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let parts: Vec<&str> = v.split_whitespace().collect();
    if parts.len() != 6 || parts[5] != "GMT" {
        return None;
    }
    let day: i64 = parts[1].parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == parts[2])? as i64 + 1;
    let year: i64 = parts[3].parse().ok()?;
    let hms: Vec<i64> = parts[4]
        .split(':')
        .map(|x| x.parse().ok())
        .collect::<Option<_>>()?;
    if hms.len() != 3 {
        return None;
    }
    let at = days_from_civil(year, month, day) * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
    let now = now.duration_since(UNIX_EPOCH).ok()?.as_secs() as i64;
    Some(Duration::from_secs(at.saturating_sub(now).max(0) as u64))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `scheme://host:port` as the URL standard serializes an origin (lower case, IDNA hosts in
/// ASCII, a scheme's default port left out): the unit the per-host bound counts. A URL that does
/// not parse is a unit of its own (its request fails anyway).
fn host_of(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(u) => u.origin().ascii_serialization(),
        Err(_) => url.to_string(),
    }
}

/// Resolve a `Location` header against the URL that sent it, by the URL standard (what
/// browsers do): dot segments removed, spaces and other bytes percent-encoded, hosts in IDNA.
pub(crate) fn join_url(base: &str, loc: &str) -> Result<String, url::ParseError> {
    Ok(url::Url::parse(base)?.join(loc.trim())?.into())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Results kept on disk between runs.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cache {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    /// Unix seconds when the URL was checked.
    checked: u64,
    #[serde(flatten)]
    verdict: Verdict,
}

impl Cache {
    /// A missing or unreadable cache is an empty one: it only saves time.
    fn load(path: &Path) -> Cache {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    fn fresh(&self, url: &str, now: u64, max_age: Duration) -> Option<&Verdict> {
        self.entries
            .get(url)
            .filter(|e| now.saturating_sub(e.checked) < max_age.as_secs())
            .map(|e| &e.verdict)
    }

    fn save(&self, path: &Path) -> Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let tmp: PathBuf = path.with_extension("json.tmp");
        std::fs::write(&tmp, serde_json::to_string_pretty(self)?)
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
