use super::*;

fn files(list: &[(&str, &[u8])]) -> Files {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_vec().into()))
        .collect()
}

#[test]
fn inlines_and_rewrites() {
    let index = r##"<html><head><link rel="stylesheet" href="style.css?v=1"><link rel="icon" href="favicon.svg"><link rel="canonical" href="https://x.io/"></head>
<body><main id="main"><article id="a"><h2 id="a--h">H</h2><a href="b.html">b</a> <a href="b.html#sec">b sec</a> <a href="tags/x-y.html">#x</a> <a href="index.html">home</a> <a href="https://e.com/">e</a> <img src="notes/i.png" alt=""></article><article id="b"><h2 id="b--sec">S</h2></article></main>
<script src="nav.js?v=1" defer></script><script src="app.js?v=1" defer></script></body></html>"##;
    let f = files(&[
        ("index.html", index.as_bytes()),
        (
            "style.css",
            b"body{background:url(img/bg.png)}@import url(\"more.css\");",
        ),
        ("more.css", b"p{color:red}"),
        ("img/bg.png", b"PNG"),
        ("favicon.svg", b"<svg/>"),
        ("notes/i.png", b"IMG"),
        ("nav.js", b"window.N=1;"),
        ("app.js", b"var s='</script>';"),
        ("search-index.js", b"window.HANDBOOK_SEARCH_INDEX={};"),
        ("search-index/t0.js", b"P.t0={};"),
    ]);
    let notes: HashSet<&str> = ["a", "b"].into_iter().collect();
    let b = bundle(&f, &notes).unwrap();
    let h = &b.html;
    assert!(b.warnings.is_empty(), "{:?}", b.warnings);
    assert!(
        h.contains("<style>body{background:url(\"data:image/png;base64,"),
        "{h}"
    );
    assert!(h.contains("p{color:red}"));
    assert!(h.contains("<link rel=\"icon\" href=\"data:image/svg+xml;base64,"));
    assert!(h.contains("href=\"https://x.io/\""), "canonical stays");
    assert!(h.contains("<a href=\"#b\">b</a>"));
    assert!(h.contains("<a href=\"#b--sec\">"));
    assert!(h.contains("<a href=\"?tags=x-y\">"));
    assert!(h.contains("<a href=\"#main\">home"));
    assert!(h.contains("<a href=\"https://e.com/\">"));
    assert!(h.contains("<img src=\"data:image/png;base64,SU1H\""));
    let search = h.find("HANDBOOK_SEARCH_INDEX").unwrap();
    assert!(
        search < h.find("P.t0={};").unwrap(),
        "manifest, then pieces"
    );
    assert!(h.find("P.t0={};").unwrap() < h.find("window.N=1").unwrap());
    assert!(h.contains("var s='<\\/script>';</script>"));
    assert!(!h.contains(".js?v=") && !h.contains("defer"));
    assert_eq!(
        b.parts
            .iter()
            .filter(|p| p.name == "search-index.js")
            .count(),
        1
    );
}

#[test]
fn missing_and_remote_are_reported() {
    let index = r#"<body><a href="gone.html">x</a><img src="https://cdn.example/x.png"></body>"#;
    let f = files(&[("index.html", index.as_bytes())]);
    let b = bundle(&f, &HashSet::new()).unwrap();
    assert_eq!(b.warnings.len(), 2, "{:?}", b.warnings);
}

#[test]
fn script_escaping() {
    assert_eq!(escape_script("a</SCRIPT>b<!--c"), "a<\\/SCRIPT>b<\\!--c");
}
