// The header's menus without a mouse: opening one closes the others, Escape closes the open one
// and puts the focus back on its button, and leaving a menu (Tab, a click elsewhere) closes it.
// Below 1024 px the whole navigation is such a menu (details.nav-menu), a panel over the page:
// left open, it would hide the element the focus moved on to. Without this script the menus
// still open and close (they are <details> elements).
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  if (!header) { return; }
  var menus = function () { return header.querySelectorAll("details"); };

  // the phone's menu panel is one only while its Menu button shows (on a wide screen the
  // navigation is always laid out, whatever the <details> says)
  function isMenu(details) {
    if (!details.classList.contains("nav-menu")) { return details.classList.contains("dropdown"); }
    return details.querySelector("summary").getClientRects().length > 0;
  }

  function openMenusAround(element) {
    var found = [];
    for (var details = element.closest("details[open]"); details;
         details = details.parentElement && details.parentElement.closest("details[open]")) {
      if (isMenu(details)) { found.push(details); }
    }
    return found;
  }

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
    var inner = openMenusAround(event.target)[0];
    if (inner) { event.preventDefault(); close(inner, true); }
  });

  header.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (!next) { return; }  // the window lost the focus: the menus stay as they were
    openMenusAround(event.target).forEach(function (leaving) {
      if (!leaving.contains(next)) { close(leaving, false); }
    });
  });

  document.addEventListener("click", function (event) {
    menus().forEach(function (details) {
      if (details.open && !details.contains(event.target)) { close(details, false); }
    });
  });
})();
