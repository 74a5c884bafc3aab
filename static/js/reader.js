/* Reader behaviour: text size and view mode (both remembered), highlighting a
   paragraph's counterpart in the other column, language switch. */
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

  function showMode(mode) {
    document.querySelectorAll("[data-view-mode]").forEach(function (button) {
      if (button.tagName === "BUTTON") {
        button.setAttribute("aria-pressed", String(button.getAttribute("data-view-mode") === mode));
      }
    });
  }

  function setMode(mode) {
    if (mode === "both") {
      document.documentElement.removeAttribute("data-view-mode");
    } else {
      document.documentElement.setAttribute("data-view-mode", mode);
    }
    store("reader.viewMode", mode);
    showMode(mode);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-view-mode]");
    if (button) {
      setMode(button.getAttribute("data-view-mode"));
    }
  });

  // Hovering or focusing a cell highlights the other cell of its row.
  function counterpart(cell) {
    var row = cell.closest(".row");
    if (!row) { return null; }
    var selector = cell.classList.contains("cell-original") ? ".cell-translation" : ".cell-original";
    return row.querySelector(selector);
  }

  function mark(event, on) {
    var cell = event.target.closest && event.target.closest(".rows .cell");
    if (!cell || cell.closest(".row-head")) { return; }
    var other = counterpart(cell);
    cell.classList.toggle("is-active", on);
    if (other) { other.classList.toggle("is-counterpart", on); }
  }

  document.addEventListener("mouseover", function (event) { mark(event, true); });
  document.addEventListener("mouseout", function (event) { mark(event, false); });
  document.addEventListener("focusin", function (event) { mark(event, true); });
  document.addEventListener("focusout", function (event) { mark(event, false); });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  showScale(currentScale());
  showMode(document.documentElement.getAttribute("data-view-mode") || "both");
})();
