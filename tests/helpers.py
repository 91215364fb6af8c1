"""Small helpers the test modules share (the shared fixtures are in tests/conftest.py)."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tests.factories import api_token_for


def authed(api_client, user):
    """Return `api_client` carrying a fresh API token of `user` (as an ERP or a factory's script would)."""
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    return api_client


def body_of(response) -> str:
    """Return a response's body as text."""
    return response.content.decode()


@dataclass(frozen=True)
class InDays:
    """A date `n` days from the day a test runs (as text with `text=True`), for parametrize values: those are built
    when the tests are collected, which may be the day before the test runs."""

    n: int
    text: bool = False

    def resolve(self):
        day = timezone.localdate() + timedelta(days=self.n)
        return day.isoformat() if self.text else day


def on_the_day(fields: dict) -> dict:
    """Return `fields` with each InDays resolved to its date on the day the test runs."""
    return {key: value.resolve() if isinstance(value, InDays) else value for key, value in fields.items()}
