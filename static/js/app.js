/* Small enhancements on top of pages that already work without JavaScript.
   - Focus the error summary (or a marked element) when a page loads or htmx swaps it in,
     so screen-reader and keyboard users land on what changed.
   - After htmx replaces a whole step, move focus to its new heading. */
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
    if (!swapped || !swapped.hasAttribute("data-focus-heading")) {
      focusFirst(swapped || document);
      return;
    }
    var heading = swapped.querySelector("h1");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });
})();
