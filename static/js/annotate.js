/* Annotating by selection on the article's admin page.
   Offsets are computed here, never typed: Unicode code points (not UTF-16
   units) from the start of the paragraph's original text, in logical (DOM)
   order, which is what the server stores. */
(function () {
  "use strict";

  var form = document.querySelector(".annotate-form");
  if (!form) { return; }
  var field = function (name) { return form.elements[name]; };
  var status = form.querySelector(".annotate-selection");
  var errors = form.querySelector(".annotate-errors");

  function codePoints(text) { return Array.from(text).length; }

  function textBefore(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return range.toString();
  }

  function readSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return null; }
    var range = selection.getRangeAt(0);
    var start = range.startContainer.nodeType === 1 ? range.startContainer : range.startContainer.parentElement;
    var end = range.endContainer.nodeType === 1 ? range.endContainer : range.endContainer.parentElement;
    var container = start.closest(".annotate-text");
    if (!container || container !== end.closest(".annotate-text")) { return null; }
    var before = textBefore(container, range.startContainer, range.startOffset);
    var quote = range.toString();
    // Leave out spaces caught at either end of the selection.
    var lead = quote.length - quote.replace(/^\s+/, "").length;
    var trimmed = quote.trim();
    if (!trimmed) { return null; }
    var startAt = codePoints(before) + codePoints(quote.slice(0, lead));
    return {
      paragraph: container.getAttribute("data-paragraph"),
      position: container.getAttribute("data-position"),
      start: startAt,
      end: startAt + codePoints(trimmed),
      quote: trimmed
    };
  }

  function show(selected) {
    field("paragraph").value = selected.paragraph;
    field("start").value = selected.start;
    field("end").value = selected.end;
    field("quote").value = selected.quote;
    field("occurrence").value = 1;
    status.textContent = "¶" + selected.position + ": «" + selected.quote + "» (" + selected.start + "–" + selected.end + ")";
  }

  document.addEventListener("mouseup", function () { var s = readSelection(); if (s) { show(s); } });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") { var s = readSelection(); if (s) { show(s); } }
  });

  // Typing the words or choosing another paragraph by hand drops the offsets:
  // the server then finds the words in the paragraph.
  ["quote", "paragraph", "occurrence"].forEach(function (name) {
    field(name).addEventListener("input", function () {
      field("start").value = "";
      field("end").value = "";
      status.textContent = "";
    });
  });

  function showFieldsFor(kind) {
    var visible = {
      label: kind === "entity",
      entity: kind === "entity",
      proposed_text: kind === "correction",
      correction_target: kind === "correction",
      body: true
    };
    Object.keys(visible).forEach(function (name) {
      var wrapper = form.querySelector(".field-" + name);
      if (wrapper) { wrapper.hidden = !visible[name]; }
    });
  }
  field("kind").addEventListener("change", function () { showFieldsFor(field("kind").value); });
  showFieldsFor(field("kind").value);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.hidden = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json();
    }).then(function (data) {
      if (data.ok) {
        window.location.hash = "annotate";
        window.location.reload();
        return;
      }
      errors.textContent = data.errors.join(" ");
      errors.hidden = false;
    }).catch(function () {
      errors.textContent = "The annotation could not be sent; nothing was saved.";
      errors.hidden = false;
    });
  });
})();
