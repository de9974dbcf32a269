// The article editor's live preview: the Markdown is sent to the staff-only preview endpoint,
// which answers with the same sanitised HTML readers get. Release-note fields show only for
// release notes.
(function () {
  "use strict";
  var editor = document.getElementById("article-editor");
  var preview = document.getElementById("preview");
  if (!editor || !preview) { return; }
  var body = editor.querySelector("textarea[name=body]");
  var type = editor.querySelector("select[name=type]");
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var timer = null;
  var sent = 0;

  function showPreview() {
    var number = ++sent;
    var data = new FormData();
    data.append("body", body.value);
    fetch(preview.dataset.previewUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      if (!response.ok) { throw new Error("preview failed: " + response.status); }
      return response.json();
    }).then(function (rendered) {
      if (number === sent) { preview.innerHTML = rendered.html; }  // sanitised by the server
    }).catch(function (error) {
      preview.textContent = "The preview is unavailable (" + error.message + ").";
    });
  }

  function schedulePreview() {
    window.clearTimeout(timer);
    timer = window.setTimeout(showPreview, 300);
  }

  function showFieldsOfType() {
    var isReleaseNote = type.value === "release-note";
    editor.querySelector(".release-fields").hidden = !isReleaseNote;
    editor.querySelector(".article-fields").hidden = isReleaseNote;
  }

  body.addEventListener("input", schedulePreview);
  type.addEventListener("change", showFieldsOfType);
  showFieldsOfType();
  if (body.value.trim()) { showPreview(); }
})();
