"""The partnership pages hold their query counts as rows grow: staff lists and receipts, the portal lists."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.services import announcements, invitations
from tests.factories import PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def grow(buyer, suppliers, n):
    made = []
    for i in range(n):
        announcement = announcements.announcement_publish(
            by=buyer, kind="announcement", title=f"A{i}", body="B", audience="chosen", suppliers=suppliers
        )
        for supplier in suppliers:
            for contact in supplier.portal_users.all():
                announcements.announcement_mark_read(announcement=announcement, by=contact)
        invitations.invitation_create(
            by=buyer,
            title=f"P{i}",
            specification="S",
            respond_by=timezone.localdate() + timedelta(days=30),
            suppliers=suppliers,
        )
        made.append(announcement)
    return made


@pytest.mark.parametrize(
    "name",
    ["partnership:announcement_list", "partnership:invitation_list", "partnership:announcement_detail"],
)
def test_staff_pages_cost_the_same_with_more_rows(client, buyer, name):
    client.force_login(buyer)
    few = [SupplierFactory() for _ in range(2)]
    for supplier in few:
        PortalUserFactory(supplier=supplier)
    first = grow(buyer, few, 1)[0]
    url = reverse(name, args=[first.pk]) if name.endswith("detail") else reverse(name)
    small = queries(client, url)
    many = [SupplierFactory() for _ in range(6)]
    for supplier in many:
        PortalUserFactory(supplier=supplier)
        PortalUserFactory(supplier=supplier)
    grow(buyer, few + many, 5)
    for supplier in many:
        first.recipients.get_or_create(supplier=supplier)
    assert queries(client, url) <= small


@pytest.mark.parametrize("name", ["portal:announcements", "portal:invitations"])
def test_portal_lists_cost_the_same_with_more_rows(client, buyer, supplier_a, portal_a, name):
    client.force_login(portal_a)
    grow(buyer, [supplier_a], 1)
    small = queries(client, reverse(name))
    grow(buyer, [supplier_a, SupplierFactory()], 6)
    assert queries(client, reverse(name)) <= small
