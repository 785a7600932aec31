//! The block cache: each distinct (language, code) highlighted once per process, warmed in parallel before the render.

use super::language::find_syntax;
use super::lines::highlight_lines;
use crate::render::bounded_cache::BoundedCache;
use std::sync::{Arc, LazyLock, Mutex};
use syntect::parsing::SyntaxReference;

/// Highlighted lines keyed by (language, code): identical blocks are highlighted once per
/// process. Bounded, so a long `serve` session that keeps editing code blocks does not grow it
/// without end; the budget holds the blocks of a 5,000-note book several times over (the
/// generated 5,000-note corpus fills 5 MiB, this book 153 KiB).
type LineCache = BoundedCache<(String, String), Arc<Vec<String>>>;
static CACHE: LazyLock<Mutex<LineCache>> =
    LazyLock::new(|| Mutex::new(BoundedCache::new(CACHE_BUDGET)));

/// Bytes of code and highlighted HTML the block cache holds at most (both generations).
const CACHE_BUDGET: usize = 32 << 20;

/// Highlight ahead of rendering every fenced block found in `sources` (Markdown), in parallel,
/// into the block cache, so that the render finds them done. Blocks are grouped by language:
/// the first use of a grammar compiles its regexes, and two threads starting on different
/// grammars compile at the same time instead of one waiting for the other.
pub(crate) fn warm<'a>(sources: impl rayon::iter::ParallelIterator<Item = &'a str>) {
    use rayon::prelude::*;
    let mut blocks: Vec<(&'static SyntaxReference, String)> = sources
        .flat_map_iter(fenced_blocks)
        .filter_map(|(lang, code)| Some((find_syntax(lang)?, code)))
        .collect();
    blocks.sort_by(|a, b| (&a.0.name, &a.1).cmp(&(&b.0.name, &b.1)));
    blocks.dedup_by(|a, b| a.0.name == b.0.name && a.1 == b.1);
    blocks.par_iter().for_each(|(syntax, code)| {
        cached_lines(syntax, code);
    });
}

/// The fenced code blocks of a Markdown text, as (language, code), found line by line: fences
/// at the start of a line or indented (list items); what this misses is highlighted during
/// the render as usual. Diagrams are left out.
pub(crate) fn fenced_blocks(src: &str) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut lines = src.split_inclusive('\n');
    while let Some(line) = lines.next() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = &line[indent..];
        let fence_char = match t.as_bytes().first() {
            Some(b'`') => '`',
            Some(b'~') => '~',
            _ => continue,
        };
        let n = t.len() - t.trim_start_matches(fence_char).len();
        if n < 3 {
            continue;
        }
        let info = t[n..].trim();
        if fence_char == '`' && info.contains('`') {
            continue;
        }
        let lang = info
            .split(|c: char| c.is_whitespace() || c == '{' || c == ',')
            .next()
            .unwrap_or("");
        let mut code = String::new();
        for l in lines.by_ref() {
            let li = l.len() - l.trim_start_matches(' ').len();
            let lt = &l[li..];
            let close = lt.len() - lt.trim_start_matches(fence_char).len();
            if close >= n && lt[close..].trim().is_empty() {
                break;
            }
            code.push_str(&l[li.min(indent)..]);
        }
        if !lang.is_empty() && lang != "diagram" {
            out.push((lang, code));
        }
    }
    out
}

pub(crate) fn cached_lines(syntax: &'static SyntaxReference, code: &str) -> Arc<Vec<String>> {
    let key = (syntax.name.clone(), code.to_string());
    if let Some(hit) = CACHE.lock().ok().and_then(|mut c| c.get(&key)) {
        return hit;
    }
    let lines = Arc::new(highlight_lines(syntax, code));
    // What the entry costs: the key, each line's text and its `String`, the map's slot.
    let size = key.0.len() + key.1.len() + lines.iter().map(|l| l.len() + 24).sum::<usize>() + 96;
    if let Ok(mut c) = CACHE.lock() {
        c.insert(key, lines.clone(), size);
    }
    lines
}

/// The highlighted-block cache's size: (blocks, bytes counted against its budget).
pub(crate) fn block_cache_size() -> (usize, usize) {
    CACHE.lock().map_or((0, 0), |c| (c.len(), c.bytes()))
}
