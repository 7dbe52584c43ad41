/* GoalDesk planning: forecast-vs-actuals and requirement charts from the page's JSON.
   The requirement chart is redrawn after htmx swaps in a what-if result. */
(function () {
  "use strict";

  var BLUE = "#2458d3", GREEN = "#1f8a4c", AMBER = "#b7791f", GREY = "#5d6677";
  var charts = {};

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function read(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function options(data) {
    return window.goaldesk.intervalChartOptions(data.rtl);
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    if (charts[id]) charts[id].destroy();
    charts[id] = new Chart(canvas, config);
  }

  function forecastChart() {
    var data = read("forecast-data");
    if (!data) return;
    draw("chart-forecast", {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: data.text.actual, data: data.actual, borderColor: GREY, backgroundColor: GREY, pointRadius: 0, borderWidth: 1.5 },
          { label: data.text.upper, data: data.upper, borderColor: "transparent", backgroundColor: "rgba(36, 88, 211, 0.15)", pointRadius: 0, fill: "+1" },
          { label: data.text.lower, data: data.lower, borderColor: "transparent", backgroundColor: "rgba(36, 88, 211, 0.15)", pointRadius: 0, fill: false },
          { label: data.text.forecast, data: data.forecast, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 2 }
        ]
      },
      options: options(data)
    });
  }

  function requirementChart() {
    var data = read("requirement-data");
    if (!data) return;
    var opts = options(data);
    opts.scales.y2 = {
      beginAtZero: true, position: data.rtl ? "left" : "right", grid: { drawOnChartArea: false },
      ticks: { callback: function (value) { return window.goaldesk.number(value); } }
    };
    draw("chart-requirement", {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.text.agents, data: data.agents, backgroundColor: GREEN },
          { type: "line", label: data.text.gross, data: data.gross, borderColor: AMBER, backgroundColor: AMBER, pointRadius: 0, stepped: true },
          { type: "line", label: data.text.volume, data: data.volume, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 1, yAxisID: "y2" }
        ]
      },
      options: opts
    });
  }

  ready(function () {
    forecastChart();
    requirementChart();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "requirement") requirementChart();
    });
  });
})();
