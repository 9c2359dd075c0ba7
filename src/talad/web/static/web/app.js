// Talad's only hand-written script: confirmations and one submission per click.
document.addEventListener("submit", (event) => {
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
