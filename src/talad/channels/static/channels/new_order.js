// The new-order page: pick an area the chat text suggested, add the lines it proposed,
// remove a line, search products.
document.addEventListener("click", (event) => {
  const area = event.target.closest("[data-fill-area]");
  if (area) {
    for (const key of ["subdistrict", "district", "province", "postcode"]) {
      document.getElementById("id_" + key).value = area.dataset[key];
    }
    return;
  }
  const addAll = event.target.closest("[data-add-proposed]");
  if (addAll) {
    for (const line of document.querySelectorAll("[data-proposed-line]:not([disabled])")) line.click();
    addAll.disabled = true;
    return;
  }
  const remove = event.target.closest("[data-remove-line]");
  if (remove) {
    const form = remove.closest("form");
    remove.closest("tr").remove();
    htmx.trigger(form, "lines-changed"); // the totals follow the lines that are left
  }
});

// Enter in the product search picks nothing and must not save the half-made order.
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.matches("[data-enter-stays]")) event.preventDefault();
});

// A line proposed from the chat is added once.
document.addEventListener("htmx:afterRequest", (event) => {
  if (event.detail.elt.matches("[data-proposed-line]") && event.detail.successful) {
    event.detail.elt.disabled = true;
  }
});
