// zcurate report: filters, the findings' small thumbnails, and the per-image detail view.
// The page is complete without this script; it only adds behaviour. User text is only ever
// set with textContent, never parsed as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("zc-data").textContent);
  var cells = Array.prototype.slice.call(document.querySelectorAll(".grid .cell"));
  var ruleSelect = document.getElementById("filter-rule");
  var framingSelect = document.getElementById("filter-framing");
  var flagged = document.getElementById("filter-flagged");
  // Only when the page knows what `zcurate select` would do.
  var selectSelect = document.getElementById("filter-select");
  var shown = document.getElementById("shown");
  var dialog = document.getElementById("detail");
  var current = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function thumbSrc(i) {
    var img = document.querySelector("#img-" + i + " .thumb img");
    return img ? img.getAttribute("src") : null;
  }

  // Each thumbnail is in the file once, on the contact sheet; the findings reuse it.
  document.querySelectorAll("img[data-thumb]").forEach(function (img) {
    var src = thumbSrc(img.getAttribute("data-thumb"));
    if (src) img.setAttribute("src", src);
    var p = data.images[+img.getAttribute("data-thumb")];
    if (p) img.setAttribute("alt", p.path);
  });

  // Filter choices, with how many images each would show.
  function countWhere(pred) {
    return cells.filter(pred).length;
  }
  data.rules.forEach(function (r) {
    var n = countWhere(function (c) { return c.dataset.rules.indexOf(" " + r.code + " ") >= 0; });
    var label = r.code + " " + r.name + (n ? " (" + n + ")" : " (dataset)");
    ruleSelect.appendChild(el("option", { value: r.code }, label));
  });
  var framings = [];
  cells.forEach(function (c) {
    if (framings.indexOf(c.dataset.framing) < 0) framings.push(c.dataset.framing);
  });
  var order = ["close-up", "head-shoulders", "upper-body", "knee-up", "full-body", "no-face", "unknown", "unreadable"];
  framings.sort(function (a, b) { return order.indexOf(a) - order.indexOf(b); });
  framings.forEach(function (f) {
    var n = countWhere(function (c) { return c.dataset.framing === f; });
    framingSelect.appendChild(el("option", { value: f }, f + " (" + n + ")"));
  });

  if (selectSelect) {
    ["keep", "crop", "drop", "spare"].forEach(function (d) {
      var n = countWhere(function (c) { return c.dataset.select === d; });
      if (n) selectSelect.appendChild(el("option", { value: d }, d + " (" + n + ")"));
    });
  }

  function applyFilters() {
    var rule = ruleSelect.value, framing = framingSelect.value, only = flagged.checked;
    var sel = selectSelect ? selectSelect.value : "";
    var n = 0;
    cells.forEach(function (c) {
      var ok = (!rule || c.dataset.rules.indexOf(" " + rule + " ") >= 0) &&
        (!framing || c.dataset.framing === framing) &&
        (!sel || c.dataset.select === sel) &&
        (!only || c.dataset.rules.trim() !== "");
      c.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = n === cells.length
      ? "Showing all " + n + " images"
      : "Showing " + n + " of " + cells.length + " images";
  }
  [ruleSelect, framingSelect, flagged, selectSelect].forEach(function (e) {
    if (e) e.addEventListener("change", applyFilters);
  });
  applyFilters();

  // "show on sheet" for each rule with images.
  document.querySelectorAll("details.rule").forEach(function (d) {
    var code = d.dataset.rule;
    if (!cells.some(function (c) { return c.dataset.rules.indexOf(" " + code + " ") >= 0; })) return;
    var b = el("button", { type: "button", class: "show-on-sheet" }, "show on sheet");
    b.addEventListener("click", function (ev) {
      ev.preventDefault();
      ruleSelect.value = code;
      applyFilters();
      document.getElementById("sheet").scrollIntoView();
    });
    d.querySelector("summary").appendChild(b);
  });

  function fieldValue(v) {
    if (v === null || v === undefined) return "–";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }

  function boxes(img) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "boxes");
    svg.setAttribute("viewBox", "0 0 " + img.width + " " + img.height);
    svg.setAttribute("preserveAspectRatio", "none");
    img.faces.forEach(function (f) {
      var r = document.createElementNS(ns, "rect");
      r.setAttribute("class", "face " + (f.main ? "main" : "other"));
      r.setAttribute("x", f.box[0]);
      r.setAttribute("y", f.box[1]);
      r.setAttribute("width", f.box[2]);
      r.setAttribute("height", f.box[3]);
      r.setAttribute("vector-effect", "non-scaling-stroke");
      svg.appendChild(r);
    });
    return svg;
  }

  function originalHref(path) {
    if (!data.originals_href) return null;
    return data.originals_href + "/" + path.split("/").map(encodeURIComponent).join("/");
  }

  function openDetail(i) {
    var img = data.images[i];
    if (!img) return;
    current = i;
    var body = dialog.querySelector(".detail-body");
    body.textContent = "";
    body.appendChild(el("h3", {}, img.path));
    var grid = el("div", { class: "detail-grid" });
    var left = el("div");
    var frame = el("div", { class: "frame" });
    var src = thumbSrc(i);
    if (src && img.width && img.height) {
      var t = el("div", { class: "thumb", style: "aspect-ratio:" + img.width + "/" + img.height });
      t.appendChild(el("img", { src: src, alt: img.path }));
      if (img.faces.length) t.appendChild(boxes(img));
      frame.appendChild(t);
    } else {
      frame.appendChild(el("div", { class: "broken" }, img.error || "no thumbnail"));
    }
    left.appendChild(frame);
    var href = originalHref(img.path);
    if (href) {
      var p = el("p");
      p.appendChild(el("a", { href: href, target: "_blank", rel: "noopener" }, "open the original"));
      left.appendChild(p);
    }
    grid.appendChild(left);

    var right = el("div");
    var labels = [];
    if (img.framing) labels.push(img.framing + (img.framing_confidence != null ? " (" + img.framing_confidence.toFixed(2) + ")" : ""));
    if (img.angle) labels.push(img.angle);
    if (img.width) labels.push(img.width + "×" + img.height);
    right.appendChild(el("p", {}, labels.join(" · ")));
    right.appendChild(el("div", { class: "caption" }, img.caption == null ? "(no caption)" : img.caption));
    if (img.select) {
      var sp = el("p");
      sp.appendChild(el("span", { class: "sel sel-" + img.select.decision }, img.select.label));
      if (img.select.reason) sp.appendChild(document.createTextNode(" " + img.select.reason));
      right.appendChild(sp);
    }
    right.appendChild(el("h4", {}, img.findings.length ? "Findings" : "No findings"));
    if (img.findings.length) {
      var ul = el("ul", { class: "detail-findings" });
      img.findings.forEach(function (k) {
        var f = data.findings[k];
        var li = el("li");
        li.appendChild(el("span", { class: "badge " + f.severity }, f.code));
        li.appendChild(document.createTextNode(" " + f.name + ": " + f.message));
        if (f.fix) li.appendChild(el("div", { class: "fix" }, "fix: " + f.fix));
        ul.appendChild(li);
      });
      right.appendChild(ul);
    }
    grid.appendChild(right);
    body.appendChild(grid);

    body.appendChild(el("h4", {}, "Recorded fields"));
    var table = el("table", { class: "fields" });
    Object.keys(img.record || {}).forEach(function (k) {
      var tr = el("tr");
      tr.appendChild(el("td", {}, k));
      tr.appendChild(el("td", {}, fieldValue(img.record[k])));
      table.appendChild(tr);
    });
    body.appendChild(table);
    if (!dialog.open) {
      if (dialog.showModal) dialog.showModal(); else dialog.setAttribute("open", "");
    }
  }

  function step(dir) {
    var visible = cells.filter(function (c) { return !c.hidden; });
    var at = visible.findIndex(function (c) { return +c.dataset.i === current; });
    var next = visible[at + dir];
    if (next) openDetail(+next.dataset.i);
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest("[data-i]");
    if (t && !ev.target.closest("dialog")) openDetail(+t.dataset.i);
  });
  document.addEventListener("keydown", function (ev) {
    if (dialog.open && (ev.key === "ArrowRight" || ev.key === "ArrowLeft")) {
      step(ev.key === "ArrowRight" ? 1 : -1);
    } else if (!dialog.open && ev.key === "Enter" && ev.target.matches && ev.target.matches(".cell")) {
      openDetail(+ev.target.dataset.i);
    }
  });

  // `report.html#detail-12` opens image 12's details.
  var m = /^#detail-(\d+)$/.exec(location.hash);
  if (m) openDetail(+m[1]);

  document.body.setAttribute("data-ready", "1");
})();
