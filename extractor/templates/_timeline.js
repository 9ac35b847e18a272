// The timeline, the network and the event list, drawn from the page's JSON block. Every
// text from an article goes in with textContent or as an attribute value: none becomes markup.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("corpus-data").textContent);
  var events = data.events, actors = data.actors, docs = data.documents;
  var byId = {};
  events.forEach(function (e) { byId[e.event_id] = e; });
  var selected = null;

  function el(tag, attrs, text) {
    var n = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function html(tag, text) {
    var n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    return n;
  }
  function name(id) { return actors[id] ? actors[id].name : id; }
  function label(id) {
    var a = actors[id];
    return a ? a.name + (a.country ? " (" + a.country + ")" : "") : id;
  }
  function short(s) { return s.length > 28 ? s.slice(0, 27) + "\u2026" : s; }
  var TOP = 30;  // the network shows the actors with the most threat edges
  function colour(c) { return data.categories[c] || "#6c757d"; }

  function filtered() {
    var actor = document.getElementById("f-actor").value;
    var side = document.getElementById("f-side").value;
    var cats = {};
    document.querySelectorAll("input[data-category]").forEach(function (cb) {
      cats[cb.dataset.category] = cb.checked;
    });
    return events.filter(function (e) {
      if (!cats[e.category]) return false;
      if (!actor) return true;
      var src = e.source_id === actor, tgt = e.target_ids.indexOf(actor) >= 0;
      return side === "source" ? src : side === "target" ? tgt : src || tgt;
    });
  }

  function monthTicks(lo, hi) {
    var d = new Date(lo), out = [];
    var months = (new Date(hi).getUTCFullYear() - d.getUTCFullYear()) * 12 +
      new Date(hi).getUTCMonth() - d.getUTCMonth() + 1;
    var step = Math.max(1, Math.ceil(months / 8));
    var y = d.getUTCFullYear(), m = d.getUTCMonth() + 1;
    for (var i = 0; i < months + 1; i++, m++) {
      if (m > 11) { m = 0; y++; }
      var ms = Date.UTC(y, m, 1);
      if (ms > hi) break;
      if (ms >= lo && (y * 12 + m) % step === 0) {
        out.push({ ms: ms, label: y + "-" + String(m + 1).padStart(2, "0") });
      }
    }
    return out;
  }

  function drawTimeline(shown) {
    var svg = document.getElementById("timeline");
    svg.replaceChildren();
    var bySource = document.getElementById("f-lanes").value === "source";
    var placed = [];
    shown.forEach(function (e) {
      var lanes = bySource ? [e.source_id] : (e.target_ids.length ? e.target_ids : ["(none)"]);
      lanes.forEach(function (l) { placed.push({ e: e, lane: l }); });
    });
    var lanes = [];
    placed.forEach(function (p) { if (lanes.indexOf(p.lane) < 0) lanes.push(p.lane); });
    lanes.sort(function (a, b) { return name(a).localeCompare(name(b)); });
    var dated = shown.filter(function (e) { return e.date; }).map(function (e) { return Date.parse(e.date); });
    var lo = Math.min.apply(null, dated), hi = Math.max.apply(null, dated);
    if (!dated.length) { lo = 0; hi = 1; }
    if (hi - lo < 864e5 * 2) { lo -= 864e5 * 3; hi += 864e5 * 3; }
    var left = 200, top = 30, laneH = 26, plotW = 600, undatedX = left + plotW + 75;
    var width = undatedX + 40, height = top + Math.max(lanes.length, 1) * laneH + 30;
    svg.setAttribute("width", width); svg.setAttribute("height", height);
    svg.setAttribute("viewBox", "0 0 " + width + " " + height);
    function x(e) { return e.date ? left + plotW * (Date.parse(e.date) - lo) / (hi - lo) : undatedX; }
    (dated.length ? monthTicks(lo, hi) : []).forEach(function (t) {  // month starts
      var gx = left + plotW * (t.ms - lo) / (hi - lo);
      svg.appendChild(el("line", { "class": "grid", x1: gx, x2: gx, y1: top - 6, y2: height - 24 }));
      svg.appendChild(el("text", { x: gx, y: height - 8, "text-anchor": "middle" }, t.label));
      svg.appendChild(el("text", { x: gx, y: top - 10, "text-anchor": "middle" }, t.label));
    });
    if (shown.some(function (e) { return !e.date; })) {
      svg.appendChild(el("text", { x: undatedX, y: height - 8, "text-anchor": "middle" }, "undated"));
    }
    lanes.forEach(function (l, i) {
      var y = top + i * laneH + laneH / 2;
      svg.appendChild(el("line", { "class": "axis", x1: left, x2: undatedX + 20, y1: y, y2: y }));
      svg.appendChild(el("text", { "class": "lane", x: left - 8, y: y + 4, "text-anchor": "end" },
        l === "(none)" ? "(no target)" : short(label(l))));
    });
    var stack = {};
    placed.forEach(function (p) {
      var cx = x(p.e), key = p.lane + "|" + Math.round(cx);
      var n = stack[key] = (stack[key] || 0) + 1;
      var c = el("circle", { "class": "point", r: 6, cx: cx + (n - 1) * 9,
        cy: top + lanes.indexOf(p.lane) * laneH + laneH / 2, fill: colour(p.e.category),
        "data-event": p.e.event_id, "data-category": p.e.category, tabindex: 0 });
      if (selected === p.e.event_id) c.classList.add("selected");
      c.appendChild(el("title", {}, (p.e.date || "undated") + " · " + name(p.e.source_id) +
        " → " + (p.e.target_ids.map(name).join(", ") || "(no target)") + " · " + p.e.category));
      svg.appendChild(c);
    });
  }

  function radius(n) { return Math.min(14, 3 + 1.2 * Math.sqrt(degree[n] || 0)); }
  var degree = {};

  function drawNetwork(shown) {
    var svg = document.getElementById("network");
    svg.replaceChildren();
    var defs = el("defs");
    var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5,
      markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" });
    marker.appendChild(el("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8792a2" }));
    defs.appendChild(marker); svg.appendChild(defs);
    var edges = {};
    degree = {};
    shown.forEach(function (e) {
      e.target_ids.forEach(function (t) {
        var k = e.source_id + "\u0000" + t;
        edges[k] = (edges[k] || 0) + 1;
        degree[e.source_id] = (degree[e.source_id] || 0) + 1;
        degree[t] = (degree[t] || 0) + 1;
      });
    });
    var all = Object.keys(degree);
    var nodes = all.slice().sort(function (a, b) {
      return degree[b] - degree[a] || name(a).localeCompare(name(b));
    }).slice(0, TOP).sort(function (a, b) { return name(a).localeCompare(name(b)); });
    document.getElementById("network-note").textContent = all.length > TOP ?
      "the " + TOP + " of " + all.length + " actors with the most threat edges; choose an actor to see its own" : "";
    var cx = 480, cy = 300, R = nodes.length > 1 ? 220 : 0, pos = {};
    nodes.forEach(function (n, i) {
      var a = 2 * Math.PI * i / nodes.length - Math.PI / 2;
      pos[n] = [cx + R * Math.cos(a), cy + R * Math.sin(a)];
    });
    Object.keys(edges).forEach(function (k) {
      var st = k.split("\u0000"), a = pos[st[0]], b = pos[st[1]], n = edges[k];
      if (!a || !b || st[0] === st[1]) return;
      var mx = (a[0] + b[0]) / 2, my = (a[1] + b[1]) / 2, dx = b[0] - a[0], dy = b[1] - a[1];
      var len = Math.sqrt(dx * dx + dy * dy) || 1, bend = 0.12 * len;
      var qx = mx - dy / len * bend, qy = my + dx / len * bend;
      var rb = radius(st[1]) + 2, dq = Math.sqrt((b[0] - qx) * (b[0] - qx) + (b[1] - qy) * (b[1] - qy)) || 1;
      var ex = b[0] - (b[0] - qx) / dq * rb, ey = b[1] - (b[1] - qy) / dq * rb;
      var p = el("path", { "class": "edge", d: "M" + a[0] + "," + a[1] + " Q" + qx + "," + qy +
        " " + ex + "," + ey, "stroke-width": 0.8 + 1.4 * Math.log2(1 + n), "marker-end": "url(#arrow)",
        "data-source": st[0], "data-target": st[1], "data-count": n });
      p.appendChild(el("title", {}, name(st[0]) + " → " + name(st[1]) + ": " + n + " threat" + (n === 1 ? "" : "s")));
      svg.appendChild(p);
    });
    nodes.forEach(function (n) {
      var g = el("g", { "class": "node", "data-actor": n });
      var r = radius(n);
      g.appendChild(el("circle", { "class": "node", cx: pos[n][0], cy: pos[n][1], r: r }));
      var right = pos[n][0] >= cx;
      g.appendChild(el("text", { "class": "node", x: pos[n][0] + (right ? r + 4 : -r - 4),
        y: pos[n][1] + 4, "text-anchor": right ? "start" : "end" }, label(n)));
      g.appendChild(el("title", {}, label(n) + ": " + degree[n] + " threat edge" + (degree[n] === 1 ? "" : "s")));
      svg.appendChild(g);
    });
    if (!nodes.length) svg.appendChild(el("text", { x: cx, y: cy, "text-anchor": "middle" }, "no threat with a target shown"));
  }

  function drawList(shown) {
    var body = document.querySelector("#events tbody");
    body.replaceChildren();
    shown.forEach(function (e) {
      var tr = html("tr");
      tr.dataset.event = e.event_id;
      if (selected === e.event_id) tr.classList.add("selected");
      [e.date || "undated", label(e.source_id), e.target_ids.map(label).join(", "), e.category,
        e.quote].forEach(function (v, i) {
        var td = html("td", v);
        if (i === 4) td.className = "q";
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
  }

  function open(id) {
    var e = byId[id];
    if (!e) return;
    selected = id;
    document.querySelectorAll(".selected").forEach(function (n) { n.classList.remove("selected"); });
    document.querySelectorAll('[data-event="' + CSS.escape(id) + '"]').forEach(function (n) {
      n.classList.add("selected");
    });
    document.getElementById("detail-empty").hidden = true;
    document.getElementById("detail-body").hidden = false;
    document.getElementById("detail-quote").textContent = "\u201c" + e.quote + "\u201d";
    var d = docs[e.document_id] || {};
    var dl = document.getElementById("detail-fields");
    dl.replaceChildren();
    [["date", e.date || "undated"], ["source", label(e.source_id)],
      ["targets", e.target_ids.map(label).join(", ") || "none"], ["category", e.category],
      ["CAMEO", e.cameo], ["conditional", e.conditional ? "yes" + (e.condition ? ": " + e.condition : "") : "no"],
      ["document", (d.title || e.document_id) + (d.publisher ? " · " + d.publisher : "")]
    ].forEach(function (kv) { dl.appendChild(html("dt", kv[0])); dl.appendChild(html("dd", kv[1])); });
    var link = document.getElementById("detail-link");
    var page = /^docs\/[\w.-]+\.html$/.test(d.page || "") ? d.page : null;
    link.hidden = !page;
    if (page) link.setAttribute("href", page + "#item=" + encodeURIComponent(e.local_id));
  }

  function draw() {
    var shown = filtered();
    document.getElementById("shown").textContent = shown.length;
    drawTimeline(shown); drawNetwork(shown); drawList(shown);
  }

  document.addEventListener("click", function (ev) {
    var t = ev.target.closest && ev.target.closest("[data-event]");
    if (t) open(t.dataset.event || t.getAttribute("data-event"));
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target.closest && ev.target.closest("[data-event]");
    if (t && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); open(t.getAttribute("data-event")); }
  });
  ["f-actor", "f-side", "f-lanes"].forEach(function (id) {
    document.getElementById(id).addEventListener("change", draw);
  });
  document.querySelectorAll("input[data-category]").forEach(function (cb) { cb.addEventListener("change", draw); });
  draw();
})();
