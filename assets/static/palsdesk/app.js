// Starts the NHS.UK frontend components (header menu, error summary focus, radios, character counts).
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
// Content that htmx swaps in gets the same behaviour.
document.addEventListener("htmx:afterSettle", (event) => initAll({ scope: event.detail.elt }));
