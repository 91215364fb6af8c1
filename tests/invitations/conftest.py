"""Shared helpers of the invitation tests: the link of the last invitation email, and a contact to invite."""

import re

import pytest
from django.core import mail

from tests.factories import ContactFactory

NOW_ISO = "2026-03-02T08:00:00+00:00"
PASSWORD = "a-brand-new-password-77"


def last_link() -> str:
    """Return the path of the invitation link in the last email sent."""
    match = re.search(r"https?://[^/\s]+(/portal/welcome/[^/\s]+/)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[-1]


@pytest.fixture
def contact(supplier_a):
    return ContactFactory(supplier=supplier_a, name="Chen Wei", email="chen.wei@alpha.test")


@pytest.fixture
def primary(supplier_a):
    """Supplier A's primary contact, with a portal account (who may invite colleagues)."""
    from tests.factories import PortalUserFactory

    ContactFactory(supplier=supplier_a, name="Ada Alpha", email="ada@alpha.test", is_primary=True)
    return PortalUserFactory(supplier=supplier_a, full_name="Ada Alpha", email="ada@alpha.test")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a service as if its transaction committed: what it queued for after the commit (the email) runs."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call
