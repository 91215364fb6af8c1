"""The languages a user may choose: those of settings.LANGUAGES, each with a catalogue in locale/."""

from django.conf import settings


def offered_language(code: str | None) -> str:
    """Return `code` if the site offers that language, else the default language (English).

    A user may hold a language that is no longer offered (it was dropped from settings.LANGUAGES for want
    of a catalogue): they get English pages rather than an error or Django's own strings in that language.
    """
    offered = {language for language, _name in settings.LANGUAGES}
    return code if code in offered else settings.LANGUAGE_CODE
