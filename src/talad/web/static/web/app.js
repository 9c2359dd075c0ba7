// Talad's site-wide script: confirmations, one submission per click, the shop switcher.
// Pages with more behaviour load their own file from their app's static folder; none has
// inline script or on…= handlers, because the Content-Security-Policy allows neither.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return; // a page's own script refused it (e.g. a question answered "no")
  const form = event.target;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // After the browser has taken the submission, stop a second click from sending it again.
  setTimeout(() => form.querySelectorAll("button[type=submit]").forEach((b) => (b.disabled = true)), 0);
});

// On a phone, start with the bulk-action bar folded so the orders show on the first screen.
document.addEventListener("DOMContentLoaded", () => {
  if (window.innerWidth < 600) document.querySelectorAll("details.bulk").forEach((d) => (d.open = false));
});

// A select marked data-submit-on-change sends its form as soon as it changes (the shop switcher).
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
});
