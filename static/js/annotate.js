/* The annotation page in the admin: select words, annotate, edit, delete.
   Writes go through the site's W3C Web Annotation Protocol endpoint (POST to
   the article's container, PUT with If-Match, DELETE), with the admin's CSRF
   token. Offsets are computed here, never typed: Unicode code points (not
   UTF-16 units) from the start of the paragraph's original text, in logical
   (DOM) order, which is what the server stores. */
(function () {
  "use strict";

  var page = document.querySelector(".annotate-page");
  if (!page) { return; }
  var form = page.querySelector(".annotate-form");
  var statusBox = page.querySelector(".annotate-status");
  var MESSAGE_KEY = "annotate-message";
  var MOTIVATION = { note: "commenting", gloss: "describing", correction: "editing", entity: "tagging" };
  var KIND = { commenting: "note", describing: "gloss", editing: "correction", tagging: "entity" };
  var LD_JSON = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';

  function say(message, isError) {
    statusBox.textContent = message;
    statusBox.classList.toggle("errornote", !!isError);
    statusBox.hidden = false;
  }

  // A message saved before the reload that shows the saved annotation.
  var saved = window.sessionStorage.getItem(MESSAGE_KEY);
  if (saved) {
    window.sessionStorage.removeItem(MESSAGE_KEY);
    say(saved, false);
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(method, url, data, etag) {
    var headers = { "Accept": "application/ld+json", "X-CSRFToken": csrfToken() };
    if (data) { headers["Content-Type"] = LD_JSON; }
    if (etag) { headers["If-Match"] = etag; }
    return fetch(url, {
      method: method,
      headers: headers,
      body: data ? JSON.stringify(data) : undefined,
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 204) { return { response: response, data: null }; }
      return response.json().then(function (json) { return { response: response, data: json }; });
    });
  }

  function reloadAt(message, position) {
    window.sessionStorage.setItem(MESSAGE_KEY, message);
    var place = position ? "#annotate-p" + position : "#annotate";
    if (window.location.hash === place) { window.location.reload(); return; }
    window.location.hash = place;
    window.location.reload();
  }

  // --- Bulk decisions on entity suggestions ---------------------------------
  var suggestions = page.querySelector(".suggestions-form");
  if (suggestions) {
    var toggle = suggestions.querySelector(".suggestions-toggle");
    var boxes = suggestions.querySelectorAll("input[name=mention]");
    toggle.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = toggle.checked; });
    });
    suggestions.addEventListener("keydown", function (event) {
      if (event.target.tagName !== "INPUT" || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      var decision = key === "a" ? "confirm" : key === "r" ? "reject" : null;
      if (!decision) { return; }
      event.preventDefault();
      suggestions.querySelector("button[value=" + decision + "]").click();
    });
  }

  if (!form) { return; }
  var field = function (name) { return form.elements[name]; };
  var selectionLine = form.querySelector(".annotate-selection");
  var errors = form.querySelector(".annotate-errors");
  var title = form.querySelector(".annotate-form-title");
  var cancel = form.querySelector(".annotate-cancel");
  var editing = null; // {url, etag, data} of the annotation being edited

  function codePoints(text) { return Array.from(text).length; }

  // "¶1: «words» (3–8)", the Arabic isolated so that the line keeps its order.
  function describe(before, quote, after) {
    var q = document.createElement("q");
    q.lang = "ar";
    q.dir = "rtl";
    q.textContent = quote;
    selectionLine.replaceChildren(document.createTextNode(before), q, document.createTextNode(after || ""));
  }

  function paragraphElement(pk) { return page.querySelector('.annotate-text[data-paragraph="' + pk + '"]'); }

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

  // On a phone the form is under the text: a bar offers to go to it.
  var jump = page.querySelector(".annotate-jump");
  if (jump) { jump.addEventListener("click", function () { jump.hidden = true; }); }

  function show(selected) {
    if (editing) { return; }
    if (jump) {
      jump.querySelector("q").textContent = selected.quote;
      jump.hidden = false;
    }
    field("paragraph").value = selected.paragraph;
    field("start").value = selected.start;
    field("end").value = selected.end;
    field("quote").value = selected.quote;
    field("occurrence").value = 1;
    describe("¶" + selected.position + ": ", selected.quote, " (" + selected.start + "–" + selected.end + ")");
  }

  document.addEventListener("mouseup", function () { var s = readSelection(); if (s) { show(s); } });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey || event.key === "Shift") { var s = readSelection(); if (s) { show(s); } }
  });

  // Typing the words or choosing another paragraph by hand drops the offsets:
  // they are found again from the words and their occurrence.
  ["quote", "paragraph", "occurrence"].forEach(function (name) {
    field(name).addEventListener("input", function () {
      field("start").value = "";
      field("end").value = "";
      selectionLine.textContent = "";
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

  // Where the typed words are: the n-th occurrence in the paragraph's text, in code points.
  function located() {
    var element = paragraphElement(field("paragraph").value);
    if (!element) { return null; }
    var position = element.getAttribute("data-position");
    if (field("start").value !== "") {
      return { position: position, start: +field("start").value, end: +field("end").value, quote: field("quote").value };
    }
    var quote = field("quote").value.trim();
    if (!quote) { return { position: position }; }
    var text = element.textContent;
    var index = -1;
    for (var n = 0; n < Math.max(+field("occurrence").value || 1, 1); n += 1) {
      index = text.indexOf(quote, index + 1);
      if (index < 0) { return { position: position, quote: quote }; }
    }
    var start = codePoints(text.slice(0, index));
    return { position: position, start: start, end: start + codePoints(quote), quote: quote };
  }

  function textBody(purpose, value) { return { type: "TextualBody", purpose: purpose, value: value, format: "text/plain" }; }

  function bodies(kind) {
    var list = [];
    var body = field("body").value.trim();
    if (kind === "note" || kind === "gloss") { return [textBody(MOTIVATION[kind], field("body").value)]; }
    if (kind === "correction") {
      list.push(textBody("editing", field("proposed_text").value));
      var assessing = editing && editing.assessment ? editing.assessment : "open";
      list.push(textBody("assessing", assessing));
      list.push(textBody("classifying", field("correction_target").value || "source"));
    } else {
      list.push(textBody("tagging", field("label").value));
      if (field("entity").value) {
        list.push({ type: "SpecificResource", purpose: "identifying",
                    source: page.dataset.entityUrl.replace(/\/0\/$/, "/" + field("entity").value + "/") });
      }
    }
    if (body) { list.push(textBody("commenting", body)); }
    return list;
  }

  function annotationFromForm() {
    var kind = field("kind").value;
    var data = { "@context": "http://www.w3.org/ns/anno.jsonld", type: "Annotation", motivation: MOTIVATION[kind] };
    var list = bodies(kind);
    data.body = list.length === 1 ? list[0] : list;
    if (editing) {
      data.target = editing.data.target;
    } else {
      var where = located();
      if (!where) {
        data.target = { source: page.dataset.articleUrl };
      } else {
        var selectors = [];
        if (where.start !== undefined) { selectors.push({ type: "TextPositionSelector", start: where.start, end: where.end }); }
        if (where.quote) { selectors.push({ type: "TextQuoteSelector", exact: where.quote }); }
        data.target = { source: page.dataset.articleUrl + "#p" + where.position, selector: selectors };
      }
    }
    if (field("visibility").value === "editors") { data.audience = { type: "schema:Audience", "schema:audienceType": "editors" }; }
    return data;
  }

  function positionOf(target) {
    var source = (target && target.source) || "";
    var match = /#p(\d+)$/.exec(source);
    return match ? match[1] : "";
  }

  function fail(message) {
    errors.textContent = message;
    errors.hidden = false;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.hidden = true;
    var data = annotationFromForm();
    var request = editing
      ? send("PUT", editing.url, data, editing.etag)
      : send("POST", page.dataset.containerUrl, data, null);
    request.then(function (result) {
      var ok = result.response.status === 201 || result.response.status === 200;
      if (!ok) {
        fail(result.data && result.data.error ? result.data.error : "HTTP " + result.response.status);
        return;
      }
      var kindLabel = field("kind").options[field("kind").selectedIndex].text;
      var quote = (data.target.selector || []).filter(function (s) { return s.type === "TextQuoteSelector"; })[0];
      var words = quote ? " «" + quote.exact + "»" : "";
      reloadAt((editing ? form.dataset.updated : form.dataset.saved).replace("%s", kindLabel + words), positionOf(data.target));
    }).catch(function () {
      fail(form.dataset.offline);
    });
  });

  // --- Editing and deleting listed annotations ------------------------------

  function fillFrom(data) {
    var list = Array.isArray(data.body) ? data.body : [data.body];
    var kind = KIND[data.motivation] || "note";
    field("kind").value = kind;
    ["body", "proposed_text", "label", "entity", "correction_target"].forEach(function (name) { field(name).value = ""; });
    list.forEach(function (body) {
      if (body.purpose === "editing") { field("proposed_text").value = body.value; }
      else if (body.purpose === "classifying") { field("correction_target").value = body.value; }
      else if (body.purpose === "tagging") { field("label").value = body.value; }
      else if (body.purpose === "identifying") { var m = /\/(\d+)\/$/.exec(body.source); if (m) { field("entity").value = m[1]; } }
      else if (body.purpose !== "assessing") { field("body").value = body.value; }
    });
    field("visibility").value = data.audience ? "editors" : "public";
    showFieldsFor(kind);
  }

  function setEditing(state) {
    editing = state;
    var locked = !!state;
    ["kind", "paragraph", "quote", "occurrence"].forEach(function (name) { field(name).disabled = locked; });
    cancel.hidden = !locked;
    title.textContent = locked ? title.dataset.edit : title.dataset.new;
    form.classList.toggle("is-editing", locked);
    if (!locked) { form.reset(); showFieldsFor(field("kind").value); }
  }

  cancel.addEventListener("click", function () { setEditing(null); });

  page.addEventListener("click", function (event) {
    var button = event.target.closest(".annotation-edit, .annotation-delete");
    if (!button) { return; }
    var item = button.closest(".annotation-item");
    var url = item.dataset.url;
    errors.hidden = true;
    fetch(url, { headers: { "Accept": "application/ld+json" }, credentials: "same-origin" }).then(function (response) {
      var etag = response.headers.get("ETag");
      return response.json().then(function (data) { return { etag: etag, data: data }; });
    }).then(function (current) {
      if (button.classList.contains("annotation-delete")) {
        if (!window.confirm(button.dataset.confirm)) { return; }
        send("DELETE", url, null, current.etag).then(function (result) {
          if (result.response.status !== 204) { say(result.data && result.data.error ? result.data.error : "HTTP " + result.response.status, true); return; }
          reloadAt(form.dataset.deleted, item.dataset.position);
        });
        return;
      }
      var assessment = null;
      (Array.isArray(current.data.body) ? current.data.body : [current.data.body]).forEach(function (body) {
        if (body.purpose === "assessing") { assessment = body.value; }
      });
      setEditing({ url: url, etag: current.etag, data: current.data, assessment: assessment });
      fillFrom(current.data);
      var quote = item.querySelector("q");
      if (quote) { describe(item.dataset.position ? "¶" + item.dataset.position + ": " : "", quote.textContent, ""); }
      else { selectionLine.textContent = ""; }
      form.scrollIntoView({ block: "nearest" });
      field("body").focus();
    }).catch(function () { say(form.dataset.offline, true); });
  });
})();
