// The report's print button: the browser's own print dialog (save as PDF), with the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
