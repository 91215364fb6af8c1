"""Portal dates and stored sentences follow the reader's language: 2026-10-06 in English, 06/10/2026 in Vietnamese, 2026年10月6日 in
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


def test_a_red_flag_stored_in_english_reads_in_chinese_on_the_portal_scorecard(client, portal_a):
    from scorecards.models import RedFlag

    RedFlag.objects.create(
        supplier=portal_a.supplier,
        rule=RedFlag.Rule.CONSISTENT_MISS,
        period="2026-W40:on_time_delivery",
        observed="missed 3 weeks running",
        target="On-time delivery",
        recommended_action="revisit contracts and processes",
    )
    portal_a.language = "zh-hans"
    portal_a.save(update_fields=["language"])
    client.force_login(portal_a)
    body = client.get(reverse("portal:scorecard")).content.decode()
    assert "连续 3 周未达成" in body and "准时交货率" in body
    assert "missed 3 weeks running" not in body
