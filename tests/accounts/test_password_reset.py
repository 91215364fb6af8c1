"""Password reset: the same answer, by the same path, for a known and an unknown address; rate-limited; links
that point at FORGELINE_BASE_URL."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.adapter import AccountAdapter

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-123"


@pytest.fixture
def sent(monkeypatch):
    """Every email the sign-in code sends, as (template, recipient): both answers go through send_mail."""
    calls = []
    original = AccountAdapter.send_mail

    def spy(self, template_prefix, email, context):
        calls.append((template_prefix, email))
        return original(self, template_prefix, email, context)

    monkeypatch.setattr(AccountAdapter, "send_mail", spy)
    return calls


def ask(client, email):
    return client.post(reverse("accounts:password_reset"), {"email": email}, follow=True)


def page_text(response) -> str:
    """The page without its CSRF tokens and CSP nonces (the only parts that differ from one request to the next)."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    body = re.sub(r'nonce="[^"]+"', "", body)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", body)


def test_known_and_unknown_addresses_get_the_same_answer_by_the_same_path(client, buyer, sent):
    known = ask(client, buyer.email)
    unknown = ask(client, "nobody@forgeline.test")
    assert known.redirect_chain == unknown.redirect_chain == [(reverse("accounts:password_reset_done"), 302)]
    assert page_text(known) == page_text(unknown)
    assert "If an account uses that address" in page_text(known)
    # One email each, through the one sending path: the work done does not depend on the address existing.
    assert sent == [
        ("account/email/password_reset_key", buyer.email),
        ("account/email/unknown_account", "nobody@forgeline.test"),
    ]
    assert [message.to for message in mail.outbox] == [[buyer.email], ["nobody@forgeline.test"]]
    assert mail.outbox[0].subject == mail.outbox[1].subject == "Forgeline: Reset your Forgeline password"
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert "no account uses it" in mail.outbox[1].body and "http" not in mail.outbox[1].body


def test_reset_requests_are_rate_limited_per_address_known_or_not(client, buyer, sent):
    for email in (buyer.email, "nobody@forgeline.test"):
        for _ in range(3):
            assert ask(client, email).status_code == 200
        refused = client.post(reverse("accounts:password_reset"), {"email": email.upper()})
        assert refused.status_code == 429 and "Too many attempts" in refused.content.decode()
    assert len(sent) == 6


def test_the_link_points_at_the_configured_base_url_whatever_the_host_header(client, buyer, settings):
    settings.FORGELINE_BASE_URL = "https://srm.example.com/"
    client.post(reverse("accounts:password_reset"), {"email": buyer.email}, HTTP_HOST="localhost")
    assert "https://srm.example.com/accounts/password/reset/key/" in mail.outbox[0].body


def test_the_link_sets_a_new_password_once(client, buyer):
    client.post(reverse("accounts:password_reset"), {"email": buyer.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200 and "Choose a new password" in form.content.decode()
    action = form.redirect_chain[-1][0]
    done = client.post(action, {"password1": "a-new-long-password-7", "password2": "a-new-long-password-7"})
    assert done.status_code == 302 and done["Location"] == reverse("account_reset_password_from_key_done")
    buyer.refresh_from_db()
    assert buyer.check_password("a-new-long-password-7")
    again = client.get("/" + path, follow=True)
    assert "This link is no longer valid" in again.content.decode()
