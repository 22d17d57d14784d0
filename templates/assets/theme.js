// Runs before the first paint (loaded without defer or async), so that nothing moves once
// the page is shown: the reader's theme choice applies at once, and the controls that need
// JavaScript (theme toggle, search) take their place from the start instead of appearing
// after load (style.css shows them under `html.js`).
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  // Opened from disk (file://), the browser refuses to fetch the search index: the search
  // box is left out rather than shown broken. `citeguide serve` serves the whole site.
  if (location.protocol === "file:") root.classList.add("from-disk");
  try {
    var theme = localStorage.getItem("citeguide-theme");
    if (theme === "light" || theme === "dark") root.dataset.theme = theme;
  } catch (e) {
    // storage refused: the system theme applies
  }
})();
