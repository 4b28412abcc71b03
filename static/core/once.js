// One-time tokens of create forms (core/once.py): the token belongs to the form's place in the browser's history.
// Our pages are sent `no-store`, so Back to a form re-fetches it: the browser refills the fields the person typed,
// but the page carries a new token (Chromium does not refill a hidden field the page itself wrote), and saving
// it again would make a second object. So the token the page first showed is kept in this history entry's state
// (`history.state`, which survives Back, Forward and reload), and put back into the form when the entry is shown
// again. A form reached by a link is a new entry, with the new token the server drew.
(function () {
  "use strict";
  var NAME = "engangsnokkel";
  var SHAPE = /^[A-Za-z0-9_-]{20,64}$/;
  var fields = document.querySelectorAll("input[type='hidden'][name='" + NAME + "']");
  if (!fields.length || !window.history || !window.history.replaceState) { return; }
  var state = window.history.state;
  var kept = state && typeof state === "object" ? state[NAME] : "";
  if (typeof kept === "string" && SHAPE.test(kept)) {
    fields.forEach(function (field) { field.value = kept; });
    return;
  }
  var merged = {};
  if (state && typeof state === "object") { Object.assign(merged, state); }
  merged[NAME] = fields[0].value;
  try {
    window.history.replaceState(merged, "");
  } catch (error) {
    // A state the browser cannot store: the form works as before, the server-side check still holds on a re-post.
  }
})();
