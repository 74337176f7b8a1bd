// "Cite this": a Copy button beside each citation. Progressive enhancement only: without
// this file (or without a clipboard) the buttons stay hidden and the text stays selectable.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const body of document.querySelectorAll(".citation-body")) {
    const status = body.querySelector("[data-copy-status]");
    const say = (message) => {
      // Emptied first, so that copying twice is announced twice.
      status.textContent = "";
      window.setTimeout(() => { status.textContent = message; }, 50);
    };
    for (const button of body.querySelectorAll("button[data-copy]")) {
      const text = document.getElementById(button.dataset.copy);
      button.hidden = false;
      button.addEventListener("click", async () => {
        try {
          await navigator.clipboard.writeText(text.textContent.trim());
          say(body.dataset.copied);
        } catch {
          // Denied or unavailable: select the text so that the reader can copy it.
          window.getSelection().selectAllChildren(text);
          say(body.dataset.copyFailed);
        }
      });
    }
  }
});
