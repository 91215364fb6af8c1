"""Chat channels: a red flag raised is posted to Slack and Teams with a link back to the flag, in the channel's
language; a channel of one owner's suppliers hears only of those; escalations are posted too."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from communications.services import issues_escalate
from core.clock import business_today
from integrations import services
from integrations.models import ChatChannel, WebhookDelivery
from scorecards import alerts
from suppliers.models import Stage
from tests.factories import CertificationFactory, SupplierFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expiring(supplier_a):
    """Supplier A, approved, with a certificate that expires in ten days (the scan raises a flag)."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    CertificationFactory(supplier=supplier_a, valid_until=timezone.localdate() + timedelta(days=10))
    return supplier_a


def scan():
    return alerts.flags_evaluate(today=business_today(), now=timezone.now())


def send_all():
    return services.deliveries_send(delivery_ids=WebhookDelivery.objects.values_list("pk", flat=True))


def test_a_red_flag_is_posted_to_slack_with_a_link_back_to_the_flag(slack, receiver, expiring):
    (flag,) = scan()
    assert send_all() == 1

    (request,) = receiver.requests
    assert request.path == "/slack"
    text = request.json()["text"]
    assert text.startswith("*Red flag: Alpha Factory — Certification expiring or expired*")
    assert f"<{settings.FORGELINE_BASE_URL}{flag.get_absolute_url()}|Open the flag>" in text
    assert "x-forgeline-signature" not in request.headers  # Slack and Teams sign nothing


def test_a_red_flag_is_posted_to_teams_as_an_adaptive_card_in_the_channels_language(
    admin_user, receiver, private_allowed, expiring
):
    services.channel_create(
        by=admin_user, name="QC", kind=ChatChannel.Kind.TEAMS, url=receiver.url("/teams"), language="zh-hans"
    )
    (flag,) = scan()
    send_all()

    (attachment,) = receiver.requests[0].json()["attachments"]
    card = attachment["content"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["body"][0]["text"].startswith("红旗预警：Alpha Factory")
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "打开红旗预警",
            "url": settings.FORGELINE_BASE_URL + flag.get_absolute_url(),
        }
    ]


def test_a_channel_of_one_owners_suppliers_hears_only_of_theirs(
    admin_user, receiver, private_allowed, expiring, buyer
):
    other_buyer = UserFactory(role="procurement")
    mine = services.channel_create(
        by=admin_user, name="Bea", kind="slack", url=receiver.url("/bea"), scope="owner", supplier_owner=buyer
    )
    services.channel_create(
        by=admin_user,
        name="Other",
        kind="slack",
        url=receiver.url("/other"),
        scope="owner",
        supplier_owner=other_buyer,
    )
    theirs = SupplierFactory(name="Gamma Ltd", owner=other_buyer, stage=Stage.APPROVED)
    CertificationFactory(supplier=theirs, valid_until=timezone.localdate() + timedelta(days=5))

    scan()
    send_all()

    posted = {(r.path, r.json()["text"].split("—")[0]) for r in receiver.requests}
    assert posted == {("/bea", "*Red flag: Alpha Factory "), ("/other", "*Red flag: Gamma Ltd ")}
    assert mine.deliveries.count() == 1


def test_an_escaped_supplier_name_cannot_ping_the_whole_slack_channel(slack, receiver, expiring):
    expiring.name = "<!channel> & Co"
    expiring.save(update_fields=["name"])
    scan()
    send_all()
    text = receiver.requests[0].json()["text"]
    assert "<!channel>" not in text and "&lt;!channel&gt; &amp; Co" in text


def test_an_issue_unanswered_at_twice_the_target_is_posted_as_an_escalation(
    slack, receiver, supplier_a, buyer
):
    from communications.models import SupplierIssue

    issue = SupplierIssue.objects.create(
        supplier=supplier_a,
        subject="Wrong colour on lot 7",
        description="Pantone mismatch",
        raised_by=buyer,
        owner=buyer,
        raised_at=timezone.now() - timedelta(hours=50),
    )
    issues_escalate(now=timezone.now())
    send_all()

    texts = [r.json()["text"] for r in receiver.requests]
    assert any("no reply for 48 h" in text and "Wrong colour on lot 7" in text for text in texts)
    assert all(issue.get_absolute_url() in text for text in texts)


def test_a_scan_that_raises_thirty_flags_records_them_for_chat_in_a_fixed_number_of_queries(
    slack, django_assert_max_num_queries
):
    for n in range(30):
        supplier = SupplierFactory(name=f"Expiring {n}", stage=Stage.APPROVED)
        CertificationFactory(supplier=supplier, valid_until=timezone.localdate() + timedelta(days=10))
    with django_assert_max_num_queries(26):
        raised = scan()
    assert len(raised) == 30 == WebhookDelivery.objects.count()
