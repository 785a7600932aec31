/* Study mode: reading progress kept in this browser only (localStorage, keyed by the book's
   identity), "Mark as read", counts per section, level and book, the "unread only" filter,
   "Continue reading", and export/import of progress as a JSON file. Work at load is in the
   number of notes read (lookups by id), never a walk over every note. Pages read the same
   without this file. Exposes window.HandbookStudy for review.js. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var book = root.getAttribute("data-book") || "book";
  var KEY = "handbook-study:" + book, FORMAT = "handbook-progress";
  var isAll = doc.body.classList.contains("page-all");
  function $(s, el) { return (el || doc).querySelector(s); }
  function $$(s, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(s)); }
  /* On the all-notes page a query over the document visits every note: look only where the
     study controls are (header, the bar under the title, sidebar). Other pages are small. */
  var notePage = isAll ? null : $("article.note-page");
  var scopes = isAll ? [$(".topbar"), $(".study-bar"), doc.getElementById("sidebar")].filter(Boolean) : [doc];
  function all(s) { return scopes.reduce(function (acc, el) { return acc.concat($$(s, el)); }, []); }
  function one(s) { for (var i = 0; i < scopes.length; i++) { var e = $(s, scopes[i]); if (e) return e; } return null; }
  function now() { return typeof window.HANDBOOK_NOW === "function" ? window.HANDBOOK_NOW() : Date.now(); }
  function empty() { return { format: FORMAT, version: 1, book: book, read: {}, cards: {}, last: null }; }
  function load() {
    try {
      var d = JSON.parse(localStorage.getItem(KEY) || "null");
      if (d && d.format === FORMAT && d.book === book) {
        d.read = d.read || {}; d.cards = d.cards || {};
        return d;
      }
    } catch (e) { /* storage off or damaged: start empty */ }
    return empty();
  }
  /* Read, change and write back in one go, so two tabs do not undo each other's changes. */
  function update(fn) {
    var d = load();
    fn(d);
    try { localStorage.setItem(KEY, JSON.stringify(d)); } catch (e) { say("Progress could not be saved: this browser keeps no storage for this page."); }
    return d;
  }
  function say(text) { all(".study-msg").forEach(function (m) { m.textContent = text; }); }

  /* Which notes exist here, to leave out progress of notes since removed. */
  var navSlugs = null;
  function exists(slug) {
    if (isAll) { var el = doc.getElementById(slug); return !!(el && el.classList.contains("note")); }
    if (window.HANDBOOK_NAV) {
      if (!navSlugs) {
        navSlugs = {};
        window.HANDBOOK_NAV.forEach(function (s) { s.n.forEach(function (n) { navSlugs[n[0]] = true; }); });
      }
      return !!navSlugs[slug];
    }
    return true;
  }
  function article(slug) {
    if (isAll) return doc.getElementById(slug);
    return notePage && notePage.getAttribute("data-note") === slug ? notePage : null;
  }
  /* A note's section and level as this page shows them. */
  function where(slug) {
    var el = article(slug);
    if (!el) return null;
    var sec = isAll ? ((el.closest(".book-section") || {}).id || "").replace(/^section-/, "") : el.getAttribute("data-section");
    return { s: sec || "", l: el.getAttribute("data-level") || "" };
  }

  var marked = {};
  function mark(slug, on) {
    var el = article(slug), li = isAll ? doc.getElementById("t:" + slug) : null;
    [el, li].forEach(function (x) { if (x) { if (on) x.setAttribute("data-read", ""); else x.removeAttribute("data-read"); } });
    var btn = el && $(".mark-read", el);
    if (btn) btn.setAttribute("aria-pressed", on ? "true" : "false");
    if (on) marked[slug] = true; else delete marked[slug];
  }

  /* Marks, counts and the continue link, from the stored progress. */
  function paint() {
    var d = load(), read = {}, n = 0, bySec = {}, byLevel = {};
    Object.keys(d.read).forEach(function (slug) {
      if (!exists(slug)) return;
      var r = d.read[slug], w = where(slug);
      if (w) { r.s = w.s; r.l = w.l; }
      read[slug] = true; n++;
      bySec[r.s] = (bySec[r.s] || 0) + 1;
      byLevel[r.l] = (byLevel[r.l] || 0) + 1;
    });
    Object.keys(marked).forEach(function (s) { if (!read[s]) mark(s, false); });
    Object.keys(read).forEach(function (s) { if (!marked[s]) mark(s, true); });
    all(".study-read").forEach(function (e) { e.textContent = n; });
    all(".study-progress, .study-actions").forEach(function (e) { e.hidden = false; });
    if (isAll && scopes[1]) scopes[1].hidden = false;
    all(".study-level").forEach(function (e) { $(".n", e).textContent = byLevel[e.getAttribute("data-level")] || 0; });
    sectionCounts(bySec, read);
    var c = one(".study-continue");
    if (c && d.last && exists(d.last.slug)) {
      c.hidden = false;
      $(".t", c).textContent = d.last.title || d.last.slug;
      $(".continue-link", c).setAttribute("href", "#" + d.last.slug);
    }
  }
  function sectionCounts(bySec, read) {
    all(".toc-section[data-section] .read-count").forEach(function (e) {
      var k = bySec[e.parentNode.getAttribute("data-section")] || 0;
      e.innerHTML = k + "/" + e.getAttribute("data-total") + '<span class="visually-hidden"> read</span>';
      e.hidden = false;
    });
    /* Note pages: app.js draws the sidebar from nav.js, section by section in its order. */
    if (!isAll && window.HANDBOOK_NAV) {
      var secs = $$("#nav-tree .toc-section");
      window.HANDBOOK_NAV.forEach(function (s, i) {
        var li = secs[i], sum = li && $("summary", li);
        if (!sum) return;
        var k = s.n.filter(function (x) { return read[x[0]]; }).length;
        var span = $(".read-count", sum) || sum.appendChild(doc.createElement("span"));
        span.className = "read-count";
        span.innerHTML = k + "/" + s.n.length + '<span class="visually-hidden"> read</span>';
      });
    }
  }

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".mark-read");
    if (!b) return;
    var el = b.closest("article.note");
    var slug = el && (el.getAttribute("data-note") || el.id);
    if (!slug) return;
    var on = b.getAttribute("aria-pressed") !== "true";
    update(function (d) {
      if (on) { var w = where(slug) || {}; d.read[slug] = { t: now(), s: w.s || "", l: w.l || "" }; }
      else delete d.read[slug];
    });
    paint();
    say((on ? "Marked as read: " : "Marked as unread: ") + (($(".note-title", el) || {}).textContent || slug).trim());
  });

  /* "Unread only": an attribute on <html> that CSS hides read notes by; in the URL as ?unread=1. */
  var unreadBox = isAll ? $('.filters input[name="unread"]') : null;
  function setUnread(on, write) {
    if (on) root.setAttribute("data-unread-only", ""); else root.removeAttribute("data-unread-only");
    if (unreadBox) unreadBox.checked = on;
    if (!write) return;
    var q = new URLSearchParams(location.search);
    if (on) q.set("unread", "1"); else q.delete("unread");
    var s = q.toString().replace(/%2C/g, ",");
    try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash); } catch (e) { /* some file:// setups refuse */ }
  }
  if (isAll) {
    setUnread(new URLSearchParams(location.search).get("unread") === "1", false);
    doc.addEventListener("change", function (e) { if (e.target.name === "unread") setUnread(e.target.checked, true); });
    doc.addEventListener("click", function (e) { if (e.target.closest && e.target.closest(".filter-reset")) setUnread(false, true); });
  }

  /* Where the reader is: the note at the top of the screen and how far into it, kept a moment
     after scrolling stops. */
  var saveTimer = 0;
  function position() {
    var el = notePage;
    if (isAll) {
      var main = $("#main");
      if (!main) return null;
      var r = main.getBoundingClientRect();
      var hit = doc.elementFromPoint(Math.min(r.left + r.width / 2, window.innerWidth - 20), Math.max(60, window.innerHeight * 0.15));
      el = hit && hit.closest ? hit.closest("article.note") : null;
    }
    if (!el) return null;
    var box = el.getBoundingClientRect();
    var frac = Math.max(0, Math.min(1, (Math.max(60, window.innerHeight * 0.15) - box.top) / Math.max(1, box.height)));
    return { slug: el.getAttribute("data-note") || el.id, title: (($(".note-title", el) || {}).textContent || "").trim(), frac: frac };
  }
  window.addEventListener("scroll", function () {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(function () {
      var p = position();
      if (p && p.slug) update(function (d) { p.t = now(); d.last = p; });
    }, 400);
  }, { passive: true });
  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest(".continue-link");
    if (!a) return;
    var last = load().last, el = last && doc.getElementById(last.slug);
    if (!el) return;
    e.preventDefault();
    if (el.hasAttribute("data-read")) setUnread(false, true);
    var tries = 30;
    (function go() {
      var box = el.getBoundingClientRect(), y = window.scrollY + box.top + last.frac * box.height - Math.max(60, window.innerHeight * 0.15) + 1;
      window.scrollTo(0, y);
      if (tries-- > 0) requestAnimationFrame(function () { requestAnimationFrame(function () {
        var b2 = el.getBoundingClientRect();
        if (Math.abs(b2.top - box.top + (window.scrollY - y)) > 2 || Math.abs(b2.height - box.height) > 2) go();
      }); });
    })();
  });

  /* Export and import of progress, so a reader can move between browsers. */
  function exportProgress() {
    var d = load();
    d.exported = new Date(now()).toISOString();
    var blob = new Blob([JSON.stringify(d, null, 1)], { type: "application/json" });
    var a = doc.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "progress-" + book + ".json";
    doc.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    say("Progress saved as " + a.download + ".");
  }
  function num(v) { return typeof v === "number" && isFinite(v) && v >= 0; }
  /* Why a parsed file cannot be imported, or "" when it can. */
  function refusal(d) {
    if (!d || typeof d !== "object" || d.format !== FORMAT) return "This is not a handbook progress file; nothing was imported.";
    if (d.version !== 1) return "This progress file has version " + String(d.version).slice(0, 20) + ", which this page does not read; nothing was imported.";
    if (d.book !== book) return "This progress file is for another book (" + String(d.book).slice(0, 80) + "); nothing was imported.";
    var read = d.read || {}, cards = d.cards || {}, S = window.HandbookSchedule;
    if (typeof read !== "object" || typeof cards !== "object") return "This progress file is damaged; nothing was imported.";
    for (var k in read) if (!read[k] || !num(read[k].t)) return "This progress file is damaged (note " + k.slice(0, 60) + "); nothing was imported.";
    for (var c in cards) {
      var s = cards[c];
      if (S ? !S.valid(s) : !(s && num(s.due) && num(s.last))) return "This progress file is damaged (card " + c.slice(0, 60) + "); nothing was imported.";
    }
    if (d.last && !(typeof d.last.slug === "string" && num(d.last.frac) && num(d.last.t))) return "This progress file is damaged (last position); nothing was imported.";
    return "";
  }
  function importText(text) {
    var d;
    try { d = JSON.parse(text); } catch (e) { say("This file is not JSON; nothing was imported."); return false; }
    var why = refusal(d);
    if (why) { say(why); return false; }
    var got = update(function (cur) {
      Object.keys(d.read || {}).forEach(function (k) { if (!cur.read[k] || cur.read[k].t < d.read[k].t) cur.read[k] = d.read[k]; });
      Object.keys(d.cards || {}).forEach(function (k) { if (!cur.cards[k] || cur.cards[k].last < d.cards[k].last) cur.cards[k] = d.cards[k]; });
      if (d.last && (!cur.last || cur.last.t < d.last.t)) cur.last = d.last;
    });
    paint();
    say("Progress imported: " + Object.keys(got.read).length + " notes read, " + Object.keys(got.cards).length + " cards reviewed.");
    if (window.HandbookReview) window.HandbookReview.restart();
    return true;
  }
  doc.addEventListener("click", function (e) {
    var t = e.target.closest && e.target.closest(".progress-export, .progress-import");
    if (!t) return;
    if (t.classList.contains("progress-export")) exportProgress();
    else { var f = one(".progress-file"); if (f) { f.value = ""; f.click(); } }
  });
  doc.addEventListener("change", function (e) {
    if (!e.target.classList || !e.target.classList.contains("progress-file")) return;
    var file = e.target.files && e.target.files[0];
    if (!file) return;
    if (file.size > 20 * 1024 * 1024) { say("This file is too large to be a progress file; nothing was imported."); return; }
    var r = new FileReader();
    r.onload = function () { importText(String(r.result)); };
    r.onerror = function () { say("The file could not be read; nothing was imported."); };
    r.readAsText(file);
  });

  window.HandbookStudy = { load: load, update: update, now: now, book: book, paint: paint, importText: importText, say: say };
  paint();
})();
