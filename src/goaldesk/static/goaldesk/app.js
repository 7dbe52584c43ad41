// Behaviour every page shares. No inline event handlers anywhere: the Content-Security-Policy
// refuses them, so they are attached here.

// A <select data-autosubmit> sends its form as soon as another option is chosen.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-autosubmit") && field.form) {
    field.form.submit();
  }
});
