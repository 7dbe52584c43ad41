// The pulse page's trend: workload, fairness and confidence in the goals (1–5, left axis)
// beside the eNPS (−100 to 100, right axis), one point per closed round; hidden rounds are gaps.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("pulse-chart-data");
    var canvas = document.getElementById("pulse-chart");
    if (!node || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    var t = data.text;
    var rtl = !!data.rtl;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: t.workload, data: data.workload, borderColor: "#c77700", backgroundColor: "#c77700", yAxisID: "y", spanGaps: false, borderWidth: 2 },
          { label: t.fairness, data: data.fairness, borderColor: "#2456d6", backgroundColor: "#2456d6", yAxisID: "y", spanGaps: false, borderWidth: 2 },
          { label: t.confidence, data: data.confidence, borderColor: "#1b8a4b", backgroundColor: "#1b8a4b", yAxisID: "y", borderDash: [6, 4], borderWidth: 1.5 },
          { label: t.enps, data: data.enps, borderColor: "#8a4fb5", backgroundColor: "#8a4fb5", yAxisID: "y2", spanGaps: false, borderWidth: 2, pointStyle: "rectRot", pointRadius: 4 }
        ]
      },
      options: window.goaldesk.chartOptions({
        animation: false,
        responsive: true,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { reverse: rtl },
          y: { min: 1, max: 5, position: rtl ? "right" : "left" },
          y2: { min: -100, max: 100, position: rtl ? "left" : "right", grid: { drawOnChartArea: false } }
        },
        plugins: {
          legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
          tooltip: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr" }
        }
      })
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
