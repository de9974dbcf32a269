// The header's menus without a mouse: opening one closes the others, Escape closes the open one
// and puts the focus back on its button, and leaving a menu (Tab, a click elsewhere) closes it.
// Without this script the menus still open and close (they are <details> elements).
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  if (!header) { return; }
  var menus = function () { return header.querySelectorAll("details"); };

  function close(details, refocus) {
    details.open = false;
    if (refocus) { details.querySelector("summary").focus(); }
  }

  header.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.open) { return; }
    // the toggle event comes a moment later: a submenu opened inside this menu meanwhile
    // (a quick Enter, Tab, Enter) is not one of the others
    menus().forEach(function (other) {
      if (other !== opened && other.open && !other.contains(opened) && !opened.contains(other)) {
        close(other, false);
      }
    });
  }, true);

  header.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var inner = event.target.closest("details[open]");
    if (inner) { event.preventDefault(); close(inner, true); }
  });

  header.addEventListener("focusout", function (event) {
    var leaving = event.target.closest("details.dropdown[open]");
    if (leaving && event.relatedTarget && !leaving.contains(event.relatedTarget)) {
      close(leaving, false);
    }
  });

  document.addEventListener("click", function (event) {
    menus().forEach(function (details) {
      if (details.open && !details.contains(event.target)) { close(details, false); }
    });
  });
})();
