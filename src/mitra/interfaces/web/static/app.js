// Mitra's own small script. Every page works without it; it only saves taps and scrolling.
"use strict";

// Questionnaires: a tap on an answer brings the next question into view (one tap per answer).
// Only for a pointer tap (event.detail > 0): arrow keys move between answers as usual.
document.addEventListener("click", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "radio" || event.detail === 0) return;
  const question = input.closest("fieldset.question");
  if (!question) return;
  let next = question.nextElementSibling;
  while (next && !next.matches("fieldset.question, #finish")) next = next.nextElementSibling;
  if (next) next.scrollIntoView({ block: "start", behavior: "smooth" });
});

// Discreet mode's Hide: replace this page in the history, so Back does not bring it back.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-hide]") : null;
  if (!link) return;
  event.preventDefault();
  window.location.replace(link.href);
});
