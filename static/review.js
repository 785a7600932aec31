/* The review session (served after schedule.js in one file, review.js): the due cards of the book (or of the filters in the URL: level, yoe,
   tags, tagmode, section), one at a time; Space shows the answer, 1-4 grade it (Again, Hard,
   Good, Easy), scheduled by schedule.js. Runs on review.html, and on the all-notes page at
   #review (the single-file export's Review view), reading the cards from the page itself. */
(function () {
  "use strict";
  var doc = document, root = doc.documentElement;
  var view = doc.getElementById("review"), S = window.HandbookSchedule, H = window.HandbookStudy;
  if (!view || !S || !H) return;
  var isAll = doc.body.classList.contains("page-all");
  /* (A query the all-notes page has no match for would visit every note: asked only elsewhere.) */
  var form = isAll ? null : doc.querySelector(".review-filters");
  function $(s, el) { return (el || doc).querySelector(s); }
  function $$(s, el) { return Array.prototype.slice.call((el || doc).querySelectorAll(s)); }
  function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; }); }

  function filters() {
    var q = new URLSearchParams(location.search);
    var list = function (k) { return (q.get(k) || "").split(",").filter(Boolean); };
    return { level: list("level"), yoe: list("yoe"), tags: list("tags"), section: list("section"), all: q.get("tagmode") === "all" };
  }
  /* What a card's note is: on review.html its .card-note wrapper, on the all-notes page its article. */
  function meta(card) {
    var h = card.closest("[data-level]");
    if (!h) return null;
    var sec = h.getAttribute("data-section") || ((h.closest(".book-section") || {}).id || "").replace(/^section-/, "");
    var title = $(".note-title, .card-note-title", h);
    return { level: h.getAttribute("data-level") || "", yoe: h.getAttribute("data-yoe") || "", section: sec,
      tags: (h.getAttribute("data-tags") || "").split(" ").filter(Boolean), title: title ? title.textContent.trim() : "" };
  }
  function matches(m, f) {
    var inList = function (list, v) { return !list.length || list.indexOf(v) >= 0; };
    var has = function (t) { return m.tags.indexOf(t) >= 0; };
    var tagsOk = !f.tags.length || (f.all ? f.tags.every(has) : f.tags.some(has));
    return inList(f.level, m.level) && inList(f.yoe, m.yoe) && inList(f.section, m.section) && tagsOk;
  }
  /* The cards the filters select, in book order. */
  function selected() {
    var f = filters();
    return $$("details.card[data-card-id]", isAll ? doc.getElementById("main") : $(".card-list")).map(function (el) {
      return { id: el.getAttribute("data-card-id"), el: el, meta: meta(el) };
    }).filter(function (c) { return c.meta && matches(c.meta, f); });
  }

  var queue = [], pool = [], cur = null, revealed = false, reviewed = 0;
  function restart() {
    var d = H.load(), now = H.now();
    pool = selected();
    var due = pool.filter(function (c) { return S.isDue(d.cards[c.id], now); });
    /* Cards seen before, most overdue first, then new ones in book order. */
    var seen = due.filter(function (c) { return d.cards[c.id]; }).sort(function (a, b) { return d.cards[a.id].due - d.cards[b.id].due; });
    queue = seen.concat(due.filter(function (c) { return !d.cards[c.id]; }));
    reviewed = 0;
    if (form) $$(".card-note", $(".card-list")).forEach(function (n) { n.hidden = !matches(meta($("details.card", n) || n) || {}, filters()); });
    next();
  }
  function next() { cur = queue.shift() || null; revealed = false; draw(); }

  function status() {
    var d = H.load(), now = H.now(), fresh = queue.filter(function (c) { return !d.cards[c.id]; }).length + (cur && !d.cards[cur.id] ? 1 : 0);
    var left = queue.length + (cur ? 1 : 0);
    var s = left + (left === 1 ? " card" : " cards") + " due today" + (fresh ? " (" + fresh + " new)" : "") + " · " + pool.length + " in this selection";
    if (reviewed) s += " · " + reviewed + " reviewed";
    return s;
  }
  /* When the next card of the selection falls due, once none are left today. */
  function nextDue() {
    var d = H.load(), now = H.now(), min = Infinity;
    pool.forEach(function (c) { var st = d.cards[c.id]; if (st && st.due < min) min = st.due; });
    if (min === Infinity) return "";
    var days = Math.max(1, Math.round((S.endOfDay(min) - S.endOfDay(now)) / S.DAY));
    return "The next card is due in " + S.describe(days) + ", on " + new Date(min).toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" }) + ".";
  }
  function questionHtml(el) {
    var s = $("summary", el).cloneNode(true), label = $(".card-label", s);
    if (label) label.remove();
    return s.innerHTML;
  }
  function draw() {
    var html = '<h2 class="review-title">Review</h2><p class="review-status" role="status" aria-live="polite">' + esc(status()) + "</p>";
    if (!cur) {
      html += '<p class="review-done">' + (pool.length ? (reviewed ? "Done for today. " : "Nothing is due today. ") + esc(nextDue()) : "No card matches these filters.") + "</p>";
      view.innerHTML = html;
      return;
    }
    var d = H.load(), st = d.cards[cur.id] || null, now = H.now();
    html += '<div class="review-card" data-card-id="' + esc(cur.id) + '"><p class="review-where">' + esc(cur.meta.title) + "</p>" +
      '<div class="review-q">' + questionHtml(cur.el) + "</div>";
    if (!revealed) {
      html += '<p><button type="button" class="review-reveal">Show answer <kbd>Space</kbd></button></p>';
    } else {
      html += '<div class="review-a prose">' + $(".card-a", cur.el).innerHTML + "</div>" +
        '<div class="review-grades" role="group" aria-label="How well did you know it?">';
      for (var g = 1; g <= 4; g++) {
        var ivl = S.grade(st, g, now).ivl;
        html += '<button type="button" class="grade grade-' + g + '" data-grade="' + g + '">' + S.NAMES[g] +
          ' <span class="grade-ivl">' + esc(S.describe(ivl)) + '</span> <kbd>' + g + "</kbd></button>";
      }
      html += "</div>";
    }
    view.innerHTML = html + "</div>";
    var focus = $(revealed ? ".grade-3" : ".review-reveal", view);
    if (focus && active()) focus.focus({ preventScroll: true });
  }
  function reveal() { if (cur && !revealed) { revealed = true; draw(); } }
  function grade(g) {
    if (!cur || !revealed) return;
    var id = cur.id, now = H.now();
    H.update(function (d) { d.cards[id] = S.grade(d.cards[id] || null, g, now); });
    /* Again: shown once more before the session ends. */
    if (g === 1) queue.push(cur);
    reviewed++;
    next();
  }
  function active() { return !isAll || root.getAttribute("data-view") === "review"; }

  view.addEventListener("click", function (e) {
    if (e.target.closest(".review-reveal")) reveal();
    var b = e.target.closest("[data-grade]");
    if (b) grade(+b.getAttribute("data-grade"));
  });
  doc.addEventListener("keydown", function (e) {
    if (!active() || e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target, tag = t && t.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (t && t.isContentEditable)) return;
    if (e.key === " " || e.key === "Spacebar") {
      if (cur && !revealed) { e.preventDefault(); reveal(); }
    } else if (/^[1-4]$/.test(e.key) && revealed) {
      e.preventDefault(); grade(+e.key);
    }
  });

  /* review.html: the filter form mirrors the URL. */
  if (form) {
    form.hidden = false;
    var f0 = filters();
    $$("select", form).forEach(function (s) { s.value = (f0[s.name] || [])[0] || ""; });
    form.addEventListener("change", function () {
      var q = new URLSearchParams(location.search);
      $$("select", form).forEach(function (s) { if (s.value) q.set(s.name, s.value); else q.delete(s.name); });
      var s = q.toString().replace(/%2C/g, ",");
      try { history.replaceState(null, "", location.pathname + (s ? "?" + s : "")); } catch (err) { /* file:// may refuse */ }
      restart();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  }
  /* The site's "Review cards" link takes the all-notes page's filters along. */
  doc.addEventListener("click", function (e) {
    var a = e.target.closest && e.target.closest("a.review-link, a.review-top");
    var href = a && a.getAttribute("href");
    if (href && href.charAt(0) !== "#" && isAll) {
      var q = new URLSearchParams(location.search);
      q.delete("unread");
      var s = q.toString().replace(/%2C/g, ",");
      a.setAttribute("href", href.split("?")[0] + (s ? "?" + s : ""));
    }
  });

  window.HandbookReview = { restart: restart };
  if (!isAll) { view.hidden = false; restart(); return; }
  /* The all-notes page: the view is shown at #review, over the notes. */
  function route() {
    var on = location.hash === "#review";
    if (on === active()) return;
    if (on) { root.setAttribute("data-view", "review"); restart(); window.scrollTo(0, 0); }
    else root.removeAttribute("data-view");
  }
  window.addEventListener("hashchange", route);
  route();
})();
