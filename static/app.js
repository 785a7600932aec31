/* handbook: progressive enhancement. Every page works without this file. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var base = root.getAttribute("data-root") || "";
  root.classList.add("js");
  function $(s, el) { return (el || doc).querySelector(s); }
  function $$(s, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(s)); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  var isAll = doc.body.classList.contains("page-all");

  /* Theme: follows the system until the reader picks one; the choice is remembered. */
  var toggle = $(".theme-toggle");
  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }
  function labelToggle() {
    if (toggle) toggle.setAttribute("aria-label", effectiveTheme() === "dark" ? "Switch to light theme" : "Switch to dark theme");
  }
  if (toggle) {
    toggle.hidden = false;
    labelToggle();
    toggle.addEventListener("click", function () {
      var next = effectiveTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("handbook-theme", next); } catch (e) { /* storage may be off */ }
      labelToggle();
    });
  }

  /* Drawer on narrow screens. */
  var navBtn = $(".nav-toggle");
  function setNav(open) {
    doc.body.classList.toggle("nav-open", open);
    if (navBtn) navBtn.setAttribute("aria-expanded", open ? "true" : "false");
  }
  if (navBtn) {
    navBtn.hidden = false;
    navBtn.addEventListener("click", function () { setNav(!doc.body.classList.contains("nav-open")); });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape" && doc.body.classList.contains("nav-open")) { setNav(false); navBtn.focus(); } });
    $("#sidebar").addEventListener("click", function (e) { if (e.target.closest("a")) setNav(false); });
  }
  var mq = window.matchMedia ? matchMedia("(max-width: 900px)") : null;
  function syncNavBtn() { if (navBtn) navBtn.hidden = !(mq && mq.matches); }
  syncNavBtn();
  if (mq && mq.addEventListener) mq.addEventListener("change", syncNavBtn);

  /* Per-note pages: the full contents come from nav.js, loaded once for the whole site. */
  var tree = $("#nav-tree");
  if (tree && window.HANDBOOK_NAV) {
    var cur = tree.getAttribute("data-current"), html = '<ol class="toc-sections">';
    window.HANDBOOK_NAV.forEach(function (s) {
      var here = s.n.some(function (n) { return n[0] === cur; });
      html += '<li class="toc-section"><details' + (here ? " open" : "") + '><summary class="toc-section-link">' + esc(s.t) + ' <span class="count">' + s.n.length + '</span></summary><ol class="toc-notes">';
      s.n.forEach(function (n) {
        html += '<li><a href="' + base + esc(n[0]) + '.html"' + (n[0] === cur ? ' aria-current="true" class="active"' : "") + '><span class="num">' + n[1] + "</span> " + esc(n[2]) + "</a></li>";
      });
      html += "</ol></details></li>";
    });
    tree.innerHTML = html + "</ol>";
    var active = $("a.active", tree);
    if (active && active.scrollIntoView) active.scrollIntoView({ block: "center" });
  }

  /* All-notes page: highlight the note being read in the sidebar. */
  if (isAll && "IntersectionObserver" in window) {
    var links = {};
    $$(".toc-notes a").forEach(function (a) { links[a.getAttribute("href").slice(1)] = a; });
    var current = null;
    var obs = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        var a = links[en.target.id];
        if (!a || a === current) return;
        if (current) { current.classList.remove("active"); current.removeAttribute("aria-current"); }
        current = a; a.classList.add("active"); a.setAttribute("aria-current", "true");
        var sb = $("#sidebar"), r = a.getBoundingClientRect(), sr = sb.getBoundingClientRect();
        if (r.top < sr.top || r.bottom > sr.bottom) sb.scrollTop += r.top - sr.top - sr.height / 3;
      });
    }, { rootMargin: "-10% 0px -80% 0px" });
    $$("article.note").forEach(function (n) { obs.observe(n); });
  }

  /* Copy buttons on code blocks. */
  $$(".code-block").forEach(function (block) {
    var pre = $("pre", block);
    if (!pre) return;
    var btn = doc.createElement("button");
    btn.type = "button"; btn.className = "copy-btn"; btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy code to clipboard");
    btn.addEventListener("click", function () {
      var text = $$(".line", pre).map(function (l) { return l.textContent; }).join("\n");
      var done = function () { btn.textContent = "Copied"; setTimeout(function () { btn.textContent = "Copy"; }, 1500); };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
      } else { fallbackCopy(text); done(); }
    });
    block.appendChild(btn);
  });
  function fallbackCopy(text) {
    var ta = doc.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
    doc.body.appendChild(ta); ta.select();
    try { doc.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    doc.body.removeChild(ta);
  }

  /* Back to top appears after scrolling a screen. */
  var btt = $(".back-to-top");
  if (btt) {
    var onScroll = function () { btt.classList.toggle("visible", window.scrollY > window.innerHeight); };
    window.addEventListener("scroll", onScroll, { passive: true }); onScroll();
  }

  /* Filters on the all-notes page; the state lives in the URL (?level=&yoe=&tags=&tagmode=). */
  var filters = $(".filters");
  if (isAll && filters) {
    filters.hidden = false;
    var notes = $$("article.note"), total = notes.length;
    var tagSel = $("#tag-select");
    var readState = function () {
      var q = new URLSearchParams(location.search);
      var list = function (k) { return (q.get(k) || "").split(",").filter(Boolean); };
      return { level: list("level"), yoe: list("yoe"), tags: list("tags"), mode: q.get("tagmode") === "all" ? "all" : "any" };
    };
    var applyToForm = function (st) {
      $$('input[name="level"]', filters).forEach(function (i) { i.checked = st.level.indexOf(i.value) >= 0; });
      $$('input[name="yoe"]', filters).forEach(function (i) { i.checked = st.yoe.indexOf(i.value) >= 0; });
      $$("option", tagSel).forEach(function (o) { o.selected = st.tags.indexOf(o.value) >= 0; });
      $$('input[name="tagmode"]', filters).forEach(function (i) { i.checked = i.value === st.mode; });
    };
    var readForm = function () {
      var vals = function (n) { return $$('input[name="' + n + '"]:checked', filters).map(function (i) { return i.value; }); };
      return { level: vals("level"), yoe: vals("yoe"), tags: $$("option", tagSel).filter(function (o) { return o.selected; }).map(function (o) { return o.value; }),
        mode: ($('input[name="tagmode"]:checked', filters) || {}).value === "all" ? "all" : "any" };
    };
    var apply = function (st) {
      var shown = 0;
      notes.forEach(function (n) {
        var tags = (n.getAttribute("data-tags") || "").split(" ").filter(Boolean);
        var ok = (!st.level.length || st.level.indexOf(n.getAttribute("data-level")) >= 0) &&
          (!st.yoe.length || st.yoe.indexOf(n.getAttribute("data-yoe")) >= 0) &&
          (!st.tags.length || (st.mode === "all" ? st.tags.every(function (t) { return tags.indexOf(t) >= 0; }) : st.tags.some(function (t) { return tags.indexOf(t) >= 0; })));
        n.classList.toggle("filtered-out", !ok);
        var li = $('.toc-notes li[data-note="' + n.id + '"]');
        if (li) li.classList.toggle("filtered-out", !ok);
        if (ok) shown++;
      });
      $$(".book-section").forEach(function (s) { s.hidden = !$("article.note:not(.filtered-out)", s); });
      $$(".toc-section").forEach(function (s) { s.hidden = !$(".toc-notes li:not(.filtered-out)", s); });
      $("#filter-count").textContent = shown;
      $(".no-results").hidden = shown !== 0;
      void total;
    };
    var writeUrl = function (st) {
      var q = new URLSearchParams(location.search);
      var set = function (k, v) { if (v) q.set(k, v); else q.delete(k); };
      set("level", st.level.join(",")); set("yoe", st.yoe.join(",")); set("tags", st.tags.join(","));
      set("tagmode", st.tags.length > 1 && st.mode === "all" ? "all" : "");
      var s = q.toString();
      try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash); } catch (e) { /* file:// in some browsers */ }
    };
    var st0 = readState();
    applyToForm(st0); apply(st0);
    filters.addEventListener("change", function () { var st = readForm(); apply(st); writeUrl(st); });
    $(".filter-reset", filters).addEventListener("click", function () {
      var st = { level: [], yoe: [], tags: [], mode: "any" }; applyToForm(st); apply(st); writeUrl(st);
    });
  }

  /* Search: the index is a script file, loaded on first use, so it works from file:// as well. */
  var box = $(".search"), input = $("#search-input"), results = $("#search-results");
  if (box && input) {
    box.hidden = false;
    var index = null, docs = [], selected = -1;
    var load = function (cb) {
      if (window.HANDBOOK_SEARCH) { prepare(); cb(); return; }
      var s = doc.createElement("script");
      s.src = base + "search-index.js"; s.onload = function () { prepare(); cb(); };
      doc.head.appendChild(s);
    };
    var prepare = function () {
      if (index) return;
      index = window.HANDBOOK_SEARCH;
      docs = index.docs.map(function (d) { return { n: d[0], id: d[1], h: d[2], t: d[3], hl: d[2].toLowerCase(), tl: d[3].toLowerCase() }; });
    };
    var noteHref = function (note, id) {
      var slug = note[0];
      if (isAll) return "#" + slug + (id ? "--" + id : "");
      return base + slug + ".html" + (id ? "#" + id : "");
    };
    var snippet = function (text, terms) {
      var lower = text.toLowerCase(), at = -1;
      terms.forEach(function (t) { var i = lower.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
      var start = Math.max(0, at - 50), s = (start > 0 ? "…" : "") + text.slice(start, start + 150) + (start + 150 < text.length ? "…" : "");
      var out = esc(s);
      terms.forEach(function (t) { if (t.length > 1) out = out.replace(new RegExp("(" + t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi"), "<mark>$1</mark>"); });
      return out;
    };
    var run = function () {
      var q = input.value.trim().toLowerCase();
      if (!q) { results.hidden = true; input.setAttribute("aria-expanded", "false"); return; }
      var terms = q.split(/\s+/).filter(Boolean), scored = [];
      docs.forEach(function (d) {
        var note = index.notes[d.n], title = note[2].toLowerCase(), score = 0;
        for (var i = 0; i < terms.length; i++) {
          var t = terms[i], s = 0;
          if (title.indexOf(t) >= 0) s += d.id === "" ? 12 : 4;
          if (d.hl.indexOf(t) >= 0) s += 8;
          if (d.tl.indexOf(t) >= 0) s += 2;
          if (note[5].join(" ").toLowerCase().indexOf(t) >= 0) s += 1;
          if (!s) return;
          score += s;
        }
        scored.push({ d: d, note: note, score: score });
      });
      scored.sort(function (a, b) { return b.score - a.score || a.note[1] - b.note[1]; });
      scored = scored.slice(0, 12);
      selected = -1;
      if (!scored.length) { results.innerHTML = '<p class="r-empty">No matches for “' + esc(q) + "”</p>"; }
      else {
        results.innerHTML = '<ul role="listbox" aria-label="Search results">' + scored.map(function (r, i) {
          return '<li role="option" id="sr-' + i + '"><a href="' + noteHref(r.note, r.d.id) + '"><span class="r-title">' + esc(r.note[2]) + "</span>" +
            (r.d.h ? ' <span class="r-where">› ' + esc(r.d.h) + "</span>" : "") + '<span class="r-snip">' + snippet(r.d.t, terms) + "</span></a></li>";
        }).join("") + "</ul>";
      }
      results.hidden = false; input.setAttribute("aria-expanded", "true");
    };
    input.addEventListener("focus", function () { load(function () { if (input.value) run(); }); });
    input.addEventListener("input", function () { load(run); });
    input.addEventListener("keydown", function (e) {
      var items = $$("a", results);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        if (!items.length) return;
        selected = (selected + (e.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
        items.forEach(function (a, i) { a.setAttribute("aria-selected", i === selected ? "true" : "false"); });
        items[selected].scrollIntoView({ block: "nearest" });
      } else if (e.key === "Enter") {
        var a = items[selected >= 0 ? selected : 0];
        if (a) { e.preventDefault(); results.hidden = true; location.href = a.href; }
      } else if (e.key === "Escape") { results.hidden = true; input.blur(); }
    });
    results.addEventListener("click", function (e) { if (e.target.closest("a")) results.hidden = true; });
    doc.addEventListener("click", function (e) { if (!box.contains(e.target)) results.hidden = true; });
    /* "/" focuses search, but never while typing in a field. */
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      var t = e.target, tag = t && t.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
      e.preventDefault(); input.focus();
    });
  }
})();
