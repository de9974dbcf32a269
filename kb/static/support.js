// Support desk: response-target clocks count down, the incident form suggests articles while
// the title is typed (deflection, through the search API) and tells the chosen product's
// severities without a response target, the staff queue reloads itself
// while nothing in it is ticked, typed in or focused (unless paused), and a canned reply joins
// what is typed.
(function () {
  "use strict";

  function durationText(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000);
    var days = Math.floor(minutes / 1440), hours = Math.floor((minutes % 1440) / 60);
    var parts = [];
    if (days) { parts.push(days + " d"); }
    if (hours) { parts.push(hours + " h"); }
    if (minutes % 60 || !parts.length) { parts.push((minutes % 60) + " min"); }
    return parts.slice(0, 2).join(" ");
  }

  function tickClocks() {
    document.querySelectorAll("[data-countdown]").forEach(function (clock) {
      var left = new Date(clock.dataset.countdown).getTime() - Date.now();
      clock.textContent = left >= 0 ? "in " + durationText(left) : "overdue by " + durationText(left);
      var badge = clock.closest(".target");
      if (badge && left < 0) { badge.classList.replace("target-due", "target-overdue"); }
    });
  }

  var tellCount = window.kbSuggestions.tellCount;
  var newTabLink = window.kbSuggestions.newTabLink;

  function setUpDeflection() {
    var input = document.querySelector("[data-deflect-url]");
    var list = document.getElementById("deflection-list");
    if (!input || !list) { return; }
    var timer = null;
    function show(data) {
      list.replaceChildren();
      (data.results || []).forEach(function (hit) {
        var entry = document.createElement("li");
        entry.append(newTabLink(hit.url, hit.title));
        list.append(entry);
      });
      list.closest("section").hidden = list.children.length === 0;
      tellCount(document.getElementById("deflection-status"), list.children.length);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var words = input.value.split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w.length > 2; });
        if (!words.length) { show({}); return; }
        var url = input.dataset.deflectUrl + "?type=article&per_page=5&q=" +
          encodeURIComponent(words.slice(0, 8).join(" OR "));
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : {}; })
          .then(show)
          .catch(function () { /* suggestions help; they never block logging */ });
      }, 300);
    });
  }

  // the severities without a response target are told for the product chosen, never before
  function setUpTargetHints() {
    var product = document.querySelector(".incident-form select[name=product]");
    if (!product) { return; }
    product.addEventListener("change", function () {
      document.querySelectorAll("[data-unavailable-for]").forEach(function (hint) {
        hint.hidden = hint.dataset.unavailableFor !== product.value;
      });
    });
  }

  // a reload puts a screen reader back at the top of the page: it waits while the reader is
  // in the queue, and can be paused for good (remembered in this browser)
  var REFRESH_PAUSED = "kb.queue.refreshPaused";

  function refreshPaused() {
    try { return window.localStorage.getItem(REFRESH_PAUSED) === "1"; } catch (e) { return false; }
  }

  function setRefreshPaused(paused) {
    try {
      if (paused) { window.localStorage.setItem(REFRESH_PAUSED, "1"); } else {
        window.localStorage.removeItem(REFRESH_PAUSED);
      }
    } catch (e) { /* storage refused: the choice lasts for this page */ }
  }

  function setUpRefresh() {
    var marker = document.querySelector("[data-refresh-seconds]");
    if (!marker) { return; }
    var seconds = parseInt(marker.dataset.refreshSeconds, 10) || 60;
    var toggle = document.getElementById("refresh-toggle");
    var paused = refreshPaused();
    function label() {
      toggle.textContent = paused ? "Resume automatic refresh" : "Pause automatic refresh";
    }
    if (toggle) {
      toggle.hidden = false;
      label();
      toggle.addEventListener("click", function () {
        paused = !paused;
        setRefreshPaused(paused);
        label();
      });
    }
    setInterval(function () {
      var active = document.activeElement;
      var queue = document.querySelector("table.queue");
      var busy = paused || document.querySelector("input[name=incident]:checked") ||
        (active && /INPUT|SELECT|TEXTAREA/.test(active.tagName)) ||
        (active && queue && queue.contains(active));
      if (!busy) { window.location.reload(); }
    }, seconds * 1000);
  }

  // "Use as reply" adds the article's text to what is typed already; without script the page
  // reloads with the text in an empty reply box
  function setUpCannedReplies() {
    var form = document.querySelector(".canned-form");
    var reply = document.querySelector("textarea[name=body]");
    if (!form || !reply) { return; }
    form.addEventListener("submit", function (event) {
      var chosen = form.querySelector("select").selectedOptions[0];
      if (!chosen || !chosen.dataset.text) { return; }
      event.preventDefault();
      var typed = reply.value.replace(/\s+$/, "");
      reply.value = typed ? typed + "\n\n" + chosen.dataset.text : chosen.dataset.text;
      reply.focus();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCannedReplies();
    tickClocks();
    setInterval(tickClocks, 30000);
    setUpDeflection();
    setUpTargetHints();
    setUpRefresh();
  });
})();
