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
