/* The order form's lines: "Add line" clones the formset's empty form, "Remove" ticks the line's DELETE box and
 * hides it (Django ignores removed and empty lines), and a required date sooner than the supplier's lead time gets
 * a warning. A static file with listeners only: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  const form = document.getElementById("order-form");
  if (!form) return;
  const body = form.querySelector("#order-lines tbody");
  const template = document.getElementById("order-line-template");
  const total = form.querySelector("input[name$='-TOTAL_FORMS']");

  function visibleLines() {
    return body.querySelectorAll("tr.order-line:not(.d-none)").length;
  }

  function checkLeadTime(input) {
    const hint = document.getElementById("lead-time");
    const warning = input.closest("td").querySelector(".lead-time-warning");
    if (!warning) return;
    const earliest = hint && hint.dataset.earliest;
    const tooSoon = Boolean(earliest && input.value && input.value < earliest);
    warning.textContent = tooSoon ? hint.dataset.warning : "";
    warning.classList.toggle("d-none", !tooSoon);
  }

  function checkAll() {
    form.querySelectorAll("input[name$='-required_on']").forEach(checkLeadTime);
  }

  document.getElementById("add-line").addEventListener("click", function () {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = body.lastElementChild;
    const first = row.querySelector("input:not([type=hidden])");
    if (first) first.focus();
  });

  body.addEventListener("click", function (event) {
    const button = event.target.closest(".remove-line");
    if (!button) return;
    const row = button.closest("tr");
    const box = row.querySelector("input[name$='-DELETE']");
    if (box) box.checked = true;
    row.classList.add("d-none");
    if (visibleLines() === 0) document.getElementById("add-line").click();
  });

  form.addEventListener("change", function (event) {
    if (event.target.matches("input[name$='-required_on']")) checkLeadTime(event.target);
  });
  document.body.addEventListener("htmx:afterSwap", checkAll);
  checkAll();
})();
