"""Steps several browser journeys take the same way."""

import re

from tests.e2e.conftest import login


def field(scope, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def audit_record_performed(page, audit, *, by, day, summary: str) -> None:
    """Sign in afresh as `by` (quality staff) and record `audit` as performed on `day`, with a summary."""
    page.context.clear_cookies()
    login(page, by.email)
    page.goto(audit.get_absolute_url())
    field(page, "Performed on").fill(day.isoformat())
    field(page, "Summary").fill(summary)
    with page.expect_navigation():
        page.get_by_role("button", name="Record as performed").click()
