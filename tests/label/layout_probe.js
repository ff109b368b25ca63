// Measures the rendered page and writes what it found, as JSON, into a pre element with the id
// layout-report, for tests/label/test_render_browser.py to read with `chromium --dump-dom`. The page
// itself has no script: the test adds this one to a copy of it.
var probe = function () {
  var all = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var page = function (r) {
    return {l: r.left + scrollX, t: r.top + scrollY, r: r.right + scrollX, b: r.bottom + scrollY};
  };
  var meets = function (a, b) { return a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5; };
  var width = document.documentElement.clientWidth;
  // Visible: has a size, lies inside the page's width, and is what the browser hits at its centre.
  var seen = function (el) {
    var r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.left < 0 || r.right > width) return false;
    el.scrollIntoView({block: "center", inline: "nearest"});
    r = el.getBoundingClientRect();
    var top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
    return !!top && (el === top || el.contains(top));
  };
  var sectionOf = function (el) { return el.closest("section.document"); };
  var texts = [];
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    var node = walker.currentNode;
    if (!node.data.trim() || !node.parentNode.closest(".paragraph") || node.parentNode.closest(".tag")) continue;
    var range = document.createRange();
    range.selectNodeContents(node);
    Array.prototype.forEach.call(range.getClientRects(), function (r) { texts.push({text: node.data, box: page(r)}); });
  }
  var tags = all(".tag").map(function (el) {
    var unit = el.querySelector(".unit");
    return {el: el, doc: sectionOf(el).dataset.id, unit: unit.dataset.unitId, fragment: unit.dataset.fragment,
            continued: unit.dataset.continued === "true", box: page(el.getBoundingClientRect())};
  });
  var relations = all("li.relation").map(function (el) {
    return {el: el, doc: sectionOf(el).dataset.id, id: el.dataset.id, box: page(el.getBoundingClientRect())};
  });
  var problems = [];
  tags.forEach(function (tag, i) {
    var name = tag.doc + " " + tag.unit + "[" + tag.fragment + "]";
    texts.forEach(function (t) {
      if (meets(tag.box, t.box)) problems.push("tag " + name + " covers text " + JSON.stringify(t.text));
    });
    tags.slice(i + 1).forEach(function (other) {
      if (meets(tag.box, other.box)) problems.push("tag " + name + " covers tag " + other.doc + " " + other.unit);
    });
    relations.forEach(function (rel) {
      if (meets(tag.box, rel.box)) problems.push("tag " + name + " covers relation " + rel.doc + " " + rel.id);
    });
  });
  relations.forEach(function (rel) {
    texts.forEach(function (t) {
      if (meets(rel.box, t.box)) {
        problems.push("relation " + rel.doc + " " + rel.id + " covers text " + JSON.stringify(t.text));
      }
    });
  });
  // Pointing at a relation (focus stands in for the mouse) highlights its two units' words, and no others.
  var lit = function (el) {
    var style = getComputedStyle(el);
    return style.backgroundImage !== "none" || style.backgroundColor !== "rgba(0, 0, 0, 0)";
  };
  var linking = relations.map(function (rel) {
    var section = sectionOf(rel.el);
    var ends = [rel.el.dataset.source, rel.el.dataset.target];
    var tokens = all(".token", section);
    var ofEnds = function (tok) {
      return all(":scope > .slice", tok).some(function (s) { return ends.indexOf(s.dataset.of) >= 0; });
    };
    var before = tokens.filter(lit).length;
    rel.el.focus();
    var wrong = tokens.filter(function (tok) { return lit(tok) !== ofEnds(tok); }).length;
    var outlined = all(".tag", section).filter(function (t) { return getComputedStyle(t).outlineStyle !== "none"; })
      .map(function (t) { return t.dataset.of; });
    rel.el.blur();
    return {doc: rel.doc, id: rel.id, lit_before: before, wrong_tokens: wrong, page_focused: document.hasFocus(),
            ends_tokens: tokens.filter(ofEnds).length,
            outlined: outlined.filter(function (v, i, a) { return a.indexOf(v) === i; }).sort()};
  });
  var rowOf = function (el) { return el.closest(".row"); };
  var report = {
    width: width,
    texts: texts.length,
    problems: problems,
    tags: tags.map(function (t) {
      return {doc: t.doc, unit: t.unit, fragment: t.fragment, continued: t.continued, visible: seen(t.el)};
    }),
    underlines: all(".slice").filter(function (s) {
      var r = s.getBoundingClientRect();
      return r.width < 1 || r.right > width;
    }).length,
    relations: relations.map(function (rel) {
      var source = all('.tag[data-of="' + CSS.escape(rel.el.dataset.source) + '"]', sectionOf(rel.el))[0];
      var paragraph = rowOf(source).querySelector(".paragraph").getBoundingClientRect();
      var box = rel.el.getBoundingClientRect();
      return {doc: rel.doc, id: rel.id, visible: seen(rel.el), same_row: rowOf(rel.el) === rowOf(source),
              right_of_text: box.left >= paragraph.right - 0.5,
              beside: box.top < paragraph.bottom && box.bottom > paragraph.top};
    }),
    linking: linking
  };
  var out = document.createElement("pre");
  out.id = "layout-report";
  out.textContent = JSON.stringify(report);
  document.body.appendChild(out);
};
// Pointing is measured through :focus, which a page matches only while it has the focus. Once, on a busy machine, the
// first relation came out unlit; a headless Chromium may give the page the focus after the load event. So the probe
// runs once the page has it (or after 3 s of virtual time), and each link records whether it had.
window.addEventListener("load", function () {
  var done = false;
  var once = function () { if (!done) { done = true; probe(); } };
  if (document.hasFocus()) { once(); return; }
  window.addEventListener("focus", once);
  setTimeout(once, 3000);
});
