// Ask before an irreversible action (cancel an order, reject an invoice, offboard a supplier).
// A form with data-confirm="Question?" submits only once the user agrees. With data-confirm-field="to_stage" and
// data-confirm-values="offboarded", it asks only when that field holds one of the listed values.
// A static file with a listener, not an onsubmit= attribute: the Content-Security-Policy refuses inline script.
(function () {
  "use strict";
  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target.closest ? event.target.closest("form[data-confirm]") : null;
      if (!form) {
        return;
      }
      var field = form.getAttribute("data-confirm-field");
      if (field) {
        var value = new FormData(form).get(field);
        var values = (form.getAttribute("data-confirm-values") || "").split(" ");
        if (values.indexOf(value) === -1) {
          return;
        }
      }
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
        // Captured on the document: htmx or any other listener on the form never sees the submit.
        event.stopImmediatePropagation();
      }
    },
    true
  );
})();
