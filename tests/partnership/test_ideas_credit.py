"""The scorecard's credit for improvement ideas: implemented ideas credited to the factory over the period, with
realised and estimated savings by currency, in one query for all suppliers; shown on the staff and portal pages."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from partnership.models import ImprovementIdea
from partnership.selectors.ideas import ideas_credit
from partnership.services import ideas as services
from suppliers.models import Stage, Supplier
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db
Status = ImprovementIdea.Status


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


def implemented(
    by, portal_user, supplier, *, on, realised, estimated="1000", currency="USD", staff_credit=None
):
    raiser = portal_user if staff_credit is None else by
    idea = services.idea_propose(
        by=raiser,
        supplier=supplier,
        kind="cost_saving",
        title="Idea",
        description="x",
        currency=currency,
        estimated_annual_saving=Decimal(estimated),
        **({"credited_to": staff_credit} if staff_credit else {}),
    )
    services.idea_transition(idea=idea, by=by, to=Status.ACCEPTED)
    return services.idea_record_implementation(
        idea=idea, by=by, implemented_on=on, realised_saving=Decimal(realised)
    )


def test_the_credit_counts_implemented_factory_ideas_in_the_period_by_currency(buyer, portal_a, supplier_a):
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 1), realised="300.50")
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 20), realised="200", estimated="500")
    implemented(
        buyer, portal_a, supplier_a, on=date(2026, 11, 20), realised="9000", currency="JPY", estimated="10000"
    )
    implemented(buyer, portal_a, supplier_a, on=date(2026, 6, 1), realised="7777")  # before the period
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 2), realised="4444", staff_credit="buyer")
    shared = implemented(
        buyer, portal_a, supplier_a, on=date(2026, 11, 3), realised="1", staff_credit="shared"
    )
    credit = ideas_credit(start=date(2026, 9, 6), end=date(2026, 12, 5), supplier_ids=[supplier_a.pk])[
        supplier_a.pk
    ]
    assert credit.implemented == 4
    assert credit.savings == [
        {"currency": "JPY", "realised": Decimal("9000"), "estimated": Decimal("10000")},
        {"currency": "USD", "realised": Decimal("501.50"), "estimated": Decimal("2500")},
    ]
    assert shared.credited_to == "shared"


def test_the_credit_is_one_query_however_many_suppliers(buyer, django_assert_num_queries):
    suppliers = [SupplierFactory(owner=buyer) for _ in range(6)]
    for supplier in suppliers:
        for day in (1, 2):
            implemented(buyer, None, supplier, on=date(2026, 11, day), realised="10", staff_credit="factory")
    with django_assert_num_queries(1):
        credits = ideas_credit(start=date(2026, 9, 1), end=date(2026, 12, 5))
    assert {credits[s.pk].implemented for s in suppliers} == {2}


def test_a_supplier_without_ideas_is_absent_and_the_scorecard_says_none(client, buyer, supplier_a):
    assert ideas_credit(start=date(2026, 1, 1), end=date(2026, 12, 5), supplier_ids=[supplier_a.pk]) == {}
    client.force_login(buyer)
    page = client.get(reverse("scorecards:supplier", args=[supplier_a.pk])).content.decode()
    assert "none implemented in this period" in page


def test_the_staff_and_portal_scorecards_show_the_credit(client, buyer, portal_a, supplier_a):
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 20), realised="1250.50", estimated="3000")
    client.force_login(buyer)
    page = client.get(reverse("scorecards:supplier", args=[supplier_a.pk])).content.decode()
    assert "1 implemented" in page and "1,250.50 USD" in page and "3,000 USD" in page
    client.force_login(portal_a)
    page = client.get(reverse("portal:scorecard")).content.decode()
    assert 'id="ideas-credit"' in page and "1,250.50 USD" in page
    # a calendar month with no implementation shows none
    page = client.get(reverse("portal:scorecard"), {"period": "2026-10"}).content.decode()
    assert "none implemented in this period" in page


def test_the_portfolio_shows_each_suppliers_ideas_and_exports_them(
    client, buyer, portal_a, supplier_a, supplier_b
):
    Supplier.objects.filter(pk__in=[supplier_a.pk, supplier_b.pk]).update(stage=Stage.APPROVED)
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 20), realised="1250.50")
    implemented(buyer, portal_a, supplier_a, on=date(2026, 11, 21), realised="100")
    client.force_login(buyer)
    response = client.get(reverse("scorecards:portfolio"))
    cards = {card.supplier.pk: card for card in response.context["cards"]}
    assert cards[supplier_a.pk].ideas.implemented == 2 and cards[supplier_b.pk].ideas.implemented == 0
    body = response.content.decode()
    assert "2 implemented" in body and "realised 1,350.50 USD" in body
    export = client.get(reverse("scorecards:portfolio"), {"export": "csv"})
    text = b"".join(export.streaming_content).decode()
    assert "Improvement ideas" in text and "2 implemented; realised 1,350.50 USD" in text
