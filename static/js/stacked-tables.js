// Tables become stacked cards on a phone (static/css/forgeline.css, "Phones"): each cell is labelled with its
// column's heading, copied here from the table's <thead> into data-label. A table marked .table-keep is left as is.
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

  document.addEventListener("DOMContentLoaded", () => stack(document));
  // Tables htmx swaps in (the supplier list's filters and pages) get the same treatment.
  document.addEventListener("htmx:afterSettle", () => stack(document));
})();
