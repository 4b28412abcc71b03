// The buttons under the recovery codes: download them as a text file, copy them, print them. Everything is
// built from the codes on the page, in the browser: nothing asks the server for them again.
// The texts come from the template (data-…), translated like the rest of the page.
(function () {
  "use strict";
  var box = document.querySelector("[data-recovery-actions]");
  var list = document.querySelector("[data-testid='recovery-codes']");
  if (!box || !list) { return; }
  var status = document.querySelector("[data-recovery-status]");
  var codes = Array.prototype.map.call(list.querySelectorAll("li"), function (li) {
    return li.textContent.trim();
  });

  function text() {
    return [box.dataset.fileHeading, "", codes.join("\n"), "", box.dataset.fileNote, ""].join("\n");
  }

  function say(message) {
    if (status) { status.textContent = message; }
  }

  box.querySelector("[data-recovery-download]").addEventListener("click", function () {
    var url = URL.createObjectURL(new Blob([text()], { type: "text/plain;charset=utf-8" }));
    var link = document.createElement("a");
    link.href = url;
    link.download = box.dataset.fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  box.querySelector("[data-recovery-copy]").addEventListener("click", function () {
    if (!navigator.clipboard) { say(box.dataset.copyFailed); return; }
    navigator.clipboard.writeText(codes.join("\n")).then(
      function () { say(box.dataset.copied); },
      function () { say(box.dataset.copyFailed); }
    );
  });

  box.querySelector("[data-recovery-print]").addEventListener("click", function () {
    window.print();
  });

  box.hidden = false;
})();
