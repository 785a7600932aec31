// handbook serve: reload on rebuild (keeping the scroll position), swap stylesheets in place,
// show build errors over the last good page, and reconnect when the server restarts.
(function () {
  "use strict";
  var KEY = "handbook-serve-scroll:";
  var here = decodeURIComponent(location.pathname).replace(/^\/+/, "");
  if (here === "" || here.slice(-1) === "/") here += "index.html";

  // After a reload this script caused: put the reader back where they were, and on the
  // all-notes page bring the edited note into view if it is off screen.
  var saved = null;
  try {
    saved = JSON.parse(sessionStorage.getItem(KEY + here) || "null");
    sessionStorage.removeItem(KEY + here);
  } catch (e) { saved = null; }
  if (saved) {
    if ("scrollRestoration" in history) history.scrollRestoration = "manual";
    var restore = function () {
      window.scrollTo(saved.x || 0, saved.y || 0);
      var el = saved.focus && document.getElementById(saved.focus);
      if (el) {
        var r = el.getBoundingClientRect();
        if (r.bottom < 0 || r.top > window.innerHeight) el.scrollIntoView({ block: "start" });
      }
    };
    restore();
    window.addEventListener("load", restore);
  }

  function reload(focus) {
    try {
      sessionStorage.setItem(KEY + here, JSON.stringify({
        x: window.scrollX, y: window.scrollY,
        focus: here === "index.html" && focus && focus.length ? focus[0] : null
      }));
    } catch (e) { /* private mode: reload without keeping the position */ }
    location.reload();
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var old = links[i];
      var url = new URL(old.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("v", String(Date.now()));
      var fresh = old.cloneNode();
      fresh.href = url.pathname + url.search;
      // Keep the old sheet until the new one has loaded, so nothing flashes unstyled.
      fresh.onload = fresh.onerror = (function (o) { return function () { o.remove(); }; })(old);
      old.after(fresh);
    }
  }

  var overlay = null;
  function showErrors(errors) {
    hideErrors();
    overlay = document.createElement("div");
    overlay.id = "handbook-error-overlay";
    overlay.setAttribute("role", "alert");
    var root = overlay.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent =
      ":host{all:initial;position:fixed;inset:auto 0 0 0;z-index:2147483647;max-height:60vh;overflow:auto;" +
      "background:#2b0f0f;color:#fde8e8;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
      "border-top:4px solid #e5484d;box-shadow:0 -4px 24px rgba(0,0,0,.4)}" +
      ".box{padding:12px 16px}h2{font:600 15px/1.4 system-ui,sans-serif;margin:0 0 8px}" +
      "ul{margin:0;padding:0;list-style:none}li{margin:6px 0;white-space:pre-wrap}" +
      ".loc{color:#ffb4b4;font-weight:600}button{float:right;font:inherit;background:none;color:inherit;" +
      "border:1px solid #e5484d;border-radius:4px;cursor:pointer;padding:2px 8px}";
    var box = document.createElement("div");
    box.className = "box";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Hide";
    close.onclick = hideErrors;
    var h = document.createElement("h2");
    h.textContent = "Build failed: " + errors.length + " error" + (errors.length === 1 ? "" : "s") +
      " (showing the last good version)";
    var ul = document.createElement("ul");
    errors.forEach(function (e) {
      var li = document.createElement("li");
      var loc = e.file ? e.file + (e.line ? ":" + e.line + (e.col ? ":" + e.col : "") : "") : "";
      if (loc) {
        var span = document.createElement("span");
        span.className = "loc";
        span.textContent = loc + ": ";
        li.appendChild(span);
      }
      li.appendChild(document.createTextNode(e.message));
      ul.appendChild(li);
    });
    box.append(close, h, ul);
    root.append(style, box);
    document.body.appendChild(overlay);
  }
  function hideErrors() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  var instance = null, build = null, delay = 200;
  function handle(m) {
    if (m.type === "hello") {
      // A new server or builds missed while disconnected: this page may be stale.
      if (instance !== null && (m.instance !== instance || m.build !== build)) return reload(null);
      instance = m.instance;
      build = m.build;
      if (m.errors) showErrors(m.errors); else hideErrors();
    } else if (m.type === "reload") {
      build = m.build;
      hideErrors();
      if (m.css) swapStylesheets();
      else if (m.pages === null || m.pages.indexOf(here) >= 0) reload(m.focus);
    } else if (m.type === "errors") {
      build = m.build;
      showErrors(m.errors);
    }
  }

  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__handbook/ws");
    ws.onopen = function () { delay = 200; };
    ws.onmessage = function (e) {
      try { handle(JSON.parse(e.data)); } catch (err) { /* a message this version does not know */ }
    };
    ws.onclose = function () {
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 3000);
    };
  }
  connect();
})();
