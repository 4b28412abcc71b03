// Secret calendar addresses (templates/partials/calendar_feed.html): the field selects its whole text when
// focused, and «Kopier adressen» copies it and says so in a live region. Without JavaScript the button stays
// hidden and the address can be selected and copied by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
    // A click places the cursor after focus has selected; select again so one click marks it all.
    field.addEventListener("mouseup", function (event) { event.preventDefault(); field.select(); });
  });
  document.querySelectorAll("button[data-copy-from]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    var status = document.querySelector("[data-copy-status='" + button.getAttribute("data-copy-from") + "']");
    if (!field || !status) { return; }
    function say(text) {
      status.textContent = "";
      // A fresh text node each time, so a second copy is announced again.
      window.setTimeout(function () { status.textContent = text; }, 50);
    }
    function fallback() {
      field.focus();
      field.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (e) { done = false; }
      say(button.getAttribute(done ? "data-copied" : "data-copy-failed"));
    }
    button.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say(button.getAttribute("data-copied"));
        }, fallback);
      } else {
        fallback();
      }
    });
    button.hidden = false;
  });
})();
