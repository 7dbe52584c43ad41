// The goal page's chart: actual against plan, with milestones, projection and target.
(function () {
  "use strict";
  function draw() {
    var node = document.getElementById("goal-chart-data");
    var canvas = document.getElementById("goal-chart");
    if (!node || !canvas || typeof Chart === "undefined") return;
    var data = JSON.parse(node.textContent);
    var t = data.text;
    new Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels,
        datasets: [
          { label: t.actual, data: data.actual, borderColor: "#2456d6", backgroundColor: "#2456d6", spanGaps: true, pointRadius: 0, borderWidth: 2 },
          { label: t.plan, data: data.plan, borderColor: "#8a94a6", borderDash: [6, 4], pointRadius: 0, borderWidth: 1.5 },
          { label: t.projection, data: data.projection, borderColor: "#c77700", borderDash: [2, 3], pointRadius: 0, borderWidth: 1.5 },
          { label: t.milestones, data: data.milestones, showLine: false, pointRadius: 6, pointStyle: "rectRot", borderColor: "#1b8a4b", backgroundColor: "#1b8a4b" },
          { label: t.target, data: data.labels.map(function () { return data.target; }), borderColor: "#1b8a4b", borderWidth: 1, pointRadius: 0 }
        ]
      },
      options: window.goaldesk.chartOptions({
        animation: false,
        responsive: true,
        interaction: { mode: "index", intersect: false },
        scales: { x: { reverse: !!data.rtl, ticks: { maxTicksLimit: 10 } }, y: { position: data.rtl ? "right" : "left" } },
        plugins: { legend: { rtl: !!data.rtl, position: "bottom" }, tooltip: { rtl: !!data.rtl } }
      })
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
