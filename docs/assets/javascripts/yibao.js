/* Open Yibao Budgets: charts and table tools. No third-party code besides the vendored
 * plotly.min.js, which is loaded only on pages that have a chart, from a URL relative to this
 * script (so the site works from any sub-path and offline). */
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlyUrl = new URL("vendor/plotly.min.js", script ? script.src : window.location.href).href;
  var plotlyPromise = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!plotlyPromise) {
      plotlyPromise = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlyUrl;
        tag.onload = function () { resolve(window.Plotly); };
        tag.onerror = function () { reject(new Error("plotly.min.js 加载失败")); };
        document.head.appendChild(tag);
      });
    }
    return plotlyPromise;
  }

  var plotConfig = {
    displaylogo: false,
    responsive: true,
    displayModeBar: false,
    scrollZoom: false
  };

  var NARROW = 600;
  var NARROW_LABEL = 7;

  /* On a phone, long category labels of horizontal bars would take most of the width:
   * shorten them on the axis (the hover, the bar text and the table below keep the full text). */
  function fitToWidth(figure, width) {
    if (width >= NARROW) return figure;
    var layout = Object.assign({}, figure.layout);
    figure.data.forEach(function (trace) {
      if (trace.type !== "bar" || trace.orientation !== "h" || !trace.y) return;
      var ticks = trace.y.map(function (label) {
        label = String(label);
        return label.length > NARROW_LABEL ? label.slice(0, NARROW_LABEL - 1) + "…" : label;
      });
      layout.yaxis = Object.assign({}, layout.yaxis, { tickmode: "array", tickvals: trace.y, ticktext: ticks });
    });
    if (layout.xaxis) layout.xaxis = Object.assign({}, layout.xaxis, { nticks: 4 });
    return { data: figure.data, layout: layout };
  }

  function renderCharts(root) {
    var containers = Array.prototype.slice.call(root.querySelectorAll(".yibao-chart[data-figure]"))
      .filter(function (el) { return !el.dataset.rendered; });
    if (!containers.length) return;
    loadPlotly().then(function (Plotly) {
      containers.forEach(function (el) {
        var source = document.getElementById(el.dataset.figure);
        if (!source) return;
        var figure = fitToWidth(JSON.parse(source.textContent), el.clientWidth);
        el.dataset.rendered = "1";
        Plotly.newPlot(el, figure.data, figure.layout, plotConfig);
      });
    }).catch(function (error) {
      containers.forEach(function (el) {
        el.textContent = "图表无法显示（" + error.message + "），数据见下表。";
      });
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
        var content = row.textContent.toLowerCase();
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
    renderCharts(document);
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
