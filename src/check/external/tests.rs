use super::*;

fn join(base: &str, loc: &str) -> String {
    join_url(base, loc).unwrap()
}

#[test]
fn locations_resolve_against_the_request() {
    assert_eq!(join("http://h:1/a/b?x", "/c"), "http://h:1/c");
    assert_eq!(join("http://h:1/a/b", "c?d=1"), "http://h:1/a/c?d=1");
    assert_eq!(join("http://h:1/a/b", "../c"), "http://h:1/c");
    assert_eq!(join("https://h/a", "//g/x"), "https://g/x");
    assert_eq!(join("https://h", "x"), "https://h/x");
    assert_eq!(join("https://h/a", "https://o/"), "https://o/");
    assert_eq!(join("https://h/a", " /c "), "https://h/c");
}

/// Where the hand-written resolver this replaced was wrong by the URL standard.
#[test]
fn locations_resolve_by_the_url_standard() {
    // A `://` in the query does not make a relative Location absolute.
    assert_eq!(
        join("https://h/a/b", "/login?next=https://h/a"),
        "https://h/login?next=https://h/a"
    );
    // A fragment alone keeps the path and the query.
    assert_eq!(join("https://h/a/b?x=1", "#top"), "https://h/a/b?x=1#top");
    // A query alone keeps the path.
    assert_eq!(join("https://h/a/b?x=1", "?y=2"), "https://h/a/b?y=2");
    // Dot segments go, also in an absolute Location; `..` stops at the root.
    assert_eq!(
        join("https://h/a/b", "https://o/x/./y/../z"),
        "https://o/x/z"
    );
    assert_eq!(join("https://h/a/b", "../../../c"), "https://h/c");
    // Scheme and host are case-insensitive; the default port is left out.
    assert_eq!(
        join("https://h/", "HTTPS://Example.COM:443/P"),
        "https://example.com/P"
    );
    // Spaces and non-ASCII bytes are percent-encoded; hosts are IDNA.
    assert_eq!(join("https://h/a", "/b c/é"), "https://h/b%20c/%C3%A9");
    assert_eq!(
        join("https://h/a", "//bücher.example/"),
        "https://xn--bcher-kva.example/"
    );
}

#[test]
fn a_location_that_is_no_url_is_an_error() {
    assert!(join_url("https://h/a", "http://[::1").is_err());
    assert!(join_url("https://h/a", "https://exa mple.com/").is_err());
    assert!(join_url("not a url", "/c").is_err());
}

#[test]
fn retry_after_seconds_and_dates() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:47 GMT", now),
        Some(Duration::from_secs(10))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:27 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
}

#[test]
fn skip_and_allow_prefixes() {
    let s = vec!["https://skip.me/".to_string()];
    let a = vec!["https://".to_string()];
    assert!(!selected("https://skip.me/x", &s, &[]));
    assert!(selected("https://ok/x", &s, &a));
    assert!(!selected("http://plain/x", &s, &a));
}

#[test]
fn hosts_include_port() {
    assert_eq!(
        host_of("http://User@Example.com:8080/x?y"),
        "http://example.com:8080"
    );
    assert_eq!(host_of("https://example.com:443/"), "https://example.com");
    assert_eq!(
        host_of("https://bücher.example/"),
        "https://xn--bcher-kva.example"
    );
}
