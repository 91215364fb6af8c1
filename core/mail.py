"""Sending one outbox email: a stable Message-ID derived from its row, so a duplicate is recognisable."""

import hashlib
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage


def message_domain() -> str:
    """Return the domain of the sender address (the right-hand side of every Message-ID)."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "forgeline.localhost"


def message_id(kind: str, *ids: int) -> str:
    """Return the Message-ID of an email sent from outbox row(s): the same rows always give the same id."""
    key = "-".join(str(i) for i in sorted(ids))
    if len(key) > 40:  # a batch of many rows: a digest of their ids keeps the header short
        key = hashlib.sha256(key.encode()).hexdigest()[:24]
    return f"<forgeline.{kind}.{key}@{message_domain()}>"


def email_send(
    *,
    subject: str,
    body: str,
    to: list[str],
    message_id_header: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> None:
    """Send a plain-text email (with any (filename, content, mimetype) attachments) under the given Message-ID.

    Raises when the server did not accept it.
    """
    message = EmailMessage(subject=subject, body=body, to=to, headers={"Message-ID": message_id_header})
    for attachment in attachments or []:
        message.attach(*attachment)
    message.send()
