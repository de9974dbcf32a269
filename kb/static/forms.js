// A form is posted once: submitted again while its first submission is on its way (a double
// click, Enter pressed twice, a second click on a slow upload) it is not sent again, so nothing
// is logged, sent or booked twice. A form a script sends itself (it prevents the default) is
// left alone; the guard lifts when the page is shown again (Back) or after a while, in case
// the first request was stopped.
(function () {
  "use strict";
  var RETRY_AFTER_MS = 15000;

  function release(form) {
    delete form.dataset.sending;
    form.removeAttribute("aria-busy");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || (form.getAttribute("method") || "").toLowerCase() !== "post") {
      return;
    }
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "1";
    form.setAttribute("aria-busy", "true");
    setTimeout(function () { release(form); }, RETRY_AFTER_MS);
  });

  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(release);
  });
})();
