"""Writes on pricing: agreement versions without overlaps, currency decimals, and the price-change trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.money import check_decimals, currency_decimals
from pricing import selectors, services
from pricing.models import PriceAgreement, PriceChangeRequest
from suppliers.models import Activity
from tests.factories import PortalUserFactory
from tests.pricing.builders import agree, ask, days

pytestmark = pytest.mark.django_db


def prices(supplier, sku="TOTE-01"):
    return [
        (a.version, a.unit_price, a.valid_from, a.valid_to)
        for a in PriceAgreement.objects.filter(supplier=supplier, sku=sku).order_by("version")
    ]


@pytest.mark.parametrize(
    ("currency", "places"), [("USD", 2), ("EUR", 2), ("JPY", 0), ("KRW", 0), ("vnd", 0), ("KWD", 3)]
)
def test_currency_decimals_follow_the_currency(currency, places):
    assert currency_decimals(currency) == places


def test_a_price_with_more_decimals_than_its_currency_is_refused():
    check_decimals(Decimal("1200"), "JPY", field="p")
    check_decimals(Decimal("3.40"), "USD", field="p")
    with pytest.raises(ValidationError, match="at most 0 decimals"):
        check_decimals(Decimal("1200.5"), "JPY", field="p")
    with pytest.raises(ValidationError, match="at most 2 decimals"):
        check_decimals(Decimal("3.405"), "USD", field="p")


def test_agreeing_a_price_records_version_one_on_the_timeline(tote, buyer):
    assert (tote.version, tote.unit_price, tote.valid_to) == (1, Decimal("3.40"), None)
    assert Activity.objects.filter(kind="price_agreed", object_id=tote.pk).exists()


def test_an_agreement_in_yen_with_decimals_is_refused_and_nothing_is_saved(approved_a, buyer):
    with pytest.raises(ValidationError, match="JPY"):
        agree(approved_a, by=buyer, currency="JPY", price="450.5")
    assert not PriceAgreement.objects.exists()


def test_an_overlapping_agreement_for_the_same_sku_is_refused_with_the_period_it_meets(
    tote, buyer, approved_a
):
    with pytest.raises(ValidationError, match="already covers"):
        agree(approved_a, by=buyer, price="3.00", valid_from=days(-10))
    assert PriceAgreement.objects.count() == 1


def test_agreements_of_separate_periods_and_other_skus_are_allowed(approved_a, buyer):
    agree(approved_a, by=buyer, valid_from=days(-90), valid_to=days(-31))
    agree(approved_a, by=buyer, valid_from=days(-30), price="3.50")
    agree(approved_a, by=buyer, sku="TOTE-02", valid_from=days(-30))
    assert [v for v, *_ in prices(approved_a)] == [1, 2]


def test_a_new_version_closes_the_previous_one_the_day_before_and_says_who_and_why(tote, buyer, approved_a):
    version = services.price_agreement_new_version(
        agreement=tote, by=buyer, valid_from=days(10), unit_price=Decimal("3.55"), note="Annual review"
    )
    assert prices(approved_a) == [
        (1, Decimal("3.40"), days(-90), days(9)),
        (2, Decimal("3.55"), days(10), None),
    ]
    assert (version.previous, version.created_by, version.note, version.source) == (
        tote,
        buyer,
        "Annual review",
        "new_version",
    )
    assert selectors.agreement_in_force(supplier_id=approved_a.pk, sku="TOTE-01", on=days(9)) == tote
    assert selectors.agreement_in_force(supplier_id=approved_a.pk, sku="TOTE-01", on=days(10)) == version


def test_a_new_version_needs_a_note_and_a_later_start(tote, buyer):
    with pytest.raises(ValidationError, match="Say why"):
        services.price_agreement_new_version(agreement=tote, by=buyer, valid_from=days(10), note=" ")
    with pytest.raises(ValidationError, match="starts after"):
        services.price_agreement_new_version(agreement=tote, by=buyer, valid_from=days(-90), note="x")
    assert PriceAgreement.objects.count() == 1


def test_quality_staff_cannot_agree_prices(approved_a, quality):
    with pytest.raises(PermissionDenied):
        agree(approved_a, by=quality)


# --- Price changes ------------------------------------------------------------------------------------------


def test_the_factory_asks_for_a_price_change_with_its_breakdown_and_nothing_changes_yet(tote, portal_a):
    change = ask(tote, by=portal_a)
    assert change.status == PriceChangeRequest.Status.REQUESTED
    assert change.breakdown_total == Decimal("3.80")
    assert [(i.sku, i.old_price, i.new_price) for i in change.items.all()] == [
        ("TOTE-01", Decimal("3.40"), Decimal("3.80"))
    ]
    assert PriceAgreement.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"effective_on": days(-1)}, "past"),
        ({"price": "3.805"}, "at most 2 decimals"),
        ({"price": "3.40"}, "is the agreed price"),
        ({"explanation": " "}, "Explain"),
    ],
)
def test_a_bad_price_change_is_refused_and_writes_nothing(tote, portal_a, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        ask(tote, by=portal_a, **kwargs)
    assert not PriceChangeRequest.objects.exists()


def test_a_factory_cannot_ask_to_change_another_suppliers_agreement(tote, portal_b):
    with pytest.raises(PermissionDenied):
        ask(tote, by=portal_b)
    assert not PriceChangeRequest.objects.exists()


def test_a_second_request_on_a_sku_waiting_for_an_answer_is_refused(tote, portal_a):
    ask(tote, by=portal_a)
    with pytest.raises(ValidationError, match="already waiting"):
        ask(tote, by=portal_a, price="3.90")


def test_accepting_makes_a_new_version_from_the_effective_date_in_one_go(tote, portal_a, buyer, approved_a):
    change = ask(tote, by=portal_a, effective_on=days(30))
    services.price_change_accept(change=change, by=buyer)
    assert prices(approved_a) == [
        (1, Decimal("3.40"), days(-90), days(29)),
        (2, Decimal("3.80"), days(30), None),
    ]
    new = PriceAgreement.objects.get(version=2)
    assert (new.source, new.price_change) == ("price_change", change)
    assert change.items.get().new_agreement == new
    with pytest.raises(ValidationError, match="cannot be answered again"):
        services.price_change_accept(change=change, by=buyer)


def test_the_buyer_counters_and_the_factory_accepts_the_counter(tote, portal_a, buyer, approved_a):
    change = ask(tote, by=portal_a, effective_on=days(30))
    item = change.items.get()
    change = services.price_change_counter(
        change=change, by=buyer, prices={item.pk: Decimal("3.60")}, effective_on=days(45), note="Meet halfway"
    )
    assert change.status == PriceChangeRequest.Status.COUNTERED
    assert PriceAgreement.objects.count() == 1
    services.price_change_counter_answer(change=change, by=portal_a, accept=True)
    assert prices(approved_a)[-1] == (2, Decimal("3.60"), days(45), None)


def test_a_declined_counter_changes_nothing_and_needs_a_reason(tote, portal_a, buyer):
    change = ask(tote, by=portal_a)
    item = change.items.get()
    services.price_change_counter(change=change, by=buyer, prices={item.pk: Decimal("3.50")}, note="Too much")
    with pytest.raises(ValidationError, match="Say why"):
        services.price_change_counter_answer(change=change, by=portal_a, accept=False)
    change = services.price_change_counter_answer(change=change, by=portal_a, accept=False, note="Below cost")
    assert change.status == PriceChangeRequest.Status.COUNTER_DECLINED
    assert PriceAgreement.objects.count() == 1


def test_a_counter_with_too_many_decimals_or_the_same_values_is_refused(tote, portal_a, buyer):
    change = ask(tote, by=portal_a)
    item = change.items.get()
    with pytest.raises(ValidationError, match="at most 2 decimals"):
        services.price_change_counter(change=change, by=buyer, prices={item.pk: Decimal("3.555")}, note="x")
    with pytest.raises(ValidationError, match="accept the request instead"):
        services.price_change_counter(change=change, by=buyer, prices={}, note="x")
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REQUESTED


def test_refusing_needs_a_reason_and_keeps_the_price(tote, portal_a, buyer):
    change = ask(tote, by=portal_a)
    with pytest.raises(ValidationError, match="Say why"):
        services.price_change_refuse(change=change, by=buyer, reason="")
    change = services.price_change_refuse(change=change, by=buyer, reason="Copper fell back in May")
    assert (change.status, change.decision_note) == ("refused", "Copper fell back in May")
    assert PriceAgreement.objects.count() == 1


def test_only_the_factory_of_the_request_answers_a_counter(tote, portal_a, portal_b, buyer):
    change = ask(tote, by=portal_a)
    item = change.items.get()
    services.price_change_counter(change=change, by=buyer, prices={item.pk: Decimal("3.50")}, note="x")
    with pytest.raises(PermissionDenied):
        services.price_change_counter_answer(change=change, by=portal_b, accept=True)
    with pytest.raises(PermissionDenied):
        services.price_change_counter_answer(change=change, by=buyer, accept=True)


def test_an_accepted_change_whose_date_has_passed_is_refused_whole(tote, portal_a, buyer, time_machine):
    change = ask(tote, by=portal_a, effective_on=days(5))
    time_machine.move_to(days(7).isoformat() + " 12:00", tick=False)
    with pytest.raises(ValidationError, match="has passed"):
        services.price_change_accept(change=change, by=buyer)
    change.refresh_from_db()
    assert change.status == PriceChangeRequest.Status.REQUESTED
    assert PriceAgreement.objects.count() == 1


# --- Cost breakdowns ----------------------------------------------------------------------------------------


def test_the_factory_answers_a_cost_breakdown_with_all_four_amounts(approved_a, buyer, portal_a):
    row = services.cost_breakdown_request(
        supplier=approved_a, by=buyer, sku="TOTE-01", message="Open book please"
    )
    with pytest.raises(ValidationError):
        services.cost_breakdown_answer(breakdown=row, by=portal_a, material=Decimal("1"))
    row = services.cost_breakdown_answer(
        breakdown=row,
        by=portal_a,
        material=Decimal("1.10"),
        labour=Decimal("0.70"),
        overhead=Decimal("0.30"),
        margin=Decimal("0.20"),
    )
    assert (row.status, row.breakdown_total) == ("answered", Decimal("2.30"))
    with pytest.raises(ValidationError, match="already answered"):
        services.cost_breakdown_answer(
            breakdown=row,
            by=portal_a,
            material=Decimal("1"),
            labour=Decimal("1"),
            overhead=Decimal("1"),
            margin=Decimal("1"),
        )


def test_another_supplier_cannot_answer_a_cost_breakdown(approved_a, buyer, portal_b):
    row = services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="TOTE-01")
    with pytest.raises(PermissionDenied):
        services.cost_breakdown_answer(
            breakdown=row,
            by=portal_b,
            material=Decimal("1"),
            labour=Decimal("1"),
            overhead=Decimal("1"),
            margin=Decimal("1"),
        )


def test_a_breakdown_is_visible_to_staff_and_its_own_factory_never_another(
    approved_a, buyer, portal_a, portal_b
):
    from pricing.models import CostBreakdownRequest

    row = services.cost_breakdown_request(supplier=approved_a, by=buyer, sku="TOTE-01")
    assert list(CostBreakdownRequest.objects.visible_to(buyer)) == [row]
    assert list(CostBreakdownRequest.objects.visible_to(portal_a)) == [row]
    assert not CostBreakdownRequest.objects.visible_to(portal_b).exists()
    assert not CostBreakdownRequest.objects.visible_to(PortalUserFactory()).exists()
