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

  // Entity types: a toggle per type, remembered.
  function hiddenTypes() {
    try { return JSON.parse(window.localStorage.getItem("reader.hiddenEntityTypes") || "[]"); } catch (error) { return []; }
  }

  document.querySelectorAll("[data-entity-toggle]").forEach(function (box) {
    var type = box.getAttribute("data-entity-toggle");
    box.checked = hiddenTypes().indexOf(type) === -1;
    box.addEventListener("change", function () {
      var hidden = hiddenTypes().filter(function (t) { return t !== type; });
      if (!box.checked) { hidden.push(type); }
      document.documentElement.classList.toggle("hide-" + type, !box.checked);
      store("reader.hiddenEntityTypes", JSON.stringify(hidden));
    });
  });

  // One tooltip for every entity: type, English name, transliteration, articles.
  var tooltip = document.createElement("div");
  tooltip.className = "entity-tooltip";
  tooltip.id = "entity-tooltip";
  tooltip.setAttribute("role", "tooltip");
  tooltip.hidden = true;
  document.body.appendChild(tooltip);

  function line(className, text) {
    var element = document.createElement(className === "name" ? "strong" : "span");
    element.className = "tip-" + className;
    element.textContent = text;
    tooltip.appendChild(element);
    if (className !== "name") { tooltip.appendChild(document.createElement("br")); }
  }

  function showTip(entity) {
    tooltip.textContent = "";
    if (entity.classList.contains("annotation")) {
      line("type", entity.getAttribute("data-kind-label") || entity.getAttribute("data-kind"));
      line("note", entity.getAttribute("data-note") || "");
      place(entity);
      return;
    }
    line("type", entity.getAttribute("data-type-name") || entity.getAttribute("data-type"));
    if (entity.getAttribute("data-name-en")) { line("name", entity.getAttribute("data-name-en")); }
    // A romanisation nobody has checked yet says so.
    if (entity.getAttribute("data-name-note")) { line("namenote", entity.getAttribute("data-name-note")); }
    if (entity.getAttribute("data-translit")) { line("translit", entity.getAttribute("data-translit")); }
    // The server words the count in the page's language (Arabic has six plural forms).
    if (entity.getAttribute("data-count-label")) {
      line("count", entity.getAttribute("data-count-label"));
    }
    if (entity.getAttribute("title")) {
      entity.setAttribute("data-title", entity.getAttribute("title"));
      entity.removeAttribute("title");
    }
    entity.setAttribute("aria-describedby", "entity-tooltip");
    place(entity);
  }

  function place(entity) {
    tooltip.hidden = false;
    var box = entity.getBoundingClientRect();
    var top = window.scrollY + box.bottom + 6;
    var left = window.scrollX + box.left + box.width / 2 - tooltip.offsetWidth / 2;
    left = Math.max(window.scrollX + 4, Math.min(left, window.scrollX + document.documentElement.clientWidth - tooltip.offsetWidth - 4));
    tooltip.style.top = top + "px";
    tooltip.style.left = left + "px";
  }

  function hideTip(entity) {
    tooltip.hidden = true;
    // Annotations keep pointing at their note under the paragraph.
    if (entity && entity.classList.contains("entity")) { entity.removeAttribute("aria-describedby"); }
  }

  function entityOf(event) {
    return event.target.closest ? event.target.closest(".entity, .annotation") : null;
  }

  document.addEventListener("mouseover", function (event) { var e = entityOf(event); if (e) { showTip(e); } });
  document.addEventListener("mouseout", function (event) { var e = entityOf(event); if (e) { hideTip(e); } });
  document.addEventListener("focusin", function (event) { var e = entityOf(event); if (e) { showTip(e); } });
  document.addEventListener("focusout", function (event) { var e = entityOf(event); if (e) { hideTip(e); } });
  document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hideTip(null); } });

  // On a phone the options fold into one compact bar; open or closed is remembered.
  function showControls() {
    var open = document.documentElement.classList.contains("controls-open");
    document.querySelectorAll(".controls-toggle").forEach(function (button) {
      button.setAttribute("aria-expanded", String(open));
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest(".controls-toggle")) {
      var open = document.documentElement.classList.toggle("controls-open");
      store("reader.controlsOpen", open ? "1" : "0");
      showControls();
    }
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  showScale(currentScale());
  showControls();
  showMode(document.documentElement.getAttribute("data-view-mode") || "both");
})();
