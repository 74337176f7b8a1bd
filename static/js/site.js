// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // On a phone the filter panel starts closed so the results come first.
  const panel = document.querySelector(".filters-panel");
  if (panel && window.matchMedia("(max-width: 48rem)").matches) {
    panel.open = false;
  }
});
