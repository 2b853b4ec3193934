// The "Print" button of the recovery codes page: a static file, as the Content-Security-Policy allows no
// inline script.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
});
