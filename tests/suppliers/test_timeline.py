"""The activity timeline stores what happened (a kind) and the row it is about; the text is written at display,
in the reader's language. Lines from before kinds keep their text as written."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from suppliers import services
from suppliers.models import Activity, Contact

pytestmark = pytest.mark.django_db


def test_a_line_records_its_kind_and_the_row_it_is_about(supplier_a, buyer):
    contact = services.contact_save(supplier=supplier_a, by=buyer, name="Li Wei", role=Contact.Role.SALES)
    line = supplier_a.activities.get()
    assert (line.kind, line.object_type, line.object_id) == (
        Activity.Kind.CONTACT_ADDED,
        "suppliers.contact",
        contact.pk,
    )
    assert line.is_about(Contact) and line.verb == "" and line.detail == "Li Wei"


def test_a_line_reads_in_the_readers_language(supplier_a, buyer):
    line = services.activity_record(
        supplier=supplier_a, actor=buyer, kind=Activity.Kind.ORDER_SENT, detail="PO-1"
    )
    with translation.override("vi"):
        vietnamese = line.text
    with translation.override("zh-hans"):
        chinese = line.text
    assert (
        line.text == "Order sent" and vietnamese != "Order sent" and chinese not in ("Order sent", vietnamese)
    )


def test_the_supplier_page_shows_the_line_in_the_staff_members_language(client, supplier_a, buyer):
    services.activity_record(supplier=supplier_a, actor=buyer, kind=Activity.Kind.ORDER_SENT, detail="PO-1")
    Activity.objects.create(supplier=supplier_a, verb="Imported from the old system")
    buyer.language = "vi"
    buyer.save(update_fields=["language"])
    client.force_login(buyer)
    with translation.override("vi"):  # the page switches to the user's language; the override restores ours
        page = client.get(reverse("suppliers:detail", args=[supplier_a.pk])).content.decode()
        assert str(Activity.Kind.ORDER_SENT.label) in page and "Order sent" not in page
    assert "Imported from the old system" in page  # a line from before kinds: its text as written


def test_lines_written_before_kinds_get_the_kind_of_their_text(supplier_a):
    migration = importlib.import_module("suppliers.migrations.0003_activity_kind_and_object")
    known = Activity.objects.create(supplier=supplier_a, verb="Delivery received late")
    other = Activity.objects.create(supplier=supplier_a, verb="Imported from the old system")
    migration.kinds_from_texts(apps, None)
    known.refresh_from_db()
    other.refresh_from_db()
    assert (known.kind, known.verb) == (Activity.Kind.DELIVERY_RECEIVED_LATE, "")
    assert (other.kind, other.text) == ("", "Imported from the old system")
