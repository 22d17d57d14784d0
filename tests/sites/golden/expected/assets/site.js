// citeguide's page behaviour. Without JavaScript every part still works: tooltips open
// on hover and focus (CSS), references jump to their entries, sections stay collapsible.
// A classic deferred script, not a module: browsers refuse module scripts on pages opened
// from disk (file://), and the page should behave the same there.
(function () {
"use strict";
const root = document.documentElement;
root.classList.add("js");

// ---------------------------------------------------------------- opened from disk
// From file:// a link to a folder ("../tags/") shows a directory listing: point it at the
// folder's index.html instead. Served over HTTP, links stay as written.
if (location.protocol === "file:") {
  for (const link of document.querySelectorAll("a[href]")) {
    const href = link.getAttribute("href");
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/|#)/i.test(href)) continue;
    const [path, hash] = href.split("#", 2);
    if (path === "" || path.endsWith("/")) link.setAttribute("href", `${path || "./"}index.html${hash === undefined ? "" : "#" + hash}`);
  }
}

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
// opened in place by a tap (a second tap follows the link). The reference is the one Tab
// stop: the link inside its tooltip goes where the reference goes, so it is left out of
// the Tab order (tabindex="-1") and serves pointers only.
const MARGIN = 8;
const SWITCH_DELAY = 300; // ms: time to cross a neighbouring reference on the way to a tooltip
const tips = [...document.querySelectorAll(".cite-tip, .calc-tip")];
let open = null;
let closeTimer = 0;
let switchTimer = 0;
let lastPointer = "mouse";
let quiet = null; // an anchor given focus back by Escape: it stays closed

function place(tip, anchor) {
  const box = anchor.getBoundingClientRect();
  const width = document.documentElement.clientWidth;
  const height = window.innerHeight;
  tip.style.maxWidth = `${Math.min(384, width - 2 * MARGIN)}px`;
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const left = Math.max(MARGIN, Math.min(box.left, width - w - MARGIN));
  let top = box.bottom + 2;
  if (top + h > height - MARGIN && box.top - h - 2 >= MARGIN) top = box.top - h - 2;
  tip.style.left = `${left}px`;
  tip.style.top = `${Math.max(MARGIN, top)}px`;
}

function show(tip, anchor) {
  clearTimeout(closeTimer);
  clearTimeout(switchTimer);
  if (open && open.tip !== tip) hide();
  if (!tip.matches(":popover-open")) tip.showPopover();
  open = { tip, anchor };
  anchor.setAttribute("aria-expanded", "true");
  place(tip, anchor);
}

// `keepSwitch`: closing after the pointer left leaves a pending switch to another
// reference in place (the pointer rests there).
function hide(keepSwitch) {
  clearTimeout(closeTimer);
  if (!keepSwitch) clearTimeout(switchTimer);
  if (!open) return;
  if (open.tip.matches(":popover-open")) open.tip.hidePopover();
  open.anchor.setAttribute("aria-expanded", "false");
  open = null;
}

function hideSoon() {
  clearTimeout(closeTimer);
  closeTimer = setTimeout(() => hide(true), 250);
}

// Hover (WCAG 1.4.13): a tooltip stays open while the pointer travels onto it, even across
// the reference beside it ("700 W[7] [8]"): another reference opens its own tooltip only
// once the pointer rests on it, not while passing over it.
function hoverShow(tip, anchor) {
  clearTimeout(switchTimer);
  if (!open || open.tip === tip) show(tip, anchor);
  else switchTimer = setTimeout(() => show(tip, anchor), SWITCH_DELAY);
}

if (tips.length && HTMLElement.prototype.hasOwnProperty("popover")) {
  root.classList.add("popovers");
  for (const tip of tips) {
    const anchor = tip.previousElementSibling;
    if (!anchor) continue;
    tip.setAttribute("popover", "manual");
    anchor.setAttribute("aria-expanded", "false");
    // Hover is a mouse's: a tap's emulated pointer events are handled by the click below.
    anchor.addEventListener("pointerenter", (event) => { if (event.pointerType === "mouse") hoverShow(tip, anchor); });
    anchor.addEventListener("pointerleave", (event) => {
      if (event.pointerType !== "mouse") return;
      clearTimeout(switchTimer);
      if (open && open.tip === tip) hideSoon();
    });
    tip.addEventListener("pointerenter", () => { clearTimeout(closeTimer); clearTimeout(switchTimer); });
    tip.addEventListener("pointerleave", (event) => { if (event.pointerType === "mouse") hideSoon(); });
    anchor.addEventListener("focus", () => {
      if (quiet === anchor) return;
      show(tip, anchor);
    });
    anchor.addEventListener("blur", (event) => {
      if (quiet === anchor) quiet = null;
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
  // One Escape closes the open tooltip wherever focus or the pointer is. Focus inside the
  // tooltip goes back to its reference, which then stays closed until focus leaves it.
  document.addEventListener("keydown", (event) => {
    lastPointer = "keyboard";
    if (event.key !== "Escape" || !open) return;
    const anchor = open.anchor;
    const inside = open.tip.contains(document.activeElement);
    hide();
    if (inside) {
      quiet = anchor;
      anchor.focus({ preventScroll: true });
    } else if (document.activeElement === anchor) {
      quiet = anchor;
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
})();
