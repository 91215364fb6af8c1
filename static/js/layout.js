// What every page's layout needs from JavaScript (loaded by templates/_skeleton.html, no inline script):
// - the navbar marks the link of the page being shown (aria-current="page", and Bootstrap's .active);
// - tables become stacked cards on a phone (static/css/forgeline.css, "Phones"): each cell is labelled with its
//   column's heading, copied here from the table's <thead> into data-label. A table marked .table-keep is left.
(function () {
  "use strict";

  function headings(table) {
    const row = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    const labels = [];
    if (!row) return labels;
    for (const cell of row.cells) {
      const text = cell.innerText.replace(/[▲▼]/g, "").trim();
      for (let i = 0; i < (cell.colSpan || 1); i += 1) labels.push(text);
    }
    return labels;
  }

  function stack(root) {
    for (const table of root.querySelectorAll("main table.table:not(.table-keep)")) {
      const labels = headings(table);
      table.classList.add("table-stack");
      for (const body of table.tBodies) {
        for (const row of body.rows) {
          let column = 0;
          for (const cell of row.cells) {
            const label = labels[column];
            // A cell spanning several columns (a note under a row) has no one heading.
            if (label && (cell.colSpan || 1) === 1 && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
            column += cell.colSpan || 1;
          }
        }
      }
    }
  }

  // The navbar link whose address is the longest prefix of this page's path is the current page (a supplier's
  // page marks "Suppliers"); the home link counts only on the home page itself.
  function markCurrentPage() {
    const path = window.location.pathname;
    let best = null;
    let bestLength = 0;
    for (const link of document.querySelectorAll(".navbar a.nav-link[href], .navbar a.dropdown-item[href]")) {
      if (link.getAttribute("href").startsWith("#")) continue;  // a dropdown's toggle
      const target = new URL(link.href, window.location.href);
      if (target.origin !== window.location.origin) continue;
      const candidate = target.pathname;
      const matches = candidate === path || (candidate !== "/" && candidate !== "/portal/" && path.startsWith(candidate));
      if (matches && candidate.length > bestLength) {
        best = link;
        bestLength = candidate.length;
      }
    }
    if (!best) return;
    best.setAttribute("aria-current", "page");
    best.classList.add("active");
    // A page inside a dropdown also marks the dropdown's toggle, so the menu bar shows where one is.
    const menu = best.closest(".dropdown");
    const toggle = menu && menu.querySelector(".dropdown-toggle");
    if (toggle) toggle.classList.add("active");
  }

  document.addEventListener("DOMContentLoaded", () => {
    markCurrentPage();
    stack(document);
  });
  // Tables htmx swaps in (the supplier list's filters and pages) get the same treatment.
  document.addEventListener("htmx:afterSettle", () => stack(document));
})();
