// Title autocomplete for every search box that names a suggest URL (the search page's and
// the header's), as the ARIA combobox pattern has it: asks /search/suggest as you type
// (debounced) and shows the titles as the listbox its aria-controls names. The focus stays in
// the box: the arrow keys pick an option (aria-activedescendant), Enter opens it, Escape
// closes the list, Tab leaves the box and closes it; the options are not in the Tab order.
// A polite status beside the box says how many suggestions came.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url][aria-controls]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    if (list) { autocomplete(input, list); }
  });

  function statusBeside(list) {
    var status = document.createElement("div");
    status.setAttribute("role", "status");
    status.className = "visually-hidden suggestion-count";
    list.after(status);
    return status;
  }

  function autocomplete(input, list) {
    var timer = null;
    var active = -1;
    var latest = 0;
    var status = statusBeside(list);

    function options() { return list.querySelectorAll("[role=option]"); }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      status.textContent = "";
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function show(items) {
      // a list that arrives while the reader has an option picked keeps that option picked
      var picked = active >= 0 ? options()[active] : null;
      var pickedUrl = picked ? picked.dataset.url : null;
      list.innerHTML = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items.forEach(function (item, position) {
        var option = document.createElement("li");
        option.id = list.id + "-" + position;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = item.url;
        option.textContent = item.title;
        list.appendChild(option);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      status.textContent = items.length === 1 ? "1 suggestion"
        : items.length ? items.length + " suggestions" : "";
      var again = items.findIndex(function (item) { return item.url === pickedUrl; });
      if (again >= 0) { highlight(again); }
    }

    function highlight(position) {
      var all = options();
      all.forEach(function (option, index) {
        option.setAttribute("aria-selected", index === position ? "true" : "false");
      });
      active = position;
      if (position >= 0) {
        input.setAttribute("aria-activedescendant", all[position].id);
        all[position].scrollIntoView({block: "nearest"});
      }
    }

    function open(option) { window.location.href = option.dataset.url; }

    function ask() {
      var text = input.value.trim();
      if (text.length < 2) { latest++; close(); return; }
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
      var all = options();
      if (list.hidden || !all.length) { return; }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % all.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + all.length) % all.length); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }  // not clearing the words
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); open(all[active]); }
    });
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest("[role=option]");
      if (!option) { return; }
      event.preventDefault();  // keep the focus (and the list) until the page changes
      open(option);
    });
    // leaving the box (Tab, a click elsewhere) closes the list at once, and an answer still on
    // its way does not open it again behind the reader's back
    input.addEventListener("blur", function () { clearTimeout(timer); latest++; close(); });
    // words typed before this script ran still get their suggestions
    if (document.activeElement === input) { ask(); }
  }
})();
