/* GoalDesk schedule: the coverage chart (required against scheduled per interval) from the
   page's JSON; short intervals red, surplus amber. Right-to-left pages reverse the time axis.
   Buttons with data-confirm (removing a shift) ask before their form is posted. */
(function () {
  "use strict";

  var BLUE = "#2458d3", RED = "#b42318", AMBER = "#b7791f", GREY = "#1d2433";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function coverageChart() {
    var node = document.getElementById("coverage-data");
    var canvas = document.getElementById("chart-coverage");
    if (!node || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    var dir = data.rtl ? "rtl" : "ltr";
    canvas.dataset.short = data.short.reduce(function (a, b) { return a + b; }, 0);
    canvas.dataset.onDuty = data.on_duty.reduce(function (a, b) { return a + b; }, 0);
    window.goaldeskCoverage = new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "line", label: data.text.required, data: data.required, borderColor: GREY, backgroundColor: GREY, stepped: "middle", pointRadius: 0, borderWidth: 2, order: 0 },
          { type: "bar", label: data.text.on_duty, data: data.on_duty, backgroundColor: "rgba(36, 88, 211, 0.55)", borderWidth: 0, order: 2, barPercentage: 1, categoryPercentage: 1 },
          { type: "bar", label: data.text.short, data: data.short.map(function (v) { return v ? -v : null; }), backgroundColor: RED, order: 1, barPercentage: 1, categoryPercentage: 1 },
          { type: "bar", label: data.text.surplus, data: data.surplus.map(function (v) { return v || null; }), backgroundColor: AMBER, order: 1, barPercentage: 1, categoryPercentage: 1 }
        ]
      },
      options: window.goaldesk.chartOptions({
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { rtl: data.rtl, textDirection: dir, position: "bottom" },
          tooltip: {
            rtl: data.rtl, textDirection: dir,
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + window.goaldesk.number(Math.abs(ctx.parsed.y)); },
              afterBody: function (items) {
                var skills = data.skills_short[items[0].dataIndex];
                return skills ? data.text.short + ": " + skills : "";
              }
            }
          }
        },
        scales: {
          x: { reverse: data.rtl, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 14 } },
          y: { position: data.rtl ? "right" : "left", title: { display: true, text: data.text.agents }, ticks: { precision: 0 } }
        }
      })
    });
    canvas.dataset.ready = "1";
  }

  // Destructive buttons (data-confirm) ask once before their form is posted.
  function confirmDestructive() {
    document.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }

  ready(coverageChart);
  ready(confirmDestructive);
})();
