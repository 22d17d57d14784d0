// Search with pagefind's index (built into ./pagefind/ by `citeguide build`).
const form = document.getElementById("search-form");
const input = document.getElementById("search-input");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const base = new URL(".", document.baseURI);
let pagefind = null;
// Without JavaScript the form could do nothing, so it starts hidden; shown here.
form.hidden = false;

async function search() {
  const query = input.value.trim();
  if (!query) {
    list.replaceChildren();
    status.textContent = "";
    return;
  }
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
