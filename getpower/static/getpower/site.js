// Small behaviours every page shares (no framework): irreversible actions ask first
// (form[data-confirm]); a submitted form shows it is busy and cannot be sent twice
// (form[data-busy]); htmx requests mark their trigger busy the same way.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-busy") && !event.defaultPrevented) {
      if (form.dataset.submitting === "true") {
        event.preventDefault();  // a second click while the first is on its way
        return;
      }
      form.dataset.submitting = "true";
      form.setAttribute("aria-busy", "true");
      var button = event.submitter || form.querySelector("button[type=submit], button:not([type])");
      if (button) {
        button.dataset.label = button.textContent;
        button.textContent = button.getAttribute("data-busy-label") || "处理中…";
        // Disabled after the submit event so the button's own name/value is still sent.
        setTimeout(function () { button.disabled = true; }, 0);
      }
    }
  }, true);
  // Back/forward cache: a page shown again must not keep a busy button.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submitting=true]").forEach(function (form) {
      delete form.dataset.submitting;
      form.removeAttribute("aria-busy");
      var button = form.querySelector("button[disabled]") || document.querySelector("button[form='" + form.id + "'][disabled]");
      if (button) { button.disabled = false; if (button.dataset.label) button.textContent = button.dataset.label; }
    });
  });
  // A failed submit: take the reader to the summary of what to fix.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    event.target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.target.dataset.submitting !== "true") event.target.removeAttribute("aria-busy");
  });
})();
