/* Small enhancements on top of pages that already work without JavaScript.
   - Focus the error summary (or a marked element) when a page loads or htmx swaps it in,
     so screen-reader and keyboard users land on what changed.
   - After htmx replaces a whole step, move focus to its new heading.
   - Upload photos as soon as they are taken, with progress; send a dossier only once;
     show print buttons. */
(function () {
  "use strict";

  function focusFirst(root) {
    var target = root.querySelector("[data-autofocus]");
    if (!target) { return; }
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  }

  document.addEventListener("DOMContentLoaded", function () { focusFirst(document); });

  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail.target;
    // An error summary wins over the heading: the visitor must hear what to fix first.
    if (!swapped || !swapped.hasAttribute("data-focus-heading") ||
        swapped.querySelector("[data-autofocus]")) {
      focusFirst(swapped || document);
      return;
    }
    var heading = swapped.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  /* Photos of papers: send as soon as a photo is taken, and show how far the upload is. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (input.type === "file" && form && form.hasAttribute("data-upload") && input.files.length) {
      form.requestSubmit();
    }
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    var status = event.target.querySelector && event.target.querySelector("[data-upload-status]");
    if (!status || !event.detail.lengthComputable) { return; }
    status.hidden = false;
    status.querySelector("progress").value = Math.round(100 * event.detail.loaded / event.detail.total);
  });

  /* A form that must be sent once (a dossier): a second tap waits for the first. The server
     is idempotent anyway; this only spares a second request on slow connections. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-submit-once")) { return; }
    if (form.getAttribute("data-sending") === "true") { event.preventDefault(); return; }
    form.setAttribute("data-sending", "true");
  });
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-sending]"), function (form) {
      form.removeAttribute("data-sending");
    });
  });

  /* Search as you type (a box with data-results): keep the first result in sight above the
     phone's keyboard, scrolling no further than the box's own top. The visual viewport is
     what the keyboard leaves visible. */
  function keepFirstResultInView() {
    var box = document.activeElement;
    if (!box || !box.hasAttribute || !box.hasAttribute("data-results")) { return; }
    var first = document.querySelector(box.getAttribute("data-results"));
    if (!first) { return; }
    var view = window.visualViewport;
    var top = view ? view.offsetTop : 0;
    var bottom = top + (view ? view.height : window.innerHeight);
    var needed = first.getBoundingClientRect().bottom - (bottom - 8);
    var room = box.getBoundingClientRect().top - (top + 8);
    var by = Math.min(needed, room);
    if (by > 0) { window.scrollBy(0, by); }
  }
  document.addEventListener("htmx:afterSettle", keepFirstResultInView);
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", keepFirstResultInView);
  }

  /* Print buttons exist only where printing can work: with JavaScript. */
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });

  /* Sending a page: "Copy the address" where the clipboard can be written, the phone's share
     sheet where the browser has one (not in Zalo's Android webview); both stay hidden otherwise,
     and the page's steps say how to copy by hand. */
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-copy-status]");
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
      if (!navigator.clipboard || !window.isSecureContext) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.getAttribute("data-copy"));
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) { status.textContent = button.getAttribute("data-copied"); }
        });
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-share]"), function (button) {
      if (!navigator.share) { return; }
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.share({title: button.getAttribute("data-share-title"),
                         url: button.getAttribute("data-share")}).catch(function () {});
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  });
})();
