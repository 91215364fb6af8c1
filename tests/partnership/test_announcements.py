"""Announcements and market insights: publishing to an audience, notices in each contact's language, read
receipts (recorded by an explicit POST, once per contact), withdrawal, isolation and the receipts' query count."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from communications.models import Notification
from partnership.models import Announcement, AnnouncementRead, AnnouncementRecipient
from partnership.selectors import announcements as selectors
from partnership.services import announcements as services
from suppliers.models import Stage
from tests.factories import PortalUserFactory, ProductCategoryFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def publish(by, **kwargs):
    values = {
        "kind": Announcement.Kind.MARKET_INSIGHT,
        "title": "Cotton prices up 8 %",
        "body": "Cotton futures rose 8 % this month; expect quotes to follow.",
        "audience": Announcement.Audience.CHOSEN,
    }
    return services.announcement_publish(by=by, **{**values, **kwargs})


@pytest.fixture
def active_a(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    return supplier_a


def test_publishing_to_chosen_suppliers_addresses_only_them_and_notifies_their_contacts_in_their_language(
    buyer, supplier_a, supplier_b, portal_a, portal_b, django_capture_on_commit_callbacks
):
    chinese = PortalUserFactory(supplier=supplier_a, language="zh-hans")
    outsider = PortalUserFactory(supplier=SupplierFactory(), language="vi")
    with django_capture_on_commit_callbacks(execute=True):
        announcement = publish(buyer, suppliers=[supplier_a, supplier_b])

    assert set(announcement.recipients.values_list("supplier_id", flat=True)) == {
        supplier_a.pk,
        supplier_b.pk,
    }
    told = set(
        Notification.objects.filter(message_key="announcement_published").values_list("user_id", flat=True)
    )
    assert told == {portal_a.pk, portal_b.pk, chinese.pk}
    assert outsider.pk not in told
    note = Notification.objects.get(user=chinese)
    with translation.override("zh-hans"):
        assert note.shown_title == "买方发布的市场洞察：Cotton prices up 8 %"
        assert "Cotton futures rose 8 %" in note.shown_body  # the author's own text, untranslated
    assert {m.to[0] for m in mail.outbox} == {portal_a.email, portal_b.email, chinese.email}
    chinese_mail = next(m for m in mail.outbox if m.to == [chinese.email])
    assert "市场洞察" in chinese_mail.subject


def test_all_active_suppliers_leaves_out_prospects_and_offboarded(buyer, active_a, supplier_b):
    offboarded = SupplierFactory(stage=Stage.OFFBOARDED)
    announcement = publish(buyer, audience=Announcement.Audience.ALL)
    addressed = set(announcement.recipients.values_list("supplier_id", flat=True))
    assert active_a.pk in addressed
    assert supplier_b.pk not in addressed and offboarded.pk not in addressed  # B is a prospect


def test_a_category_audience_reaches_the_active_suppliers_of_that_category(buyer, active_a, supplier_b):
    furniture = ProductCategoryFactory(name="Furniture")
    active_a.categories.add(furniture)
    other = SupplierFactory(stage=Stage.APPROVED)
    other.categories.add(ProductCategoryFactory(name="Apparel"))
    announcement = publish(buyer, audience=Announcement.Audience.CATEGORY, category=furniture)
    assert list(announcement.recipients.values_list("supplier_id", flat=True)) == [active_a.pk]


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"suppliers": []}, "suppliers", "Choose at least one supplier."),
        ({"audience": Announcement.Audience.CATEGORY}, "category", "Choose the product category"),
        ({"audience": Announcement.Audience.ALL}, "audience", "No active supplier is in this audience"),
        ({"title": "  "}, "title", "Give the announcement a title."),
        ({"body": ""}, "body", "Write the text the suppliers should read."),
        ({"kind": "gossip"}, "kind", "Choose a market insight"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_writes_nothing(buyer, supplier_a, kwargs, field, message):
    values = {"suppliers": [supplier_a], **kwargs}
    with pytest.raises(ValidationError) as refused:
        publish(buyer, **values)
    assert message in " ".join(refused.value.message_dict[field])
    assert not Announcement.objects.exists() and not Notification.objects.exists()


def test_a_quality_user_may_not_publish(quality, supplier_a):
    with pytest.raises(PermissionDenied):
        publish(quality, suppliers=[supplier_a])


def test_marking_read_keeps_the_first_time_and_is_idempotent(buyer, supplier_a, portal_a, time_machine):
    announcement = publish(buyer, suppliers=[supplier_a])
    time_machine.move_to("2026-03-02 08:00Z")
    first = services.announcement_mark_read(announcement=announcement, by=portal_a)
    time_machine.move_to("2026-03-03 08:00Z")
    again = services.announcement_mark_read(announcement=announcement, by=portal_a)
    assert again.pk == first.pk and again.read_at == first.read_at
    assert AnnouncementRead.objects.count() == 1


def test_a_contact_of_another_supplier_cannot_mark_it_read_and_staff_are_refused(buyer, supplier_a, portal_b):
    announcement = publish(buyer, suppliers=[supplier_a])
    with pytest.raises(PermissionDenied):
        services.announcement_mark_read(announcement=announcement, by=portal_b)
    with pytest.raises(PermissionDenied):
        services.announcement_mark_read(announcement=announcement, by=buyer)
    assert not AnnouncementRead.objects.exists()


def test_a_withdrawn_announcement_leaves_the_portal_and_cannot_be_withdrawn_twice(
    buyer, supplier_a, portal_a
):
    announcement = publish(buyer, suppliers=[supplier_a])
    services.announcement_withdraw(announcement=announcement, by=buyer)
    assert not Announcement.objects.visible_to(portal_a).exists()
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.announcement_withdraw(announcement=announcement, by=buyer)
    with pytest.raises(ValidationError, match="withdrawn"):
        services.announcement_mark_read(announcement=announcement, by=portal_a)


def test_the_receipts_show_who_read_and_who_did_not_in_three_queries(
    buyer, django_assert_num_queries, time_machine
):
    time_machine.move_to("2026-03-02 08:00Z")
    suppliers = [SupplierFactory() for _ in range(6)]
    contacts = [PortalUserFactory(supplier=s) for s in suppliers for _ in range(3)]
    announcement = publish(buyer, suppliers=suppliers)
    for contact in contacts[::2]:
        services.announcement_mark_read(announcement=announcement, by=contact)
    with django_assert_num_queries(3):
        rows = selectors.announcement_receipts(announcement=announcement)
        assert len(rows) == 6
        read = {c.user.pk for row in rows for c in row.contacts if c.read_at}
        unread = {c.user.pk for row in rows for c in row.contacts if not c.read_at}
    assert read == {c.pk for c in contacts[::2]}
    assert unread == {c.pk for c in contacts[1::2]}


def test_the_staff_list_counts_receipts_in_a_constant_number_of_queries(
    buyer, supplier_a, portal_a, django_assert_max_num_queries
):
    for n in range(8):
        announcement = publish(buyer, title=f"Note {n}", suppliers=[supplier_a])
        services.announcement_mark_read(announcement=announcement, by=portal_a)
    with django_assert_max_num_queries(1):
        rows = list(selectors.announcement_list(user=buyer))
    assert [(r.recipient_count, r.read_count) for r in rows] == [(1, 1)] * 8


def test_the_factory_sees_only_what_is_addressed_to_it_and_no_count_of_the_rest(
    client, buyer, supplier_a, supplier_b, portal_a
):
    mine = publish(buyer, title="For Alpha", suppliers=[supplier_a])
    theirs = publish(buyer, title="For Beta only", suppliers=[supplier_b])
    client.force_login(portal_a)
    page = client.get(reverse("portal:announcements")).content.decode()
    assert "For Alpha" in page and "For Beta only" not in page
    assert client.get(reverse("portal:announcement_detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("portal:announcement_read", args=[theirs.pk])).status_code == 404
    api = client.get(reverse("api:announcement-list")).json()
    assert api["count"] == 1 and api["results"][0]["id"] == mine.pk
    assert "read_count" not in api["results"][0] and "audience" not in api["results"][0]


def test_opening_does_not_record_a_receipt_but_mark_as_read_does(client, buyer, supplier_a, portal_a):
    announcement = publish(buyer, suppliers=[supplier_a])
    client.force_login(portal_a)
    detail = reverse("portal:announcement_detail", args=[announcement.pk])
    assert "Mark as read" in client.get(detail).content.decode()
    assert not AnnouncementRead.objects.exists()
    response = client.post(reverse("portal:announcement_read", args=[announcement.pk]))
    assert response.status_code == 302
    assert AnnouncementRead.objects.filter(user=portal_a).count() == 1
    assert "You marked this as read on" in client.get(detail).content.decode()


def test_the_buyer_publishes_on_the_staff_page_and_sees_receipts(
    client, buyer, supplier_a, supplier_b, portal_a, portal_b
):
    client.force_login(buyer)
    response = client.post(
        reverse("partnership:announcement_create"),
        {
            "kind": "policy_change",
            "title": "New packing rule",
            "body": "Every carton carries the PO number.",
            "audience": "chosen",
            "suppliers": [supplier_a.pk, supplier_b.pk],
        },
    )
    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response.url == announcement.get_absolute_url()
    services.announcement_mark_read(announcement=announcement, by=portal_a)
    page = client.get(announcement.get_absolute_url()).content.decode()
    assert "1 of 2 suppliers read it" in page and "Not read yet" in page


def test_the_staff_page_refuses_an_empty_audience_and_publishes_nothing(client, buyer):
    client.force_login(buyer)
    response = client.post(
        reverse("partnership:announcement_create"),
        {"kind": "announcement", "title": "T", "body": "B", "audience": "chosen", "suppliers": []},
    )
    assert response.status_code == 400
    assert "Choose at least one supplier." in response.content.decode()
    assert not Announcement.objects.exists()


def test_the_api_publishes_lists_and_a_factory_token_acknowledges(api_client, buyer, supplier_a, portal_a):
    api_client.force_authenticate(buyer)
    created = api_client.post(
        reverse("api:announcement-list"),
        {
            "kind": "announcement",
            "title": "Holiday",
            "body": "Closed 1-7 Oct.",
            "audience": "chosen",
            "suppliers": [supplier_a.pk],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    empty = api_client.post(
        reverse("api:announcement-list"),
        {"kind": "announcement", "title": "X", "body": "Y", "audience": "chosen", "suppliers": []},
        format="json",
    )
    assert empty.status_code == 400 and "Choose at least one supplier." in str(empty.json())
    api_client.force_authenticate(portal_a)
    ack = api_client.post(reverse("api:announcement-acknowledge", args=[pk]))
    assert ack.status_code == 200 and ack.json()["read_at"]
    assert api_client.post(reverse("api:announcement-acknowledge", args=[pk])).status_code == 200
    assert AnnouncementRead.objects.count() == 1
    assert api_client.post(reverse("api:announcement-withdraw", args=[pk])).status_code == 403
    api_client.force_authenticate(buyer)
    assert api_client.get(reverse("api:announcement-detail", args=[pk])).json()["read_count"] == 1
    assert api_client.post(reverse("api:announcement-withdraw", args=[pk])).status_code == 200
    assert AnnouncementRecipient.objects.filter(announcement_id=pk).count() == 1
