/* ldt-conform HTML report: findings are an embedded JSON blob rendered one page at a time (no network, no libraries). */
(function () {
  "use strict";
  var blob = document.getElementById("findings-data");
  var app = document.getElementById("findings-app");
  if (!blob || !app) { return; }
  var data = JSON.parse(blob.textContent);
  var S = data.s, F = data.f, RULES = data.rules, TARGETS = data.targets, W = data.words;
  // Counts in the report's language (<html lang>, set by --lang), as render/numbers.py writes them, not the browser's.
  var LANG = document.documentElement.lang || "en";
  function num(n) { return n.toLocaleString(LANG); }
  var SEV = ["info", "warning", "error"], BASE = ["", "new", "known"];
  var PAGE = 100;
  var q = document.getElementById("f-search"), fSev = document.getElementById("f-severity"),
      fRule = document.getElementById("f-rule"), fTarget = document.getElementById("f-target"),
      fBase = document.getElementById("f-baseline"), body = document.getElementById("f-body"),
      count = document.getElementById("f-count"), prev = document.getElementById("f-prev"),
      next = document.getElementById("f-next");
  var hay = null, shown = [], page = 0;

  function str(i) { return i < 0 ? "" : S[i]; }
  function haystack() {
    if (hay === null) {
      hay = new Array(F.length);
      for (var i = 0; i < F.length; i++) {
        var r = F[i];
        hay[i] = (RULES[r[0]].id + " " + RULES[r[0]].title + " " + TARGETS[r[1]] + " " + str(r[3]) + " " +
                  str(r[4]) + " " + str(r[5]) + " " + str(r[6])).toLowerCase();
      }
    }
    return hay;
  }
  function apply() {
    var text = q.value.trim().toLowerCase(), sev = fSev.value, rule = fRule.value, target = fTarget.value,
        base = fBase ? fBase.value : "";
    var h = text ? haystack() : null, out = [];
    for (var i = 0; i < F.length; i++) {
      var r = F[i];
      if (sev !== "" && SEV[r[2]] !== sev) { continue; }
      if (rule !== "" && String(r[0]) !== rule) { continue; }
      if (target !== "" && String(r[1]) !== target) { continue; }
      if (base !== "" && BASE[r[7]] !== base) { continue; }
      if (h !== null && h[i].indexOf(text) === -1) { continue; }
      out.push(i);
    }
    shown = out; page = 0; draw();
  }
  function cell(tr, text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    tr.appendChild(td);
    return td;
  }
  function draw() {
    var start = page * PAGE, end = Math.min(start + PAGE, shown.length), frag = document.createDocumentFragment(),
        last = -1;
    for (var k = start; k < end; k++) {
      var r = F[shown[k]];
      if (r[0] !== last) {
        last = r[0];
        var g = document.createElement("tr"); g.className = "group";
        var td = cell(g, RULES[r[0]].id + " " + RULES[r[0]].name + " — " + RULES[r[0]].title, "");
        td.colSpan = 6; frag.appendChild(g);
      }
      var tr = document.createElement("tr");
      cell(tr, W.sev[SEV[r[2]]] + (r[7] ? " (" + W.base[BASE[r[7]]] + ")" : ""), "sev-" + SEV[r[2]]);
      cell(tr, TARGETS[r[1]], "mono");
      cell(tr, str(r[3]), "mono");
      cell(tr, str(r[4]), "mono");
      cell(tr, str(r[5]), "mono");
      cell(tr, str(r[6]), "");
      frag.appendChild(tr);
    }
    body.textContent = "";
    if (shown.length === 0) {
      var empty = document.createElement("tr"); cell(empty, W.none, "").colSpan = 6; frag.appendChild(empty);
    }
    body.appendChild(frag);
    count.textContent = W.showing + " " + num(shown.length ? start + 1 : 0) + "–" + num(end) + " " + W.of + " " +
      num(shown.length) + (shown.length !== F.length ? " (" + num(F.length) + ")" : "");
    prev.disabled = page === 0;
    next.disabled = end >= shown.length;
  }
  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 150); });
  // apply() reads every control, so a search still waiting for its debounce is folded in (and must not fire later
  // and throw the reader back to page 1).
  function applyNow() { clearTimeout(timer); apply(); }
  [fSev, fRule, fTarget, fBase].forEach(function (el) { if (el) { el.addEventListener("change", applyNow); } });
  prev.addEventListener("click", function () { if (page > 0) { page--; draw(); } });
  next.addEventListener("click", function () { if ((page + 1) * PAGE < shown.length) { page++; draw(); } });
  Array.prototype.forEach.call(document.querySelectorAll("[data-rule-filter]"), function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      fRule.value = a.getAttribute("data-rule-filter");
      applyNow();
      app.scrollIntoView();
    });
  });
  app.hidden = false;
  apply();
})();
