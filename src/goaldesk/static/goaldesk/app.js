// Behaviour every page shares. No inline event handlers anywhere: the Content-Security-Policy
// refuses them, so they are attached here.

// A <select data-autosubmit> sends its form as soon as another option is chosen.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});

// Numbers drawn by scripts (chart axes and tooltips) are written like the rest of the page: the
// server puts the reader's number locale on <body data-number-locale> ('fa' → ۱۲۳, 'ar-u-nu-arab'
// → ١٢٣, 'ar-u-nu-latn', 'de', 'en'), and Intl writes digits, separators and minus signs for it.
window.goaldesk = (() => {
  const root = document.documentElement;
  const locale = (document.body && document.body.dataset.numberLocale) || root.lang || "en";
  const rtl = root.dir === "rtl";
  const formats = {};
  const number = (value, decimals) => {
    if (value === null || value === undefined || Number.isNaN(value)) return "";
    const key = decimals === undefined ? "auto" : String(decimals);
    if (!formats[key]) {
      formats[key] = new Intl.NumberFormat(locale, decimals === undefined
        ? { maximumFractionDigits: 2 }
        : { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    }
    return formats[key].format(value);
  };
  // Chart.js formats tooltips with options.locale, but writes an axis's zero as a Latin "0":
  // every value axis (y, y2 …) gets a tick callback that writes all of them.
  const chartOptions = (options) => {
    options.locale = locale;
    Object.keys(options.scales || {}).forEach((id) => {
      if (id.charAt(0) !== "y") return;
      const scale = options.scales[id];
      scale.ticks = scale.ticks || {};
      if (!scale.ticks.callback) scale.ticks.callback = (value) => number(value);
    });
    return options;
  };
  // A day's intervals along x (forecast, today): time runs with the reading direction, the legend
  // and tooltips read in it, and the value axis stands at the start of the line.
  const intervalChartOptions = (rtl) => chartOptions({
    responsive: true,
    animation: false,
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: { rtl, textDirection: rtl ? "rtl" : "ltr", position: "bottom" },
      tooltip: { rtl, textDirection: rtl ? "rtl" : "ltr" }
    },
    scales: {
      x: { reverse: rtl, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 14 } },
      y: { beginAtZero: true, position: rtl ? "right" : "left" }
    }
  });
  return { locale, rtl, number, chartOptions, intervalChartOptions };
})();
