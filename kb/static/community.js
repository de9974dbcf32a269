// The ask form: while the title is typed, similar questions and articles from the search
// index are listed, so that a question already answered is found before it is asked again.
(function () {
  "use strict";

  var tellCount = window.kbSuggestions.tellCount;
  var newTabLink = window.kbSuggestions.newTabLink;

  function setUpSimilar() {
    var input = document.querySelector("[data-similar-url]");
    var list = document.getElementById("similar");
    if (!input || !list) { return; }
    var timer = null;
    var asked = "";
    function show(items) {
      list.replaceChildren();
      (items || []).forEach(function (item) {
        var entry = document.createElement("li");
        entry.append(item.label + ": ", newTabLink(item.url, item.title));
        list.append(entry);
      });
      list.closest("section").hidden = list.children.length === 0;
      tellCount(document.getElementById("similar-status"), list.children.length);
    }
    function lookUp() {
      var text = input.value.trim();
      if (text === asked) { return; }
      asked = text;
      if (text.length < 4) { show([]); return; }
      fetch(input.dataset.similarUrl + "?q=" + encodeURIComponent(text),
            { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) { if (text === asked) { show(items); } })
        .catch(function () { /* suggestions help; they never block asking */ });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 300);
    });
    lookUp();
  }

  document.addEventListener("DOMContentLoaded", setUpSimilar);
}());
