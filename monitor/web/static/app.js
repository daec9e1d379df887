// newsmon page behaviour: the page works without it; this only saves clicks.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("search");
  if (!form) return;
  // a new interval or sort applies at once, as a link would
  for (const select of form.querySelectorAll("select")) {
    select.addEventListener("change", () => form.requestSubmit());
  }
  // and so does grouping by story (a checkbox: &group=story)
  const group = document.getElementById("group");
  if (group) group.addEventListener("change", () => form.requestSubmit());
  // "/" focuses the search box, as on most search sites
  document.addEventListener("keydown", (event) => {
    const box = document.getElementById("q");
    if (event.key === "/" && document.activeElement !== box) {
      event.preventDefault();
      box.focus();
    }
  });
});
