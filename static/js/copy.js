/* Fairlink: copy buttons and select-on-focus fields, without inline scripts (CSP).
   <input id="x" data-select-on-focus> selects its text when focused;
   <button data-copy="x" data-copied-label="Copied" hidden> copies the value of #x. The
   button is hidden until this script runs, so it never shows where it cannot work. */
(function () {
  "use strict";
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "absolute";
      area.style.left = "-9999px";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }
  function init() {
    document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var field = document.getElementById(button.getAttribute("data-copy"));
      if (!field) { return; }
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copyText(field.value).then(function () {
          button.textContent = button.getAttribute("data-copied-label") || label;
          button.setAttribute("data-copied", "");
          window.setTimeout(function () { button.textContent = label; button.removeAttribute("data-copied"); }, 2500);
        }, function () { field.focus(); field.select(); });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
