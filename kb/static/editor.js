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
    if (preview.dataset.articleId) { data.append("article_id", preview.dataset.articleId); }
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

  // The images part: uploads and removals are sent by script, so unsaved text stays as it is
  var images = document.getElementById("images");
  var status = document.getElementById("image-status");

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("field-error", Boolean(isError));
  }

  function showCopyButtons() {
    if (!navigator.clipboard) { return; }
    images.querySelectorAll("button[data-copy-markdown]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function sendImageForm(event) {
    var form = event.target.closest("form[data-image-form]");
    if (!form) { return; }
    event.preventDefault();
    var file = form.querySelector("input[type=file]");
    var limit = Number(form.dataset.maxBytes);
    if (file && file.files.length && limit && file.files[0].size > limit) {
      say(file.files[0].name + " is larger than the limit of " + form.dataset.maxSize +
          " per image; nothing was uploaded.", true);
      return;
    }
    say("Sending ...");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () {
        return { error: "The upload failed (" + response.status + ")." };
      });
    }).then(function (answer) {
      if (answer.error) { say(answer.error, true); return; }
      document.getElementById("image-list").innerHTML = answer.html;
      say(answer.message);
      if (form.classList.contains("image-upload")) { form.reset(); }
      showCopyButtons();
      showPreview();
    }).catch(function (error) {
      say("The image could not be sent (" + error.message + ").", true);
    });
  }

  function copyMarkdown(event) {
    var button = event.target.closest("button[data-copy-markdown]");
    if (!button) { return; }
    var code = document.getElementById(button.dataset.copyMarkdown);
    navigator.clipboard.writeText(code.textContent.trim()).then(function () {
      say("Copied: " + code.textContent.trim());
    }, function () {
      say("Copying was refused: select the Markdown and copy it.", true);
    });
  }

  // "Remove ..." leads to a confirmation page; here the same question is asked in place
  function askBeforeRemoving(event) {
    var link = event.target.closest("a[data-confirm-removal]");
    var keep = event.target.closest("button[data-keep-image]");
    if (link) {
      event.preventDefault();
      var form = document.getElementById(link.dataset.confirmRemoval);
      link.hidden = true;
      form.hidden = false;
      form.querySelector("button[type=submit]").focus();
    } else if (keep) {
      var asked = keep.closest("form");
      var removal = images.querySelector('a[data-confirm-removal="' + asked.id + '"]');
      asked.hidden = true;
      removal.hidden = false;
      removal.focus();
    }
  }

  if (images && status) {
    images.addEventListener("submit", sendImageForm);
    images.addEventListener("click", copyMarkdown);
    images.addEventListener("click", askBeforeRemoving);
    showCopyButtons();
  }
  body.addEventListener("input", schedulePreview);
  type.addEventListener("change", showFieldsOfType);
  showFieldsOfType();
  if (body.value.trim()) { showPreview(); }
})();
