// Shows the branch select only for "Fylkesstyre" and the municipality select only for "Kommunekontakt".
// Without JavaScript both stay visible and the server explains any mismatch.
(function () {
  "use strict";
  var NEEDS = { board_member: "branch", municipal_contact: "municipality" };
  document.querySelectorAll("form[data-role-scope]").forEach(function (form) {
    var role = form.querySelector("select[name$='role']");
    if (!role) { return; }
    function wrapper(kind) {
      var select = form.querySelector("select[name$='" + kind + "']");
      return select ? { select: select, box: select.closest(".mb-3") || select.parentElement } : null;
    }
    var scopes = { branch: wrapper("branch"), municipality: wrapper("municipality") };
    function update() {
      var wanted = NEEDS[role.value];
      Object.keys(scopes).forEach(function (kind) {
        var scope = scopes[kind];
        if (!scope) { return; }
        var show = kind === wanted;
        scope.box.hidden = !show;
        if (!show) { scope.select.value = ""; }
      });
    }
    role.addEventListener("change", update);
    update();
  });
})();
