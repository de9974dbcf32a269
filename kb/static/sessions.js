// Learning sessions: transcript timestamps seek the player, #t=SECONDS seeks on load, the topic
// form suggests related material while typing, and a session page reloads when its join
// details are due.
(function () {
  "use strict";

  function seek(video, seconds) {
    if (!video || isNaN(seconds)) { return; }
    var apply = function () { video.currentTime = seconds; };
    if (video.readyState >= 1) { apply(); } else {
      video.addEventListener("loadedmetadata", apply, { once: true });
      video.load();
    }
  }

  function hashSeconds() {
    var match = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    return match ? parseFloat(match[1]) : NaN;
  }

  function setUpTranscript() {
    var video = document.getElementById("player");
    document.querySelectorAll("[data-seek]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!video) { return; }
        event.preventDefault();
        var seconds = parseFloat(link.dataset.seek);
        history.replaceState(null, "", "#t=" + link.dataset.seek);
        seek(video, seconds);
        video.play().catch(function () { /* autoplay may be refused; the seek stands */ });
      });
    });
    if (video) {
      seek(video, hashSeconds());
      window.addEventListener("hashchange", function () { seek(video, hashSeconds()); });
      var segments = document.querySelectorAll("[data-segment-start]");
      video.addEventListener("timeupdate", function () {
        segments.forEach(function (segment) {
          var start = parseFloat(segment.dataset.segmentStart);
          var end = parseFloat(segment.dataset.segmentEnd);
          var current = video.currentTime >= start && video.currentTime < end;
          segment.classList.toggle("current", current);
          // told to assistive technology too, not only shown
          if (current) { segment.setAttribute("aria-current", "true"); } else { segment.removeAttribute("aria-current"); }
        });
      });
    }
  }

  function setUpSuggestions() {
    // the topic form's title, not the header's search box, which has a suggest URL too
    var input = document.querySelector("main [data-suggest-url]");
    var box = document.getElementById("suggestions");
    if (!input || !box) { return; }
    var timer = null;
    // an open request of that very title comes first, above articles
    var labels = { exact: "Already requested", recordings: "Recording", articles: "Article",
                   topics: "Existing request" };
    function show(data) {
      box.replaceChildren();
      Object.keys(labels).forEach(function (kind) {
        (data[kind] || []).forEach(function (item) {
          var entry = document.createElement("li");
          var link = document.createElement("a");
          link.href = item.url;
          link.textContent = item.title;
          entry.append(labels[kind] + ": ", link);
          box.append(entry);
        });
      });
      box.closest("section").hidden = box.children.length === 0;
      window.kbSuggestions.tellCount(document.getElementById("suggestions-status"),
                                     box.children.length);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(input.value);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : {}; })
          .then(show)
          .catch(function () { /* suggestions are a help, never a blocker */ });
      }, 250);
    });
  }

  function setUpReload() {
    var marker = document.querySelector("[data-reload-at]");
    if (!marker) { return; }
    var wait = Date.parse(marker.dataset.reloadAt) - Date.now();
    if (wait < 24 * 3600 * 1000) {
      setTimeout(function () { window.location.reload(); }, Math.max(wait, 0) + 1000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpTranscript();
    setUpSuggestions();
    setUpReload();
  });
})();
