// citeguide's page behaviour. Without JavaScript every part still works: tooltips open
// on hover and focus (CSS), references jump to their entries, sections stay collapsible.
const root = document.documentElement;
root.classList.add("js");

// ---------------------------------------------------------------- theme toggle
// auto follows the system; light and dark are remembered in localStorage.
const THEMES = ["auto", "light", "dark"];
const toggle = document.getElementById("theme-toggle");
function currentTheme() {
  return root.dataset.theme === "light" || root.dataset.theme === "dark" ? root.dataset.theme : "auto";
}
function showTheme() {
  const theme = currentTheme();
  toggle.textContent = `Theme: ${theme}`;
  toggle.setAttribute("aria-label", `Colour theme: ${theme}. Change theme`);
}
if (toggle) {
  toggle.hidden = false;
  showTheme();
  toggle.addEventListener("click", () => {
    const next = THEMES[(THEMES.indexOf(currentTheme()) + 1) % THEMES.length];
    if (next === "auto") delete root.dataset.theme;
    else root.dataset.theme = next;
    try {
      if (next === "auto") localStorage.removeItem("citeguide-theme");
      else localStorage.setItem("citeguide-theme", next);
    } catch {
      // storage refused (private mode): the choice lasts for this page only
    }
    showTheme();
  });
}

// ---------------------------------------------------------------- disclosure
// A link to something inside a closed <details> opens it first.
function reveal(hash) {
  if (!hash || hash.length < 2) return;
  let target = null;
  try {
    target = document.getElementById(decodeURIComponent(hash.slice(1)));
  } catch {
    return;
  }
  for (let d = target && target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
    d.open = true;
  }
}
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element && event.target.closest('a[href^="#"]');
  if (link) reveal(link.getAttribute("href"));
}, true);
window.addEventListener("hashchange", () => reveal(location.hash));
reveal(location.hash);

// The table of contents is open beside the text on wide screens, folded on phones.
const toc = document.querySelector(".toc-details");
if (toc) {
  const wide = window.matchMedia("(min-width: 75rem)");
  const fit = () => { toc.open = wide.matches; };
  fit();
  wide.addEventListener("change", fit);
}

// Print everything: open every disclosure before printing, restore it after.
let closedForPrint = [];
window.addEventListener("beforeprint", () => {
  closedForPrint = [...document.querySelectorAll("details:not([open])")];
  for (const d of closedForPrint) d.open = true;
});
window.addEventListener("afterprint", () => {
  for (const d of closedForPrint) d.open = false;
  closedForPrint = [];
});

// ---------------------------------------------------------------- tooltips
// Reference and figure tooltips become popovers: shown in the top layer (never clipped by
// a table), placed inside the viewport, kept open while hovered, closed by Escape, and
// opened in place by a tap (a second tap follows the link).
const MARGIN = 8;
const tips = [...document.querySelectorAll(".cite-tip, .calc-tip")];
let open = null;
let closeTimer = 0;
let lastPointer = "mouse";

function place(tip, anchor) {
  const box = anchor.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  tip.style.maxWidth = `${Math.min(384, width - 2 * MARGIN)}px`;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.max(MARGIN, Math.min(box.left, width - w - MARGIN));
  let top = box.bottom + 4;
  if (top + h > height - MARGIN && box.top - h - 4 >= MARGIN) top = box.top - h - 4;
  tip.style.left = `${left}px`;
  tip.style.top = `${Math.max(MARGIN, top)}px`;
}

function show(tip, anchor) {
  clearTimeout(closeTimer);
  if (open && open.tip !== tip) hide();
  if (!tip.matches(":popover-open")) tip.showPopover();
  open = { tip, anchor };
  anchor.setAttribute("aria-expanded", "true");
  place(tip, anchor);
}

function hide() {
  clearTimeout(closeTimer);
  if (!open) return;
  if (open.tip.matches(":popover-open")) open.tip.hidePopover();
  open.anchor.setAttribute("aria-expanded", "false");
  open = null;
}

function hideSoon() {
  clearTimeout(closeTimer);
  closeTimer = setTimeout(hide, 250);
}

if (tips.length && HTMLElement.prototype.hasOwnProperty("popover")) {
  root.classList.add("popovers");
  for (const tip of tips) {
    const anchor = tip.previousElementSibling;
    if (!anchor) continue;
    tip.setAttribute("popover", "manual");
    anchor.setAttribute("aria-expanded", "false");
    // Hover is a mouse's: a tap's emulated pointer events are handled by the click below.
    anchor.addEventListener("pointerenter", (event) => { if (event.pointerType === "mouse") show(tip, anchor); });
    anchor.addEventListener("pointerleave", (event) => { if (event.pointerType === "mouse") hideSoon(); });
    tip.addEventListener("pointerenter", () => clearTimeout(closeTimer));
    tip.addEventListener("pointerleave", (event) => { if (event.pointerType === "mouse") hideSoon(); });
    anchor.addEventListener("focus", () => show(tip, anchor));
    anchor.addEventListener("blur", (event) => {
      if (!(event.relatedTarget instanceof Node && tip.contains(event.relatedTarget))) hideSoon();
    });
    tip.addEventListener("focusout", (event) => {
      if (!(event.relatedTarget instanceof Node && (tip.contains(event.relatedTarget) || event.relatedTarget === anchor))) hideSoon();
    });
    anchor.addEventListener("pointerdown", (event) => {
      anchor.dataset.wasOpen = String(Boolean(open && open.tip === tip));
      lastPointer = event.pointerType || "mouse";
    });
    anchor.addEventListener("click", (event) => {
      // A tap opens the tooltip where the reference is; the next tap follows the link.
      const tap = lastPointer === "touch" || lastPointer === "pen";
      if (tap && anchor.dataset.wasOpen !== "true") {
        event.preventDefault();
        show(tip, anchor);
      } else {
        hide();
      }
    });
  }
  document.addEventListener("pointerdown", (event) => {
    lastPointer = event.pointerType || "mouse";
    if (open && event.target instanceof Node && !open.tip.contains(event.target) && !open.anchor.contains(event.target)) hide();
  }, true);
  document.addEventListener("keydown", (event) => {
    lastPointer = "keyboard";
    if (event.key === "Escape" && open) {
      const anchor = open.anchor;
      const inside = open.tip.contains(document.activeElement);
      hide();
      if (inside) anchor.focus({ preventScroll: true });
    }
  });
  // Keep the open tooltip with its reference; once the reference scrolls away, close it.
  const follow = () => {
    if (!open) return;
    const box = open.anchor.getBoundingClientRect();
    if (box.bottom < 0 || box.top > window.innerHeight) hide();
    else place(open.tip, open.anchor);
  };
  window.addEventListener("scroll", follow, { passive: true });
  window.addEventListener("resize", follow);
}
