/* Applies the reader's remembered preferences before the first paint, so the
   page does not jump: text size (and, for articles, the view mode). */
(function () {
  "use strict";
  try {
    var scale = parseFloat(window.localStorage.getItem("reader.fontScale"));
    if (scale >= 0.7 && scale <= 2) {
      document.documentElement.style.setProperty("--font-scale", String(scale));
    }
  } catch (error) {
    /* storage disabled: defaults apply */
  }
})();
