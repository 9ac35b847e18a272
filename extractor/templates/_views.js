// Side list <-> highlights, tooltips and layer toggles. Reads only our own data attributes
// and clones server-escaped <template> content: nothing from the article becomes markup.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var turn = {};
  function byItem(sel, id) {
    return Array.prototype.slice.call(
      document.querySelectorAll(sel + '[data-item="' + CSS.escape(id) + '"]'));
  }
  function openAncestors(el) {
    for (var d = el.closest("details"); d; d = d.parentElement.closest("details")) d.open = true;
  }
  function activate(id, fromText) {
    document.querySelectorAll(".active, .current").forEach(function (e) {
      e.classList.remove("active", "current");
    });
    var marks = byItem("mark", id);
    marks.forEach(function (m) { m.classList.add("active"); });
    byItem("li", id).forEach(function (li) {
      li.classList.add("active");
      if (fromText) li.scrollIntoView({ block: "nearest" });
    });
    if (fromText || !marks.length) return;
    // Each click on an entry goes to its next occurrence (actors have many mentions).
    var starts = marks.filter(function (m) { return m.dataset.first === "1"; });
    var n = turn[id] = ((turn[id] === undefined ? -1 : turn[id]) + 1) % starts.length;
    openAncestors(starts[n]);
    starts[n].classList.add("current");
    starts[n].scrollIntoView({ block: "center" });
  }
  document.addEventListener("click", function (e) {
    var li = e.target.closest("li[data-item]");
    if (li) return activate(li.dataset.item, false);
    var m = e.target.closest("mark[data-item]");
    if (m) activate(m.dataset.item, true);
  });
  document.addEventListener("keydown", function (e) {
    var li = e.target.closest && e.target.closest("li[data-item]");
    if (li && (e.key === "Enter" || e.key === " ")) { e.preventDefault(); activate(li.dataset.item, false); }
  });
  function place(e) {
    var w = tip.offsetWidth, h = tip.offsetHeight, x = e.clientX + 14, y = e.clientY + 16;
    if (x + w > window.innerWidth - 8) x = Math.max(8, e.clientX - w - 14);
    if (y + h > window.innerHeight - 8) y = Math.max(8, e.clientY - h - 12);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  document.addEventListener("mouseover", function (e) {
    var el = e.target.closest("[data-item]");
    var t = el && document.getElementById("tip-" + el.dataset.item);
    if (!t) { tip.hidden = true; return; }
    tip.replaceChildren(t.content.cloneNode(true));
    tip.dataset.item = el.dataset.item;
    tip.hidden = false;
    place(e);
  });
  document.addEventListener("mousemove", function (e) { if (!tip.hidden) place(e); });
  document.addEventListener("mouseleave", function () { tip.hidden = true; });
  // A link such as docs/ID.html#item=t2 (from the corpus timeline) opens that item.
  var wanted = /^#item=([\w.-]+)$/.exec(location.hash);
  if (wanted && byItem("li", wanted[1]).length) activate(wanted[1], false);
  document.querySelectorAll("input[data-toggle]").forEach(function (cb) {
    cb.addEventListener("change", function () {
      document.body.classList.toggle("hide-" + cb.dataset.toggle, !cb.checked);
    });
  });
})();
