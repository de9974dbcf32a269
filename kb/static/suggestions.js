// What the pages that suggest while typing share (the incident form's articles, the community's
// similar questions, a topic request's recordings and sessions): the count told to a screen
// reader, and links that open in a new tab saying so.
window.kbSuggestions = (function () {
  "use strict";

  // the count goes to a live region present from the start: one added (or unhidden) with the
  // results is not announced by every screen reader
  function tellCount(status, count) {
    if (!status) { return; }
    status.textContent = !count ? "" : count + " " +
      (count === 1 ? status.dataset.foundOne : status.dataset.foundMany);
  }

  function newTabLink(url, title) {
    var link = document.createElement("a");
    link.href = url;
    link.textContent = title;
    link.target = "_blank";
    link.rel = "noopener";
    var warning = document.createElement("span");
    warning.className = "visually-hidden";
    warning.textContent = " (opens in a new tab)";
    link.append(warning);
    return link;
  }

  return { tellCount: tellCount, newTabLink: newTabLink };
})();
