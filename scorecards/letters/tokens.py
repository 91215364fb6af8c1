"""The verification link's token: the letter's id and expiry, signed with the project's secret (django.core.signing).

Anyone holding the link may open it; no one can make one. Altering a single character breaks the signature, and
the expiry inside the token is checked as well as the letter's own, so a link outlives neither. The token holds no
signing time, so a letter has one link however often it is rendered (the API, the PDF and the page agree).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "forgeline.scorecards.reference-letter"


@dataclass(frozen=True)
class LetterClaim:
    """What a valid token says: which letter, valid until when."""

    letter_id: int
    expires_at: datetime


def letter_token(letter) -> str:
    """Return the signed token of a letter's verification link."""
    return signing.Signer(salt=SALT).sign_object({"l": letter.pk, "e": int(letter.expires_at.timestamp())})


def letter_token_read(token: str) -> LetterClaim | None:
    """Return what a token says, or None when it was not made here (altered, truncated, junk)."""
    try:
        data = _unsign(str(token or "")[:500])
        return LetterClaim(int(data["l"]), datetime.fromtimestamp(int(data["e"]), tz=UTC))
    except (signing.BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def _unsign(token: str) -> dict:
    """Read a token; links printed before tokens lost their signing time (signing.dumps) still verify."""
    if token.count(":") == 2:  # payload:time:signature, from signing.dumps
        return signing.loads(token, salt=SALT)
    return signing.Signer(salt=SALT).unsign_object(token)


def verification_url(letter) -> str:
    """Return the letter's public verification address, as printed on the letter."""
    path = reverse("letter_verify", kwargs={"token": letter_token(letter)})
    return settings.FORGELINE_BASE_URL.rstrip("/") + path
