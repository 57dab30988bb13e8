/* Notice compose: show only the part of 「发给谁」 that belongs to the chosen way. */
(function () {
  "use strict";
  var radios = document.querySelectorAll("input[name=audience_mode]");
  function update() {
    var mode = (document.querySelector("input[name=audience_mode]:checked") || {}).value;
    document.querySelectorAll(".audience-part").forEach(function (part) {
      part.hidden = part.dataset.mode !== mode;
    });
  }
  radios.forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
