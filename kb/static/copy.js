// Copy buttons: <button data-copy="ID" hidden> copies the text of #ID. The button stays hidden
// where scripts or the clipboard are unavailable, so nobody meets a button that does nothing.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  const source = document.getElementById(button.dataset.copy);
  const status = document.querySelector(`[data-copied-for="${button.dataset.copy}"]`);
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent.trim());
      if (status) status.textContent = "Copied.";
    } catch (error) {
      if (status) status.textContent = "Copying was refused: select the code and copy it.";
    }
  });
});
