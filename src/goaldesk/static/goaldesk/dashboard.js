/* GoalDesk dashboard: charts and sparklines from the page's JSON (#dashboard-data), tabs. */
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  var PALETTE = ["#2458d3", "#1f8a4c", "#b7791f", "#c2372b", "#7b4fc9", "#0f8b8d", "#5d6677"];

  function baseOptions(data) {
    return window.goaldesk.chartOptions({
      responsive: true,
      maintainAspectRatio: true,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { rtl: data.rtl, textDirection: data.rtl ? "rtl" : "ltr", position: "bottom" },
        tooltip: { rtl: data.rtl, textDirection: data.rtl ? "rtl" : "ltr" }
      },
      scales: { x: { reverse: data.rtl, ticks: { maxRotation: 0, autoSkip: true } }, y: { beginAtZero: true, position: data.rtl ? "right" : "left" } }
    });
  }

  function charts(data) {
    if (typeof Chart === "undefined") return;
    var contacts = document.getElementById("chart-contacts");
    if (contacts) {
      var opts = baseOptions(data);
      opts.scales.x.stacked = true;
      opts.scales.y.stacked = true;
      new Chart(contacts, {
        type: "bar",
        data: {
          labels: data.days,
          datasets: data.channels.map(function (c, i) {
            return { label: c.label, data: c.data, backgroundColor: PALETTE[i % PALETTE.length] };
          })
        },
        options: opts
      });
    }
    var times = document.getElementById("chart-times");
    if (times) {
      new Chart(times, {
        type: "line",
        data: {
          labels: data.days,
          datasets: [
            { label: data.text.firstResponse, data: data.firstResponse, borderColor: PALETTE[0], backgroundColor: PALETTE[0], spanGaps: true },
            { label: data.text.resolution, data: data.resolution, borderColor: PALETTE[2], backgroundColor: PALETTE[2], spanGaps: true }
          ]
        },
        options: baseOptions(data)
      });
    }
    var csat = document.getElementById("chart-csat");
    if (csat) {
      var csatOpts = baseOptions(data);
      csatOpts.scales.y.max = 100;
      new Chart(csat, {
        type: "line",
        data: { labels: data.days, datasets: [{ label: data.text.csat, data: data.csat, borderColor: PALETTE[1], backgroundColor: PALETTE[1], spanGaps: true }] },
        options: csatOpts
      });
    }
    document.querySelectorAll("canvas[data-spark]").forEach(function (canvas) {
      var series = data.sparks[canvas.dataset.spark] || [];
      if (!series.some(function (v) { return v !== null; })) return;
      new Chart(canvas, {
        type: "line",
        data: { labels: data.days, datasets: [{ data: series, borderColor: PALETTE[0], borderWidth: 1.5, pointRadius: 0, spanGaps: true, fill: false }] },
        options: window.goaldesk.chartOptions({
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false }, tooltip: { enabled: false } },
          scales: { x: { display: false, reverse: data.rtl }, y: { display: false } }
        })
      });
    });
  }

  function tabs() {
    var buttons = document.querySelectorAll(".tabs .tab");
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        buttons.forEach(function (b) { b.setAttribute("aria-selected", b === button ? "true" : "false"); });
      });
    });
  }

  function customPeriod() {
    /* Typing a date means "custom period". */
    ["f-from", "f-to"].forEach(function (id) {
      var input = document.getElementById(id);
      if (!input) return;
      input.addEventListener("change", function () {
        var custom = document.querySelector("input[name=period][value=custom]");
        if (custom) custom.checked = true;
      });
    });
  }

  ready(function () {
    var node = document.getElementById("dashboard-data");
    if (node) charts(JSON.parse(node.textContent));
    tabs();
    customPeriod();
  });
})();
