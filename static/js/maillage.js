/* Small enhancements shared by every page; each page works without them. */
(function () {
  "use strict";
  // Filters fold behind a <details> on phones; wide screens show them open.
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-fold-wide]").forEach(function (details) {
      details.open = true;
    });
  }
})();
