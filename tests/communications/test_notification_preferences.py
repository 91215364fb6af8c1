"""Each user chooses per family: email at once, in one daily digest (08:00 their time, once a day), or no email;
the digest goes through the same send-once outbox as every other email."""

import smtplib
from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse

from communications.models import DailyDigest, Family, Notification, NotificationPreference, Timing
from communications.services import notifications_due_for_retry, notifications_send_emails, notify
from communications.services.digests import digests_send_due
from communications.services.preferences import preferences_for, preferences_save
from tests.factories import PortalUserFactory, api_token_for

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(hour, day=7):
    """Return an aware moment at `hour`:00 on 2026-12-`day` in Shanghai."""
    return datetime(2026, 12, day, hour, 0, tzinfo=SHANGHAI)


@pytest.fixture
def reader(supplier_a):
    user = PortalUserFactory(supplier=supplier_a, timezone="Asia/Shanghai", language="vi")
    preferences_save(user=user, timings={Family.INVOICES: Timing.DAILY, Family.QUALITY: Timing.OFF})
    return user


def tell(user, key="invoice_approved", **params):
    params = {"number": "INV-1", "amount": "10.00 USD", "due_on": "2026-12-31", **params}
    return notify(users=[user], key=key, params=params, url="/portal/invoices/")


def test_factory_contacts_hear_everything_at_once_until_they_choose(portal_a):
    assert {timing for _family, _label, timing in preferences_for(user=portal_a)} == {Timing.IMMEDIATELY}


def test_staff_read_routine_news_in_the_digest_and_red_flags_and_issues_at_once(buyer):
    timings = {family: timing for family, _label, timing in preferences_for(user=buyer)}
    assert timings[Family.RED_FLAGS] == timings[Family.ISSUES] == Timing.IMMEDIATELY
    assert timings[Family.DELIVERIES] == Timing.DAILY


def test_an_old_style_notification_is_emailed_at_once_as_before(portal_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = notify(users=[portal_a], title="Hello", body="Text", url="/portal/")
    note.refresh_from_db()
    assert (note.family, note.email) == (Family.OTHER, Notification.Email.SENT)
    assert [m.subject for m in mail.outbox] == ["Forgeline: Hello"]


def test_a_family_turned_off_shows_in_the_bell_but_sends_no_email(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (note,) = tell(reader, key="lab_report_reviewed", lot="L1", standard="EN", review="accepted", note="")
    assert note.email == Notification.Email.OFF
    assert mail.outbox == []
    with time_machine.travel(at(9), tick=False):
        assert digests_send_due() == 0
    assert note.read_at is None


def test_a_daily_family_waits_for_one_digest_at_eight_in_the_readers_timezone(
    reader, client, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(6, day=6), tick=False), django_capture_on_commit_callbacks(execute=True):
        first, second = tell(reader, number="INV-1")[0], tell(reader, number="INV-2")[0]
    assert mail.outbox == [] and first.email == Notification.Email.DIGEST

    with time_machine.travel(at(7, day=7), tick=False):
        assert digests_send_due() == 0  # 07:00 in Shanghai: not yet
    with time_machine.travel(at(8, day=7), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 1
    with time_machine.travel(at(9, day=7), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 0  # the same day again: nothing

    (email,) = mail.outbox
    assert email.to == [reader.email]
    assert email.subject == "Forgeline: Tóm tắt hằng ngày của bạn: 2 thông báo"
    assert "Hóa đơn INV-1 đã được duyệt" in email.body and "Hóa đơn INV-2 đã được duyệt" in email.body
    assert email.body.count("/portal/invoices/") == 2
    assert set(Notification.objects.filter(pk__in=[first.pk, second.pk]).values_list("email", flat=True)) == {
        Notification.Email.DIGESTED
    }
    client.force_login(reader)
    assert client.get(email.body.strip().splitlines()[-1].split("http://testserver")[-1]).status_code == 200
    # The digest is an email only: the bell lists the two notifications, not the digest.
    assert list(Notification.objects.filter(user=reader, read_at=None).order_by("pk")) == [first, second]


def test_a_notification_after_the_digest_hour_waits_for_the_next_days_digest(
    reader, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(6), tick=False):
        tell(reader, number="INV-1")
    with time_machine.travel(at(10), tick=False), django_capture_on_commit_callbacks(execute=True):
        tell(reader, number="INV-2")
        assert digests_send_due() == 1
    assert "INV-2" not in mail.outbox[0].body
    with time_machine.travel(at(8, day=8), tick=False), django_capture_on_commit_callbacks(execute=True):
        assert digests_send_due() == 1
    assert len(mail.outbox) == 2 and "INV-2" in mail.outbox[1].body
    assert DailyDigest.objects.filter(user=reader).count() == 2


def test_the_digest_task_run_twice_at_once_sends_one_digest(reader, django_capture_on_commit_callbacks):
    with time_machine.travel(at(6), tick=False):
        tell(reader)
    with time_machine.travel(at(8, day=7), tick=False), django_capture_on_commit_callbacks(execute=True):
        from communications.tasks import daily_digests_task

        assert daily_digests_task() + daily_digests_task() == 1
    assert len(mail.outbox) == 1


def test_a_digest_whose_send_failed_is_retried_from_the_outbox_never_lost(
    reader, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(6), tick=False):
        tell(reader)
    with (
        time_machine.travel(at(8), tick=False),
        mock.patch.object(EmailBackend, "send_messages", side_effect=smtplib.SMTPException("451 later")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        digests_send_due()
    digest = DailyDigest.objects.get().notification
    digest.refresh_from_db()
    assert (digest.email, digest.email_attempts) == (Notification.Email.PENDING, 1)
    assert "451" in digest.email_last_error
    later = at(8) + timedelta(minutes=30)
    assert notifications_due_for_retry(now=later) == [digest.pk]
    with time_machine.travel(later, tick=False):
        assert notifications_send_emails(notification_ids=[digest.pk]) == 1
    assert len(mail.outbox) == 1


def test_the_settings_page_saves_a_choice_per_family(portal_client, portal_a):
    url = reverse("portal:notification_preferences")
    assert portal_client.get(url).status_code == 200
    data = {family: Timing.IMMEDIATELY for family in Family.values} | {Family.ORDERS: Timing.DAILY}
    response = portal_client.post(url, data)
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=portal_a, family=Family.ORDERS).timing == Timing.DAILY


def test_a_bad_choice_on_the_settings_page_changes_nothing(buyer_client, buyer):
    url = reverse("communications:notification_preferences")
    data = {family: Timing.IMMEDIATELY for family in Family.values} | {Family.ORDERS: "hourly"}
    response = buyer_client.post(url, data)
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=buyer).exists()


def test_the_api_reads_and_sets_ones_own_choices(api_client, portal_a, portal_b):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(portal_a)}")
    listed = api_client.get("/api/v1/notification-preferences/").json()
    assert {row["family"] for row in listed} == set(Family.values)
    response = api_client.put(
        "/api/v1/notification-preferences/set/", [{"family": "invoices", "timing": "off"}], format="json"
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=portal_a).timing == Timing.OFF
    assert not NotificationPreference.objects.filter(user=portal_b).exists()


def test_the_api_refuses_an_unknown_family_and_changes_nothing(api_client, portal_a):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(portal_a)}")
    response = api_client.put(
        "/api/v1/notification-preferences/set/",
        [{"family": "invoices", "timing": "off"}, {"family": "gossip", "timing": "off"}],
        format="json",
    )
    assert response.status_code == 400
    assert not NotificationPreference.objects.exists()


def test_the_notification_list_renders_keyed_notifications_in_a_fixed_number_of_queries(
    client, portal_a, django_assert_max_num_queries
):
    for n in range(30):
        tell(portal_a, number=f"INV-{n}")
        notify(users=[portal_a], key="red_flag", params={"rule": "defect_rate"}, url="/portal/scorecard/")
        notify(users=[portal_a], title=f"Old style {n}")
    client.force_login(portal_a)
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("portal:notifications"))
    text = page.content.decode()
    assert "发票 INV-29 已批准" in text and "Old style 29" in text and "新警示" in text
