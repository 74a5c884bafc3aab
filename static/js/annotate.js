/* The annotation page in the admin: select words (mouse, touch or keyboard), annotate,
   edit, delete; decide entity suggestions in the text.

   Annotations go through the site's W3C Web Annotation Protocol endpoint (POST to the
   article's container, PUT with If-Match, DELETE), with the admin's CSRF token. Offsets
   are computed here, never typed: Unicode code points (not UTF-16 units) from the start
   of the paragraph's original text, in logical (DOM) order, which is what the server
   stores. A decision on a mention (accept, reject, type, entity, every suggestion of the
   same name) is POSTed as JSON to the page's mention endpoint, and the text is updated
   in place. */
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
  var narrow = window.matchMedia("(max-width: 999px)");

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

  // --- Bulk decisions on entity suggestions, from the list -------------------
  var suggestions = page.querySelector(".suggestions-form");
  if (suggestions) {
    var toggle = suggestions.querySelector(".suggestions-toggle");
    toggle.addEventListener("change", function () {
      suggestions.querySelectorAll("input[name=mention]").forEach(function (box) { box.checked = toggle.checked; });
    });
    suggestions.addEventListener("keydown", function (event) {
      if (event.target.tagName !== "INPUT" || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      var decision = key === "a" ? "confirm" : key === "r" ? "reject" : null;
      if (!decision) { return; }
      event.preventDefault();
      suggestions.querySelector("button[value=" + decision + "]").click();
    });
    // A suggestion marked in its sentence leads to its words in the text.
    suggestions.addEventListener("click", function (event) {
      var mark = event.target.closest("[data-for]");
      if (!mark) { return; }
      var inText = page.querySelector('.annotate-text mark[data-mention="' + mark.dataset.for + '"]');
      if (inText) { inText.scrollIntoView({ block: "center" }); inText.focus(); }
    });
  }

  // --- Selecting words --------------------------------------------------------

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

  // A mention is a control (it takes the focus: Tab to it), but a press on a focusable
  // element starts no text selection in Chromium: while the pointer is down, its words are
  // plain text, so that a drag over them selects them as over any other word.
  page.addEventListener("pointerdown", function (event) {
    var mark = event.target.closest && event.target.closest(".annotate-text mark[tabindex]");
    if (mark) { mark.removeAttribute("tabindex"); mark.dataset.focusable = "1"; }
  }, true);
  document.addEventListener("pointerup", function () {
    page.querySelectorAll(".annotate-text mark[data-focusable]").forEach(function (mark) {
      mark.setAttribute("tabindex", "0");
      delete mark.dataset.focusable;
    });
  }, true);

  // Keyboard: a paragraph takes the focus (Tab), and the arrows move a caret in it that
  // this script draws (a page's text has none of its own); with Shift they select, by
  // letter, or by word with Ctrl (Alt on a Mac). Enter goes to the form.
  var caret = page.querySelector(".annotate-caret");

  function firstText(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    return walker.nextNode();
  }

  function drawCaret(paragraph) {
    var selection = window.getSelection();
    if (!caret || !selection.rangeCount || !paragraph.contains(selection.focusNode)) { caret.hidden = true; return; }
    var range = document.createRange();
    range.setStart(selection.focusNode, selection.focusOffset);
    var rects = range.getClientRects();
    var box = rects.length ? rects[0] : range.getBoundingClientRect();
    if (!box || (!box.height && !box.width)) { caret.hidden = true; return; }
    caret.style.top = (box.top + window.scrollY) + "px";
    caret.style.left = (box.left + window.scrollX - 1) + "px";
    caret.style.height = box.height + "px";
    caret.hidden = false;
  }

  page.querySelectorAll(".annotate-text").forEach(function (paragraph) {
    paragraph.addEventListener("focus", function () {
      var selection = window.getSelection();
      if (!selection.rangeCount || !paragraph.contains(selection.anchorNode)) {
        var text = firstText(paragraph);
        if (text) { selection.collapse(text, 0); }
      }
      drawCaret(paragraph);
    });
    paragraph.addEventListener("blur", function () { if (caret) { caret.hidden = true; } });
    paragraph.addEventListener("keydown", function (event) {
      if (event.target !== paragraph) { return; }
      var selection = window.getSelection();
      var moves = { ArrowLeft: "left", ArrowRight: "right", Home: "backward", End: "forward" };
      if (moves[event.key] && !event.metaKey) {
        event.preventDefault();
        if (!selection.rangeCount || !paragraph.contains(selection.focusNode)) {
          selection.collapse(firstText(paragraph), 0);
        }
        var kept = { node: selection.anchorNode, offset: selection.anchorOffset,
                     focus: selection.focusNode, focusOffset: selection.focusOffset };
        var granularity = event.key === "Home" || event.key === "End" ? "lineboundary"
          : (event.ctrlKey || event.altKey) ? "word" : "character";
        selection.modify(event.shiftKey ? "extend" : "move", moves[event.key], granularity);
        if (!paragraph.contains(selection.focusNode)) {  // never past the paragraph's ends
          selection.setBaseAndExtent(kept.node, kept.offset, kept.focus, kept.focusOffset);
        }
        drawCaret(paragraph);
        var selected = readSelection();
        if (selected) { show(selected); }
      } else if (event.key === "Enter") {
        if (readSelection() && form) { event.preventDefault(); openForm(); }
      } else if (event.key === "Escape") {
        if (selection.rangeCount) { selection.collapseToStart(); drawCaret(paragraph); }
      }
    });
  });

  // --- The annotation form ------------------------------------------------------
  if (!form) {
    setUpPopover();
    return;
  }
  var field = function (name) { return form.elements[name]; };
  var selectionLine = form.querySelector(".annotate-selection");
  var errors = form.querySelector(".annotate-errors");
  var title = form.querySelector(".annotate-form-title");
  var cancel = form.querySelector(".annotate-cancel");
  var sheetClose = form.querySelector(".annotate-sheet-close");
  var editing = null; // {url, etag, data} of the annotation being edited

  // "¶1: «words» (3–8)", the Arabic isolated so that the line keeps its order.
  function describe(before, quote, after) {
    var q = document.createElement("q");
    q.lang = "ar";
    q.dir = "rtl";
    q.textContent = quote;
    selectionLine.replaceChildren(document.createTextNode(before), q, document.createTextNode(after || ""));
  }

  function paragraphElement(pk) { return page.querySelector('.annotate-text[data-paragraph="' + pk + '"]'); }

  // On a phone the form is a sheet over the lower part of the screen, opened from a bar
  // that appears once words are selected; the selection is scrolled above it.
  var jump = page.querySelector(".annotate-jump");

  function openForm() {
    if (narrow.matches) {
      form.classList.add("is-sheet");
      sheetClose.hidden = false;
      if (jump) { jump.hidden = true; }
      var selection = window.getSelection();
      if (selection.rangeCount) {
        var box = selection.getRangeAt(0).getBoundingClientRect();
        window.scrollBy(0, box.top - window.innerHeight * 0.12);
      }
    } else {
      form.scrollIntoView({ block: "nearest" });
    }
    field("kind").focus();
  }

  function closeSheet() {
    form.classList.remove("is-sheet");
    sheetClose.hidden = true;
  }
  sheetClose.addEventListener("click", closeSheet);
  if (jump) { jump.addEventListener("click", openForm); }

  function show(selected) {
    if (editing) { return; }
    if (jump && !form.classList.contains("is-sheet")) {
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
  // A selection made by touch (its handles dragged) sends no mouseup: follow the selection itself.
  var settle = null;
  document.addEventListener("selectionchange", function () {
    window.clearTimeout(settle);
    settle = window.setTimeout(function () { var s = readSelection(); if (s) { show(s); } }, 250);
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

  // The entity field searches as you type (Django's admin autocomplete): an entity that
  // is not among its options is added as one, named once its page answers.
  function chooseEntity(id) {
    var select = field("entity");
    if (!id) { select.value = ""; }
    else if (!select.querySelector('option[value="' + id + '"]')) {
      var option = new Option("#" + id, id, true, true);
      select.appendChild(option);
      fetch(page.dataset.entityUrl.replace(/\/0\/$/, "/" + id + "/").replace("/entities/", "/api/entities/"),
            { credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (entity) { option.textContent = [entity.name_ar, entity.name_en].filter(Boolean).join(" · "); })
        .catch(function () {});
    }
    select.value = id || "";
    if (window.django && window.django.jQuery) { window.django.jQuery(select).trigger("change"); }
  }

  function fillFrom(data) {
    var list = Array.isArray(data.body) ? data.body : [data.body];
    var kind = KIND[data.motivation] || "note";
    field("kind").value = kind;
    ["body", "proposed_text", "label", "correction_target"].forEach(function (name) { field(name).value = ""; });
    chooseEntity("");
    list.forEach(function (body) {
      if (body.purpose === "editing") { field("proposed_text").value = body.value; }
      else if (body.purpose === "classifying") { field("correction_target").value = body.value; }
      else if (body.purpose === "tagging") { field("label").value = body.value; }
      else if (body.purpose === "identifying") { var m = /\/(\d+)\/$/.exec(body.source); if (m) { chooseEntity(m[1]); } }
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
    if (!locked) { form.reset(); chooseEntity(""); showFieldsFor(field("kind").value); }
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
      if (narrow.matches) { openForm(); } else { form.scrollIntoView({ block: "nearest" }); }
      field("body").focus();
    }).catch(function () { say(form.dataset.offline, true); });
  });

  setUpPopover();

  // --- Deciding a mention in the text -------------------------------------------
  // Every mention in the text is a control: click it, or Tab to it, and a popover beside it
  // offers its decisions; A and R accept or reject the focused one at once, Enter goes
  // into the popover, Escape comes back.
  function setUpPopover() {
    var popover = document.getElementById("mention-popover");
    if (!popover) { return; }
    var canDecide = page.dataset.canDecide === "1";
    var current = null; // the mark the popover is about
    var searchInput = popover.querySelector("#entity-search-input");
    var results = popover.querySelector(".entity-search-results");
    var note = popover.querySelector(".entity-search-note");
    var sameType = popover.querySelector("input[name=same_type]");
    var newToggle = popover.querySelector(".entity-new-toggle");
    var newFields = popover.querySelector(".entity-new");
    var unlink = popover.querySelector(".entity-unlink");
    var typeSelect = popover.querySelector("select[name=label]");
    var searchTimer = null;
    var active = -1;

    function mentionUrl(id) { return page.dataset.mentionUrl.replace(/\/0\/$/, "/" + id + "/"); }

    function place(mark) {
      if (narrow.matches) {
        // A sheet at the bottom of the screen: the words are scrolled into view above it.
        popover.style.top = "";
        popover.style.left = "";
        var words = mark.getBoundingClientRect();
        var sheetTop = popover.getBoundingClientRect().top;
        if (words.bottom > sheetTop - 12 || words.top < 0) {
          window.scrollBy(0, words.bottom - sheetTop + 12 + Math.max(0, (sheetTop - words.height) / 3));
        }
        return;
      }
      var box = mark.getBoundingClientRect();
      var width = popover.offsetWidth;
      var rtl = getComputedStyle(mark).direction === "rtl";
      var left = rtl ? box.right - width : box.left;
      left = Math.max(8, Math.min(left, document.documentElement.clientWidth - width - 8));
      popover.style.top = (box.bottom + window.scrollY + 6) + "px";
      popover.style.left = (left + window.scrollX) + "px";
    }

    function describeMention(mark) {
      popover.querySelector("h3 q").textContent = mark.textContent;
      popover.querySelector(".mention-popover-type").textContent = typeName(mark.dataset.label);
      popover.querySelector(".mention-popover-state").textContent = mark.dataset.state;
      var entity = popover.querySelector(".mention-popover-entity");
      entity.textContent = mark.dataset.entityName || popover.dataset.noEntity;
      if (typeSelect) { typeSelect.value = mark.dataset.label; }
      if (unlink) { unlink.hidden = !mark.dataset.entity; }
      if (sameType) { sameType.parentElement.querySelector("span").textContent = typeName(mark.dataset.label); }
      popover.classList.toggle("is-suggestion", mark.dataset.status === "suggested");
    }

    function typeName(label) {
      var option = typeSelect ? typeSelect.querySelector('option[value="' + label + '"]') : null;
      return option ? option.textContent : label;
    }

    function info(mark) {
      fetch(mentionUrl(mark.dataset.mention), { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (current === mark) { showInfo(data); } })
        .catch(function () {});
    }

    function showInfo(data) {
      var mention = data.mention;
      var entity = popover.querySelector(".mention-popover-entity");
      entity.replaceChildren();
      if (mention.entity) {
        var link = document.createElement("a");
        link.href = mention.entity.admin_url;
        var arabic = document.createElement("bdi");
        arabic.lang = "ar";
        arabic.textContent = mention.entity.name_ar;
        link.appendChild(arabic);
        if (mention.entity.name_en) { link.appendChild(document.createTextNode(" · " + mention.entity.name_en)); }
        entity.appendChild(link);
        if (mention.entity.wikidata_id) {
          entity.appendChild(document.createTextNode(" · "));
          var wikidata = document.createElement("a");
          wikidata.href = "https://www.wikidata.org/wiki/" + mention.entity.wikidata_id;
          wikidata.rel = "external noopener";
          wikidata.textContent = "Wikidata " + mention.entity.wikidata_id;
          entity.appendChild(wikidata);
        }
      } else {
        entity.textContent = popover.dataset.noEntity;
      }
      describeState(mention);
      popover.querySelectorAll("[data-action=accept_name]").forEach(function (button) {
        var scope = button.dataset.scope;
        var count = data.name[scope];
        button.textContent = data.name[scope + "_label"];
        // Worth a button when it decides more than this one.
        var others = count - (mention.status === "suggested" ? 1 : 0);
        button.hidden = others < 1 || (scope === "archive" && count <= data.name.article);
      });
    }

    function describeState(mention) {
      popover.querySelector(".mention-popover-state").textContent = mention.state;
      popover.querySelector(".mention-popover-type").textContent = mention.label_name;
      popover.classList.toggle("is-suggestion", mention.status === "suggested");
      if (unlink) { unlink.hidden = !mention.entity; }
    }

    function open(mark, focusInside) {
      current = mark;
      describeMention(mark);
      results.replaceChildren();
      note.textContent = "";
      if (searchInput) { searchInput.value = ""; searchInput.setAttribute("aria-expanded", "false"); }
      if (newFields) { newFields.hidden = true; newToggle.setAttribute("aria-expanded", "false"); }
      popover.querySelectorAll("[data-action=accept_name]").forEach(function (b) { b.hidden = true; });
      popover.hidden = false;
      place(mark);
      info(mark);
      if (focusInside) {
        var first = popover.querySelector(canDecide ? "[data-action=confirm]" : ".mention-popover-close");
        first.focus();
      }
    }

    function close(returnFocus) {
      popover.hidden = true;
      if (returnFocus && current) { current.focus(); }
      current = null;
    }

    page.addEventListener("click", function (event) {
      var mark = event.target.closest(".annotate-text mark.mention");
      if (!mark) { return; }
      var selection = window.getSelection();
      if (selection && !selection.isCollapsed && readSelection()) { return; }  // words were being selected
      if (mark !== current || popover.hidden) { open(mark, false); }
      mark.focus();  // so that A, R and Enter work on it as after a Tab
    });
    page.addEventListener("focusin", function (event) {
      var mark = event.target.closest && event.target.closest(".annotate-text mark.mention");
      if (mark && mark !== current) { open(mark, false); }
    });
    page.addEventListener("keydown", function (event) {
      var mark = event.target.closest && event.target.closest(".annotate-text mark.mention");
      if (!mark || event.altKey || event.ctrlKey || event.metaKey) { return; }
      var key = event.key.toLowerCase();
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(mark, true);
      } else if (event.key === "Escape") {
        close(false);
      } else if (canDecide && (key === "a" || key === "r")) {
        event.preventDefault();
        if (current !== mark) { open(mark, false); }
        decide({ action: key === "a" ? "confirm" : "reject" }, true);
      }
    });
    popover.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(true); }
    });
    popover.querySelector(".mention-popover-close").addEventListener("click", function () { close(true); });
    document.addEventListener("click", function (event) {
      if (!popover.hidden && !popover.contains(event.target) && !event.target.closest(".annotate-text mark.mention")) {
        close(false);
      }
    });
    window.addEventListener("resize", function () { if (current && !popover.hidden) { place(current); } });

    // The text follows each decision: a confirmed mention loses its outline, a rejected
    // one its mark, and the list and its count lose what was decided.
    function apply(mention) {
      page.querySelectorAll('.annotate-text mark[data-mention="' + mention.id + '"]').forEach(function (mark) {
        if (mention.status === "rejected") {
          if (mark === current) { close(false); }
          mark.replaceWith.apply(mark, Array.from(mark.childNodes));
          return;
        }
        mark.className = "entity ent-" + mention.label + " mention mention-" + mention.status;
        mark.dataset.status = mention.status;
        mark.dataset.state = mention.state;
        mark.dataset.label = mention.label;
        mark.dataset.entity = mention.entity ? mention.entity.id : "";
        mark.dataset.entityName = mention.entity ? (mention.entity.name_en || mention.entity.name_ar) : "";
        mark.title = [mention.label_name, mention.entity ? mark.dataset.entityName : ""].filter(Boolean).join(" · ");
      });
      if (mention.status !== "suggested") {
        var item = page.querySelector('.suggestion-list li[data-mention="' + mention.id + '"]');
        if (item) {
          var group = item.closest(".suggestion-group");
          item.remove();
          var inSentence = page.querySelector('.suggestion-sentence [data-for="' + mention.id + '"]');
          if (inSentence) { inSentence.replaceWith.apply(inSentence, Array.from(inSentence.childNodes)); }
          if (group && !group.querySelector(".suggestion-list li")) { group.remove(); }
        }
      }
    }

    // The list's heading as the server words it for the suggestions left (plural forms differ by language).
    function recount(data) {
      var heading = document.getElementById("suggestions-title");
      if (!heading) { return; }
      if (!data.suggestions_left) { heading.closest(".annotate-suggestions").remove(); return; }
      heading.textContent = data.suggestions_title;
    }

    function nextSuggestion(after) {
      var marks = Array.from(page.querySelectorAll(".annotate-text mark.mention-suggested"));
      return marks.filter(function (mark) {
        return after.compareDocumentPosition(mark) & Node.DOCUMENT_POSITION_FOLLOWING;
      })[0] || null;
    }

    function decide(data, advance) {
      if (!current) { return; }
      var mark = current;
      var following = advance ? nextSuggestion(mark) : null;
      fetch(mentionUrl(mark.dataset.mention), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(data)
      }).then(function (response) {
        return response.json().then(function (json) { return { ok: response.ok, data: json }; });
      }).then(function (result) {
        if (!result.ok) { say(result.data.error || page.dataset.failed, true); return; }
        result.data.mentions.forEach(apply);
        recount(result.data);
        say(result.data.message, false);
        if (following && document.contains(following)) { following.focus(); }
        else if (current === mark && document.contains(mark)) { describeMention(mark); showInfo(result.data); }
        else if (document.contains(mark)) { mark.focus(); }
      }).catch(function () { say(page.dataset.failed, true); });
    }

    popover.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      var action = button.dataset.action;
      if (action === "create_entity") {
        decide({
          action: action,
          name_ar: newFields.querySelector("[name=name_ar]").value,
          name_en: newFields.querySelector("[name=name_en]").value,
          wikidata_id: newFields.querySelector("[name=wikidata_id]").value
        }, false);
      } else if (action === "accept_name") {
        decide({ action: action, scope: button.dataset.scope }, false);
      } else {
        decide({ action: action }, false);
      }
    });
    if (typeSelect) {
      typeSelect.addEventListener("change", function () { decide({ action: "retype", label: typeSelect.value }, false); });
    }
    if (unlink) { unlink.addEventListener("click", function () { decide({ action: "link", entity: "" }, false); }); }
    if (newToggle) {
      newToggle.addEventListener("click", function () {
        var opening = newFields.hidden;
        newFields.hidden = !opening;
        newToggle.setAttribute("aria-expanded", String(opening));
        if (opening) {
          newFields.querySelector("[name=name_ar]").value = current ? current.textContent : "";
          newFields.querySelector("[name=name_en]").value = searchInput.value && /[A-Za-z]/.test(searchInput.value) ? searchInput.value : "";
          newFields.querySelector("[name=name_ar]").focus();
        }
      });
    }

    // Entity search: Django's admin autocomplete, asked for this type only unless unticked;
    // each result says its names, its type and how many articles mention it.
    function options() { return Array.from(results.querySelectorAll("[role=option]")); }

    function highlight(index) {
      var list = options();
      active = Math.max(-1, Math.min(index, list.length - 1));
      list.forEach(function (option, i) { option.setAttribute("aria-selected", String(i === active)); });
      if (active >= 0) {
        searchInput.setAttribute("aria-activedescendant", list[active].id);
        list[active].scrollIntoView({ block: "nearest" });
      } else {
        searchInput.removeAttribute("aria-activedescendant");
      }
    }

    function search() {
      var term = searchInput.value.trim();
      if (!term) { results.replaceChildren(); searchInput.setAttribute("aria-expanded", "false"); note.textContent = ""; return; }
      note.textContent = popover.dataset.searching;
      var url = page.dataset.entitySearchUrl + "&term=" + encodeURIComponent(term);
      if (sameType.checked && current) { url += "&" + page.dataset.entityTypeParameter + "=" + current.dataset.label; }
      fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (searchInput.value.trim() !== term) { return; }
          results.replaceChildren();
          data.results.forEach(function (result, index) {
            var option = document.createElement("li");
            option.id = "entity-option-" + index;
            option.setAttribute("role", "option");
            option.setAttribute("aria-selected", "false");
            option.dataset.id = result.id;
            var arabic = document.createElement("bdi");
            arabic.lang = "ar";
            arabic.className = "entity-option-ar";
            arabic.textContent = result.name_ar || result.text;
            option.appendChild(arabic);
            if (result.name_en) {
              var english = document.createElement("span");
              english.className = "entity-option-en";
              english.textContent = result.name_en;
              option.appendChild(english);
            }
            var meta = document.createElement("span");
            meta.className = "entity-option-meta";
            meta.textContent = (result.text || "").split(" — ").slice(-1)[0];
            option.appendChild(meta);
            results.appendChild(option);
          });
          searchInput.setAttribute("aria-expanded", String(data.results.length > 0));
          note.textContent = data.results.length ? "" : popover.dataset.noneFound;
          highlight(data.results.length ? 0 : -1);
        })
        .catch(function () { note.textContent = page.dataset.failed; });
    }

    function choose(option) {
      if (!option) { return; }
      results.replaceChildren();
      searchInput.setAttribute("aria-expanded", "false");
      decide({ action: "link", entity: option.dataset.id }, false);
    }

    if (searchInput) {
      searchInput.addEventListener("input", function () {
        window.clearTimeout(searchTimer);
        searchTimer = window.setTimeout(search, 200);
      });
      sameType.addEventListener("change", search);
      searchInput.addEventListener("keydown", function (event) {
        if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
        else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
        else if (event.key === "Enter") { event.preventDefault(); choose(options()[active]); }
      });
      results.addEventListener("click", function (event) { choose(event.target.closest("[role=option]")); });
    }
  }
})();
