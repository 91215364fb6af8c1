"""The partnership's notice texts join communications' one catalogue once, and never replace a text held there."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from communications import messages as catalogue
from partnership.ideas_messages import IDEA_MESSAGES
from partnership.messages import OUTREACH_MESSAGES, register_messages


def test_every_partnership_text_is_in_the_catalogue_and_registering_again_changes_nothing():
    before = dict(catalogue.MESSAGES)
    register_messages()
    assert before == catalogue.MESSAGES
    for key, message in (OUTREACH_MESSAGES | IDEA_MESSAGES).items():
        assert catalogue.MESSAGES[key] is message


def test_a_key_the_catalogue_already_holds_for_something_else_is_refused(monkeypatch):
    key = next(iter(IDEA_MESSAGES))
    clashing = dict(catalogue.MESSAGES)
    clashing[key] = catalogue.MESSAGES["inspection_severity_switched"]
    monkeypatch.setattr(catalogue, "MESSAGES", clashing)
    monkeypatch.setattr("partnership.messages.MESSAGES", clashing)
    with pytest.raises(ImproperlyConfigured, match=key):
        register_messages()
