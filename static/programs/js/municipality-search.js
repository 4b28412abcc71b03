// Filters the municipality checkboxes as the user types; without JavaScript every municipality is listed.
(function () {
  "use strict";
  var input = document.getElementById("municipality-search");
  if (!input) { return; }
  var list = document.getElementById(input.getAttribute("data-filter-target"));
  var count = document.getElementById("municipality-count");
  var items = list ? list.querySelectorAll(".form-check") : [];
  function update() {
    var needle = input.value.trim().toLowerCase();
    var shown = 0;
    var chosen = 0;
    var names = [];
    items.forEach(function (item) {
      var match = !needle || item.getAttribute("data-name").indexOf(needle) !== -1;
      var box = item.querySelector("input");
      if (box && box.checked) {
        chosen += 1;
        names.push(item.querySelector("label").textContent.trim());
      }
      // Chosen municipalities stay visible so a search never hides what is selected.
      item.hidden = !(match || (box && box.checked));
      if (!item.hidden) { shown += 1; }
    });
    count.textContent = (count.getAttribute("data-count-text") || "%(shown)s / %(total)s")
      .replace("%(shown)s", shown).replace("%(total)s", items.length).replace("%(chosen)s", chosen);
    // The names of the chosen municipalities, outside the scroll box, so none is hidden.
    var chosenList = document.getElementById("municipality-chosen-list");
    var none = document.getElementById("municipality-chosen-none");
    if (chosenList) {
      chosenList.textContent = "";
      names.forEach(function (name) {
        var li = document.createElement("li");
        li.className = "list-inline-item badge text-bg-light border";
        li.textContent = name;
        chosenList.appendChild(li);
      });
    }
    if (none) { none.hidden = names.length > 0; }
  }
  input.addEventListener("input", update);
  if (list) { list.addEventListener("change", update); }
  update();
})();
