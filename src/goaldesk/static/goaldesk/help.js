// The public help centre. A page view is recorded by this POST once the page has loaded (a GET
// never changes data); the form #help-visit carries the CSRF token, the language and the article.
document.addEventListener("DOMContentLoaded", () => {
  const beacon = document.getElementById("help-visit");
  if (beacon) {
    fetch(beacon.action, {
      method: "POST",
      body: new FormData(beacon),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).catch(() => {});
  }
  // "What was missing?" appears once "No" is chosen (it is always there without scripts).
  const missing = document.getElementById("help-missing");
  if (missing) {
    const form = missing.closest("form");
    const sync = () => {
      const no = form.querySelector("input[name=helpful][value=no]");
      missing.hidden = !(no && no.checked);
    };
    form.addEventListener("change", sync);
    sync();
  }
});

// A <select data-autosubmit> sends its form as soon as another option is chosen.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
