"""Portal dates follow the reader's language: 2026-10-06 in English, 06/10/2026 in Vietnamese, 2026年10月6日 in
Chinese."""

from datetime import date

import pytest
from django.urls import reverse

from tests.factories import PurchaseOrderFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown"), [("en", "2026-10-06"), ("vi", "06/10/2026"), ("zh-hans", "2026年10月6日")]
)
def test_the_order_list_shows_dates_in_the_readers_format(client, portal_a, language, shown):
    PurchaseOrderFactory(supplier=portal_a.supplier, ordered_on=date(2026, 10, 6))
    portal_a.language = language
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    assert shown in client.get(reverse("portal:orders")).content.decode()
