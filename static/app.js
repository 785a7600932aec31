/* handbook: progressive enhancement. Every page works without this file. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var base = root.getAttribute("data-root") || "";
  root.classList.add("js");
  function $(s, el) { return (el || doc).querySelector(s); }
  function $$(s, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(s)); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }
  function media(q) { return window.matchMedia ? matchMedia(q) : { matches: false }; }
  function onMedia(mq, fn) { if (mq.addEventListener) mq.addEventListener("change", fn); }
  function isTyping(t) {
    var tag = t && t.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || !!(t && t.isContentEditable);
  }
  var isAll = doc.body.classList.contains("page-all");
  var narrow = media("(max-width: 900px)"), phone = media("(max-width: 640px)");

  /* Note pages: ← and → open the previous and next note, as in mdBook; never while the reader
     types, holds a modifier, or has focus on something that scrolls sideways (code, tables,
     diagrams: their boxes take focus) or reacts to arrows itself. */
  var prevNext = $(".prev-next");
  if (prevNext) {
    doc.addEventListener("keydown", function (e) {
      if ((e.key !== "ArrowLeft" && e.key !== "ArrowRight") || e.defaultPrevented) return;
      if (e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return;
      var t = doc.activeElement;
      if (isTyping(t) || (t && t !== doc.body && t.closest("[tabindex=\"0\"], summary, details, #search-results, .sidebar"))) return;
      var a = $(e.key === "ArrowLeft" ? "a[rel=prev]" : "a[rel=next]", prevNext);
      if (a) { e.preventDefault(); location.href = a.href; }
    });
  }

  /* Theme: follows the system until the reader picks one; the choice is remembered.
     The inline script in <head> applies a stored choice before the first paint. */
  var toggle = $(".theme-toggle");
  function effectiveTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return media("(prefers-color-scheme: dark)").matches ? "dark" : "light";
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
    onMedia(media("(prefers-color-scheme: dark)"), labelToggle);
  }

  /* Drawer on narrow screens: the sidebar slides in over the page. */
  var navBtn = $(".nav-toggle"), sidebar = $("#sidebar"), scrim = $(".scrim");
  function navOpen() { return doc.body.classList.contains("nav-open"); }
  function setNav(open, returnFocus) {
    doc.body.classList.toggle("nav-open", open);
    if (navBtn) {
      navBtn.setAttribute("aria-expanded", open ? "true" : "false");
      $(".visually-hidden", navBtn).textContent = open ? "Hide contents" : "Contents";
    }
    if (open) {
      var target = $("a.active", sidebar) || $("a, summary", sidebar);
      if (target) target.focus({ preventScroll: true });
      if (target && target.scrollIntoView) target.scrollIntoView({ block: "center" });
    } else if (returnFocus && navBtn) navBtn.focus();
  }
  function syncNavBtn() {
    if (!navBtn) return;
    navBtn.hidden = !narrow.matches;
    if (!narrow.matches && navOpen()) setNav(false);
  }
  if (navBtn && sidebar) {
    syncNavBtn();
    onMedia(narrow, syncNavBtn);
    navBtn.addEventListener("click", function () { setNav(!navOpen()); });
    if (scrim) scrim.addEventListener("click", function () { setNav(false, true); });
    sidebar.addEventListener("click", function (e) { if (narrow.matches && e.target.closest("a")) setNav(false); });
    doc.addEventListener("keydown", function (e) { if (e.key === "Escape" && navOpen()) setNav(false, true); });
  }

  /* Per-note pages: the full contents come from nav.js, one file for the whole site,
     so a note page's size does not grow with the book. */
  var tree = $("#nav-tree");
  if (tree && window.HANDBOOK_NAV) {
    var cur = tree.getAttribute("data-current"), html = '<ol class="toc-sections">';
    window.HANDBOOK_NAV.forEach(function (s) {
      var here = s.n.some(function (n) { return n[0] === cur; });
      html += '<li class="toc-section"><details' + (here ? " open" : "") + '><summary class="toc-section-link">' + esc(s.t) +
        ' <span class="count">' + s.n.length + '</span></summary><ol class="toc-notes">';
      s.n.forEach(function (n) {
        html += '<li><a href="' + base + esc(n[0]) + '.html"' + (n[0] === cur ? ' aria-current="page" class="active"' : "") +
          '><span class="num">' + n[1] + "</span> <span>" + esc(n[2]) + "</span></a></li>";
      });
      html += "</ol></details></li>";
    });
    tree.innerHTML = html + "</ol>";
    var active = $("a.active", tree);
    if (active && !narrow.matches) {
      var r = active.getBoundingClientRect(), sr = sidebar.getBoundingClientRect();
      if (r.bottom > sr.bottom) sidebar.scrollTop += r.top - sr.top - sr.height / 3;
    }
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
        if (narrow.matches) return;
        var r = a.getBoundingClientRect(), sr = sidebar.getBoundingClientRect();
        if (r.top < sr.top + 40 || r.bottom > sr.bottom - 40) sidebar.scrollTop += r.top - sr.top - sr.height / 3;
      });
    }, { rootMargin: "-10% 0px -80% 0px" });
    $$("article.note").forEach(function (n) { obs.observe(n); });
  }

  /* Copy buttons on code blocks; CSS gives them a bar of their own so they never cover code. */
  $$(".code-block").forEach(function (block) {
    var pre = $("pre", block);
    if (!pre) return;
    var btn = doc.createElement("button");
    btn.type = "button"; btn.className = "copy-btn"; btn.textContent = "Copy";
    btn.setAttribute("aria-label", "Copy code");
    btn.addEventListener("click", function () {
      var lines = $$(".line", pre);
      var text = lines.length ? lines.map(function (l) { return l.textContent; }).join("\n") : pre.textContent;
      var ok = function () {
        btn.textContent = "Copied";
        setTimeout(function () { btn.textContent = "Copy"; }, 1500);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(ok, function () { fallbackCopy(text); ok(); });
      } else { fallbackCopy(text); ok(); }
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

  /* Wide diagrams on small screens keep a readable size and scroll sideways; anything that
     scrolls sideways becomes a focusable, named region so keyboards can scroll it too. */
  function fitWide() {
    $$("figure.diagram").forEach(function (fig) {
      var svg = $("svg", fig);
      if (!svg) return;
      var w = parseFloat(svg.getAttribute("width")) || (svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) || 0;
      fig.classList.remove("scrolls"); svg.style.width = "";
      var avail = fig.clientWidth;
      if (w && avail && avail / w < 0.7) {
        fig.classList.add("scrolls");
        svg.style.width = Math.round(Math.max(avail, w * 0.75)) + "px";
      }
    });
    $$(".table-wrap, figure.diagram").forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      var fig = el.tagName === "FIGURE";
      if (scrolls) {
        el.setAttribute("tabindex", "0");
        /* A figure is already named by its caption; a table's box becomes a named region. */
        if (!fig) { el.setAttribute("role", "region"); el.setAttribute("aria-label", "Table (scrolls sideways)"); }
      } else if (el.hasAttribute("tabindex")) {
        el.removeAttribute("tabindex");
        if (!fig) { el.removeAttribute("role"); el.removeAttribute("aria-label"); }
      }
    });
  }
  fitWide();
  var fitTimer = 0;
  window.addEventListener("resize", function () { clearTimeout(fitTimer); fitTimer = setTimeout(fitWide, 150); });

  /* Back to top appears after scrolling a screen. */
  var btt = $(".back-to-top");
  if (btt) {
    var onScroll = function () { btt.classList.toggle("visible", window.scrollY > window.innerHeight); };
    window.addEventListener("scroll", onScroll, { passive: true }); onScroll();
    btt.addEventListener("click", function (e) {
      e.preventDefault();
      window.scrollTo({ top: 0, behavior: media("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
      var m = $("#main"); if (m) m.focus({ preventScroll: true });
    });
  }

  /* Filters on the all-notes page: level, years of experience, tags (any/all), combined.
     The state lives in the URL (?level=a,b&yoe=0-2&tags=x,y&tagmode=all) so a view can be shared. */
  var filters = $(".filters");
  var resetFilters = function () {};
  if (isAll && filters) {
    filters.hidden = false;
    var box = $(".filters-box", filters), notes = $$("article.note"), total = notes.length;
    var tagMenu = $(".tag-menu", filters), tagFind = $("#tag-find"), tagOpts = $(".tag-options", filters), chosen = $(".tag-chosen", filters);
    var info = notes.map(function (n) {
      return { el: n, level: n.getAttribute("data-level"), yoe: n.getAttribute("data-yoe"),
        tags: (n.getAttribute("data-tags") || "").split(" ").filter(Boolean),
        li: $('.toc-notes li[data-note="' + n.id + '"]') };
    });
    /* Most used tags first, then by name; the template lists them by name. */
    var opts = $$(".tag-opt", tagOpts);
    opts.sort(function (a, b) { return (+b.getAttribute("data-count")) - (+a.getAttribute("data-count")); })
      .forEach(function (o) { tagOpts.appendChild(o); });
    var noTag = doc.createElement("p"); noTag.className = "none"; noTag.textContent = "No tag matches."; noTag.hidden = true;
    tagOpts.appendChild(noTag);
    var tagName = {};
    opts.forEach(function (o) { tagName[$("input", o).value] = $(".tag-name", o).textContent; });

    var empty = function () { return { level: [], yoe: [], tags: [], mode: "any" }; };
    var readUrl = function () {
      var q = new URLSearchParams(location.search);
      var list = function (k) { return (q.get(k) || "").split(",").filter(Boolean); };
      return { level: list("level"), yoe: list("yoe"), tags: list("tags"), mode: q.get("tagmode") === "all" ? "all" : "any" };
    };
    var vals = function (n) { return $$('input[name="' + n + '"]:checked', filters).map(function (i) { return i.value; }); };
    var readForm = function () {
      return { level: vals("level"), yoe: vals("yoe"), tags: vals("tag"),
        mode: ($('input[name="tagmode"]:checked', filters) || {}).value === "all" ? "all" : "any" };
    };
    var toForm = function (st) {
      var set = function (n, list) { $$('input[name="' + n + '"]', filters).forEach(function (i) { i.checked = list.indexOf(i.value) >= 0; }); };
      set("level", st.level); set("yoe", st.yoe); set("tag", st.tags);
      $$('input[name="tagmode"]', filters).forEach(function (i) { i.checked = i.value === st.mode; });
    };
    var active = function (st) { return st.level.length + st.yoe.length + st.tags.length > 0; };
    var tagsOk = function (n, st) {
      if (!st.tags.length) return true;
      var has = function (t) { return n.tags.indexOf(t) >= 0; };
      return st.mode === "all" ? st.tags.every(has) : st.tags.some(has);
    };
    var levelOk = function (n, st) { return !st.level.length || st.level.indexOf(n.level) >= 0; };
    var yoeOk = function (n, st) { return !st.yoe.length || st.yoe.indexOf(n.yoe) >= 0; };
    var apply = function (st) {
      var shown = 0, facet = { level: {}, yoe: {}, tag: {} };
      info.forEach(function (n) {
        var l = levelOk(n, st), y = yoeOk(n, st), t = tagsOk(n, st), ok = l && y && t;
        /* Each option's count: the notes it would show, given the other facets. */
        if (y && t) facet.level[n.level] = (facet.level[n.level] || 0) + 1;
        if (l && t) facet.yoe[n.yoe] = (facet.yoe[n.yoe] || 0) + 1;
        if (l && y) n.tags.forEach(function (x) { facet.tag[x] = (facet.tag[x] || 0) + 1; });
        n.el.classList.toggle("filtered-out", !ok);
        if (n.li) n.li.classList.toggle("filtered-out", !ok);
        if (ok) shown++;
      });
      $$(".chip", filters).forEach(function (c) {
        var i = $("input", c), k = facet[i.name][i.value] || 0;
        $(".chip-n", c).textContent = k;
        c.classList.toggle("empty", !k && !i.checked);
      });
      opts.forEach(function (o) {
        var i = $("input", o), k = facet.tag[i.value] || 0;
        $(".chip-n", o).textContent = k;
        o.classList.toggle("empty", !k && !i.checked);
      });
      $$(".book-section").forEach(function (s) { s.hidden = !$("article.note:not(.filtered-out)", s); });
      $$(".toc-section").forEach(function (s) {
        var n = $$(".toc-notes li:not(.filtered-out)", s).length, c = $(".count", s);
        s.hidden = !n;
        if (c) c.textContent = n;
      });
      $("#filter-count").textContent = shown;
      $(".filter-status", filters).classList.toggle("narrowed", shown !== total);
      $(".no-results").hidden = shown !== 0;
      $$(".filter-reset").forEach(function (b) { b.disabled = !active(st); });
      $(".filter-actions", filters).hidden = !active(st);
      chosen.innerHTML = st.tags.map(function (t) {
        var name = esc(tagName[t] || t);
        return '<button type="button" class="tag-chip" data-tag="' + esc(t) + '" aria-label="Remove tag ' + name + '">' + name + ' <span aria-hidden="true">×</span></button>';
      }).join("");
      $(".tag-menu-btn", filters).firstChild.textContent = st.tags.length ? "More tags " : "Add tags ";
    };
    var writeUrl = function (st) {
      var q = new URLSearchParams(location.search);
      var set = function (k, v) { if (v) q.set(k, v); else q.delete(k); };
      set("level", st.level.join(",")); set("yoe", st.yoe.join(",")); set("tags", st.tags.join(","));
      set("tagmode", st.tags.length && st.mode === "all" ? "all" : "");
      var s = q.toString().replace(/%2C/g, ",");
      try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash); } catch (e) { /* some file:// setups refuse */ }
    };
    var update = function () { var st = readForm(); apply(st); writeUrl(st); };
    resetFilters = function () { var st = empty(); toForm(st); apply(st); writeUrl(st); };

    var st0 = readUrl();
    toForm(st0); apply(readForm());
    box.open = !phone.matches || active(st0);
    filters.addEventListener("change", function (e) { if (e.target !== tagFind) update(); });
    chosen.addEventListener("click", function (e) {
      var b = e.target.closest(".tag-chip");
      if (!b) return;
      var i = $('input[name="tag"][value="' + b.getAttribute("data-tag") + '"]', filters);
      if (i) i.checked = false;
      update();
      var next = $(".tag-chip", chosen) || $(".tag-menu-btn", filters);
      next.focus();
    });
    $$(".filter-reset").forEach(function (b) { b.addEventListener("click", resetFilters); });
    tagFind.addEventListener("input", function () {
      var q = tagFind.value.trim().toLowerCase(), any = false;
      opts.forEach(function (o) {
        var hit = !q || $(".tag-name", o).textContent.toLowerCase().indexOf(q) >= 0;
        o.hidden = !hit; if (hit) any = true;
      });
      noTag.hidden = any;
    });
    tagFind.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        var first = opts.filter(function (o) { return !o.hidden; })[0];
        if (first) { var i = $("input", first); i.checked = !i.checked; update(); tagFind.select(); }
      }
    });
    tagMenu.addEventListener("toggle", function () { if (tagMenu.open && !phone.matches) tagFind.focus(); });
    doc.addEventListener("click", function (e) { if (tagMenu.open && !tagMenu.contains(e.target)) tagMenu.open = false; });
    tagMenu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && tagMenu.open) { e.stopPropagation(); tagMenu.open = false; $("summary", tagMenu).focus(); }
    });
    /* Following a link to a note the filters hide clears the filters first. */
    var reveal = function () {
      var id = decodeURIComponent(location.hash.slice(1));
      var el = id && doc.getElementById(id);
      if (el && el.closest(".filtered-out, [hidden]")) { resetFilters(); el.scrollIntoView(); }
    };
    window.addEventListener("hashchange", reveal);
    reveal();
  }

  /* Search: the index is a script file, loaded on first use, so it works from file:// as well. */
  var topbar = $(".topbar"), sbox = $(".search"), input = $("#search-input"), results = $("#search-results"), status = $("#search-status");
  var searchBtn = $(".search-toggle");
  if (sbox && input) {
    sbox.hidden = false;
    var index = null, docs = [], loading = false, waiting = [];
    var load = function (cb) {
      if (index) { cb(); return; }
      if (window.HANDBOOK_SEARCH) { prepare(); cb(); return; }
      waiting.push(cb);
      if (loading) return;
      loading = true;
      var s = doc.createElement("script");
      s.src = base + "search-index.js";
      s.onload = function () { prepare(); waiting.splice(0).forEach(function (f) { f(); }); };
      s.onerror = function () { loading = false; results.innerHTML = '<p class="r-empty">The search index could not be loaded.</p>'; results.hidden = false; };
      doc.head.appendChild(s);
    };
    var prepare = function () {
      if (index) return;
      index = window.HANDBOOK_SEARCH;
      var seen = {};
      docs = index.docs.map(function (d) {
        var note = index.notes[d[0]], first = !seen[d[0]];
        seen[d[0]] = true;
        return { n: d[0], id: d[1], first: first, h: d[2], t: d[3], hl: d[2].toLowerCase(), tl: d[3].toLowerCase(), title: note[2].toLowerCase(), tags: note[5].join(" ").toLowerCase() };
      });
    };
    var href = function (note, id) {
      if (isAll) return "#" + (id ? note[0] + "--" + id : note[0]);
      return base + note[0] + ".html" + (id ? "#" + id : "");
    };
    var wordAt = function (text, t) {
      var i = text.indexOf(t);
      if (i < 0) return 0;
      return (i === 0 || /[^a-z0-9]/.test(text.charAt(i - 1))) ? 2 : 1;
    };
    var snippet = function (text, terms) {
      var lower = text.toLowerCase(), at = -1;
      terms.forEach(function (t) { var i = lower.indexOf(t); if (i >= 0 && (at < 0 || i < at)) at = i; });
      var start = Math.max(0, at - 60);
      if (start > 0) { var sp = text.indexOf(" ", start); if (sp > 0 && sp < at) start = sp + 1; }
      var s = (start > 0 ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
      var out = esc(s);
      terms.forEach(function (t) {
        if (t.length > 1) out = out.replace(new RegExp("(" + esc(t).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi"), "<mark>$1</mark>");
      });
      return out;
    };
    /* Ranking: a term in the note title (on the note's opening chunk) or in a heading beats body text;
       every term must appear somewhere in the chunk, its heading, its note's title or tags. */
    var search = function (q) {
      var terms = q.toLowerCase().split(/\s+/).filter(Boolean), scored = [];
      docs.forEach(function (d) {
        var score = 0, inTitle = 0, inHeading = 0;
        for (var i = 0; i < terms.length; i++) {
          var t = terms[i], s = 0, w;
          if ((w = wordAt(d.title, t))) { s += d.first ? 10 * w : 1; inTitle++; }
          if ((w = wordAt(d.hl, t))) { s += 6 * w; inHeading++; }
          if ((w = wordAt(d.tl, t))) s += w + (d.tl.split(t).length > 3 ? 1 : 0);
          if (d.tags.indexOf(t) >= 0) s += 1;
          if (!s) return;
          score += s;
        }
        /* A title match on a note's first chunk stands for the whole note: link to its top. */
        var whole = d.first && inTitle === terms.length && inHeading < terms.length;
        scored.push({ d: d, note: index.notes[d.n], score: score, id: whole ? "" : d.id, h: whole ? "" : d.h });
      });
      scored.sort(function (a, b) { return b.score - a.score || a.note[1] - b.note[1]; });
      var per = {}, out = [];
      for (var i = 0; i < scored.length && out.length < 12; i++) {
        var k = scored[i].d.n;
        per[k] = (per[k] || 0) + 1;
        if (per[k] <= 3) out.push(scored[i]);
      }
      return { hits: out, terms: terms, total: scored.length };
    };
    var run = function () {
      var q = input.value.trim();
      if (!q) { results.hidden = true; results.innerHTML = ""; status.textContent = ""; return; }
      var r = search(q);
      if (!r.hits.length) {
        results.innerHTML = '<p class="r-empty">No matches for “' + esc(q) + "”.</p>";
        status.textContent = "No matches";
      } else {
        results.innerHTML = '<ul aria-label="Search results">' + r.hits.map(function (h) {
          return '<li><a href="' + href(h.note, h.id) + '"><span class="r-head"><span class="r-num">' + h.note[1] + '</span><span class="r-title">' + esc(h.note[2]) + "</span>" +
            (h.h ? '<span class="r-where">› ' + esc(h.h) + "</span>" : "") + '</span><span class="r-snip">' + snippet(h.d.t, r.terms) + "</span></a></li>";
        }).join("") + '</ul><p class="r-foot" aria-hidden="true"><kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close</p>';
        status.textContent = r.hits.length + (r.hits.length === 1 ? " result" : " results");
      }
      results.hidden = false;
    };
    var close = function (refocus) {
      results.hidden = true;
      if (refocus) input.focus();
    };
    var setPhoneSearch = function (open) {
      topbar.classList.toggle("search-open", open);
      if (searchBtn) {
        searchBtn.setAttribute("aria-expanded", open ? "true" : "false");
        $(".visually-hidden", searchBtn).textContent = open ? "Close search" : "Search";
      }
      if (open) input.focus(); else results.hidden = true;
    };
    if (searchBtn) {
      searchBtn.hidden = false;
      searchBtn.addEventListener("click", function () { setPhoneSearch(!topbar.classList.contains("search-open")); if (!topbar.classList.contains("search-open")) searchBtn.focus(); });
    }
    /* Jump to the heading; on the all-notes page, clear filters that hide it and move focus there. */
    var go = function (a) {
      var h = a.getAttribute("href");
      close(false);
      if (phone.matches) setPhoneSearch(false);
      if (h.charAt(0) !== "#") { location.href = a.href; return; }
      var el = doc.getElementById(decodeURIComponent(h.slice(1)));
      if (el && el.closest(".filtered-out, [hidden]")) resetFilters();
      if (location.hash === h && el) el.scrollIntoView(); else location.hash = h;
      if (el) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
        el.focus({ preventScroll: true });
      }
    };
    input.addEventListener("focus", function () { load(function () { if (input.value.trim()) run(); }); });
    input.addEventListener("input", function () { load(run); });
    input.addEventListener("keydown", function (e) {
      var items = $$("a", results);
      if (e.key === "ArrowDown" && items.length && !results.hidden) { e.preventDefault(); items[0].focus(); }
      else if (e.key === "Enter") { var a = items[0]; if (a && !results.hidden) { e.preventDefault(); go(a); } }
      else if (e.key === "Escape") {
        e.stopPropagation();
        if (!results.hidden) close(false);
        else if (input.value) input.value = "";
        else if (phone.matches) { setPhoneSearch(false); if (searchBtn) searchBtn.focus(); }
        else input.blur();
      }
    });
    results.addEventListener("keydown", function (e) {
      var items = $$("a", results), i = items.indexOf(doc.activeElement);
      if (e.key === "ArrowDown") { e.preventDefault(); if (i < items.length - 1) items[i + 1].focus(); }
      else if (e.key === "ArrowUp") { e.preventDefault(); if (i > 0) items[i - 1].focus(); else input.focus(); }
      else if (e.key === "Escape") { e.stopPropagation(); close(true); }
    });
    results.addEventListener("click", function (e) {
      var a = e.target.closest("a");
      if (a && !e.ctrlKey && !e.metaKey && !e.shiftKey && e.button === 0) { e.preventDefault(); go(a); }
    });
    doc.addEventListener("click", function (e) {
      if (!sbox.contains(e.target) && !(searchBtn && searchBtn.contains(e.target))) results.hidden = true;
    });
    /* "/" focuses search, but never while the reader is typing in a field. */
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTyping(doc.activeElement) || isTyping(e.target)) return;
      e.preventDefault();
      if (phone.matches) setPhoneSearch(true); else input.focus();
    });
  }
})();
