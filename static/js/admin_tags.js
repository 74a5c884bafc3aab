/* The tag widget: each tag typed in the line (separated by , or ،) is shown as
   a chip under it while the editor types, so a stray comma is seen at once. */
(function () {
  "use strict";

  function tags(value) {
    var seen = [];
    value.split(/[,،\n]/).forEach(function (tag) {
      tag = tag.trim().replace(/\s+/g, " ");
      if (tag && seen.indexOf(tag) === -1) { seen.push(tag); }
    });
    return seen;
  }

  function render(input) {
    var list = input.parentElement.querySelector(".tag-chips");
    list.textContent = "";
    tags(input.value).forEach(function (tag) {
      var item = document.createElement("li");
      var isolated = document.createElement("bdi");
      isolated.textContent = tag;
      item.appendChild(isolated);
      list.appendChild(item);
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-tags]")) { render(event.target); }
  });
})();
