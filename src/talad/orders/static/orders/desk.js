// The order desk: print the selected orders as one PDF in a new tab; the label layout is
// remembered. The print row is there only for people who may pack.
document.addEventListener("DOMContentLoaded", () => {
  const row = document.getElementById("print-selected");
  if (!row) return;
  const layout = document.getElementById("print-layout");
  layout.value = localStorage.getItem("talad.print.layout") || "label";
  layout.addEventListener("change", () => localStorage.setItem("talad.print.layout", layout.value));
  row.addEventListener("click", (event) => {
    const button = event.target.closest("[data-print]");
    if (!button) return;
    const ids = [...document.querySelectorAll("#bulk-form input[name=order_ids]:checked")].map((box) => box.value);
    if (!ids.length) { window.alert(row.dataset.noneSelected); return; }
    const url = new URL(button.dataset.print, window.location.href);
    url.searchParams.set("order_ids", ids.join(","));
    if (button.hasAttribute("data-layout")) url.searchParams.set("layout", layout.value);
    window.open(url, "_blank");
  });
});

// Select all: the box in the header ticks every order shown (also those "see more" added).
document.addEventListener("DOMContentLoaded", () => {
  const all = document.getElementById("select-all");
  if (!all) return;
  const boxes = () => [...document.querySelectorAll("#bulk-form input[name=order_ids]")];
  all.addEventListener("change", () => boxes().forEach((box) => (box.checked = all.checked)));
  document.addEventListener("change", (event) => {
    if (!event.target.matches("#bulk-form input[name=order_ids]")) return;
    const ticked = boxes().filter((box) => box.checked).length;
    all.checked = ticked > 0 && ticked === boxes().length;
    all.indeterminate = ticked > 0 && ticked < boxes().length;
  });
});

// Bulk actions: cancelling is red, needs a reason and asks first, naming how many orders.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("bulk-form");
  if (!form) return;
  const action = document.getElementById("bulk-action");
  const reason = document.getElementById("bulk-reason");
  const submit = form.querySelector("[data-testid=bulk-submit]");
  const follow = () => {
    const cancelling = action.value === "cancel";
    submit.classList.toggle("danger", cancelling);
    reason.setAttribute("aria-required", cancelling); // checked below, to say so in Thai
    reason.setCustomValidity("");
  };
  action.addEventListener("change", follow);
  reason.addEventListener("input", () => reason.setCustomValidity(""));
  follow();
  // Listening on the form runs before the site-wide listener on the document, which then
  // leaves a refused submission alone.
  form.addEventListener("submit", (event) => {
    const ticked = form.querySelectorAll("input[name=order_ids]:checked").length;
    if (!ticked) {
      event.preventDefault();
      window.alert(form.dataset.noneSelected);
      return;
    }
    if (action.value !== "cancel") return;
    if (!reason.value.trim()) {
      event.preventDefault();
      reason.setCustomValidity(form.dataset.reasonRequired);
      reason.reportValidity();
      return;
    }
    if (!window.confirm(form.dataset.confirmCancel.replace("{n}", ticked))) event.preventDefault();
  });
});
