// newsmon page behaviour. Reading works without it; it saves clicks, and gives the chart its
// tooltip and arrow keys.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  searchForm();
  chart();
});

function searchForm() {
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
  const box = document.getElementById("q");
  document.addEventListener("keydown", (event) => {
    if (event.key === "/" && box && document.activeElement !== box) {
      event.preventDefault();
      box.focus();
    }
  });
}

// The date chart: a tooltip per bar (matches and stored volume) on hover and on focus; one tab
// stop, the arrow keys (and Home, End) move between bars, Enter narrows the dates as a click does.
function chart() {
  const figure = document.getElementById("chart");
  const tip = document.getElementById("chart-tip");
  if (!figure || !tip) return;
  const bars = Array.from(figure.querySelectorAll("a.bar"));
  for (const bar of bars) {
    const title = bar.querySelector("title"); // the browser's own tooltip would show beside this one
    if (title) title.remove();
  }
  const show = (bar) => {
    const matches = Number(bar.dataset.matches), volume = Number(bar.dataset.volume);
    const share = volume ? ` (${Math.round((100 * matches) / volume)}%)` : "";
    tip.textContent = `${bar.dataset.label}: ${matches} matches of ${volume} stored${share}`;
    const frame = figure.getBoundingClientRect();
    const tops = Array.from(bar.querySelectorAll(".matches, .volume"), (r) => r.getBoundingClientRect().top);
    const box = bar.querySelector(".hitbox").getBoundingClientRect();
    tip.style.left = `${box.left - frame.left + box.width / 2}px`;
    tip.style.top = `${Math.min(...tops) - frame.top - 4}px`;
    tip.hidden = false;
  };
  const hide = () => { tip.hidden = true; };
  const current = (bar) => bars.forEach((b) => b.setAttribute("tabindex", b === bar ? "0" : "-1"));
  if (bars.length) current(bars[0]);
  bars.forEach((bar, i) => {
    bar.addEventListener("mouseenter", () => show(bar));
    bar.addEventListener("mouseleave", hide);
    bar.addEventListener("focus", () => { current(bar); show(bar); });
    bar.addEventListener("blur", hide);
    bar.addEventListener("keydown", (event) => {
      const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: bars.length - 1 };
      if (event.key in moves) {
        event.preventDefault();
        bars[Math.max(0, Math.min(bars.length - 1, moves[event.key]))].focus();
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        window.location.assign(bar.getAttribute("href"));
      }
    });
  });
}
