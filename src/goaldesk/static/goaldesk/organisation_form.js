// A new organisation's short name follows its name as it is typed (as the server would make it
// from the name), until the person types a short name of their own.
(() => {
  const slug = document.querySelector("input[data-slug-from]");
  const name = slug && document.getElementById(slug.dataset.slugFrom);
  if (!name) return;
  // Django's slugify: accents dropped, anything but letters, digits, _ and - removed,
  // spaces and hyphens run together into one hyphen.
  const slugify = (text) => text.normalize("NFKD").replace(/[^\x00-\x7F]/g, "").toLowerCase()
    .replace(/[^\w\s-]/g, "").replace(/[-\s]+/g, "-").replace(/^[-_]+|[-_]+$/g, "").slice(0, 50);
  let typedByHand = slug.value !== "" && slug.value !== slugify(name.value);
  slug.addEventListener("input", () => { typedByHand = slug.value !== ""; });
  name.addEventListener("input", () => {
    if (!typedByHand) slug.value = slugify(name.value);
  });
})();
