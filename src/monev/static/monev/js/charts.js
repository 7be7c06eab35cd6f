/* Draws the charts of the monitoring pages with the vendored Chart.js.
 *
 * Each <canvas data-chart="ID"> is drawn from the JSON in <script id="ID"
 * type="application/json"> (Django's json_script). The same numbers are always in a table next
 * to the chart; without JavaScript the table is all there is, and nothing is lost.
 *
 * Spec: {type: "bar"|"line", labels?, datasets: [{label, data, showLine?, dashed?, doubtful?}],
 *        x?: "year"|"time", markers?: [{x, label}], target?, targetLabel?, y?: {min, max}}
 * Markers are dashed vertical lines with a label (an instrument change, a deadline); target
 * is a horizontal line.
 *
 * Numbers follow the page's language (<html lang>), not the browser's: "2,5" and "3,00" in
 * Bahasa Indonesia, "2.5" and "3.00" in English, as the tables beside the charts write them.
 */
(function () {
  "use strict";
  var COLOURS = ["#1f5aa6", "#c2761b", "#2e7d4f", "#8a3ea8", "#b23b3b", "#4b6b8a", "#7a7a1f"];
  var LOCALE = document.documentElement.lang || undefined;
  // A score as the tables write it: two decimals ("3,00").
  var SCORE = new Intl.NumberFormat(LOCALE, {minimumFractionDigits: 2, maximumFractionDigits: 2});

  function score(value) {
    return typeof value === "number" ? SCORE.format(value) : "";
  }

  var guides = {
    id: "monevGuides",
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx, area = chart.chartArea, xs = chart.scales.x, ys = chart.scales.y;
      ctx.save();
      ctx.font = "12px system-ui, sans-serif";
      (options.markers || []).forEach(function (marker) {
        var x = xs.getPixelForValue(marker.x);
        if (x < area.left || x > area.right) return;
        ctx.strokeStyle = "#6b7280";
        ctx.setLineDash([4, 4]);
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#374151";
        ctx.save();
        ctx.translate(x + 4, area.top + 4);
        ctx.rotate(Math.PI / 2);
        ctx.fillText(marker.label, 0, 0);
        ctx.restore();
      });
      if (typeof options.target === "number") {
        var y = ys.getPixelForValue(options.target);
        ctx.strokeStyle = "#b23b3b";
        ctx.setLineDash([8, 4]);
        ctx.beginPath(); ctx.moveTo(area.left, y); ctx.lineTo(area.right, y); ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = "#b23b3b";
        ctx.fillText((options.targetLabel || "") + " " + score(options.target), area.left + 4, y - 4);
      }
      ctx.restore();
    }
  };

  // Roughly how wide one character of a 12px tick label is, to fit labels to their room.
  var CHAR_PX = 6.5;

  // Words of `text` in lines of at most `width` characters, at most `most` lines (the last
  // one ends in "…" when words are left over).
  function wrap(text, width, most) {
    var lines = [], line = "";
    String(text).split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) lines.push(line);
    if (lines.length > most) {
      lines = lines.slice(0, most);
      lines[most - 1] += "…";
    }
    return lines;
  }

  // Category labels ("A1 Kebijakan Internal Tata Kelola SPBE") never rotate and never overlap:
  // wrapped into the room each bar has, or only their code ("A1") when a phone leaves too
  // little room for words. The tooltip and the table beside every chart keep the full names.
  function categoryTicks() {
    return {
      maxRotation: 0,
      autoSkip: false,
      callback: function (value) {
        var label = this.getLabelForValue(value);
        var count = (this.chart.data.labels || []).length || 1;
        var room = (this.chart.chartArea ? this.chart.chartArea.width : this.chart.width) / count;
        var chars = Math.floor(room / CHAR_PX) - 1;
        var code = /^([A-Z]{1,3}\d+(?:\.\d+)*)\s/.exec(label);
        if (code && chars < 9) return code[1];
        return wrap(label, Math.max(chars, 6), 4);
      }
    };
  }

  function day(ms) {
    return new Date(ms).toLocaleDateString(LOCALE);
  }

  function xScale(spec) {
    if (spec.x === "year") {
      // A year is no amount: "2024", never "2.024" (the tooltip's title reads ticks.format).
      return {type: "linear", ticks: {stepSize: 1, maxRotation: 0, format: {useGrouping: false},
                                      callback: function (v) { return String(v); }}};
    }
    if (spec.x === "time") {
      return {type: "linear", ticks: {maxTicksLimit: 8, maxRotation: 0, callback: day}};
    }
    return {type: "category", ticks: categoryTicks()};
  }

  // The tooltip: a time axis's point by its day, every value as a score ("3,00").
  function tooltip(spec) {
    var callbacks = {
      label: function (item) {
        var name = item.dataset.label ? item.dataset.label + ": " : "";
        return name + score(item.parsed.y);
      }
    };
    if (spec.x === "time") {
      callbacks.title = function (items) { return items.length ? day(items[0].parsed.x) : ""; };
    }
    return {callbacks: callbacks};
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || typeof Chart === "undefined") return;
    var spec = JSON.parse(source.textContent);
    var datasets = spec.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      return {
        label: set.label,
        data: set.data,
        showLine: set.showLine !== false,
        borderColor: colour,
        backgroundColor: colour,
        borderDash: set.dashed ? [6, 4] : [],
        pointStyle: set.doubtful ? "crossRot" : "circle",
        pointRadius: set.doubtful ? 8 : 4,
        spanGaps: false,
        tension: 0
      };
    });
    var y = spec.y || {};
    var options = {
      // Chart.js formats the value axis's ticks ("2,5") and its own labels in this locale.
      locale: LOCALE,
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {x: xScale(spec), y: {min: y.min, max: y.max}},
      plugins: {
        monevGuides: {markers: spec.markers, target: spec.target, targetLabel: spec.targetLabel},
        tooltip: tooltip(spec)
      }
    };
    if (spec.x) options.parsing = false;
    new Chart(canvas, {
      type: spec.type,
      data: {labels: spec.labels, datasets: datasets},
      options: options,
      plugins: [guides]
    });
  }

  function drawAll() {
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
