/* Small enhancements that the pages do not depend on. */
(function () {
  "use strict";
  // WCAG 1.4.13: a stat's source note shown on hover/focus can be dismissed with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll(".stat-card").forEach(function (card) {
      card.classList.add("note-dismissed");
    });
  });
  document.addEventListener("focusin", function (event) {
    var card = event.target.closest && event.target.closest(".stat-card");
    if (card) card.classList.remove("note-dismissed");
  });
  // Once the pointer and focus have both left a dismissed card, hovering it shows its note again.
  document.addEventListener("mouseout", function (event) {
    var card = event.target.closest && event.target.closest(".stat-card");
    if (!card || card.contains(event.relatedTarget) || card.contains(document.activeElement)) return;
    card.classList.remove("note-dismissed");
  });
})();
