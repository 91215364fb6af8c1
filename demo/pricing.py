"""Demo price agreements: two suppliers' SKUs with a version history, one open price-change request from a factory
(with its cost breakdown), and one open-book request waiting for the factory's answer."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from core.money import currency_decimals
from orders.models import OrderLine
from pricing import services
from pricing.models import PriceAgreement
from suppliers.models import Supplier


def _skus(supplier: Supplier, count: int) -> list[OrderLine]:
    """Return the supplier's most recent order line of each of its first SKUs."""
    seen, lines = set(), []
    for line in (
        OrderLine.objects.filter(order__supplier=supplier)
        .select_related("order")
        .order_by("-order__ordered_on", "-pk")
    ):
        if line.sku not in seen:
            seen.add(line.sku)
            lines.append(line)
        if len(lines) == count:
            break
    return lines


def _money(value: Decimal, currency: str) -> Decimal:
    """Round a demo price to the decimals its currency allows."""
    return value.quantize(Decimal(1).scaleb(-currency_decimals(currency)))


def seed_pricing(*, buyer: User) -> None:
    """Agree prices for two suppliers that have portal users; a second run changes nothing."""
    if PriceAgreement.objects.exists():
        return
    today = timezone.localdate()
    suppliers = (
        Supplier.objects.filter(portal_users__role=Role.SUPPLIER, portal_users__is_active=True)
        .distinct()
        .order_by("pk")[:2]
    )
    for number, supplier in enumerate(suppliers):
        portal = supplier.portal_users.filter(role=Role.SUPPLIER, is_active=True).order_by("pk").first()
        for index, line in enumerate(_skus(supplier, 2)):
            currency = line.order.currency
            first = services.price_agreement_create(
                supplier=supplier,
                by=buyer,
                sku=line.sku,
                description=line.description,
                unit_price=_money(line.unit_price, currency),
                currency=currency,
                moq=500,
                lead_time_days=45,
                incoterm=line.order.incoterm,
                valid_from=today - timedelta(days=20),
                note="Agreed at the annual review.",
            )
            if index == 0:
                # History: a volume tier reached, recorded by the buyer with why.
                services.price_agreement_new_version(
                    agreement=first,
                    by=buyer,
                    valid_from=today + timedelta(days=10),
                    unit_price=_money(first.unit_price * Decimal("0.97"), currency),
                    note="Volume tier 2 reached: 3 % off from next month.",
                )
            elif number == 0 and portal is not None:
                # The factory asks for a justified increase on its second SKU.
                services.price_change_request(
                    by=portal,
                    items=[
                        {
                            "agreement": first,
                            "new_price": _money(first.unit_price * Decimal("1.08"), currency),
                        }
                    ],
                    effective_on=today + timedelta(days=30),
                    reason_category="material",
                    explanation="Cotton canvas rose 14 % since the spring; we absorbed it until now.",
                    index_reference="Cotlook A index, last month's average",
                    breakdown={
                        "material": _money(first.unit_price * Decimal("0.55"), currency),
                        "labour": _money(first.unit_price * Decimal("0.22"), currency),
                        "overhead": _money(first.unit_price * Decimal("0.15"), currency),
                        "margin": _money(first.unit_price * Decimal("0.16"), currency),
                    },
                )
            else:
                services.cost_breakdown_request(
                    supplier=supplier,
                    by=buyer,
                    sku=line.sku,
                    currency=currency,
                    message="Please open the book on this SKU before our quarterly review.",
                )
                # The buyer's own should-cost estimate, to set beside the answer: never shown to the factory.
                services.cost_estimate_record(
                    supplier=supplier,
                    by=buyer,
                    sku=line.sku,
                    currency=currency,
                    note="Teardown of a retail sample, resin at last month's index.",
                    material=_money(line.unit_price * Decimal("0.50"), currency),
                    labour=_money(line.unit_price * Decimal("0.20"), currency),
                    overhead=_money(line.unit_price * Decimal("0.12"), currency),
                    margin=_money(line.unit_price * Decimal("0.10"), currency),
                )
