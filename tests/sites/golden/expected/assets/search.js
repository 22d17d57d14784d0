// Search with pagefind's index (built into pagefind/ at the site root by `citeguide build`),
// from the box in every page's header. A classic deferred script (see site.js); pagefind
// itself is a module, imported when the reader first goes to the box.
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
// indexed on its own so that an edit re-indexes one part: searched as one. The main
// index is loaded first (its entry file, metadata and WebAssembly: `filters` waits for
// them, and fails when they cannot load, where pagefind would wait for them without end
// before merging a part); then the parts are merged all at once. One after another, each
// waited two round trips (16 parts at 2,000 guides; docs/performance.md, "Search for
// readers"). After a failure pagefind is reset, so that the next attempt starts afresh.
async function load() {
  const api = await import(new URL("pagefind/pagefind.js", base).href);
  try {
    await api.options({ baseUrl: base.pathname });
    const listed = fetch(new URL("pagefind/parts.json", base))
      .then((response) => (response.ok ? response.json() : []))
      .catch(() => []);
    await api.filters();
    const parts = await listed;
    await Promise.all(
      parts.map((part) => api.mergeIndex(new URL(part, base).pathname, { baseUrl: base.pathname })),
    );
  } catch (error) {
    await api.destroy().catch(() => {});
    throw error;
  }
  return api;
}

// Loaded as soon as the reader goes to the box, not at the first letter: the index is
// on its way while the query is typed. An index that cannot be loaded is tried again at
// the next search, which says so.
function warm() {
  if (!pagefind) {
    pagefind = load();
    pagefind.catch(() => {
      pagefind = null;
    });
  }
  return pagefind;
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
  let found, pages;
  try {
    found = await (await warm()).debouncedSearch(query);
    if (found === null) return; // superseded by a newer query
    pages = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  } catch {
    list.replaceChildren();
    status.textContent = "Search is unavailable: its index could not be loaded.";
    return;
  }
  list.replaceChildren(...pages.map(result));
  const n = found.results.length;
  status.textContent = `${n} guide${n === 1 ? "" : "s"} found`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  search();
});
input.addEventListener("input", search);
input.addEventListener("focus", warm, { once: true });
input.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && input.value) {
    input.value = "";
    search();
  }
});
})();
