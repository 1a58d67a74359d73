// The daily report's "Print this report" button: shown only where scripts run, since it needs them.
const button = document.querySelector("[data-print-report]");
if (button) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
