/* Reader behaviour: text size control (remembered), language switch. */
(function () {
  "use strict";

  var MIN = 0.8;
  var MAX = 1.8;
  var STEP = 0.1;

  function store(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode */ }
  }

  function currentScale() {
    var value = parseFloat(getComputedStyle(document.documentElement).getPropertyValue("--font-scale"));
    return isNaN(value) ? 1 : value;
  }

  function showScale(scale) {
    document.querySelectorAll(".font-size-value").forEach(function (output) {
      output.textContent = Math.round(scale * 100) + "%";
    });
  }

  function setScale(scale) {
    scale = Math.min(MAX, Math.max(MIN, Math.round(scale * 10) / 10));
    document.documentElement.style.setProperty("--font-scale", String(scale));
    store("reader.fontScale", String(scale));
    showScale(scale);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-font-step]");
    if (button) {
      setScale(currentScale() + STEP * parseInt(button.getAttribute("data-font-step"), 10));
    }
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  showScale(currentScale());
})();
