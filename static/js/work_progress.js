/* An article's recognition and translation, while queued or running: the notice on its
   admin pages asks the progress endpoint again every few seconds, and says when the work
   is done (with a link to reload the page, which an editor chooses: a form may be half
   filled). No inline script: the page's CSP allows none. */
(function () {
  "use strict";

  var notice = document.querySelector(".work-progress");
  if (!notice || notice.classList.contains("is-idle")) { return; }
  var text = notice.querySelector(".work-progress-text");
  var reload = notice.querySelector(".work-progress-reload");
  var EVERY = 3000;

  function ask() {
    fetch(notice.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (data.pending.length) {
          text.textContent = data.pending.map(function (item) { return item.text; }).join(" · ");
          window.setTimeout(ask, EVERY);
          return;
        }
        text.textContent = data.done_text;
        notice.classList.add("is-done");
        reload.href = window.location.pathname + window.location.search;
        reload.hidden = false;
      })
      .catch(function () { window.setTimeout(ask, EVERY * 3); });
  }
  window.setTimeout(ask, EVERY);
})();
