"""Helpers of the phone and accessibility journeys: a phone-sized browser, the layout checks and axe-core.

axe-core (tests/e2e/vendor/axe-core, MPL-2.0) is evaluated into the page through the DevTools protocol, which the
page's Content-Security-Policy does not govern: no inline script is added to the page.
"""

from pathlib import Path

PHONE = {"width": 390, "height": 844}
AXE_SOURCE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text()
# axe's impacts that fail a journey; "moderate" and "minor" are advice.
BLOCKING_IMPACTS = ("serious", "critical")

# Everything a user must be able to reach: buttons, button-like links, submit inputs and form controls.
ACTIONS = "a.btn, button, input[type=submit], input:not([type=hidden]), select, textarea"

LAYOUT_PROBLEMS = """(selector) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width) {
    // Name the innermost elements that stick out, so the failure says what to fix.
    const wide = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > width + 1);
    const innermost = wide.filter((e) => ![...e.children].some((c) => wide.includes(c))).slice(0, 3);
    const names = innermost.map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} "${(e.innerText || "").trim().slice(0, 30)}"`);
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide (${names.join(", ")})`);
  }
  for (const element of document.querySelectorAll(selector)) {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (!box.width || !box.height || style.visibility === "hidden" || element.closest(".dropdown-menu, .collapse:not(.show)")) {
      continue;  // not shown (a closed menu): nothing to reach
    }
    if (box.left < -1 || box.right > width + 1) {
      const name = (element.innerText || element.name || element.value || element.tagName).trim().slice(0, 40);
      problems.push(`"${name}" is outside the screen (${Math.round(box.left)}–${Math.round(box.right)}px)`);
    }
  }
  return problems;
}"""


def layout_problems(page) -> list[str]:
    """Return why the page does not fit the viewport: too wide, or an action outside the screen."""
    return page.evaluate(LAYOUT_PROBLEMS, ACTIONS)


def axe_violations(page, impacts=BLOCKING_IMPACTS) -> list[str]:
    """Run axe-core on the page and return its violations of the given impacts, one line per rule and node."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " " + (n.failureSummary || "").split("\\n").slice(1, 2).join("")),
          }));
        }"""
    )
    return [
        f"{page.url} {v['impact']} {v['id']} ({v['help']}): {node}"
        for v in result
        if v["impact"] in impacts
        for node in v["nodes"]
    ]
