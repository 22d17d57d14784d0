// Search with pagefind's index (built into pagefind/ at the site root by `citeguide build`),
// from the box in every page's header.
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const panel = document.getElementById("search-panel");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
// This script lives in <site root>/assets/, whatever page loads it.
const base = new URL("../", import.meta.url);
let pagefind = null;
// Without JavaScript the form could do nothing, so it starts hidden; shown here.
form.hidden = false;

async function search() {
  const query = input.value.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  if (!pagefind) {
    pagefind = await import(new URL("pagefind/pagefind.js", base).href);
    await pagefind.options({ baseUrl: base.pathname });
  }
  const found = await pagefind.debouncedSearch(query);
  if (found === null) return; // superseded by a newer query
  const pages = await Promise.all(found.results.slice(0, 10).map((r) => r.data()));
  list.replaceChildren(...pages.map((page) => {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = page.url;
    link.textContent = page.meta.title;
    const excerpt = document.createElement("p");
    excerpt.innerHTML = page.excerpt; // pagefind escapes the page text and adds <mark>
    item.append(link, excerpt);
    return item;
  }));
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
