// The draft response's editor: bold, italic, underline, lists and headings, over the draft's own textarea.
// Without JavaScript the textarea is used as it is. Either way the server keeps only the letter subset of
// HTML (responses/richtext.py); this copies only that subset in, so pasted or echoed markup never runs.
const KEPT = new Set(["P", "H2", "H3", "BLOCKQUOTE", "UL", "OL", "LI", "STRONG", "EM", "U", "B", "I", "BR"]);
const BUTTONS = [
  ["bold", "Bold", null],
  ["italic", "Italic", null],
  ["underline", "Underline", null],
  ["insertUnorderedList", "Bulleted list", null],
  ["insertOrderedList", "Numbered list", null],
  ["formatBlock", "Heading", "h2"],
  ["formatBlock", "Paragraph", "p"],
];

function copyKept(from, to) {
  for (const node of from.childNodes) {
    if (node.nodeType === Node.TEXT_NODE) {
      to.append(node.textContent);
    } else if (node.nodeType === Node.ELEMENT_NODE) {
      if (KEPT.has(node.tagName)) {
        const copy = document.createElement(node.tagName.toLowerCase());
        copyKept(node, copy);
        to.append(copy);
      } else if (!["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "SVG"].includes(node.tagName.toUpperCase())) {
        copyKept(node, to);
      }
    }
  }
}

function asHtml(text) {
  if (/<\s*\/?\s*[a-zA-Z][^>]*>/.test(text)) return text;
  // Plain paragraphs typed before: a blank line between them.
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return text.split(/\n\s*\n/).filter((p) => p.trim()).map((p) => `<p>${escape(p.trim()).replace(/\n/g, "<br>")}</p>`).join("");
}

for (const wrapper of document.querySelectorAll("[data-rich-text-for]")) {
  const textarea = document.getElementById(wrapper.dataset.richTextFor);
  if (!textarea || typeof document.execCommand !== "function") continue;
  const label = wrapper.querySelector(`label[for="${textarea.id}"]`);
  const editor = document.createElement("div");
  editor.id = `${textarea.id}-editor`;
  editor.className = `nhsuk-textarea app-rich-text__editor${textarea.classList.contains("nhsuk-textarea--error") ? " nhsuk-textarea--error" : ""}`;
  editor.contentEditable = "true";
  editor.setAttribute("role", "textbox");
  editor.setAttribute("aria-multiline", "true");
  if (label) {
    label.id = `${textarea.id}-label`;
    label.setAttribute("for", editor.id);
    editor.setAttribute("aria-labelledby", label.id);
  }
  if (textarea.getAttribute("aria-describedby")) editor.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
  const parsed = new DOMParser().parseFromString(asHtml(textarea.value), "text/html");
  copyKept(parsed.body, editor);

  const toolbar = document.createElement("div");
  toolbar.className = "app-rich-text__toolbar";
  toolbar.setAttribute("role", "toolbar");
  toolbar.setAttribute("aria-label", "Formatting");
  toolbar.setAttribute("aria-controls", editor.id);
  for (const [command, name, value] of BUTTONS) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "nhsuk-button nhsuk-button--secondary nhsuk-button--small app-rich-text__button";
    button.textContent = name;
    button.addEventListener("click", () => {
      editor.focus();
      document.execCommand(command, false, value);
      textarea.value = editor.innerHTML;
    });
    toolbar.append(button);
  }
  document.execCommand("defaultParagraphSeparator", false, "p");
  const sync = () => { textarea.value = editor.innerHTML; };
  editor.addEventListener("input", sync);
  textarea.form?.addEventListener("submit", sync);
  textarea.hidden = true;
  textarea.after(toolbar, editor);
}
