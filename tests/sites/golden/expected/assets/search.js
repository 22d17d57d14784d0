// Search with pagefind's index (built into pagefind/ at the site root by `citeguide build`),
// from the box in every page's header. A classic deferred script (see site.js); pagefind
// itself is a module, imported when the reader first types.
(function () {
"use strict";
// Opened from disk the browser refuses to fetch the index; theme.js has left the box out.
if (location.protocol === "file:") return;
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const panel = document.getElementById("search-panel");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
// This script lives in <site root>/assets/, whatever page loads it.
const base = new URL("../", document.currentScript.src);
const SECTIONS = 3; // matching sections shown under each guide
let pagefind = null;

function link(url, text, className) {
  const a = document.createElement("a");
  a.href = url;
  a.textContent = text;
  if (className) a.className = className;
  return a;
}

function excerpt(html) {
  const p = document.createElement("p");
  p.innerHTML = html; // pagefind escapes the page text and adds <mark>
  return p;
}

// A guide's result leads to the sections that matched (pagefind's sub-results, each with
// the heading's anchor), so a reader lands on the answer, not the top of the page.
function result(page) {
  const item = document.createElement("li");
  item.append(link(page.url, page.meta.title), excerpt(page.excerpt));
  const sections = (page.sub_results || []).filter((sub) => sub.anchor && sub.url !== page.url);
  if (sections.length) {
    const within = document.createElement("ul");
    within.className = "search-sections";
    for (const sub of sections.slice(0, SECTIONS)) {
      const entry = document.createElement("li");
      entry.append(link(sub.url, sub.title, "search-section"), excerpt(sub.excerpt));
      within.append(entry);
    }
    item.append(within);
  }
  return item;
}

// A large site's index comes in parts (pagefind/parts.json lists the others), each
// indexed on its own so that an edit re-indexes one part: searched as one.
async function load() {
  const api = await import(new URL("pagefind/pagefind.js", base).href);
  await api.options({ baseUrl: base.pathname });
  const parts = await fetch(new URL("pagefind/parts.json", base))
    .then((response) => (response.ok ? response.json() : []))
    .catch(() => []);
  for (const part of parts) {
    await api.mergeIndex(new URL(part, base).pathname, { baseUrl: base.pathname });
  }
  return api;
}

async function search() {
  const query = input.value.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  pagefind = pagefind || load();
  const found = await (await pagefind).debouncedSearch(query);
  if (found === null) return; // superseded by a newer query
  const pages = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  list.replaceChildren(...pages.map(result));
  const n = found.results.length;
  status.textContent = `${n} guide${n === 1 ? "" : "s"} found`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search();
});
input.addEventListener("input", search);
input.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && input.value) {
    input.value = "";
    search();
  }
});
})();
