//! GitHub Pages: the real book built for a site URL, served like Pages under `/handbook/` and at
//! the root by a small local server, crawled from the top; plus the metadata and extra files.

use crate::common::{TestBook, start_tags as tags, stderr};
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// Requests the server answered: (path, status).
type Log = Arc<Mutex<Vec<(String, u16)>>>;

/// A static server that behaves like GitHub Pages for our purposes: files under `prefix`,
/// `dir/` -> `dir/index.html`, a folder without slash redirected, anything else the site's
/// `404.html` with status 404.
struct Server {
    log: Log,
}

impl Server {
    /// Bind first (the build needs the port for its site URL), serve `root` once it exists.
    fn bind() -> (TcpListener, u16) {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = l.local_addr().unwrap().port();
        (l, port)
    }

    fn start(listener: TcpListener, root: PathBuf, prefix: &'static str) -> Server {
        let log: Log = Arc::default();
        let log2 = log.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (root, log) = (root.clone(), log2.clone());
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &root, prefix, &log);
                });
            }
        });
        Server { log }
    }
}

fn serve_one(stream: TcpStream, root: &Path, prefix: &str, log: &Log) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let mut status = 404;
    let mut body = Vec::new();
    let mut ctype = "text/html; charset=utf-8";
    let mut location = None;
    if let Some(rel) = path.strip_prefix(prefix) {
        let mut rel = rel.to_string();
        if rel.is_empty() || rel.ends_with('/') {
            rel.push_str("index.html");
        }
        let safe = !rel.split('/').any(|s| s == "..");
        let file = root.join(&rel);
        if safe && file.is_dir() {
            status = 301;
            location = Some(format!("{path}/"));
        } else if safe && file.is_file() {
            status = 200;
            body = std::fs::read(&file)?;
            ctype = content_type(&rel);
        }
    } else if format!("{path}/") == prefix {
        status = 301;
        location = Some(prefix.to_string());
    }
    if status == 404 {
        body = std::fs::read(root.join("404.html")).unwrap_or_default();
    }
    log.lock().unwrap().push((path.clone(), status));
    let reason = match status {
        200 => "OK",
        301 => "Moved Permanently",
        _ => "Not Found",
    };
    let mut w = stream;
    write!(
        w,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    )?;
    if let Some(l) = location {
        write!(w, "Location: {l}\r\n")?;
    }
    w.write_all(b"\r\n")?;
    w.write_all(&body)?;
    w.flush()
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css",
        "js" => "text/javascript",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "txt" => "text/plain",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A plain HTTP/1.1 GET against the test server: (status, headers, body).
fn get(origin: &str, path: &str) -> (u16, HashMap<String, String>, Vec<u8>) {
    let hostport = origin.trim_start_matches("http://");
    let mut s = TcpStream::connect(hostport).expect("connect to test server");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {hostport}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

/// Resolve `url` against the absolute path `base` on `origin`. None for other origins and
/// non-http schemes. Returns (path with query, fragment).
fn resolve(origin: &str, base: &str, url: &str) -> Option<(String, Option<String>)> {
    let url = url.trim();
    let (url, frag) = match url.split_once('#') {
        Some((u, f)) => (u, Some(percent_decode(f))),
        None => (url, None),
    };
    let path = if let Some(rest) = url.strip_prefix(origin) {
        if rest.is_empty() {
            "/".to_string()
        } else {
            rest.to_string()
        }
    } else if url.contains("://")
        || url.starts_with("//")
        || url.starts_with("mailto:")
        || url.starts_with("data:")
        || url.starts_with("javascript:")
    {
        return None;
    } else if url.is_empty() {
        base.to_string()
    } else if let Some(q) = url.strip_prefix('?') {
        format!("{}?{q}", base.split('?').next().unwrap())
    } else if url.starts_with('/') {
        url.to_string()
    } else {
        let dir = &base[..base.rfind('/').map(|i| i + 1).unwrap_or(0)];
        normalize(&format!("{dir}{url}"))
    };
    Some((path, frag))
}

fn normalize(path: &str) -> String {
    let (p, q) = match path.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (path, None),
    };
    let mut parts: Vec<&str> = Vec::new();
    let segs: Vec<&str> = p.split('/').collect();
    for (i, s) in segs.iter().enumerate() {
        match *s {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            "" if i != 0 && i != segs.len() - 1 => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if !out.starts_with('/') {
        out.insert(0, '/');
    }
    if let Some(q) = q {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// What the crawl found.
#[derive(Default)]
struct Crawl {
    pages: usize,
    fetched: BTreeSet<String>,
    problems: Vec<String>,
}

/// Crawl from `start` (and from each of `extra`, expected with the given status), fetching every
/// link and asset on this origin and checking every fragment against the target's ids.
fn crawl(origin: &str, start: &str, extra: &[(&str, u16)]) -> Crawl {
    let mut c = Crawl::default();
    let mut queue: VecDeque<(String, String, u16)> = VecDeque::new();
    queue.push_back((start.to_string(), "start".into(), 200));
    for (p, st) in extra {
        queue.push_back((p.to_string(), "start".into(), *st));
    }
    let mut ids: HashMap<String, HashSet<String>> = HashMap::new();
    let mut frags: Vec<(String, String, String)> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some((url, from, want)) = queue.pop_front() {
        if !seen.insert(url.clone()) {
            continue;
        }
        let (mut status, mut headers, mut body) = get(origin, &url);
        let mut path = url.split('?').next().unwrap().to_string();
        if status == 301 {
            let loc = headers.get("location").cloned().unwrap_or_default();
            (status, headers, body) = get(origin, &loc);
            path = loc;
        }
        c.fetched.insert(path.clone());
        if status != want {
            c.problems.push(format!(
                "{url} (linked from {from}): status {status}, expected {want}"
            ));
            continue;
        }
        let ctype = headers.get("content-type").cloned().unwrap_or_default();
        let text = String::from_utf8_lossy(&body).into_owned();
        let mut links: Vec<String> = Vec::new();
        if ctype.starts_with("text/html") {
            c.pages += 1;
            let t = tags(&text);
            let mut base = path.clone();
            if let Some((_, a)) = t.iter().find(|(n, _)| n == "base") {
                base = resolve(origin, &path, &a["href"])
                    .expect("base on this origin")
                    .0;
            }
            let mut page_ids = HashSet::new();
            for (name, a) in &t {
                if let Some(id) = a.get("id") {
                    page_ids.insert(id.clone());
                }
                for key in ["href", "src"] {
                    if let Some(v) = a.get(key) {
                        links.push(v.clone());
                    }
                }
                if name == "html" {
                    // app.js loads the search index from data-root, relative to the page.
                    links.push(format!(
                        "{}search-index.js",
                        a.get("data-root").cloned().unwrap_or_default()
                    ));
                }
            }
            ids.insert(path.clone(), page_ids);
            for l in links {
                if let Some((target, frag)) = resolve(origin, &base, &l) {
                    let target_path = target.split('?').next().unwrap().to_string();
                    if let Some(f) = frag.filter(|f| !f.is_empty()) {
                        frags.push((target_path.clone(), f, path.clone()));
                    }
                    queue.push_back((target, path.clone(), 200));
                }
            }
        } else if ctype == "text/css" {
            for (i, _) in text.match_indices("url(") {
                let arg = text[i + 4..]
                    .split(')')
                    .next()
                    .unwrap()
                    .trim_matches(['"', '\'', ' ']);
                if let Some((t, _)) = resolve(origin, &path, arg) {
                    queue.push_back((t, path.clone(), 200));
                }
            }
        } else if ctype == "application/xml" {
            for loc in text.split("<loc>").skip(1) {
                let u = loc.split("</loc>").next().unwrap();
                match resolve(origin, &path, u) {
                    Some((t, _)) => queue.push_back((t, path.clone(), 200)),
                    None => c
                        .problems
                        .push(format!("sitemap entry {u} is not on {origin}")),
                }
            }
        } else if path.ends_with("robots.txt") {
            for l in text.lines().filter_map(|l| l.strip_prefix("Sitemap: ")) {
                match resolve(origin, &path, l) {
                    Some((t, _)) => queue.push_back((t, path.clone(), 200)),
                    None => c
                        .problems
                        .push(format!("robots.txt sitemap {l} is not on {origin}")),
                }
            }
        }
    }
    for (target, f, from) in frags {
        match ids.get(&target) {
            Some(set) if set.contains(&f) => {}
            Some(_) => c
                .problems
                .push(format!("{from}: link to {target}#{f}, no such id")),
            None => {}
        }
    }
    c
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the real book for `site_url` into a temp folder.
fn build_real_book(site_url: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args([
            "build",
            "--root",
            repo().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--force",
            "--site-url",
            site_url,
        ])
        .output()
        .expect("run handbook");
    assert!(o.status.success(), "{}", stderr(&o));
    tmp
}

/// The scripted checks a crawl cannot see: every note of nav.js and every search result target.
fn check_script_links(origin: &str, prefix: &str, c: &mut Crawl) {
    let (st, _, nav) = get(origin, &format!("{prefix}nav.js"));
    assert_eq!(st, 200);
    let nav = String::from_utf8(nav).unwrap();
    let json = nav
        .trim()
        .trim_start_matches("window.HANDBOOK_NAV=")
        .trim_end_matches(';');
    let sections: serde_json::Value = serde_json::from_str(json).expect("nav.js JSON");
    let mut slugs = 0;
    for s in sections.as_array().unwrap() {
        for n in s["n"].as_array().unwrap() {
            let p = format!("{prefix}{}.html", n[0].as_str().unwrap());
            slugs += 1;
            if !c.fetched.contains(&p) {
                c.problems
                    .push(format!("nav.js names {p}, which the crawl never reached"));
            }
        }
    }
    assert_eq!(slugs, 45, "nav.js notes");
}

fn assert_clean(c: &Crawl, server: &Server, expect_404: &[&str]) {
    assert!(
        c.problems.is_empty(),
        "{} problems:\n{}",
        c.problems.len(),
        c.problems.join("\n")
    );
    let log = server.log.lock().unwrap();
    let bad: Vec<&(String, u16)> = log
        .iter()
        .filter(|(p, s)| *s == 404 && !expect_404.contains(&p.as_str()))
        .collect();
    assert!(bad.is_empty(), "requests answered 404: {bad:?}");
}

#[test]
fn sub_path_site_crawls_clean_and_404_works_at_depth() {
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    let site = build_real_book(&format!("{origin}/handbook"));
    let server = Server::start(listener, site.path().join("public"), "/handbook/");
    let deep = "/handbook/a/b/c/missing";
    let mut c = crawl(
        &origin,
        "/handbook/",
        &[
            (deep, 404),
            ("/handbook/.nojekyll", 200),
            ("/handbook/robots.txt", 200),
        ],
    );
    check_script_links(&origin, "/handbook/", &mut c);
    assert_clean(&c, &server, &[deep]);
    // Every note page, every tag page, the tag index and the assets were reached from the root.
    assert!(c.pages > 45 + 2, "only {} pages crawled", c.pages);
    for f in [
        "/handbook/style.css",
        "/handbook/app.js",
        "/handbook/search-index.js",
        "/handbook/favicon.svg",
        "/handbook/sitemap.xml",
        "/handbook/tags/index.html",
    ] {
        assert!(c.fetched.contains(f), "{f} never fetched");
    }

    // The canonical and Open Graph URLs of a page are its own address under the sub-path.
    let (_, _, body) = get(&origin, "/handbook/caching.html");
    let html = String::from_utf8(body).unwrap();
    let t = tags(&html);
    let canonical = t
        .iter()
        .find(|(n, a)| n == "link" && a.get("rel").map(String::as_str) == Some("canonical"))
        .expect("canonical");
    assert_eq!(
        canonical.1["href"],
        format!("{origin}/handbook/caching.html")
    );
    let og = t
        .iter()
        .find(|(n, a)| n == "meta" && a.get("property").map(String::as_str) == Some("og:url"))
        .expect("og:url");
    assert_eq!(og.1["content"], format!("{origin}/handbook/caching.html"));
    assert!(
        !html.contains("&#x2F;"),
        "URLs written with escaped slashes"
    );

    // The 404 page served at depth anchors everything at the sub-path.
    let (st, _, body) = get(&origin, deep);
    assert_eq!(st, 404);
    assert!(String::from_utf8_lossy(&body).contains("<base href=\"/handbook/\">"));

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/pages");
    std::fs::create_dir_all(&shots).unwrap();
    crate::common::browser_test(
        "pages.test.mjs",
        &[
            &format!("{origin}/handbook/"),
            deep,
            shots.to_str().unwrap(),
        ],
    );
    let log = server.log.lock().unwrap();
    let bad: Vec<&(String, u16)> = log.iter().filter(|(p, s)| *s != 200 && p != deep).collect();
    assert!(bad.is_empty(), "browser requests that failed: {bad:?}");
}

#[test]
fn root_site_crawls_clean() {
    let (listener, port) = Server::bind();
    let origin = format!("http://127.0.0.1:{port}");
    let site = build_real_book(&format!("{origin}/"));
    let server = Server::start(listener, site.path().join("public"), "/");
    let deep = "/x/y/missing.html";
    let mut c = crawl(&origin, "/", &[(deep, 404), ("/.nojekyll", 200)]);
    check_script_links(&origin, "/", &mut c);
    assert!(c.pages >= 48, "only {} pages crawled", c.pages);
    assert_clean(&c, &server, &[deep]);
    let (_, _, body) = get(&origin, "/404.html");
    assert!(String::from_utf8_lossy(&body).contains("<base href=\"/\">"));
}

#[test]
fn metadata_cname_and_site_url_precedence() {
    let b = crate::common::two_section_book();
    b.write(
        "book.toml",
        "[book]\ntitle = \"Test Book\"\ndescription = \"A book for tests.\"\nlanguage = \"de\"\n\n[build]\nsite-url = \"https://docs.example.org/guide\"\ncname = \"docs.example.org\"\n",
    );
    b.build_ok();
    assert_eq!(b.out("CNAME"), "docs.example.org\n");
    assert!(b.path("public/.nojekyll").is_file());
    let index = b.out("index.html");
    for want in [
        "<html lang=\"de\"",
        "<title>Test Book</title>",
        "<meta name=\"description\" content=\"A book for tests.\">",
        "<link rel=\"canonical\" href=\"https://docs.example.org/guide/\">",
        "<meta property=\"og:url\" content=\"https://docs.example.org/guide/\">",
        "<meta property=\"og:title\" content=\"Test Book\">",
        "<meta property=\"og:description\" content=\"A book for tests.\">",
        "<meta name=\"twitter:card\" content=\"summary\">",
        "<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">",
    ] {
        assert!(index.contains(want), "index.html lacks {want}");
    }
    let note = b.out("first.html");
    assert!(
        note.contains(
            "<link rel=\"canonical\" href=\"https://docs.example.org/guide/first.html\">"
        )
    );
    assert!(note.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(
        b.out("robots.txt")
            .contains("Sitemap: https://docs.example.org/guide/sitemap.xml")
    );
    let sitemap = b.out("sitemap.xml");
    assert!(sitemap.contains("<loc>https://docs.example.org/guide/first.html</loc>"));
    assert!(sitemap.contains("<loc>https://docs.example.org/guide/tags/alpha.html</loc>"));
    assert!(b.out("404.html").contains("<base href=\"/guide/\">"));

    // --site-url wins over book.toml.
    let o = b.run(&["build", "--site-url", "https://u.github.io/repo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        b.out("index.html")
            .contains("<link rel=\"canonical\" href=\"https://u.github.io/repo/\">")
    );
    assert!(b.out("404.html").contains("<base href=\"/repo/\">"));
}

#[test]
fn without_site_url_no_absolute_urls_are_invented() {
    let b: TestBook = crate::common::two_section_book();
    b.build_ok();
    let index = b.out("index.html");
    assert!(
        !index.contains("rel=\"canonical\""),
        "canonical without a site URL"
    );
    assert!(!index.contains("og:url"));
    assert!(!b.out("404.html").contains("<base"));
    assert!(!b.out("robots.txt").contains("Sitemap:"));
    assert!(!b.path("public/CNAME").exists());
    assert!(b.path("public/.nojekyll").is_file());
}

#[test]
fn pages_workflow_builds_checks_and_deploys() {
    let wf =
        std::fs::read_to_string(repo().join(".github/workflows/pages.yml")).expect("pages.yml");
    for want in [
        "actions/checkout@",
        "uses: ./",
        "version: source",
        "actions/upload-pages-artifact@",
        "path: ${{ steps.handbook.outputs.site-dir }}",
        "actions/deploy-pages@",
        "pages: write",
        "id-token: write",
    ] {
        assert!(wf.contains(want), "pages.yml lacks {want}");
    }
    // The action builds with the Pages address and checks the links.
    let action = std::fs::read_to_string(repo().join("action.yml")).expect("action.yml");
    for want in [
        "actions/configure-pages@",
        "id: pages",
        "steps.pages.outputs.base_url",
        "handbook build --root \"$BOOK\" --output \"$OUTPUT\" --site-url \"$SITE_URL\"",
        "handbook check --root \"$BOOK\" --format github",
        "site-dir=",
    ] {
        assert!(action.contains(want), "action.yml lacks {want}");
    }
}
