/* handbook search: the query engine over the split index (see src/site/search_index.rs): query
   words, the pieces they need, ranking. No DOM: app.js loads the pieces and shows the results. */
(function (g) {
  "use strict";
  var parts = function () { return g.HANDBOOK_SEARCH_PARTS || (g.HANDBOOK_SEARCH_PARTS = {}); };
  var manifest = function () { return g.HANDBOOK_SEARCH_INDEX; };
  /* Query words as the index has them: runs of letters and digits, lower-cased, at most 32 long. */
  var termsOf = function (q) {
    var seen = {};
    return (q.toLowerCase().match(/[\p{Alphabetic}\p{N}]+/gu) || []).map(function (t) { return Array.from(t).slice(0, 32).join(""); })
      .filter(function (t) { return !seen[t] && (seen[t] = true); });
  };
  /* The shard holding term t: the last one whose first term is <= t. */
  var shardOf = function (t) {
    var f = manifest().t, lo = 0, hi = f.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (f[mid] <= t) lo = mid; else hi = mid - 1; }
    return lo;
  };
  /* A word of two or more letters matches as a prefix (its shards run to t + U+FFFF); one letter matches whole words. */
  var shardsFor = function (terms) {
    var keys = [];
    terms.forEach(function (t) {
      var a = shardOf(t), b = t.length > 1 ? shardOf(t + "\uffff") : a;
      for (var i = a; i <= b; i++) if (keys.indexOf("t" + i) < 0) keys.push("t" + i);
    });
    return keys;
  };
  /* Per query term: the chunks whose heading or body has a word it starts (bits 1 heading, 2 body,
     4 body thrice) and the notes whose title (8) or tags (16) have one. Postings are delta-coded
     chunk * 32 + bits; a chunk's id is note * stride + its place in the note. */
  var lookup = function (t, keys) {
    var chunks = new Map(), notes = new Map(), C = manifest().c, prefix = t.length > 1;
    keys.forEach(function (k) {
      var shard = parts()[k];
      for (var w in shard) {
        if (w === t || (prefix && w.lastIndexOf(t, 0) === 0)) {
          var list = shard[w], v = 0;
          for (var i = 0; i < list.length; i++) {
            v += list[i];
            var id = Math.floor(v / 32), bits = v % 32;
            if (bits & 7) chunks.set(id, (chunks.get(id) || 0) | (bits & 7));
            if (bits & 24) { var n = Math.floor(id / C); notes.set(n, (notes.get(n) || 0) | (bits & 24)); }
          }
        }
      }
    });
    return { chunks: chunks, notes: notes };
  };
  /* Ranking: a term in the note title (on the note's opening chunk) or in a heading beats body text;
     every term must appear somewhere in the chunk, its heading, its note's title or tags. */
  var rank = function (terms) {
    var C = manifest().c, hits = terms.map(function (t) { return lookup(t, shardsFor([t])); }), cand = new Set();
    hits.forEach(function (h) {
      h.chunks.forEach(function (_, id) { cand.add(id); });
      h.notes.forEach(function (_, n) { cand.add(n * C); });
    });
    var scored = [];
    cand.forEach(function (id) {
      var note = Math.floor(id / C), first = id % C === 0, score = 0, inTitle = 0, inHeading = 0;
      for (var i = 0; i < hits.length; i++) {
        var b = (hits[i].chunks.get(id) || 0) | (hits[i].notes.get(note) || 0), s = 0;
        if (b & 8) { s += first ? 20 : 1; inTitle++; }
        if (b & 1) { s += 12; inHeading++; }
        if (b & 2) s += 2 + (b & 4 ? 1 : 0);
        if (b & 16) s += 1;
        if (!s) return;
        score += s;
      }
      /* A title match on a note's first chunk stands for the whole note: link to its top. */
      scored.push({ id: id, note: note, chunk: id % C, score: score, whole: first && inTitle === terms.length && inHeading < terms.length });
    });
    scored.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
    var per = {}, out = [];
    for (var i = 0; i < scored.length && out.length < 12; i++) {
      var k = scored[i].note;
      per[k] = (per[k] || 0) + 1;
      if (per[k] <= 3) out.push(scored[i]);
    }
    return out;
  };
  var noteKey = function (n) { return "n" + Math.floor(n / manifest().g); };
  var noteData = function (n) { return parts()[noteKey(n)][n % manifest().g]; };
  /* A result as the page shows it: the note's slug, number and title, the heading's id and text
     (empty for the note's top) and the chunk's text for the snippet. */
  var resolve = function (h) {
    var note = noteData(h.note), c = note[3][h.chunk] || ["", "", ""];
    return { slug: note[0], num: note[1], title: note[2], id: h.whole ? "" : c[0], head: h.whole ? "" : c[1], text: c[2] };
  };
  var url = function (k) {
    var m = manifest();
    return k === "index" ? "search-index.js" : "search-index/" + k + ".js" + (m && m.h ? "?v=" + m.h : "");
  };

  /* The engine: `need(keys, cb)` loads pieces ("index" is the manifest; urls from `url`) and calls
     cb(ok); the answer is done(ok, terms, results), dropped when `fresh()` turns false meanwhile. */
  g.HandbookSearch = function (need) {
    return function (q, fresh, done) {
      need(["index"], function (ok) {
        if (!fresh()) return;
        if (!ok) { done(false); return; }
        var terms = termsOf(q);
        if (!terms.length) { done(true, terms, []); return; }
        need(shardsFor(terms), function (ok) {
          if (!fresh()) return;
          if (!ok) { done(false); return; }
          var hits = rank(terms), notes = [];
          hits.forEach(function (h) { var k = noteKey(h.note); if (notes.indexOf(k) < 0) notes.push(k); });
          need(notes, function (ok) {
            if (!fresh()) return;
            if (ok) done(true, terms, hits.map(resolve)); else done(false);
          });
        });
      });
    };
  };
  g.HandbookSearch.url = url;
  g.HandbookSearch.have = function (k) { return k === "index" ? !!manifest() : !!parts()[k]; };

})(self);
