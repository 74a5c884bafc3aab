/* Applies the reader's remembered preferences before the first paint, so the
   page does not jump: text size, the view mode (side by side, original only, translation only), the hidden
   entity types and, on a phone, whether the options menu is open. */
(function () {
  "use strict";
  // Scripts run: the phone's options menu may start folded (reader.css).
  document.documentElement.classList.add("js");
  try {
    if (window.localStorage.getItem("reader.controlsOpen") === "1") {
      document.documentElement.classList.add("controls-open");
    }
    var scale = parseFloat(window.localStorage.getItem("reader.fontScale"));
    if (scale >= 0.7 && scale <= 2) {
      document.documentElement.style.setProperty("--font-scale", String(scale));
    }
    var mode = window.localStorage.getItem("reader.viewMode");
    if (mode === "original" || mode === "translation") {
      document.documentElement.setAttribute("data-view-mode", mode);
    }
    JSON.parse(window.localStorage.getItem("reader.hiddenEntityTypes") || "[]").forEach(function (type) {
      document.documentElement.classList.add("hide-" + type);
    });
  } catch (error) {
    /* storage disabled: defaults apply */
  }
})();
