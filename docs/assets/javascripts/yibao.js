/* Open Yibao Budgets: table tools and chart images. No third-party code: the charts are HTML
 * and CSS drawn with the page; this script only adds sorting, filtering and a PNG download. */
(function () {
  "use strict";

  /* ---------------------------------------------------------------- chart as PNG */

  /* Draw a chart's bars (as they are on the page) on a canvas, with its title and source line. */
  function chartImage(figure) {
    var scale = 2, width = 720, row = 26, top = 40;
    var rows = Array.prototype.slice.call(figure.querySelectorAll(".yibao-chart > .yibao-bars > .yibao-bar, .yibao-chart > .yibao-split__legend > li"));
    var height = top + rows.length * row + 46;
    var canvas = document.createElement("canvas");
    canvas.width = width * scale; canvas.height = height * scale;
    var g = canvas.getContext("2d");
    g.scale(scale, scale);
    g.fillStyle = "#fff"; g.fillRect(0, 0, width, height);
    var font = getComputedStyle(document.body).fontFamily;
    g.fillStyle = "#212121"; g.font = "bold 15px " + font;
    g.fillText(figure.querySelector("figcaption").textContent, 12, 24);
    g.font = "12px " + font;
    rows.forEach(function (li, i) {
      var y = top + i * row;
      var label = li.querySelector(".yibao-bar__label");
      var fill = li.querySelector(".yibao-bar__fill");
      var value = li.querySelector(".yibao-bar__value");
      g.fillStyle = "#212121";
      if (!label) { g.fillText(li.textContent.trim(), 12, y + 14); return; }
      var text = label.textContent.trim();
      g.fillText(text.length > 16 ? text.slice(0, 15) + "…" : text, 12, y + 14);
      var length = parseFloat(fill.style.width) / 100 || 0;
      g.fillStyle = li.classList.contains("yibao-bar--other") ? "#757575" : "#3f51b5";
      g.fillRect(230, y + 3, Math.max(2, length * 360), 14);
      g.fillStyle = "#212121";
      g.fillText(value.textContent.trim(), 600, y + 14);
    });
    var source = figure.querySelector(".yibao-source");
    g.fillStyle = "#5f6368"; g.font = "11px " + font;
    if (source) g.fillText(source.textContent.trim(), 12, height - 16);
    return canvas;
  }

  function addImageLinks(root) {
    root.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      if (figure.dataset.ready || !figure.querySelector(".yibao-chart")) return;
      figure.dataset.ready = "1";
      var download = figure.nextElementSibling && figure.nextElementSibling.querySelector(".yibao-download");
      if (!download) return;
      var csv = download.querySelector("a[download]");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "下载本图（PNG）";
      button.addEventListener("click", function () {
        var link = document.createElement("a");
        link.download = (csv ? decodeURIComponent(csv.getAttribute("href").split("/").pop()).replace(/\.csv$/, "") : "chart") + ".png";
        link.href = chartImage(figure).toDataURL("image/png");
        link.click();
      });
      download.appendChild(document.createTextNode(" · "));
      download.appendChild(button);
    });
  }

  /* ---------------------------------------------------------------- sortable tables */

  function cellValue(row, index, type) {
    var cell = row.cells[index];
    if (!cell) return type === "number" ? -Infinity : "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (type === "number") {
      var number = parseFloat(String(raw).replace(/,/g, ""));
      return isNaN(number) ? -Infinity : number;
    }
    return raw;
  }

  function makeSortable(table) {
    if (table.dataset.sortable) return;
    table.dataset.sortable = "1";
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      var type = th.getAttribute("data-sort-type");
      if (!type) return;
      th.tabIndex = 0;
      th.setAttribute("role", "button");
      th.setAttribute("aria-sort", "none");
      th.title = "点击排序";
      function sort() {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("aria-sort")) other.setAttribute("aria-sort", "none");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var collator = new Intl.Collator("zh-Hans-CN", { numeric: true });
        rows.sort(function (a, b) {
          var x = cellValue(a, index, type), y = cellValue(b, index, type);
          var order = type === "number" ? (x - y) : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  }

  /* ---------------------------------------------------------------- filters */

  function makeFilter(box) {
    if (box.dataset.ready) return;
    box.dataset.ready = "1";
    var table = document.getElementById(box.dataset.table);
    if (!table) return;
    var text = box.querySelector(".yibao-filter__text");
    var level = box.querySelector(".yibao-filter__level");
    var status = box.querySelector(".yibao-filter__status");
    var count = box.querySelector(".yibao-filter__count");
    function apply() {
      var words = (text ? text.value : "").trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var content = (row.textContent + " " + (row.dataset.aliases || "")).toLowerCase();
        var visible = words.every(function (word) { return content.indexOf(word) !== -1; }) &&
          (!level || !level.value || row.dataset.level === level.value) &&
          (!status || !status.value || row.dataset.checks === status.value);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = "显示 " + shown + " / " + table.tBodies[0].rows.length;
    }
    [text, level, status].forEach(function (control) {
      if (control) control.addEventListener("input", apply);
    });
    apply();
  }

  function init() {
    addImageLinks(document);
    document.querySelectorAll("table.yibao-sortable").forEach(makeSortable);
    document.querySelectorAll(".yibao-filter[data-table]").forEach(makeFilter);
  }

  /* Material emits document$ on first load and after every instant navigation. */
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
