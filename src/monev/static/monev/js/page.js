/* Behaviour every page shares, kept out of the templates so that the Content-Security-Policy
   can forbid inline scripts and event-handler attributes (docs/security.md). */
(function () {
  "use strict";

  // The language menu applies the choice at once (its <noscript> button does without JS).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-submit-on-change]");
    if (select && select.form) {
      select.form.submit();
    }
  });

  // "Back" links go to the previous page when there is one; otherwise they follow their href.
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-history-back]");
    if (link && window.history.length > 1 && document.referrer) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
