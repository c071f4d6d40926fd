// Cairn's read-aloud button (a student's plan may say "read aloud"): pressing it reads the page part the
// button names (data-read-aloud, a CSS selector) with the browser's speech synthesis, in the page's language.
// It never starts by itself. Its words come translated from the template's data-* attributes.
(function () {
  "use strict";
  if (window.cairnReadAloud) return; // loaded once, though each swapped-in question carries the tag
  window.cairnReadAloud = true;

  function textOf(selector) {
    return Array.from(document.querySelectorAll(selector))
      .map(function (el) { return (el.innerText || el.textContent || "").trim(); })
      .filter(Boolean)
      .join(". ");
  }

  function langOf(selector) {
    var first = document.querySelector(selector);
    var holder = first && first.closest("[lang]");
    return (holder && holder.getAttribute("lang")) || document.documentElement.lang || "en";
  }

  function show(button, speaking) {
    button.setAttribute("aria-pressed", speaking ? "true" : "false");
    button.textContent = speaking ? button.dataset.labelStop : button.dataset.labelRead;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-read-aloud]");
    if (!button) return;
    var status = button.parentElement.querySelector("[data-read-aloud-status]");
    if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") {
      if (status) status.textContent = button.dataset.unsupported;
      return;
    }
    if (button.getAttribute("aria-pressed") === "true") {
      window.speechSynthesis.cancel();
      show(button, false);
      return;
    }
    var selector = button.dataset.readAloud;
    var utterance = new SpeechSynthesisUtterance(textOf(selector));
    utterance.lang = langOf(selector);
    utterance.onend = utterance.onerror = function () { show(button, false); };
    window.speechSynthesis.cancel();
    show(button, true);
    window.speechSynthesis.speak(utterance);
  });
})();
