/* Small enhancements on top of pages that already work without JavaScript.
   - Focus the error summary (or a marked element) when a page loads or htmx swaps it in,
     so screen-reader and keyboard users land on what changed.
   - After htmx replaces a whole step, move focus to its new heading.
   - Upload photos as soon as they are taken, with progress; send a dossier only once;
     show print buttons. */
(function () {
  "use strict";

  /* Words that are true only while htmx runs ("this page updates by itself") are shown by
     this class; without JavaScript they stay hidden. */
  if (window.htmx) { document.documentElement.classList.add("htmx-on"); }

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

  /* The display settings come back to the page in the address bar: after htmx swapped in
     another step, that is the new step, not the page first loaded. */
  function keepSettingsOnThisPage() {
    Array.prototype.forEach.call(document.querySelectorAll("input[data-current-page]"), function (input) {
      input.value = window.location.pathname + window.location.search;
    });
  }
  document.addEventListener("htmx:pushedIntoHistory", keepSettingsOnThisPage);
  window.addEventListener("popstate", keepSettingsOnThisPage);

  /* Photos of papers: send as soon as a photo is taken, and show how far the upload is. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    var form = input.form;
    if (input.type === "file" && form && form.hasAttribute("data-upload") && input.files.length) {
      form.requestSubmit();
    }
  });
  /* A file input with data-preview: a thumbnail of each photo chosen, before it is sent. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.hasAttribute("data-preview")) { return; }
    var box = document.querySelector(input.getAttribute("data-preview"));
    if (!box) { return; }
    box.textContent = "";
    Array.prototype.forEach.call(input.files, function (file, index) {
      var figure = document.createElement("p");
      figure.className = "photo";
      if (!/^image\//.test(file.type)) {
        figure.textContent = file.name;
        box.appendChild(figure);
        return;
      }
      var img = document.createElement("img");
      img.className = "photo-thumb";
      img.alt = (box.getAttribute("data-alt") || "Ảnh %n").replace("%n", String(index + 1));
      var reader = new FileReader();
      reader.onload = function () { img.src = reader.result; };
      reader.readAsDataURL(file);
      figure.appendChild(img);
      box.appendChild(figure);
    });
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

  /* A report's place: "Use my current location" (webapp/reports/location.py). Shown only
     where the browser can tell a position; the browser asks her only when she taps it. The
     position is rounded here already (4 decimals, about 11 m): the exact one never leaves the
     phone. Refused or failed: nothing is sent, the place in words is enough. */
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.querySelector("[data-location]");
    if (!box || !navigator.geolocation) { return; }
    var button = box.querySelector("[data-location-button]");
    var status = box.querySelector("[data-location-status]");
    var fields = {
      latitude: box.querySelector("[data-location-latitude]"),
      longitude: box.querySelector("[data-location-longitude]"),
      consent: box.querySelector("[data-location-consent]")
    };
    box.hidden = false;
    function clear() { fields.latitude.value = fields.longitude.value = fields.consent.value = ""; }
    button.addEventListener("click", function () {
      status.textContent = status.getAttribute("data-waiting");
      navigator.geolocation.getCurrentPosition(function (position) {
        fields.latitude.value = position.coords.latitude.toFixed(4);
        fields.longitude.value = position.coords.longitude.toFixed(4);
        fields.consent.value = "yes";
        status.textContent = status.getAttribute("data-found");
      }, function () {
        clear();
        status.textContent = status.getAttribute("data-denied");
      }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000});
    });
  });

  /* A kiosk at the one-stop shop: after a while without a touch, ask "still there?" with a
     countdown; at zero, or on "Bắt đầu lại", clear the browser's storage and send the form
     that forgets the visitor on the server (which also clears cookies and the cache). */
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.documentElement;
    var form = document.querySelector("[data-kiosk-reset]");
    var dialog = document.querySelector("[data-kiosk-idle-dialog]");
    if (!root.hasAttribute("data-kiosk-idle") || !form || !dialog) { return; }
    var idleMs = 1000 * Number(root.getAttribute("data-kiosk-idle"));
    var countdown = Number(root.getAttribute("data-kiosk-countdown"));
    var seconds = dialog.querySelector("[data-kiosk-seconds]");
    var idleTimer = null, tick = null, left = countdown;

    function forget() {
      try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* none */ }
      form.submit();
    }
    function ask() {
      left = countdown;
      seconds.textContent = String(left);
      dialog.hidden = false;
      dialog.querySelector("[data-kiosk-still-here]").focus();
      tick = window.setInterval(function () {
        left -= 1;
        seconds.textContent = String(Math.max(left, 0));
        if (left <= 0) { window.clearInterval(tick); forget(); }
      }, 1000);
    }
    function stillHere() {
      if (tick) { window.clearInterval(tick); tick = null; }
      dialog.hidden = true;
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(ask, idleMs);
    }
    ["pointerdown", "keydown", "input", "scroll", "touchstart"].forEach(function (name) {
      document.addEventListener(name, function () { if (dialog.hidden) { stillHere(); } },
                                {passive: true, capture: true});
    });
    dialog.querySelector("[data-kiosk-still-here]").addEventListener("click", stillHere);
    form.addEventListener("submit", function () {
      try { window.sessionStorage.clear(); window.localStorage.clear(); } catch (e) { /* none */ }
    });
    stillHere();
  });
})();
