// Small behaviours wired by data attributes, so that pages need no inline script and the
// Content-Security-Policy can forbid it (script-src 'self', no 'unsafe-inline' or eval).
document.addEventListener("click", function (event) {
  const print = event.target.closest("[data-print]");
  if (print) {
    window.print();
    return;
  }
  const remover = event.target.closest("[data-remove-closest]");
  if (remover) {
    event.preventDefault();
    const item = remover.closest(remover.dataset.removeClosest);
    if (item) item.remove();
  }
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.closest("[data-no-enter-submit]")) event.preventDefault();
});
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-on-focus]")) event.target.select();
});
