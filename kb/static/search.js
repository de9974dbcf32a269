// Title autocomplete for every search box that names a suggest URL (the search page's and
// the header's): asks /search/suggest as you type (debounced) and shows the titles as the
// listbox its aria-controls names; arrow keys move, Enter opens, Escape closes.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url][aria-controls]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (list) { autocomplete(input, list); }
  });

  function autocomplete(input, list) {
    var timer = null;
    var active = -1;
    var latest = 0;

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(items) {
      // a list that arrives while the reader has an option picked keeps that option picked
      var picked = active >= 0 ? list.querySelectorAll("[role=option] a")[active] : null;
      var pickedUrl = picked ? picked.getAttribute("href") : null;
      list.innerHTML = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, position) {
        var option = document.createElement("li");
        option.id = list.id + "-" + position;
        option.setAttribute("role", "option");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.title;
        option.appendChild(link);
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      var again = items.findIndex(function (item) { return item.url === pickedUrl; });
      if (again >= 0) { highlight(again); }
    }

    function highlight(position) {
      var options = list.querySelectorAll("[role=option]");
      options.forEach(function (option, index) {
        option.setAttribute("aria-selected", index === position ? "true" : "false");
      });
      active = position;
      if (position >= 0) { input.setAttribute("aria-activedescendant", options[position].id); }
    }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { close(); return; }
      var ticket = ++latest;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (items) { if (ticket === latest) { show(items); } })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      var options = list.querySelectorAll("[role=option]");
      if (list.hidden || !options.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }  // not clearing the words
      else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options[active].querySelector("a").href;
      }
    });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (!option) { return; }
      event.preventDefault();  // keep the focus (and the list) until the page changes
      window.location.href = option.querySelector("a").href;
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
    // words typed before this script ran still get their suggestions
    if (document.activeElement === input) { ask(); }
  }
})();
