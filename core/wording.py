"""Text stored in English by background jobs, shown in the reader's language.

Some rows keep a sentence built when they were written ("Moved from 2026-10-06: National Day", "expires
2026-12-01"); the nightly jobs write them in English. Each such sentence comes from a known message id with
%(name)s placeholders, so it is recognised, its values taken out and the message translated again for the reader.
"""

import re
from collections.abc import Iterable
from datetime import date
from functools import cache

from django.utils import formats
from django.utils.translation import gettext

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"%\((\w+)\)s", msgid)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
    return re.compile(regex, re.DOTALL)


def localized_value(value: str) -> str:
    """Return a value taken from a stored sentence in the reader's format (an ISO date as a short date)."""
    if ISO_DAY.fullmatch(value):
        try:
            return formats.date_format(date.fromisoformat(value), "SHORT_DATE_FORMAT")
        except ValueError:
            return value
    return gettext(value)


def reworded(stored: str, msgids: Iterable[str] = ()) -> str:
    """Translate a stored English sentence into the active language.

    The first of `msgids` (message ids with %(name)s placeholders) that the sentence matches is translated,
    with the values it held (dates in the reader's format); a sentence that is itself a message id is
    translated as is; anything else (a number, text someone typed) comes back unchanged.
    """
    if not stored:
        return stored
    for msgid in msgids:
        match = _pattern(msgid).fullmatch(stored)
        if match:
            return gettext(msgid) % {name: localized_value(v) for name, v in match.groupdict().items()}
    return gettext(stored)
