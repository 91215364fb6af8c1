"""Escalations to one person within a run are one notification, and so one email, listing them all."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from communications import services
from communications.models import Notification
from tests.communications.test_issues import raise_issue, raised_at
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unanswered_issues_of_one_run_reach_each_person_in_one_email_listing_them(
    supplier_a, buyer, manager, django_capture_on_commit_callbacks
):
    other = UserFactory(role=Role.MANAGER, full_name="Max Manager")
    now = timezone.now()
    subjects = [f"Issue number {n}" for n in range(5)]
    for subject in subjects:
        raised_at(raise_issue(supplier_a, buyer, subject=subject), now - timedelta(hours=50))

    with django_capture_on_commit_callbacks(execute=True):
        assert services.issues_escalate(now=now) == 10  # both levels of five issues

    assert sorted(m.to[0] for m in mail.outbox) == sorted([buyer.email, manager.email, other.email])
    for message in mail.outbox:
        assert message.subject == "Forgeline: 5 issues without a reply"
        assert all(subject in message.body for subject in subjects)
    assert Notification.objects.count() == 3


def test_a_single_escalation_keeps_its_own_title(supplier_a, buyer):
    raised_at(raise_issue(supplier_a, buyer, subject="Only one"), timezone.now() - timedelta(hours=30))
    services.issues_escalate(now=timezone.now())
    assert Notification.objects.get().title == "No reply for 24 h: Only one"
