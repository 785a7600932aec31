// Checks rendered diagrams for layout faults: text overflowing its box, boxes overlapping,
// arrow labels over boxes, anything outside the viewBox. Run inside the page; the JSON result
// goes to document.body.dataset.layout and document.title.
(function () {
  "use strict";
  var TOL = 0.5;
  function inside(a, b) {
    return a.x >= b.x - TOL && a.y >= b.y - TOL &&
      a.x + a.width <= b.x + b.width + TOL && a.y + a.height <= b.y + b.height + TOL;
  }
  function overlap(a, b) {
    var w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
    var h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
    return w > 1 && h > 1;
  }
  function r(b) {
    return [b.x, b.y, b.width, b.height].map(function (v) { return Math.round(v * 10) / 10; });
  }
  function run() {
    var problems = [];
    var svgs = document.querySelectorAll("svg.diagram-svg");
    var texts = 0;
    svgs.forEach(function (svg, di) {
      var title = (svg.querySelector("title") || {}).textContent || ("diagram " + di);
      var vb = svg.viewBox.baseVal;
      var view = { x: vb.x, y: vb.y, width: vb.width, height: vb.height };
      var boxes = [];
      svg.querySelectorAll("g.dg-node").forEach(function (g) {
        var shape = g.firstElementChild;
        var bb = shape.getBBox();
        boxes.push({ bb: bb, name: (g.textContent || "").trim() });
        if (!inside(bb, view)) problems.push({ diagram: title, problem: "box outside viewBox", box: g.textContent, at: r(bb) });
        g.querySelectorAll("text").forEach(function (t) {
          texts++;
          var tb = t.getBBox();
          if (!inside(tb, bb)) {
            problems.push({ diagram: title, problem: "text overflows its box", text: t.textContent, text_box: r(tb), box: r(bb) });
          }
        });
      });
      for (var i = 0; i < boxes.length; i++) {
        for (var j = i + 1; j < boxes.length; j++) {
          if (overlap(boxes[i].bb, boxes[j].bb)) {
            problems.push({ diagram: title, problem: "boxes overlap", a: boxes[i].name, b: boxes[j].name });
          }
        }
      }
      var labels = [];
      svg.querySelectorAll("g.dg-edge-label").forEach(function (g) {
        var bg = g.querySelector("rect").getBBox();
        var t = g.querySelector("text");
        texts++;
        labels.push({ bb: bg, name: t.textContent });
        if (!inside(t.getBBox(), bg)) problems.push({ diagram: title, problem: "label text overflows its background", text: t.textContent });
        if (!inside(bg, view)) problems.push({ diagram: title, problem: "label outside viewBox", text: t.textContent });
        boxes.forEach(function (b) {
          if (overlap(bg, b.bb)) problems.push({ diagram: title, problem: "arrow label overlaps a box", label: t.textContent, box: b.name });
        });
      });
      for (var a = 0; a < labels.length; a++) {
        for (var c = a + 1; c < labels.length; c++) {
          if (overlap(labels[a].bb, labels[c].bb)) problems.push({ diagram: title, problem: "labels overlap", a: labels[a].name, b: labels[c].name });
        }
      }
      var free = [];
      svg.querySelectorAll(":scope > text").forEach(function (t) {
        texts++;
        var tb = t.getBBox();
        if (!inside(tb, view)) problems.push({ diagram: title, problem: "text outside viewBox", text: t.textContent });
        free.forEach(function (o) {
          if (overlap(o.bb, tb)) problems.push({ diagram: title, problem: "texts overlap", a: o.name, b: t.textContent });
        });
        free.push({ bb: tb, name: t.textContent });
      });
      var rect = svg.getBoundingClientRect();
      // A wide diagram may scroll sideways inside its figure (the theme's `.scrolls`); the page must not.
      var scroller = svg.closest("figure.scrolls");
      if (!scroller && rect.width > document.documentElement.clientWidth + 1) {
        problems.push({ diagram: title, problem: "svg wider than the page", width: Math.round(rect.width) });
      }
    });
    var result = { ok: problems.length === 0, diagrams: svgs.length, texts: texts, problems: problems };
    var json = JSON.stringify(result);
    document.body.dataset.layout = json;
    document.title = json;
    return result;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
