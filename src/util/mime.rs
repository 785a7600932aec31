//! Media types by file extension, shared by the dev server and the offline export.

/// The media type of a file name, without parameters (`text/css`, `image/png`...).
pub(crate) fn of(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html",
        "css" => "text/css",
        "js" | "mjs" => "text/javascript",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain",
        "csv" => "text/csv",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

/// The `Content-Type` header value: text types carry `charset=utf-8`.
pub(crate) fn content_type(path: &str) -> String {
    let m = of(path);
    if m.starts_with("text/") || m == "application/json" || m == "application/xml" {
        format!("{m}; charset=utf-8")
    } else {
        m.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn types_and_charsets() {
        assert_eq!(super::of("a/b.SVG"), "image/svg+xml");
        assert_eq!(super::content_type("x.css"), "text/css; charset=utf-8");
        assert_eq!(super::content_type("x.png"), "image/png");
        assert_eq!(super::of("noext"), "application/octet-stream");
    }
}
