/* Kodeks web UI: the expandable tree (disclosure buttons that load children with htmx once) and
   keeping the open nodes in the address (?aaben=...), so every state has a permalink. No build step. */
(function () {
  "use strict";

  function openCodes() {
    return Array.prototype.map.call(
      document.querySelectorAll('.tree button.toggle[aria-expanded="true"]'),
      function (b) { return b.getAttribute("data-code"); });
  }

  function rememberOpen() {
    var url = new URL(window.location.href);
    url.searchParams.delete("aaben");
    openCodes().slice(0, 20).forEach(function (code) { url.searchParams.append("aaben", code); });
    window.history.replaceState(null, "", url.toString());
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".tree button.toggle") : null;
    if (!button) { return; }
    var list = document.getElementById(button.getAttribute("aria-controls"));
    if (!list) { return; }
    var open = button.getAttribute("aria-expanded") === "true";
    button.setAttribute("aria-expanded", open ? "false" : "true");
    list.hidden = open;
    if (!open && !list.hasAttribute("data-loaded")) {
      list.setAttribute("data-loaded", "1");
      list.setAttribute("aria-busy", "true");
      window.htmx.ajax("GET", button.getAttribute("data-children"), { target: list, swap: "innerHTML" });
    }
    rememberOpen();
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.removeAttribute) { target.removeAttribute("aria-busy"); }
  });

  /* "Show more" replaces its own list entry: move focus to the first node it brought. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (source && source.classList && source.classList.contains("more-button")) {
      var item = source.closest("li");
      var previous = item ? item.previousElementSibling : null;
      document.addEventListener("htmx:afterSwap", function focusNext() {
        document.removeEventListener("htmx:afterSwap", focusNext);
        var next = previous ? previous.nextElementSibling : null;
        var link = next ? next.querySelector("a") : null;
        if (link) { link.focus(); }
      });
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target) {
      target.removeAttribute("aria-busy");
      target.removeAttribute("data-loaded");
      var note = document.createElement("li");
      note.className = "load-error";
      note.setAttribute("role", "alert");
      note.textContent = document.documentElement.lang === "en" ? "Could not load; try again." : "Kunne ikke hente; prøv igen.";
      target.appendChild(note);
    }
  });
})();
