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
  /* Whether the filters hide el (by class once the page is whole, by the CSS rule before). */
  function filteredOut(el) {
    var n = el.closest("article.note");
    return !!(el.closest(".filtered-out, [hidden]") || (n && getComputedStyle(n).display === "none"));
  }
  /* On the all-notes page this file runs while the page is still arriving, right after the
     filters and before the first note, so search and filters answer before the last note is
     parsed; what needs every note waits for `ready`. Other pages load it deferred (ready at once). */
  function ready(fn) {
    if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", fn);
    else fn();
  }
  /* When the reader last scrolled, clicked or pressed a key: landing stops following then. */
  var lastInput = 0;
  ["wheel", "touchstart", "keydown", "mousedown"].forEach(function (t) {
    window.addEventListener(t, function () { lastInput = performance.now(); }, { passive: true, capture: true });
  });
  /* Scroll el into view, and again after the notes around it are laid out: on the all-notes page
     notes off screen keep an estimated height until then (content-visibility), so the first
     scroll can land short. */
  function land(el) {
    el.scrollIntoView();
    if (!isAll) return;
    /* Notes above settle their real height as they are laid out (some only once the page has
       loaded): for three seconds, unless the reader moves, put the target back each frame
       it drifts from where it landed. */
    var start = performance.now(), at = el.getBoundingClientRect().top;
    var follow = function () {
      if (lastInput > start) return;
      if (Math.abs(el.getBoundingClientRect().top - at) > 2) el.scrollIntoView();
      if (performance.now() - start < 3000) requestAnimationFrame(follow);
    };
    requestAnimationFrame(follow);
  }
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

  /* All-notes page: the note at the top of the screen, found by hit-testing one point on scroll
     (never a per-note observer), is marked in the sidebar and enhanced with its neighbours. */
  var current = null, currentNote = null, tracking = 0;
  var noteAtTop = function () {
    var main = $("#main");
    if (!main) return null;
    var r = main.getBoundingClientRect();
    var el = doc.elementFromPoint(Math.max(r.left + 20, Math.min(r.left + r.width / 2, window.innerWidth - 20)), Math.max(60, window.innerHeight * 0.15));
    return el && el.closest ? el.closest("article.note") : null;
  };
  var track = function () {
    tracking = 0;
    var n = noteAtTop();
    if (!n || n === currentNote) return;
    currentNote = n;
    enhance(n); if (n.previousElementSibling) enhance(n.previousElementSibling); if (n.nextElementSibling) enhance(n.nextElementSibling);
    var a = sidebar && $('.toc-notes li[data-note="' + n.id + '"] a', sidebar);
    if (!a || a === current) return;
    if (current) { current.classList.remove("active"); current.removeAttribute("aria-current"); }
    current = a; a.classList.add("active"); a.setAttribute("aria-current", "true");
    if (narrow.matches) return;
    var r = a.getBoundingClientRect(), sr = sidebar.getBoundingClientRect();
    if (r.top < sr.top + 40 || r.bottom > sr.bottom - 40) sidebar.scrollTop += r.top - sr.top - sr.height / 3;
  };
  if (isAll) {
    window.addEventListener("scroll", function () { if (!tracking) tracking = requestAnimationFrame(track); }, { passive: true });
    /* A note the browser starts to lay out (content-visibility) gets its copy buttons and fitted diagrams then. */
    doc.addEventListener("contentvisibilityautostatechange", function (e) {
      if (e.skipped) live.delete(e.target); else { live.add(e.target); enhance(e.target); }
    }, true);
  }

  /* Copy buttons on code blocks; CSS gives them a bar of their own so they never cover code.
     One click handler for the whole page; each block gets its button when its note is enhanced. */
  var copyButtons = function (scope) {
    $$(".code-block", scope).forEach(function (block) {
      if (!$("pre", block) || $(".copy-btn", block)) return;
      var btn = doc.createElement("button");
      btn.type = "button"; btn.className = "copy-btn"; btn.textContent = "Copy";
      btn.setAttribute("aria-label", "Copy code");
      block.appendChild(btn);
    });
  };
  doc.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest(".copy-btn");
    var pre = btn && $("pre", btn.parentNode);
    if (!pre) return;
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
  function fallbackCopy(text) {
    var ta = doc.createElement("textarea");
    ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "absolute"; ta.style.left = "-9999px";
    doc.body.appendChild(ta); ta.select();
    try { doc.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    doc.body.removeChild(ta);
  }

  /* Wide diagrams on small screens keep a readable size and scroll sideways; anything that
     scrolls sideways becomes a focusable, named region so keyboards can scroll it too. */
  function fitWide(scope) {
    $$("figure.diagram", scope).forEach(function (fig) {
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
    $$(".table-wrap, figure.diagram", scope).forEach(function (el) {
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
  /* A note page is enhanced whole at load. On the all-notes page each note is enhanced when it
     is laid out or reached, so the work at load does not grow with the book; `live` holds the
     notes laid out now, the ones a resize refits. */
  var live = new Set();
  function enhance(note) {
    if (!note || note.nodeType !== 1 || note.hbDone) return;
    note.hbDone = true;
    copyButtons(note); fitWide(note);
  }
  if (!isAll) { copyButtons(doc); fitWide(doc); }
  else requestAnimationFrame(track);
  var fitTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(fitTimer);
    fitTimer = setTimeout(function () { if (!isAll) fitWide(doc); else live.forEach(fitWide); }, 150);
  });

  /* Back to top appears after scrolling a screen. */
  ready(function () {
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
  });

  /* Filters on the all-notes page: level, years of experience, tags (any/all), combined.
     The state lives in the URL (?level=a,b&yoe=0-2&tags=x,y&tagmode=all) so a view can be shared. */
  var filters = $(".filters");
  var resetFilters = function () {};
  if (isAll && filters) {
    filters.hidden = false;
    var box = $(".filters-box", filters);
    var tagMenu = $(".tag-menu", filters), tagFind = $("#tag-find"), tagOpts = $(".tag-options", filters), chosen = $(".tag-chosen", filters);
    /* The notes' facets, read from their data attributes on first use (a filter in the URL, the
       reader's first change, or idle time), in one pass; each note keeps its sidebar entry and
       the two sections (page and sidebar) it counts in. */
    var info = null, total = 0, sectionList = [];
    var notesInfo = function () {
      if (info) return info;
      var lis = {}, secs = {};
      $$(".toc-notes li[data-note]").forEach(function (li) { lis[li.getAttribute("data-note")] = li; });
      info = $$("article.note").map(function (n) {
        var li = lis[n.id] || null, sec = n.parentNode, side = li && li.closest(".toc-section");
        var key = sec.id || "";
        if (!secs[key]) { secs[key] = { el: sec, side: side, n: 0 }; sectionList.push(secs[key]); }
        return { el: n, level: n.getAttribute("data-level"), yoe: n.getAttribute("data-yoe"),
          tags: (n.getAttribute("data-tags") || "").split(" ").filter(Boolean), li: li, part: secs[key] };
      });
      total = info.length;
      return info;
    };
    /* The tag options, most used first, then by name (the template lists them by name): sorted on first use. */
    var opts = null, noTag = null, tagName = {};
    var tagOptions = function () {
      if (opts) return opts;
      opts = $$(".tag-opt", tagOpts);
      opts.sort(function (a, b) { return (+b.getAttribute("data-count")) - (+a.getAttribute("data-count")); })
        .forEach(function (o) { tagOpts.appendChild(o); });
      noTag = doc.createElement("p"); noTag.className = "none"; noTag.textContent = "No tag matches."; noTag.hidden = true;
      tagOpts.appendChild(noTag);
      opts.forEach(function (o) { tagName[$("input", o).value] = $(".tag-name", o).textContent; });
      return opts;
    };

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
      sectionList.forEach(function (p) { p.n = 0; });
      notesInfo().forEach(function (n) {
        var l = levelOk(n, st), y = yoeOk(n, st), t = tagsOk(n, st), ok = l && y && t;
        /* Each option's count: the notes it would show, given the other facets. */
        if (y && t) facet.level[n.level] = (facet.level[n.level] || 0) + 1;
        if (l && t) facet.yoe[n.yoe] = (facet.yoe[n.yoe] || 0) + 1;
        if (l && y) n.tags.forEach(function (x) { facet.tag[x] = (facet.tag[x] || 0) + 1; });
        n.el.classList.toggle("filtered-out", !ok);
        if (n.li) n.li.classList.toggle("filtered-out", !ok);
        if (ok) { shown++; n.part.n++; }
      });
      $$(".chip", filters).forEach(function (c) {
        var i = $("input", c), k = facet[i.name][i.value] || 0;
        $(".chip-n", c).textContent = k;
        c.classList.toggle("empty", !k && !i.checked);
      });
      tagOptions().forEach(function (o) {
        var i = $("input", o), k = facet.tag[i.value] || 0;
        $(".chip-n", o).textContent = k;
        o.classList.toggle("empty", !k && !i.checked);
      });
      sectionList.forEach(function (p) {
        p.el.hidden = !p.n;
        if (!p.side) return;
        p.side.hidden = !p.n;
        var c = $(".count", p.side);
        if (c) c.textContent = p.n;
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
    /* Which notes show is one CSS rule on the notes' data attributes: it applies at once, also
       to notes the browser has not parsed yet. The rest (counts, sections, sidebar) needs every
       note, so it waits for the whole page. */
    var rule = doc.createElement("style");
    doc.head.appendChild(rule);
    var cssValue = function (v) { return '"' + String(v).replace(/["\\\n]/g, function (c) { return c === "\n" ? "\\a " : "\\" + c; }) + '"'; };
    var none = function (attr, op, list) { return list.map(function (v) { return ":not([" + attr + op + cssValue(v) + "])"; }).join(""); };
    var hideRule = function (st) {
      var out = [];
      if (st.level.length) out.push("article.note" + none("data-level", "=", st.level));
      if (st.yoe.length) out.push("article.note" + none("data-yoe", "=", st.yoe));
      if (st.tags.length && st.mode === "all") st.tags.forEach(function (t) { out.push("article.note" + none("data-tags", "~=", [t])); });
      else if (st.tags.length) out.push("article.note" + none("data-tags", "~=", st.tags));
      rule.textContent = out.length ? out.join(",\n") + " { display: none; }" : "";
    };
    var parsed = doc.readyState !== "loading";
    var applyState = function (st) { hideRule(st); if (parsed) apply(st); writeUrl(st); };
    var update = function () { applyState(readForm()); };
    resetFilters = function () { var st = empty(); toForm(st); applyState(st); };

    /* With filters in the URL they apply at once; otherwise the option counts are filled in idle time. */
    var st0 = readUrl();
    if (active(st0)) { toForm(st0); hideRule(readForm()); }
    ready(function () {
      parsed = true;
      if (active(readForm())) { apply(readForm()); return; }
      var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
      idle(function () { if (!info) apply(readForm()); }, { timeout: 3000 });
    });
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
    /* One handler for both "Clear filters" buttons: the second, after the notes, may not exist yet. */
    doc.addEventListener("click", function (e) { if (e.target.closest && e.target.closest(".filter-reset")) resetFilters(); });
    tagFind.addEventListener("input", function () {
      var q = tagFind.value.trim().toLowerCase(), any = false;
      tagOptions().forEach(function (o) {
        var hit = !q || $(".tag-name", o).textContent.toLowerCase().indexOf(q) >= 0;
        o.hidden = !hit; if (hit) any = true;
      });
      noTag.hidden = any;
    });
    tagFind.addEventListener("keydown", function (e) {
      if (e.key === "Enter") {
        e.preventDefault();
        var first = tagOptions().filter(function (o) { return !o.hidden; })[0];
        if (first) { var i = $("input", first); i.checked = !i.checked; update(); tagFind.select(); }
      }
    });
    tagMenu.addEventListener("toggle", function () { tagOptions(); if (tagMenu.open && !phone.matches) tagFind.focus(); });
    doc.addEventListener("click", function (e) { if (tagMenu.open && !tagMenu.contains(e.target)) tagMenu.open = false; });
    tagMenu.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && tagMenu.open) { e.stopPropagation(); tagMenu.open = false; $("summary", tagMenu).focus(); }
    });
    /* Following a link to a note the filters hide clears the filters first. */
    var reveal = function () {
      var id = decodeURIComponent(location.hash.slice(1));
      var el = id && doc.getElementById(id);
      if (!el) return;
      if (filteredOut(el)) resetFilters();
      /* The browser's own jump lands where the notes above were estimated to end; as they are
         laid out the target moves, so follow it until it stays put. */
      land(el);
    };
    window.addEventListener("hashchange", reveal);
    ready(reveal);
    /* Until the page has loaded, notes above a followed #fragment can still grow: land once more
       then, unless the reader has moved on. */
    var opened = performance.now();
    window.addEventListener("load", function () { if (lastInput < opened && location.hash) reveal(); });
  }

  /* Search. The index is split by term into small script files (the manifest search-index.js,
     term shards search-index/t<i>.js, note files search-index/n<g>.js), loaded on demand (see
     loadPiece); the engine is search.js; the single-file export defines every piece inline. */
  var topbar = $(".topbar"), sbox = $(".search"), input = $("#search-input"), results = $("#search-results"), status = $("#search-status");
  var searchBtn = $(".search-toggle");
  if (sbox && input) {
    sbox.hidden = false;
    var seq = 0, loading = {}, engine = null;
    var overHttp = /^https?:$/.test(location.protocol);
    /* A piece's value: the JSON after the `=` of `window.HANDBOOK_SEARCH_INDEX={...};` or
       `(...)["k"]={...};`. */
    var keep = function (k, text) {
      var at = k === "index" ? text.indexOf("=") : text.indexOf('"]=') + 2;
      var v = JSON.parse(text.slice(at + 1).replace(/;\s*$/, ""));
      if (k === "index") window.HANDBOOK_SEARCH_INDEX = v;
      else (window.HANDBOOK_SEARCH_PARTS = window.HANDBOOK_SEARCH_PARTS || {})[k] = v;
    };
    /* Load one piece, then done(). While a long all-notes page is still being parsed, Chromium
       runs network callbacks, timers and script-inserted scripts only between parser chunks, or
       after the last one: seconds at 1,000 notes. So over HTTP, until the page is whole, a piece
       is read with a synchronous request (a few small files, only for a search typed during the
       load); afterwards with fetch. From file://, which refuses both, it is a <script> tag. */
    var loadPiece = function (k, done) {
      var url = base + window.HandbookSearch.url(k);
      var tag = function () {
        var s = doc.createElement("script");
        s.src = url;
        s.onload = done;
        s.onerror = function () { s.remove(); done(); };
        doc.head.appendChild(s);
      };
      if (!overHttp) { tag(); return; }
      if (doc.readyState === "loading") {
        try {
          var x = new XMLHttpRequest();
          x.open("GET", url, false);
          x.send();
          if (x.status === 200) keep(k, x.responseText);
        } catch (e) { /* reported as a failed piece */ }
        done();
        return;
      }
      fetch(url).then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (t) { keep(k, t); done(); }).catch(tag);
    };
    /* cb(ok) once all of `keys` have arrived or one failed ("index" is the manifest). Pieces other
       than the manifest are asked for once the typing pauses briefly, so a fast typist's passing
       prefixes load nothing (not while the page loads: timers wait for the parser then). */
    var need = function (keys, cb) {
      var have = window.HandbookSearch.have, missing = keys.filter(function (k) { return !have(k); });
      if (!missing.length) { cb(true); return; }
      var left = missing.length, failed = false, my = seq;
      var one = function (ok) { if (!ok) failed = true; if (--left === 0) cb(!failed); };
      var go = function () {
        missing.forEach(function (k) {
          if (loading[k]) { loading[k].push(one); return; }
          /* The waiting list exists before the load starts: a synchronous load finishes inside it. */
          loading[k] = [one];
          loadPiece(k, function () { var w = loading[k]; delete loading[k]; w.forEach(function (f) { f(have(k)); }); });
        });
      };
      if ((missing.length === 1 && missing[0] === "index") || doc.readyState === "loading") go();
      else setTimeout(function () { if (my === seq) go(); }, 50);
    };
    var ask = function (q, my) {
      if (!window.HandbookSearch) { failed(); return; }
      engine = engine || window.HandbookSearch(need);
      engine(q, function () { return my === seq; }, function (ok, terms, found) { if (ok) show(q, terms, found); else failed(); });
    };
    var href = function (slug, id) {
      if (isAll) return "#" + (id ? slug + "--" + id : slug);
      return base + slug + ".html" + (id ? "#" + id : "");
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
    var failed = function () {
      results.innerHTML = '<p class="r-empty">The search index could not be loaded.</p>';
      results.hidden = false;
    };
    var show = function (q, terms, hits) {
      if (!hits.length) {
        results.innerHTML = '<p class="r-empty">No matches for “' + esc(q) + "”.</p>";
        status.textContent = "No matches";
      } else {
        results.innerHTML = '<ul aria-label="Search results">' + hits.map(function (h) {
          return '<li><a href="' + esc(href(h.slug, h.id)) + '"><span class="r-head"><span class="r-num">' + h.num + '</span><span class="r-title">' + esc(h.title) + "</span>" +
            (h.head ? '<span class="r-where">› ' + esc(h.head) + "</span>" : "") + '</span><span class="r-snip">' + snippet(h.text, terms) + "</span></a></li>";
        }).join("") + '</ul><p class="r-foot" aria-hidden="true"><kbd>↑</kbd> <kbd>↓</kbd> to move · <kbd>Enter</kbd> to open · <kbd>Esc</kbd> to close</p>';
        status.textContent = hits.length + (hits.length === 1 ? " result" : " results");
      }
      results.hidden = false;
    };
    /* Each keystroke starts a new search; an older one still under way gives way. */
    var run = function () {
      var my = ++seq, q = input.value.trim();
      if (!q) { results.hidden = true; results.innerHTML = ""; status.textContent = ""; return; }
      ask(q, my);
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
      if (el && filteredOut(el)) resetFilters();
      if (location.hash === h && el) land(el); else location.hash = h;
      if (el) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "-1");
        el.focus({ preventScroll: true });
      }
    };
    /* Focus warms the manifest; text typed before the engine was ready is searched then. */
    input.addEventListener("focus", function () {
      if (window.HandbookSearch && doc.readyState !== "loading") need(["index"], function () {});
      if (input.value.trim()) run();
    });
    input.addEventListener("input", run);
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
