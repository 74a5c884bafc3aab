/* Word lookup on an article's page: click or tap an Arabic word, or reach it from the keyboard
   (a focused paragraph: arrow keys move a word cursor, Enter opens it; Enter on a focused mark
   opens its word), for its analyses and English gloss in a small panel beside it.

   The text's DOM is never changed, so letters stay joined: the word is found from the caret
   position under the pointer and the paragraph's text, the panel is placed by a Range's
   rectangle, and the word (and the keyboard's cursor) is shown with the CSS Custom Highlight API.
   Links keep their meaning: a click on a linked name follows it; its words are reached with the
   keyboard's cursor or the panel's previous/next buttons.

   Analyses come from /api/words/?w= (a shared, cached page). An editor's public gloss on the
   word, and the name the word belongs to, are read from the page's own marks and shown first.
   Editors (their pages carry data-gloss-container) save a reading as a gloss through the W3C
   Annotation Protocol, with code-point offsets over the paragraph's original text. */
(function () {
  "use strict";

  var article = document.querySelector(".article[data-words-url]");
  var stringsElement = document.getElementById("word-lookup");
  if (!article || !stringsElement) { return; }
  var T = JSON.parse(stringsElement.textContent);
  var WORDS_URL = article.getAttribute("data-words-url");
  var GLOSS_CONTAINER = article.getAttribute("data-gloss-container");
  var GLOSS_TARGET = article.getAttribute("data-gloss-target");
  var LD_JSON = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"';
  var SHOWN = 3; // readings shown before "More readings"
  // The texts whose words can be looked up: the headline and the paragraphs' Arabic.
  var TEXTS = ".article-title, .rows .cell-original > p";
  // A word: letters and marks (harakat, tatweel), and the joiners Persian-style writing keeps inside words.
  var WORD_CHAR = /[\p{L}\p{M}\u200C\u200D]/u;
  var ARABIC = /[\u0621-\u064A\u066E-\u06D3\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF]/;
  var highlights = window.CSS && CSS.highlights && typeof window.Highlight === "function";

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return values[name]; });
  }

  // --- Words in a text, by UTF-16 index over its textContent ------------------------------

  function textNodes(container) {
    var nodes = [];
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    var at = 0;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      nodes.push({ node: node, start: at });
      at += node.data.length;
    }
    return nodes;
  }

  function indexOf(container, node, offset) {
    if (node.nodeType !== Node.TEXT_NODE) {
      // A caret between elements: the text before that child.
      var before = document.createRange();
      before.selectNodeContents(container);
      before.setEnd(node, offset);
      return before.toString().length;
    }
    var nodes = textNodes(container);
    for (var i = 0; i < nodes.length; i++) {
      if (nodes[i].node === node) { return nodes[i].start + offset; }
    }
    return -1;
  }

  function rangeOf(container, start, end) {
    var nodes = textNodes(container);
    var range = document.createRange();
    var started = false;
    for (var i = 0; i < nodes.length; i++) {
      var item = nodes[i];
      var length = item.node.data.length;
      if (!started && start < item.start + length) {
        range.setStart(item.node, start - item.start);
        started = true;
      }
      if (started && end <= item.start + length) {
        range.setEnd(item.node, end - item.start);
        return range;
      }
    }
    return null;
  }

  // Every word of a text: [{start, end}] in UTF-16 indexes, in logical order.
  function wordsOf(container) {
    var text = container.textContent;
    var words = [];
    var start = -1;
    for (var i = 0; i <= text.length; i++) {
      var inWord = i < text.length && WORD_CHAR.test(text[i]);
      if (inWord && start < 0) { start = i; }
      if (!inWord && start >= 0) {
        if (ARABIC.test(text.slice(start, i))) { words.push({ start: start, end: i }); }
        start = -1;
      }
    }
    return words;
  }

  function wordAt(container, index) {
    var words = wordsOf(container);
    for (var i = 0; i < words.length; i++) {
      if (words[i].start <= index && index < words[i].end) { return i; }
    }
    return -1;
  }

  function caretAt(x, y) {
    if (document.caretPositionFromPoint) {
      var position = document.caretPositionFromPoint(x, y);
      return position && { node: position.offsetNode, offset: position.offset };
    }
    if (document.caretRangeFromPoint) {
      var range = document.caretRangeFromPoint(x, y);
      return range && { node: range.startContainer, offset: range.startOffset };
    }
    return null;
  }

  function inside(range, x, y) {
    var rects = range.getClientRects();
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i];
      if (x >= r.left - 2 && x <= r.right + 2 && y >= r.top - 2 && y <= r.bottom + 2) { return true; }
    }
    return false;
  }

  // The word under the pointer: the caret's index, then the word at it or just before it (a caret
  // lands after the letter clicked when its right half was), kept only if the point is on it.
  function wordUnder(container, x, y) {
    var caret = caretAt(x, y);
    if (!caret || !container.contains(caret.node)) { return null; }
    var index = indexOf(container, caret.node, caret.offset);
    var candidates = [wordAt(container, index), wordAt(container, index - 1)];
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i] < 0) { continue; }
      var word = spot(container, candidates[i]);
      if (word && inside(word.range, x, y)) { return word; }
    }
    return null;
  }

  function spot(container, number) {
    var words = wordsOf(container);
    var found = words[number];
    if (!found) { return null; }
    var range = rangeOf(container, found.start, found.end);
    if (!range) { return null; }
    return {
      container: container, number: number, count: words.length,
      start: found.start, end: found.end, text: container.textContent.slice(found.start, found.end), range: range
    };
  }

  // --- What the page already says about the word: a name, an editor's gloss ------------------

  function span(container, element) {
    var nodes = textNodes(element);
    if (!nodes.length) { return null; }
    var start = indexOf(container, nodes[0].node, 0);
    return { start: start, end: start + element.textContent.length };
  }

  function overlapping(word, selector) {
    var found = [];
    word.container.querySelectorAll(selector).forEach(function (element) {
      var where = span(word.container, element);
      if (where && where.start < word.end && word.start < where.end) { found.push(element); }
    });
    return found;
  }

  // --- The panel -------------------------------------------------------------------------

  var panel = document.createElement("div");
  panel.className = "word-panel";
  panel.id = "word-panel";
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-labelledby", "word-panel-word");
  panel.lang = document.documentElement.lang;
  panel.dir = document.documentElement.dir;
  panel.hidden = true;
  // The word between "previous" and "next", laid out right to left as the text runs: the
  // previous word's button on the right, the next one's on the left, whatever the interface.
  panel.innerHTML =
    '<div class="word-panel-head">' +
    '<div class="word-nav" dir="rtl">' +
    '<button type="button" class="word-step" data-step="-1">\u2192</button>' +
    '<span class="word-panel-word" id="word-panel-word" lang="ar" dir="rtl" tabindex="-1"></span>' +
    '<button type="button" class="word-step" data-step="1">\u2190</button></div>' +
    '<button type="button" class="word-panel-close">\u00d7</button></div>' +
    '<div class="word-panel-body" aria-live="polite"></div>';
  var heading = panel.querySelector(".word-panel-word");
  var body = panel.querySelector(".word-panel-body");
  var closeButton = panel.querySelector(".word-panel-close");
  closeButton.setAttribute("aria-label", T.close);
  closeButton.title = T.close;
  var stepButtons = panel.querySelectorAll(".word-step");
  stepButtons.forEach(function (button) {
    var label = button.getAttribute("data-step") === "-1" ? T.previous : T.next;
    button.setAttribute("aria-label", label);
    button.title = label;
  });
  document.body.appendChild(panel);

  var say = document.createElement("div");
  say.className = "visually-hidden";
  say.setAttribute("aria-live", "polite");
  document.body.appendChild(say);

  var current = null; // the word the panel shows
  var cursor = null; // the keyboard's word
  var returnTo = null;
  var looked = new Map();

  function element(tag, className, text, attributes) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined && text !== null) { made.textContent = text; }
    Object.keys(attributes || {}).forEach(function (name) { made.setAttribute(name, attributes[name]); });
    return made;
  }

  function arabic(tag, className, text) { return element(tag, className, text, { lang: "ar", dir: "rtl" }); }

  function mark(name, range) {
    if (!highlights) { return; }
    if (range) { CSS.highlights.set(name, new Highlight(range)); } else { CSS.highlights.delete(name); }
  }

  // Below the word (above it when there is no room below), within the viewport; `keepLeft` when
  // stepping from word to word, so that the buttons stay under the pointer.
  function place(keepLeft) {
    if (!current || panel.hidden) { return; }
    var rects = current.range.getClientRects();
    var box = rects.length ? rects[0] : current.range.getBoundingClientRect();
    var width = panel.offsetWidth;
    var height = panel.offsetHeight;
    var viewport = document.documentElement.clientWidth;
    var origin = { left: -window.scrollX, top: -window.scrollY };
    var parent = panel.offsetParent;
    if (parent && parent !== document.body && parent !== document.documentElement) {
      origin = parent.getBoundingClientRect();
    }
    var left = Math.max(8, Math.min(box.left + box.width / 2 - width / 2, viewport - width - 8));
    if (keepLeft === true && panel.style.left) {
      var kept = parseFloat(panel.style.left) + origin.left;
      if (kept <= box.left + box.width && box.left <= kept + width) { left = kept; }
    }
    var top = box.bottom + 8;
    if (top + height > window.innerHeight && box.top - height - 8 > 0) { top = box.top - height - 8; }
    panel.style.left = left - origin.left + "px";
    panel.style.top = top - origin.top + "px";
  }

  function pos(name) { return (T.pos && T.pos[name]) || name; }

  function readingItem(analysis, word) {
    var item = element("li", "word-reading");
    var line = element("p", "reading-head");
    line.appendChild(arabic("span", "reading-form", analysis.vowelled));
    line.appendChild(document.createTextNode(" "));
    line.appendChild(element("span", "reading-pos", pos(analysis.pos)));
    item.appendChild(line);
    // English inside the panel's own direction: aligned where the panel's lines start, in either language.
    var gloss = element("p", "reading-gloss");
    gloss.appendChild(element("bdi", "", analysis.gloss, { lang: "en" }));
    item.appendChild(gloss);
    var written = analysis.parts.filter(function (part) { return part.written; });
    if (written.length > 1) {
      var parts = element("ol", "reading-parts", null, { dir: "rtl", "aria-label": T.parts });
      written.forEach(function (part) {
        var piece = element("li", part.stem ? "part part-stem" : "part");
        // An ending that starts with a vowel mark (َت) is shown on a tatweel, as dictionaries do.
        var form = /^[\u064B-\u0652\u0670]/.test(part.arabic) ? "\u0640" + part.arabic : part.arabic;
        piece.appendChild(arabic("span", "part-form", form));
        // The first sense only: the reading's gloss above has them all.
        var sense = (part.gloss || "").split(";")[0].trim();
        piece.appendChild(element("span", "part-gloss", sense || pos(part.pos), { lang: "en", dir: "ltr" }));
        parts.appendChild(piece);
      });
      item.appendChild(parts);
    }
    var facts = element("p", "reading-facts");
    facts.appendChild(element("span", "fact-label", T.lemma + " "));
    facts.appendChild(arabic("span", "fact-value", analysis.lemma));
    if (analysis.root) {
      facts.appendChild(document.createTextNode(" · "));
      facts.appendChild(element("span", "fact-label", T.root + " "));
      facts.appendChild(arabic("span", "fact-value", analysis.root));
    }
    item.appendChild(facts);
    if (GLOSS_CONTAINER && word.container.closest(".row")) {
      var save = element("button", "reading-save", T.save, { type: "button" });
      var status = element("p", "reading-status", "", { role: "status" });
      save.addEventListener("click", function () { saveGloss(word, analysis, save, status); });
      item.appendChild(save);
      item.appendChild(status);
    }
    return item;
  }

  function contextBlocks(word) {
    var blocks = [];
    overlapping(word, "mark.annotation-gloss").forEach(function (gloss) {
      var block = element("div", "word-context word-gloss");
      var label = T.editorGloss + (gloss.classList.contains("annotation-editors") ? " · " + T.editorsOnly : "");
      block.appendChild(element("p", "context-label", label));
      block.appendChild(element("p", "context-text", gloss.getAttribute("data-note") || "", { dir: "auto" }));
      blocks.push(block);
    });
    var names = overlapping(word, ".entity");
    if (names.length) {
      var name = names[0];
      var block = element("div", "word-context word-entity ent-" + (name.getAttribute("data-type") || ""));
      block.appendChild(element("p", "context-label", name.getAttribute("data-type-name") || name.getAttribute("data-type")));
      var english = name.getAttribute("data-name-en") || name.getAttribute("data-translit") || "";
      var line = element("p", "context-text");
      line.appendChild(element("strong", "", english, { lang: "en", dir: "ltr" }));
      line.appendChild(document.createTextNode(" "));
      line.appendChild(arabic("span", "context-arabic", name.textContent));
      block.appendChild(line);
      if (name.tagName === "A" && name.getAttribute("href")) {
        var link = element("a", "context-link", T.entityPage, { href: name.getAttribute("href") });
        block.appendChild(link);
      }
      blocks.push(block);
    }
    return blocks;
  }

  function show(word, data, keepLeft) {
    if (current !== word) { return; } // the reader moved on
    body.textContent = "";
    contextBlocks(word).forEach(function (block) { body.appendChild(block); });
    if (!data) {
      body.appendChild(element("p", "word-failed", T.failed));
    } else if (!data.analyses.length) {
      body.appendChild(element("p", "word-none", T.none));
    } else {
      var list = element("ol", "word-readings");
      data.analyses.forEach(function (analysis, index) {
        var item = readingItem(analysis, word);
        if (index >= SHOWN) { item.hidden = true; }
        list.appendChild(item);
      });
      body.appendChild(list);
      if (data.analyses.length > SHOWN) {
        var more = element("button", "word-more", T.more + " (" + (data.analyses.length - SHOWN) + ")", {
          type: "button", "aria-expanded": "false"
        });
        more.addEventListener("click", function () {
          var open = more.getAttribute("aria-expanded") !== "true";
          list.querySelectorAll(".word-reading").forEach(function (item, index) {
            if (index >= SHOWN) { item.hidden = !open; }
          });
          more.setAttribute("aria-expanded", String(open));
          more.textContent = open ? T.fewer : T.more + " (" + (data.analyses.length - SHOWN) + ")";
          place();
        });
        body.appendChild(more);
      }
      var source = element("p", "word-source", T.source + " ");
      source.appendChild(element("bdi", "", data.lexicon.name, { lang: "en" }));
      body.appendChild(source);
    }
    place(keepLeft);
  }

  function lookUp(text) {
    if (looked.has(text)) { return looked.get(text); }
    // Without cookies: every reader, editors too, shares the cached answer.
    var answer = fetch(WORDS_URL + "?w=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" }, credentials: "omit"
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    });
    looked.set(text, answer);
    answer.catch(function () { looked.delete(text); });
    return answer;
  }

  function open(word, options) {
    if (panel.hidden) {
      returnTo = options.returnTo || document.activeElement;
    }
    // Beside its text in the document, so that Tab goes on from the panel to the text that follows.
    var after = word.container.closest(".row") || word.container;
    if (after.nextElementSibling !== panel) { after.insertAdjacentElement("afterend", panel); }
    current = word;
    heading.textContent = word.text;
    body.textContent = "";
    body.appendChild(element("p", "word-loading", T.loading));
    var tooltip = document.getElementById("entity-tooltip");
    if (tooltip) { tooltip.hidden = true; }
    stepButtons[0].disabled = word.number === 0;
    stepButtons[1].disabled = word.number >= word.count - 1;
    panel.hidden = false;
    place(options.keepLeft);
    mark("word-lookup", word.range);
    cursor = word; // the keyboard goes on from here
    mark("word-cursor", null);
    if (options.focus) { heading.focus({ preventScroll: true }); }
    lookUp(word.text).then(
      function (data) { show(word, data, options.keepLeft); },
      function () { show(word, null, options.keepLeft); }
    );
  }

  function close(restore) {
    if (panel.hidden) { return; }
    panel.hidden = true;
    current = null;
    mark("word-lookup", null);
    if (restore && returnTo && document.contains(returnTo)) { returnTo.focus({ preventScroll: true }); }
    returnTo = null;
  }

  function setCursor(word) {
    cursor = word;
    mark("word-cursor", word ? word.range : null);
  }

  // --- Saving a reading as an editor's gloss ------------------------------------------------

  function codePoints(text) { return Array.from(text).length; }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function glossAnnotation(word, analysis) {
    var text = word.container.textContent;
    var before = Array.from(text.slice(0, word.start));
    var after = Array.from(text.slice(word.end));
    var start = before.length; // code points, as every offset the site stores
    var position = word.container.closest(".row").getAttribute("data-position");
    return {
      "@context": "http://www.w3.org/ns/anno.jsonld",
      type: "Annotation",
      motivation: "describing",
      body: { type: "TextualBody", purpose: "describing", value: analysis.summary, format: "text/plain" },
      target: {
        source: GLOSS_TARGET + "#p" + position,
        selector: [
          { type: "TextPositionSelector", start: start, end: start + codePoints(word.text) },
          {
            type: "TextQuoteSelector", exact: word.text,
            prefix: before.slice(-32).join(""), suffix: after.slice(0, 32).join("")
          }
        ]
      }
    };
  }

  function saveGloss(word, analysis, button, status) {
    button.disabled = true;
    status.textContent = T.saving;
    fetch(GLOSS_CONTAINER, {
      method: "POST",
      headers: { "Content-Type": LD_JSON, Accept: "application/ld+json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(glossAnnotation(word, analysis)),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 201) {
          status.textContent = T.saved;
        } else {
          status.textContent = T.notSaved + " " + (data.error || response.status);
          button.disabled = false;
        }
        place();
      });
    }, function () {
      status.textContent = T.notSaved + " " + T.failed;
      button.disabled = false;
    });
  }

  // --- Pointer, keyboard ---------------------------------------------------------------------

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || panel.contains(event.target)) { return; }
    var target = event.target.closest ? event.target : event.target.parentElement;
    var container = target && target.closest(TEXTS);
    // A link keeps its meaning; a click elsewhere closes the panel.
    if (!container || target.closest("a[href]")) { close(false); return; }
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed && selection.toString().trim()) { return; } // selecting text
    var word = wordUnder(container, event.clientX, event.clientY);
    if (!word) { close(false); return; }
    open(word, { focus: true, returnTo: container.closest("[tabindex]") || document.activeElement });
  });

  function containerOfCell(cell) { return cell.querySelector(":scope > p"); }

  function visualStep(container, key) {
    var rtl = getComputedStyle(container).direction === "rtl";
    if (key === "ArrowLeft") { return rtl ? 1 : -1; }
    if (key === "ArrowRight") { return rtl ? -1 : 1; }
    return key === "ArrowDown" ? 1 : -1;
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      close(true);
      return;
    }
    var target = event.target;
    // Enter on a focused mark in the text (an unlinked name, an annotation): its word.
    if (event.key === "Enter" && target.matches && target.matches("mark[tabindex]")) {
      var text = target.closest(TEXTS);
      var where = text && span(text, target);
      if (where) {
        var number = wordAt(text, where.start);
        var word = number >= 0 && spot(text, number);
        if (word) {
          event.preventDefault();
          open(word, { focus: true, returnTo: target });
        }
      }
      return;
    }
    if (!target.classList || !target.classList.contains("cell-original")) { return; }
    var container = containerOfCell(target);
    if (!container) { return; }
    var count = wordsOf(container).length;
    if (!count) { return; }
    var at = cursor && cursor.container === container ? cursor.number : -1;
    var next = null;
    if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
      next = at < 0 ? 0 : Math.max(0, Math.min(count - 1, at + visualStep(container, event.key)));
    } else if (event.key === "Home" && at >= 0) {
      next = 0;
    } else if (event.key === "End" && at >= 0) {
      next = count - 1;
    } else if (event.key === "Enter") {
      event.preventDefault();
      open(spot(container, at < 0 ? 0 : at), { focus: true, returnTo: target });
      return;
    }
    if (next === null) { return; }
    event.preventDefault();
    var moved = spot(container, next);
    setCursor(moved);
    say.textContent = format(T.cursor, { number: next + 1, count: count, word: moved.text });
    var box = moved.range.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) { target.scrollIntoView({ block: "nearest" }); }
  });

  // Leaving a paragraph hides its cursor (it comes back where it was when the paragraph is focused again).
  document.addEventListener("focusin", function (event) {
    if (cursor && !panel.contains(event.target) && !cursor.container.parentElement.contains(event.target)) {
      mark("word-cursor", null);
    } else if (cursor && event.target === cursor.container.parentElement) {
      mark("word-cursor", cursor.range);
    }
  });

  closeButton.addEventListener("click", function () { close(true); });
  stepButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      if (!current) { return; }
      var word = spot(current.container, current.number + parseInt(button.getAttribute("data-step"), 10));
      if (word) { open(word, { focus: false, keepLeft: true }); }
      if (button.disabled) { heading.focus({ preventScroll: true }); } // the last word: focus stays in the panel
    });
  });
  // Tab out of the panel closes it; the focus goes on where the reader sent it.
  panel.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !panel.contains(event.relatedTarget)) { close(false); }
  });
  window.addEventListener("resize", function () { place(); });
})();
