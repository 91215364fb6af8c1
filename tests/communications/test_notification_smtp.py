"""Over a real local SMTP server: each event family produces exactly one email per recipient, in the recipient's
language (English, Simplified Chinese, Vietnamese), with a link that opens the page; a digest user gets one digest."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation

from communications.models import Family, Notification, Timing
from communications.services.digests import digests_send_due
from communications.services.preferences import preferences_save
from tests.factories import PortalUserFactory
from tests.smtp_server import LocalSMTPServer

from .test_workflow_notifications import EVENTS, LANGUAGES, run_event

# One event of each family (the others of a family take the same path).
FAMILY_EVENTS = [
    "goods_received",
    "inspection_shared",
    "capa_sent_back",
    "certificate_rejected",
    "invoice_paid",
    "issue_resolved",
    "red_flag",
    "shipment_recorded",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    with LocalSMTPServer() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield server


def to(server, user):
    return [message for recipients, message in server.received if recipients == [user.email]]


@pytest.mark.parametrize("key", FAMILY_EVENTS)
def test_each_family_sends_one_email_per_recipient_over_smtp_in_their_language(
    key, smtp, world, client, django_capture_on_commit_callbacks
):
    language = LANGUAGES[FAMILY_EVENTS.index(key) % len(LANGUAGES)]
    portal = PortalUserFactory(supplier=world["supplier"], language=language)
    audience = EVENTS[key][0]
    reader = portal if audience == "factory" else world[audience]
    if reader != portal:
        reader.language = language
        reader.save(update_fields=["language"])
        preferences_save(user=reader, timings={family: Timing.IMMEDIATELY for family in Family.values})

    run_event(key, world, portal, django_capture_on_commit_callbacks, outbox=smtp.received)
    (message,) = to(smtp, reader)
    assert message["Message-ID"] == _message_id(reader, key)
    with translation.override(language):
        title = Notification.objects.get(user=reader, message_key=key).shown_title
    assert str(message["Subject"]) == f"Forgeline: {title}"
    body = message.get_content()
    path = re.search(re.escape(settings.FORGELINE_BASE_URL) + r"(/\S*)", body).group(1)
    client.force_login(reader)
    assert client.get(path).status_code == 200


def _message_id(user, key):
    from core.mail import message_id

    return message_id("notification", Notification.objects.get(user=user, message_key=key).pk)


def test_a_digest_user_gets_one_digest_over_smtp_in_their_language(
    smtp, world, django_capture_on_commit_callbacks
):
    reader = PortalUserFactory(supplier=world["supplier"], language="zh-hans", timezone="Asia/Shanghai")
    preferences_save(user=reader, timings={family: Timing.DAILY for family in Family.values})
    shanghai = ZoneInfo("Asia/Shanghai")
    with time_machine.travel(datetime(2026, 12, 7, 6, 0, tzinfo=shanghai), tick=False):
        for key in ("invoice_approved", "capa_raised"):
            run_event(key, world, reader, django_capture_on_commit_callbacks)
    assert to(smtp, reader) == []
    for hour in (8, 9):
        with (
            time_machine.travel(datetime(2026, 12, 7, hour, 0, tzinfo=shanghai), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            digests_send_due()
    (digest,) = to(smtp, reader)
    assert str(digest["Subject"]) == "Forgeline: 您的每日汇总：2 条通知"
    assert "已批准" in digest.get_content() and "要求纠正措施" in digest.get_content()
