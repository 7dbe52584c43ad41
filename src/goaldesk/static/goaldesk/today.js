/* GoalDesk Today: contacts so far, the morning's forecast and the re-forecast per interval,
   from the page's JSON; redrawn when htmx swaps in the refreshed day. */
(function () {
  "use strict";

  var BLUE = "#2458d3", GREY = "#5d6677", AMBER = "#b7791f";
  var chart = null;

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  function draw() {
    var node = document.getElementById("today-data");
    var canvas = document.getElementById("chart-today");
    if (chart) { chart.destroy(); chart = null; }
    if (!node || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.text.actual, data: data.actual, backgroundColor: GREY },
          { type: "line", label: data.text.forecast, data: data.forecast, borderColor: BLUE, backgroundColor: BLUE, pointRadius: 0, borderWidth: 2 },
          { type: "line", label: data.text.reforecast, data: data.reforecast, borderColor: AMBER, backgroundColor: AMBER, pointRadius: 0, borderWidth: 2, borderDash: [6, 4] }
        ]
      },
      options: window.goaldesk.intervalChartOptions(data.rtl)
    });
  }

  ready(function () {
    draw();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "today") draw();
    });
  });
})();
