// newsmon page behaviour. Reading works without it; it saves clicks, gives the chart its tooltip
// and arrow keys, and sends the Alerts page's writes to the API with the key the user entered.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  searchForm();
  chart();
  alertsPage();
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

// The Alerts page: the API key lives in this tab's sessionStorage only (never in the page, a
// cookie or a URL) and goes out as the X-API-Key header of the page's writes; a refusal shows
// the API's own error.
const KEY = "newsmon.apiKey";
const NOTE = "newsmon.alertsNote"; // what the write before a reload did

function alertsPage() {
  const keyBox = document.getElementById("api-key");
  if (!keyBox) return;
  const state = document.getElementById("key-state");
  const forget = document.getElementById("key-forget");
  const status = document.getElementById("alert-status");
  const say = (text, ok) => {
    status.textContent = text;
    status.className = ok ? "ok" : "error";
    status.hidden = false;
  };
  const showKey = () => {
    const has = Boolean(sessionStorage.getItem(KEY));
    state.textContent = has ? "A key is in use for this browser session." : "No key entered.";
    forget.hidden = !has;
  };
  const useKey = () => {
    if (keyBox.value) sessionStorage.setItem(KEY, keyBox.value);
    keyBox.value = "";
    showKey();
  };
  document.getElementById("key-save").addEventListener("click", useKey);
  keyBox.addEventListener("keydown", (event) => { if (event.key === "Enter") useKey(); });
  forget.addEventListener("click", () => { sessionStorage.removeItem(KEY); showKey(); });
  showKey();
  const note = sessionStorage.getItem(NOTE);
  if (note) {
    sessionStorage.removeItem(NOTE);
    say(note, true);
  }
  const done = (text) => {
    sessionStorage.setItem(NOTE, text);
    window.location.assign("/alerts");
  };
  document.getElementById("alert-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = alertBody(new FormData(event.target));
    say(`Saving ${body.name}…`, true);
    const refused = await send("POST", "/api/alerts", body);
    if (refused) say(refused, false);
    else done(`Saved alert ${body.name}. Webhook bodies are signed with its secret: \`newsmon alerts show ${body.name}\` prints it.`);
  });
  for (const button of document.querySelectorAll("button.remove")) {
    button.addEventListener("click", async () => {
      const name = button.dataset.name;
      if (button.dataset.armed !== "yes") { // a second click removes: one stray click does not
        button.dataset.armed = "yes";
        button.textContent = `Remove ${name}: click again`;
        return;
      }
      say(`Removing ${name}…`, true);
      const refused = await send("DELETE", `/api/alerts/${encodeURIComponent(name)}`);
      if (refused) say(refused, false);
      else done(`Removed alert ${name}.`);
    });
  }
}

function alertBody(data) {
  const list = (name) => (data.get(name) || "").split(/[\n,]/).map((v) => v.trim()).filter(Boolean);
  const body = { name: data.get("name").trim(), query: data.get("query") || "", per: data.get("per") || "article" };
  for (const name of ["languages", "sources", "entities", "webhooks", "emails"]) {
    const values = list(name);
    if (values.length) body[name] = values;
  }
  if (data.get("digest")) body.digest = data.get("digest");
  return body;
}

// null when the API accepted the write; else its error, as "401 X-API-Key: a valid … is required"
async function send(method, path, body) {
  const headers = { Accept: "application/json" };
  const key = sessionStorage.getItem(KEY);
  if (key) headers["X-API-Key"] = key;
  if (body) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  } catch (error) {
    return `not sent: ${error.message}`;
  }
  if (response.ok) return null;
  try {
    const error = (await response.json()).error;
    return `${response.status} ${error.param ? error.param + ": " : ""}${error.message}`;
  } catch (_) {
    return `${response.status} ${response.statusText}`;
  }
}
