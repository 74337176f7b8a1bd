// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // The filter panel is closed in the markup (a phone shows the results first) and on a wide
  // screen site.css shows its body regardless; marking it open there keeps what assistive
  // technology announces in step with what is shown. Nothing moves: the CSS already did.
  const panel = document.querySelector(".filters-panel");
  if (panel) {
    const wide = window.matchMedia("(min-width: 48.01rem)");
    const follow = () => {
      if (wide.matches) panel.open = true;
    };
    follow();
    wide.addEventListener("change", follow);
    // Its summary is a plain heading there: a key press on it must not mark the panel closed.
    panel.addEventListener("toggle", follow);
  }

  // A choice such as the sort order applies at once; without this file its button does it.
  for (const control of document.querySelectorAll("[data-submit-on-change]")) {
    control.addEventListener("change", () => control.form.requestSubmit());
  }
});
